"""Export readiness (PJ6xx): what torch.export does with each root, opt-in through ``select``.

What torch does in each case was measured on ``tests/conformance/export_corpus``
(labels in ``tests/conformance/expected/export/``); these tests pin pyjit's side.
"""

from __future__ import annotations

from checkutil import codes, line_of, only, run, text_at

from pyjit_core.diagnostics import Severity

BRANCH = """
import torch
from torch import nn

class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.sum() > 0:
            return x + 1
        return x - 1
"""


def test_nothing_is_reported_unless_select_names_the_family():
    assert codes(run(BRANCH, roots="modules"), "PJ6") == []
    assert codes(run(BRANCH, roots="modules", select=("PJ",)), "PJ6") == []
    assert codes(run(BRANCH, roots="modules", select=("PJ", "PJ6")), "PJ6") == ["PJ601"]


def test_branching_on_a_tensor_says_what_each_mode_does_in_torchs_words():
    r = run(BRANCH, roots="modules", select=("PJ6",))
    d = only(r, "PJ601")
    assert d.range.start_line == line_of(r, "if x.sum() > 0")
    assert text_at(r, d) == "x.sum() > 0"
    assert "default mode (strict=False) fails: Could not guard on data-dependent expression" in d.message
    assert "strict=True fails: Data-dependent branching" in d.message
    assert "torch.cond" in d.message
    assert d.severity is Severity.WARNING
    assert d.data["default"] == "fails"
    assert d.data["roots"] == ["Model"]


def test_float_of_a_tensor_fails_only_in_the_default_mode_unless_it_decides_a_branch():
    r = run("""
import torch
from torch import nn

class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * float(x.sum())

class Branching(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = float(x.sum())
        if s > 0.0:
            return x * 2
        return x
""", roots="modules", select=("PJ6",))
    arith, branching = [d for d in r.diagnostics if d.code == "PJ602"]
    assert "strict=True accepts it" in arith.message
    assert f"strict=True fails at line {line_of(r, 'if s > 0.0') + 1}" in branching.message


def test_arithmetic_on_item_a_size_of_nonzero_and_a_loop_over_tolist_export():
    r = run("""
import torch
from torch import nn
from typing import List

class Model(nn.Module):
    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        y = x * x.sum().item()
        z = torch.zeros(torch.nonzero(x).size(0), 2)
        sizes: List[int] = c.tolist()
        for s in sizes:
            y = y + s
        return y + z.sum()
""", roots="modules", select=("PJ6",))
    assert codes(r, "PJ6") == []


def test_a_branch_on_item_nonzero_size_or_tolist_fails_in_both_modes():
    r = run("""
import torch
from torch import nn

class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        m = x.mean().item()
        n = torch.nonzero(x).size(0)
        if m > 0.5:
            x = x - m
        if n > 1:
            x = x + 1
        return x
""", roots="modules", select=("PJ6",))
    found = [d for d in r.diagnostics if d.code == "PJ601"]
    assert [d.range.start_line for d in found] == [line_of(r, "if m > 0.5"), line_of(r, "if n > 1")]
    assert all(d.data["default"] == d.data["strict"] == "fails" for d in found)


def test_len_of_a_data_shaped_tensor_but_not_of_an_input():
    r = run("""
import torch
from torch import nn

class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        idx = torch.nonzero(x > 0)
        k = len(idx)
        if len(x) > 2:
            return x + k
        return x
""", roots="modules", select=("PJ6",))
    d = only(r, "PJ603")
    assert d.range.start_line == line_of(r, "k = len(idx)")
    shape = only(r, "PJ640")       # a branch on an input's size only specialises
    assert shape.severity is Severity.INFORMATION
    assert shape.data["default"] == "ok"


def test_a_tensor_made_from_constants_exports_in_the_default_mode_and_says_less():
    r = run("""
import torch
from torch import nn

class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t = torch.tensor(3)
        if t > 2:
            return x + 1
        return x
""", roots="modules", select=("PJ6",))
    d = only(r, "PJ601")
    assert d.data["default"] == "ok"
    assert d.data["strict"] == "fails"
    assert d.severity is Severity.INFORMATION


def test_an_assert_on_a_tensor_fails_in_the_default_mode_only():
    r = run("""
import torch
from torch import nn

class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        assert (x >= 0).all()
        return x.sqrt()
""", roots="modules", select=("PJ6",))
    d = only(r, "PJ602")
    assert d.data["strict"] == "ok"
    assert "torch._assert_async" in d.message


SUBMODULES = """
import torch
from torch import nn

class Block(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.relu()

class Model(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.scripted = torch.jit.script(Block())
        self.traced = torch.jit.trace(Block(), (torch.randn(3),))
        self.loaded = torch.jit.load("block.pt")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.scripted(x) + self.traced(x) + self.loaded(x)
"""


def test_submodules_made_by_torch_jit_are_reported_where_they_are_called():
    r = run(SUBMODULES, roots="modules", select=("PJ6",))
    by_code = {d.code: d for d in r.diagnostics if d.code.startswith("PJ6")}
    assert set(by_code) == {"PJ611", "PJ612", "PJ613"}
    assert text_at(r, by_code["PJ611"]) == "self.scripted(x)"
    assert "forward() takes 2 positional arguments but 3 were given" in by_code["PJ611"].message
    assert by_code["PJ613"].data == {"default": "ok", "strict": "fails", "roots": ["Model"],
                                     "line": line_of(r, "return self.scripted") + 1}


def test_a_script_module_subclass_is_refused_in_both_modes():
    r = run("""
import torch

class Model(torch.jit.ScriptModule):
    @torch.jit.script_method
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + 1
""", roots="modules", select=("PJ6",))
    d = only(r, "PJ610")
    assert "Exporting a ScriptModule is not supported" in d.message
    assert d.range.start_line == line_of(r, "class Model")


def test_strict_only_apis_and_export_time_prints_are_information():
    r = run("""
import torch
from torch import nn
from typing import List

def branch(x: torch.Tensor) -> torch.Tensor:
    return x * 2

class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        print("forward")
        fut = torch.jit.fork(branch, x)
        xs = [x]
        if torch.jit.isinstance(xs, List[torch.Tensor]):
            x = xs[0]
        return torch.jit.wait(fut) + x
""", roots="modules", select=("PJ6",))
    found = [d for d in r.diagnostics if d.code.startswith("PJ6")]
    assert [d.code for d in found] == ["PJ630", "PJ620", "PJ620", "PJ620"]
    assert all(d.severity is Severity.INFORMATION and d.data["default"] == "ok" for d in found)
    assert "Attempted to call function marked as skipped" in found[1].message


def test_an_ignored_helper_body_is_read_as_python():
    r = run("""
import torch
from torch import nn

COUNT = [0]

class Model(nn.Module):
    @torch.jit.ignore
    def gate(self, x: torch.Tensor) -> bool:
        COUNT[0] += 1
        return float(x.mean()) > 0.0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.gate(x):
            return x * 2
        return x
""", roots="modules", select=("PJ6",))
    assert codes(r, "PJ6") == ["PJ630", "PJ602"]
    d = only(r, "PJ602")
    assert text_at(r, d) == "float(x.mean())"
    assert d.data["roots"] == ["Model"]


def test_a_scripted_helper_called_from_forward_is_analysed_too():
    r = run("""
import torch
from torch import nn

@torch.jit.script
def clip(x: torch.Tensor) -> torch.Tensor:
    if x.max() > 1:
        return x / x.max()
    return x

class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return clip(x) + 1
""", roots="modules", select=("PJ6",))
    d = only(r, "PJ601")
    assert d.range.start_line == line_of(r, "if x.max() > 1")


def test_the_verdict_on_the_class_line_hover_and_code_lens():
    from pyjit_core.config import Config
    from pyjit_core.session import Session

    session = Session()
    source = BRANCH + """
class Fine(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + 1
"""
    r = session.check("/virtual/snippet.py", source, config=Config(roots="modules", select=("PJ6",)),
                      module_name="snippet")
    blocked, fine = line_of(r, "class Model"), line_of(r, "class Fine")
    assert [(lens.range.start_line, lens.title) for lens in session.code_lenses(r)] == [
        (blocked, "TorchScript ✓ · export ✗ (1)"), (fine, "TorchScript ✓ · export ✓")]
    hover = session.hover(r, blocked, 6)
    assert hover.markdown.startswith("**Model**: blocked by 1: PJ601")
    assert session.hover(r, fine, 6).markdown.startswith("**Fine**: exportable with torch.export")
    quiet = session.check("/virtual/snippet.py", source, config=Config(roots="modules"), module_name="snippet")
    assert session.code_lenses(quiet) == []
