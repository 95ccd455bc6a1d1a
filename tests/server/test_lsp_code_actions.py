"""Code actions: every fix a diagnostic carries, applied through the client and re-checked."""

from __future__ import annotations

import ast
import collections
import textwrap
from pathlib import Path

import pytest
from lsp_harness import apply_text_edits, capabilities, open_doc, published, replace_all, start, write
from lsprotocol import types
from pytest_lsp import LanguageClient

# Several kinds of finding, each with its fixes: a compile error (ignore only), an
# eager module frozen (Script it + ignore), an unused suppression (remove it), a
# line that already suppresses another code, a non-ASCII line, a line inside brackets.
SOURCE = textwrap.dedent("""\
    import torch


    class Model(torch.nn.Module):
        def forward(self, x):
            return x + 1


    @torch.jit.script
    def f(x: torch.Tensor, c: bool) -> torch.Tensor:
        s = "é😋"; y = x.no_such_method()
        if c:  # pyjit: ignore[PJ401]
            z = 1
        w = [x.nope(),
             x]
        return x + z


    frozen = torch.jit.freeze(Model())
    unused = 1  # pyjit: ignore[PJ401]
""")


async def code_actions(client: LanguageClient, uri: str, d: types.Diagnostic,
                       only: list[str] | None = None) -> list[types.CodeAction]:
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=d.range,
        context=types.CodeActionContext(diagnostics=[d], only=only))) or []


def key(d: types.Diagnostic) -> tuple[str, str]:
    return (str(d.code), d.message)


@pytest.mark.parametrize(("client_name", "encoding"), [("visual-studio-code", "utf-16"), ("neovim", "utf-8")])
async def test_every_fix_applies_and_resolves_its_diagnostic(client: LanguageClient, tmp_path: Path,
                                                             client_name: str, encoding: str) -> None:
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path, caps=capabilities(client_name))
    uri = open_doc(client, tmp_path / "model.py")
    diagnostics = await published(client, uri, version=1)
    codes = sorted(str(d.code) for d in diagnostics)
    assert {"PJ210", "PJ202", "PJ501", "PJ902"} <= set(codes), codes
    version, tried = 1, 0
    for d in diagnostics:
        actions = await code_actions(client, uri, d)
        titles = [a.title for a in actions]
        assert f"Ignore {d.code} on this line" in titles or d.code == "PJ902", titles
        for action in actions:
            assert action.kind == types.CodeActionKind.QuickFix
            assert list(action.diagnostics) == [d]
            (edits,) = action.edit.changes.values()
            fixed = apply_text_edits(SOURCE, edits, encoding)
            ast.parse(fixed)   # every edit keeps the file valid Python
            version += 1
            replace_all(client, uri, version, fixed)
            after = collections.Counter(key(x) for x in await published(client, uri, version=version))
            before = collections.Counter(key(x) for x in diagnostics)
            assert after[key(d)] == before[key(d)] - 1, (action.title, fixed)
            tried += 1
    assert tried >= len(diagnostics) + 1   # "Script it" comes on top of the ignores


async def test_script_it_wraps_the_argument(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "model.py")
    (d,) = [d for d in await published(client, uri, version=1) if d.code == "PJ501"]
    (action,) = [a for a in await code_actions(client, uri, d) if a.title.startswith("Script it")]
    (edits,) = action.edit.changes.values()
    assert "frozen = torch.jit.freeze(torch.jit.script(Model())" in apply_text_edits(SOURCE, edits)


async def test_ignore_adds_to_an_existing_suppression(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "model.py")
    (d,) = [d for d in await published(client, uri, version=1) if d.code == "PJ202"]
    (action,) = [a for a in await code_actions(client, uri, d) if a.title == "Ignore PJ202 on this line"]
    (edits,) = action.edit.changes.values()
    assert "    if c:  # pyjit: ignore[PJ401, PJ202]\n" in apply_text_edits(SOURCE, edits)


async def test_only_filters_by_kind_and_foreign_diagnostics_get_nothing(client: LanguageClient,
                                                                        tmp_path: Path) -> None:
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "model.py")
    d = (await published(client, uri, version=1))[0]
    assert list(await code_actions(client, uri, d, only=[types.CodeActionKind.Refactor])) == []
    assert await code_actions(client, uri, d, only=[types.CodeActionKind.QuickFix]) != []
    foreign = types.Diagnostic(range=d.range, message="something", source="pyright", code="reportFoo")
    assert list(await code_actions(client, uri, foreign)) == []


async def test_a_client_that_echoes_no_data_gets_the_same_actions(client: LanguageClient, tmp_path: Path) -> None:
    # Vim's ALE sends back code, message and range only: the server finds the rest in what it published.
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path, caps=capabilities("neovim"))
    uri = open_doc(client, tmp_path / "model.py")
    diagnostics = await published(client, uri, version=1)
    for d in diagnostics:
        bare = types.Diagnostic(range=d.range, message=d.message, code=d.code)
        with_data = [(a.title, a.edit) for a in await code_actions(client, uri, d)]
        assert [(a.title, a.edit) for a in await code_actions(client, uri, bare)] == with_data
        assert with_data or d.code == "PJ902"


async def test_a_client_that_sends_no_diagnostics_gets_those_at_the_range(client: LanguageClient,
                                                                           tmp_path: Path) -> None:
    # ALE sends an empty list when the cursor is on a word.
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path, caps=capabilities("neovim"))
    uri = open_doc(client, tmp_path / "model.py")
    (d,) = [d for d in await published(client, uri, version=1) if d.code == "PJ210" and "no_such" in d.message]
    inside = types.Position(line=d.range.start.line, character=d.range.start.character + 3)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=types.Range(start=inside, end=inside),
        context=types.CodeActionContext(diagnostics=[])))
    assert [(a.title, list(a.diagnostics)) for a in actions] == [("Ignore PJ210 on this line", [d])]
    elsewhere = types.Position(line=0, character=0)
    assert await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=types.Range(start=elsewhere, end=elsewhere),
        context=types.CodeActionContext(diagnostics=[]))) is None


async def test_a_client_that_sends_the_diagnostic_back_without_data_gets_the_same_fixes(client: LanguageClient,
                                                                                       tmp_path: Path) -> None:
    """Vim's ALE and some Emacs setups keep a diagnostic's range, code and source, not its ``data``:
    the worker finds the fixes on the document's current result."""
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "model.py")
    diagnostics = await published(client, uri, version=1)
    for d in diagnostics:
        bare = types.Diagnostic(range=d.range, message=d.message, severity=d.severity, code=d.code, source=d.source)
        with_data = [(a.title, a.edit) for a in await code_actions(client, uri, d)]
        without = await code_actions(client, uri, bare)
        assert [(a.title, a.edit) for a in without] == with_data, d.code
        assert all(list(a.diagnostics) == [bare] for a in without)
