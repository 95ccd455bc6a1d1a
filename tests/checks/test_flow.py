"""The plain-Python value tracker behind the export and script-boundary checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pyjit_core.checks.flow import InstanceValue, PlainFlow, ScriptFunctionValue
from pyjit_core.frontend.pyworld import PyWorld
from pyjit_core.frontend.source import SourceFile

HEAD = """
import torch
import torch.nn as nn

class Model(nn.Module):
    def forward(self, x):
        return x

class Seq(nn.Sequential):
    pass

class Point:
    def __init__(self):
        self.a = 1

@torch.jit.script
class Scripted:
    def __init__(self):
        self.a = 1

def f(x):
    return x

cond = True
"""


def _probe(body: str):
    """The value passed to the last ``probe(...)`` call."""
    text = textwrap.dedent(HEAD) + textwrap.dedent(body)
    source = SourceFile("/virtual/flow.py", text)
    scope = PyWorld().add_source("flow", source)
    flow = PlainFlow(scope, source.parse()).run()
    sites = [s for s in flow.calls if getattr(s.node.func, "id", None) == "probe"]
    assert sites, "no probe() call"
    return sites[-1].args[0]


def _describe(value) -> str | None:
    if isinstance(value, InstanceValue):
        return f"{value.instance.cls.__name__}:{value.instance.cls.role}:{value.instance.origin}"
    if isinstance(value, ScriptFunctionValue):
        return f"script function {value.ref.qualname}"
    return None


@pytest.mark.parametrize(("body", "expected"), [
    ("probe(Model())", "Model:module:eager"),
    ("probe(Seq())", "Seq:module:eager"),
    ("probe(nn.Linear(2, 2))", "Linear:module:eager"),
    ("probe(Point())", "Point:plain:eager"),
    ("probe(Scripted())", "Scripted:script_class:eager"),
    ("probe(torch.jit.script(Model()))", "Model:module:scripted"),
    ("probe(torch.jit.script(Point()))", "Point:plain:scripted"),
    ("probe(torch.jit.trace(Model(), torch.ones(1)))", "Model:module:traced"),
    ("m = torch.jit.script(Model())\nprobe(torch.jit.freeze(m.eval()))", "Model:module:scripted"),
    ("probe(torch.jit.load('m.pt'))", "RecursiveScriptModule:module:scripted"),
    ("probe(torch.classes.quantized.LinearPackedParamsBase())", "LinearPackedParamsBase:custom_class:eager"),
    ("probe(torch.jit.script(f))", "script function f"),
    ("g = f\nprobe(torch.jit.script(g))", "script function f"),
    # names through control flow
    ("m = Model()\nif cond:\n    m = torch.jit.script(m)\nprobe(m)", None),
    ("m = Model()\nif cond:\n    pass\nprobe(m)", "Model:module:eager"),
    ("m = Model()\nwhile cond:\n    m = Model()\nprobe(m)", None),
    ("for i in range(2):\n    m = Model()\n    probe(m)", "Model:module:eager"),
    ("try:\n    m = Model()\nexcept Exception:\n    m = None\nprobe(m)", None),
    ("try:\n    m = Model()\nfinally:\n    pass\nprobe(m)", "Model:module:eager"),
    ("with open('x') as fh:\n    m = Model()\nprobe(m)", "Model:module:eager"),
    ("m = Model()\ndel m\nprobe(m)", None),
    ("m = Model()\nm2, m3 = m, m\nprobe(m2)", None),
    ("if (m := Model()):\n    probe(m)", "Model:module:eager"),
    # functions see the module's names; their own names shadow them
    ("m = Model()\ndef main():\n    probe(m)", "Model:module:eager"),
    ("m = Model()\ndef main(m):\n    probe(m)", None),
    ("def main():\n    import torch as T\n    probe(T.jit.script(Model()))", "Model:module:scripted"),
])
def test_values(body, expected):
    assert _describe(_probe(body)) == expected


SOURCES = sorted((Path(__file__).resolve().parents[1] / "conformance" / "corpus").glob("*.py")) + sorted(
    (Path(__file__).resolve().parents[2] / "examples").glob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_following_only_jit_calls_finds_every_jit_call(path):
    """The checks run the tracker with ``jit_calls_only``, which skips the
    functions that spell no jit name: it must find every call they look at."""
    source = SourceFile(str(path), path.read_text())
    scope = PyWorld().add_source(path.stem, source)
    full = PlainFlow(scope, source.parse()).run()
    quick = PlainFlow(scope, source.parse(), jit_calls_only=True).run()

    def jit_calls(flow):
        return [(s.node.lineno, s.node.col_offset, s.path, s.method, type(s.callee).__name__)
                for s in flow.calls if flow.is_jit_call(s)]

    assert jit_calls(quick) == jit_calls(full)
    assert len(quick.calls) <= len(full.calls)


def test_a_function_calling_a_scripted_function_by_name_is_followed():
    text = textwrap.dedent(HEAD) + textwrap.dedent("""
        g = torch.jit.script(f)

        def main():
            m = Model()
            g(m)
    """)
    source = SourceFile("/virtual/flow.py", text)
    flow = PlainFlow(PyWorld().add_source("flow", source), source.parse(), jit_calls_only=True).run()
    assert any(isinstance(s.callee, ScriptFunctionValue) and s.function is not None for s in flow.calls)


def test_a_function_edited_to_call_a_scripted_function_is_followed_after_the_edit():
    """Which functions spell a jit name is remembered across analyses by their
    text: an edit that adds such a call is followed, one that removes it is not."""
    head = textwrap.dedent(HEAD) + "\ng = torch.jit.script(f)\n"
    before = head + textwrap.dedent("""
        def main():
            m = Model()
            return m
    """)
    after = before.replace("    return m", "    g(m)\n    return m")

    def followed(text):
        source = SourceFile("/virtual/flow.py", text)
        flow = PlainFlow(PyWorld().add_source("flow", source), source.parse(), jit_calls_only=True).run()
        return [s.node.lineno for s in flow.calls if isinstance(s.callee, ScriptFunctionValue)]

    assert followed(before) == []
    assert followed(after) == [after.split("\n").index("    g(m)") + 1]
    assert followed(before) == []
