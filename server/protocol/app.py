"""The server instance and which handler answers which method."""

from __future__ import annotations

from lsprotocol import types

from . import features
from .language_server import PyjitServer

SHOW_GRAPH = "pyjit.showGraph"

server = PyjitServer()

server.feature(types.INITIALIZED)(features.initialized)
server.feature(types.TEXT_DOCUMENT_DID_OPEN)(features.did_open)
server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(features.did_change)
server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(features.did_close)
server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(features.did_change_watched_files)
server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(features.did_change_configuration)
server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)(features.did_change_workspace_folders)
server.feature(types.TEXT_DOCUMENT_HOVER)(features.hover)
server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
               types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))(features.code_action)
server.command(SHOW_GRAPH)(features.show_graph)
server.feature(types.SHUTDOWN)(features.shutdown)


@server.feature(types.INITIALIZE)
def _initialize(ls: PyjitServer, params: types.InitializeParams) -> None:
    features.initialize(ls, params)
    # Pull diagnostics only for clients that also take refreshes; the others get
    # them pushed. Advertising both would show every diagnostic twice in Neovim.
    if ls.pull:
        ls.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
            identifier="pyjit", inter_file_dependencies=True, workspace_diagnostics=False))(features.pull_diagnostics)
