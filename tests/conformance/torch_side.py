"""What real ``torch.jit.script`` does with each corpus root, recorded as JSON.

Run ``python -m tests.conformance.torch_side`` to regenerate
``tests/conformance/expected/*.json`` (needs torch==2.13.0), or with
``--check`` to compare a live run with the committed files.

How a corpus file is run
------------------------
Every module of the ``corpus`` package is imported through
:class:`_CorpusLoader`, which executes the file one top-level statement at a
time while ``torch.jit.script`` and ``torch.jit.interface`` are replaced by a
recording wrapper. The wrapper calls the real function, records the result or
the exception, and on failure returns the original object, so one rejected
root never stops the rest of the file from importing. A statement that
raises outside the wrapper (a ``torch.jit.ScriptModule`` compiles in its
constructor, before ``torch.jit.script`` is even called) is charged to the
root that statement makes. Nested calls (torch scripting a helper through
``torch.jit.script`` recursively) go straight to the real function.

What is recorded
----------------
Per root: name, kind, lines, accepted or not; for a rejected root the
message, its exception type and the line torch reports (the first
``File "...", line N`` of the message that is in this file: torch prints the
error site first and then, for errors in a called function, the chain of
callers, "'f' is being compiled since it was called from 'g'"); for an
accepted root every graph torch compiled for it whose source is this file:
the function's graph, every method of the module and of its submodules whose
class is defined here, the methods of script classes defined here that its
graphs use, and the functions its graphs call (``prim::CallFunction``),
transitively. Graphs are keyed by torch's qualified name with
``___torch_mangle_N.`` removed, and carry their text (paths made
repo-relative, mangling removed) and one ``[kind, line, col]`` per node that
has a source range in this file.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import importlib
import importlib.abc
import importlib.util
import json
import re
import sys
import time
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "tests.conformance"

from .corpus_roots import (
    CORPUS_DIR,
    CORPUS_PACKAGE,
    REPO_ROOT,
    StaticRoot,
    corpus_files,
    expectation_name,
    find_roots,
    module_name_for,
    repo_relative,
)

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"
FORMAT_VERSION = 1

MANGLE = re.compile(r"___torch_mangle_\d+\.")
_LOCATION = re.compile(r"\) # (.+):(\d+):(\d+)$")
_FILE_LINE = re.compile(r'File "(.+?)", line (\d+)')
_PATH_LINE = re.compile(r"(/\S+?\.py):(\d+)\b")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")


def demangle(text: str) -> str:
    """``__torch__.m.___torch_mangle_3.M`` -> ``__torch__.m.M`` (in any text)."""
    return MANGLE.sub("", text)


class CorpusError(Exception):
    """The corpus itself is broken (not a torch rejection)."""


# --- recording torch.jit.script -------------------------------------------------------


@dataclass
class Event:
    obj: Any
    result: Any
    error: BaseException | None
    api: str                       # "script" | "interface"
    file: str
    statement: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Context:
    path: str
    statement: int = -1
    events: list[Event] = field(default_factory=list)
    failures: dict[int, BaseException] = field(default_factory=dict)  # statement -> escaped exception


class Recorder:
    """Installs the wrappers and keeps, per corpus file, what happened."""

    def __init__(self, torch: Any) -> None:
        self.torch = torch
        self.depth = 0
        self.stack: list[_Context] = []
        self.contexts: dict[str, _Context] = {}

    def _wrap(self, real: Any, api: str) -> Any:
        def wrapper(obj: Any, *args: Any, **kwargs: Any) -> Any:
            if self.depth or not self.stack:
                return real(obj, *args, **kwargs)
            ctx = self.stack[-1]
            if api == "script" and isinstance(obj, type) and "_rcb" not in kwargs:
                # torch resolves a class's names from the frame that called script: the
                # corpus module's, one frame above this wrapper.
                kwargs["_frames_up"] = kwargs.get("_frames_up", 0) + 1
            self.depth += 1
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    result = real(obj, *args, **kwargs)
                except Exception as e:
                    ctx.events.append(Event(obj, None, e, api, ctx.path, ctx.statement, _messages(caught)))
                    return obj
                finally:
                    self.depth -= 1
            ctx.events.append(Event(obj, result, None, api, ctx.path, ctx.statement, _messages(caught)))
            return result

        wrapper.__wrapped__ = real  # type: ignore[attr-defined]
        return wrapper

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        jit = self.torch.jit
        saved = jit.script, jit.interface
        jit.script = self._wrap(saved[0], "script")
        jit.interface = self._wrap(saved[1], "interface")
        finder = _CorpusFinder(self)
        sys.meta_path.insert(0, finder)
        try:
            yield
        finally:
            sys.meta_path.remove(finder)
            jit.script, jit.interface = saved


def _messages(caught: list[warnings.WarningMessage]) -> list[str]:
    """Warnings torch gave while compiling, minus the deprecation notice every call gets.

    Warnings torch's C++ side prints straight to stderr are not seen here.
    """
    return [f"{w.category.__name__}: {w.message}" for w in caught
            if not (issubclass(w.category, DeprecationWarning) and "is deprecated" in str(w.message))]


class _CorpusLoader(importlib.abc.Loader):
    def __init__(self, recorder: Recorder, path: Path) -> None:
        self.recorder = recorder
        self.path = path

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: Any) -> None:
        source = self.path.read_text(encoding="utf-8")
        tree = ast.parse(source, str(self.path))
        ctx = _Context(str(self.path))
        self.recorder.contexts[str(self.path)] = ctx
        self.recorder.stack.append(ctx)
        flags = 0
        try:
            for index, stmt in enumerate(tree.body):
                ctx.statement = index
                if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
                    import __future__

                    for alias in stmt.names:
                        flags |= getattr(__future__, alias.name).compiler_flag
                code = compile(ast.Module(body=[stmt], type_ignores=[]), str(self.path), "exec",
                               flags=flags, dont_inherit=True)
                try:
                    exec(code, module.__dict__)
                except Exception as e:
                    ctx.failures[index] = e
        finally:
            self.recorder.stack.pop()


class _CorpusFinder(importlib.abc.MetaPathFinder):
    """Imports ``corpus`` and ``corpus.*`` from CORPUS_DIR with :class:`_CorpusLoader`."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != CORPUS_PACKAGE and not fullname.startswith(CORPUS_PACKAGE + "."):
            return None
        rel = Path(*fullname.split(".")[1:]) if "." in fullname else Path()
        base = CORPUS_DIR / rel
        if (base / "__init__.py").is_file():
            init = base / "__init__.py"
            return importlib.util.spec_from_file_location(
                fullname, init, loader=_CorpusLoader(self.recorder, init),
                submodule_search_locations=[str(base)])
        if fullname == CORPUS_PACKAGE:
            return importlib.util.spec_from_loader(fullname, None, is_package=True)
        file = base.with_suffix(".py")
        if file.is_file():
            return importlib.util.spec_from_file_location(fullname, file, loader=_CorpusLoader(self.recorder, file))
        return None


# --- reading torch graphs --------------------------------------------------------------


def _walk(block: Any) -> Iterator[Any]:
    for n in block.nodes():
        yield n
        for b in n.blocks():
            yield from _walk(b)


def node_location(node: Any) -> tuple[str, int, int] | None:
    """(path, 1-based line, 0-based byte column) from the node's ``#`` comment."""
    first = str(node).split("\n", 1)[0]
    m = _LOCATION.search(first)
    if m is None:
        return None
    return m.group(1), int(m.group(2)), int(m.group(3))


class Redactor:
    """Absolute paths -> repo-relative (``tests/...``) or ``[TORCH]/...``."""

    def __init__(self, torch: Any) -> None:
        # torch first: it may live inside the repository (a .venv there).
        self.pairs = [(str(Path(torch.__file__).resolve().parent) + "/", "[TORCH]/"), (str(REPO_ROOT) + "/", "")]

    def __call__(self, text: str) -> str:
        for old, new in self.pairs:
            text = text.replace(old, new)
        # "(of Python compilation unit at: 0x55c1...)": differs on every run.
        return _ADDRESS.sub("0x[ADDRESS]", text)


def graph_facts(graph: Any, path: str, redact: Redactor) -> dict[str, Any]:
    nodes = []
    unranged: dict[str, int] = {}
    for n in _walk(graph):
        kind = n.kind()
        loc = node_location(n)
        if loc is None:
            unranged[kind] = unranged.get(kind, 0) + 1
        elif loc[0] == path:
            nodes.append([kind, loc[1], loc[2]])
    return {"nodes": nodes, "unranged": dict(sorted(unranged.items())), "text": demangle(redact(str(graph)))}


class GraphCollector:
    """Every graph reachable from a scripted root whose source is one corpus file."""

    def __init__(self, torch: Any, module_name: str, all_modules: set[str]) -> None:
        self.torch = torch
        self.cu = torch.jit._state._python_cu
        self.module_name = module_name
        self.all_modules = all_modules

    def owned(self, qualified_name: str) -> bool:
        """Whether the (possibly mangled) name belongs to this file's module."""
        name = demangle(qualified_name)
        prefix = "__torch__."
        if not name.startswith(prefix):
            return False
        body = name[len(prefix):]
        owner = max((m for m in self.all_modules if body.startswith(m + ".")), key=len, default=None)
        return owner == self.module_name

    def collect(self, kind: str, obj: Any, result: Any) -> dict[str, Any]:
        found: dict[str, Any] = {}
        queue: list[Any] = []
        seen_classes: set[str] = set()

        def add(qn: str, graph: Any) -> None:
            if qn not in found:
                found[qn] = graph
                queue.append(graph)

        def add_class(qn: str) -> None:
            if qn in seen_classes or not self.owned(qn):
                return
            seen_classes.add(qn)
            cls = self.cu.get_class(qn)
            if cls is None:
                return
            for m in cls.method_names():
                fn = self.cu.find_function(qn + "." + m)
                if fn is not None:
                    add(qn + "." + m, fn.graph)

        if kind == "module":
            for sub in result.modules():
                qn = sub._c._type().qualified_name()
                if qn in seen_classes or not self.owned(qn):
                    continue
                seen_classes.add(qn)
                for m in sub._c._method_names():
                    add(qn + "." + m, sub._c._get_method(m).graph)
        elif kind == "class":
            add_class(self.torch._jit_internal._qualified_name(obj))
        elif kind == "function" and self.owned(result.qualified_name):
            add(result.qualified_name, result.graph)

        while queue:
            graph = queue.pop(0)
            values = list(graph.inputs())
            for n in _walk(graph):
                values.extend(n.outputs())
                for b in n.blocks():
                    values.extend(b.inputs())
                if n.kind() == "prim::CallFunction":
                    qn = next(iter(n.inputs())).type().str()
                    if self.owned(qn):
                        fn = self.cu.find_function(qn)
                        if fn is not None:
                            add(qn, fn.graph)
            for v in values:
                t = v.type()
                if isinstance(t, self.torch.ClassType):
                    add_class(t.qualified_name())
        return found


# --- one corpus run ----------------------------------------------------------------------


def _error_facts(error: BaseException, path: str, redact: Redactor) -> dict[str, Any]:
    message = str(error)
    if not message.strip():
        message = "".join(traceback.format_exception_only(type(error), error))
    locations = [(p, int(n)) for p, n in _FILE_LINE.findall(message)]
    if not locations:
        # "Expected a single top-level function: /path/f.py:66" (an async def)
        locations = [(p, int(n)) for p, n in _PATH_LINE.findall(message)]
    if not locations:
        # Raised by Python itself (a NameError in an annotation): the traceback knows.
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
        locations = [(path, frames[-1].lineno)] if frames and frames[-1].lineno else []
    here = [n for p, n in locations if p == path]
    return {
        "type": type(error).__name__,
        "message": redact(demangle(message)).strip("\n"),
        "line": here[0] if here else None,
        "first_location": ([redact(locations[0][0]), locations[0][1]] if locations else None),
    }


def _event_name(event: Event) -> str:
    obj = event.obj
    if isinstance(obj, type) or callable(getattr(obj, "__code__", None)) or hasattr(obj, "__qualname__"):
        return getattr(obj, "__name__", type(obj).__name__)
    return type(obj).__name__


def run_corpus(files: list[Path] | None = None) -> dict[str, dict[str, Any]]:
    """Import the corpus under the recorder; one expectation dict per file."""
    import torch

    all_files = corpus_files()
    files = all_files if files is None else [f.resolve() for f in files]
    all_modules = {module_name_for(f) for f in all_files} | {CORPUS_PACKAGE}
    # Packages are modules too: `corpus.userpkg` owns `__torch__.corpus.userpkg.X`.
    for f in CORPUS_DIR.rglob("__init__.py"):
        all_modules.add(module_name_for(f))
    redact = Redactor(torch)
    recorder = Recorder(torch)
    for name in [n for n in sys.modules if n == CORPUS_PACKAGE or n.startswith(CORPUS_PACKAGE + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(CORPUS_DIR.parent))
    timings: dict[str, float] = {}
    try:
        with recorder.installed():
            for f in files:
                start = time.perf_counter()
                importlib.import_module(module_name_for(f))
                timings[str(f)] = time.perf_counter() - start
    finally:
        sys.path.remove(str(CORPUS_DIR.parent))

    out: dict[str, dict[str, Any]] = {}
    for f in files:
        out[expectation_name(f)] = _file_expectation(torch, f, recorder.contexts[str(f)], all_modules, redact,
                                                     timings.get(str(f), 0.0))
    return out


def _file_expectation(torch: Any, path: Path, ctx: _Context, all_modules: set[str], redact: Redactor,
                      seconds: float) -> dict[str, Any]:
    source = path.read_text(encoding="utf-8")
    module_name = module_name_for(path)
    roots = find_roots(source)
    collector = GraphCollector(torch, module_name, all_modules)
    by_statement: dict[int, list[StaticRoot]] = {}
    for r in roots:
        by_statement.setdefault(r.statement, []).append(r)
    names = [r.name for r in roots]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise CorpusError(f"{repo_relative(path)}: root names must be unique, repeated: {dupes}")

    events: dict[str, Event] = {}
    for ev in ctx.events:
        candidates = by_statement.get(ev.statement, [])
        name = _event_name(ev)
        match = [r for r in candidates if r.name == name]
        if not match:
            raise CorpusError(f"{repo_relative(path)}: torch.jit.{ev.api} applied to {name!r} in statement "
                              f"{ev.statement}, which the static root finder does not see as a root")
        events[match[0].name] = ev
    for index, err in ctx.failures.items():
        if not any(r.name not in events for r in by_statement.get(index, [])):
            raise CorpusError(f"{repo_relative(path)}: top-level statement {index} raised outside any root: "
                              f"{type(err).__name__}: {err}")

    graphs: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    out_roots = []
    for r in roots:
        entry: dict[str, Any] = {
            "name": r.name, "kind": r.kind, "first_line": r.first_line, "last_line": r.last_line,
            "script_call_line": r.script_call_line, "expected_error": r.expected_error,
        }
        ev = events.get(r.name)
        entry["warnings"] = [redact(demangle(w)) for w in ev.warnings] if ev is not None else []
        error = ev.error if ev is not None else ctx.failures.get(r.statement)
        if ev is None and error is None:
            raise CorpusError(f"{repo_relative(path)}: root {r.name!r} was never passed to torch.jit.script")
        if error is not None:
            entry.update(accepted=False, error=_error_facts(error, str(path), redact), graphs=[])
        else:
            assert ev is not None
            keys = []
            if r.kind != "interface":
                for qn, graph in collector.collect(r.kind, ev.obj, ev.result).items():
                    facts = graph_facts(graph, str(path), redact)
                    key = demangle(qn)
                    n = 1
                    while key in texts and texts[key] != facts["text"]:
                        n += 1
                        key = f"{demangle(qn)}#{n}"
                    texts[key] = facts["text"]
                    graphs[key] = {"qualified_name": demangle(qn), **facts}
                    keys.append(key)
            entry.update(accepted=True, error=None, graphs=keys)
        out_roots.append(entry)
    return {
        "format": FORMAT_VERSION,
        "torch_version": torch.__version__,
        "file": repo_relative(path),
        "module_name": module_name,
        "source_sha256": hashlib.sha256(source.encode("utf-8")).hexdigest(),
        "roots": out_roots,
        "graphs": dict(sorted(graphs.items())),
        "_seconds": round(seconds, 3),
    }


# --- reading and writing expectations -----------------------------------------------------


def dump(data: dict[str, Any]) -> str:
    """JSON, one line per list of scalars (a node is ``["aten::add", 12, 4]``)."""
    return _dump({k: v for k, v in data.items() if not k.startswith("_")}, 0) + "\n"


def _dump(o: Any, level: int) -> str:
    pad, inner = " " * level, " " * (level + 1)
    if isinstance(o, dict) and o:
        items = [f"{inner}{json.dumps(k)}: {_dump(v, level + 1)}" for k, v in o.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(o, list) and o and not all(not isinstance(v, (list, dict)) for v in o):
        return "[\n" + ",\n".join(inner + _dump(v, level + 1) for v in o) + "\n" + pad + "]"
    return json.dumps(o, ensure_ascii=False)


def write_expectations(results: dict[str, dict[str, Any]], out_dir: Path = EXPECTED_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, data in results.items():
        target = out_dir / f"{stem}.json"
        target.write_text(dump(data), encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--check", action="store_true", help="compare a live run with the committed expectations")
    p.add_argument("--out", type=Path, default=EXPECTED_DIR, help="where to write (default: expected/)")
    p.add_argument("files", nargs="*", type=Path, help="corpus files (default: all)")
    args = p.parse_args(argv)
    start = time.perf_counter()
    results = run_corpus(args.files or None)
    elapsed = time.perf_counter() - start
    n_roots = sum(len(d["roots"]) for d in results.values())
    n_rej = sum(1 for d in results.values() for r in d["roots"] if not r["accepted"])
    if args.check:
        stale = [stem for stem, data in results.items()
                 if not (EXPECTED_DIR / f"{stem}.json").is_file()
                 or (EXPECTED_DIR / f"{stem}.json").read_text(encoding="utf-8") != dump(data)]
        for stem in stale:
            print(f"differs from a live run: expected/{stem}.json", file=sys.stderr)
        print(f"{len(results)} files, {n_roots} roots ({n_rej} rejected), torch side {elapsed:.1f}s")
        return 1 if stale else 0
    for path in write_expectations(results, args.out):
        print(f"wrote {repo_relative(path)}")
    print(f"{len(results)} files, {n_roots} roots ({n_rej} rejected), torch side {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
