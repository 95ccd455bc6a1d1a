// The interpreter selected in the Python extension (ms-python.python), through
// its API, when that extension is installed; nothing otherwise.
'use strict';

const vscode = require('vscode');

const PYTHON_EXTENSION = 'ms-python.python';

async function environmentsApi() {
  const extension = vscode.extensions.getExtension(PYTHON_EXTENSION);
  if (!extension) return undefined;
  try {
    if (!extension.isActive) await extension.activate();
    return extension.exports && extension.exports.environments;
  } catch {
    return undefined;   // a broken Python extension must not stop pyjit
  }
}

/** The selected interpreter's executable for `resource` (a Uri or undefined), or undefined. */
async function selectedInterpreter(resource) {
  const environments = await environmentsApi();
  if (!environments) return undefined;
  try {
    const active = environments.getActiveEnvironmentPath(resource);
    const resolved = await environments.resolveEnvironment(active);
    return resolved && resolved.executable && resolved.executable.uri ? resolved.executable.uri.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/** Calls `listener` when the selected interpreter changes; a Disposable. */
async function onDidChangeInterpreter(listener) {
  const environments = await environmentsApi();
  if (!environments || !environments.onDidChangeActiveEnvironmentPath) return new vscode.Disposable(() => {});
  return environments.onDidChangeActiveEnvironmentPath(listener);
}

module.exports = { selectedInterpreter, onDidChangeInterpreter };
