"""Overload resolution against real torch: the same call, the same node.

Each case is one call in a one-line TorchScript function. torch scripts it;
pyjit builds the same arguments with the Graph API (graph inputs for the
parameters, constants for literals, list/tuple constructs for displays) and
calls :func:`emit_builtin_call` with the builtin the frontend resolves the
callee to. The node producing the returned value must agree: its kind, the
schema ``node.schema()`` finds for it, the types of its inputs (and their
values where both sides pass a constant) and of its outputs. Failing calls
must fail with torch's message, verbatim.

The parameters keep scalars out of constant propagation, which would fold
``1 + 2`` away on torch's side.
"""

from __future__ import annotations

import math  # noqa: F401  (resolved by torch from this module's globals)
from dataclasses import dataclass, field
from typing import Any

import pytest

torch = pytest.importorskip("torch", reason="conformance: needs torch==2.13.0 installed")
import torch.nn.functional as F  # noqa: E402,F401

from pyjit_core.frontend.errors import CompileError  # noqa: E402
from pyjit_core.frontend.matching import emit_builtin_call, find_schema  # noqa: E402
from pyjit_core.frontend.named_value import NamedValue  # noqa: E402
from pyjit_core.ir import types as T  # noqa: E402
from pyjit_core.ir.constants import constant_value, insert_constant  # noqa: E402
from pyjit_core.ir.graph import Graph, Node, Value  # noqa: E402
from pyjit_core.ir.source_range import SourceRange  # noqa: E402
from pyjit_core.ir.symbols import Symbol, kinds  # noqa: E402
from pyjit_core.schema import parse_schema_type  # noqa: E402

pytestmark = pytest.mark.conformance

# --- how a case is written --------------------------------------------------------------

#: Parameters every case may use, by name.
PARAMS = {
    "x": "Tensor", "y": "Tensor", "i": "int", "j": "int", "f": "float", "g": "float", "b": "bool",
    "c": "complex", "s": "str", "s2": "str", "l": "List[int]", "l2": "List[int]", "lf": "List[float]",
    "ls": "List[str]", "lt": "List[Tensor]", "lb": "List[bool]", "d": "Dict[str, int]",
    "di": "Dict[int, Tensor]", "oi": "Optional[int]", "ot": "Optional[Tensor]", "ti": "Tuple[int, int]",
    "tt": "Tuple[Tensor, Tensor]", "n": "number", "dv": "Device", "u": None,
}


@dataclass(frozen=True)
class P:
    """A parameter of the function."""

    name: str


@dataclass(frozen=True)
class Dtype:
    """``torch.float32``: an int constant in TorchScript."""

    name: str


@dataclass(frozen=True)
class L:
    """A list display."""

    items: tuple


@dataclass(frozen=True)
class Tup:
    """A tuple display."""

    items: tuple


x, y, i, j, f, g, b, c, s, s2 = (P(n) for n in ("x", "y", "i", "j", "f", "g", "b", "c", "s", "s2"))
# Each parameter is named after the variable in the TorchScript snippets below.
l, l2, lf, ls, lt, lb, d, di, oi, ot, ti, tt, n, u, dv = (  # noqa: E741
    P(n) for n in ("l", "l2", "lf", "ls", "lt", "lb", "d", "di", "oi", "ot", "ti", "tt", "n", "u", "dv"))


def lst(*items: Any) -> L:
    return L(tuple(items))


def tup(*items: Any) -> Tup:
    return Tup(tuple(items))


@dataclass
class Case:
    expr: str                       # the TorchScript expression
    symbol: str                     # the builtin its callee resolves to
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    self_: Any = None               # the receiver of a method call
    error: bool = False

    @property
    def id(self) -> str:
        return self.expr


def _render(a: Any) -> str:
    if isinstance(a, P):
        return a.name
    if isinstance(a, Dtype):
        return f"torch.{a.name}"
    if isinstance(a, L):
        return "[" + ", ".join(_render(v) for v in a.items) + "]"
    if isinstance(a, Tup):
        return "(" + ", ".join(_render(v) for v in a.items) + ("," if len(a.items) == 1 else "") + ")"
    return repr(a)


def call(fn: str, symbol: str, *args: Any, error: bool = False, **kwargs: Any) -> Case:
    """``fn(args, k=v)``: a function the frontend resolves to ``symbol``."""
    rendered = [_render(a) for a in args] + [f"{k}={_render(v)}" for k, v in kwargs.items()]
    return Case(f"{fn}({', '.join(rendered)})", symbol, args, kwargs, None, error)


def method(receiver: P, name: str, *args: Any, symbol: str | None = None, error: bool = False, **kwargs: Any) -> Case:
    """``receiver.name(args)``: a builtin method call, ``self`` bound to the receiver."""
    rendered = [_render(a) for a in args] + [f"{k}={_render(v)}" for k, v in kwargs.items()]
    return Case(f"{receiver.name}.{name}({', '.join(rendered)})", symbol or f"aten::{name}", args, kwargs,
                receiver, error)


def op(expr: str, symbol: str, *args: Any, error: bool = False) -> Case:
    """An operator or Python builtin whose operands are ``args``, in order."""
    return Case(expr, symbol, args, {}, None, error)


_DTYPES = {"float32": 6, "float64": 7, "float16": 5, "int64": 4, "int32": 3, "bool": 11, "uint8": 0}

# --- the cases ---------------------------------------------------------------------------

CASES: list[Case] = [
    # torch.add and its many overloads
    call("torch.add", "aten::add", x, y),
    call("torch.add", "aten::add", x, 1),
    call("torch.add", "aten::add", x, f),
    call("torch.add", "aten::add", x, y, alpha=2),
    call("torch.add", "aten::add", x, 1, 2),
    call("torch.add", "aten::add", x, b),
    call("torch.add", "aten::add", i, x),
    call("torch.add", "aten::add", f, x),
    call("torch.add", "aten::add", c, x),
    call("torch.add", "aten::add", i, j),
    call("torch.add", "aten::add", i, f),
    call("torch.add", "aten::add", f, i),
    call("torch.add", "aten::add", f, g),
    call("torch.add", "aten::add", c, i),
    call("torch.add", "aten::add", l, l2),
    call("torch.add", "aten::add", s, s2),
    call("torch.add", "aten::add", n, i),
    call("torch.add", "aten::add", x, y, out=x),
    method(x, "add", y),
    method(x, "add", y, alpha=2),
    method(x, "add", 1),
    method(x, "add", f, alpha=g),
    method(x, "add_", y),
    method(x, "add_", 1),
    call("torch.sub", "aten::sub", x, y, alpha=f),
    call("torch.sub", "aten::sub", i, x),
    call("torch.mul", "aten::mul", x, 2),
    call("torch.mul", "aten::mul", 2, x),
    call("torch.mul", "aten::mul", l, 2),
    call("torch.div", "aten::div", x, y, rounding_mode="floor"),
    call("torch.div", "aten::div", x, 2),
    call("torch.div", "aten::div", f, x),
    call("torch.div", "aten::div", i, j),
    call("torch.ne", "aten::ne", i, x),
    call("torch.lt", "aten::lt", f, x),
    # factories: lists, varargs, dtypes, devices
    call("torch.zeros", "aten::zeros", lst(2, 3)),
    call("torch.zeros", "aten::zeros", 2, 3),
    call("torch.zeros", "aten::zeros", i),
    call("torch.zeros", "aten::zeros", i, j),
    call("torch.zeros", "aten::zeros", l),
    call("torch.zeros", "aten::zeros", tup(2, 3)),
    call("torch.zeros", "aten::zeros", ti),
    call("torch.zeros", "aten::zeros", 2, 3, dtype=Dtype("float32")),
    call("torch.zeros", "aten::zeros", lst(2), device="cpu"),
    call("torch.zeros", "aten::zeros", lst(2), dtype=oi),
    call("torch.zeros", "aten::zeros", l, dtype=Dtype("int64"), device=s),
    call("torch.ones", "aten::ones", i, 2),
    call("torch.ones", "aten::ones", x, 2),
    call("torch.ones", "aten::ones", 2, 3, dtype=Dtype("int64")),
    call("torch.empty", "aten::empty", 2),
    call("torch.empty", "aten::empty", lst(i, j)),
    call("torch.full", "aten::full", lst(2, 2), 1.5),
    call("torch.full", "aten::full", lst(2), i),
    call("torch.full", "aten::full", l, b, dtype=Dtype("bool")),
    call("torch.arange", "aten::arange", 10),
    call("torch.arange", "aten::arange", 0, 10, 2),
    call("torch.arange", "aten::arange", f),
    call("torch.arange", "aten::arange", i, j, dtype=Dtype("float32")),
    call("torch.linspace", "aten::linspace", 0, 1, 5),
    call("torch.randn", "aten::randn", 2, 3),
    call("torch.rand", "aten::rand", lst(2)),
    call("torch.randint", "aten::randint", 0, 10, lst(3)),
    call("torch.randint", "aten::randint", 10, tup(3,)),
    call("torch.zeros_like", "aten::zeros_like", x),
    call("torch.ones_like", "aten::ones_like", x, dtype=Dtype("float32")),
    call("torch.tensor", "aten::tensor", lst(1.0)),
    call("torch.tensor", "aten::tensor", lst(1, 2)),
    call("torch.tensor", "aten::tensor", 1.5),
    call("torch.tensor", "aten::tensor", l),
    call("torch.tensor", "aten::tensor", f, dtype=Dtype("float64")),
    call("torch.tensor", "aten::tensor", b),
    method(x, "new_zeros", lst(2)),
    method(x, "new_full", lst(2), 1.0),
    method(x, "new_empty", l),
    # lists of tensors
    call("torch.cat", "aten::cat", lst(x, y), 1),
    call("torch.cat", "aten::cat", lst(x, y)),
    call("torch.cat", "aten::cat", tup(x, y), dim=0),
    call("torch.cat", "aten::cat", tt),
    call("torch.cat", "aten::cat", lt),
    call("torch.stack", "aten::stack", lst(x, y)),
    call("torch.stack", "aten::stack", lt, -1),
    # shapes
    method(x, "view", -1),
    method(x, "view", 2, 3),
    method(x, "view", lst(2, 3)),
    method(x, "view", l),
    method(x, "view", tup(2, 3)),
    method(x, "view", i, -1),
    method(x, "view", ti),
    method(x, "reshape", -1),
    method(x, "reshape", l),
    call("torch.reshape", "aten::reshape", x, lst(i)),
    method(x, "expand", 2, 3),
    method(x, "expand", lst(2, 3)),
    method(x, "repeat", 2, 1),
    method(x, "permute", 1, 0),
    method(x, "permute", lst(1, 0)),
    method(x, "transpose", 0, 1),
    method(x, "unsqueeze", 0),
    method(x, "squeeze"),
    method(x, "squeeze", 0),
    method(x, "flatten"),
    call("torch.flatten", "aten::flatten", x, 1),
    method(x, "size"),
    method(x, "size", 0),
    method(x, "size", -1),
    method(x, "dim"),
    method(x, "numel"),
    method(x, "contiguous"),
    method(x, "clone"),
    method(x, "detach"),
    method(x, "chunk", 2),
    method(x, "split", 2),
    method(x, "split", lst(1, 2)),
    call("torch.narrow", "aten::narrow", x, 0, 0, 1),
    method(x, "select", 0, 1),
    method(x, "index_select", 0, y),
    # reductions, named tuples
    method(x, "sum"),
    method(x, "sum", 1),
    method(x, "sum", dim=1),
    method(x, "sum", dim=1, keepdim=True),
    method(x, "sum", lst(0, 1)),
    method(x, "sum", dim=tup(0, 1)),
    method(x, "sum", dtype=Dtype("float64")),
    method(x, "mean", 1, True),
    method(x, "mean"),
    method(x, "max"),
    method(x, "max", 1),
    method(x, "max", dim=1, keepdim=True),
    method(x, "max", y),
    call("torch.max", "aten::max", x, 1),
    call("torch.min", "aten::min", x, y),
    method(x, "topk", 2),
    method(x, "sort"),
    method(x, "argmax"),
    method(x, "argmax", 1),
    call("torch.cumsum", "aten::cumsum", x, 0),
    # conversions and casts
    method(x, "to", Dtype("float32")),
    method(x, "to", "cpu"),
    method(x, "to", s),
    method(x, "to", y),
    method(x, "to", dtype=Dtype("float16")),
    method(x, "to", "cpu", Dtype("float32")),
    method(x, "item"),
    method(x, "fill_", 1),
    method(x, "zero_"),
    method(x, "copy_", y),
    method(x, "masked_fill", y, 0.0),
    method(x, "masked_fill", y, 0),
    method(x, "masked_fill", y, x),
    method(x, "clamp", min=0),
    method(x, "clamp", 0, 1),
    call("torch.clamp", "aten::clamp", x, max=f),
    method(x, "scatter", 1, y, 1.0),
    call("torch.gather", "aten::gather", x, 1, y),
    call("torch.where", "aten::where", y, x, 0.0),
    call("torch.where", "aten::where", y, x, y),
    # nn ops
    call("torch.relu", "aten::relu", x),
    call("torch.relu", "aten::relu", u),
    call("torch.zeros", "aten::zeros", u),
    call("torch.sigmoid", "aten::sigmoid", x),
    call("torch.softmax", "aten::softmax", x, 1),
    call("torch.log_softmax", "aten::log_softmax", x, dim=1),
    method(x, "softmax", -1),
    call("torch.max_pool2d", "aten::max_pool2d", x, 2),
    call("torch.max_pool2d", "aten::max_pool2d", x, lst(2, 2)),
    call("torch.max_pool2d", "aten::max_pool2d", x, 2, stride=1),
    call("torch.max_pool2d", "aten::max_pool2d", x, i, i, 0, 1, b),
    call("torch._C._nn.avg_pool2d", "aten::avg_pool2d", x, 3),
    call("torch.conv2d", "aten::conv2d", x, y),
    call("torch.conv2d", "aten::conv2d", x, y, None, 1, 0),
    call("torch.conv2d", "aten::conv2d", x, y, padding="same"),
    call("torch.conv2d", "aten::conv2d", x, y, ot, 2),
    call("torch.layer_norm", "aten::layer_norm", x, lst(2)),
    call("torch.dropout", "aten::dropout", x, 0.5, True),
    call("torch.embedding", "aten::embedding", x, y),
    call("torch.matmul", "aten::matmul", x, y),
    call("torch.mm", "aten::mm", x, y),
    call("torch.nn.modules.utils._pair", "aten::_pair", i),
    call("torch.nn.modules.utils._pair", "aten::_pair", f),
    call("torch.nn.modules.utils._pair", "aten::_pair", l),
    call("torch.nn.modules.utils._triple", "aten::_triple", 1),
    # operators on tensors
    op("x + 1", "aten::add", x, 1),
    op("x + y", "aten::add", x, y),
    op("x - f", "aten::sub", x, f),
    op("x * 2.0", "aten::mul", x, 2.0),
    op("x / y", "aten::div", x, y),
    op("x // 2", "aten::floordiv", x, 2),
    op("x // y", "aten::floordiv", x, y),
    op("x % 2", "aten::remainder", x, 2),
    op("x ** 2", "aten::pow", x, 2),
    op("x @ y", "aten::matmul", x, y),
    op("x & y", "aten::__and__", x, y),
    op("x == y", "aten::eq", x, y),
    op("x == 1", "aten::eq", x, 1),
    op("x != f", "aten::ne", x, f),
    op("x < y", "aten::lt", x, y),
    op("x >= 1", "aten::ge", x, 1),
    op("1 + x", "aten::add", 1, x),
    op("f * x", "aten::mul", f, x),
    op("1 - x", "aten::sub", 1, x),
    op("2 / x", "aten::div", 2, x),
    op("i < x", "aten::lt", i, x),
    op("-x", "aten::neg", x),
    # operators on scalars, strings and lists
    op("i + j", "aten::add", i, j),
    op("i + f", "aten::add", i, f),
    op("i + 2.5", "aten::add", i, 2.5),
    op("f * g", "aten::mul", f, g),
    op("i / j", "aten::div", i, j),
    op("i // j", "aten::floordiv", i, j),
    op("f // i", "aten::floordiv", f, i),
    op("i % j", "aten::remainder", i, j),
    op("i ** j", "aten::pow", i, j),
    op("f ** i", "aten::pow", f, i),
    op("-i", "aten::neg", i),
    op("-f", "aten::neg", f),
    op("i < f", "aten::lt", i, f),
    op("i == j", "aten::eq", i, j),
    op("s == s2", "aten::eq", s, s2),
    op("s + s2", "aten::add", s, s2),
    op('"a" + s', "aten::add", "a", s),
    op("c * f", "aten::mul", c, f),
    op("n + i", "aten::add", n, i),
    op("l + l2", "aten::add", l, l2),
    op("[1] + l", "aten::add", lst(1), l),
    op("l * 2", "aten::mul", l, 2),
    op("2 * l", "aten::mul", 2, l),
    op("lf + lf", "aten::add", lf, lf),
    op("i in l", "aten::__contains__", l, i),
    op("s in ls", "aten::__contains__", ls, s),
    op("s in s2", "aten::__contains__", s2, s),
    op("s in d", "aten::__contains__", d, s),
    op("i in di", "aten::__contains__", di, i),
    # Python builtins
    call("len", "aten::len", l),
    call("len", "aten::len", x),
    call("len", "aten::len", s),
    call("len", "aten::len", lt),
    call("len", "aten::len", d),
    call("len", "aten::len", i),
    call("max", "prim::max", i, j),
    call("max", "prim::max", f, i),
    call("max", "prim::max", l),
    call("max", "prim::max", lf),
    call("min", "prim::min", i, f),
    call("min", "prim::min", l),
    call("min", "prim::min", f, g),
    call("abs", "prim::abs", i),
    call("abs", "prim::abs", f),
    call("abs", "prim::abs", x),
    call("round", "aten::round", f),
    call("divmod", "aten::divmod", i, j),
    call("divmod", "aten::divmod", f, i),
    call("sum", "aten::sum", l),
    call("sum", "aten::sum", lf),
    call("float", "aten::Float", i),
    call("float", "aten::Float", x),
    call("float", "aten::Float", s),
    call("int", "aten::Int", f),
    call("int", "aten::Int", x),
    call("int", "aten::Int", s),
    call("bool", "aten::Bool", x),
    call("bool", "aten::Bool", i),
    call("str", "aten::str", i),
    call("str", "aten::str", x),
    call("math.sqrt", "aten::sqrt", f),
    call("math.floor", "aten::floor", f),
    call("math.log", "aten::log", f),
    call("math.exp", "aten::exp", i),
    call("math.pow", "aten::pow", f, 2),
    call("math.ceil", "aten::ceil", i),
    call("math.isnan", "aten::isnan", f),
    call("math.gcd", "aten::gcd", i, j),
    # methods of lists, strings and dicts
    method(l, "append", 1),
    method(lt, "append", x),
    method(l, "pop"),
    method(l, "pop", 0),
    method(l, "insert", 0, i),
    method(l, "index", 1),
    method(l, "count", i),
    method(l, "reverse"),
    method(l, "copy"),
    method(l, "clear"),
    method(l, "extend", l2),
    method(l, "sort"),
    method(lf, "sort", reverse=True),
    method(s, "upper"),
    method(s, "split", ","),
    method(s, "split"),
    method(s, "find", "a"),
    method(s, "startswith", s2),
    method(s, "replace", "a", "b"),
    method(s, "strip"),
    method(s, "join", ls),
    method(d, "keys"),
    method(d, "values"),
    method(d, "items"),
    method(d, "get", "a"),
    method(d, "get", s, 1),
    method(d, "pop", s),
    method(d, "setdefault", s, i),
    method(di, "get", i),
    # subscripts on containers
    op("l[i]", "aten::__getitem__", l, i),
    op("lt[0]", "aten::__getitem__", lt, 0),
    op("s[i]", "aten::__getitem__", s, i),
    op("d[s]", "aten::__getitem__", d, s),
    op("di[i]", "aten::__getitem__", di, i),
    # None for optionals, nested lists, more builtins
    call("torch.zeros", "aten::zeros", lst(2), dtype=None),
    call("torch.conv2d", "aten::conv2d", x, y, bias=ot),
    method(x, "sum", dim=None),
    method(x, "to", None),
    call("torch.tensor", "aten::tensor", lst(lst(1, 2), lst(3, 4))),
    call("torch.tensor", "aten::tensor", lst(lst(1.0))),
    call("all", "aten::all", lb),
    call("any", "aten::any", lb),
    call("hex", "aten::hex", i),
    call("ord", "aten::ord", s),
    call("chr", "aten::chr", i),
    call("min", "prim::min", x, y),
    call("max", "prim::max", lf, lf),
    call("abs", "prim::abs", c),
    call("float", "aten::Float", b),
    call("int", "aten::Int", b),
    call("complex", "aten::Complex", f, g),
    call("torch.full", "aten::full", lst(2), c),
    op("c + i", "aten::add", c, i),
    op("i + c", "aten::add", i, c),
    op("b + i", "aten::add", b, i),
    op("i & j", "aten::__and__", i, j),
    op("i | j", "aten::__or__", i, j),
    op("i << j", "aten::__lshift__", i, j),
    op("f % g", "aten::remainder", f, g),
    op("ls + ls", "aten::add", ls, ls),
    op("lt + lt", "aten::add", lt, lt),
    call("torch.zeros", "aten::zeros", lst()),
    call("torch.cat", "aten::cat", lst()),
    method(x, "view", lst()),
    method(x, "sum", lst()),
    op("[] + lt", "aten::add", lst(), lt),
    # Tensor and Device properties: prim::<name>(value), some of them inlined builtin functions
    *(op(f"x.{name}", f"prim::{name}", x) for name in (
        "dtype", "device", "is_cuda", "requires_grad", "shape", "ndim", "T", "mT", "H", "mH", "layout",
        "is_quantized", "is_sparse", "data", "grad", "is_mkldnn", "is_meta", "is_cpu", "is_nested")),
    op("dv.type", "prim::type", dv),
    op("dv.index", "prim::index", dv),
]

ERROR_CASES: list[Case] = [
    call("torch.add", "aten::add", x, "a", error=True),
    call("torch.add", "aten::add", x, error=True),
    call("torch.add", "aten::add", x, y, other=y, error=True),
    call("torch.add", "aten::add", l, ls, error=True),
    call("torch.relu", "aten::relu", x, 1, error=True),
    call("torch.relu", "aten::relu", x, foo=1, error=True),
    call("torch.sigmoid", "aten::sigmoid", x, 2, 3, error=True),
    method(x, "view", 1, 2, dim=3, error=True),
    method(x, "view", f, error=True),
    call("torch.zeros", "aten::zeros", 2, 3.0, error=True),
    call("torch.zeros", "aten::zeros", error=True),
    call("torch.ones", "aten::ones", s, error=True),
    call("torch.cat", "aten::cat", x, y, error=True),
    call("torch.cat", "aten::cat", lst(x, y), dim="a", error=True),
    call("torch.cat", "aten::cat", u, 1, error=True),
    call("torch.zeros", "aten::zeros", lst(u), error=True),
    method(x, "add", "a", "b", error=True),
    method(x, "sum", dim="a", error=True),
    method(x, "masked_fill", y, s, error=True),
    method(x, "clamp", s, error=True),
    call("torch.full", "aten::full", lst(2), s, error=True),
    call("torch.conv2d", "aten::conv2d", x, error=True),
    call("max", "prim::max", s, i, error=True),
    call("round", "aten::round", f, 2, error=True),
    call("abs", "prim::abs", s, error=True),
    call("divmod", "aten::divmod", s, i, error=True),
    call("math.sqrt", "aten::sqrt", s, error=True),
    method(l, "append", s, error=True),
    method(l, "index", "a", error=True),
    method(d, "get", 1, error=True),
    method(s, "split", 1, error=True),
    op("x + s", "aten::add", x, s, error=True),
    op("s * s2", "aten::mul", s, s2, error=True),
    op("l + ls", "aten::add", l, ls, error=True),
    op("i in s", "aten::__contains__", s, i, error=True),
    op("~i", "aten::bitwise_not", i, error=True),
    op("l + []", "aten::add", l, lst(), error=True),
    op("s * i", "aten::mul", s, i, error=True),
]

# --- the torch side ----------------------------------------------------------------------------


def _signature() -> str:
    return ", ".join(name if annotation is None else f"{name}: {annotation}" for name, annotation in PARAMS.items())


def _torch_compile(expr: str, prelude: str = ""):
    src = f"{prelude}def f({_signature()}):\n    return {expr}\n"
    return torch.jit.CompilationUnit(src).f.graph


def _producer(graph, symbol: str) -> Any:
    """The node that made the returned value (through a named tuple's packing);
    for an op returning nothing, the last node of its kind."""
    node = next(graph.outputs()).node()
    if node.kind() == "prim::Constant" or (node.kind() == "prim::TupleConstruct" and not list(node.inputs())):
        return [n for n in graph.nodes() if n.kind() == symbol][-1]
    if node.kind() == "prim::TupleConstruct":
        producers = {id(v.node()): v.node() for v in node.inputs()}
        if len(producers) == 1:
            only = next(iter(producers.values()))
            if only.kind() != "prim::Param" and len(list(only.outputs())) > 1:
                return only
    return node


def _norm(v: Any) -> Any:
    if isinstance(v, torch.device):
        return ("device", str(v))
    if isinstance(v, (list, tuple)):
        return [_norm(e) for e in v]
    return v


def _torch_facts(expr: str, symbol: str) -> dict:
    graph = _torch_compile(expr)
    node = _producer(graph, symbol)
    try:
        schema = str(node.schema())
    except RuntimeError:
        schema = None
    inputs = []
    for v in node.inputs():
        const = _norm(v.toIValue()) if v.node().kind() == "prim::Constant" else _NOT_CONSTANT
        inputs.append((str(v.type()), const))
    return {
        "kind": node.kind(),
        "schema": schema if schema != "(no schema)" else None,
        "inputs": inputs,
        "outputs": [str(v.type()) for v in node.outputs()],
    }


def _torch_error(expr: str, prelude: str = "") -> str:
    with pytest.raises(RuntimeError) as info:
        _torch_compile(expr, prelude)
    text = str(info.value)
    # ErrorReport::what(): "\n" + message + ":\n" + the highlighted source.
    return text[1:text.rindex(':\n  File "<string>"')]


# --- the pyjit side ------------------------------------------------------------------------------

_NOT_CONSTANT = object()
LOC = SourceRange("<string>", 2, 11)


def _annotation_type(text: str | None) -> T.JitType:
    if text is None:
        return T.TensorType.get_inferred()
    text = text.strip()
    generic = {"List": lambda a: T.ListType(a[0]), "Optional": lambda a: T.OptionalType(a[0]),
               "Tuple": lambda a: T.TupleType(tuple(a)), "Dict": lambda a: T.DictType(a[0], a[1])}
    if "[" in text:
        head, inner = text[:-1].split("[", 1)
        parts, depth, start = [], 0, 0
        for k, ch in enumerate(inner):
            depth += ch == "["
            depth -= ch == "]"
            if ch == "," and depth == 0:
                parts.append(inner[start:k])
                start = k + 1
        parts.append(inner[start:])
        return generic[head]([_annotation_type(p) for p in parts])
    return parse_schema_type({"number": "Scalar"}.get(text, text))


def _build(graph: Graph, params: dict[str, Value], a: Any) -> Value:
    if isinstance(a, P):
        return params[a.name]
    if isinstance(a, Dtype):
        return insert_constant(graph, _DTYPES[a.name])
    if isinstance(a, L) and not a.items:
        # `[]` without a type hint: a temporary literal typed List[Tensor]
        # that matching may turn into any list (torch: prim::EmptyListLiteral).
        node = graph.create(Symbol("prim::EmptyListLiteral"))
        node.output().set_type(T.ListType(T.Tensor))
        return graph.insert_node(node).output()
    if isinstance(a, L):
        items = [_build(graph, params, v) for v in a.items]
        element = items[0].type
        for v in items[1:]:
            element = T.unify_types(element, v.type)
        node = graph.create(kinds.ListConstruct, items)
        node.output().set_type(T.ListType(element))
        return graph.insert_node(node).output()
    if isinstance(a, Tup):
        items = [_build(graph, params, v) for v in a.items]
        node = graph.create(kinds.TupleConstruct, items)
        node.output().set_type(T.TupleType(tuple(v.type for v in items)))
        return graph.insert_node(node).output()
    return insert_constant(graph, a)


def _pyjit_emit(case: Case) -> tuple[Graph, Value]:
    graph = Graph()
    params = {name: graph.add_input(name, _annotation_type(annotation)) for name, annotation in PARAMS.items()}
    args = [NamedValue.of(_build(graph, params, a)) for a in case.args]
    kwargs = [NamedValue.of(_build(graph, params, v), k) for k, v in case.kwargs.items()]
    self_ = NamedValue.of(params[case.self_.name], "self") if case.self_ is not None else None
    out = emit_builtin_call(LOC, graph, case.symbol, args, kwargs, self_)
    graph.register_output(out)
    return graph, out


def _pyjit_producer(graph: Graph, out: Value, symbol: str) -> Node:
    node = out.node
    if node.kind is kinds.Constant or (node.kind is kinds.TupleConstruct and not node.inputs):
        return [n for n in graph.nodes() if n.kind.qual_string() == symbol][-1]
    if node.kind is kinds.TupleConstruct:
        producers = {id(v.node): v.node for v in node.inputs}
        if len(producers) == 1:
            only = next(iter(producers.values()))
            if only.kind is not kinds.Param and len(only.outputs) > 1:
                return only
    return node


def _pyjit_facts(case: Case) -> dict:
    graph, out = _pyjit_emit(case)
    node = _pyjit_producer(graph, out, case.symbol)
    schema = find_schema(node)
    inputs = []
    for v in node.inputs:
        const = _norm_pyjit(constant_value(v)) if v.node.kind is kinds.Constant else _NOT_CONSTANT
        inputs.append((v.type.annotation_str(), const))
    return {
        "kind": node.kind.qual_string(),
        "schema": str(schema) if schema is not None else None,
        "inputs": inputs,
        "outputs": [v.type.annotation_str() for v in node.outputs],
    }


def _norm_pyjit(v: Any) -> Any:
    from pyjit_core.ir.attributes import Device

    if isinstance(v, Device):
        return ("device", v.spec)
    if isinstance(v, (list, tuple)):
        return [_norm_pyjit(e) for e in v]
    return v


def _comparable(facts: dict, other: dict) -> dict:
    """Constant values are compared only where both sides pass a constant
    (torch's constant propagation folds e.g. ``aten::device("cpu")``)."""
    inputs = []
    for (t, v), (_, w) in zip(facts["inputs"], other["inputs"], strict=False):
        inputs.append((t, v if v is not _NOT_CONSTANT and w is not _NOT_CONSTANT else "<value>"))
    inputs += [(t, "<value>") for t, _ in facts["inputs"][len(other["inputs"]):]]
    return {**facts, "inputs": inputs}


# --- the tests ------------------------------------------------------------------------------------


def test_the_case_tables_are_big_enough() -> None:
    assert len(CASES) >= 150
    assert len({case.expr for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_call_resolves_like_torch(case: Case) -> None:
    expected = _torch_facts(case.expr, case.symbol)
    got = _pyjit_facts(case)
    assert expected["kind"] == got["kind"]
    assert _comparable(got, expected) == _comparable(expected, got)


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda case: case.id)
def test_bad_call_fails_like_torch(case: Case) -> None:
    expected = _torch_error(case.expr)
    with pytest.raises(CompileError) as info:
        _pyjit_emit(case)
    got = info.value.message
    assert got.splitlines()[0] == expected.splitlines()[0]
    assert got == expected
    assert info.value.range == LOC


# --- calls of user functions: one schema, matched once with conversions ------------------------

USER_FUNCTIONS = """\
def ug(a: int, b: float = 1.0) -> float:
    return a + b
def uh(a, b: List[int], c: Optional[int] = None):
    return a
def uk(xs: List[Tensor], *, scale: float = 2.0, name: str = "k") -> Tensor:
    return xs[0]
def uv(a: Union[int, str], b: Optional[List[int]] = None, c: Optional[float] = 2.0) -> int:
    return 1
"""
#: Which parameters of USER_FUNCTIONS have no annotation (torch infers Tensor).
UNANNOTATED = {"uh": {"a"}}

USER_CASES: list[Case] = [
    call("ug", "ug", i),
    call("ug", "ug", i, 2.0),
    call("ug", "ug", x, b=1.5),
    call("ug", "ug", b=f, a=i),
    call("ug", "ug", b, f),
    call("uh", "uh", x, lst(1, 2), c=i),
    call("uh", "uh", x, tup(1, 2)),
    call("uh", "uh", u, lst(i)),
    call("uh", "uh", x, ti, oi),
    call("uh", "uh", x, l, None),
    call("uk", "uk", lt),
    call("uk", "uk", tup(x, y), scale=f),
    call("uk", "uk", tt, name=s),
    call("uv", "uv", i),
    call("uv", "uv", s),
    call("uv", "uv", i, l),
    call("uv", "uv", s, None),
    call("uv", "uv", i, lst(1)),
    call("uv", "uv", i, ti),
    call("uv", "uv", i, l, f),
    call("uv", "uv", i, c=x),
    call("uv", "uv", i, c=None),
    call("uv", "uv", f, error=True),
    call("uv", "uv", x, error=True),
    call("uv", "uv", i, lf, error=True),
    call("uv", "uv", i, c=i, error=True),
    call("uk", "uk", lst(x), scale=i, error=True),
    call("ug", "ug", s, error=True),
    call("ug", "ug", i, 2, error=True),
    call("ug", "ug", 1, 2, 3, error=True),
    call("ug", "ug", b=1.0, error=True),
    call("ug", "ug", 1, c=2, error=True),
    call("ug", "ug", 1, a=2, error=True),
    call("ug", "ug", u),
    call("uh", "uh", x, s, error=True),
    call("uh", "uh", i, lst(1), error=True),
    call("uh", "uh", x, l, s, error=True),
    call("uk", "uk", lt, 1.0, error=True),
    call("uk", "uk", x, y),
    call("uk", "uk", x, i, error=True),
]


def _user_schema(name: str):
    import dataclasses

    from pyjit_core.schema import parse_schema

    schema = parse_schema(str(getattr(torch.jit.CompilationUnit(USER_FUNCTIONS), name).schema))
    inferred = UNANNOTATED.get(name, set())
    arguments = tuple(
        dataclasses.replace(a, type=T.TensorType.get_inferred(), real_type=None) if a.name in inferred else a
        for a in schema.arguments
    )
    return dataclasses.replace(schema, arguments=arguments)


def _pyjit_match_user(case: Case):
    from pyjit_core.frontend.matching import match_schema

    graph = Graph()
    params = {name: graph.add_input(name, _annotation_type(annotation)) for name, annotation in PARAMS.items()}
    args = [NamedValue.of(_build(graph, params, a)) for a in case.args]
    kwargs = [NamedValue.of(_build(graph, params, v), k) for k, v in case.kwargs.items()]
    return match_schema(_user_schema(case.symbol), LOC, graph, args, kwargs)


@pytest.mark.parametrize("case", [c for c in USER_CASES if not c.error], ids=lambda case: case.id)
def test_user_function_call_binds_like_torch(case: Case) -> None:
    graph = _torch_compile(case.expr, USER_FUNCTIONS)
    node = next(graph.outputs()).node()
    assert node.kind() == "prim::CallFunction"
    expected = [(str(v.type()), _norm(v.toIValue()) if v.node().kind() == "prim::Constant" else "<value>")
                for v in list(node.inputs())[1:]]
    matched = _pyjit_match_user(case)
    got = [(v.type.annotation_str(), _norm_pyjit(constant_value(v)) if v.node.kind is kinds.Constant else "<value>")
           for v in matched.inputs]
    assert got == expected
    assert [t.annotation_str() for t in matched.return_types] == [str(v.type()) for v in node.outputs()]


@pytest.mark.parametrize("case", [c for c in USER_CASES if c.error], ids=lambda case: case.id)
def test_bad_user_function_call_fails_like_torch(case: Case) -> None:
    expected = _torch_error(case.expr, USER_FUNCTIONS)
    with pytest.raises(CompileError) as info:
        _pyjit_match_user(case)
    assert info.value.message == expected


def test_bundled_builtin_functions_are_torchs() -> None:
    """``data/builtin_functions.ir`` is what tools/capture_builtin_functions.py captures now."""
    import importlib.util
    from pathlib import Path

    tool = Path(__file__).resolve().parents[2] / "tools" / "capture_builtin_functions.py"
    spec = importlib.util.spec_from_file_location("capture_builtin_functions", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.capture() == module.OUT.read_text("utf-8")
