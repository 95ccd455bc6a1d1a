"""Every ``--output-format`` on one shared set of findings, compared with committed snapshots.

The findings are made by hand (``cli_findings.py``), so that a change in what
the analysis finds never moves these files. ``PYJIT_UPDATE_SNAPSHOTS=1``
rewrites the snapshots (pyjit's own outputs only); review the diff.
"""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from cli_findings import FINDINGS, MODEL, UNICODE, report

from pyjit_core.diagnostics import Diagnostic, TextRange
from pyjit_core.report import FORMATS, Report, emit
from pyjit_core.report.statistics import emit_json as statistics_json
from pyjit_core.report.statistics import emit_text as statistics_text

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"



def rendered(write, r: Report) -> str:
    out = io.StringIO()
    write(r, out)
    return out.getvalue()


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("PYJIT_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: run with PYJIT_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs (PYJIT_UPDATE_SNAPSHOTS=1 to accept)"


EXTENSIONS = {"json": "json", "sarif": "json", "gitlab": "json", "junit": "xml"}


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_matches_its_snapshot(output_format: str) -> None:
    text = rendered(lambda r, out: emit(output_format, r, out), report())
    check_snapshot(f"{output_format}.{EXTENSIONS.get(output_format, 'txt')}", text)


@pytest.mark.parametrize(("name", "r"), [
    ("full-clean.txt", report(diagnostics=[])),
    ("full-show-fixes.txt", report(show_fixes=True)),
    ("full-fixed.txt", report(show_fixes=True, fixed={MODEL: Counter({"PJ902": 2}), UNICODE: Counter({"PJ501": 1})})),
    ("full-unsafe-fixes.txt", report(unsafe_fixes=True)),
    ("full-quiet.txt", report(quiet=True)),
    ("junit-clean.xml", report(diagnostics=[])),
])
def test_variants_match_their_snapshots(name: str, r: Report) -> None:
    output_format = name.split("-")[0]
    check_snapshot(name, rendered(lambda rep, out: emit(output_format, rep, out), r))


def test_statistics_match_their_snapshots() -> None:
    check_snapshot("statistics.txt", rendered(statistics_text, report()))
    check_snapshot("statistics.json", rendered(statistics_json, report()))


# --- what the snapshots must show, said once more as rules --------------------------------------

def test_json_lines_is_the_json_array_one_object_per_line() -> None:
    whole = json.loads(rendered(lambda r, out: emit("json", r, out), report()))
    lines = [json.loads(line) for line in rendered(lambda r, out: emit("json-lines", r, out), report()).splitlines()]
    assert whole == lines
    assert [f["code"] for f in whole] == [d.code for d in FINDINGS]


def test_json_positions_are_1_based_with_an_exclusive_end_and_the_fix_a_machine_may_apply() -> None:
    first, _, _, unused, freeze, *_ = json.loads(rendered(lambda r, out: emit("json", r, out), report()))
    assert first["location"] == {"row": 7, "column": 12}
    assert first["end_location"] == {"row": 7, "column": 33}
    assert first["fix"] is None          # "Ignore ... on this line" is an editor's choice, never a machine's
    assert unused["fix"]["applicability"] == "safe"
    assert freeze["fix"]["applicability"] == "unsafe"
    assert len(freeze["fix"]["edits"]) == 2


def test_github_escapes_what_would_end_a_property_or_the_message() -> None:
    text = rendered(lambda r, out: emit("github", r, out), report())
    freeze = next(line for line in text.splitlines() if "PJ501" in line)
    assert freeze.startswith("::error title=pyjit (PJ501),file=pkg/größe.py,line=4,col=31,endLine=4,endColumn=38::")
    assert "(100%25, not 50%25)" in freeze
    multi_line = next(line for line in text.splitlines() if "PJ240" in line)
    assert "%0A" in multi_line
    assert "\n" not in multi_line
    assert "::notice title=pyjit (PJ410)" in text
    assert "::notice title=pyjit (PJ903)" in text


def test_github_annotates_at_most_ten_errors_and_ten_warnings_and_says_where_the_rest_are() -> None:
    many = [Diagnostic("PJ210", f"error {i}", MODEL, TextRange(i, 0, i, 1)) for i in range(12)]
    many += [Diagnostic("PJ902", f"warning {i}", MODEL, TextRange(i, 0, i, 1)) for i in range(13)]
    text = rendered(lambda r, out: emit("github", r, out), report(diagnostics=many))
    lines = text.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert "pkg/model.py:11:1: PJ210 error 10" in lines
    assert "pkg/model.py:13:1: PJ902 warning 12" in lines
    assert lines[-1].startswith("::notice title=pyjit::5 more findings are in the log but not annotated")
    assert "--output-format sarif" in lines[-1]
    assert "upload-sarif" in lines[-1]
    check_snapshot("github-over-the-limit.txt", text)


def test_junit_is_well_formed_xml_with_one_failure_per_finding() -> None:
    root = ET.fromstring(rendered(lambda r, out: emit("junit", r, out), report()))
    failures = root.findall("./testsuite/testcase/failure")
    assert len(failures) == len(FINDINGS) == int(root.get("failures"))
    assert any('<in> "f" & co' in (f.get("message") or "") for f in failures)


def test_gitlab_fingerprints_are_unique_and_stable() -> None:
    twice = [*FINDINGS, FINDINGS[0]]
    first = json.loads(rendered(lambda r, out: emit("gitlab", r, out), report(diagnostics=twice)))
    again = json.loads(rendered(lambda r, out: emit("gitlab", r, out), report(diagnostics=twice)))
    prints = [issue["fingerprint"] for issue in first]
    assert len(set(prints)) == len(prints)
    assert prints == [issue["fingerprint"] for issue in again]
    assert first[0]["location"]["path"] == "pkg/model.py"


def test_sarif_lists_each_rule_once_and_results_point_at_them() -> None:
    from pyjit_core.diagnostics import CATALOG

    sarif = json.loads(rendered(lambda r, out: emit("sarif", r, out), report()))
    (run,) = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({d.code for d in FINDINGS})
    assert all(r["helpUri"] == CATALOG[r["id"]].url for r in rules)
    assert all(rules[res["ruleIndex"]]["id"] == res["ruleId"] for res in run["results"])
    assert run["columnKind"] == "unicodeCodePoints"
    outside = next(res for res in run["results"] if res["ruleId"] == "PJ410")
    assert outside["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "file:///elsewhere/lib/helpers.py"}
    assert outside["level"] == "note"
