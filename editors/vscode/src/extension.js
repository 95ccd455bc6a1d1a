// pyjit for VS Code: a thin client. The server (bundled, or from the user's
// environment: see server.js) does the work; this starts it on stdio, hands it
// the `pyjit.*` server settings, shows its state in a language status item, and
// shows `pyjit.showGraph`'s answer in a read-only editor beside the code.
'use strict';

const path = require('path');
const vscode = require('vscode');
const { LanguageClient, State } = require('vscode-languageclient/node');
const python = require('./python');
const { resolveServer, setting, expand } = require('./server');

/** The server's settings: docs/settings.md, pyjit_core.config.SETTINGS (camelCase). */
const SERVER_SETTINGS = ['roots', 'select', 'ignore', 'severity', 'perFileIgnores', 'torchSource', 'python', 'searchPaths',
  'logLevel', 'analysisBudget'];
const PATH_SETTINGS = new Set(['torchSource', 'python']);
/** Settings that change how the server is started: a change restarts it. */
const START_SETTINGS = ['pyjit.path', 'pyjit.interpreter', 'pyjit.importStrategy'];
const GRAPH_SCHEME = 'pyjit-graph';
const INSTALL_HINT = 'pyjit.importStrategy "fromEnvironment" needs `pip install pyjit-torchscript` in that interpreter.';

let client;
let outputChannel;
let status;
let restarting = Promise.resolve();
const graphs = new Map();           // pyjit-graph: URI -> graph text
const graphChanged = new vscode.EventEmitter();
const toolPyjitTables = new Map();  // pyproject.toml path -> its [tool.pyjit] text

/** The `pyjit` section as the server reads it, for a resource (or the window). */
function serverSettings(scope, workspacePython) {
  const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : undefined;
  const out = {};
  for (const key of SERVER_SETTINGS) {
    // `python` names an interpreter: in an untrusted workspace, the user's value only.
    let value = setting(key, scope, { restricted: key === 'python' });
    if (value === undefined || value === null) continue;
    if (PATH_SETTINGS.has(key)) value = expand(value, folder);
    if (key === 'searchPaths') value = value.map((p) => expand(p, folder));
    out[key] = value;
  }
  if (out.python === undefined && workspacePython) out.python = workspacePython;
  return out;
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
  const text = await next('pyjit.showGraph', args);
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

function createClient(serverOptions, workspacePython) {
  return new LanguageClient('pyjit', 'pyjit', serverOptions, {
    documentSelector: [{ scheme: 'file', language: 'python' }, { scheme: 'untitled', language: 'python' }],
    initializationOptions: serverSettings(undefined, workspacePython),
    synchronize: { configurationSection: 'pyjit' },
    outputChannel,
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
            ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined, workspacePython)
            : answers[i]);
        },
      },
    },
  });
}

function showStatus(text, detail, severity) {
  status.text = text;
  status.detail = detail;
  status.severity = severity;
  status.busy = false;
}

async function start(context) {
  status.busy = true;
  const found = await resolveServer(context);
  outputChannel.appendLine(`starting the server: ${found.description}: ` +
                           `${found.serverOptions.command} ${found.serverOptions.args.join(' ')}`);
  client = createClient(found.serverOptions, found.python);
  try {
    await client.start();
    const info = client.initializeResult && client.initializeResult.serverInfo;
    showStatus(`pyjit ${info && info.version ? info.version : ''}`.trim(), found.description,
               vscode.LanguageStatusSeverity.Information);
  } catch (error) {
    showStatus('pyjit: not running', `${found.description}: ${error.message || error}`,
               vscode.LanguageStatusSeverity.Error);
    vscode.window.showErrorMessage(`pyjit: the language server did not start (${error.message || error}). ` +
      `See "pyjit: Show Logs". ${INSTALL_HINT}`);
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running && running.state !== State.Stopped) {
    try {
      await running.stop();
    } catch (error) {
      outputChannel.appendLine(`stopping the server: ${error.message || error}`);
    }
  }
}

/** Restarts, one at a time (a burst of changes restarts once per change, in order). */
function restart(context, why) {
  restarting = restarting.then(async () => {
    outputChannel.appendLine(`restarting the server: ${why}`);
    await stop();
    await start(context);
  });
  return restarting;
}

/** The `[tool.pyjit]` tables of a pyproject.toml, as text (no TOML parser needed to compare). */
function toolPyjitText(text) {
  const lines = text.split(/\r?\n/);
  const out = [];
  let inside = false;
  for (const line of lines) {
    const header = line.match(/^\s*\[\[?\s*([^\]]+?)\s*\]\]?/);
    if (header) inside = header[1] === 'tool.pyjit' || header[1].startsWith('tool.pyjit.');
    if (inside) out.push(line.trim());
  }
  return out.join('\n');
}

async function readToolPyjit(uri) {
  try {
    return toolPyjitText(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
  } catch {
    return '';
  }
}

function watchToolPyjit(context) {
  const watcher = vscode.workspace.createFileSystemWatcher('**/pyproject.toml');
  const changed = async (uri) => {
    const now = await readToolPyjit(uri);
    const before = toolPyjitTables.get(uri.fsPath) || '';
    toolPyjitTables.set(uri.fsPath, now);
    if (now !== before) await restart(context, `[tool.pyjit] changed in ${uri.fsPath}`);
  };
  context.subscriptions.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed),
                             watcher.onDidDelete(changed));
  vscode.workspace.findFiles('**/pyproject.toml', '**/node_modules/**', 50).then(async (uris) => {
    for (const uri of uris) toolPyjitTables.set(uri.fsPath, await readToolPyjit(uri));
  });
}

async function activate(context) {
  outputChannel = vscode.window.createOutputChannel('pyjit');
  status = vscode.languages.createLanguageStatusItem('pyjit.status', { language: 'python' });
  status.name = 'pyjit';
  status.command = { command: 'pyjit.showLogs', title: 'Show Logs' };
  context.subscriptions.push(outputChannel, status);
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(GRAPH_SCHEME, {
    onDidChange: graphChanged.event,
    provideTextDocumentContent: (uri) => graphs.get(uri.toString()) || '',
  }));
  context.subscriptions.push(
    vscode.commands.registerCommand('pyjit.restart', () => restart(context, 'pyjit: Restart Server')),
    vscode.commands.registerCommand('pyjit.showLogs', () => outputChannel.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      const what = START_SETTINGS.find((key) => event.affectsConfiguration(key));
      if (what) restart(context, `${what} changed`);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(context, 'the workspace is trusted now')),
    await python.onDidChangeInterpreter(() => restart(context, 'the selected interpreter changed')),
  );
  watchToolPyjit(context);
  await start(context);
}

async function deactivate() {
  await stop();
}

module.exports = { activate, deactivate, toolPyjitText };
