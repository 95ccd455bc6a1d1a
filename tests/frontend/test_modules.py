"""Static nn.Module instances and module types, without torch (its installed *sources* are read when found).

The graphs themselves are checked against real torch in test_modules_against_torch.py; here: what the
interpreter makes of ``__init__`` (attributes, their order and types, constants, submodules, type sharing),
constructor arguments from the call site, torch's source bundled with pyjit standing in for an
installed torch's, and the diagnostics for modules torch would not script.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pyjit_core.frontend import driver
from pyjit_core.frontend.driver import analyze_source
from pyjit_core.frontend.pyworld import default_torch_root
from pyjit_core.frontend.script_modules import describe_origin, module_types

HEADER = """\
from typing import Dict, Final, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor
"""

TORCH_SOURCES = default_torch_root()
needs_torch_sources = pytest.mark.skipif(TORCH_SOURCES is None, reason="reads the installed torch's nn sources")
CORPUS = Path(__file__).resolve().parents[1] / "conformance" / "corpus"


def analyze(body: str, *, torch_root: str | None = "auto", roots: str = "decorated", name: str = "case"):
    """Analyse ``body`` (after the common imports) and return (analysis, module types by name)."""
    source = HEADER + "\n\n" + textwrap.dedent(body)
    sessions = []
    original = driver._RootCompiler.__init__

    def capture(self, *args, **kwargs):
        original(self, *args, **kwargs)
        sessions.append(self)

    driver._RootCompiler.__init__ = capture
    try:
        analysis = analyze_source(source, f"/virtual/{name}.py", module_name=name, roots=roots, torch_root=torch_root)
    finally:
        driver._RootCompiler.__init__ = original
    return analysis, module_types(sessions[0].compiler)


def line_of(body: str, needle: str) -> int:
    """The 1-based line of ``needle`` in the file ``analyze`` builds from ``body``."""
    source = HEADER + "\n\n" + textwrap.dedent(body)
    return next(i for i, line in enumerate(source.splitlines(), 1) if needle in line)


def errors(analysis) -> list[str]:
    return [f"{d.code} {d.range.start_line + 1}: {d.message}" for d in analysis.diagnostics if d.is_error]


def layout(concrete) -> dict:
    return {
        "attributes": [(n, a.type.annotation_str(), a.is_parameter, a.is_buffer)
                       for n, a in concrete.attributes.items()],
        "constants": dict(concrete.constants),
        "modules": [n for n, _ in concrete.modules],
    }


# --- what __init__ leaves -----------------------------------------------------------------------


@needs_torch_sources
def test_attributes_in_torch_order_with_inferred_types() -> None:
    analysis, types = analyze("""
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = nn.Linear(3, 3, bias=False)
                self.k = 3
                self.register_buffer("b", torch.zeros(2))
                self.w = nn.Parameter(torch.ones(2))
                self.names = ["a"]
                self.maybe: Optional[Tensor] = None
                self.shape = (2, 3.0)

            def forward(self, x: Tensor) -> Tensor:
                return self.lin(x) * self.k

        m = torch.jit.script(M())
    """)
    assert errors(analysis) == []
    m = layout(types["__torch__.case.M"])
    # torch: parameters, buffers, then the instance __dict__ (training first); submodules last.
    assert m["attributes"] == [
        ("w", "Tensor", True, False), ("b", "Tensor", False, True), ("training", "bool", False, False),
        ("_is_full_backward_hook", "Optional[bool]", False, False), ("k", "int", False, False),
        ("names", "List[str]", False, False), ("maybe", "NoneType", False, False),
        ("shape", "Tuple[int, float]", False, False)]
    assert m["modules"] == ["lin"]
    linear = layout(types["__torch__.torch.nn.modules.linear.Linear"])
    # bias=False registers a None parameter; Linear's own annotations make the hook flag NoneType.
    assert linear == {
        "attributes": [("weight", "Tensor", True, False), ("bias", "NoneType", True, False),
                       ("training", "bool", False, False), ("_is_full_backward_hook", "NoneType", False, False)],
        "constants": {"in_features": 3, "out_features": 3}, "modules": []}


@needs_torch_sources
def test_constants_final_and_constructor_arguments_from_the_call_site() -> None:
    analysis, types = analyze("""
        class M(nn.Module):
            __constants__ = ["mode", "dims"]
            scale: Final[float]

            def __init__(self, mode: str, n: int = 2, *, scale: float = 1.0):
                super().__init__()
                self.mode = mode
                self.dims = list(range(n))
                self.scale = scale * n
                if mode == "wide":
                    self.extra = nn.Linear(n, n)
                for i in range(n):
                    setattr(self, f"h{i}", nn.ReLU())

            def forward(self, x: Tensor) -> Tensor:
                return x * self.scale

        N = 3
        m = torch.jit.script(M("wide", N, scale=0.5))
    """)
    assert errors(analysis) == []
    m = layout(types["__torch__.case.M"])
    assert m["constants"] == {"mode": "wide", "dims": (0, 1, 2), "scale": 1.5}
    assert m["modules"] == ["extra", "h0", "h1", "h2"]


@needs_torch_sources
def test_equal_instances_share_a_type_and_different_ones_are_mangled() -> None:
    analysis, types = analyze("""
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(2, 2)
                self.b = nn.Linear(2, 2)
                self.c = nn.Linear(2, 3)

            def forward(self, x: Tensor) -> Tensor:
                return self.a(x) + self.b(x)

        m = torch.jit.script(M())
    """)
    assert errors(analysis) == []
    m = types["__torch__.case.M"]
    names = {n: sub.jit_type.name for n, sub in m.modules}
    assert names["a"] == names["b"] == "__torch__.torch.nn.modules.linear.Linear"
    assert names["c"] == "__torch__.torch.nn.modules.linear.___torch_mangle_0.Linear"
    assert "__torch__.torch.nn.modules.linear.___torch_mangle_0.Linear.forward" in analysis.functions


@needs_torch_sources
def test_containers_built_by_loops_and_comprehensions() -> None:
    analysis, types = analyze("""
        import copy

        class M(nn.Module):
            def __init__(self, n: int):
                super().__init__()
                block = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
                self.blocks = nn.ModuleList([copy.deepcopy(block) for _ in range(n)])
                self.heads = nn.ModuleDict()
                for name in ["x", "y"]:
                    self.heads[name] = nn.Linear(2, 1)
                self.params = nn.ParameterList([nn.Parameter(torch.zeros(1)) for _ in range(n)])

            def forward(self, x: Tensor) -> Tensor:
                for b in self.blocks:
                    x = b(x)
                return x

        m = torch.jit.script(M(4))
    """)
    assert errors(analysis) == []
    m = types["__torch__.case.M"]
    blocks = dict(m.modules)["blocks"]
    assert blocks.iterable_kind == "list"
    assert [n for n, _ in blocks.modules] == ["0", "1", "2", "3"]
    assert dict(m.modules)["heads"].iterable_kind == "dict"
    assert [n for n, _ in dict(m.modules)["heads"].modules] == ["x", "y"]
    plist = dict(m.modules)["params"]
    assert plist.iterable_kind == "paramlist"
    assert [(n, a.is_parameter) for n, a in plist.attributes.items()][:4] == [(str(i), True) for i in range(4)]
    # The four Sequentials are deep copies of one: one shared type.
    assert len({sub.jit_type.name for _, sub in blocks.modules}) == 1


# --- roots without a call site ----------------------------------------------------------------------


@needs_torch_sources
def test_module_roots_without_a_call_use_defaults_and_typed_unknowns() -> None:
    analysis, types = analyze("""
        class M(nn.Module):
            def __init__(self, d: int, use_bias: bool = True):
                super().__init__()
                self.lin = nn.Linear(d, d, bias=use_bias)
                self.d = d

            def forward(self, x: Tensor) -> Tensor:
                return self.lin(x) * self.d
    """, roots="modules")
    assert [r.name for r in analysis.roots] == ["M"]
    assert errors(analysis) == []
    m = layout(types["__torch__.case.M"])
    assert ("d", "int", False, False) in m["attributes"]
    assert analysis.functions["__torch__.case.M.forward"].graph is not None


@needs_torch_sources
def test_defaults_that_raise_without_a_call_site_are_only_a_warning() -> None:
    analysis, _ = analyze("""
        class M(nn.Module):
            def __init__(self, ratio: Optional[float] = None):
                super().__init__()
                if ratio is None:
                    raise ValueError("give a ratio")
                self.ratio = ratio

            def forward(self, x: Tensor) -> Tensor:
                return x * self.ratio
    """, roots="modules")
    assert errors(analysis) == []
    assert [d.code for d in analysis.diagnostics] == ["PJ901"]


@needs_torch_sources
def test_constructor_that_raises_at_the_call_site_is_an_error_there() -> None:
    body = """
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.drop = nn.Dropout(1.5)

            def forward(self, x: Tensor) -> Tensor:
                return self.drop(x)

        m = torch.jit.script(M())
    """
    analysis, _ = analyze(body)
    (d,) = [d for d in analysis.diagnostics if d.is_error]
    assert d.message == "M(...) raises ValueError: dropout probability has to be between 0 and 1, but got 1.5"
    assert d.range.start_line + 1 == line_of(body, "m = torch.jit.script(M())")
    assert d.related
    assert "dropout.py" in d.related[0].path


def test_runaway_init_is_given_up_with_a_warning() -> None:
    analysis, _ = analyze("""
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                n = 0
                while n >= 0:
                    n += 1

            def forward(self, x: Tensor) -> Tensor:
                return x

        m = torch.jit.script(M())
    """, torch_root=None)
    assert errors(analysis) == []
    assert [d.code for d in analysis.diagnostics] == ["PJ901"]


# --- rejections (messages are torch's; test_modules_against_torch.py checks them live) ------------


@pytest.mark.parametrize("torch_root", ["auto", None])
def test_missing_and_unconvertible_attributes(torch_root) -> None:
    body = """
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.s = {1, 2}

            def forward(self, x: Tensor) -> Tensor:
                y = x + len(self.s)
                return x * self.factor

        m = torch.jit.script(M())
    """
    analysis, _ = analyze(body, torch_root=torch_root)
    assert errors(analysis) == [
        f"PJ210 {line_of(body, 'len(self.s)')}: Module 'M' has no attribute 's' (This attribute exists on the "
        "Python module, but we failed to convert Python type: 'set' to a TorchScript type. Only tensors and "
        "(possibly nested) tuples of tensors, lists, or dicts are supported as inputs or outputs of traced "
        "functions, but instead got value of type set.. Its type was inferred; try adding a type annotation for "
        "the attribute.)",
        f"PJ210 {line_of(body, 'self.factor')}: Module 'M' has no attribute 'factor' "]


def test_script_of_the_class_instead_of_an_instance() -> None:
    body = """
        class M(nn.Module):
            def forward(self, x: Tensor) -> Tensor:
                return x

        m = torch.jit.script(M)
    """
    analysis, _ = analyze(body, torch_root=None)
    assert errors(analysis) == [f"PJ200 {line_of(body, 'torch.jit.script(M)')}: Type '<class 'case.M'>' cannot be "
                                "compiled since it inherits from nn.Module, pass an instance instead"]


# --- torch.nn without torch: torch's source bundled with pyjit ---------------------------------------

LAYERS = {
    "Linear": "4, 3", "Linear_nobias": "4, 3, bias=False", "Identity": "", "Bilinear": "3, 4, 5",
    "Conv1d": "2, 4, 3", "Conv2d": "2, 4, 3, stride=2, padding=1", "Conv3d": "2, 4, 3, bias=False",
    "BatchNorm1d": "4", "BatchNorm2d": "4, affine=False", "BatchNorm3d": "4", "LayerNorm": "[4, 5]",
    "GroupNorm": "2, 4", "Dropout": "0.2", "Dropout2d": "", "ReLU": "inplace=True", "SiLU": "", "GELU": "",
    "LeakyReLU": "0.2", "ELU": "", "Sigmoid": "", "Tanh": "", "Softmax": "dim=-1", "LogSoftmax": "1",
    "Embedding": "10, 4, padding_idx=-1", "MaxPool2d": "2", "MaxPool1d": "3, 2", "AvgPool2d": "3, stride=2",
    "AdaptiveAvgPool2d": "(1, 1)", "Flatten": "", "LSTM": "4, 8", "TransformerEncoderLayer": "8, 2",
}


@needs_torch_sources
def test_bundled_layers_have_the_types_installed_sources_give() -> None:
    attrs = "\n".join(f"        self.m_{n} = nn.{n.split('_')[0]}({a})" for n, a in LAYERS.items())
    body = f"""
class All(nn.Module):
    def __init__(self):
        super().__init__()
{attrs}

    def forward(self, x: Tensor) -> Tensor:
        return x

m = torch.jit.script(All())
"""
    installed_analysis, installed = analyze(body)
    bundled_analysis, bundled = analyze(body, torch_root=None)
    assert errors(installed_analysis) == []
    assert errors(bundled_analysis) == []
    by_installed = dict(installed["__torch__.case.All"].modules)
    by_bundled = dict(bundled["__torch__.case.All"].modules)
    for name in LAYERS:
        a, b = by_installed[f"m_{name}"], by_bundled[f"m_{name}"]
        assert a.origin == b.origin == "torch-source"
        assert a.jit_type.name == b.jit_type.name, name
        assert layout(a) == layout(b), name


def test_bundled_layers_are_compiled_and_say_where_they_come_from() -> None:
    analysis, types = analyze("""
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = nn.Linear(2, 2)
                self.seq = nn.Sequential(nn.ReLU(), nn.Tanh())

            def forward(self, x: Tensor) -> Tensor:
                return self.seq(self.lin(x))

        m = torch.jit.script(M())
    """, torch_root=None)
    assert errors(analysis) == []
    linear = types["__torch__.torch.nn.modules.linear.Linear"]
    assert linear.origin == "torch-source"
    assert describe_origin(linear) == ("torch.nn layer read from torch 2.13.0's source bundled with pyjit "
                                       "(torch is not installed)")
    assert types["__torch__.case.M"].origin == "source"
    forward = analysis.functions["__torch__.torch.nn.modules.linear.Linear.forward"]
    assert forward.path == "<bundled torch 2.13.0>/torch/nn/modules/linear.py"
    assert "aten::linear" in str(forward.graph)
    seq_forward = analysis.functions["__torch__.torch.nn.modules.container.Sequential.forward"].graph
    assert "prim::CallMethod" in str(seq_forward)


def test_analysis_keeps_a_summary_of_each_module_type() -> None:
    analysis, _ = analyze("""
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = nn.Linear(2, 2)

            def forward(self, x: Tensor) -> Tensor:
                return self.lin(x)

        m = torch.jit.script(M())
    """, torch_root=None)
    linear = analysis.module_types["__torch__.torch.nn.modules.linear.Linear"]
    assert linear.python_class == "torch.nn.modules.linear.Linear"
    assert linear.origin == "torch-source"
    assert linear.attributes[:2] == (("weight", "Tensor", "parameter"), ("bias", "Tensor", "parameter"))
    assert linear.constants == (("in_features", "2"), ("out_features", "2"))
    assert linear.notes == ()
    m = analysis.module_types["__torch__.case.M"]
    assert m.origin == "source"
    assert ("lin", "__torch__.torch.nn.modules.linear.Linear", "module") in m.attributes


def test_init_is_interpreted_with_python_semantics() -> None:
    """Constants computed by ordinary Python in ``__init__`` come out as Python computes them."""
    analysis, types = analyze("""
        import collections
        import math
        from itertools import repeat

        def _ntuple(n):
            def parse(x):
                if isinstance(x, collections.abc.Iterable):
                    return tuple(x)
                return tuple(repeat(x, n))
            return parse

        _pair = _ntuple(2)
        SCALES = {"small": 0.5, "large": 2.0}

        class Base(nn.Module):
            kind = "base"

            def __init__(self, width: int):
                super().__init__()
                self.width = width

            @property
            def doubled(self) -> int:
                return self.width * 2

        class M(Base):
            __constants__ = ["pair", "names", "label", "ratio", "steps", "fallback", "tag", "flags"]

            def __init__(self, width: int, size: str = "small"):
                super().__init__(width)
                self.pair = _pair(width)
                self.names = [f"{self.kind}_{i}" for i, _ in enumerate(range(3), start=1)]
                self.sizes = {k: v for k, v in zip("abc", range(3)) if v}
                self.label = "-".join(s.upper() for s in ["x", "y"])[::-1]
                self.ratio = SCALES[size] * math.sqrt(self.doubled)
                n, steps = width, 0
                while n > 1:
                    n //= 2
                    steps += 1
                self.steps = steps
                try:
                    self.fallback = {"a": 1}["b"]
                except KeyError:
                    self.fallback = -1
                setattr(self, "tag", "t" if hasattr(self, "width") else "f")
                self.flags = (all(x > 0 for x in self.pair), any([]), min(3, 1, 2), sorted([3, 1, 2]))

            def forward(self, x: Tensor) -> Tensor:
                return x

        m = torch.jit.script(M(8, size="large"))
    """, torch_root=None)
    assert errors(analysis) == []
    m = types["__torch__.case.M"]
    assert m.constants == {
        "pair": (8, 8), "names": ("base_1", "base_2", "base_3"), "label": "Y-X", "ratio": 8.0, "steps": 3,
        "fallback": -1, "tag": "t", "flags": (True, False, 1, (1, 2, 3)),
    }
    assert m.instance.attrs["sizes"] == {"b": 1, "c": 2}
    assert m.attributes["sizes"].type.annotation_str() == "Dict[str, int]"


def test_script_calls_on_eval_and_on_locals_find_the_constructor() -> None:
    analysis, types = analyze("""
        class A(nn.Module):
            def __init__(self, k: int):
                super().__init__()
                self.k = k

            def forward(self, x: Tensor) -> Tensor:
                return x * self.k

        class B(A):
            pass

        a = torch.jit.script(A(2).eval())

        def main() -> None:
            model = B(7)
            model.train(False)
            scripted = torch.jit.script(model)
    """, torch_root=None)
    assert errors(analysis) == []
    assert [r.name for r in analysis.roots] == ["A", "B"]
    assert types["__torch__.case.A"].instance.attrs["k"] == 2
    assert types["__torch__.case.B"].instance.attrs["k"] == 7
