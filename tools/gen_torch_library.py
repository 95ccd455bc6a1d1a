"""Snapshot what pyjit reads of torch's Python library, for when torch is not installed.

Usage (needs the torch version the package data is for, torch==2.13.0)::

    python tools/gen_torch_library.py            # rewrite the data files
    python tools/gen_torch_library.py --check    # exit 1 if they are stale for the installed torch

It writes three files into ``pyjit_core/frontend/data/``:

``torch_source.json.gz``
    torch's own source of the modules in :data:`MODULES`, read from the
    installed torch (never imported for this), with their documentation taken
    out: docstrings, the text given to ``_add_docstr``/``add_docstr`` and
    ``__doc__ = ...``, and comments other than ``# type:`` ones. Every other
    token stays at its line and column, so that ranges in graphs and
    diagnostics read from the bundle are the ones torch's files give. pyjit
    reads these files through a virtual torch root,
    ``<bundled torch 2.13.0>/torch`` (see ``pyjit_core/frontend/torch_library.py``).
``torch_source.LICENSE``
    torch's license (BSD-3), which covers those sources.
``torch_library.json.gz``
    The attribute names of torch's main namespaces (``dir(torch)``...): what
    torch's C extension adds to them (``from torch._C import *``) shows in no
    source, and the frontend needs it to tell ``torch.does_not_exist`` from a
    name it only cannot see. Made by importing torch.

How :data:`MODULES` was found: by recording every torch module the shared
library world (``pyworld.library_world``) of an installed torch had read
after analyses (checks and hovers included) of the conformance corpus
(``roots`` decorated and all), ``torch/nn/functional.py`` (``roots = "all"``),
every ``torch/nn/modules/*.py`` (``roots`` modules and all) and every file
of torchvision 0.28.0 (``roots = "modules"``, the wheel unpacked on the
search path, not installed). To those were added the modules users' code
commonly reaches that none of these happened to: ``torch.functional``, all
of ``torch.nn.modules`` and ``torch.nn.utils`` (``rnn``, ``spectral_norm``,
``parametrizations``...), ``torch.autograd.function``, ``torch.jit._async``
and ``torch.cuda`` (``torch.cuda.is_available()`` in an ``__init__``).
``tests/frontend/test_bundled_torch.py`` fails when an analysis of the
corpus, ``functional.py`` or ``nn/modules`` reads a module the bundle lacks.
A torch module outside the bundle resolves, without torch, as torch's
C-extension names do: by its dotted path.

``--check`` compares the decompressed contents, so a different zlib does not
make the data stale.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import importlib
import importlib.util
import io
import json
import sys
import tokenize
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "pyjit_core" / "frontend" / "data"
NAMESPACES_FILE = DATA_DIR / "torch_library.json.gz"
SOURCE_FILE = DATA_DIR / "torch_source.json.gz"
LICENSE_FILE = DATA_DIR / "torch_source.LICENSE"

NAMESPACES = ("torch", "torch.nn", "torch.nn.functional", "torch.linalg", "torch.fft", "torch.special", "torch.jit",
              "math")

#: The modules bundled; ``pkg.*`` is every module of package ``pkg`` (its
#: ``__init__`` and every ``.py`` below it).
MODULES = (
    # read by the analyses of the corpus, functional.py and nn/modules
    "torch", "torch._VF", "torch._jit_internal", "torch._prims_common", "torch._tensor", "torch._torch_docs",
    "torch.autograd", "torch.autograd.grad_mode", "torch.autograd.profiler",
    "torch.backends", "torch.backends.cudnn", "torch.backends.mha",
    "torch.compiler", "torch.distributed",
    "torch.jit", "torch.jit._script", "torch.jit._trace",
    "torch.nn", "torch.nn._reduction", "torch.nn.common_types", "torch.nn.functional", "torch.nn.grad",
    "torch.nn.init", "torch.nn.modules.*", "torch.nn.parameter",
    "torch.overrides", "torch.types",
    "torch.utils", "torch.utils._contextlib", "torch.utils._python_dispatch", "torch.utils.backend_registration",
    "torch.utils.hooks",
    # ...and by those of torchvision's files (fx.GraphModule and data.Sampler subclasses, the imports of
    # roi_align, densenet, the quantized models, transforms.v2...)
    "torch._dynamo.utils", "torch.ao.quantization",
    "torch.fx", "torch.fx._symbolic_trace", "torch.fx.graph", "torch.fx.graph_module", "torch.fx.proxy",
    "torch.hub", "torch.jit.annotations", "torch.onnx.symbolic_helper", "torch.onnx.symbolic_opset11",
    "torch.utils._pytree", "torch.utils.checkpoint", "torch.utils.data", "torch.utils.data.sampler",
    "torch.utils.model_zoo",
    # what users' code commonly reaches besides
    "torch.functional", "torch.nn.utils.*", "torch.autograd.function", "torch.jit._async", "torch.cuda",
)

#: Callables whose second argument is documentation (``_add_docstr(torch.relu, r\"\"\"...\"\"\")``).
DOC_SETTERS = {"_add_docstr", "add_docstr"}


# --- which files ----------------------------------------------------------------------------------

def installed_torch_root() -> Path:
    """The installed torch package directory, found without importing torch."""
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("torch is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def module_files(torch_root: Path) -> list[Path]:
    """The files of :data:`MODULES` under ``torch_root``, sorted."""
    site = torch_root.parent
    found: set[Path] = set()
    for name in MODULES:
        if name.endswith(".*"):
            package = site.joinpath(*name[:-2].split("."))
            found.update(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)
            continue
        base = site.joinpath(*name.split("."))
        candidates = [base.with_suffix(".py"), base / "__init__.py"]
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            raise SystemExit(f"{name} is not in the installed torch ({torch_root})")
        found.add(path)
    return sorted(found)


# --- pruning --------------------------------------------------------------------------------------

def documentation(tree: ast.Module) -> list[ast.expr]:
    """The expressions that are only documentation."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                found.append(first.value)
        elif isinstance(node, ast.Call) and len(node.args) >= 2:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in DOC_SETTERS:
                found.append(node.args[1])
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__doc__" for t in node.targets):
            found.append(node.value)
    return found


def blank_out(lines: list[bytes], span: ast.expr) -> bool:
    """Replace ``span`` by ``("")`` spread over the same lines, ending at the same
    column, so that no other token moves; False when it cannot be done so."""
    l1, c1, l2, c2 = span.lineno - 1, span.col_offset, span.end_lineno - 1, span.end_col_offset
    rest = lines[l2][c2:]
    if not lines[l2][c1 if l1 == l2 else 0:c2].isascii() and rest.strip():
        return False   # what follows would move in code points (columns are code points)
    if l1 == l2:
        if c2 - c1 < 4:
            return False
        lines[l1] = lines[l1][:c1] + b'(""' + b" " * (c2 - c1 - 4) + b")" + rest
        return True
    lines[l1] = lines[l1][:c1] + b'(""'
    for i in range(l1 + 1, l2):
        lines[i] = b""
    lines[l2] = b" " * (c2 - 1) + b")" + rest
    return True


def strip_comments(text: str) -> str:
    """``text`` without its comments, ``# type:`` comments (which TorchScript reads) kept."""
    cuts: dict[int, int] = {}
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT and "type:" not in tok.string:
            cuts[tok.start[0]] = tok.start[1]
    lines = text.split("\n")
    for number, col in cuts.items():
        lines[number - 1] = lines[number - 1][:col].rstrip()
    return "\n".join(lines)


def _positions(tree: ast.Module, spans: list[tuple[int, int, int, int]]) -> list[tuple]:
    """Where every node is, documentation aside (statements holding it included)."""
    def inside(n: ast.AST) -> bool:
        where = (n.lineno, n.col_offset)
        end = (n.end_lineno, n.end_col_offset)
        return any((s[0], s[1]) <= where and end <= (s[2], s[3]) for s in spans)

    return sorted((type(n).__name__, n.lineno, n.col_offset, n.end_lineno, n.end_col_offset)
                  for n in ast.walk(tree)
                  if hasattr(n, "lineno") and (isinstance(n, ast.stmt) or not inside(n)))


def prune(text: str, name: str = "<torch>") -> str:
    """torch's source without its documentation, every other token where it was."""
    tree = ast.parse(text)
    lines = text.encode("utf-8").split(b"\n")
    docs = sorted(documentation(tree), key=lambda e: (e.lineno, e.col_offset), reverse=True)
    spans = []
    for expr in docs:
        if blank_out(lines, expr):
            spans.append((expr.lineno, expr.col_offset, expr.end_lineno, expr.end_col_offset))
    pruned = strip_comments(b"\n".join(lines).decode("utf-8"))
    # The point of pruning so: nothing the analysis reads has moved.
    before, after = _positions(tree, spans), _positions(ast.parse(pruned), spans)
    if before != after or pruned.count("\n") != text.count("\n"):
        raise SystemExit(f"pruning {name} moved its code")
    return pruned


# --- the data -------------------------------------------------------------------------------------

def public_version(version: str) -> str:
    return version.split("+", 1)[0]


def build_sources(torch_root: Path, version: str) -> dict:
    site = torch_root.parent
    files = {}
    for path in module_files(torch_root):
        rel = path.relative_to(site).as_posix()
        files[rel] = prune(path.read_text(encoding="utf-8"), rel)
    return {"torch_version": version, "files": files}


def build_namespaces() -> dict:
    import torch

    namespaces = {}
    for module_name in NAMESPACES:
        module = importlib.import_module(module_name)
        namespaces[module_name] = sorted(n for n in dir(module) if not n.startswith("__"))
    return {"torch_version": public_version(torch.__version__), "namespaces": namespaces}


def license_text(torch_root: Path) -> str:
    found = sorted(torch_root.parent.glob("torch-*.dist-info/licenses/LICENSE")) + \
        sorted(torch_root.parent.glob("torch-*.dist-info/LICENSE"))
    if not found:
        raise SystemExit("torch's LICENSE is not in its dist-info")
    return found[0].read_text(encoding="utf-8")


def encode(data: dict) -> bytes:
    text = json.dumps(data, indent=0, sort_keys=True).encode("utf-8")
    return gzip.compress(text, compresslevel=9, mtime=0)


def decode(path: Path) -> object:
    try:
        return json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the bundled data is stale")
    args = parser.parse_args(argv)
    torch_root = installed_torch_root()
    namespaces = build_namespaces()
    sources = build_sources(torch_root, namespaces["torch_version"])
    notice = license_text(torch_root)
    if args.check:
        stale = [p.name for p, ok in ((NAMESPACES_FILE, decode(NAMESPACES_FILE) == namespaces),
                                      (SOURCE_FILE, decode(SOURCE_FILE) == sources),
                                      (LICENSE_FILE, LICENSE_FILE.is_file()
                                       and LICENSE_FILE.read_text(encoding="utf-8") == notice)) if not ok]
        if stale:
            print(f"stale for torch {namespaces['torch_version']}: {', '.join(stale)}; "
                  "run tools/gen_torch_library.py", file=sys.stderr)
            return 1
        return 0
    NAMESPACES_FILE.write_bytes(encode(namespaces))
    SOURCE_FILE.write_bytes(encode(sources))
    LICENSE_FILE.write_text(notice, encoding="utf-8")
    for path in (NAMESPACES_FILE, SOURCE_FILE, LICENSE_FILE):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    print(f"{len(sources['files'])} modules: {sum(len(t) for t in sources['files'].values())} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
