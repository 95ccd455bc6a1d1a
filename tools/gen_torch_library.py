"""Snapshot what pyjit needs to know about torch's Python library when its
source cannot be read: the TorchScript signature of every function of
``torch.nn.functional`` that scripts, which of them are boolean dispatches,
and the attribute names of torch's main namespaces.

Usage (needs the torch version the package data is for)::

    python tools/gen_torch_library.py            # rewrite pyjit_core/frontend/data/torch_library.json.gz
    python tools/gen_torch_library.py --check    # exit 1 if the bundled data is stale

The frontend reads library sources from the installed torch when it finds
them (see ``pyjit_core.frontend.pyworld``); this summary is the fallback.
"""

from __future__ import annotations

import argparse
import gzip
import inspect
import json
import sys
import warnings
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pyjit_core" / "frontend" / "data" / "torch_library.json.gz"
NAMESPACES = ("torch", "torch.nn", "torch.nn.functional", "torch.linalg", "torch.fft", "torch.special", "torch.jit",
              "math")


def build() -> dict:
    import importlib

    import torch
    import torch.nn.functional as F
    from torch._jit_internal import _try_get_dispatched_fn

    functions: dict[str, str] = {}
    dispatches: dict[str, dict] = {}
    for name in sorted(dir(F)):
        obj = getattr(F, name)
        dispatched = _try_get_dispatched_fn(obj) if callable(obj) else None
        if dispatched is not None:
            dispatches[f"torch.nn.functional.{name}"] = {
                "arg_name": dispatched["arg_name"], "arg_index": dispatched["index"],
                "default": dispatched["default"],
                "if_true": f"torch.nn.functional.{dispatched['if_true'].__name__}",
                "if_false": f"torch.nn.functional.{dispatched['if_false'].__name__}",
            }
            continue
        if not callable(obj) or inspect.isclass(obj) or inspect.isbuiltin(obj) or inspect.ismodule(obj):
            continue
        if torch.jit._builtins._find_builtin(obj) is not None:
            continue  # a builtin operator, in the schema snapshot
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                schema = torch.jit.script(obj).schema
            except Exception:  # noqa: BLE001 - torch cannot script it: no entry
                continue
        try:
            functions[f"torch.nn.functional.{name}"] = str(schema)
        except Exception:  # noqa: BLE001 - torch's printer asserts on broadcast-list defaults
            functions[f"torch.nn.functional.{name}"] = format_schema(schema)
    namespaces = {}
    for module_name in NAMESPACES:
        module = importlib.import_module(module_name)
        namespaces[module_name] = sorted(n for n in dir(module) if not n.startswith("__"))
    return {"torch_version": torch.__version__, "functions": functions, "boolean_dispatch": dispatches,
            "namespaces": namespaces}


def format_schema(schema) -> str:
    """``str(schema)`` for the schemas torch's own printer cannot print (a
    broadcasting list with a one-element default, ``int[2] padding=0``)."""
    def spell(t, n=None) -> str:
        kind = t.kind()
        if kind == "OptionalType":
            return spell(t.getElementType(), n) + "?"
        if kind == "ListType":
            return spell(t.getElementType()) + (f"[{n}]" if n else "[]")
        if kind == "TupleType":
            return "(" + ", ".join(spell(e) for e in t.elements()) + ")"
        if kind == "DictType":
            return f"Dict({spell(t.getKeyType())}, {spell(t.getValueType())})"
        return {"TensorType": "Tensor", "IntType": "int", "FloatType": "float", "BoolType": "bool",
                "StringType": "str", "NoneType": "NoneType", "NumberType": "Scalar", "AnyType": "Any",
                "DeviceObjType": "Device", "ComplexType": "complex"}.get(kind, str(t))

    parts = []
    for arg in schema.arguments:
        spelled = spell(arg.type, arg.N)
        text = f"{spelled} {arg.name}"
        if arg.default_value is not None or arg.has_default_value():
            value = arg.default_value
            text += "=" + ("None" if value is None else repr(value) if isinstance(value, str)
                           else str(value).replace("True", "True"))
        parts.append(text)
    returns = ", ".join(spell(r.type) for r in schema.returns)
    return f"{schema.name}({', '.join(parts)}) -> {returns}"


def encode(data: dict) -> bytes:
    text = json.dumps(data, indent=0, sort_keys=True).encode("utf-8")
    return gzip.compress(text, mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the bundled data is stale")
    args = parser.parse_args(argv)
    blob = encode(build())
    if args.check:
        current = OUT.read_bytes() if OUT.exists() else b""
        if current != blob:
            print(f"{OUT} is stale; run tools/gen_torch_library.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_bytes(blob)
    print(f"wrote {OUT} ({len(blob)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
