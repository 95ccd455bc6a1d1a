"""Pushed diagnostics: what they carry, versions, edits, staleness, silence outside compiled code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lsp_harness import capabilities, edit, open_doc, published, replace_all, start, uri_of, versions_published, write
from lsprotocol import types
from pytest_lsp import LanguageClient

from pyjit_core.diagnostics import CATALOG

BAD = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor) -> torch.Tensor:
        y = x + 1
        return y.no_such_method()
""")

BRANCH = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(c: bool) -> int:
        if c:
            y = 1
        return y
""")

PLAIN = textwrap.dedent("""\
    import os


    def f(x):
        return x.no_such_method() + os.sep
""")


def big_file(functions: int) -> str:
    parts = ["import torch", ""]
    for i in range(functions):
        parts += ["", "@torch.jit.script", f"def f{i}(x: torch.Tensor, n: int) -> torch.Tensor:",
                  "    y = x + n", "    for i in range(n):", "        y = torch.relu(y) * 2 - x",
                  "    if n > 3:", "        y = y.sum(0)", "    return y"]
    return "\n".join(parts) + "\n"


async def test_a_diagnostic_carries_everything(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": BAD})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "bad.py")
    (d,) = await published(client, uri, version=1)
    assert d.code == "PJ210"
    assert d.source == "pyjit"
    assert d.message == "'Tensor' object has no attribute or method 'no_such_method'."
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.code_description.href == CATALOG["PJ210"].url
    assert d.range == types.Range(start=types.Position(line=6, character=11), end=types.Position(line=6, character=27))
    titles = [fix["title"] for fix in d.data["fixes"]]
    assert "Ignore PJ210 on this line" in titles


async def test_related_information_points_at_the_use(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"branch.py": BRANCH})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "branch.py")
    (d,) = await published(client, uri, version=1)
    assert d.code == "PJ202"
    (related,) = d.related_information
    assert related.location.uri == uri
    assert related.location.range.start == types.Position(line=7, character=11)
    assert related.message == "and was used here"


async def test_incremental_edits_republish_with_the_new_version(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": BAD})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "bad.py")
    assert len(await published(client, uri, version=1)) == 1
    # `y.no_such_method()` -> `y.sum()`: an incremental change of line 6, columns 13..27
    edit(client, uri, 2, types.Range(start=types.Position(line=6, character=13),
                                     end=types.Position(line=6, character=27)), "sum")
    assert await published(client, uri, version=2) == []
    edit(client, uri, 3, types.Range(start=types.Position(line=6, character=13),
                                     end=types.Position(line=6, character=16)), "nope")
    (d,) = await published(client, uri, version=3)
    assert "'nope'" in d.message


async def test_results_for_an_old_version_are_never_published(client: LanguageClient, tmp_path: Path) -> None:
    """Version 1 takes long to analyse; version 2 arrives meanwhile: only 2 is published."""
    text = big_file(600)
    write(tmp_path, {"big.py": text})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "big.py", text)
    replace_all(client, uri, 2, text.replace("return y\n", "return y.no_such_method()\n", 1))
    diagnostics = await published(client, uri, version=2)
    assert [d.code for d in diagnostics] == ["PJ210"]
    assert versions_published(client, uri) == [2]


async def test_a_burst_of_edits_publishes_only_matching_results(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": BAD})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "bad.py")
    await published(client, uri, version=1)
    good = BAD.replace("no_such_method", "sum")
    for version in range(2, 12):
        replace_all(client, uri, version, BAD if version % 2 else good)
    await published(client, uri, version=11)
    seen = versions_published(client, uri)
    assert seen == sorted(set(seen))
    assert seen[-1] == 11
    for p in client.published:
        if p.uri == uri:   # odd versions have the error, even ones are clean
            assert len(p.diagnostics) == p.version % 2, p.version


async def test_closing_clears_the_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": BAD})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "bad.py")
    await published(client, uri, version=1)
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    assert await published(client, uri, version=None) == []
    assert client.published[-1].version is None


async def test_plain_python_is_left_alone(client: LanguageClient, tmp_path: Path) -> None:
    """No compiled code, no diagnostics: not even for a syntax error pyright and ruff already report."""
    write(tmp_path, {"plain.py": PLAIN, "broken.py": "def f(:\n    pass\n", "bad.py": BAD})
    await start(client, tmp_path)
    for name in ("plain.py", "broken.py"):
        assert await published(client, open_doc(client, tmp_path / name), version=1) == []


async def test_a_syntax_error_in_a_torchscript_file_is_reported(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": BAD})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "bad.py")
    await published(client, uri, version=1)
    replace_all(client, uri, 2, BAD.replace("def f(x", "def f(:x"))
    assert [d.code for d in await published(client, uri, version=2)] == ["PJ001"]


@pytest.mark.parametrize(("client_name", "encoding", "start_char"), [
    ("visual-studio-code", "utf-16", 21),   # code point 20; "😋" is 2 UTF-16 code units
    ("neovim", "utf-8", 23),                # ... and 4 UTF-8 bytes
])
async def test_columns_are_in_the_negotiated_encoding(client: LanguageClient, tmp_path: Path, client_name: str,
                                                      encoding: str, start_char: int) -> None:
    source = BAD.replace("        return y.no_such_method()", '        s = "😋"; return y.no_such_method()')
    source = source.replace("    return y.no_such_method()", '    s = "😋"; return y.no_such_method()')
    write(tmp_path, {"emoji.py": source})
    await start(client, tmp_path, caps=capabilities(client_name))
    uri = open_doc(client, tmp_path / "emoji.py")
    (d,) = await published(client, uri, version=1)
    assert d.range.start == types.Position(line=6, character=start_char)
    assert d.range.end.character - d.range.start.character == len("y.no_such_method")


async def test_severity_and_enablement_follow_the_settings(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": BAD, "branch.py": BRANCH})
    await start(client, tmp_path, options={"severity": {"PJ210": "warning", "PJ202": "off"}})
    (d,) = await published(client, open_doc(client, tmp_path / "bad.py"), version=1)
    assert d.severity == types.DiagnosticSeverity.Warning
    assert await published(client, open_doc(client, tmp_path / "branch.py"), version=1) == []


async def test_documents_outside_the_workspace_are_checked_too(client: LanguageClient, tmp_path: Path) -> None:
    inside, outside = tmp_path / "ws", tmp_path / "elsewhere"
    write(outside, {"bad.py": BAD})
    inside.mkdir()
    await start(client, inside)
    uri = open_doc(client, outside / "bad.py")
    assert uri == uri_of(outside / "bad.py")
    assert [d.code for d in await published(client, uri, version=1)] == ["PJ210"]
