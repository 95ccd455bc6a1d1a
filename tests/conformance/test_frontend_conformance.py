"""pyjit's frontend against real torch.jit.script, on the corpus and on torch's own nn files.

Three groups:

* the corpus and its expectations are consistent (no torch needed): enough
  roots, enough of them rejected, each rejected root's ``# error:`` comment
  is a fragment of torch's message, expectations are fresh;
* the committed expectations equal a live torch run (needs torch);
* the frontend meets the thresholds.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
import sys

import pytest

from . import runner
from .corpus_roots import REPO_ROOT, corpus_files, expectation_name, find_roots
from .real_code import expected_dir, installed_torch

EXPECTATIONS = runner.corpus_expectations()
ROOTS = [r for _, e in EXPECTATIONS for r in e["roots"]]
REJECTED = [r for r in ROOTS if not r["accepted"]]


# --- the corpus ------------------------------------------------------------------------------------


def test_corpus_has_at_least_300_roots_and_35_percent_rejected():
    assert len(ROOTS) >= 300
    assert len(REJECTED) / len(ROOTS) >= 0.35


def test_every_corpus_file_has_an_expectation_for_its_current_source():
    files = corpus_files()
    assert {expectation_name(f) for f in files} == {p.stem for p in runner.EXPECTED_DIR.glob("*.json")}
    for path, expected in EXPECTATIONS:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == expected["source_sha256"], f"{path} changed: run python -m tests.conformance.torch_side"


def test_error_comments_say_what_torch_says():
    wrong = []
    for r in ROOTS:
        if r["expected_error"] is None and not r["accepted"]:
            wrong.append(f"{r['name']}: torch rejects it ({r['error']['message'].splitlines()[0]!r})")
        elif r["expected_error"] is not None and r["accepted"]:
            wrong.append(f"{r['name']}: torch accepts it")
        elif r["expected_error"] is not None and r["expected_error"] not in r["error"]["message"]:
            wrong.append(f"{r['name']}: {r['expected_error']!r} is not in torch's message")
    assert not wrong


def test_expectations_list_exactly_the_roots_the_source_has():
    for path, expected in EXPECTATIONS:
        static = [(r.name, r.kind, r.first_line, r.script_call_line)
                  for r in find_roots(path.read_text(encoding="utf-8"))]
        recorded = [(r["name"], r["kind"], r["first_line"], r["script_call_line"]) for r in expected["roots"]]
        assert static == recorded, path


def test_every_accepted_root_has_graphs_with_source_in_its_file():
    for _, expected in EXPECTATIONS:
        for r in expected["roots"]:
            if r["accepted"] and r["kind"] != "interface":
                assert r["graphs"], r["name"]
                assert all(k in expected["graphs"] for k in r["graphs"])


@pytest.mark.parametrize("fragment", [
    "aren't supported",
    "is not defined in the",
    "Arguments for call are not valid",
    "has no attribute or method",
    "previously had type",
    "Unknown type name",
    "undefined value",
    "Expected a value of type",
    "is currently not supported in Torchscript",
    "Return value was annotated as having type",
    "Compiled functions can't take variable number of arguments",
    "cannot be used as a value",
])
def test_each_common_error_kind_appears_several_times(fragment):
    assert sum(fragment in r["error"]["message"] for r in REJECTED) >= 3


def test_most_rejections_name_a_line_in_the_file():
    with_line = [r for r in REJECTED if r["error"]["line"] is not None]
    assert len(with_line) / len(REJECTED) >= 0.95


def test_real_code_expectations_match_the_installed_torch_sources():
    found = installed_torch()
    if found is None or not expected_dir(found[1]).is_dir():
        pytest.skip("real code: needs the installed torch's sources and expectations for its version")
    for path, expected in runner.real_code_expectations():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == expected["source_sha256"], path


# --- the torch side --------------------------------------------------------------------------------


def _live_check(module: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, "--check"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.conformance
def test_committed_expectations_equal_a_live_torch_run():
    pytest.importorskip("torch", reason="conformance: needs torch==2.13.0 installed")
    done = _live_check("tests.conformance.torch_side")
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.conformance
def test_committed_real_code_expectations_equal_a_live_torch_run():
    pytest.importorskip("torch", reason="conformance: needs torch==2.13.0 installed")
    done = _live_check("tests.conformance.real_code")
    assert done.returncode == 0, done.stderr[-3000:]


# --- the frontend --------------------------------------------------------------------------------


def corpus_results() -> tuple[list[runner.FileResult], runner.Totals]:
    # The corpus calls torch's Python library (torch.nn.functional, no_grad...),
    # which pyjit compiles from the installed torch's sources, as torch does.
    if installed_torch() is None:
        pytest.skip("conformance: needs torch==2.13.0 installed (pyjit reads torch's library sources)")
    return _corpus_results()


@functools.cache
def _corpus_results() -> tuple[list[runner.FileResult], runner.Totals]:
    results, totals, _ = runner.run(EXPECTATIONS, runner.load_analyzer(), "decorated")
    return results, totals


def corpus_totals() -> runner.Totals:
    return corpus_results()[1]


@functools.cache
def real_code_results() -> tuple[list[runner.FileResult], runner.Totals]:
    found = installed_torch()
    if found is None or not expected_dir(found[1]).is_dir():
        pytest.skip("real code: needs the installed torch's sources and expectations for its version")
    results, totals, _ = runner.run(runner.real_code_expectations(), runner.load_analyzer(), "all", search_paths=[],
                                    instances=True)
    return results, totals


def test_op_agreement_at_least_97_percent():
    t = corpus_totals()
    assert t.op_agreement >= 0.97, f"{t.matched_nodes}/{t.torch_nodes}"


def test_error_recall_at_least_95_percent():
    t = corpus_totals()
    assert t.error_recall >= 0.95, f"{t.rejected_reported}/{t.rejected}"


def test_errors_on_torchs_line_at_least_90_percent():
    t = corpus_totals()
    assert t.error_line_recall >= 0.90, f"{t.rejected_on_line}/{t.rejected_with_line}"


def test_no_false_errors():
    results, _ = corpus_results()
    assert [f"{r.file}:{n}" for r in results for n in r.false_errors] == []


def test_graph_text_identical_for_at_least_half_the_accepted_roots():
    t = corpus_totals()
    assert t.graph_text >= 0.50, f"{t.identical_roots}/{t.graph_roots}"


def test_real_code_no_errors_in_what_torch_scripts():
    results, _ = real_code_results()
    assert [f"{r.module_name}:{n}" for r in results for n in r.false_errors] == []


def test_real_code_op_agreement_at_least_90_percent():
    results, _ = real_code_results()
    per_file = {r.module_name: runner.share(r.matched_nodes, r.torch_nodes) for r in results}
    assert all(v is None or v >= 0.90 for v in per_file.values()), per_file
