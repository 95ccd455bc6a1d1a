"""Reusing graphs across analyses of an edited file.

An editor re-analyses a file on every change, but most changes touch one
function. A function's graph is reused when nothing it was compiled from
changed:

* its own source text and position (the ``def`` with its decorators, its
  first line and column -- ranges are baked into the graph);
* its module's *environment*: everything at the module's top level except
  function bodies (imports, assignments, class bodies, ``def`` headers), so a
  name it uses cannot have changed meaning;
* the schema of every function it called or compiled (a callee's return
  type may be inferred from its body), checked again after those callees are
  themselves compiled or reused.

Only top-level functions whose graphs mention no class, interface or enum
types are cached (a class's attributes come from other places); everything
else is always compiled afresh. Functions that failed are never cached.

The analysed file's graphs travel with its ``Analysis`` (``previous=``);
graphs of torch's own library sources, which only change when torch is
reinstalled, are kept for the whole process in :data:`LIBRARY_CACHE`.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass

from ..ir import types as T
from ..ir.graph import Graph
from .pyworld import ModuleScope


@dataclass(frozen=True)
class CachedFunction:
    fingerprint: str
    graph: Graph
    schema: object
    # (module name, Python qualname, str(schema)) of each dependency
    deps: tuple[tuple[str, str, str], ...]


class FunctionCache:
    """Graphs of one file's functions from its previous analysis."""

    def __init__(self) -> None:
        self.entries: dict[str, CachedFunction] = {}
        self.environment: str = ""

    def lookup(self, qualified_name: str, fingerprint: str) -> CachedFunction | None:
        entry = self.entries.get(qualified_name)
        return entry if entry is not None and entry.fingerprint == fingerprint else None


#: torch's library functions, compiled once per process (keyed by source fingerprint).
LIBRARY_CACHE = FunctionCache()


def environment_fingerprint(scope: ModuleScope) -> str:
    """A digest of the module's top level with function bodies left out."""
    tree = scope.tree
    digest = hashlib.blake2b(digest_size=16)
    if tree is None:
        return ""
    source = scope.source
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.body:
            start = min([d.lineno for d in stmt.decorator_list] + [stmt.lineno])
            header = "\n".join(source.lines[start - 1: stmt.body[0].lineno - 1])
            digest.update(header.encode())
        else:
            end = stmt.end_lineno or stmt.lineno
            digest.update("\n".join(source.lines[stmt.lineno - 1: end]).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def function_fingerprint(scope: ModuleScope, node: ast.FunctionDef, environment: str) -> str:
    start = min([d.lineno for d in node.decorator_list] + [node.lineno])
    end = node.end_lineno or node.lineno
    text = "\n".join(scope.source.lines[start - 1: end])
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{scope.module_name}\0{start}\0{node.col_offset}\0{environment}\0".encode())
    digest.update(text.encode())
    return digest.hexdigest()


def cacheable_graph(graph: Graph) -> bool:
    """No class-like types anywhere in the graph (their meaning lives elsewhere)."""
    def class_like(t: T.JitType) -> bool:
        if isinstance(t, (T.ClassType, T.InterfaceType, T.EnumType)):
            return True
        if isinstance(t, T.TupleType) and t.name is not None:
            return True
        return any(class_like(c) for c in t.contained_types())

    for v in graph.inputs:
        if class_like(v.type):
            return False
    for n in graph.all_nodes_in_order():
        for v in n.outputs:
            if class_like(v.type):
                return False
        for b in n.blocks:
            for v in b.inputs:
                if class_like(v.type):
                    return False
    return True
