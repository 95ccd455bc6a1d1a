" pyjit: TorchScript diagnostics, hovers and quick fixes for Python files, as an
" ALE language server linter (ALE >= 3.3). Put editors/vim on 'runtimepath'; ALE
" then finds this file. The server is `pyjit-lsp` from $PATH
" (`pip install pyjit-torchscript`); set g:ale_python_pyjit_executable for another,
" or g:ale_python_pyjit_command (e.g. '/path/to/python -m pyjit_server').
" Settings (docs/settings.md) go in g:ale_python_pyjit_config, under 'pyjit';
" [tool.pyjit] in pyproject.toml wins over them.

call ale#Set('python_pyjit_executable', 'pyjit-lsp')
call ale#Set('python_pyjit_command', '%e')
call ale#Set('python_pyjit_config', {})

" The project: the nearest folder with pyproject.toml, setup.py, setup.cfg or
" .git, else the file's own folder.
function! ale_linters#python#pyjit#GetProjectRoot(buffer) abort
    for l:marker in ['pyproject.toml', 'setup.py', 'setup.cfg']
        let l:found = ale#path#FindNearestFile(a:buffer, l:marker)

        if !empty(l:found)
            return fnamemodify(l:found, ':h')
        endif
    endfor

    let l:git = ale#path#FindNearestDirectory(a:buffer, '.git')

    return !empty(l:git) ? fnamemodify(l:git, ':h:h') : expand('#' . a:buffer . ':p:h')
endfunction

call ale#linter#Define('python', {
\   'name': 'pyjit',
\   'lsp': 'stdio',
\   'executable': {buffer -> ale#Var(buffer, 'python_pyjit_executable')},
\   'command': {buffer -> ale#Var(buffer, 'python_pyjit_command')},
\   'project_root': function('ale_linters#python#pyjit#GetProjectRoot'),
\   'lsp_config': {buffer -> ale#Var(buffer, 'python_pyjit_config')},
\})
