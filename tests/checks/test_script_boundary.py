"""Casting into TorchScript (PJ501-503): values from plain Python that
``as_module``/``as_object`` (and torch's fallbacks) would not accept."""

from __future__ import annotations

import pytest
from checkutil import apply_edits, codes, fix, line_of, only, run, text_at

MODEL = """
import io
import torch

class Model(torch.nn.Module):
    def forward(self, x):
        return x + 1
"""

FREEZE = ("Freezing expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to "
          "script your 'nn.Module'.")


def test_freezing_an_eager_module():
    r = run(MODEL + """
m = Model()
frozen = torch.jit.freeze(m)
""")
    d = only(r, "PJ501")
    assert d.message.startswith(FREEZE)
    assert "'m' is an eager 'Model'" in d.message
    assert text_at(r, d) == "m"
    assert d.range.start_line == line_of(r, "torch.jit.freeze(m)")
    assert d.is_error


def test_script_it_fix_wraps_the_argument_and_then_the_check_is_satisfied():
    r = run(MODEL + """
frozen = torch.jit.freeze(Model())
""")
    d = only(r, "PJ501")
    fixed = apply_edits(r.source, fix(d, "Script it").edits)
    assert "torch.jit.freeze(torch.jit.script(Model()).eval())" in fixed   # freezing needs eval mode
    assert codes(run(fixed), "PJ5") == []


@pytest.mark.parametrize(("call", "message"), [
    ("torch.jit.optimize_for_inference(m)",
     "optimize_for_inference expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace"),
    ("torch.jit.save(m, 'm.pt')", "AttributeError: 'Model' object has no attribute 'save'"),
    ("torch.jit.save(m, io.BytesIO())", "AttributeError: 'Model' object has no attribute 'save_to_buffer'"),
    ("torch.jit.freeze(torch.nn.Linear(2, 2))", "'torch.nn.Linear(2, 2)' is an eager 'Linear'"),
])
def test_other_places_that_need_a_script_module(call, message):
    r = run(MODEL + f"""
m = Model()
{call}
""")
    assert message in only(r, "PJ501").message


@pytest.mark.parametrize("tail", [
    "torch.jit.freeze(torch.jit.script(Model()))",
    "sm = torch.jit.script(Model())\ntorch.jit.freeze(sm.eval())",
    "torch.jit.freeze(torch.jit.trace(Model(), torch.ones(1)))",
    "torch.jit.freeze(torch.jit.load('m.pt'))",
    "m = Model()\nif flag:\n    m = torch.jit.script(m)\ntorch.jit.freeze(m)",       # unknown: not reported
    "m = Model()\nfor _ in range(2):\n    m = torch.jit.script(m)\ntorch.jit.freeze(m)",
    "torch.jit.freeze(unknown_thing)",
    "torch.jit.save(torch.jit.script(Model()), 'm.pt')",
])
def test_accepted_or_unknown_values_are_not_reported(tail):
    r = run(MODEL + "flag = True\n" + tail + "\n")
    assert codes(r, "PJ5") == []


def test_values_are_followed_into_functions_and_through_eval():
    r = run(MODEL + """
def main():
    m = Model().eval()
    torch.jit.freeze(m)
""")
    assert "'m' is an eager 'Model'" in only(r, "PJ501").message


def test_freezing_a_scripted_function():
    r = run(MODEL + """
def f(x: torch.Tensor) -> torch.Tensor:
    return x

torch.jit.freeze(torch.jit.script(f))
""")
    d = only(r, "PJ501")
    assert d.message.startswith(FREEZE)
    assert "scripted function" in d.message
    assert not [f for f in d.fixes if f.title.startswith("Script it")]


CLASSES = """
import torch

@torch.jit.interface
class Getter:
    def get(self) -> int:
        pass

@torch.jit.script
class P:
    def __init__(self, a: int):
        self.a = a

    def get(self) -> int:
        return self.a

class Plain:
    def __init__(self, a: int):
        self.a = a

    def get(self) -> int:
        return self.a

class NoA:
    def __init__(self):
        self.b = 1

@torch.jit.script
def use_iface(g: Getter) -> int:
    return g.get()

@torch.jit.script
def use_p(p: P) -> int:
    return p.a
"""


def test_a_plain_object_where_an_interface_is_needed():
    r = run(CLASSES + """
use_iface(Plain(1))
""")
    d = only(r, "PJ502")
    assert "to an interface fails because the value is not a TorchScript compatible type" in d.message
    assert text_at(r, d) == "Plain(1)"
    scripted = apply_edits(r.source, fix(d, "Script it").edits)
    assert "use_iface(torch.jit.script(Plain(1)))" in scripted
    assert codes(run(scripted), "PJ5") == []
    made = apply_edits(r.source, fix(d, "Make 'Plain' a script class").edits)
    assert "@torch.jit.script\nclass Plain:" in made
    assert codes(run(made), "PJ5") == []


@pytest.mark.parametrize("call", [
    "use_iface(P(1))",                          # a script class: torch finds its compiled type
    "use_iface(torch.jit.script(Plain(1)))",    # a script object
    "use_p(P(2))",
    "use_p(Plain(2))",                          # torch copies the attributes it needs
    "use_p(p=Plain(2))",
])
def test_objects_torch_accepts(call):
    assert codes(run(CLASSES + call + "\n"), "PJ5") == []


def test_a_plain_object_missing_an_attribute_of_the_script_class():
    r = run(CLASSES + """
use_p(NoA())
""")
    d = only(r, "PJ503")
    assert d.message.startswith("Tried to cast object to type __torch__.snippet.P but object was missing attribute a")
    assert text_at(r, d) == "NoA()"


def test_fixes_add_import_torch_when_the_file_lacks_it():
    r = run("""
from torch.jit import freeze
import torch.nn as nn

class Model(nn.Module):
    def forward(self, x):
        return x

freeze(Model())
""")
    d = only(r, "PJ501")
    fixed = apply_edits(r.source, fix(d, "Script it").edits)
    assert fixed.startswith("import torch\n")
    assert "freeze(torch.jit.script(Model()).eval())" in fixed
    assert codes(run(fixed), "PJ5") == []
