"""Without torch the package imports, its own tests pass, and the conformance
tests skip with a stated reason; importing pyjit_core never imports torch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CORE_TESTS = ["tests/ir", "tests/schema", "tests/diagnostics", "tests/passes", "tests/frontend", "tests/describe",
              "tests/conformance"]


def test_importing_and_analysing_never_imports_torch():
    code = (
        "import sys, pkgutil, importlib\n"
        "import pyjit_core\n"
        "for m in pkgutil.walk_packages(pyjit_core.__path__, 'pyjit_core.'):\n"
        "    importlib.import_module(m.name)\n"
        "from pyjit_core.frontend.driver import analyze_source\n"
        "src = 'import torch\\n@torch.jit.script\\ndef f(x: torch.Tensor):\\n    return torch.relu(x) + 1\\n'\n"
        "a = analyze_source(src, 'm.py')\n"
        "assert a.functions['__torch__.m.f'].graph is not None\n"
        "leaked = sorted(m for m in sys.modules if m == 'torch' or m.startswith('torch.'))\n"
        "assert not leaked, leaked\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_core_suite_passes_and_conformance_skips_without_torch():
    env = dict(os.environ, PYJIT_HIDE_TORCH="1")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *CORE_TESTS],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    tail = result.stdout[-3000:]
    assert result.returncode == 0, tail
    assert "skipped" in tail, tail
    assert "needs torch==2.13.0" in result.stdout or "torch" in result.stdout.lower(), tail
