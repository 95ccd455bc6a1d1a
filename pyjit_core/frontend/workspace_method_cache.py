"""Reusing the graphs of the workspace's own module methods across analyses of an edited file.

An editor analyses a file again on every change, and with ``roots =
"modules"`` that compiles every method of every module the file's classes
are built of, in the file and in the files the builders reach. Most of those
graphs cannot have changed: this cache, made by one analysis of a file and
passed to the next (``previous``), keeps them -- and the graphs of the
workspace's top-level functions in files other than the edited one (the
edited file's are in its :class:`.function_cache.FunctionCache`).

A method's graph is made from:

* its own text (decorators included) and column, its name, its class's
  name and its file (:func:`method_fingerprint`); where it stands in the
  file does not count: a method that moved has its ranges shifted, as a
  moved function has (:class:`.function_cache.CachedFunction`);
* the module type it is compiled for, as the library cache digests it
  (:func:`.module_method_cache.concrete_digest`: attributes and their
  types, constants, submodules...), the workspace's classes by name;
* what its names mean, and what its class and its bases hold: the text of
  every module of the workspace the analysis read (:func:`world_snapshot`),
  the edited file's by its environment -- its statements by text, classes by
  skeleton, ``def`` s by signature -- so that an edit inside a function or
  method body changes no other method's key (:func:`same_world`). The whole
  cache is dropped when one differs: a file the previous analysis read
  changed, appeared or disappeared, or the edit changed the edited file's
  top level (a ``def`` added or removed counts only where its name is spelt);
* the schema of every function and method it called (``deps``), checked
  again in the new analysis: a callee's body may have changed (it is in
  the edited file), its type not.

A graph is taken only when each of its callees is compiled with the schema
it had: already, or taken from this cache or the function cache, or torch's
own, or -- for the function being defined alone -- compiled then, as its
fresh compile would compile it. A callee that fails then fails again, with
the same error, when the caller's fresh compile meets it
(:meth:`.compilation_unit.GraphFunction.fail_again_with`): what is reported
is what an analysis without the cache reports. Graphs holding class types
other than module types, interfaces, enums, named tuples, custom operators
(read from other files), ``aten::warn``, or a range in the edited file
outside the function, are never kept, nor functions that failed or rest on
a guessed custom operator's result.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..ir.walk import walk_nodes
from .compilation_unit import _COMPILING
from .custom_ops import is_custom_namespace
from .function_cache import CachedFunction, ModuleEnvironment, function_span, ranges_within, words
from .module_method_cache import (
    Uncacheable,
    cacheable_method_graph,
    concrete_digest,
    dependency_of,
    file_digest,
    renamed_graph,
    renamed_schema,
    renaming,
    type_names,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..ir.graph import Graph
    from ..schema.model import FunctionSchema
    from .compilation_unit import GraphFunction
    from .compiler import Compiler
    from .modules import ConcreteModuleType, Interpreter
    from .pyworld import FunctionRef, ModuleScope, PyWorld

#: How a callee is found again: ("method", index of its module type in ``names``, name, schema)
#: or ("function", Python module, qualname, schema).
Callee = tuple[str, str, str, "FunctionSchema"]


@dataclass(eq=False)
class WorkspaceMethod:
    """One method's graph, the names its module types had (``names``), its callees, and
    where it stands (``placed``: moves its ranges and looks its PythonOps' callees up again)."""

    graph: Graph
    schema: FunctionSchema
    names: tuple[str, ...]
    deps: tuple[Callee, ...]
    placed: CachedFunction

    def move_to(self, first_line: int, rebind: Callable[[Any], Any]) -> bool:
        """:meth:`.function_cache.CachedFunction.move_to`, its nodes listed on first use
        (most kept graphs are never taken: an analysis without a next one keeps them too)."""
        placed = self.placed
        if not placed.nodes:
            walked = CachedFunction.of(placed.fingerprint, self.graph, self.schema, (), placed.path, placed.first_line)
            placed.nodes, placed.python_ops = walked.nodes, walked.python_ops
        return placed.move_to(first_line, rebind)


@dataclass(eq=False)
class WorkspaceMethodCache:
    """The workspace's module methods one analysis of a file compiled, by :func:`method_fingerprint`,
    and the modules it read (:func:`world_snapshot`)."""

    entries: dict[str, WorkspaceMethod] = field(default_factory=dict)
    world: tuple[tuple[str, str], ...] = ()
    torch_root: str | None = None
    edited_base: str = ""                                   # the edited module's environment (ModuleEnvironment)
    edited_headers: dict[str, list[str]] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)   # fingerprints two methods of one analysis shared

    def add(self, fingerprint: str, entry: WorkspaceMethod) -> None:
        found = self.entries.get(fingerprint)
        if fingerprint in self.ambiguous or (found is not None and found is not entry
                                             and found.placed.first_line != entry.placed.first_line):
            self.entries.pop(fingerprint, None)
            self.ambiguous.add(fingerprint)
            return
        self.entries[fingerprint] = entry

    def graphs(self) -> list[Graph]:
        return [e.graph for e in self.entries.values()]


def world_snapshot(world: PyWorld, edited: ModuleScope) -> tuple[tuple[str, str], ...]:
    """Every module of the workspace ``world`` was asked for, with a digest of its path and
    text ("" for a module not found; the edited module is read by its environment, see
    :func:`same_world`). torch's modules are not listed: they are the same for every
    analysis with the same torch."""
    out = []
    for name, scope in world.modules.items():
        if scope is None:
            out.append((name, ""))
        elif scope is edited:
            out.append((name, "the edited module"))
        elif scope.world is world:
            out.append((name, file_digest(scope.source)))
    return tuple(sorted(out))


def same_world(cache: WorkspaceMethodCache, world: PyWorld, edited: ModuleScope,
               environment: ModuleEnvironment) -> bool:
    """Whether every module ``cache``'s analysis read reads the same in ``world`` (see
    :func:`world_snapshot`), the edited one by its ``environment``: the same statements
    (classes by skeleton) and the same ``def`` signatures. A ``def`` added or removed
    counts only where its name is spelt: in another module the analysis read, or in the
    edited file outside that ``def`` (a name no one spells cannot have meant anything)."""
    if cache.torch_root != world.torch_root or cache.edited_base != environment.base:
        return False
    others = []
    for name, digest in cache.world:
        scope = world.module(name)
        if scope is None:
            found = ""
        elif scope is edited:
            found = "the edited module"
        elif scope.world is world:
            found = file_digest(scope.source)
            others.append(scope)
        else:
            return False    # once the workspace's, now torch's
        if found != digest:
            return False
    headers = environment.headers
    if headers == cache.edited_headers:
        return True
    names = cache.edited_headers.keys() | headers.keys()
    changed = {n for n in names if n not in headers or n not in cache.edited_headers}
    if len(changed) != sum(headers.get(n) != cache.edited_headers.get(n) for n in names):
        return False    # a signature changed (not only added or removed)
    if any(changed & words(scope.source.text) for scope in others):
        return False
    lines = edited.source.lines
    tree = edited.tree
    rest = []
    last = 0
    for stmt in tree.body if tree is not None else ():
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in changed:
            start, end = function_span(stmt)
            rest.extend(lines[last:start - 1])
            last = end
    rest.extend(lines[last:])
    return not changed & words("\n".join(rest))


def method_fingerprint(interp: Interpreter, concrete: ConcreteModuleType, method_name: str, fn: Any,
                       node: ast.FunctionDef, signature: ast.FunctionDef | None) -> str | None:
    """A digest of a method's own text, name, class, file and module type (``None``: the
    module type cannot be digested, see :func:`.module_method_cache.concrete_digest`)."""
    try:
        type_digest = concrete_digest(interp, concrete, workspace_by_name=True)
    except Uncacheable:
        return None
    scope = fn.scope
    start, end = function_span(node)
    text = "\n".join(scope.source.lines[start - 1:end])
    declared = ast.dump(signature) if signature is not None else ""
    owner = fn.owner.qualname if getattr(fn, "owner", None) is not None else ""
    key = "\0".join([type_digest, method_name, owner, scope.module_name, scope.source.path, str(node.col_offset),
                     text, declared])
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def callee_of(fn: GraphFunction, names: tuple[str, ...]) -> Callee | None:
    """How a callee is found again in another analysis (``None``: it cannot be): as the library
    cache names it, less its file's digest (the snapshot checks the workspace's files)."""
    found = dependency_of(fn, names)
    return found[:4] if found is not None else None


def keepable_graph(graph: Graph, names: tuple[str, ...], edited_path: str, path: str, first: int, last: int) -> bool:
    """A graph made only of what :func:`method_fingerprint` and the snapshot cover: no class-like
    types but the module types ``names``, no custom operator, no ``aten::warn`` (see
    :func:`.module_method_cache.cacheable_method_graph`), and no range in the edited file but
    inside the method (lines ``first..last`` of ``path``), which moves with it."""
    if not cacheable_method_graph(graph, names):
        return False
    if any(is_custom_namespace(n.kind.namespace) for n in walk_nodes(graph, subgraphs=True)):
        return False
    if path == edited_path:
        return ranges_within(graph, path, first, last)
    return ranges_within(graph, edited_path, 1, 0)   # (no line is in 1..0: no range in the edited file at all)


class MethodReuse:
    """One analysis's use of the cache: graphs taken from the previous analysis' cache
    (``previous``), graphs kept for the next one (``kept``)."""

    def __init__(self, compiler: Compiler, previous: WorkspaceMethodCache | None,
                 kept: WorkspaceMethodCache | None) -> None:
        self.compiler = compiler
        self.previous = previous
        self.kept = kept
        self.edited: ModuleScope | None = compiler.cached_scope
        self._valid: bool | None = None
        # Functions not compiled yet that the cache may define: id -> (function, how to take its graph).
        self._waiting: dict[int, tuple[GraphFunction, Callable[[], bool]]] = {}
        self._trying: set[int] = set()
        self.reused = 0

    @property
    def edited_path(self) -> str:
        return self.edited.source.path if self.edited is not None else ""

    def valid(self) -> bool:
        if self._valid is None:
            environment = self.compiler.environment
            self._valid = (self.previous is not None and self.edited is not None and environment is not None
                           and same_world(self.previous, self.compiler.world, self.edited, environment))
        return self._valid

    def wait(self, gf: GraphFunction, take: Callable[[], bool]) -> None:
        """``take()`` defines ``gf`` from the cache, or returns False having compiled nothing."""
        if self.previous is not None:
            self._waiting[id(gf)] = (gf, take)

    # --- module methods ---------------------------------------------------------------------------

    def take(self, gf: GraphFunction, concrete: ConcreteModuleType, fingerprint: str | None, first_line: int) -> bool:
        """Define the method ``gf`` with its cached graph (see the module docstring); False: compile it."""
        return self._take(gf, fingerprint, first_line, type_names(concrete))

    def keep(self, gf: GraphFunction, concrete: ConcreteModuleType, fingerprint: str | None, path: str,
             first: int, last: int) -> None:
        """Keep a method just compiled (it is being defined: its graph is complete) for the next
        analysis, when its graph can be (see the module docstring)."""
        names = type_names(concrete)
        if fingerprint is not None and keepable_graph(gf.graph, names, self.edited_path, path, first, last):
            self._keep(gf, fingerprint, names, path, first)

    # --- the workspace's functions in files other than the edited one ----------------------------------

    def waits_for(self, ref: FunctionRef) -> bool:
        """Whether a function is one this cache holds: a top-level one of the workspace, not in the edited file."""
        return (self.kept is not None and ref.scope is not self.edited and ref.owner is None and "." not in ref.qualname
                and ref.scope.world is self.compiler.world and not self.compiler._is_library(ref.scope))

    def take_function(self, gf: GraphFunction, ref: FunctionRef) -> bool:
        return self._take(gf, function_fingerprint(ref), function_span(ref.node)[0], ())

    def keep_function(self, gf: GraphFunction, ref: FunctionRef) -> None:
        first, last = function_span(ref.node)
        path = ref.scope.source.path
        if keepable_graph(gf.graph, (), self.edited_path, path, first, last):
            self._keep(gf, function_fingerprint(ref), (), path, first)

    # --- both ---------------------------------------------------------------------------------------

    def _take(self, gf: GraphFunction, fingerprint: str | None, first_line: int, names: tuple[str, ...]) -> bool:
        self._waiting.pop(id(gf), None)
        if fingerprint is None or self.previous is None or not self.valid():
            return False
        entry = self.previous.entries.get(fingerprint)
        if entry is None:
            return False
        mapping = renaming(entry.names, names)
        if mapping is None:
            return False
        deps = []
        # Compiling a callee ahead is done only for the function being defined, which its callee's
        # compile then has on the stack as a fresh compile would (see _defined).
        compiling = bool(_COMPILING) and _COMPILING[-1] is gf
        self._trying.add(id(gf))
        try:
            for kind, owner, name, schema in entry.deps:
                dep = self._find(kind, owner, name, names)
                if dep is None or not self._defined(dep, compiling):
                    return False
                if dep.guesses or dep.schema is None or str(dep.schema) != str(renamed_schema(schema, mapping)):
                    return False
                deps.append(dep)
        finally:
            self._trying.discard(id(gf))
        if not entry.move_to(first_line, self.compiler._rebind):
            return False
        graph, schema = renamed_graph(entry.graph, mapping), renamed_schema(entry.schema, mapping)
        gf.define_from(graph, schema, deps)
        self.reused += 1
        if self.kept is not None:
            placed = entry.placed if not mapping else CachedFunction(fingerprint, graph, schema, (),
                                                                     entry.placed.path, first_line)
            callees = [callee_of(d, names) for d in deps]
            if all(c is not None for c in callees):
                self.kept.add(fingerprint, WorkspaceMethod(graph, schema, names, tuple(callees), placed))  # type: ignore[arg-type]
        return True

    def _keep(self, gf: GraphFunction, fingerprint: str, names: tuple[str, ...], path: str, first: int) -> None:
        if self.kept is None or gf.failed or gf.guesses or gf.schema is None:
            return
        callees = []
        for dep in dict.fromkeys(gf.deps):
            found = callee_of(dep, names)
            if found is None:
                return
            callees.append(found)
        self.kept.add(fingerprint, WorkspaceMethod(gf.graph, gf.schema, names, tuple(callees),
                                                   CachedFunction(fingerprint, gf.graph, gf.schema, (), path, first)))

    def _find(self, kind: str, owner: str, name: str, names: tuple[str, ...]) -> GraphFunction | None:
        """A cached graph's callee, in this analysis."""
        if kind == "function":
            ref = self.compiler._resolve_dep(owner, name)
            return self.compiler.graph_function(ref) if ref is not None else None
        support = self.compiler.__dict__.get("_module_support")
        if support is None:
            return None
        concrete = support.store.by_name.get(names[int(owner)])
        if concrete is None or concrete.info is None:
            return None
        return concrete.info.methods.get(name) or support.ensure_method(concrete, name)

    def _defined(self, dep: GraphFunction, compiling: bool) -> bool:
        """Whether ``dep`` is compiled now, taken from this cache or the edited file's function cache.

        ``compiling``: the function whose callee ``dep`` is is being defined, so ``dep`` may be
        compiled afresh: its callers' fresh compile (when the cache is no use) would compile it
        at that point, with that function on the stack. Should it fail, it fails again the same
        way when that fresh compile meets it (:meth:`GraphFunction.fail_again_with`). Otherwise
        nothing is compiled but what cannot fail: a graph from a cache whose callees are alike,
        torch's own code (which compiles as it did)."""
        if dep.is_defined:
            return True
        if dep.failed or id(dep) in self._trying:
            return False
        waiting = self._waiting.get(id(dep))
        if waiting is not None and waiting[1]():
            return True
        ref = getattr(dep, "ref", None)
        if not (compiling or self._is_library(dep) or (ref is not None and ref.scope is self.edited
                                                        and self._in_function_cache(dep, ref))):
            return False
        try:
            dep.ensure_defined()
        except Exception as e:
            dep.fail_again_with(e)
            return False
        return dep.is_defined

    def _in_function_cache(self, fn: GraphFunction, ref: FunctionRef) -> bool:
        """Whether the edited file's function cache holds ``fn``'s graph (not an error) for its text,
        with every callee compiled (or able to be, as above) with the schema it had: then
        compiling ``fn`` reuses that graph, or makes the same one."""
        compiler = self.compiler
        slot = compiler._cache_slot(ref)
        if slot is None or slot[0] is not compiler.cache:
            return False
        entry = slot[0].lookup(fn.qualified_name, slot[1])
        if entry is None or entry.error is not None:
            return False
        self._trying.add(id(fn))
        try:
            for module_name, name, schema_text in entry.deps:
                dep_ref = compiler._resolve_dep(module_name, name)
                if dep_ref is None:
                    return False
                dep = compiler.graph_function(dep_ref)
                if not self._defined(dep, False) or str(dep.schema) != schema_text:
                    return False
        finally:
            self._trying.discard(id(fn))
        return True

    def _is_library(self, dep: GraphFunction) -> bool:
        owner = dep.owner
        if owner is not None:
            support = self.compiler.__dict__.get("_module_support")
            concrete = support.store.by_name.get(owner.name) if support is not None else None
            return concrete is not None and concrete.origin == "torch-source"
        ref = getattr(dep, "ref", None)
        return ref is not None and self.compiler._is_library(ref.scope)


def function_fingerprint(ref: FunctionRef) -> str:
    """A digest of a top-level function's text, column, name and file (its module's text is in the snapshot)."""
    start, end = function_span(ref.node)
    text = "\n".join(ref.scope.source.lines[start - 1:end])
    key = "\0".join(["function", ref.scope.module_name, ref.scope.source.path, ref.qualname,
                     str(ref.node.col_offset), text])
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
