"""Export readiness against real torch.export (torch 2.13.0).

* pyjit's PJ6 findings scored on the recorded labels (no torch needed for the
  corpus): recall of default-mode failures at torch's line >= 90 % among the
  cases TorchScript compiles, and no finding that claims a default-mode failure
  in a case that exports;
* the labels themselves re-recorded live for one case of every reason (the
  whole set: ``python -m tests.conformance.export_side --check``, ~6 minutes).
"""

from __future__ import annotations

import json

import pytest

from .export_scoring import corpus_scores, exportdb_scores, tally
from .export_side import CORPUS_DIR, _forked, _run_export, _run_script, expected_path, has_torch

HAS_TORCH = has_torch()


def test_corpus_default_mode_failures_are_found_at_torchs_line():
    t = tally(corpus_scores())["all"]
    assert t.default_fails >= 15, "the corpus has failures of every reason"
    assert t.default_hits / t.default_fails >= 0.90, t.misses


def test_no_corpus_case_that_exports_gets_a_blocker():
    scores = corpus_scores()
    assert [(s.name, s.false_blockers) for s in scores if s.false_blockers] == []
    assert sum(1 for s in scores if s.scripts and not s.default_fails) >= 15


@pytest.mark.conformance
@pytest.mark.skipif(not HAS_TORCH, reason="conformance: needs torch==2.13.0 installed")
def test_exportdb_examples_that_export_get_no_blocker():
    scores = exportdb_scores()
    assert len(scores) >= 30
    assert [(s.name, s.false_blockers) for s in scores if s.false_blockers] == []
    t = tally(scores)["all"]
    if t.default_fails:
        assert t.default_hits / t.default_fails >= 0.90, t.misses


# one case per reason: what torch does there is what the labels say
LIVE = ["ok_plain", "ok_print_side_effect", "ddcf_if_sum", "assert_all", "item_size", "item_tolist_loop",
        "mask_len", "mask_select", "script_module_root", "scripted_submodule", "loaded_submodule",
        "traced_submodule", "fork_wait", "jit_isinstance", "ignore_body", "dyn_shape_branch"]


@pytest.mark.conformance
@pytest.mark.skipif(not HAS_TORCH, reason="conformance: needs torch==2.13.0 installed")
@pytest.mark.parametrize("name", LIVE)
def test_recorded_labels_are_what_torch_does(name):
    import torch

    if torch.__version__.split("+")[0] != "2.13.0":
        pytest.skip(f"labels come from torch 2.13.0, this is {torch.__version__}")
    import torch._dynamo
    import torch.export

    label = json.loads(expected_path("corpus").read_text())["cases"][name]
    path = CORPUS_DIR / f"{name}.py"
    assert _forked(_run_script, path, "corpus") == label["script"]
    assert _forked(_run_export, path, "corpus", False) == label["default"]
    assert _forked(_run_export, path, "corpus", True) == label["strict"]
