"""``Session.check``: the one entry point -- configuration, robustness, order."""

from __future__ import annotations

from checkutil import codes, run

from pyjit_core.config import Config
from pyjit_core.diagnostics import Severity
from pyjit_core.result import CheckResult
from pyjit_core.session import Session

SOURCE = """
import torch

class MyFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k: int):
        return x * k

class Model(torch.nn.Module):
    def forward(self, x):
        return x

@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return MyFn.apply(x) + undefined_name

torch.jit.freeze(Model())
"""


def test_frontend_errors_and_checks_are_reported_together_in_file_order():
    r = run(SOURCE)
    assert isinstance(r, CheckResult)
    found = codes(r)
    assert "PJ201" in found
    assert "PJ501" in found
    positions = [(d.range.start_line, d.range.start_col) for d in r.diagnostics]
    assert positions == sorted(positions)


def test_select_ignore_and_severity():
    assert codes(run(SOURCE, select=("PJ5",))) == ["PJ501"]
    assert "PJ501" not in codes(run(SOURCE, ignore=("PJ501",)))
    r = run(SOURCE, select=("PJ5",), severity={"PJ501": "warning"})
    assert r.diagnostics[0].severity is Severity.WARNING
    assert codes(run(SOURCE, select=("PJ5",), severity={"PJ501": "off"})) == []


def test_a_syntax_error_is_one_diagnostic():
    r = run("def f(:\n    pass\n")
    assert codes(r) == ["PJ001"]


def test_a_failing_check_becomes_an_internal_error(monkeypatch):
    import pyjit_core.checks as checks

    def boom(ctx):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(checks, "CHECKS", (("boom", boom),))
    r = run("x = 1\n")
    assert codes(r) == ["PJ900"]
    assert "the boom check failed: RuntimeError: kaboom" in r.diagnostics[0].message


def test_the_default_config_and_plain_files():
    r = Session().check("/virtual/plain.py", "import os\nprint(os.getcwd())\n")
    assert r.diagnostics == []
    assert r.config == Config(search_paths=("/virtual",))   # the defaults; the file's folder is searched
    assert r.analysis.module_name == "plain"
