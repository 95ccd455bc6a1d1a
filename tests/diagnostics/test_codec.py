"""Diagnostics to JSON data and back (the result cache's format): nothing lost, nothing invented."""

from __future__ import annotations

import json

import pytest

from pyjit_core.diagnostics import Applicability, Diagnostic, Edit, Fix, RelatedLocation, Severity, TextRange
from pyjit_core.diagnostics.codec import from_data, to_data

FULL = Diagnostic(
    "PJ410", "Could not export Python function call 'hook'. ünïcode ✓", "pkg/m.py", TextRange(3, 4, 5, 6),
    related=(RelatedLocation("pkg/other.py", TextRange(0, 0, 0, 1), "saved here"),),
    fixes=(Fix("Mark 'hook' @torch.jit.unused", (Edit("pkg/m.py", TextRange(1, 0, 1, 0), "@torch.jit.unused\n"),),
               kind="quickfix", applicability=Applicability.SAFE),
           Fix("Ignore PJ410 on this line", (Edit("pkg/m.py", TextRange(3, 9, 3, 9), "  # pyjit: ignore[PJ410]"),),
               applicability=Applicability.DISPLAY_ONLY)),
    severity_override=Severity.WARNING,
    data={"python_name": "hook", "save_lines": [40], "nested": {"a": None, "b": 1.5}})


def test_every_field_comes_back_equal_through_json():
    back = from_data(json.loads(json.dumps(to_data(FULL))))
    assert back == FULL
    assert (back.severity_override, back.data) == (FULL.severity_override, FULL.data)   # (not compared by ==)


def test_a_plain_diagnostic_comes_back_equal():
    plain = Diagnostic("PJ101", "Lambda aren't supported", "m.py", TextRange(0, 0, 0, 6))
    back = from_data(json.loads(json.dumps(to_data(plain))))
    assert back == plain
    assert (back.severity_override, back.data) == (None, None)


def test_data_that_json_would_change_is_refused():
    with pytest.raises(ValueError, match="JSON"):
        to_data(Diagnostic("PJ101", "m", "m.py", TextRange(0, 0, 0, 1), data={"lines": (1, 2)}))


@pytest.mark.parametrize("damage", [{"code": "PJ999999"}, {"range": [0, 0, 0]}, {"range": [0, 0, 0, "1"]},
                                    {"message": 3}, {"severity": 9}, {"fixes": [{"title": "t"}]}])
def test_anything_else_is_refused(damage):
    raw = {**to_data(FULL), **damage}
    with pytest.raises((KeyError, TypeError, ValueError)):
        from_data(raw)
