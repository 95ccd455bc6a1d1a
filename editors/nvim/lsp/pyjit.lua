-- pyjit: TorchScript diagnostics, hovers and IR previews for Python files.
--
-- Neovim >= 0.11. Put the folder holding this `lsp/` directory on 'runtimepath'
-- (or copy this file to ~/.config/nvim/lsp/pyjit.lua), then:
--
--   vim.lsp.enable('pyjit')
--
-- Settings (docs/settings.md) go under `settings.pyjit`, for example:
--
--   vim.lsp.config('pyjit', { settings = { pyjit = { roots = 'modules' } } })
--
-- `[tool.pyjit]` in pyproject.toml wins over these. The server must be on $PATH
-- (`pip install pyjit-torchscript` provides `pyjit-lsp`); otherwise set
-- `cmd = { '/path/to/python', '-m', 'pyjit_server' }`.

--- Open the TorchScript graph of the function under the cursor in a scratch split
--- (for a function that does not compile, the server answers why, as comments).
local function show_graph(client, bufnr)
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  client:request('workspace/executeCommand', {
    command = 'pyjit.showGraph',
    arguments = { params.textDocument.uri, params.position },
  }, function(err, result)
    if err then
      vim.notify('pyjit: ' .. err.message, vim.log.levels.ERROR)
      return
    end
    if type(result) ~= 'string' then
      vim.notify('pyjit: no compiled TorchScript function here', vim.log.levels.INFO)
      return
    end
    vim.cmd('vnew')
    local graph = vim.api.nvim_get_current_buf()
    vim.bo[graph].buftype = 'nofile'
    vim.bo[graph].bufhidden = 'wipe'
    vim.bo[graph].swapfile = false
    vim.api.nvim_buf_set_lines(graph, 0, -1, false, vim.split(result, '\n', { trimempty = true }))
    vim.bo[graph].modifiable = false
    vim.b[graph].pyjit_graph_of = vim.api.nvim_buf_get_name(bufnr)
  end, bufnr)
end

---@type vim.lsp.Config
return {
  cmd = { 'pyjit-lsp' },
  filetypes = { 'python' },
  root_markers = { 'pyproject.toml', 'setup.py', 'setup.cfg', '.git' },
  -- vim.empty_dict(): an empty Lua table would reach the server as a list, `[]`.
  settings = { pyjit = vim.empty_dict() },
  -- The same settings up front, as initializationOptions (unless some are set there already):
  -- a second start can then show its cached diagnostics before the server has asked for them.
  before_init = function(params, config)
    if params.initializationOptions == nil then
      params.initializationOptions = vim.tbl_get(config, 'settings', 'pyjit') or vim.empty_dict()
    end
  end,
  on_attach = function(client, bufnr)
    vim.api.nvim_buf_create_user_command(bufnr, 'PyjitGraph', function()
      show_graph(client, bufnr)
    end, { desc = 'pyjit: show the TorchScript graph of the function under the cursor' })
  end,
}
