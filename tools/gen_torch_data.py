"""Regenerate the torch registry snapshot bundled in ``pyjit_core/schema/data/``.

Usage (needs the pinned torch, e.g. ``pip install -e '.[conformance]'``)::

    .venv/bin/python tools/gen_torch_data.py            # rewrite the data files
    .venv/bin/python tools/gen_torch_data.py --check    # exit 1 if they are stale

It writes three files:

``schemas.txt.gz``
    Every schema of ``torch._C._jit_get_all_schemas()`` as ``str(schema)``, one
    per line, in that order. Overload resolution tries an operator's overloads
    in the order ``torch._C._jit_get_schemas_for_operator(name)`` returns them;
    the generator checks that this is the order the overloads appear in the
    file (and that each operator's overloads are contiguous) and refuses to
    write otherwise.
``builtins.json.gz``
    The table TorchScript uses to turn a Python callable into a builtin
    operator, ``torch.jit._builtins._builtin_ops`` (after
    ``_get_builtin_table()`` has filled it). Entries keep their order; each
    points at an *object* record holding the object's ``__module__.__qualname__``
    and every dotted path, within the modules in ``WALKED_MODULES``, at which a
    user's source reaches that very object (``is``, not ``==``). torch keys the
    table by ``id()``, so for an object listed twice the last entry wins.
``manifest.json``
    The torch version and the counts, for a quick staleness check.

The files are deterministic for a given torch build, so a regenerated tree
shows no diff unless torch changed.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import io
import json
import sys
import types
import warnings
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "pyjit_core" / "schema" / "data"
SCHEMAS_FILE = "schemas.txt.gz"
BUILTINS_FILE = "builtins.json.gz"
MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1

#: Modules whose attributes a TorchScript user's source plausibly names
#: (``torch.relu``, ``F.conv2d``, ``math.floor``, ``torch._VF.stft``); a path
#: is recorded only when its object is in the builtin table.
WALKED_MODULES = (
    "torch",
    "torch.functional",
    "torch.nn.functional",
    "torch.nn.init",
    "torch.nn.modules.utils",
    "torch.linalg",
    "torch.fft",
    "torch.special",
    "torch.nested",
    "torch.sparse",
    "torch.autograd",
    "torch.random",
    "torch.jit",
    "torch._C",
    "torch._C._nn",
    "torch._C._fft",
    "torch._C._linalg",
    "torch._C._nested",
    "torch._C._sparse",
    "torch._C._special",
    "torch._C._VariableFunctions",
    "torch._VF",
    "torch.backends.cudnn",
    "torch.distributed.autograd",
    "math",
    "cmath",
    "warnings",
    "collections",
    "builtins",
)


def collect_schemas(torch) -> tuple[list[str], int]:
    """All schema texts in registry order and the number of operators, after
    checking that the per-operator order agrees."""
    schemas = torch._C._jit_get_all_schemas()
    texts = [str(s) for s in schemas]
    by_operator: dict[str, list[str]] = {}
    previous = None
    for schema, text in zip(schemas, texts, strict=False):
        if "\n" in text:
            raise SystemExit(f"schema text spans lines, the file format cannot hold it: {text!r}")
        if schema.name != previous and schema.name in by_operator:
            raise SystemExit(f"overloads of {schema.name} are not contiguous in _jit_get_all_schemas()")
        previous = schema.name
        by_operator.setdefault(schema.name, []).append(text)
    for name, ours in by_operator.items():
        theirs = [str(s) for s in torch._C._jit_get_schemas_for_operator(name)]
        if ours != theirs:
            raise SystemExit(f"overload order of {name} differs between _jit_get_all_schemas() "
                             f"and _jit_get_schemas_for_operator(); the snapshot format assumes they agree")
    return texts, len(by_operator)


def _resolve(dotted: str):
    """A module, or a module-like attribute such as ``torch._C._nn`` that is not importable by name."""
    try:
        return importlib.import_module(dotted)
    except ImportError:
        parent, _, attribute = dotted.rpartition(".")
        return getattr(_resolve(parent), attribute)


def _module_attributes(torch, module_name: str):
    if module_name == "torch._VF":
        # VFModule forwards attribute access to torch._C._VariableFunctions
        # without listing the names, so take the names from there.
        module = torch._VF
        names = dir(torch._C._VariableFunctions)
    else:
        module = _resolve(module_name)
        names = set(dir(module))
        wrapped = getattr(module, "__dict__", {}).get("m")
        if isinstance(wrapped, types.ModuleType):
            # torch.backends' PropModule wrappers forward attribute access to
            # the wrapped module `m` without listing its names.
            names |= set(dir(wrapped))
    for name in sorted(names):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield name, getattr(module, name)
        except Exception:
            continue


def _qualified_name(obj) -> str | None:
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(qualname, str):
        return None
    return f"{module}.{qualname}" if isinstance(module, str) else qualname


def collect_builtins(torch) -> dict:
    """The builtin table as objects (qualname, paths) and entries (object index, op)."""
    from torch.jit import _builtins

    _builtins._get_builtin_table()
    entries_raw = list(_builtins._builtin_ops)
    object_index: dict[int, int] = {}
    objects: list[dict] = []
    keep_alive = []
    entries: list[list] = []
    for fn, op in entries_raw:
        key = id(fn)
        if key not in object_index:
            object_index[key] = len(objects)
            objects.append({"qualname": _qualified_name(fn), "paths": []})
            keep_alive.append(fn)
        entries.append([object_index[key], op])

    for module_name in WALKED_MODULES:
        for name, value in _module_attributes(torch, module_name):
            index = object_index.get(id(value))
            if index is not None:
                objects[index]["paths"].append(f"{module_name}.{name}")
    return {"format": FORMAT_VERSION, "walked_modules": list(WALKED_MODULES),
            "objects": objects, "entries": entries}


def _gzip_bytes(payload: bytes) -> bytes:
    buffer = io.BytesIO()
    # mtime=0 and no file name keep the output byte-identical across runs.
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0, filename="") as out:
        out.write(payload)
    return buffer.getvalue()


def render(torch) -> dict[str, bytes]:
    """The data files' exact bytes, by file name."""
    schemas, operator_count = collect_schemas(torch)
    builtins = collect_builtins(torch)
    manifest = {
        "format": FORMAT_VERSION,
        "torch_version": torch.__version__,
        "schema_count": len(schemas),
        "operator_count": operator_count,
        "builtin_entry_count": len(builtins["entries"]),
        "builtin_object_count": len(builtins["objects"]),
        "builtin_path_count": sum(len(o["paths"]) for o in builtins["objects"]),
        "generator": "tools/gen_torch_data.py",
    }
    return {
        SCHEMAS_FILE: _gzip_bytes(("\n".join(schemas) + "\n").encode("utf-8")),
        BUILTINS_FILE: _gzip_bytes(json.dumps(builtins, separators=(",", ":"), sort_keys=True).encode("utf-8")),
        MANIFEST_FILE: (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the bundled data differs from torch's")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="directory to write (default: the package data)")
    args = parser.parse_args(argv)

    import torch

    files = render(torch)
    if args.check:
        stale = [name for name, data in files.items()
                 if not (args.out / name).exists() or (args.out / name).read_bytes() != data]
        for name in stale:
            print(f"stale: {args.out / name}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        print(f"wrote {args.out / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
