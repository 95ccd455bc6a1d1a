"""Capture torch's TorchScript-written builtin functions into ``pyjit_core/frontend/data/``.

Usage (needs the pinned torch, e.g. ``pip install -e '.[conformance]'``)::

    .venv/bin/python tools/capture_builtin_functions.py            # rewrite the data file
    .venv/bin/python tools/capture_builtin_functions.py --check    # exit 1 if it is stale

torch compiles a few small TorchScript functions at start-up and offers them
to overload resolution after the operators of the same name (torch:
torch/csrc/jit/frontend/builtin_functions.cpp): ``aten::add(int a, Tensor b)``
is ``b + a``, ``aten::_pair(int[2] x)`` is ``x``, ``prim::shape(Tensor a)``
is ``a.size()``. When one of them matches a call, its graph is inlined.

For each one this script scripts a small wrapper whose only statement calls
it, so that torch inlines the function's graph into the wrapper; the wrapper's
graph *is* the function's graph, except that the inputs are the wrapper's
parameters -- their types are taken from the function's schema instead.
The schema texts are read from torch's own error message listing a name's
variants (the functions appear there without a namespace, after the
operators), in the order torch tries them; the property functions
(``prim::shape`` ...) cannot be called with bad arguments, so their schemas
are checked by compiling a call instead.

Output: ``builtin_functions.ir``, one block per function::

    function aten::add
    schema add(int a, Tensor b) -> Tensor
    graph(%a : int,
          %b : Tensor):
      %2 : int = prim::Constant[value=1]()
      %3 : Tensor = aten::add(%b, %a, %2) # <string>:5:9
      return (%3)
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "pyjit_core" / "frontend" / "data" / "builtin_functions.ir"

WRAPPER_LINE = 1000
SCALARS = ("float", "int", "complex")
SCALAR_OPS = ("mul", "add", "ne", "eq", "sub", "div", "lt", "le", "gt", "ge")
NTUPLES = ("single", "pair", "triple", "quadruple")

# (symbol, a failing call that lists every variant, the call to make in a
# wrapper). Which functions exist, and in which order torch tries them, comes
# from torch's listing; the wrapper's parameters are named and typed after
# each listed schema, and `{args}` stands for them.
FUNCTIONS: list[tuple[str, str, str]] = [
    *((f"aten::{op}", f"torch.{op}(x, __pyjit_no_such_keyword=1)", f"torch.{op}({{args}})") for op in SCALAR_OPS),
    *((f"aten::_{n}", f"torch.nn.modules.utils._{n}(x, __pyjit_no_such_keyword=1)",
       f"torch.nn.modules.utils._{n}({{args}})") for n in NTUPLES),
    ("aten::floordiv", '"a" // "b"', "{0} // {1}"),
    ("aten::_assert_int_or_pair", "torch.nn.functional.assert_int_or_pair(x, __pyjit_no_such_keyword=1)",
     "torch.nn.functional.assert_int_or_pair({args})"),
    ("aten::list_with_default", "torch.nn.modules.utils._list_with_default(x, __pyjit_no_such_keyword=1)",
     "torch.nn.modules.utils._list_with_default({args})"),
    ("aten::_assert", "torch._assert(x, __pyjit_no_such_keyword=1)", "torch._assert({args})"),
    ("aten::device", "torch.device(x, __pyjit_no_such_keyword=1)", "torch.device(type={0})"),
    ("aten::__contains__", "x in 1.5", "{1} in {0}"),
]
# Not captured: aten::type(Tensor self, int dtype, ...). The frontend turns
# `x.type(dtype)` into aten::to itself, so no TorchScript call reaches it.
#
# Tensor properties: prim::<name>(Tensor a), reached as `x.<name>`.
PROPERTIES = {
    "ndim": "ndim(Tensor a) -> int",
    "T": "T(Tensor a) -> Tensor",
    "H": "H(Tensor a) -> Tensor",
    "mT": "mT(Tensor a) -> Tensor",
    "mH": "mH(Tensor a) -> Tensor",
    "shape": "shape(Tensor a) -> int[]",
}


def _compile(src: str):
    import torch

    return torch.jit.CompilationUnit(src)


def _variants(call: str) -> list[str]:
    """The schema texts torch lists for a failing call, functions only (no namespace)."""
    src = f"def f(x: torch.Tensor):\n    return {call}\n"
    try:
        _compile(src)
    except Exception as e:  # torch raises RuntimeError subclasses
        text = str(e)
    else:
        raise SystemExit(f"expected {call!r} to fail to compile")
    schemas = []
    for line in text.splitlines():
        # "  add(int a, Tensor b) -> Tensor:" in a variant list, or the
        # single-schema form "\nschema:\nreason".
        m = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*\(.*\) -> .*):", line)
        if m and "::" not in m.group(1).split("(")[0]:
            schemas.append(m.group(1))
    return schemas


def _graph_text(params: str, body: str, schema_args: list[tuple[str, str]]) -> str:
    """The wrapper's graph, with inputs renamed and retyped from the schema."""
    # The wrapper's call sits on line WRAPPER_LINE, far below any line of
    # torch's builtin sources, so the two kinds of source range cannot mix.
    src = "\n" * (WRAPPER_LINE - 2) + f"def w({params}):\n    return {body}\n"
    graph = _compile(src).w.graph
    text = str(graph)
    _header, _, rest = text.partition("):\n")
    names = [i.debugName() for i in graph.inputs()]
    if len(names) != len(schema_args):
        raise SystemExit(f"wrapper {params!r} has {len(names)} inputs, the schema {len(schema_args)}")
    typed = (f"%{n} : {t}" for n, (_, t) in zip(names, schema_args, strict=False))
    new_header = "graph(" + ",\n      ".join(typed) + "):\n"
    # Wrapper-side source ranges point at the wrapper's line; the function's
    # nodes point into torch's own `<string>` source. Keep the latter only.
    body_lines = [re.sub(rf" # <string>:{WRAPPER_LINE}:\d+$", "", line) for line in rest.splitlines()]
    return new_header + "\n".join(body_lines) + "\n"


def _schema_args(schema_text: str):
    """(name, type) of each argument, from the schema's own parse."""
    from pyjit_core.schema import parse_schema

    schema = parse_schema(schema_text)
    return [(a.name, a.type) for a in schema.arguments]


def _annotation(t) -> str:
    """A wrapper parameter's annotation; only its kind matters (the graph input is retyped)."""
    from pyjit_core.ir import types as T

    if isinstance(t, T.NumberType):
        return "float"
    return t.annotation_str()


def capture() -> str:
    import torch

    out = [
        f"# torch {torch.__version__}: TorchScript-written builtin functions, inlined by emitBuiltinCall.\n"
        "# Generated by tools/capture_builtin_functions.py; do not edit.\n"
    ]
    for symbol, failing_call, call in FUNCTIONS:
        schemas = _variants(failing_call)
        if not schemas:
            raise SystemExit(f"{symbol}: torch lists no builtin function for {failing_call!r}")
        for schema_text in schemas:
            args = _schema_args(schema_text)
            params = ", ".join(f"{name}: {_annotation(t)}" for name, t in args)
            body = call.format(*(name for name, _ in args), args=", ".join(name for name, _ in args))
            out.append(f"\nfunction {symbol}\nschema {schema_text}\n")
            out.append(_graph_text(params, body, args))
    for name, schema_text in PROPERTIES.items():
        out.append(f"\nfunction prim::{name}\nschema {schema_text}\n")
        out.append(_graph_text("a: Tensor", f"a.{name}", _schema_args(schema_text)))
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the bundled file is stale")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    text = capture()
    if args.check:
        if not OUT.exists() or OUT.read_text("utf-8") != text:
            print(f"{OUT} is stale; rerun tools/capture_builtin_functions.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
