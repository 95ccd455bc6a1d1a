"""Measure pyjit's frontend against what real ``torch.jit.script`` did.

``python -m tests.conformance.runner`` (or ``python tests/conformance/runner.py``)
analyses every corpus file with :func:`pyjit_core.frontend.driver.analyze_source`
and compares the result with the committed expectations in ``expected/``
(written by :mod:`.torch_side`; torch is not needed here). ``--real-code``
does the same for torch's own ``nn`` files (:mod:`.real_code`).

The figures, per file and in total:

(a) op agreement -- over every node torch emitted with a source range in the
    file (``prim::Constant`` excluded), the share for which pyjit's graph of
    the same function has a node of the same kind at the same (line, column);
    nodes are matched as a multiset.
(b) error recall -- over the roots torch rejects, the share for which pyjit
    reports an Error diagnostic on the root; and, over those where torch
    names a line in the file, the share where one such error starts on it.
(c) false errors -- roots torch accepts that pyjit reports an Error for.
(d) graph text -- over accepted roots with graphs, the share whose every graph
    prints like torch's once value names are canonicalised (``%0, %1, ...``
    in order of first appearance), ``# file:line:col`` comments dropped and
    ``___torch_mangle_N.`` removed.

``--verbose`` adds per-node and per-root mismatch details, ``--file`` and
``--root`` narrow the run, ``--json`` prints everything as JSON.
"""

from __future__ import annotations

import argparse
import difflib
import inspect
import json
import re
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "tests.conformance"

from .corpus_roots import CORPUS_DIR, CORPUS_SEARCH_ROOT, REPO_ROOT, corpus_files, expectation_name

HERE = Path(__file__).resolve().parent
EXPECTED_DIR = HERE / "expected"
EXCLUDED_KINDS = frozenset({"prim::Constant"})

Analyzer = Callable[..., Any]   # analyze_source(source, path, module_name=..., roots=...) -> Analysis

_MANGLE = re.compile(r"___torch_mangle_\d+\.")
_VALUE = re.compile(r"%[A-Za-z0-9_.]+")
_COMMENT = re.compile(r" # \S.*:\d+:\d+$")


def load_analyzer() -> Analyzer:
    """pyjit's frontend: :func:`pyjit_core.frontend.driver.analyze_source`."""
    from pyjit_core.frontend.driver import analyze_source

    return analyze_source


# --- graphs ------------------------------------------------------------------------------


def demangle(text: str) -> str:
    return _MANGLE.sub("", text)


def canonical_text(text: str) -> str:
    """Graph text with value names numbered in order, source comments and mangling dropped."""
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        return names.setdefault(m.group(0), f"%{len(names)}")

    lines = [_COMMENT.sub("", line.rstrip("\n")) for line in demangle(text).splitlines()]
    return "\n".join(_VALUE.sub(rename, line) for line in lines) + "\n"


def pyjit_nodes(graph: Any) -> Counter[tuple[str, int, int]]:
    """(kind, 1-based line, 0-based byte column) of every pyjit node with a source range."""
    from pyjit_core.ir.walk import walk_nodes

    out: Counter[tuple[str, int, int]] = Counter()
    for node in walk_nodes(graph):
        r = node.source_range
        if r is None:
            continue
        kind = node.kind.qual_string() if hasattr(node.kind, "qual_string") else str(node.kind)
        out[(kind, r.start_line, r.start_col)] += 1
    return out


def torch_nodes(facts: dict[str, Any]) -> Counter[tuple[str, int, int]]:
    return Counter((k, line, col) for k, line, col in facts["nodes"] if k not in EXCLUDED_KINDS)


def graph_key_base(key: str) -> str:
    """``__torch__.m.M.forward#2`` -> ``__torch__.m.M.forward``."""
    return key.split("#", 1)[0]


# --- results -----------------------------------------------------------------------------


@dataclass
class GraphResult:
    key: str
    torch_nodes: int
    matched: int
    found: bool                         # pyjit has a graph for this function
    identical: bool
    missing: list[tuple[str, int, int]] = field(default_factory=list)  # torch has, pyjit lacks
    extra: list[tuple[str, int, int]] = field(default_factory=list)    # pyjit has (ranged), torch lacks
    diff: str = ""


@dataclass
class RootResult:
    name: str
    kind: str
    accepted: bool                      # by torch
    pyjit_found: bool
    pyjit_errors: list[dict[str, Any]] = field(default_factory=list)
    torch_error: str | None = None      # first line of torch's message
    torch_line: int | None = None
    error_reported: bool = False        # (b)
    error_on_line: bool = False         # (b), on torch's line
    graphs: list[str] = field(default_factory=list)
    identical: bool = False             # (d)


@dataclass
class FileResult:
    file: str
    module_name: str
    crashed: str | None = None
    stale: bool = False                 # the source changed since the expectations were written
    torch_nodes: int = 0
    matched_nodes: int = 0
    rejected: int = 0
    rejected_reported: int = 0
    rejected_with_line: int = 0
    rejected_on_line: int = 0
    accepted: int = 0
    false_errors: list[str] = field(default_factory=list)
    missing_roots: list[str] = field(default_factory=list)
    unexpected_roots: list[str] = field(default_factory=list)
    graph_roots: int = 0
    identical_roots: int = 0
    not_instantiated: list[str] = field(default_factory=list)
    roots: list[RootResult] = field(default_factory=list)
    graphs: list[GraphResult] = field(default_factory=list)


def share(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


@dataclass
class Totals:
    files: int = 0
    crashed: int = 0
    torch_nodes: int = 0
    matched_nodes: int = 0
    rejected: int = 0
    rejected_reported: int = 0
    rejected_with_line: int = 0
    rejected_on_line: int = 0
    accepted: int = 0
    false_errors: int = 0
    graph_roots: int = 0
    identical_roots: int = 0

    @property
    def op_agreement(self) -> float | None:
        return share(self.matched_nodes, self.torch_nodes)

    @property
    def error_recall(self) -> float | None:
        return share(self.rejected_reported, self.rejected)

    @property
    def error_line_recall(self) -> float | None:
        return share(self.rejected_on_line, self.rejected_with_line)

    @property
    def graph_text(self) -> float | None:
        return share(self.identical_roots, self.graph_roots)

    def add(self, r: FileResult) -> None:
        self.files += 1
        self.crashed += r.crashed is not None
        self.torch_nodes += r.torch_nodes
        self.matched_nodes += r.matched_nodes
        self.rejected += r.rejected
        self.rejected_reported += r.rejected_reported
        self.rejected_with_line += r.rejected_with_line
        self.rejected_on_line += r.rejected_on_line
        self.accepted += r.accepted
        self.false_errors += len(r.false_errors)
        self.graph_roots += r.graph_roots
        self.identical_roots += r.identical_roots

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(op_agreement=self.op_agreement, error_recall=self.error_recall,
                 error_line_recall=self.error_line_recall, graph_text=self.graph_text)
        return d


# --- comparing one file ------------------------------------------------------------------------


def _is_error(d: Any) -> bool:
    return bool(getattr(d, "is_error", False))


def _diag_facts(d: Any) -> dict[str, Any]:
    r = d.range
    return {"code": d.code, "line": r.start_line + 1, "col": r.start_col, "message": d.message}


def compare_file(expected: dict[str, Any], analysis: Any | None, *, crashed: str | None = None,
                 only_root: str | None = None, details: bool = False) -> FileResult:
    """Score one analysis against one expectation (``analysis=None``: nothing was produced)."""
    res = FileResult(expected["file"], expected["module_name"], crashed=crashed,
                     not_instantiated=[n["name"] for n in expected.get("not_instantiated", [])])
    pyjit_roots = {r.name: r for r in (analysis.roots if analysis is not None else [])}
    candidates: dict[str, list[Any]] = {}
    if analysis is not None:
        for qn, fn in analysis.functions.items():
            graph = getattr(fn, "graph", None)
            if graph is not None:
                candidates.setdefault(demangle(getattr(fn, "qualified_name", qn) or qn), []).append(graph)

    torch_root_names = {r["name"] for r in expected["roots"]}
    res.unexpected_roots = sorted(n for n in pyjit_roots if n not in torch_root_names)

    # (a) per distinct graph; remember which graphs are identical for (d)
    graph_results: dict[str, GraphResult] = {}
    wanted_graphs = {k for r in expected["roots"] if r["accepted"] and (only_root in (None, r["name"]))
                     for k in r["graphs"]}
    for key in sorted(wanted_graphs):
        facts = expected["graphs"][key]
        want = torch_nodes(facts)
        total = sum(want.values())
        best: tuple[int, Counter[tuple[str, int, int]], Any] | None = None
        identical = False
        torch_text = canonical_text(facts["text"])
        for graph in candidates.get(graph_key_base(key), []):
            have = pyjit_nodes(graph)
            matched = sum((want & have).values())
            if best is None or matched > best[0]:
                best = (matched, have, graph)
            if canonical_text(str(graph)) == torch_text:
                identical = True
        gr = GraphResult(key, total, best[0] if best else 0, best is not None, identical)
        if details:
            have = best[1] if best else Counter()
            gr.missing = sorted((want - have).elements(), key=lambda t: (t[1], t[2], t[0]))
            ranged_extra = Counter({k: v for k, v in have.items() if k[0] not in EXCLUDED_KINDS})
            gr.extra = sorted((ranged_extra - want).elements(), key=lambda t: (t[1], t[2], t[0]))
            if best is not None and not identical:
                gr.diff = "".join(difflib.unified_diff(
                    torch_text.splitlines(True), canonical_text(str(best[2])).splitlines(True),
                    "torch", "pyjit", n=2))
        graph_results[key] = gr
        res.torch_nodes += total
        res.matched_nodes += gr.matched
    res.graphs = list(graph_results.values())

    # (b), (c), (d) per root
    for r in expected["roots"]:
        if only_root is not None and r["name"] != only_root:
            continue
        mine = pyjit_roots.get(r["name"])
        errors = [d for d in (mine.diagnostics if mine is not None else []) if _is_error(d)]
        rr = RootResult(r["name"], r["kind"], r["accepted"], mine is not None,
                        pyjit_errors=[_diag_facts(d) for d in errors], graphs=list(r["graphs"]))
        if mine is None:
            res.missing_roots.append(r["name"])
        if r["accepted"]:
            res.accepted += 1
            if errors:
                res.false_errors.append(r["name"])
            if r["graphs"]:
                res.graph_roots += 1
                rr.identical = all(graph_results[k].identical for k in r["graphs"])
                res.identical_roots += rr.identical
        else:
            res.rejected += 1
            err = r["error"]
            rr.torch_error = err["message"].strip().split("\n", 1)[0]
            rr.torch_line = err["line"]
            rr.error_reported = bool(errors)
            res.rejected_reported += rr.error_reported
            if err["line"] is not None:
                res.rejected_with_line += 1
                rr.error_on_line = any(d.range.start_line + 1 == err["line"] for d in errors)
                res.rejected_on_line += rr.error_on_line
        res.roots.append(rr)
    return res


# --- running ---------------------------------------------------------------------------------


def load_expectation(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def corpus_expectations(files: Iterable[Path] | None = None) -> list[tuple[Path, dict[str, Any]]]:
    """(corpus file, its expectation) for every corpus file (or the given ones)."""
    out = []
    for f in (list(files) if files is not None else corpus_files()):
        exp = EXPECTED_DIR / f"{expectation_name(f)}.json"
        if not exp.is_file():
            raise FileNotFoundError(f"no expectation for {f}: run python -m tests.conformance.torch_side")
        out.append((f.resolve(), load_expectation(exp)))
    return out


def real_code_expectations(stems: Iterable[str] | None = None) -> list[tuple[Path, dict[str, Any]]]:
    """(torch source file, its expectation) for the installed torch; needs torch's sources only.

    ``stems``: the files (default: ``real_code.RUNNER_MODULES``, the ones this runner scores)."""
    from .real_code import REAL_MODULES, RUNNER_MODULES, expected_dir, installed_torch, real_file

    found = installed_torch()
    if found is None:
        raise FileNotFoundError("torch is not installed: --real-code reads the installed torch's nn sources")
    torch_dir, version = found
    out = []
    for stem in (RUNNER_MODULES if stems is None else stems):
        module_name = REAL_MODULES[stem]
        exp = expected_dir(version) / f"{stem}.json"
        if not exp.is_file():
            raise FileNotFoundError(f"no expectation for torch {version}: run python -m tests.conformance.real_code")
        out.append((real_file(torch_dir, module_name), load_expectation(exp)))
    return out


def _accepts(fn: Analyzer, keyword: str) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == keyword or p.kind is p.VAR_KEYWORD for p in params)


def instances_torch_scripted(expected: dict[str, Any]) -> str:
    """Python that scripts the same module instances the torch side scripted.

    torch can only script a module *instance*; the real-code torch side builds
    each class with the arguments in ``real_code.CONSTRUCTORS``. pyjit is given
    the same instances -- ``torch.jit.script(Cls(args))`` lines appended after
    the file's own code, so no position in the file moves -- and finds their
    roots as a user's ``torch.jit.script(Model(...))`` calls.
    """
    from .real_code import CONSTRUCTORS

    lines = []
    for root in expected["roots"]:
        if root["kind"] != "module":
            continue
        args, kwargs = CONSTRUCTORS.get(root["name"], ((), {}))
        call = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
        lines.append(f"torch.jit.script({root['name']}({call}))")
    if not lines:
        return ""
    return "\n\n# pyjit conformance: the instances torch scripted\nimport torch\n" + "\n".join(lines) + "\n"


def run(expectations: list[tuple[Path, dict[str, Any]]], analyzer: Analyzer, roots_mode: str, *,
        search_paths: list[str] | None = None, only_root: str | None = None,
        details: bool = False, instances: bool = False) -> tuple[list[FileResult], Totals, float]:
    """Analyse each file and score it. ``search_paths`` default: where ``corpus/`` is (for its imports)."""
    import hashlib

    extra: dict[str, Any] = {}
    if _accepts(analyzer, "search_paths"):
        extra["search_paths"] = [str(CORPUS_SEARCH_ROOT)] if search_paths is None else search_paths
    results: list[FileResult] = []
    totals = Totals()
    start = time.perf_counter()
    for path, expected in expectations:
        source = path.read_text(encoding="utf-8")
        analysed = source + instances_torch_scripted(expected) if instances else source
        analysis, crashed = None, None
        try:
            analysis = analyzer(analysed, str(path), module_name=expected["module_name"], roots=roots_mode, **extra)
        except Exception:
            crashed = traceback.format_exc()
        res = compare_file(expected, analysis, crashed=crashed, only_root=only_root, details=details)
        res.stale = hashlib.sha256(source.encode("utf-8")).hexdigest() != expected["source_sha256"]
        results.append(res)
        totals.add(res)
    return results, totals, time.perf_counter() - start


# --- reporting -----------------------------------------------------------------------------------


def _pct(v: float | None) -> str:
    return "   -  " if v is None else f"{100 * v:5.1f}%"


def format_table(results: list[FileResult], totals: Totals) -> str:
    head = (f"{'file':44} {'roots':>5} {'rej':>4} {'ops':>12} {'(a)':>6} {'(b)':>6} {'line':>6} "
            f"{'(c)':>4} {'(d)':>6}")
    lines = [head, "-" * len(head)]
    for r in results:
        name = r.file.removeprefix("tests/conformance/corpus/")
        flag = " CRASH" if r.crashed else (" STALE" if r.stale else "")
        lines.append(
            f"{name[:44]:44} {r.accepted + r.rejected:5} {r.rejected:4} "
            f"{f'{r.matched_nodes}/{r.torch_nodes}':>12} {_pct(share(r.matched_nodes, r.torch_nodes))} "
            f"{_pct(share(r.rejected_reported, r.rejected))} {_pct(share(r.rejected_on_line, r.rejected_with_line))} "
            f"{len(r.false_errors):4} {_pct(share(r.identical_roots, r.graph_roots))}{flag}")
    t = totals
    lines.append("-" * len(head))
    lines.append(
        f"{'total (' + str(t.files) + ' files)':44} {t.accepted + t.rejected:5} {t.rejected:4} "
        f"{f'{t.matched_nodes}/{t.torch_nodes}':>12} {_pct(t.op_agreement)} {_pct(t.error_recall)} "
        f"{_pct(t.error_line_recall)} {t.false_errors:4} {_pct(t.graph_text)}")
    lines.append("(a) op agreement  (b) error recall, and on torch's line  (c) false errors  (d) identical graph text")
    false = [f"{r.file.removeprefix('tests/conformance/corpus/')}:{n}" for r in results for n in r.false_errors]
    if false:
        more = f", ... ({len(false) - 12} more; --verbose lists them)" if len(false) > 12 else ""
        lines.append(f"false errors ({len(false)}): " + ", ".join(false[:12]) + more)
    crashed = [r.file for r in results if r.crashed]
    if crashed:
        lines.append("analyze_source raised on: " + ", ".join(crashed) + " (--verbose shows the traceback)")
    stale = [r.file for r in results if r.stale]
    if stale:
        lines.append("source changed since the expectations were written (regenerate): " + ", ".join(stale))
    return "\n".join(lines)


def format_details(results: list[FileResult]) -> str:
    out: list[str] = []
    for r in results:
        out.append(f"== {r.file} ({r.module_name})")
        if r.crashed:
            out.append("analyze_source raised:\n" + r.crashed)
        if r.missing_roots:
            out.append("roots pyjit did not report: " + ", ".join(r.missing_roots))
        if r.unexpected_roots:
            out.append("roots torch does not have: " + ", ".join(r.unexpected_roots))
        if r.not_instantiated:
            out.append("not instantiated on the torch side: " + ", ".join(r.not_instantiated))
        graphs = {g.key: g for g in r.graphs}
        for rr in r.roots:
            if rr.accepted:
                status = "ok" if rr.identical and not rr.pyjit_errors else "differs"
                out.append(f"-- {rr.name} [{rr.kind}, accepted by torch] {status}")
                for e in rr.pyjit_errors:
                    out.append(f"   FALSE ERROR {e['code']} line {e['line']}:{e['col']}: {e['message']}")
                for key in rr.graphs:
                    g = graphs[key]
                    if not g.found:
                        out.append(f"   {key}: pyjit has no graph ({g.torch_nodes} torch nodes unmatched)")
                        continue
                    out.append(f"   {key}: {g.matched}/{g.torch_nodes} nodes, text "
                               + ("identical" if g.identical else "differs"))
                    for kind, line, col in g.missing:
                        out.append(f"     missing {kind} at {line}:{col}")
                    for kind, line, col in g.extra:
                        out.append(f"     extra   {kind} at {line}:{col}")
                    if g.diff:
                        out.extend("     " + d for d in g.diff.rstrip("\n").split("\n"))
            else:
                verdict = ("reported on line" if rr.error_on_line else
                           "reported, other line" if rr.error_reported else "NOT reported")
                out.append(f"-- {rr.name} [{rr.kind}, rejected by torch at line {rr.torch_line}] {verdict}")
                out.append(f"   torch: {rr.torch_error}")
                for e in rr.pyjit_errors:
                    out.append(f"   pyjit: {e['code']} line {e['line']}:{e['col']}: {e['message']}")
    return "\n".join(out)


def as_json(results: list[FileResult], totals: Totals, seconds: float) -> str:
    return json.dumps({"totals": totals.as_dict(), "seconds": round(seconds, 3),
                       "files": [asdict(r) for r in results]}, indent=1)


def corpus_statistics(expectations: list[tuple[Path, dict[str, Any]]], top: int = 20) -> str:
    """Roots per file, rejected share, node counts per kind: what the corpus measures (no analyzer)."""
    lines = [f"{'file':44} {'roots':>5} {'rejected':>8} {'share':>6} {'graphs':>6} {'nodes':>6}"]
    ranged: Counter[str] = Counter()
    constants = 0
    unranged: Counter[str] = Counter()
    n_roots = n_rej = n_graphs = n_line = 0
    for _, e in expectations:
        roots = e["roots"]
        rej = sum(not r["accepted"] for r in roots)
        n_line += sum(1 for r in roots if not r["accepted"] and r["error"]["line"] is not None)
        nodes = 0
        for g in e["graphs"].values():
            for kind, _, _ in g["nodes"]:
                if kind in EXCLUDED_KINDS:
                    constants += 1
                else:
                    ranged[kind] += 1
                    nodes += 1
            unranged.update(g["unranged"])
        n_roots, n_rej, n_graphs = n_roots + len(roots), n_rej + rej, n_graphs + len(e["graphs"])
        name = e["file"].removeprefix("tests/conformance/corpus/")
        lines.append(f"{name:44} {len(roots):5} {rej:8} {_pct(share(rej, len(roots)))} {len(e['graphs']):6} {nodes:6}")
    lines.append(f"{'total':44} {n_roots:5} {n_rej:8} {_pct(share(n_rej, n_roots))} {n_graphs:6} "
                 f"{sum(ranged.values()):6}")
    lines.append(f"rejected roots with a line in the file: {n_line}/{n_rej}; "
                 f"prim::Constant nodes with a range (not scored): {constants}")
    lines.append(f"nodes with a source range, by kind (top {top} of {len(ranged)}):")
    lines.extend(f"  {kind:28} {n:5}" for kind, n in ranged.most_common(top))
    lines.append(f"nodes torch gives no source range, by kind (top {top} of {len(unranged)}):")
    lines.extend(f"  {kind:28} {n:5}" for kind, n in unranged.most_common(top))
    return "\n".join(lines)


def _select_files(names: list[str]) -> list[Path]:
    out = []
    for name in names:
        p = Path(name)
        candidates = [p, REPO_ROOT / p, CORPUS_DIR / p, CORPUS_DIR / f"{name}.py",
                      CORPUS_DIR / Path(*name.split(".")).with_suffix(".py")]
        hit = next((c for c in candidates if c.is_file()), None)
        if hit is None:
            raise SystemExit(f"no corpus file {name!r}")
        out.append(hit.resolve())
    return out


def main(argv: list[str] | None = None, analyzer: Analyzer | None = None) -> int:
    p = argparse.ArgumentParser(description="Measure pyjit's frontend against torch.jit.script.")
    p.add_argument("--real-code", action="store_true", help="torch's own nn files instead of the corpus")
    p.add_argument("--file", action="append", default=[], help="a corpus file (path, stem or dotted stem)")
    p.add_argument("--root", help="only this root")
    p.add_argument("--verbose", "-v", action="store_true", help="per-root, per-node details")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.add_argument("--stats", action="store_true", help="only the corpus statistics (needs no analyzer)")
    args = p.parse_args(argv)
    if args.stats:
        print(corpus_statistics(real_code_expectations() if args.real_code else corpus_expectations(
            _select_files(args.file) if args.file else None)))
        return 0
    analyzer = analyzer or load_analyzer()
    if args.real_code:
        expectations = real_code_expectations()
        if args.file:
            expectations = [(f, e) for f, e in expectations
                            if any(n in (f.stem, str(f), e["module_name"]) for n in args.file)]
        mode = "all"
    else:
        expectations = corpus_expectations(_select_files(args.file) if args.file else None)
        mode = "decorated"
    results, totals, seconds = run(expectations, analyzer, mode, search_paths=[] if args.real_code else None,
                                   only_root=args.root, details=args.verbose or args.json,
                                   instances=args.real_code)
    if args.json:
        print(as_json(results, totals, seconds))
        return 0
    if args.verbose:
        print(format_details(results))
        print()
    print(format_table(results, totals))
    print(f"analysis time {seconds:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
