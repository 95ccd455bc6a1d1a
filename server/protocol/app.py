"""The server instance and which handler answers which method."""

from __future__ import annotations

from lsprotocol import types

from . import features
from .client_log import ClientLogHandler, route_logs_to_client
from .language_server import PyjitServer

SHOW_GRAPH = "pyjit.showGraph"

server = PyjitServer()
_client_log: ClientLogHandler | None = None

server.feature(types.INITIALIZED)(features.initialized)
server.feature(types.TEXT_DOCUMENT_DID_OPEN)(features.did_open)
server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(features.did_change)
server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(features.did_close)
server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(features.did_change_watched_files)
server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(features.did_change_configuration)
server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)(features.did_change_workspace_folders)
server.feature(types.TEXT_DOCUMENT_HOVER)(features.hover)
server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))(features.code_lens)
server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
               types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))(features.code_action)
server.command(SHOW_GRAPH)(features.show_graph)


def log_to_client(*, stderr_level: int) -> None:
    """Send the log as ``window/logMessage`` from ``initialize`` to ``shutdown``
    (:mod:`.client_log`); called by ``__main__`` once logging is set up."""
    global _client_log
    _client_log = route_logs_to_client(server, stderr_level=stderr_level)


@server.feature(types.INITIALIZE)
def _initialize(ls: PyjitServer, params: types.InitializeParams) -> None:
    if _client_log is not None:
        _client_log.connect()
    features.initialize(ls, params)
    # Pull diagnostics only for clients that also take refreshes; the others get
    # them pushed. Advertising both would show every diagnostic twice in Neovim.
    if ls.pull:
        ls.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
            identifier="pyjit", inter_file_dependencies=True, workspace_diagnostics=False))(features.pull_diagnostics)


@server.feature(types.SHUTDOWN)
def _shutdown(ls: PyjitServer, params: None) -> None:
    if _client_log is not None:
        _client_log.disconnect()
    features.shutdown(ls, params)
