" Drives Vim 9 + ALE the way a user's vimrc would: editors/vim on 'runtimepath'
" (ALE finds ale_linters/python/pyjit.vim there), the file open, then ALELint,
" ALEHover, ALECodeAction (its prompt answered) and :PyjitGraph.
" Run: vim -N -u NONE -i NONE -n --not-a-term -S vim_session.vim FILE, with
" PYJIT_VIM_CONFIG, PYJIT_TEST_OUT and PYJIT_TEST_DEADLINE_S set.
" Writes what it saw as JSON to $PYJIT_TEST_OUT, then quits.

let s:out = {}
let s:deadline = str2nr($PYJIT_TEST_DEADLINE_S)

function! s:Wait(what, condition) abort
    let l:start = reltime()
    while reltimefloat(reltime(l:start)) < s:deadline
        if eval(a:condition)
            return
        endif
        sleep 50m
    endwhile
    throw 'timed out waiting for ' . a:what
endfunction

function! s:Run() abort
    " docs/editors.md's lines (tests/editors/test_docs.py checks they are here).
    set runtimepath^=/usr/share/vim-ale
    let &runtimepath .= ',' . $PYJIT_VIM_CONFIG
    filetype plugin on
    let g:ale_linters = {'python': ['pyjit']}
    " A vimrc's plugins load after it; with -u NONE, load them here.
    runtime! plugin/ale.vim plugin/pyjit.vim
    let g:ale_hover_to_preview = 1
    " The code action menu is a prompt: answer it with the number of the fix wanted.
    runtime autoload/ale/util.vim
    function! ale#util#Input(message, value, ...) abort
        let s:out.prompt = a:message
        let l:wanted = matchstr(a:message, '\v(\d+)\ze\) Ignore PJ210 on this line')
        return l:wanted
    endfunction

    edit
    let s:out.filetype = &filetype
    ALELint
    call s:Wait('diagnostics', '!empty(ale#engine#GetLoclist(bufnr("")))')
    let s:out.diagnostics = map(copy(ale#engine#GetLoclist(bufnr(''))),
    \   {_, d -> {'lnum': d.lnum, 'col': d.col, 'code': get(d, 'code', ''), 'type': d.type,
    \             'text': d.text, 'linter': d.linter_name}})

    " Hover on the `+` of `y = x + n` (line 6).
    call cursor(6, 11)
    ALEHover
    call s:Wait('the hover', 'len(filter(range(1, winnr("$")), {_, w -> getwinvar(w, "&previewwindow")})) > 0')
    let l:preview = filter(range(1, winnr('$')), {_, w -> getwinvar(w, '&previewwindow')})[0]
    let s:out.hover = join(getbufline(winbufnr(l:preview), 1, '$'), "\n")
    pclose

    " The quick fix on line 12, through ALE's command. On the `.` (not in a word),
    " ALE sends the diagnostic back, without the `data` that holds its fixes.
    call cursor(12, 13)
    ALECodeAction
    call s:Wait('the code action', 'getline(12) =~# "pyjit: ignore"')
    let s:out.fixed_line = getline(12)

    " The graph of f.
    call cursor(6, 5)
    let l:windows = winnr('$')
    PyjitGraph
    call s:Wait('the graph', 'winnr("$") > ' . l:windows)
    let s:out.graph = join(getline(1, '$'), "\n")
endfunction

try
    call s:Run()
catch
    let s:out.error = v:exception . ' at ' . v:throwpoint
endtry
let s:out.messages = execute('messages')
call writefile([json_encode(s:out)], $PYJIT_TEST_OUT)
qall!
