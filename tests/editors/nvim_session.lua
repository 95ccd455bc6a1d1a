-- Drives a headless Neovim the way a user's config would: the shipped
-- editors/nvim/lsp/pyjit.lua on 'runtimepath', vim.lsp.enable('pyjit'), open a
-- file, wait for diagnostics, hover, ask for code actions, show the graph.
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

  -- :PyjitShowGraph (defined by the shipped on_attach) opens the graph in a split.
  vim.api.nvim_win_set_cursor(0, { 6, 4 })
  local before = #vim.api.nvim_list_bufs()
  vim.cmd('PyjitShowGraph')
  vim.wait(deadline, function() return #vim.api.nvim_list_bufs() > before end, 20)
  local graph = vim.api.nvim_get_current_buf()
  if graph ~= buf then
    out.graph = table.concat(vim.api.nvim_buf_get_lines(graph, 0, -1, false), '\n')
  end
end, debug.traceback)

if not ok then out.error = err end
finish()
