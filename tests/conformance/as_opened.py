"""Real code as users open it: pyjit's analysis of each file, scored against what torch compiled there.

The corpus runner (:mod:`.runner`) gives pyjit the very roots torch
scripted. Here nothing is given: each file is opened the way an editor
opens it, through :class:`pyjit_core.session.Session` with a workspace
folder, a ``roots`` mode and torch found or absent, with nothing appended,
and pyjit finds what to compile by itself. Two suites:

* ``torchvision``: every torchvision file holding a node torch emitted while
  scripting ``torchvision.models.list_models()`` (:mod:`.torchvision_side`),
  read from the source cache (:mod:`.torchvision_sources`); workspace
  folder at the site-packages folder and at ``torchvision/``;
  ``roots = "modules"``.
* ``nn.modules``: the installed torch's ``torch/nn/modules`` files that
  :mod:`.real_code` records (module instances built with its
  ``CONSTRUCTORS``); workspace folder at site-packages, ``torch/`` and
  ``torch/nn/``; every ``roots`` mode.

Each suite runs with torch's sources found (the environment resolved as for
a user: see :mod:`pyjit_core.environment`) and with torch absent
(:meth:`Environment.without_torch`, pyjit's bundled summary).

The figures, per file and per setting:

op agreement
    Over torch's nodes with a source range in the file (``prim::Constant``
    excluded, as the runner does), the share that pyjit's analysis *of that
    file* emits at the same place: same kind, same line and column, in any
    of its graphs. A node is its (kind, line, column): one kind at one place
    counts once, however many graphs hold it and however often a graph
    repeats it (torch unrolls a loop over a ``ModuleList`` into a call per
    layer, as many as the instance it scripted has; which instance pyjit
    builds must not change the figure).
Errors on compiled code
    Error diagnostics the file shows in an editor (``Presentation.IN_FILE``)
    inside code torch compiles: a top-level class or function holding a
    node torch emitted, or one torch compiled as a module, class or
    function. Target 0.
Errors elsewhere
    The other Error diagnostics of those files, but those on a root torch
    rejects too (``LazyLinear``): in code torch never compiles, such as a
    configuration class pyjit compiled as a script class. Each is a false
    error a user sees; the floor only falls.

``python -m tests.conformance.as_opened`` prints a table per setting;
``--files`` adds per-file figures, ``--misses`` lists every miss grouped by
cause: functions pyjit does not compile (with pyjit's diagnostics there),
then nodes missing from functions it compiles, by kind, then the Errors.
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import os
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "tests.conformance"

from pyjit_core.config import ROOTS_MODES

from .runner import EXCLUDED_KINDS

Position = tuple[str, int, int]          # (kind, 1-based line, 0-based byte column)

TARGET_OP_AGREEMENT = 0.95               # issue 8, acceptance 1
TARGET_ERRORS = 0
#: One line per setting the tests measured, printed at the end of the run (``conftest.py``).
MEASURED: list[str] = []


# --- what torch compiled, per file ---------------------------------------------------------------


@dataclass(frozen=True)
class FileExpectation:
    """What torch compiled in one file."""

    label: str                           # "torchvision/models/resnet.py", "torch/nn/modules/conv.py"
    path: Path                           # the file pyjit opens
    nodes: frozenset[Position]           # every (kind, line, col) any torch graph has here
    compiled: tuple[str, ...] = ()       # qualnames torch compiled here ("BasicBlock", "BasicBlock.forward", "nms")
    sha256: str = ""
    rejected: tuple[str, ...] = ()       # roots torch rejects here (an Error on them is no false error)


def positions(graphs: Iterable[Iterable[Position]]) -> frozenset[Position]:
    """Every (kind, line, col) of ``graphs``' nodes, constants excluded."""
    return frozenset(tuple(n) for nodes in graphs for n in nodes if n[0] not in EXCLUDED_KINDS)  # type: ignore[misc]


def torchvision_expectations(data: dict[str, Any], site: Path) -> list[FileExpectation]:
    """One per torchvision file holding code torch compiled (``data``: the torch side's JSON)."""
    out = []
    for label, entry in data["files"].items():
        nodes = positions(entry["graphs"].values())
        if nodes or entry["compiled"]:
            out.append(FileExpectation(label, site / label, nodes, tuple(entry["compiled"]), entry["sha256"]))
    return out


def nn_modules_expectations() -> list[FileExpectation]:
    """One per ``torch/nn/modules`` file :mod:`.real_code` records, for the installed torch."""
    from .real_code import REAL_MODULES
    from .runner import real_code_expectations

    out = []
    stems = [stem for stem, module in REAL_MODULES.items() if module.startswith("torch.nn.modules.")]
    for path, expected in real_code_expectations(stems):
        prefix = "__torch__." + expected["module_name"] + "."
        nodes = positions(g["nodes"] for g in expected["graphs"].values())
        compiled = sorted({r["name"] for r in expected["roots"] if r["accepted"]}
                          | {k.split("#")[0].removeprefix(prefix) for k in expected["graphs"] if k.startswith(prefix)})
        label = path.relative_to(path.parents[len(expected["module_name"].split(".")) - 1]).as_posix()
        rejected = tuple(r["name"] for r in expected["roots"] if not r["accepted"])
        out.append(FileExpectation(label, path, nodes, tuple(compiled), expected["source_sha256"], rejected))
    return out


# --- the code around a position -------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    qualname: str                        # "ResNet._forward_impl"
    first_line: int                      # the first decorator's line, else the def's
    def_line: int                        # the ``def``/``class`` line (pyjit's CompiledFunction.first_line)
    last_line: int
    is_function: bool
    top: str                             # qualname of the top-level class or function holding it


class FileLayout:
    """Every class and function of a source file, with their lines."""

    def __init__(self, source: str) -> None:
        self.definitions: list[Definition] = []
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return
        self._visit(tree.body, "", None)

    def _visit(self, body: list[ast.stmt], prefix: str, top: str | None) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualname = prefix + stmt.name
                first = min([d.lineno for d in stmt.decorator_list] + [stmt.lineno])
                self.definitions.append(Definition(qualname, first, stmt.lineno, stmt.end_lineno or stmt.lineno,
                                                   not isinstance(stmt, ast.ClassDef), top or qualname))
                inner = f"{qualname}.<locals>." if not isinstance(stmt, ast.ClassDef) else f"{qualname}."
                self._visit(stmt.body, inner, top or qualname)
            elif isinstance(stmt, (ast.If, ast.Try)):   # `if TYPE_CHECKING:`, `try: ... except ImportError:`
                for part in (stmt.body, getattr(stmt, "orelse", []), getattr(stmt, "finalbody", []),
                             *[h.body for h in getattr(stmt, "handlers", [])]):
                    self._visit(part, prefix, top)

    def function_at(self, line: int) -> Definition | None:
        """The innermost function whose lines hold ``line``."""
        found = [d for d in self.definitions if d.is_function and d.first_line <= line <= d.last_line]
        return min(found, key=lambda d: d.last_line - d.first_line, default=None)

    def top_level(self, qualname: str) -> Definition | None:
        head = qualname.split(".", 1)[0]
        return next((d for d in self.definitions if d.qualname == head), None)

    def compiled_spans(self, expected: FileExpectation) -> list[tuple[int, int]]:
        """The lines of the top-level classes and functions holding code torch compiled."""
        tops: set[str] = set()
        for _, line, _ in expected.nodes:
            fn = self.function_at(line)
            if fn is not None:
                tops.add(fn.top)
        return self.spans(tops | set(expected.compiled))

    def spans(self, qualnames: Iterable[str]) -> list[tuple[int, int]]:
        """The lines of the top-level classes and functions holding ``qualnames``."""
        found = {self.top_level(q) for q in qualnames} - {None}
        return sorted((d.first_line, d.last_line) for d in found if d is not None)


# --- settings --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    suite: str                           # "torchvision" | "nn.modules"
    workspace: str                       # the folder's label: "site-packages", "torchvision/", "torch/nn/"
    roots: str
    torch: bool                          # torch's sources found, else pyjit's bundled summary

    @property
    def key(self) -> str:
        return f"{self.suite}:{self.workspace}:{self.roots}:{'torch' if self.torch else 'no-torch'}"


TORCHVISION_WORKSPACES = ("site-packages", "torchvision/")
NN_MODULES_WORKSPACES = ("site-packages", "torch/", "torch/nn/")


def all_settings() -> list[Setting]:
    out = [Setting("torchvision", w, "modules", t) for t in (True, False) for w in TORCHVISION_WORKSPACES]
    out += [Setting("nn.modules", w, r, t) for t in (True, False) for w in NN_MODULES_WORKSPACES for r in ROOTS_MODES]
    return out


def workspace_folder(setting: Setting, site: Path) -> Path:
    """The folder opened as the workspace: ``site`` itself, or a package inside it."""
    return site if setting.workspace == "site-packages" else site / setting.workspace.rstrip("/")


# --- scoring one file --------------------------------------------------------------------------------


@dataclass
class Miss:
    kind: str
    line: int
    col: int
    function: str | None                 # qualname of the enclosing function
    function_line: int | None
    compiled_by_pyjit: bool              # pyjit has a graph for that function (with something in it)
    instead: tuple[str, ...] = ()        # the kinds pyjit emits at that line and column
    empty_graph: bool = False            # pyjit names the function, but its graph is empty


@dataclass
class ErrorFact:
    code: str
    line: int                            # 1-based
    col: int
    message: str                         # its first line
    where: str                           # "compiled" (code torch compiles), "rejected" (a root torch rejects too),
                                         # "elsewhere" (code torch never compiles)

    @property
    def on_compiled_code(self) -> bool:
        return self.where == "compiled"


@dataclass
class FileFigures:
    label: str
    torch_nodes: int = 0
    matched: int = 0
    misses: list[Miss] = field(default_factory=list)
    errors: list[ErrorFact] = field(default_factory=list)
    # qualname -> the first line of each diagnostic pyjit shows in its top-level class or function
    notes: dict[str, list[str]] = field(default_factory=dict)
    crashed: str | None = None
    stale: bool = False                  # the file differs from what torch compiled
    seconds: float = 0.0

    @property
    def errors_on_compiled_code(self) -> int:
        return sum(e.on_compiled_code for e in self.errors)

    @property
    def errors_elsewhere(self) -> int:
        return sum(e.where == "elsewhere" for e in self.errors)


def pyjit_positions(analysis: Any, path: str) -> tuple[set[Position], set[int], set[int]]:
    """For the file at ``path``: every (kind, line, col) a pyjit graph emits there; the def
    lines of the functions pyjit compiled; and of those whose only graph is empty
    (``graph(): return ()``, no inputs and no nodes: pyjit names the function but compiled nothing)."""
    from pyjit_core.ir.walk import walk_nodes

    real = functools.lru_cache(maxsize=None)(os.path.realpath)
    target = real(path)
    out: set[Position] = set()
    compiled: set[int] = set()
    empty: set[int] = set()
    for fn in analysis.functions.values():
        if fn.graph is None:
            continue
        if real(fn.path) == target:
            is_empty = not fn.graph.inputs and next(walk_nodes(fn.graph), None) is None
            (empty if is_empty else compiled).add(fn.first_line)
        for node in walk_nodes(fn.graph):
            r = node.source_range
            if r is not None and real(r.path) == target:
                out.add((node.kind.qual_string(), r.start_line, r.start_col))
    return out, compiled, empty - compiled


def score_file(expected: FileExpectation, result: Any, source: str) -> FileFigures:
    """Compare one ``CheckResult`` with what torch compiled in the same file."""
    figures = FileFigures(expected.label)
    layout = FileLayout(source)
    have, compiled_lines, empty_lines = pyjit_positions(result.analysis, str(expected.path))
    figures.torch_nodes = len(expected.nodes)
    kinds_at: dict[tuple[int, int], set[str]] = {}
    for kind, line, col in have:
        kinds_at.setdefault((line, col), set()).add(kind)
    for kind, line, col in sorted(expected.nodes, key=lambda p: (p[1], p[2], p[0])):
        if (kind, line, col) in have:
            figures.matched += 1
        else:
            fn = layout.function_at(line)
            figures.misses.append(Miss(kind, line, col, fn.qualname if fn else None,
                                       fn.def_line if fn else None, fn is not None and fn.def_line in compiled_lines,
                                       tuple(sorted(kinds_at.get((line, col), set()) - {kind})),
                                       fn is not None and fn.def_line in empty_lines))
    compiled, rejected = layout.compiled_spans(expected), layout.spans(expected.rejected)
    target = os.path.realpath(expected.path)
    for d in result.diagnostics:
        if os.path.realpath(d.path) != target:
            continue
        line = d.range.start_line + 1
        first = d.message.strip().split("\n", 1)[0]
        if d.is_error:
            where = ("compiled" if any(a <= line <= b for a, b in compiled) else
                     "rejected" if any(a <= line <= b for a, b in rejected) else "elsewhere")
            figures.errors.append(ErrorFact(d.code, line, d.range.start_col, first, where))
        top = next((t for t in layout.definitions if t.qualname == t.top and t.first_line <= line <= t.last_line), None)
        if top is not None:
            figures.notes.setdefault(top.qualname, []).append(f"{d.code} line {line}: {first}")
    return figures


# --- running a setting ---------------------------------------------------------------------------------


@dataclass
class SettingFigures:
    setting: Setting
    folder: str
    environment: str                     # where torch came from, as pyjit resolved it
    torch_found: bool
    files: list[FileFigures] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def torch_nodes(self) -> int:
        return sum(f.torch_nodes for f in self.files)

    @property
    def matched(self) -> int:
        return sum(f.matched for f in self.files)

    @property
    def op_agreement(self) -> float:
        return self.matched / self.torch_nodes if self.torch_nodes else 1.0

    @property
    def errors_on_compiled_code(self) -> int:
        return sum(f.errors_on_compiled_code for f in self.files)

    @property
    def errors_elsewhere(self) -> int:
        return sum(f.errors_elsewhere for f in self.files)

    @property
    def crashed(self) -> list[str]:
        return [f.label for f in self.files if f.crashed]


def run_setting(setting: Setting, expectations: list[FileExpectation], site: Path) -> SettingFigures:
    """Open every file of ``expectations`` in one session, as an editor with ``setting`` would."""
    import hashlib

    from pyjit_core.editor.presentation import Presentation
    from pyjit_core.environment import Environment
    from pyjit_core.session import Session
    from pyjit_core.settings import SettingsResolver

    folder = workspace_folder(setting, site)
    resolver = SettingsResolver([str(folder)], overrides={"roots": setting.roots}, environ={},
                                environment=None if setting.torch else Environment.without_torch())
    session = Session(resolver, presentation=Presentation.IN_FILE)
    first = session.context_for(str(expectations[0].path)).environment if expectations else None
    out = SettingFigures(setting, str(folder), first.origin if first else "", bool(first and first.torch_root))
    started = time.perf_counter()
    for expected in expectations:
        source = expected.path.read_text(encoding="utf-8")
        began = time.perf_counter()
        try:
            result = session.check(str(expected.path), source)
        except Exception:
            figures = FileFigures(expected.label, torch_nodes=len(expected.nodes),
                                  crashed=traceback.format_exc())
        else:
            figures = score_file(expected, result, source)
            crash = next((d for d in result.diagnostics if d.code == "PJ900"), None)
            if crash is not None:
                figures.crashed = crash.message
            session.release(result)
        figures.stale = bool(expected.sha256) and hashlib.sha256(source.encode()).hexdigest() != expected.sha256
        figures.seconds = time.perf_counter() - began
        out.files.append(figures)
    out.seconds = time.perf_counter() - started
    return out


@dataclass(frozen=True)
class Suite:
    name: str
    site: Path                           # the folder that holds the package (site-packages)
    expectations: list[FileExpectation]


def torchvision_suite() -> Suite:
    from .torchvision_side import expectation_path
    from .torchvision_sources import ensure_sources

    site = ensure_sources()
    data = json.loads(expectation_path().read_text(encoding="utf-8"))
    return Suite("torchvision", site, torchvision_expectations(data, site))


def nn_modules_suite() -> Suite:
    from .real_code import installed_torch

    found = installed_torch()
    if found is None:
        raise FileNotFoundError("torch is not installed: the nn.modules suite reads the installed torch's files")
    return Suite("nn.modules", found[0].parent, nn_modules_expectations())


SUITES = {"torchvision": torchvision_suite, "nn.modules": nn_modules_suite}


@functools.cache
def suite(name: str) -> Suite:
    return SUITES[name]()


def measure(setting: Setting) -> SettingFigures:
    s = suite(setting.suite)
    return run_setting(setting, s.expectations, s.site)


# --- reporting -------------------------------------------------------------------------------------------


def _pct(v: float) -> str:
    return f"{100 * v:5.1f}%"


def format_summary(results: list[SettingFigures]) -> str:
    head = f"{'setting':44} {'files':>5} {'nodes':>13} {'agree':>6} {'errors':>6} {'elsewhere':>9} {'time':>6}"
    lines = [head, "-" * len(head)]
    for r in results:
        flags = "" if r.torch_found == r.setting.torch else "  (torch: " + r.environment + ")"
        flags += f"  CRASH in {len(r.crashed)}" if r.crashed else ""
        lines.append(f"{r.setting.key:44} {len(r.files):5} {f'{r.matched}/{r.torch_nodes}':>13} "
                     f"{_pct(r.op_agreement)} {r.errors_on_compiled_code:6} {r.errors_elsewhere:9} "
                     f"{r.seconds:5.1f}s{flags}")
    lines.append("agree: op agreement (target 95 %); errors: Error diagnostics on code torch compiles (target 0); "
                 "elsewhere: Errors in code torch never compiles (not counting roots torch rejects too)")
    return "\n".join(lines)


def format_files(results: list[SettingFigures]) -> str:
    """One row per file, one column per setting: op agreement, and Errors on compiled code when any."""
    labels = [f.label for f in results[0].files] if results else []
    keys = [r.setting.key.split(":", 1)[1] for r in results]
    width = max([len(k) for k in keys] + [12])
    lines = [f"{'file':56} {'nodes':>5} " + " ".join(f"{k:>{width}}" for k in keys)]
    for i, label in enumerate(labels):
        cells = []
        for r in results:
            f = r.files[i]
            cell = ("CRASH" if f.crashed else _pct(f.matched / f.torch_nodes if f.torch_nodes else 1.0).strip())
            cell += f" E{f.errors_on_compiled_code}" if f.errors_on_compiled_code else ""
            cell += " STALE" if f.stale else ""
            cells.append(f"{cell:>{width}}")
        lines.append(f"{label[-56:]:56} {results[0].files[i].torch_nodes:5} " + " ".join(cells))
    return "\n".join(lines)


def group_misses(result: SettingFigures) -> dict[str, Any]:
    """The misses of one setting, by cause.

    ``not_compiled``: functions torch compiles and pyjit does not, with the
    nodes lost and pyjit's diagnostics in their top-level class or function
    (a PJ901 there usually says why); ``incomplete``: functions pyjit compiles
    with some of torch's nodes missing (often another instance: pyjit built
    the module with other arguments, so other branches survived); ``by_kind``:
    every missing node by kind; ``errors``: every Error diagnostic.
    """
    functions: dict[tuple[str, str], dict[str, Any]] = {}
    by_kind: Counter[str] = Counter()
    for f in result.files:
        for m in f.misses:
            by_kind[m.kind] += 1
            key = (f.label, m.function or "<module level>")
            entry = functions.setdefault(key, {
                "file": f.label, "function": key[1], "line": m.function_line, "nodes": 0,
                "compiled_by_pyjit": m.compiled_by_pyjit, "kinds": Counter(), "positions": [],
                "empty_graph": m.empty_graph, "notes": f.notes.get((m.function or "").split(".", 1)[0], [])})
            entry["nodes"] += 1
            entry["kinds"][m.kind] += 1
            instead = f" (pyjit: {', '.join(m.instead)})" if m.instead else ""
            entry["positions"].append(f"{m.line}:{m.col} {m.kind}{instead}")

    def ordered(compiled: bool) -> list[dict[str, Any]]:
        chosen = [dict(e, kinds=dict(e["kinds"].most_common())) for e in functions.values()
                  if e["compiled_by_pyjit"] is compiled]
        return sorted(chosen, key=lambda e: (-e["nodes"], e["file"], e["line"] or 0))

    errors = [{"file": f.label, "line": e.line, "col": e.col, "code": e.code, "message": e.message,
               "where": e.where} for f in result.files for e in f.errors]
    return {"not_compiled": ordered(False), "incomplete": ordered(True), "by_kind": dict(by_kind.most_common()),
            "errors": sorted(errors, key=lambda e: (e["where"], e["file"], e["line"]))}


def format_misses(result: SettingFigures, *, limit: int = 0) -> str:
    grouped = group_misses(result)
    lines = [f"== {result.setting.key}: {result.matched}/{result.torch_nodes} ({_pct(result.op_agreement).strip()}), "
             f"torch from {result.environment}"]

    def clipped(items: list[Any]) -> list[Any]:
        return items[:limit] if limit else items

    def more(items: list[Any]) -> None:
        if limit and len(items) > limit:
            lines.append(f"  ... {len(items) - limit} more")

    groups = grouped["not_compiled"]
    lines.append(f"-- functions torch compiles and pyjit does not ({len(groups)}, {sum(e['nodes'] for e in groups)} "
                 "nodes); pyjit's diagnostics in their class or function:")
    for e in clipped(groups):
        empty = " (pyjit lists it with an empty graph: graph(): return ())" if e["empty_graph"] else ""
        lines.append(f"  {e['nodes']:4}  {e['file']}:{e['line']} {e['function']}{empty}")
        lines.extend(f"          {note[:200]}" for note in e["notes"][:3])
    more(groups)
    groups = grouped["incomplete"]
    lines.append(f"-- functions pyjit compiles with nodes missing ({len(groups)}, {sum(e['nodes'] for e in groups)} "
                 "nodes):")
    for e in clipped(groups):
        kinds = ", ".join(f"{k} {n}" for k, n in list(e["kinds"].items())[:6])
        lines.append(f"  {e['nodes']:4}  {e['file']}:{e['line']} {e['function']}: {kinds}")
        lines.append("          at " + ", ".join(clipped(e["positions"]) if limit else e["positions"]))
    more(groups)
    lines.append("-- missing nodes by kind: " + ", ".join(f"{k} {n}" for k, n in grouped["by_kind"].items()))
    lines.append(f"-- Error diagnostics ({len(grouped['errors'])}; * on code torch compiles, "
                 "r on a root torch rejects too):")
    marks = {"compiled": "*", "rejected": "r", "elsewhere": " "}
    for e in grouped["errors"]:
        lines.append(f"  {marks[e['where']]} {e['file']}:{e['line']}:{e['col'] + 1} "
                     f"{e['code']} {e['message'][:200]}")
    for f in result.files:
        if f.crashed:
            lines.append(f"-- pyjit failed on {f.label}:\n{f.crashed}")
    return "\n".join(lines)


def as_json(results: list[SettingFigures]) -> str:
    return json.dumps([{"setting": asdict(r.setting), "key": r.setting.key, "environment": r.environment,
                        "torch_found": r.torch_found, "torch_nodes": r.torch_nodes, "matched": r.matched,
                        "op_agreement": r.op_agreement, "errors_on_compiled_code": r.errors_on_compiled_code,
                        "errors_elsewhere": r.errors_elsewhere, "seconds": round(r.seconds, 2),
                        "files": [{"label": f.label, "torch_nodes": f.torch_nodes, "matched": f.matched,
                                   "errors_on_compiled_code": f.errors_on_compiled_code, "crashed": bool(f.crashed)}
                                  for f in r.files],
                        "misses": group_misses(r)} for r in results], indent=1)


def select(settings: list[Setting], *, suites: list[str], workspaces: list[str], roots: list[str],
           torch: str) -> Iterator[Setting]:
    for s in settings:
        if suites and s.suite not in suites:
            continue
        if workspaces and s.workspace not in workspaces:
            continue
        if roots and s.roots not in roots:
            continue
        if torch != "both" and s.torch != (torch == "found"):
            continue
        yield s


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Score pyjit on real code opened as users open it (torchvision, "
                                            "torch's nn/modules) against what torch compiled.")
    p.add_argument("--suite", action="append", default=[], choices=sorted(SUITES))
    p.add_argument("--workspace", action="append", default=[],
                   choices=sorted(set(TORCHVISION_WORKSPACES + NN_MODULES_WORKSPACES)))
    p.add_argument("--roots", action="append", default=[], choices=ROOTS_MODES)
    p.add_argument("--torch", choices=("found", "absent", "both"), default="both")
    p.add_argument("--file", action="append", default=[], help="only files whose label contains this")
    p.add_argument("--files", action="store_true", help="per-file figures")
    p.add_argument("--misses", action="store_true", help="every miss and Error, grouped by cause")
    p.add_argument("--limit", type=int, default=0, help="with --misses: at most this many lines per group")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    results = []
    for setting in select(all_settings(), suites=args.suite, workspaces=args.workspace, roots=args.roots,
                          torch=args.torch):
        s = suite(setting.suite)
        expectations = [e for e in s.expectations if not args.file or any(f in e.label for f in args.file)]
        results.append(run_setting(setting, expectations, s.site))
    if args.json:
        print(as_json(results))
        return 0
    if args.misses:
        for r in results:
            print(format_misses(r, limit=args.limit))
            print()
    if args.files:
        for name in dict.fromkeys(r.setting.suite for r in results):
            print(format_files([r for r in results if r.setting.suite == name]))
            print()
    print(format_summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
