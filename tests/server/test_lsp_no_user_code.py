"""The server never imports or runs the code it analyses, nor anything else in the workspace."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lsp_harness import SERVER_COMMAND, make_client, open_doc, published, start, write
from lsprotocol import types


async def test_a_workspace_with_side_effects_on_import_leaves_no_trace(tmp_path: Path) -> None:
    marker = tmp_path / "IMPORTED"
    # Each module appends its name to the marker when imported, and would also print and exit.
    trace = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\nprint('imported', __name__)\n"
    write(tmp_path, {
        "pyproject.toml": '[tool.pyjit]\nroots = "all"\n',
        "helpers.py": trace + "import torch\n\n\ndef helper(x: torch.Tensor) -> torch.Tensor:\n    return x * 2\n",
        "model.py": trace + textwrap.dedent("""\
            import torch
            import helpers
            import pkg.sub
            from pkg import thing


            @torch.jit.script
            def f(x: torch.Tensor) -> torch.Tensor:
                return helpers.helper(x) + 1


            class M(torch.nn.Module):
                def forward(self, x):
                    return f(x)


            m = torch.jit.script(M())
            torch.jit.save(m, "m.pt")
        """),
        "pkg/__init__.py": trace + "thing = 1\n",
        "pkg/sub.py": trace,
        "conftest.py": trace,
        "setup.py": trace,
        "sitecustomize.py": trace,
        "usercustomize.py": trace,
        "server.py": trace,
        "torch.py": trace,                  # a shadowing torch in the workspace
        "typing.py": trace,
        ".pth": trace,
    })
    client = make_client()
    await client.start_io(*SERVER_COMMAND, cwd=str(tmp_path))   # the workspace is the current directory too
    try:
        await start(client, tmp_path)
        uri = open_doc(client, tmp_path / "model.py")
        await published(client, uri, 1)
        await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=10, character=30)))
        await client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="pyjit.showGraph", arguments=["f"]))
        for name in ("helpers.py", "pkg/__init__.py", "setup.py"):
            await published(client, open_doc(client, tmp_path / name), 1)
        await client.shutdown_session()
    finally:
        await client.stop()
    assert not marker.exists(), marker.read_text()
    assert not (tmp_path / "m.pt").exists()
    assert not any(p.suffix == ".pyc" or p.name == "__pycache__" for p in tmp_path.rglob("*"))
