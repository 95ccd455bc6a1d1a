"""Which definitions in a file ``torch.jit.script`` is applied to: the roots.

* ``decorated`` (default): ``@torch.jit.script`` functions and classes,
  ``@torch.jit.interface`` classes, ``torch.jit.ScriptModule`` subclasses, and
  the targets of ``torch.jit.script(...)`` calls anywhere in the file (a
  function, a class, or an instance ``torch.jit.script(Model(...))``);
* ``modules``: also every ``nn.Module`` subclass;
* ``all``: also every top-level function and class.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .pyworld import ClassRef, FunctionRef, InstanceRef, ModuleScope, Ref

if TYPE_CHECKING:
    from .modules.evaluation import Guess

RootKind = Literal["function", "module", "class", "interface"]

SCRIPT_CALLS = {"torch.jit.script", "torch.jit._script.script"}
OVERLOAD_DECORATORS = {"torch.jit._overload", "torch._jit_internal._overload"}


@dataclass(eq=False)
class RootSpec:
    name: str
    kind: RootKind
    ref: FunctionRef | ClassRef
    script_call: ast.Call | None = None
    # Set while a module root is compiled: which construction gave its instance, and whether
    # that instance is pyjit's invention (see script_modules.ModuleSupport.compile_root).
    constructed_by: str | None = None
    representative: bool = False
    # A plain class under ``roots = "modules"``: a root only if a module of the workspace holds an
    # instance of it (torch then compiles it as a class); its failures are never errors.
    held: bool = False
    # The instance's construction took a branch whose condition pyjit could not evaluate
    # (``if img_size is None:`` on a value it cannot tell): torch may build another instance,
    # so its failures are never errors either.
    guessed: tuple[Guess, ...] | None = None

    @property
    def node(self) -> ast.AST:
        return self.ref.node


_SCRIPT_CALL_TEXT = re.compile(r"\bscript\s*\(")


def _calls_that_may_script(scope: ModuleScope):
    """Call nodes on lines that spell ``script(``: walking the whole module
    for ``torch.jit.script(...)`` calls is the slow part of finding roots."""
    lines = {i + 1 for i, text in enumerate(scope.source.lines) if "script" in text and _SCRIPT_CALL_TEXT.search(text)}
    if not lines:
        return
    for stmt in scope.tree.body:
        first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
        if any(first <= line <= last for line in lines):
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call):
                    yield node


def find_roots(scope: ModuleScope, mode: str, classify) -> list[RootSpec]:
    """Roots in source order. ``classify(ClassRef)`` returns the class kind
    (``module``, ``class``, ``interface``, ``namedtuple``, ``enum``, ...)."""
    tree = scope.tree
    if tree is None:
        return []
    found: dict[int, RootSpec] = {}

    def add(ref: Ref, call: ast.Call | None = None) -> None:
        if isinstance(ref, InstanceRef):
            ref = ref.cls
        if isinstance(ref, FunctionRef):
            key = id(ref.node)
            if key not in found:
                found[key] = RootSpec(ref.qualname, "function", ref, call)
        elif isinstance(ref, ClassRef):
            key = id(ref.node)
            kind = classify(ref)
            if kind in ("namedtuple", "enum", "exception", "autograd_function"):
                return
            root_kind: RootKind = "module" if kind == "module" else "interface" if kind == "interface" else "class"
            if key not in found:
                found[key] = RootSpec(ref.qualname, root_kind, ref, call)
            elif found[key].script_call is None and call is not None:
                found[key].script_call = call   # a ScriptModule found by its base: its constructor arguments

    # A private module class another class of the file derives from (``_ConvNd``) is compiled
    # as part of those (its methods are theirs): as a root of its own it would need an
    # instance nobody makes.
    bases_here = {b.id for stmt in tree.body if isinstance(stmt, ast.ClassDef)
                  for b in stmt.bases if isinstance(b, ast.Name) and b.id.startswith("_")}
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef):
            decorators = {scope.dotted_name(d) for d in stmt.decorator_list}
            if decorators & OVERLOAD_DECORATORS:
                continue  # a declaration; torch compiles it with the implementation
            ref = scope.lookup(stmt.name)
            ref = ref if isinstance(ref, FunctionRef) and ref.node is stmt else FunctionRef(scope, stmt, stmt.name)
            if decorators & SCRIPT_CALLS or mode == "all":
                add(ref)
        elif isinstance(stmt, ast.ClassDef):
            decorators = {scope.dotted_name(d) for d in stmt.decorator_list}
            ref = scope.lookup(stmt.name)
            ref = ref if isinstance(ref, ClassRef) and ref.node is stmt else ClassRef(scope, stmt, stmt.name)
            kind = classify(ref)
            bases = {scope.dotted_name(b) for b in stmt.bases}
            only_a_base = kind == "module" and stmt.name in bases_here
            if (decorators & SCRIPT_CALLS or "torch.jit.interface" in decorators
                    or "torch.jit.ScriptModule" in bases or (mode == "all" and not only_a_base)
                    or (mode == "modules" and kind == "module" and not only_a_base)):
                add(ref)
            elif mode == "modules" and kind == "class" and not stmt.decorator_list:
                add(ref)
                found[id(stmt)].held = True

    for node in _calls_that_may_script(scope):
        if node.args and scope.dotted_name(node.func) in SCRIPT_CALLS:
            target = node.args[0]
            ref = scope.evaluate(target.func) if isinstance(target, ast.Call) else scope.evaluate(target)
            if isinstance(ref, (FunctionRef, ClassRef, InstanceRef)):
                add(ref, node)
            else:   # Model(3).eval(), or a local `model = Model(3)` in the calling function
                # Imported on first use (start-up cost): it brings the nn.Module interpreter.
                from .script_modules import script_target

                module = script_target(scope, node)
                if module is not None:
                    add(module[0], node)
    roots = list(found.values())
    roots.sort(key=lambda r: (r.node.lineno, r.node.col_offset))
    return roots
