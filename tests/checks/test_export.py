"""Export blockers (PJ410): calls into Python reachable from saved code."""

from __future__ import annotations

import pytest
from checkutil import apply_edits, codes, fix, line_of, only, run, text_at

HEAD = """
import io
import torch

class MyFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

@torch.jit.ignore
def helper(x: torch.Tensor) -> torch.Tensor:
    return x + 1

def f(x: torch.Tensor) -> torch.Tensor:
    return helper(x)

def g(x: torch.Tensor) -> torch.Tensor:
    return MyFn.apply(f(x))
"""


def test_saving_a_scripted_function_that_calls_an_ignored_one():
    r = run(HEAD + """
torch.jit.save(torch.jit.script(f), "f.pt")
""")
    d = only(r, "PJ410")
    assert d.message.startswith("Could not export Python function call 'helper'. "
                                "Remove calls to Python functions before export.")
    assert text_at(r, d) == "helper"
    assert d.range.start_line == line_of(r, "return helper(x)")
    assert [rel.range.start_line for rel in d.related] == [line_of(r, "torch.jit.save")]
    assert d.rule.severity.label == "warning"


def test_the_fix_marks_the_function_unused():
    r = run(HEAD + """
torch.jit.save(torch.jit.script(f), "f.pt")
""")
    d = only(r, "PJ410")
    fixed = apply_edits(r.source, fix(d, "Mark 'helper' @torch.jit.unused").edits)
    assert "@torch.jit.unused\ndef helper" in fixed
    assert codes(run(fixed), "PJ410") == []


def test_reachability_follows_calls_and_names():
    r = run(HEAD + """
sg = torch.jit.script(g)
model = sg
model.save("g.pt")
""")
    found = sorted((text_at(r, d), d.message.split("'")[1]) for d in r.diagnostics if d.code == "PJ410")
    assert found == [("MyFn.apply", "MyFn"), ("helper", "helper")]


def test_decorated_roots_and_lite_interpreter():
    r = run("""
import torch

@torch.jit.ignore
def helper(x: torch.Tensor) -> torch.Tensor:
    return x

@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return helper(x)

f._save_for_lite_interpreter("f.ptl")
""")
    d = only(r, "PJ410")
    assert "_save_for_lite_interpreter" in d.message


@pytest.mark.parametrize("tail", [
    "sf = torch.jit.script(f)",                                   # never saved
    "torch.jit.save(torch.jit.script(g2), 'x.pt')",               # a root without Python calls
    "sf = torch.jit.script(f)\nif cond:\n    sf = torch.jit.script(g2)\ntorch.jit.save(sf, 'x.pt')",  # unknown
])
def test_no_blocker_without_a_saved_python_call(tail):
    r = run(HEAD + """
cond = True

def g2(x: torch.Tensor) -> torch.Tensor:
    return x

""" + tail + "\n")
    assert codes(r, "PJ410") == []


def test_freezing_alone_is_not_an_export_but_saving_the_result_is():
    # torch 2.13 freezes a module with a PythonOp without complaint (see the
    # conformance test); only serialising fails.
    source = """
import torch

@torch.jit.ignore
def helper(x: torch.Tensor) -> torch.Tensor:
    return x

class M(torch.nn.Module):
    def forward(self, x):
        return helper(x)

m = torch.jit.script(M()).eval()
frozen = torch.jit.freeze(m)
"""
    r = run(source)
    if not any(q.endswith("M.forward") and fn.graph is not None for q, fn in r.analysis.functions.items()):
        pytest.skip("the frontend does not compile nn.Module roots yet")
    assert codes(r, "PJ410") == []
    r = run(source + "torch.jit.save(frozen, 'm.pt')\n")
    assert len([d for d in r.diagnostics if d.code == "PJ410"]) == 1


def test_the_fix_keeps_the_way_the_file_spells_torch_jit():
    r = run("""
import torch
from torch import jit

@jit.ignore
def helper(x: torch.Tensor) -> torch.Tensor:
    return x

@jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return helper(x)

jit.save(f, "f.pt")
""")
    d = only(r, "PJ410")
    edits = fix(d, "Mark").edits
    assert [e.new_text for e in edits] == ["jit.unused"]
    assert "@jit.unused\ndef helper" in apply_edits(r.source, edits)


def test_the_fix_adds_import_torch_for_a_bare_decorator():
    r = run('''
"""Docstring."""
from torch.jit import ignore, script, save

@ignore
def helper(x):
    return x

@script
def f(x):
    return helper(x)

save(f, "f.pt")
''')
    d = only(r, "PJ410")
    fixed = apply_edits(r.source, fix(d, "Mark").edits)
    assert fixed.startswith('\n"""Docstring."""\nimport torch\n')
    assert "@torch.jit.unused\ndef helper" in fixed
