"""Regenerate the golden IR files from real torch (2.13.0).

Usage (needs torch; run from anywhere):

    /work/main/.venv/bin/python tests/golden/regen.py            # rewrite every golden
    /work/main/.venv/bin/python tests/golden/regen.py if_else     # only these cases
    /work/main/.venv/bin/python tests/golden/regen.py --check     # exit 1 if a golden is stale

Each ``cases/<case>.py`` says what to compile with exactly one of:

* ``SCRIPT = fn``            a function, compiled with ``torch.jit.script``;
* ``SCRIPT = Module()``      an ``nn.Module`` instance, compiled with ``torch.jit.script``;
* ``TRACE = (fn_or_module, example_inputs[, trace_kwargs])``  traced with ``torch.jit.trace``;
* ``def GRAPHS() -> dict[str, torch.Graph]``  anything else (optimized graphs...).

``INLINED = True`` adds the ``inlined_graph`` of the main function or module.

For every graph it writes, under ``ir/``:

* ``<case>[.<graph>].ir``        ``str(graph)``, with ``# path:line:col`` comments;
* ``<case>[.<graph>].nosrc.ir``  ``graph.str(False)`` (torch still comments
                                 nodes inside blocks and subgraphs);

and one ``<case>.json`` listing the graphs and, for each ``prim::PythonOp`` in
printing order, torch's ``pyname()``, ``cconv()`` and ``str()`` of every
``scalar_args()`` item. The first graph (the function, or a module's
``forward``) has no ``.<graph>`` part in its file names.

Which graphs a case contributes: the main one; for modules, every compiled
method of every submodule whose class is defined in the case (once per
class); for scripted functions and modules, every other function or script
class method the case's own code got compiled into torch's Python
compilation unit (helpers, ``@torch.jit.script`` classes).

The only rewriting is :func:`normalize`, which redacts the file part of
``# path:line:col`` comments (the path of the checkout and of torch's
install differ between machines).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CASES_DIR = HERE / "cases"
OUT_DIR = HERE / "ir"
TORCH_VERSION = "2.13.0"

_SOURCE_COMMENT = re.compile(r"^(?P<head>.*) # (?P<path>.+):(?P<line>\d+):(?P<col>\d+)$", re.M)


def normalize(text: str) -> str:
    """Redact the path in every ``# path:line:col`` comment, nothing else.

    Files of this checkout become repo-relative (``tests/golden/cases/x.py``),
    files of the torch package ``[TORCH]/nn/modules/linear.py``; other real
    files keep only their name (``[PATH]/x.py``); pseudo-files such as
    ``<string>`` stay as they are.
    """
    import torch

    torch_dir = Path(torch.__file__).resolve().parent

    def redact(m: re.Match[str]) -> str:
        path = m["path"]
        if not path.startswith("<"):
            p = Path(path).resolve()
            # torch first: its virtualenv may live inside the checkout.
            if p.is_relative_to(torch_dir):
                path = "[TORCH]/" + p.relative_to(torch_dir).as_posix()
            elif p.is_relative_to(REPO):
                path = p.relative_to(REPO).as_posix()
            else:
                path = "[PATH]/" + p.name
        return f"{m['head']} # {path}:{m['line']}:{m['col']}"

    return _SOURCE_COMMENT.sub(redact, text)


# --- loading cases ---------------------------------------------------------------


def case_names() -> list[str]:
    return sorted(p.stem for p in CASES_DIR.glob("*.py"))


def load_case(name: str) -> ModuleType:
    """Import ``cases/<name>.py`` as top-level module ``<name>``.

    torch names classes and functions by ``module.qualname``, so the module
    name shows up in the IR (``__torch__.module_basic.Affine``); it must not
    shadow a real module.
    """
    existing = sys.modules.get(name)
    if existing is not None:
        if getattr(existing, "__file__", None) == str(CASES_DIR / f"{name}.py"):
            return existing
        raise RuntimeError(f"case name {name!r} clashes with the already imported module {existing!r}")
    spec = importlib.util.spec_from_file_location(name, CASES_DIR / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def case_graphs(case: ModuleType) -> dict[str, Any]:
    """The torch graphs of one case, main graph first."""
    import torch

    name = case.__name__
    prefix = f"__torch__.{name}."
    graphs: dict[str, Any] = {}
    kinds = [k for k in ("SCRIPT", "TRACE", "GRAPHS") if hasattr(case, k)]
    if len(kinds) != 1:
        raise ValueError(f"case {name} must define exactly one of SCRIPT, TRACE, GRAPHS (found {kinds})")
    if hasattr(case, "GRAPHS"):
        return dict(case.GRAPHS())
    if hasattr(case, "SCRIPT"):
        compiled = torch.jit.script(case.SCRIPT)
    else:
        target, inputs, *options = case.TRACE
        compiled = torch.jit.trace(target, inputs, check_trace=False, **(options[0] if options else {}))
    module_types: set[str] = set()
    if isinstance(compiled, torch.jit.ScriptModule):
        module_types.update(m._c._type().qualified_name() for _, m in compiled.named_modules())
        seen_types: set[str] = set()
        for path, module in compiled.named_modules():
            type_name = module._c._type().qualified_name()
            if path and (not type_name.startswith(prefix) or type_name in seen_types):
                continue
            seen_types.add(type_name)
            methods = module._c._method_names()
            # forward first, then the rest in torch's order.
            for method in sorted(methods, key=lambda m: m != "forward"):
                key = f"{path}.{method}" if path else method
                graphs[key] = module._c._get_method(method).graph
        if getattr(case, "INLINED", False):
            graphs["forward.inlined"] = compiled.inlined_graph
    else:
        graphs["graph"] = compiled.graph
        if getattr(case, "INLINED", False):
            graphs["inlined"] = compiled.inlined_graph
    if hasattr(case, "SCRIPT"):
        main = getattr(compiled, "qualified_name", None)
        for fn in torch.jit._state._python_cu.get_functions():
            qual = fn.qualified_name
            owner = qual.rpartition(".")[0]
            # Module methods are listed too; they were taken above, by path.
            if qual.startswith(prefix) and qual != main and owner not in module_types:
                graphs.setdefault(qual[len(prefix):], fn.graph)
    return graphs


# --- rendering -------------------------------------------------------------------


def walk_print_order(graph: Any) -> Iterator[Any]:
    """Nodes in the order ``str(graph)`` prints them, group subgraphs
    (``with prim::X_0 = graph(...)``) after their graph."""
    groups: list[Any] = []

    def visit(block_nodes: Any) -> Iterator[Any]:
        for node in block_nodes:
            yield node
            if node.kind() != "prim::PythonOp" and node.hasAttribute("Subgraph"):
                groups.append(node)
            for block in node.blocks():
                yield from visit(block.nodes())

    yield from visit(graph.nodes())
    for group in groups:
        yield from walk_print_order(group.g("Subgraph"))


def python_ops(graph: Any) -> list[dict[str, Any]]:
    return [
        {
            "pyname": node.pyname(),
            "cconv": node.cconv(),
            "scalar_args": [str(s) for s in node.scalar_args()],
        }
        for node in walk_print_order(graph)
        if node.kind() == "prim::PythonOp"
    ]


def file_stem(case: str, graph_name: str, index: int) -> str:
    return case if index == 0 else f"{case}.{graph_name}"


def render_case(name: str) -> dict[str, str]:
    """File name -> content for every golden file of one case."""
    case = load_case(name)
    graphs = case_graphs(case)
    files: dict[str, str] = {}
    manifest: dict[str, Any] = {"case": name, "torch": TORCH_VERSION, "graphs": []}
    for index, (graph_name, graph) in enumerate(graphs.items()):
        stem = file_stem(name, graph_name, index)
        files[f"{stem}.ir"] = normalize(str(graph))
        files[f"{stem}.nosrc.ir"] = normalize(graph.str(False))
        manifest["graphs"].append({
            "name": graph_name,
            "ir": f"{stem}.ir",
            "nosrc": f"{stem}.nosrc.ir",
            "python_ops": python_ops(graph),
        })
    files[f"{name}.json"] = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    return files


# --- isolation ---------------------------------------------------------------------
#
# What torch prints depends on what the process compiled before: a second
# type with an already used qualified name is mangled (``___torch_mangle_1``),
# e.g. ``nn.Linear`` scripted in one case and traced in another. So every case
# is compiled in a child forked from a process that has imported torch and
# compiled nothing, whichever cases run and in whatever order.


def render_in_fork(name: str) -> dict[str, str]:
    """:func:`render_case` in a forked child; raises ``RuntimeError`` with the
    child's error. The caller must not have compiled anything itself."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            payload = {"files": render_case(name)}
        except BaseException as e:
            payload = {"error": f"{type(e).__name__}: {e}"}
        with os.fdopen(write_fd, "wb") as out:
            out.write(json.dumps(payload).encode("utf-8"))
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as inp:
        data = inp.read()
    os.waitpid(pid, 0)
    if not data:
        raise RuntimeError(f"case {name}: the child process died without an answer")
    payload = json.loads(data.decode("utf-8"))
    if "error" in payload:
        raise RuntimeError(f"case {name}: {payload['error']}")
    return payload["files"]


def render_isolated(names: list[str], python: str | None = None) -> dict[str, dict[str, str] | str]:
    """Render cases in a fresh interpreter (``python``, default this one):
    name -> files, or name -> error message. For callers, such as the
    conformance tests, whose own process may already have compiled things."""
    proc = subprocess.run(
        [python or sys.executable, str(Path(__file__).resolve()), "--emit-json", *names],
        capture_output=True, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"regen.py --emit-json failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')}")
    return json.loads(proc.stdout.decode("utf-8"))


def _emit_json(names: list[str]) -> int:
    import torch  # noqa: F401 - imported once, before forking

    result: dict[str, dict[str, str] | str] = {}
    for name in names:
        try:
            result[name] = render_in_fork(name)
        except RuntimeError as e:
            result[name] = str(e)
    sys.stdout.buffer.write(json.dumps(result, ensure_ascii=False).encode("utf-8"))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 on a difference")
    parser.add_argument("--emit-json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    import torch

    if torch.__version__.split("+")[0] != TORCH_VERSION:
        print(f"regen.py: goldens come from torch {TORCH_VERSION}, this is {torch.__version__}", file=sys.stderr)
        return 2
    names = args.cases or case_names()
    if args.emit_json:
        return _emit_json(names)
    problems: list[str] = []
    OUT_DIR.mkdir(exist_ok=True)
    for name in names:
        try:
            files = render_in_fork(name)
        except RuntimeError as e:  # report every broken case, not only the first
            print(str(e), file=sys.stderr)
            problems.append(name)
            continue
        for file_name, content in files.items():
            target = OUT_DIR / file_name
            # Bytes, not text mode: a raw "\r" in a printed type must survive.
            old = target.read_bytes().decode("utf-8") if target.exists() else None
            if old == content:
                continue
            if args.check:
                problems.append(file_name)
            else:
                target.write_bytes(content.encode("utf-8"))
                print(f"wrote {target.relative_to(REPO)}")
    if problems:
        print(("stale or failed: " if args.check else "failed: ") + ", ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
