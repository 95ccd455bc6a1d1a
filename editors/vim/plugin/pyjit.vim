" :PyjitGraph -- the TorchScript graph of the function under the cursor, from
" the pyjit language server that ALE runs (ale_linters/python/pyjit.vim), in a
" scratch split. For a function that does not compile, the server answers why.

if exists('g:loaded_pyjit')
    finish
endif
let g:loaded_pyjit = 1

function! s:ShowGraph(source, response) abort
    let l:graph = get(a:response, 'result', v:null)

    if has_key(a:response, 'error')
        echohl ErrorMsg | echomsg 'pyjit: ' . a:response.error.message | echohl None
        return
    endif

    if type(l:graph) != v:t_string
        echomsg 'pyjit: no compiled TorchScript function here'
        return
    endif

    vnew
    setlocal buftype=nofile bufhidden=wipe noswapfile
    call setline(1, split(l:graph, "\n"))
    setlocal nomodifiable
    let b:pyjit_graph_of = a:source
endfunction

function! s:PyjitGraph() abort
    let l:buffer = bufnr('')
    let [l:line, l:column] = getpos('.')[1:2]
    let l:message = ale#lsp#message#ExecuteCommand('pyjit.showGraph', [
    \   ale#util#ToURI(expand('#' . l:buffer . ':p')),
    \   {'line': l:line - 1, 'character': l:column - 1},
    \])
    call ale#lsp_linter#SendRequest(l:buffer, 'pyjit', l:message,
    \   function('s:ShowGraph', [expand('#' . l:buffer . ':p')]))
endfunction

command! -bar PyjitGraph call s:PyjitGraph()
