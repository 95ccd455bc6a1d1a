"""timm, opened as its developers open it: the ``timm/`` package folder as the workspace root.

timm 1.0.31's model families script in torch 2.13 (measured with real torch:
``docs/conformance.md``, "timm"). ``pyjit check --roots modules`` over the whole
package, run from that folder as a user runs it, must report no error on that
code but the one that is true: ``mobilevit.py`` calls an ``@torch.jit.ignore``
method with a keyword argument, which torch compiles into a call whose calling
convention drops the keyword (torch's own ``_jit_pass_lint`` fails on that
graph, and running the branch raises; ``tests/checks/test_checks_against_torch.py``
checks the same shape against torch).

The wheel comes from the package index, as torchvision's does
(:mod:`.torchvision_sources`); pyjit reads it, never imports it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.conformance

TIMM_VERSION = "1.0.31"

#: Errors that are true: (file under timm/, 1-based line, code).
TRUE_ERRORS = [("models/mobilevit.py", 402, "PJ313")]


@pytest.fixture(scope="module")
def timm_root() -> Path:
    from .torchvision_sources import SourcesUnavailable, ensure_sources

    try:
        return ensure_sources(TIMM_VERSION, package="timm") / "timm"
    except SourcesUnavailable as e:
        if os.environ.get("CI"):
            raise                     # CI must measure, never skip
        pytest.skip(f"real code: {e}")


def test_timm_opened_at_its_own_root_has_no_false_errors(timm_root: Path, tmp_path: Path) -> None:
    report = tmp_path / "timm.json"
    done = subprocess.run(
        [sys.executable, "-m", "pyjit_core.cli", "check", "--roots", "modules", "--jobs", "1", "--no-cache",
         "--output-format", "json", "-o", str(report), "--exit-zero", "."],
        cwd=timm_root, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(report.read_text(encoding="utf-8"))
    errors = sorted((Path(d["filename"]).resolve().relative_to(timm_root.resolve()).as_posix(),
                     d["location"]["row"], d["code"]) for d in found if d["severity"] == "error")
    assert errors == TRUE_ERRORS, [d["message"][:200] for d in found if d["severity"] == "error"]
    # (a run that read nothing would report nothing: the model files did have findings, warnings)
    analysed = {Path(d["filename"]).name for d in found}
    assert {"swin_transformer.py", "beit.py", "coat.py"} <= analysed
