"""Found by the fuzzer (tests/fuzz): the text the server analyses is the editor's, whatever
the edits went through, and a fix is never offered with positions of an older text."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_harness import capabilities, edit, open_doc, published, start, write
from lsprotocol import types
from pyjit_server.protocol.documents import LspTextDocument
from pytest_lsp import LanguageClient

SCRIPTED = "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x\n"


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


@pytest.mark.parametrize("separator", ["\x0c", "\x0b", "\x1c", "\x85", "\u2028", "\u2029"])
def test_lines_end_only_where_lsp_ends_them(separator: str) -> None:
    doc = LspTextDocument("file:///a.py", f"a{separator}b\r\nc\rd\n", sync_kind=types.TextDocumentSyncKind.Incremental)
    assert doc.lines == (f"a{separator}b\r\n", "c\r", "d\n")
    doc.apply_change(types.TextDocumentContentChangePartial(range=types.Range(start=at(1, 0), end=at(1, 1)), text="Z"))
    assert doc.source == f"a{separator}b\r\nZ\rd\n"


@pytest.mark.parametrize("text", ["", "\n", "a", "a\n", "a\nb", "a\n\nb\n\n", "a\x0cb\u2028c\n d", "a\r\nb", "a\rb\n",
                                  "\r", "x\n\r\n"])
def test_lines_are_the_same_with_or_without_a_carriage_return_in_the_text(text: str) -> None:
    """Texts without a CR take a faster way to their lines: it gives what the pattern gives."""
    import re

    lines = LspTextDocument("file:///a.py", text).lines
    assert lines == tuple(re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text))
    assert "".join(lines) == text


_TEXTS = ["", "a", "\n", "a\nb", "ab\ncd\n", "x = 1\r\ny = 2\r\n", "a\rb\r\nc\n", "é😀\nz\u2028y\n", "\r\n\r\n",
          "def f(x):\n    return x\n\n\ndef g(y):\n    return y\n"]


@pytest.mark.parametrize("text", _TEXTS)
@pytest.mark.parametrize("sync_kind", [types.TextDocumentSyncKind.Incremental, types.TextDocumentSyncKind.Full])
def test_an_incremental_change_gives_the_text_pygls_gives(text: str, sync_kind: types.TextDocumentSyncKind) -> None:
    """Every range on and around the text -- empty, reversed, past a line's end or the last
    line, inside a CR LF or a surrogate pair -- and what pygls' own loop makes of it."""
    from pygls.workspace.text_document import TextDocument

    count = text.count("\n") + text.count("\r") + 2
    spots = [at(line, character) for line in range(count) for character in (0, 1, 3, 9)]
    for first in spots:
        for last in spots:
            for inserted in ("", "Z", "p\nq\r\n"):
                change = types.TextDocumentContentChangePartial(range=types.Range(start=first, end=last), text=inserted)
                ours = LspTextDocument("file:///a.py", text, sync_kind=sync_kind)
                theirs = LspTextDocument("file:///a.py", text, sync_kind=sync_kind)
                ours.apply_change(change)
                if sync_kind == types.TextDocumentSyncKind.Incremental:
                    TextDocument._apply_incremental_change(theirs, change)
                else:
                    TextDocument.apply_change(theirs, change)
                assert ours.source == theirs.source, (text, first, last, inserted)


@pytest.mark.parametrize("separator", ["\x0c", "\u2028"])
async def test_an_edit_below_a_form_feed_or_line_separator_lands_on_its_line(
        client: LanguageClient, tmp_path: Path, separator: str) -> None:
    text = f"# a comment with a {separator} inside\n" + SCRIPTED
    write(tmp_path, {"m.py": text})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "m.py")
    assert await published(client, uri, version=1) == []
    # An unclosed "(" at the start of line 1: Python says where, if the server's text is the editor's.
    edit(client, uri, 2, types.Range(start=at(1, 0), end=at(1, 0)), "(")
    [d] = await published(client, uri, version=2)
    assert (d.code, d.range.start.line) == ("PJ001", 1)


async def test_a_fix_from_diagnostics_of_an_older_text_is_not_offered_with_its_old_positions(
        client: LanguageClient, tmp_path: Path) -> None:
    text = SCRIPTED + "\n\n@torch.jit.script\ndef g(x: int) -> int:\n    return x.nope()\n"
    write(tmp_path, {"m.py": text})
    await start(client, tmp_path, caps=capabilities())
    uri = open_doc(client, tmp_path / "m.py")
    [old] = await published(client, uri, version=1)
    assert old.data["fixes"]                               # an "ignore on this line" edit, at the line's end
    # An empty line is deleted: the finding moves up a line; the diagnostic the client holds is stale.
    edit(client, uri, 2, types.Range(start=at(1, 0), end=at(2, 0)), "")
    [new] = await published(client, uri, version=2)
    assert new.range.start.line == old.range.start.line - 1
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=old.range,
        context=types.CodeActionContext(diagnostics=[old])))
    lines = {e.range.start.line for a in actions or [] for e in a.edit.changes[uri]}
    assert old.range.start.line not in lines             # where the stale data would put them
    fresh = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=new.range,
        context=types.CodeActionContext(diagnostics=[new])))
    assert {e.range.start.line for a in fresh for e in a.edit.changes[uri]} == {new.range.start.line}


async def test_a_fix_at_the_end_of_a_line_that_changed_since_is_not_offered_at_the_old_end(
        client: LanguageClient, tmp_path: Path) -> None:
    text = SCRIPTED.replace("    return x\n", "    return x.nope()\n")
    write(tmp_path, {"m.py": text})
    await start(client, tmp_path, caps=capabilities())
    uri = open_doc(client, tmp_path / "m.py")
    [old] = await published(client, uri, version=1)
    line = old.range.start.line
    # Text added after the finding, on its line: same range, same message, a longer line.
    edit(client, uri, 2, types.Range(start=at(line, 19), end=at(line, 19)), "  # a comment")
    [new] = await published(client, uri, version=2)
    assert (new.range, new.message) == (old.range, old.message)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=old.range,
        context=types.CodeActionContext(diagnostics=[old])))
    ends = {(e.range.start.line, e.range.start.character) for a in actions or [] for e in a.edit.changes[uri]
            if e.new_text.startswith("  # pyjit: ignore")}
    assert ends == {(line, 19 + len("  # a comment"))}
