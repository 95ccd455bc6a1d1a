-- Drives a headless Neovim the way a user's config would: the shipped
-- editors/nvim/lsp/pyjit.lua on 'runtimepath', vim.lsp.enable('pyjit'), open a
-- file, wait for diagnostics, hover, ask for code actions, show the graph (of
-- a function that compiles, and of one that does not), apply a code action.
-- Writes what it saw as JSON to $PYJIT_TEST_OUT, then quits.

local out = {}
local function finish()
  local f = assert(io.open(os.getenv('PYJIT_TEST_OUT'), 'w'))
  f:write(vim.json.encode(out))
  f:close()
  vim.cmd('qa!')
end

local ok, err = xpcall(function()
  local deadline = tonumber(os.getenv('PYJIT_TEST_DEADLINE_MS'))
  vim.opt.runtimepath:prepend(os.getenv('PYJIT_NVIM_CONFIG'))
  vim.lsp.enable('pyjit')
  vim.cmd.edit(os.getenv('PYJIT_TEST_FILE'))
  local buf = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[buf].filetype

  out.attached = vim.wait(deadline, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'pyjit' }) > 0
  end, 20)
  if not out.attached then return end
  local client = vim.lsp.get_clients({ bufnr = buf, name = 'pyjit' })[1]
  out.offset_encoding = client.offset_encoding
  out.root_dir = client.root_dir

  vim.wait(deadline, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  out.diagnostics = {}
  local first
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    first = first or d
    table.insert(out.diagnostics, { lnum = d.lnum, col = d.col, end_col = d.end_col, code = d.code,
                                    source = d.source, message = d.message, severity = d.severity })
  end

  -- Hover at the `+` of line 6 (1-based) `    y = x + n`.
  vim.api.nvim_win_set_cursor(0, { 6, 10 })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, deadline)
  for _, r in pairs(hover or {}) do
    if r.result then out.hover = r.result.contents.value end
  end

  -- Code actions for the first diagnostic, from the diagnostic as Neovim stored it.
  if first then
    local lsp_diagnostic = first.user_data and first.user_data.lsp
    local action_params = {
      textDocument = params.textDocument,
      range = lsp_diagnostic.range,
      context = { diagnostics = { lsp_diagnostic } },
    }
    local actions = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', action_params, deadline)
    out.code_actions = {}
    for _, r in pairs(actions or {}) do
      for _, a in ipairs(r.result or {}) do table.insert(out.code_actions, a.title) end
    end
  end

  -- :PyjitGraph (defined by the shipped on_attach) opens the graph in a split.
  local function graph_at(line)
    vim.api.nvim_set_current_buf(buf)
    vim.api.nvim_win_set_cursor(0, { line, 4 })
    local before = #vim.api.nvim_list_bufs()
    vim.cmd('PyjitGraph')
    vim.wait(deadline, function() return #vim.api.nvim_list_bufs() > before end, 20)
    local shown = vim.api.nvim_get_current_buf()
    local text = shown ~= buf and table.concat(vim.api.nvim_buf_get_lines(shown, 0, -1, false), '\n') or nil
    vim.cmd('only')
    return text
  end
  out.graph = graph_at(6)
  out.failing_graph = graph_at(12)   -- g does not compile: the split says why

  -- Apply the first action (the server's edit) and see the buffer change.
  if first then
    local lsp_diagnostic = first.user_data.lsp
    local actions = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
      textDocument = params.textDocument, range = lsp_diagnostic.range,
      context = { diagnostics = { lsp_diagnostic } },
    }, deadline)
    for _, r in pairs(actions or {}) do
      local action = (r.result or {})[1]
      if action and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
        out.fixed_line = vim.api.nvim_buf_get_lines(buf, lsp_diagnostic.range.start.line,
                                                    lsp_diagnostic.range.start.line + 1, false)[1]
      end
    end
  end
  -- Everything Neovim said to the user meanwhile (the test wants nothing).
  out.messages = vim.fn.execute('messages')
end, debug.traceback)

if not ok then out.error = err end
finish()
