// pyjit for VS Code: a thin client. The server (`pyjit-lsp`, or `python -m
// pyjit_server`) does the work; this starts it on stdio, hands it the `pyjit.*`
// settings (the server's own, minus the editor-only `pyjit.server.*`), and shows
// `pyjit.showGraph`'s answer in a read-only editor beside the code.
'use strict';

const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** The server's settings: docs/settings.md, pyjit_core.config.SETTINGS (camelCase). */
const SERVER_SETTINGS = ['roots', 'select', 'ignore', 'severity', 'torchSource', 'python', 'searchPaths', 'logLevel'];
const PATH_SETTINGS = new Set(['torchSource', 'python']);
const GRAPH_SCHEME = 'pyjit-graph';

let client;
const graphs = new Map();           // pyjit-graph: URI -> graph text
const graphChanged = new vscode.EventEmitter();

function expand(value, folder) {
  if (typeof value !== 'string') return value;
  const root = folder ? folder.uri.fsPath : (vscode.workspace.workspaceFolders || [])[0]?.uri.fsPath;
  let out = value.replace(/\$\{userHome\}/g, os.homedir());
  if (root) out = out.replace(/\$\{workspaceFolder\}/g, root);
  if (out === '~' || out.startsWith('~/')) out = path.join(os.homedir(), out.slice(1));
  return out;
}

/** The `pyjit` section as the server reads it, for a resource (or the window). */
function serverSettings(scope) {
  const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : undefined;
  const config = vscode.workspace.getConfiguration('pyjit', scope);
  const out = {};
  for (const key of SERVER_SETTINGS) {
    let value = config.get(key);
    if (value === undefined || value === null) continue;
    if (PATH_SETTINGS.has(key)) value = expand(value, folder);
    if (key === 'searchPaths') value = value.map((p) => expand(p, folder));
    out[key] = value;
  }
  return out;
}

function serverOptions() {
  const config = vscode.workspace.getConfiguration('pyjit');
  const command = (config.get('server.path') || []).map((p) => expand(p));
  const interpreter = expand(config.get('server.interpreter'));
  // With TransportKind.stdio the client appends `--stdio`: the server accepts it.
  if (command.length > 0) return { command: command[0], args: command.slice(1), transport: TransportKind.stdio };
  if (interpreter) return { command: interpreter, args: ['-m', 'pyjit_server'], transport: TransportKind.stdio };
  return { command: 'pyjit-lsp', args: [], transport: TransportKind.stdio };
}

async function showGraph(args, next) {
  if (args.length === 0) {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'python') {
      vscode.window.showInformationMessage('pyjit: open a Python file to see a TorchScript graph.');
      return null;
    }
    args = [editor.document.uri.toString(), client.code2ProtocolConverter.asPosition(editor.selection.active)];
  }
  let text;
  try {
    // Asked directly, not through `next`: the client's own handling of a failed
    // request shows only "Request workspace/executeCommand failed".
    text = await client.sendRequest('workspace/executeCommand', { command: 'pyjit.showGraph', arguments: args });
  } catch (error) {
    // The server says why there is no graph: the function does not compile, and its errors.
    vscode.window.showWarningMessage(`pyjit: ${error.message}`);
    return null;
  }
  if (typeof text !== 'string') {
    vscode.window.showInformationMessage('pyjit: no compiled TorchScript function here.');
    return null;
  }
  const source = typeof args[0] === 'string' && args[0].includes(':') ? vscode.Uri.parse(args[0]) : undefined;
  const name = source ? path.basename(source.path) : String(args[0]);
  const where = source && args[1] && typeof args[1] === 'object' ? `:${args[1].line + 1}` : '';
  const uri = vscode.Uri.from({ scheme: GRAPH_SCHEME, path: `/${name}${where}.ir` });
  graphs.set(uri.toString(), text);
  graphChanged.fire(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true,
                                                   preserveFocus: true });
  return text;
}

function createClient() {
  return new LanguageClient('pyjit', 'pyjit', serverOptions(), {
    documentSelector: [{ scheme: 'file', language: 'python' }, { scheme: 'untitled', language: 'python' }],
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: 'pyjit' },
    outputChannelName: 'pyjit',
    middleware: {
      // The client registers the server's `pyjit.showGraph` as a VS Code command; its
      // calls pass through here, so the palette and menu entries fill in the cursor.
      executeCommand: (command, args, next) =>
        command === 'pyjit.showGraph' ? showGraph(args, next) : next(command, args),
      workspace: {
        // Answer `workspace/configuration` for section `pyjit` with the server's keys only.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, i) => item.section === 'pyjit'
            ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
            : answers[i]);
        },
      },
    },
  });
}

async function activate(context) {
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(GRAPH_SCHEME, {
    onDidChange: graphChanged.event,
    provideTextDocumentContent: (uri) => graphs.get(uri.toString()) || '',
  }));
  context.subscriptions.push(vscode.commands.registerCommand('pyjit.restart', async () => {
    if (client) await client.stop();
    client = createClient();
    await client.start();
  }));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (event.affectsConfiguration('pyjit.server') && client) {
      await vscode.commands.executeCommand('pyjit.restart');
    }
  }));
  client = createClient();
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(`pyjit: the language server did not start (${error.message || error}). ` +
      'Install pyjit (`pip install pyjit`) or set "pyjit.server.interpreter".');
  }
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
