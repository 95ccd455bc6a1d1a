"""Reusing graphs across analyses of an edited file.

An editor re-analyses a file on every change, but most changes touch one
function. A function's graph is reused when nothing it was compiled from
changed:

* its own source text and column (the ``def`` with its decorators);
* its module's *environment*: everything at the module's top level except
  function bodies (imports, assignments, class bodies, ``def`` headers), so a
  name it uses cannot have changed meaning;
* the schema of every function it called or compiled (a callee's return
  type may be inferred from its body), checked again after those callees are
  themselves compiled or reused.

A function that merely moved (lines inserted or removed above it) is reused
too: the source ranges of its graph in its own file are shifted, in place,
by the distance moved (:meth:`CachedFunction.move_to`), and the references
into source that the graph keeps (a PythonOp's callee) are looked up again
in the new analysis. A graph is shared by the analyses that reuse it, so an
analysis passed as ``previous`` must not be used afterwards (its graphs may
have moved).

Only top-level functions whose graphs mention no class, interface or enum
types are cached (a class's attributes come from other places), and only
when every range in their own file lies inside the function; everything
else is always compiled afresh. A function that failed is cached with its
error (which moves with it alike), unless it failed because a callee did.

The analysed file's graphs travel with its ``Analysis`` (``previous=``);
graphs of torch's own library sources, which only change when torch is
reinstalled, are kept for the whole process in :data:`LIBRARY_CACHE`.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..ir import types as T
from ..ir.graph import Graph, Node
from ..ir.source_range import SourceRange
from ..ir.walk import walk_nodes
from .errors import CompileError, Related
from .pyworld import ModuleScope
from .tree import TYPE_IGNORE


@dataclass(eq=False)
class CachedFunction:
    """A function's graph -- or the error compiling it raised -- and what it was made from."""

    fingerprint: str
    graph: Graph | None
    schema: object
    # (module name, Python qualname, str(schema)) of each dependency
    deps: tuple[tuple[str, str, str], ...]
    path: str = ""
    first_line: int = 0                     # the function's first line (its first decorator), as the graph has it
    nodes: tuple[Node, ...] = ()            # every node, subgraphs' too: what moves
    python_ops: tuple[Node, ...] = ()       # the nodes holding a ``callee_ref``
    error: CompileError | None = None       # a function that failed: its error (with the ones found after it)

    @classmethod
    def of(cls, fingerprint: str, graph: Graph, schema: object, deps: tuple[tuple[str, str, str], ...],
           path: str, first_line: int) -> CachedFunction:
        nodes = tuple(walk_nodes(graph, subgraphs=True))
        python_ops = tuple(n for n in nodes if getattr(n, "callee_ref", None) is not None)
        return cls(fingerprint, graph, schema, deps, path, first_line, nodes, python_ops)

    @classmethod
    def failure(cls, fingerprint: str, error: CompileError, deps: tuple[tuple[str, str, str], ...],
                path: str, first_line: int) -> CachedFunction:
        return cls(fingerprint, None, None, deps, path, first_line, error=error)

    def move_to(self, first_line: int, rebind: Callable[[Any], Any]) -> bool:
        """Make the graph (or error) the one of the function now starting at
        ``first_line``, its callees' references replaced by ``rebind(ref)``.
        ``False`` (and nothing changed) when a reference no longer resolves."""
        refs = [(n, rebind(n.callee_ref)) for n in self.python_ops]  # type: ignore[attr-defined]
        if any(ref is None for _, ref in refs):
            return False
        delta = first_line - self.first_line
        if delta:
            path = self.path
            for n in self.nodes:
                r = n.source_range
                if r is not None and r.path == path:
                    n.source_range = _shifted(r, delta)
                r = n.anchor
                if isinstance(r, SourceRange) and r.path == path:
                    n.anchor = _shifted(r, delta)
            if self.error is not None:
                for e in self.error.all_errors():
                    e.range = _shifted(e.range, delta) if e.range is not None and e.range.path == path else e.range
                    e.related = tuple(Related(_shifted(r.range, delta), r.message) if r.range.path == path else r
                                      for r in e.related)
            self.first_line = first_line
        for n, ref in refs:
            n.callee_ref = ref  # type: ignore[attr-defined]
        return True


def error_within(error: CompileError, path: str, first: int, last: int) -> bool:
    """Whether every place ``error`` (and those found after it) points to in
    ``path`` lies on lines ``first..last``: only then can it move with its function."""
    def inside(r: SourceRange | None) -> bool:
        return r is None or r.path != path or (first <= r.start_line and (r.end_line or r.start_line) <= last)

    return all(inside(e.range) and all(inside(r.range) for r in e.related) for e in error.all_errors())


class FunctionCache:
    """Graphs of one file's functions from its previous analysis."""

    def __init__(self) -> None:
        self.entries: dict[str, CachedFunction] = {}
        self.environment: ModuleEnvironment | None = None

    def lookup(self, qualified_name: str, fingerprint: str) -> CachedFunction | None:
        entry = self.entries.get(qualified_name)
        return entry if entry is not None and entry.fingerprint == fingerprint else None


#: torch's library functions, compiled once per process (keyed by source fingerprint).
LIBRARY_CACHE = FunctionCache()


class ModuleEnvironment:
    """A module's top level with function bodies left out: what a function's
    graph may depend on besides its own text.

    Every statement but a ``def`` counts for every function, by its text; a
    ``class`` by its skeleton (:func:`skeleton_lines`: the bodies of its
    methods left out, for a function's graph never shows a method's body:
    a class's methods make class types, whose graphs are never cached, and
    a callee's inferred type is checked by its schema). A
    ``def`` counts by its signature (decorators to return annotation, not the
    comments and blank lines before its body, and how many other statements
    come before it), and only for the functions whose text spells its name:
    adding a function no one calls yet recompiles nothing, while a function
    that failed on that name compiles again. The callees a graph used are
    checked by their schemas besides (``deps``). Where statements stand in
    the file does not count: a cached graph's ranges lie inside its own
    function (see :func:`ranges_within`).
    """

    def __init__(self, scope: ModuleScope) -> None:
        tree = scope.tree
        lines = scope.source.lines
        digest = hashlib.blake2b(digest_size=16)
        self.headers: dict[str, list[str]] = {}
        others = 0
        for stmt in tree.body if tree is not None else ():
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start, end = function_span(stmt)[0], _signature_end(stmt)
                self.headers.setdefault(stmt.name, []).append(
                    f"{type(stmt).__name__}\0{others}\0" + "\n".join(lines[start - 1:end]))
            else:
                others += 1
                digest.update("\n".join(skeleton_lines(stmt, lines)).encode())
                digest.update(b"\0")
        self.base = digest.hexdigest() if tree is not None else ""

    def for_text(self, text: str) -> str:
        """The part of the environment a function whose text is ``text`` can see."""
        names = sorted(words(text) & self.headers.keys())
        return self.base + "\0" + "\0".join(f"{name}\0{chr(1).join(self.headers[name])}" for name in names)


def skeleton_lines(stmt: ast.stmt, lines: list[str]) -> list[str]:
    """A top-level statement's text; a ``class``'s with each method's body left out
    (its decorators and signature kept), nested classes alike.

    A ``def``'s ``# type:`` comments (but ``# type: ignore``) are kept too, wherever they
    stand: TorchScript takes its signature from them (as ``TreeBuilder.type_line`` reads them)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        start, end = function_span(stmt)
        signature_end = _signature_end(stmt)
        return [*lines[start - 1:signature_end],
                *(line for line in lines[signature_end:end] if "# type:" in line and not TYPE_IGNORE.search(line))]
    if not isinstance(stmt, ast.ClassDef) or not stmt.body:
        return lines[stmt.lineno - 1:stmt.end_lineno or stmt.lineno]
    start = min([d.lineno for d in stmt.decorator_list] + [stmt.lineno])
    first = stmt.body[0]
    first_start = min([d.lineno for d in getattr(first, "decorator_list", [])] + [first.lineno])
    out = list(lines[start - 1:max(first_start - 1, stmt.lineno)])    # the header (and a body on its line)
    for member in stmt.body:
        out.append("\0")
        out.extend(skeleton_lines(member, lines))
    return out


def _signature_end(stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The last line of a ``def``'s signature (its body and what precedes it excluded)."""
    a = stmt.args
    parts: list[ast.expr | ast.arg | None] = [*a.posonlyargs, *a.args, a.vararg, *a.kwonlyargs, a.kwarg, *a.defaults,
                                   *a.kw_defaults, stmt.returns]
    return max([stmt.lineno] + [p.end_lineno or p.lineno for p in parts if p is not None])


_WORD = re.compile(r"[^\W\d]\w*")
_WORDS: dict[str, frozenset[str]] = {}   # function text -> its words (most texts are the same next time)


def words(text: str) -> frozenset[str]:
    found = _WORDS.get(text)
    if found is None:
        if len(_WORDS) >= 1024:
            _WORDS.clear()
        found = _WORDS[text] = frozenset(_WORD.findall(text))
    return found


#: Environments of torch's library modules, which change only when torch does: (path, text) -> environment.
_LIBRARY_ENVIRONMENTS: dict[tuple[str, str], ModuleEnvironment] = {}


def environment_fingerprint(scope: ModuleScope, *, library: bool = False) -> ModuleEnvironment:
    """The environment of ``scope``'s module; a ``library`` module's is kept for the process."""
    if not library:
        return ModuleEnvironment(scope)
    key = (scope.source.path, scope.source.text)
    found = _LIBRARY_ENVIRONMENTS.get(key)
    if found is None:
        if len(_LIBRARY_ENVIRONMENTS) >= 256:
            del _LIBRARY_ENVIRONMENTS[next(iter(_LIBRARY_ENVIRONMENTS))]
        found = _LIBRARY_ENVIRONMENTS[key] = ModuleEnvironment(scope)
    return found


def function_span(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int]:
    """First and last line of a ``def``, its decorators included."""
    start = min([d.lineno for d in node.decorator_list] + [node.lineno])
    return start, node.end_lineno or node.lineno


def function_fingerprint(scope: ModuleScope, node: ast.FunctionDef, environment: ModuleEnvironment | None) -> str:
    """A digest of what a function's graph is made from, wherever it stands in the file.

    The file's path is part of it: a graph's ranges name its file, so the
    same function in another copy of torch (installed, bundled) is another graph."""
    start, end = function_span(node)
    text = "\n".join(scope.source.lines[start - 1: end])
    digest = hashlib.blake2b(digest_size=16)
    seen = environment.for_text(text) if environment is not None else ""
    digest.update(f"{scope.source.path}\0{scope.module_name}\0{node.col_offset}\0{seen}\0".encode())
    digest.update(text.encode())
    return digest.hexdigest()


def cacheable_graph(graph: Graph) -> bool:
    """No class-like types anywhere in the graph (their meaning lives elsewhere)."""
    def class_like(t: T.JitType) -> bool:
        if type(t) is T.TensorType:   # most values: no need for the tests below
            return False
        if isinstance(t, (T.ClassType, T.InterfaceType, T.EnumType)):
            return True
        if isinstance(t, T.TupleType) and t.name is not None:
            return True
        return any(class_like(c) for c in t.contained_types())

    for v in graph.inputs:
        if class_like(v.type):
            return False
    for n in walk_nodes(graph):
        for v in n._outputs:   # (read, never changed: no copy)
            if class_like(v.type):
                return False
        for b in n._blocks:
            for v in b.inputs:
                if class_like(v.type):
                    return False
    return True


def ranges_within(graph: Graph, path: str, first: int, last: int) -> bool:
    """Whether every range of ``graph`` in ``path`` lies on lines ``first..last``."""
    for node in walk_nodes(graph, subgraphs=True):
        for r in (node.source_range, node.anchor):
            if isinstance(r, SourceRange) and r.path == path and not (
                    first <= r.start_line and (r.end_line or r.start_line) <= last):
                return False
    return True


def _shifted(r: SourceRange, delta: int) -> SourceRange:
    return SourceRange(r.path, r.start_line + delta, r.start_col,
                       None if r.end_line is None else r.end_line + delta, r.end_col)

