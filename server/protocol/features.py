"""LSP handlers: take the params apart, ask the server, return. Registered in :mod:`.app`."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

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


async def did_change_workspace_folders(ls: PyjitServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    await ls.folders_changed()


async def pull_diagnostics(ls: PyjitServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    return await ls.pull_diagnostics(params.text_document.uri, params.previous_result_id)


async def hover(ls: PyjitServer, params: types.HoverParams) -> types.Hover | None:
    return await ls.hover(params.text_document.uri, params.position)


async def code_lens(ls: PyjitServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
    return await ls.code_lenses(params.text_document.uri) or None


async def code_action(ls: PyjitServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    only = params.context.only
    actions = [action for action in await ls.code_actions(params)
               if not only or any(str(action.kind).startswith(str(kind)) for kind in only)]
    return actions or None


async def show_graph(ls: PyjitServer, *args: Any) -> str | None:
    return await ls.show_graph(list(args))


def shutdown(ls: PyjitServer, params: None) -> None:
    ls.stop_analyses()
