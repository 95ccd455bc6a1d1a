"""The protocol keeps nothing per notification (bench/soak.py found pygls keeping a future
for every didChange: 2 KB an edit, for the life of the server)."""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pyjit_server.protocol.lifecycle import PyjitProtocol


def deliver(ls: LanguageServer, message: dict[str, Any]) -> None:
    ls.protocol.handle_message(ls.protocol.structure_message({"jsonrpc": "2.0", **message}))


def test_handled_notifications_are_not_kept(tmp_path) -> None:
    ls = LanguageServer("t", "1", protocol_cls=PyjitProtocol,
                        text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
    ls.protocol._send_data = lambda data: None          # no client on the other end
    seen: list[int] = []

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def changed(params: types.DidChangeTextDocumentParams) -> None:
        seen.append(params.text_document.version)

    deliver(ls, {"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": tmp_path.as_uri(),
                                                             "capabilities": {}}})
    deliver(ls, {"method": "initialized", "params": {}})
    uri = (tmp_path / "m.py").as_uri()
    deliver(ls, {"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": "x = 1\n"}}})
    for version in range(2, 102):
        deliver(ls, {"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 5}},
                                "text": str(version % 10)}]}})
    assert seen == list(range(2, 102))
    assert ls.workspace.get_text_document(uri).source == "x = 1\n"
    assert len(ls.protocol._request_futures) == 0
