"""LSP handlers: fetch the document, ask the server, convert. Registered in :mod:`.app`."""

from __future__ import annotations

import ast
from typing import Any

from lsprotocol import types

from .convert import to_lsp_code_actions
from .language_server import PyjitServer


def initialize(ls: PyjitServer, params: types.InitializeParams) -> None:
    ls.initialize(params)


async def initialized(ls: PyjitServer, params: types.InitializedParams) -> None:
    await ls.initialized()


def did_open(ls: PyjitServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.opened(params.text_document.uri)


def did_change(ls: PyjitServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.changed(params.text_document.uri)


def did_close(ls: PyjitServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.closed(params.text_document.uri)


def did_change_watched_files(ls: PyjitServer, params: types.DidChangeWatchedFilesParams) -> None:
    ls.files_changed(params.changes)


async def did_change_configuration(ls: PyjitServer, params: types.DidChangeConfigurationParams) -> None:
    await ls.configuration_changed(params.settings)


def did_change_workspace_folders(ls: PyjitServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    ls.folders_changed()


async def pull_diagnostics(ls: PyjitServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    return await ls.pull_diagnostics(params.text_document.uri, params.previous_result_id)


async def hover(ls: PyjitServer, params: types.HoverParams) -> types.Hover | None:
    return await ls.hover(params.text_document.uri, params.position)


def code_action(ls: PyjitServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    only = params.context.only
    published = _published(ls, params.text_document.uri)
    # A client may send no diagnostics at all (ALE, with the cursor on a word): then
    # those published at the requested range.
    diagnostics = params.context.diagnostics or [d for d in published if _overlap(d.range, params.range)]
    actions = [action for d in diagnostics for action in to_lsp_code_actions(d, published)
               if not only or any(str(action.kind).startswith(str(kind)) for kind in only)]
    return actions or None


def _overlap(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)
    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _published(ls: PyjitServer, uri: str) -> list[types.Diagnostic]:
    """What was last published (or pulled) for ``uri``, fixes in ``data``: for
    clients that send diagnostics back without their ``data``."""
    analysed = ls.scheduler.latest.get(uri)
    return analysed.diagnostics if analysed is not None else []


async def show_graph(ls: PyjitServer, *args: Any) -> str | None:
    """The graph's text; for a function that does not compile, why (as IR comments)."""
    text = await ls.show_graph(list(args))
    return text if text is not None else _why_no_graph(ls, list(args))


def _why_no_graph(ls: PyjitServer, args: list[Any]) -> str | None:
    if len(args) == 1 and isinstance(args[0], dict):
        args = [args[0].get("uri"), args[0].get("position")]
    if len(args) != 2 or not isinstance(args[0], str) or not isinstance(args[1], dict) or "line" not in args[1]:
        return None
    document = ls.workspace.text_documents.get(args[0])
    function = _enclosing_function(document.source, int(args[1]["line"])) if document is not None else None
    if function is None:
        return None
    first = min([function.lineno, *(d.lineno for d in function.decorator_list)]) - 1
    errors = [d for d in _published(ls, args[0]) if d.severity == types.DiagnosticSeverity.Error
              and first <= d.range.start.line < (function.end_lineno or function.lineno)]
    if not errors:
        return None
    return "".join([f"# '{function.name}' does not compile, so it has no graph:\n",
                    *(f"# line {d.range.start.line + 1}: {d.message.splitlines()[0]} ({d.code})\n" for d in errors)])


def _enclosing_function(source: str, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The innermost function around 0-based ``line`` (read with ``ast``, never run)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    around = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
              and min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1 <= line < (node.end_lineno or 0)]
    return max(around, key=lambda node: node.lineno, default=None)


def shutdown(ls: PyjitServer, params: None) -> None:
    ls.scheduler.shutdown()
    ls.worker.stop()
