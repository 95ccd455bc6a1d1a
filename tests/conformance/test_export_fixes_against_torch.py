"""The export-readiness fixes, applied by ``pyjit check --fix`` as CI would, then run by real torch.

``export_corpus/fix_migration.py`` holds one of each: ``torch.jit.annotate``, a
``@torch.jit.script`` helper only scripted code calls, ``torch.jit.is_scripting()``
and ``torch.jit.save(torch.jit.script(m), p)``. After the fixes, torch.export must
export the model and the exported program must compute what the scripted original
computed (the branch TorchScript took), the model must still script, and the saved
file must load with ``torch.export.load``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .export_side import CORPUS_DIR, has_torch

HAS_TORCH = has_torch()
CASE = CORPUS_DIR / "fix_migration.py"


def fixed(tmp_path: Path, *flags: str) -> str:
    target = tmp_path / "fix_migration.py"
    shutil.copy(CASE, target)
    subprocess.run([sys.executable, "-m", "pyjit_core.cli", "check", "--roots", "modules", "--select", "PJ6",
                    "--exit-zero", "--fix", *flags, str(target)], cwd=tmp_path, check=True, capture_output=True)
    return target.read_text()


def test_fix_applies_only_the_safe_rewrite(tmp_path):
    text = fixed(tmp_path)
    assert "parts: List[torch.Tensor] = []" in text
    assert "torch.jit.is_scripting()" in text
    assert "@torch.jit.script" in text
    assert "torch.jit.save" in text


def test_unsafe_fixes_write_every_rewrite(tmp_path):
    text = fixed(tmp_path, "--unsafe-fixes")
    assert "parts: List[torch.Tensor] = []" in text
    assert "@torch.jit.script" not in text
    assert "if torch.compiler.is_compiling():" in text
    assert "\n    example_inputs = ...  # TODO(pyjit): " in text
    assert "torch.export.save(torch.export.export(Model(), example_inputs), path)" in text


RUN = textwrap.dedent("""
    import importlib.util, sys, warnings
    import torch
    warnings.simplefilter("ignore")

    def load(name, path):
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    before, after = load("before", sys.argv[1]), load("after", sys.argv[2])
    x = torch.randn(3)
    scripted = torch.jit.script(before.Model())(x)
    for strict in (False, True):
        ep = torch.export.export(after.Model(), (x,), strict=strict)
        assert torch.equal(ep.module()(x), scripted), (strict, ep.module()(x), scripted)
    torch.jit.script(after.Model())          # still scripts while the migration is under way
    after.save(sys.argv[3])
    assert torch.equal(torch.export.load(sys.argv[3]).module()(x), scripted)
    print("ok")
""")


@pytest.mark.conformance
@pytest.mark.skipif(not HAS_TORCH, reason="conformance: needs torch==2.13.0 installed")
def test_torch_exports_the_fixed_model_and_it_computes_what_torchscript_did(tmp_path):
    text = fixed(tmp_path, "--unsafe-fixes")
    filled = text.replace("example_inputs = ...  # TODO(pyjit):", "example_inputs = (torch.randn(3),)  #")
    (tmp_path / "fix_migration.py").write_text(filled)
    script = tmp_path / "run.py"
    script.write_text(RUN)
    p = subprocess.run([sys.executable, str(script), str(CASE), str(tmp_path / "fix_migration.py"),
                        str(tmp_path / "model.pt2")], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    assert p.stdout.strip() == "ok", p.stderr[-3000:]
