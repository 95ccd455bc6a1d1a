"""The snapshot of torch's Python library bundled with pyjit is up to date:
``tools/gen_torch_library.py --check`` finds it so for the installed torch
(the sources pyjit reads without torch, their license, the namespace lists)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="conformance: needs torch==2.13.0 installed")

from pyjit_core.frontend import torch_library  # noqa: E402

pytestmark = pytest.mark.conformance
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(torch.__version__.split("+")[0] != torch_library.torch_version(),
                    reason=f"the bundle is of torch {torch_library.torch_version()}, installed is {torch.__version__}")
def test_the_documented_command_finds_the_bundled_library_up_to_date():
    result = subprocess.run([sys.executable, str(REPO / "tools" / "gen_torch_library.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
