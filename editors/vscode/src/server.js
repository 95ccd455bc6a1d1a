// How the server is started: which program, with which interpreter, and what
// it is told about the workspace. The rules (README, "Which server runs"):
//
//   1. `pyjit.path`, a command line (trusted workspaces only);
//   2. importStrategy `fromEnvironment`: `<interpreter> -m pyjit_server` when that
//      interpreter has pyjit installed (trusted workspaces only), else 3;
//   3. `useBundled` (the default): `<interpreter> -I bundled/tool/launch_server.py`,
//      which puts the bundled libraries first (isolated: nothing from the
//      workspace can shadow them).
//
// The interpreter is `pyjit.interpreter`, else the one selected in the Python
// extension, else `python3`. In an untrusted workspace no workspace setting may
// name a program: `pyjit.path`, `pyjit.interpreter`, `pyjit.importStrategy` and
// `pyjit.python` are read from user settings only, and the Python extension's
// selection (often a venv inside the workspace) is not used.
'use strict';

const childProcess = require('child_process');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { TransportKind } = require('vscode-languageclient/node');
const python = require('./python');

const DEFAULT_INTERPRETER = 'python3';

function expand(value, folder) {
  if (typeof value !== 'string') return value;
  const root = folder ? folder.uri.fsPath : (vscode.workspace.workspaceFolders || [])[0]?.uri.fsPath;
  let out = value.replace(/\$\{userHome\}/g, os.homedir());
  if (root) out = out.replace(/\$\{workspaceFolder\}/g, root);
  if (out === '~' || out.startsWith('~/')) out = path.join(os.homedir(), out.slice(1));
  return out;
}

/** A setting of section `pyjit`; in an untrusted workspace, the user's value only. */
function setting(key, scope, { restricted = false } = {}) {
  const config = vscode.workspace.getConfiguration('pyjit', scope);
  if (!restricted || vscode.workspace.isTrusted) return config.get(key);
  const inspected = config.inspect(key);
  return inspected && inspected.globalValue !== undefined ? inspected.globalValue : inspected?.defaultValue;
}

function firstFolder() {
  return (vscode.workspace.workspaceFolders || [])[0];
}

/** [executable, ...args] of the interpreter, and where it came from. */
async function interpreter() {
  const folder = firstFolder();
  const configured = (setting('interpreter', folder?.uri, { restricted: true }) || []).map((p) => expand(p, folder));
  if (configured.length > 0) return { command: configured, source: 'pyjit.interpreter' };
  if (vscode.workspace.isTrusted) {
    const selected = await python.selectedInterpreter(folder?.uri);
    if (selected) return { command: [selected], source: 'the Python extension' };
  }
  return { command: [DEFAULT_INTERPRETER], source: 'default' };
}

function hasPyjit(command) {
  return new Promise((resolve) => {
    childProcess.execFile(command[0], [...command.slice(1), '-I', '-c', 'import pyjit_server'],
                          { timeout: 20000 }, (error) => resolve(!error));
  });
}

/**
 * What to run: { executable, serverOptions, description, python } where `python`
 * is the workspace's interpreter for the server's `python` setting (read, never run, by the server).
 */
async function resolveServer(context) {
  const folder = firstFolder();
  const found = await interpreter();
  const [program, ...programArgs] = found.command;
  const bundled = {
    command: program,
    args: [...programArgs, '-I', context.asAbsolutePath(path.join('bundled', 'tool', 'launch_server.py'))],
    description: `bundled pyjit, run by ${program} (${found.source})`,
  };
  let chosen = bundled;
  const commandLine = (setting('path', folder?.uri, { restricted: true }) || []).map((p) => expand(p, folder));
  const strategy = setting('importStrategy', undefined, { restricted: true });
  if (vscode.workspace.isTrusted && commandLine.length > 0) {
    chosen = { command: commandLine[0], args: commandLine.slice(1), description: `pyjit.path: ${commandLine.join(' ')}` };
  } else if (vscode.workspace.isTrusted && strategy === 'fromEnvironment') {
    if (await hasPyjit(found.command)) {
      chosen = { command: program, args: [...programArgs, '-m', 'pyjit_server'],
                 description: `pyjit from ${program}'s environment (${found.source})` };
    } else {
      chosen = { ...bundled, description: `bundled pyjit (${program} has no pyjit installed)` };
    }
  }
  // With TransportKind.stdio the client appends `--stdio`: the server accepts it.
  const serverOptions = { command: chosen.command, args: chosen.args, transport: TransportKind.stdio,
                          options: { cwd: folder ? folder.uri.fsPath : os.homedir() } };
  return { serverOptions, description: chosen.description, python: found.source === 'default' ? undefined : program };
}

module.exports = { resolveServer, setting, expand };
