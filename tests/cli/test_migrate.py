"""``pyjit migrate`` and ``pyjit check --select PJ6``: export readiness over a tree."""

from __future__ import annotations

import json

from cli_run import pyjit, write

BLOCKED = """
import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.sum() > 0:
            return x + 1
        return x
"""

FINE = """
import torch
from torch import nn


class Fine(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.relu()
"""


def tree(tmp_path):
    write(tmp_path, {"pkg/blocked.py": BLOCKED, "pkg/fine.py": FINE})


def test_migrate_text_lists_each_root_and_the_blockers_by_kind(tmp_path):
    tree(tmp_path)
    p = pyjit("migrate", "--roots", "modules", "pkg", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert "pkg/blocked.py:6: Model: TorchScript ✓ · export ✗ (1)" in lines
    assert "pkg/fine.py:6: Fine: TorchScript ✓ · export ✓" in lines
    assert "2 roots in 2 files: 2 script, 1 would export (torch.export, default mode), 1 both." in lines
    assert "Blockers by kind: PJ601 ×1" in lines


def test_migrate_json_and_sarif(tmp_path):
    tree(tmp_path)
    doc = json.loads(pyjit("migrate", "--roots", "modules", "--output-format", "json", "pkg", cwd=tmp_path).stdout)
    assert doc["summary"]["blockers_by_kind"] == {"PJ601": 1}
    blocked = next(r for r in doc["roots"] if r["root"] == "Model")
    assert (blocked["script"], blocked["export"]) == (True, False)
    assert blocked["blockers"][0]["line"] == 8
    assert blocked["blockers"][0]["strict"] == "fails"
    sarif = json.loads(pyjit("migrate", "--roots", "modules", "--output-format", "sarif", "pkg",
                             cwd=tmp_path).stdout)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["PJ601"]


def test_check_select_pj6_fails_ci_on_a_blocker_and_is_silent_without_it(tmp_path):
    tree(tmp_path)
    p = pyjit("check", "--roots", "modules", "--select", "PJ6", "pkg", cwd=tmp_path)
    assert p.returncode == 1
    assert "pkg/blocked.py:8:12: PJ601" in p.stdout
    assert pyjit("check", "--roots", "modules", "pkg", cwd=tmp_path).returncode == 0
