"""The language server in a hostile workspace runs nothing of it (see docs/security.md): open,
edit, hover, code actions, showGraph, pulled diagnostics and a recycled worker, with the workspace
as the server's working directory and its ``python`` entry also sent as an editor setting."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from lsprotocol import types

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from lsp_harness import DEADLINE, capabilities, edit, make_client, open_doc, start
from planted import environment_without_python_path, plant, traces

# The installed console script, as every shipped editor configuration starts it (``python -m
# pyjit_server`` from the workspace would let Python resolve ``-m`` there: docs/security.md).
PYJIT_LSP = str(Path(sys.executable).parent / "pyjit-lsp")


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


async def test_open_edit_hover_code_actions_and_show_graph_leave_no_trace(tmp_path: Path) -> None:
    await asyncio.wait_for(_session(tmp_path), DEADLINE)


async def _session(tmp_path: Path) -> None:
    marker = plant(tmp_path)
    env = environment_without_python_path()
    env["PYJIT_LSP_WORKER_MEMORY_MB"] = "1"      # every analysis past the ceiling: the worker is recycled
    client = make_client()
    await client.start_io(PYJIT_LSP, cwd=str(tmp_path), env=env)
    try:
        await start(client, tmp_path, caps=capabilities(pull=True),
                    options={"python": str(tmp_path / "evil.sh"), "roots": "all"})
        model, helpers = tmp_path / "model.py", tmp_path / "pkg" / "helpers.py"
        uri = open_doc(client, model)
        open_doc(client, helpers)
        identifier = types.TextDocumentIdentifier(uri=uri)
        first = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=identifier))
        edit(client, uri, 2, types.Range(start=at(8, 0), end=at(8, 0)), "    y = x.nope()\n")
        second = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=identifier))
        assert first.items is not None
        assert second.items, "the edited file was analysed"
        await client.text_document_hover_async(types.HoverParams(text_document=identifier, position=at(9, 20)))
        for d in second.items:
            await client.text_document_code_action_async(types.CodeActionParams(
                text_document=identifier, range=d.range, context=types.CodeActionContext(diagnostics=[d])))
            await client.text_document_code_action_async(types.CodeActionParams(
                text_document=identifier, range=d.range, context=types.CodeActionContext(diagnostics=[])))
        graphs = [await client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="pyjit.showGraph", arguments=arguments))
            for arguments in (["f"], [uri, {"line": 9, "character": 4}], [uri, "M.forward"])]
        assert None not in graphs, "every showGraph was answered (a replaced worker analyses again first)"
        assert graphs[0].startswith("# 'f' does not compile"), graphs   # the edit broke f: it is said why
        await client.shutdown_session()
    finally:
        if client._server is not None and client._server.returncode is None:   # a failed step: no exit sent
            client._server.kill()
        await client.stop()
    assert traces(tmp_path, marker) == []
