"""server/protocol/convert.py: code points <-> UTF-16 / UTF-8 units, line breaks, clamping, diagnostics' data."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.protocol import default_converter
from pygls.workspace.position_codec import PositionCodec
from pyjit_server.protocol.convert import (
    Text,
    from_lsp_position,
    split_lines,
    to_lsp_code_actions,
    to_lsp_diagnostic,
    to_lsp_position,
    to_lsp_range,
    to_plain_text,
)
from pyjit_server.protocol.lsp_json import diagnostic_json

from pyjit_core.diagnostics import Diagnostic, Edit, Fix, RelatedLocation, TextRange

UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)
UTF8 = PositionCodec(types.PositionEncodingKind.Utf8)
UTF32 = PositionCodec(types.PositionEncodingKind.Utf32)

LINE = 'x = "é😋"; y = x'    # é: 1 UTF-16 unit / 2 bytes; 😋: 2 units / 4 bytes


def test_split_lines_breaks_only_where_python_and_lsp_do() -> None:
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert split_lines("a\x0cb\u2028c\n") == ["a\x0cb\u2028c", ""]   # form feed and U+2028 are not breaks
    assert split_lines("") == [""]                           # (without a CR: str.split)
    assert split_lines("a\n\nb") == ["a", "", "b"]
    assert split_lines("a\n\rb\r\n") == ["a", "", "b", ""]


@pytest.mark.parametrize(('codec', 'units'), [(UTF16, [0, 5, 6, 8, 9, 15]), (UTF8, [0, 5, 7, 11, 12, 18]),
                                          (UTF32, [0, 5, 6, 7, 8, 14])])
def test_columns_round_trip(codec: PositionCodec, units: list[int]) -> None:
    text = Text.of(f"first\n{LINE}\n", codec)
    for code_point, unit in zip([0, 5, 6, 7, 8, 14], units, strict=False):
        assert to_lsp_position(1, code_point, text) == types.Position(line=1, character=unit)
        assert from_lsp_position(types.Position(line=1, character=unit), text) == (1, code_point)


def test_positions_are_clamped_into_the_text() -> None:
    text = Text.of("ab\ncd", UTF16)
    assert from_lsp_position(types.Position(line=0, character=99), text) == (0, 2)
    assert from_lsp_position(types.Position(line=9, character=0), text) == (1, 2)
    assert to_lsp_position(0, 99, text) == types.Position(line=0, character=2)
    assert to_lsp_position(5, 0, text) == types.Position(line=1, character=2)


def test_an_input_position_is_not_modified() -> None:
    text = Text.of("ab\ncd", UTF16)
    position = types.Position(line=0, character=99)
    from_lsp_position(position, text)
    assert position.character == 99


def test_crlf_lines_keep_their_columns() -> None:
    text = Text.of(f"a\r\n{LINE}\r\n", UTF16)
    assert to_lsp_range(TextRange(1, 7, 1, 8), text) == types.Range(
        start=types.Position(line=1, character=8), end=types.Position(line=1, character=9))


def test_a_diagnostic_and_its_fix_convert_and_come_back_as_a_code_action() -> None:
    path = "/w/m.py"
    text = Text.of(f"import torch\n{LINE}\n", UTF16)
    d = Diagnostic("PJ210", "no attribute", path, TextRange(1, 14, 1, 15),
                   related=(RelatedLocation(path, TextRange(1, 0, 1, 1), "defined here"),
                            RelatedLocation("/elsewhere/o.py", TextRange(0, 3, 0, 4), "and there")),
                   fixes=(Fix("Ignore PJ210 on this line",
                              (Edit(path, TextRange(1, 15, 1, 15), "  # pyjit: ignore[PJ210]"),)),))
    others = {"/elsewhere/o.py": Text.of("😋😋😋😋\n", UTF16)}
    lsp = to_lsp_diagnostic(d, text, other=others.get)
    assert (lsp.source, lsp.code, lsp.severity) == ("pyjit", "PJ210", types.DiagnosticSeverity.Error)
    assert lsp.code_description.href == d.rule.url
    assert lsp.range.start.character == 15
    assert [r.location.range.start.character for r in lsp.related_information] == [0, 6]
    assert lsp.related_information[1].location.uri == "file:///elsewhere/o.py"
    (action,) = to_lsp_code_actions(lsp)
    assert action.title == "Ignore PJ210 on this line"
    (edit,) = action.edit.changes["file:///w/m.py"]
    assert edit.range.start == types.Position(line=1, character=16)
    assert edit.new_text == "  # pyjit: ignore[PJ210]"


def test_only_pyjit_diagnostics_with_data_give_actions() -> None:
    rng = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=1))
    assert to_lsp_code_actions(types.Diagnostic(range=rng, message="m", source="ruff", data={"fixes": []})) == []
    assert to_lsp_code_actions(types.Diagnostic(range=rng, message="m", source="pyjit", data=None)) == []


def test_plain_text_hovers_keep_the_ir_and_drop_the_markup() -> None:
    markdown = ("```text\naten::add.Tensor(Tensor self) -> Tensor\n%y : Tensor = aten::add(%x, %n, %1)\n```\n\n"
                "- result: `Tensor`\n\n---\n\n```text\nx : Tensor\n```\nvariable in `f`; also `int`")
    assert to_plain_text(markdown) == (
        "aten::add.Tensor(Tensor self) -> Tensor\n%y : Tensor = aten::add(%x, %n, %1)\n\n"
        "- result: Tensor\n\n"
        "x : Tensor\nvariable in f; also int")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_a_diagnostic_as_json_is_what_pygls_sends_for_it(encoding: str) -> None:
    # The handshake publishes diagnostic_json before pygls is up; pygls publishes the
    # lsprotocol Diagnostic made from it. The client must not be able to tell them apart.
    path = "/w/m.py"
    lines = split_lines(f"import torch\n{LINE}\n")
    d = Diagnostic("PJ210", "no attribute", path, TextRange(1, 14, 1, 99),
                   related=(RelatedLocation("/elsewhere/o.py", TextRange(0, 3, 0, 4), "there"),
                            RelatedLocation("/unreadable.py", TextRange(2, 3, 2, 4), "unread")),
                   fixes=(Fix("Ignore", (Edit(path, TextRange(1, 15, 1, 15), "  # x"),
                                         Edit("/unreadable.py", TextRange(0, 0, 0, 0), "y"))),))
    others = {"/elsewhere/o.py": ["😋😋😋😋"]}
    sent = diagnostic_json(d, lines, encoding, other=others.get)
    converter = default_converter()
    assert converter.unstructure(converter.structure(sent, types.Diagnostic)) == sent
    assert sent["range"]["end"] == {"line": 1, "character": {"utf-16": 16, "utf-8": 19, "utf-32": 15}[encoding]}
    assert [r["location"]["range"]["start"]["character"] for r in sent["relatedInformation"]] == [
        {"utf-16": 6, "utf-8": 12, "utf-32": 3}[encoding], 3]          # unreadable: the numbers as they are
    assert [e["uri"] for e in sent["data"]["fixes"][0]["edits"]] == ["file:///w/m.py"]   # unreadable: left out


def test_a_diagnostic_without_related_locations_has_no_such_key_as_pygls_leaves_it_out() -> None:
    d = Diagnostic("PJ210", "no attribute", "/w/m.py", TextRange(0, 0, 0, 1))
    sent = diagnostic_json(d, ["x"], "utf-16", other=lambda path: None)
    assert "relatedInformation" not in sent
    converter = default_converter()
    assert converter.unstructure(converter.structure(sent, types.Diagnostic)) == sent
