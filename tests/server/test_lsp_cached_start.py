"""A second start publishes its cached diagnostics before pygls is up (server/protocol/handshake.py).

The proof is by events. The document's analysis waits for a file to exist
(server/worker/test_hooks.py), and the client holds back its answer to
``workspace/configuration``, without which the server itself publishes
nothing cached (it waits for the editor's settings). So diagnostics that
arrive before either is released were published by the handshake.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsp_harness import BROKEN_AND_FINE, PLUS_IN_FINE, RawServer, uri_of
from pyjit_server.protocol.handshake import settings_said_up_front

SETTINGS = {"logLevel": "info"}
CAPABILITIES = {"workspace": {"configuration": True},
                "textDocument": {"publishDiagnostics": {"versionSupport": True}}}


def cache_env(tmp_path: Path) -> dict[str, str]:
    return {"PYJIT_CACHE_DIR": str(tmp_path / "cache"), "PYJIT_NO_CACHE": "0"}


def is_publish(uri: str):
    return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri


def is_configuration_request(m: dict) -> bool:
    return m.get("method") == "workspace/configuration"


def answer(server: RawServer, request: dict, settings: dict) -> None:
    server.send({"jsonrpc": "2.0", "id": request["id"], "result": [settings for _ in request["params"]["items"]]})


def open_session(server: RawServer, root: Path, path: Path, *, options: Any = SETTINGS,
                 capabilities: dict = CAPABILITIES) -> str:
    """initialize, initialized, didOpen, sent back to back as editors do; the document's uri."""
    uri = uri_of(path)
    params: dict[str, Any] = {"processId": None, "rootUri": uri_of(root), "capabilities": capabilities}
    if options is not None:
        params["initializationOptions"] = options
    server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params},
                {"jsonrpc": "2.0", "method": "initialized", "params": {}},
                {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                    "uri": uri, "languageId": "python", "version": 1, "text": path.read_text()}}})
    return uri


def hover_answered(server: RawServer, uri: str) -> dict:
    """A hover on the `+` of `fine`, answered once the analysis has ended."""
    line, character = PLUS_IN_FINE
    server.send({"jsonrpc": "2.0", "id": "hover", "method": "textDocument/hover",
                 "params": {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}})
    return server.next_where(lambda m: m.get("id") == "hover")


def first_start(tmp_path: Path, path: Path, *, options: Any = SETTINGS) -> dict:
    """A first start (the cache empty, the analysis let through): what it publishes."""
    server = RawServer(cache_env(tmp_path), tmp_path / "first.log")
    try:
        uri = open_session(server, tmp_path, path, options=options)
        answer(server, server.next_where(is_configuration_request), SETTINGS)
        return server.next_where(is_publish(uri))
    finally:
        server.close()


def gated_model(tmp_path: Path) -> tuple[Path, Path]:
    gate = tmp_path / "gate"
    path = tmp_path / "model.py"
    path.write_text(BROKEN_AND_FINE + f"# pyjit-test: wait-for {gate}\n")
    gate.touch()
    return path, gate


def test_a_second_start_publishes_the_cached_diagnostics_before_the_server_is_up_and_once(tmp_path: Path) -> None:
    path, gate = gated_model(tmp_path)
    fresh = first_start(tmp_path, path)
    assert [d["code"] for d in fresh["params"]["diagnostics"]] == ["PJ210"]
    gate.unlink()

    server = RawServer(cache_env(tmp_path), tmp_path / "second.log")
    try:
        uri = open_session(server, tmp_path, path)
        early = server.next_where(is_publish(uri))
        # Neither the analysis (gated) nor the server (its settings question unanswered) could have sent it.
        assert not gate.exists()
        assert early == fresh                      # the same JSON, byte for byte as pygls sends it
        answer(server, server.next_where(is_configuration_request), SETTINGS)
        gate.touch()
        assert "contents" in hover_answered(server, uri)["result"]    # the analysis has ended
    finally:
        log = server.close()
    assert [m for m in server.received if is_publish(uri)(m)] == [early]   # the equal result: not sent again
    assert "showed the cached diagnostics of model.py (version 1) ahead of the server" in log


def test_cached_diagnostics_shown_ahead_are_replaced_when_the_answered_settings_differ(tmp_path: Path) -> None:
    path, gate = gated_model(tmp_path)
    first_start(tmp_path, path)
    gate.unlink()

    server = RawServer(cache_env(tmp_path), tmp_path / "second.log")
    try:
        uri = open_session(server, tmp_path, path)
        early = server.next_where(is_publish(uri))
        assert [d["code"] for d in early["params"]["diagnostics"]] == ["PJ210"]
        # The editor's answer ignores what was shown: the analysis' result (none) replaces it.
        answer(server, server.next_where(is_configuration_request), {**SETTINGS, "ignore": ["PJ210"]})
        gate.touch()
        replaced = server.next_where(is_publish(uri))
    finally:
        server.close()
    assert replaced["params"] == {"uri": uri, "version": 1, "diagnostics": []}


def test_a_client_that_will_be_asked_for_its_settings_and_gave_none_waits_for_its_answer(tmp_path: Path) -> None:
    path, gate = gated_model(tmp_path)
    first_start(tmp_path, path, options=None)
    gate.unlink()

    server = RawServer(cache_env(tmp_path), tmp_path / "second.log")
    try:
        uri = open_session(server, tmp_path, path, options=None)
        answer(server, server.next_where(is_configuration_request), SETTINGS)
        server.next_where(is_publish(uri))         # the cached diagnostics (the analysis is gated)
        gate.touch()
    finally:
        log = server.close()
    assert "showed the cached diagnostics of model.py (version 1)\n" in log
    assert "ahead of the server" not in log


def test_which_clients_said_their_settings_up_front() -> None:
    askable = {"workspace": {"configuration": True}}
    assert settings_said_up_front({"capabilities": askable, "initializationOptions": {}})
    assert settings_said_up_front({"capabilities": {}})                # cannot be asked: these are all
    assert not settings_said_up_front({"capabilities": askable})
    assert not settings_said_up_front({"capabilities": askable, "initializationOptions": None})


def test_settings_changed_before_the_server_is_up_are_heeded_by_a_client_that_cannot_be_asked(tmp_path: Path) -> None:
    # Such a client's didChangeConfiguration is its settings (the server cannot ask): cached
    # diagnostics that these settings would not give are never shown, ahead or after.
    unaskable = {"textDocument": {"publishDiagnostics": {"versionSupport": True}}}
    path, _ = gated_model(tmp_path)
    server = RawServer(cache_env(tmp_path), tmp_path / "first.log")
    try:
        uri = open_session(server, tmp_path, path, capabilities=unaskable)
        assert [d["code"] for d in server.next_where(is_publish(uri))["params"]["diagnostics"]] == ["PJ210"]
    finally:
        server.close()

    server = RawServer(cache_env(tmp_path), tmp_path / "second.log")
    try:
        uri = uri_of(path)
        params = {"processId": None, "rootUri": uri_of(tmp_path), "capabilities": unaskable,
                  "initializationOptions": SETTINGS}
        server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params},
                    {"jsonrpc": "2.0", "method": "initialized", "params": {}},
                    {"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration",
                     "params": {"settings": {"pyjit": {**SETTINGS, "ignore": ["PJ210"]}}}},
                    {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                        "uri": uri, "languageId": "python", "version": 1, "text": path.read_text()}}})
        first = server.next_where(is_publish(uri))
    finally:
        log = server.close()
    assert first["params"]["diagnostics"] == []
    assert "ahead of the server" not in log
