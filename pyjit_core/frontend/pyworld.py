"""The Python world as source shows it: modules, their names, what each name is.

torch resolves a name by asking Python (the function's globals and closure)
for the object and converting it (``toSugaredValue``). pyjit never imports
anything, so it answers the same question from source: a module's top-level
imports, definitions and simple assignments, followed across the user's own
files and into torch's library sources when they can be found.

What a name denotes is a *reference*:

* :class:`ExternalRef` -- an object outside any source we read, named by its
  dotted path (``torch.relu``, ``typing.List``, ``math.pi``);
* :class:`ModuleRef` -- a module whose source we read;
* :class:`FunctionRef` / :class:`ClassRef` -- a ``def`` / ``class`` in such a module;
* :class:`ConstantRef` -- a module-level constant (``EPS = 1e-5``);
* :class:`UnknownRef` -- something we cannot know (a third-party import we
  have no source for, a value computed at import time).
"""

from __future__ import annotations

import ast
import operator as _operator
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from . import torch_library
from .read_log import WORLD, ReadLog
from .source import SourceFile
from .torch_objects import is_known_external


class Ref:
    """A static stand-in for a Python object."""


@dataclass(frozen=True)
class ExternalRef(Ref):
    path: str

    def child(self, name: str) -> ExternalRef:
        return ExternalRef(f"{self.path}.{name}")


@dataclass(frozen=True, eq=False)
class ModuleRef(Ref):
    scope: ModuleScope


@dataclass(frozen=True, eq=False)
class FunctionRef(Ref):
    scope: ModuleScope
    node: ast.FunctionDef
    qualname: str                 # Python qualname within the module ("f", "C.method")
    owner: ClassRef | None = None

    @property
    def decorators(self) -> list[str]:
        return [self.scope.dotted_name(d) for d in self.node.decorator_list]


@dataclass(frozen=True, eq=False)
class ClassRef(Ref):
    scope: ModuleScope
    node: ast.ClassDef
    qualname: str

    @property
    def decorators(self) -> list[str]:
        return [self.scope.dotted_name(d) for d in self.node.decorator_list]

    @property
    def name(self) -> str:
        return self.node.name


@dataclass(frozen=True)
class ConstantRef(Ref):
    value: Any


@dataclass(frozen=True)
class UnknownRef(Ref):
    description: str


@dataclass(frozen=True, eq=False)
class InstanceRef(Ref):
    """A module-level instance: ``model = Model(3)``."""

    cls: Ref
    call: ast.Call


_MISSING = object()


class ModuleScope:
    """The top level of one module: what each global name is bound to."""

    def __init__(self, world: PyWorld, module_name: str, source: SourceFile, is_package: bool = False) -> None:
        self.world = world
        self.module_name = module_name
        self.source = source
        self.is_package = is_package

    def release(self) -> None:
        """Drop what this scope computed (see :meth:`PyWorld.close`)."""
        for cached in ("tree", "_bindings", "_lookup_cache", "_alias_parent", "_star_imports"):
            self.__dict__.pop(cached, None)

    @cached_property
    def tree(self) -> ast.Module | None:
        try:
            return self.source.parse()
        except SyntaxError:
            return None

    @cached_property
    def _bindings(self) -> dict[str, ast.AST]:
        """The last top-level statement binding each name (imports, defs, assignments)."""
        table: dict[str, ast.AST] = {}
        self._alias_parent: dict[int, ast.AST] = {}
        if self.tree is None:
            return table

        def visit(stmts: Iterable[ast.stmt]) -> None:
            for s in stmts:
                if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    table[s.name] = s
                elif isinstance(s, ast.Import):
                    for alias in s.names:
                        table[alias.asname or alias.name.split(".")[0]] = alias
                        self._alias_parent[id(alias)] = s
                elif isinstance(s, ast.ImportFrom):
                    for alias in s.names:
                        if alias.name == "*":
                            continue
                        table[alias.asname or alias.name] = alias
                        self._alias_parent[id(alias)] = s
                elif isinstance(s, ast.Assign):
                    for target in s.targets:
                        if isinstance(target, ast.Name):
                            table[target.id] = s
                elif isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name) and s.value is not None:
                    table[s.target.id] = s
                elif isinstance(s, ast.If):
                    # `if TYPE_CHECKING:` and version checks: take both branches,
                    # the later binding wins as it would for most runs.
                    visit(s.body)
                    visit(s.orelse)
                elif isinstance(s, ast.Try):
                    visit(s.body)
                    for h in s.handlers:
                        visit(h.body)
                    visit(s.orelse)
                    visit(s.finalbody)

        visit(self.tree.body)
        return table

    def names(self) -> list[str]:
        return list(self._bindings)

    def binding_node(self, name: str) -> ast.AST | None:
        return self._bindings.get(name)

    def imported_from(self, name: str) -> tuple[ModuleScope, str] | None:
        """For ``from m import x [as name]``: the scope of ``m`` (when its source is read) and ``x``."""
        node = self._bindings.get(name)
        parent = self._alias_parent.get(id(node)) if isinstance(node, ast.alias) else None
        if not isinstance(parent, ast.ImportFrom):
            return None
        scope = self.world.module(self.absolute_module(parent.module, parent.level))
        return (scope, node.name) if scope is not None else None  # type: ignore[union-attr]

    def defining_scope(self, name: str, max_hops: int = 8) -> tuple[ModuleScope, str]:
        """Where ``name`` is bound by something other than ``from m import``: follows
        re-exports whose sources are read, at most ``max_hops`` (more is a cycle)."""
        scope: ModuleScope = self
        for _ in range(max_hops):
            origin = scope.imported_from(name)
            if origin is None:
                break
            scope, name = origin
        return scope, name

    def lookup(self, name: str) -> Ref | None:
        """What the global ``name`` denotes, or ``None`` if the module has no such name.

        Memoised; a name whose resolution leads back to itself (import cycles,
        ``from . import x`` re-exports) denotes nothing we can know.
        """
        cache = self._lookup_cache
        if name in cache:
            found = cache[name]
            return UnknownRef(f"{self.module_name}.{name} (import cycle)") if found is _IN_PROGRESS else found
        cache[name] = _IN_PROGRESS
        try:
            found = self._lookup(name)
        except BaseException:
            del cache[name]
            raise
        cache[name] = found
        return found

    @cached_property
    def _lookup_cache(self) -> dict[str, object]:
        return {}

    def _lookup(self, name: str) -> Ref | None:
        if (self.module_name == "torch" or self.module_name.startswith("torch.")) and \
                self.world.is_builtin(f"{self.module_name}.{name}"):
            # TorchScript maps this very object to an operator (torch: _find_builtin).
            return ExternalRef(f"{self.module_name}.{name}")
        node = self._bindings.get(name)
        if node is None:
            found = self._star_imported(name)
            if found is not None:
                return found
            if name in _PY_BUILTINS:
                return ExternalRef(f"builtins.{name}")
            return None
        return self._resolve_binding(name, node)

    def _star_imported(self, name: str) -> Ref | None:
        """``from m import *`` (the last such import that exports ``name`` wins): a re-export
        through a package's ``__init__.py`` (``torch.nn.quantized.FloatFunctional``). Only modules
        whose source pyjit reads; what a C extension exports is known by path elsewhere."""
        for statement in reversed(self._star_imports):
            scope = self.world.module(self.absolute_module(statement.module, statement.level))
            if scope is None or scope is self or not scope.exports(name):
                continue
            found = scope.lookup(name)
            if found is not None and not isinstance(found, UnknownRef):
                return found
        return None

    @cached_property
    def _star_imports(self) -> list[ast.ImportFrom]:
        if self.tree is None:
            return []
        return [s for s in self.tree.body
                if isinstance(s, ast.ImportFrom) and any(a.name == "*" for a in s.names)]

    def exports(self, name: str) -> bool:
        """Whether ``from this_module import *`` binds ``name``: its ``__all__`` when the module
        spells it as a literal, else every public name it binds."""
        node = self._bindings.get("__all__")
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            names = literal_value(node.value) if node.value is not None else MISSING
            if isinstance(names, (list, tuple)):
                return name in names
        if name.startswith("_"):
            return False
        if name in self._bindings:
            return True
        busy = self.__dict__.setdefault("_exporting", set())
        if name in busy:      # star imports in a cycle
            return False
        busy.add(name)
        try:
            return self._star_imported(name) is not None
        finally:
            busy.discard(name)

    def _resolve_binding(self, name: str, node: ast.AST) -> Ref:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return FunctionRef(self, node, node.name)
        if isinstance(node, ast.ClassDef):
            return ClassRef(self, node, node.name)
        if isinstance(node, ast.alias):
            parent = self._alias_parent.get(id(node))
            if isinstance(parent, ast.Import):
                if node.asname:
                    return self.world.resolve_module_path(node.name)
                return self.world.resolve_module_path(node.name.split(".")[0])
            if isinstance(parent, ast.ImportFrom):
                base = self.absolute_module(parent.module, parent.level)
                if not base:
                    return self.world.resolve_path(node.name)
                package = self.world.module(base)
                if package is not None and package is not self and package.is_package \
                        and package.binding_node(node.name) is not None:
                    # Python reads the package's attribute first: `from torchvision.ops import roi_align`
                    # is the function its __init__ imports, not the submodule of that name.
                    return self.world.attribute(ModuleRef(package), node.name)
                return self.world.resolve_path(f"{base}.{node.name}")
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            return self.evaluate(node.value)
        return UnknownRef(f"{name} in {self.module_name}")

    def absolute_module(self, module: str | None, level: int) -> str:
        """The absolute name of ``from <level dots><module> import ...``."""
        if level == 0:
            return module or ""
        parts = self.module_name.split(".")
        package = parts if self.is_package else parts[:-1]
        if level - 1:
            package = package[: len(package) - (level - 1)]
        base = ".".join(package)
        if module:
            return f"{base}.{module}" if base else module
        return base

    # --- static evaluation of module-level expressions -------------------------------------

    def evaluate(self, expr: ast.expr | None) -> Ref:
        """The reference a module-level expression denotes, as far as source tells."""
        if expr is None:
            return UnknownRef("no value")
        value = literal_value(expr)
        if value is not _MISSING:
            return ConstantRef(value)
        if isinstance(expr, ast.Name):
            found = self.lookup(expr.id)
            return found if found is not None else UnknownRef(expr.id)
        if isinstance(expr, ast.Attribute):
            base = self.evaluate(expr.value)
            return self.world.attribute(base, expr.attr)
        if isinstance(expr, ast.Call):
            callee = self.evaluate(expr.func)
            if isinstance(callee, ClassRef):
                return InstanceRef(callee, expr)
            path = ref_path(callee)
            if path in _RETURNS_FIRST_ARGUMENT and expr.args:
                return self.evaluate(expr.args[0])
            if path in _BOOLEAN_DISPATCH:
                return self._boolean_dispatch(expr)
            return UnknownRef(f"call to {ast.unparse(expr.func)}")
        return UnknownRef(ast.unparse(expr) if hasattr(ast, "unparse") else type(expr).__name__)

    def _boolean_dispatch(self, call: ast.Call) -> Ref:
        """torch._jit_internal.boolean_dispatch(arg_name=..., arg_index=..., default=..., if_true=..., if_false=...)."""
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        try:
            return BooleanDispatchRef(
                literal_value(kw["arg_name"]), literal_value(kw["arg_index"]), literal_value(kw["default"]),
                self.evaluate(kw["if_true"]), self.evaluate(kw["if_false"]))
        except KeyError:
            return UnknownRef("boolean_dispatch")

    def dotted_name(self, expr: ast.expr) -> str:
        """The dotted path an expression (a decorator, a base class) is spelled as,
        following this module's imports but loading no other module: cheap, and
        what the decorator and base-class tables are keyed by."""
        if isinstance(expr, ast.Call):
            expr = expr.func
        if isinstance(expr, ast.Attribute):
            base = self.dotted_name(expr.value)
            return f"{base}.{expr.attr}" if base else ""
        if not isinstance(expr, ast.Name):
            return ""
        node = self._bindings.get(expr.id)
        if node is None:
            return f"builtins.{expr.id}" if expr.id in _PY_BUILTINS else ""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return f"{self.module_name}.{expr.id}"
        if isinstance(node, ast.alias):
            parent = self._alias_parent.get(id(node))
            if isinstance(parent, ast.Import):
                return node.name if node.asname else node.name.split(".")[0]
            if isinstance(parent, ast.ImportFrom):
                base = self.absolute_module(parent.module, parent.level)
                return f"{base}.{node.name}" if base else node.name
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, (ast.Name, ast.Attribute)):
            return self.dotted_name(node.value)
        return ref_path(self.evaluate(expr))


def ref_path(ref: Ref) -> str:
    if isinstance(ref, ExternalRef):
        return ref.path
    if isinstance(ref, ModuleRef):
        return ref.scope.module_name
    if isinstance(ref, (FunctionRef, ClassRef)):
        return f"{ref.scope.module_name}.{ref.qualname}"
    return ""


def literal_value(expr: ast.expr) -> Any:
    """A literal's Python value (numbers, strings, None, bools, tuples/lists of those), else _MISSING."""
    if isinstance(expr, ast.Constant) and not isinstance(expr.value, bytes) and expr.value is not Ellipsis:
        return expr.value
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        inner = literal_value(expr.operand)
        if isinstance(inner, (int, float, complex)) and not isinstance(inner, bool):
            return -inner if isinstance(expr.op, ast.USub) else inner
        return _MISSING
    if isinstance(expr, ast.BinOp) and type(expr.op) in _ARITHMETIC:
        left, right = literal_value(expr.left), literal_value(expr.right)
        numbers = (int, float, complex)
        if isinstance(left, numbers) and isinstance(right, numbers) \
                and not isinstance(left, bool) and not isinstance(right, bool):
            try:
                return _ARITHMETIC[type(expr.op)](left, right)
            except (ArithmeticError, ValueError, TypeError):
                return _MISSING
        return _MISSING
    if isinstance(expr, ast.Tuple):
        items = [literal_value(e) for e in expr.elts]
        return _MISSING if any(i is _MISSING for i in items) else tuple(items)
    if isinstance(expr, ast.List):
        items = [literal_value(e) for e in expr.elts]
        return _MISSING if any(i is _MISSING for i in items) else items
    return _MISSING


MISSING = _MISSING
_IN_PROGRESS = object()

#: Arithmetic on literals that Python folds when it binds a default (``1.0 / 8``).
_ARITHMETIC = {
    ast.Add: _operator.add, ast.Sub: _operator.sub, ast.Mult: _operator.mul, ast.Div: _operator.truediv,
    ast.FloorDiv: _operator.floordiv, ast.Mod: _operator.mod,
}

#: Calls evaluated statically at module level: ones that hand back their first argument.
_RETURNS_FIRST_ARGUMENT = {"torch._C._add_docstr", "torch._add_docstr", "torch._jit_internal._overload",
                           "torch.jit._overload", "typing.cast"}
_BOOLEAN_DISPATCH = {"torch._jit_internal.boolean_dispatch"}


@dataclass(frozen=True, eq=False)
class BooleanDispatchRef(Ref):
    """``boolean_dispatch(...)``: one of two functions, chosen by a constant flag."""

    arg_name: str
    arg_index: int
    default: bool
    if_true: Ref
    if_false: Ref

_PY_BUILTINS = {
    "int", "float", "bool", "str", "complex", "list", "dict", "tuple", "len", "range", "print", "min", "max",
    "abs", "round", "isinstance", "hasattr", "getattr", "enumerate", "zip", "sum", "any", "all", "divmod",
    "ord", "chr", "hex", "oct", "bin", "pow", "sorted", "hash", "id", "slice", "object", "type", "super",
    "Exception", "BaseException", "RuntimeError", "ValueError", "TypeError", "AssertionError", "KeyError",
    "IndexError", "NotImplementedError", "AttributeError", "StopIteration", "ZeroDivisionError",
    "ArithmeticError", "OverflowError", "LookupError", "ImportError", "OSError", "UserWarning", "Warning",
    "DeprecationWarning", "NotImplemented", "property", "staticmethod", "classmethod", "set", "frozenset",
    "iter", "next", "map", "filter", "reversed", "callable", "repr", "format", "open", "vars", "dir",
    "globals", "locals", "setattr", "delattr", "issubclass", "bytes", "bytearray", "memoryview", "input",
    "exec", "eval", "compile", "__import__", "Ellipsis",
}


class PyWorld:
    """Every module the analysis may read, by name, and how names resolve across them.

    ``search_paths`` are directories holding the user's packages (the
    workspace roots); ``torch_root`` is the installed ``torch`` package
    directory whose library sources (``torch.nn.functional``, ``torch.nn.modules``)
    are read statically, never imported. Without one (``None``), torch's
    sources bundled with pyjit are read instead, from a virtual torch root
    (``<bundled torch 2.13.0>/torch``, see :mod:`.torch_library`) that
    every path-level step below treats as a directory.
    """

    #: torch modules whose *source* TorchScript compiles (everything else of torch is external).
    #: torch's own modules are read from source like any other (TorchScript
    #: compiles torch's Python code too); the C-extension parts it knows by
    #: identity are intercepted by path first (see ``is_builtin``).
    TORCH_SOURCE_MODULES = ("torch",)

    def __init__(self, search_paths: Iterable[str] = (), torch_root: str | None = None, *,
                 share_library: bool = True) -> None:
        self.search_paths = [str(p) for p in search_paths]
        self.torch_root = torch_root if torch_root is not None else torch_library.bundled_torch_root()
        self._modules: dict[str, ModuleScope | None] = {}
        self._overrides: dict[str, SourceFile] = {}
        # Every path probed for a module file and whether it was one, and the files
        # found but not readable: with the scopes above, all this world read of the disk.
        self._probed: dict[str, bool] = {}
        self._unreadable: set[str] = set()
        # torch's own modules come from one world per torch install, shared by
        # every analysis in the process: they never import the user's modules,
        # so what their names mean does not change from one analysis to the next.
        self._library = library_world(self.torch_root) if share_library and self.torch_root is not None else None

    @property
    def modules(self) -> dict[str, ModuleScope | None]:
        """Every module name this world was asked for, and what it found (None: no source)."""
        return self._modules

    def add_source(self, module_name: str, source: SourceFile, is_package: bool = False) -> ModuleScope:
        """Register (or replace) a module's source, e.g. an editor's unsaved buffer."""
        self._overrides[module_name] = source
        scope = ModuleScope(self, module_name, source, is_package)
        self._modules[module_name] = scope
        return scope

    def module(self, name: str) -> ModuleScope | None:
        if name in self._modules:
            return self._modules[name]
        if self._library is not None and name.split(".")[0] == "torch":
            scope = self._library.module(name)
        else:
            scope = self._load(name)
        self._modules[name] = scope
        return scope

    def _load(self, name: str) -> ModuleScope | None:
        path, is_package = self._find_file(name)
        if path is None:
            return None
        source = read_source_file(path)
        if source is None:
            self._unreadable.add(path)
            return None
        return ModuleScope(self, name, source, is_package)

    def _find_file(self, name: str) -> tuple[str | None, bool]:
        parts = name.split(".")
        roots: list[str] = []
        if parts[0] == "torch":
            if self.torch_root is None or not any(name == m or name.startswith(m + ".")
                                                  for m in self.TORCH_SOURCE_MODULES):
                return None, False
            roots = [os.path.dirname(self.torch_root)]
        else:
            roots = self.search_paths
        for root in roots:
            base = _join(root, *parts)
            if self._is_file(base + ".py"):
                return base + ".py", False
            init = _join(base, "__init__.py")
            if self._is_file(init):
                return init, True
        return None, False

    def _is_file(self, path: str) -> bool:
        found = _is_file(path)
        if not torch_library.is_bundled(path):   # (bundled files are pyjit's own: they never change)
            self._probed[path] = found
        return found

    def note_reads(self, log: ReadLog, *, skip: Collection[str] = ()) -> None:
        """Write into ``log`` what this world read (all but the files ``skip``): each module's
        text, and each path probed and not found; and what its torch library world read so
        far in this process (more than this analysis needed, never less)."""
        for name, scope in self._modules.items():
            path = scope.source.path if scope is not None else None
            if path is None or path in skip or torch_library.is_bundled(path):
                continue
            stamp = None if name in self._overrides else _stamp_of(scope.source)   # type: ignore[union-attr]
            log.note_text(path, scope.source.text, stamp, WORLD)   # type: ignore[union-attr]
        log.absent.update(path for path, found in self._probed.items() if not found)
        for path in self._unreadable:
            log.note_text(path, None, None, WORLD)
        if self._library is not None:
            self._library.note_reads(log)

    def close(self) -> None:
        """Forget every module this world read (torch's shared ones excepted).

        A world and its scopes refer to each other, and a scope to what its
        names resolved to; closing breaks those cycles so that a finished
        analysis' world, and the syntax trees it holds, are freed at once
        instead of waiting for the cyclic garbage collector.
        """
        for scope in self._modules.values():
            if scope is not None and scope.world is self:
                scope.release()
        self._modules.clear()
        self._overrides.clear()

    def source_for(self, path: str) -> SourceFile | None:
        """The source of a module this world (or its torch library) has read, by path."""
        for scope in self._modules.values():
            if scope is not None and scope.source.path == path:
                return scope.source
        return self._library.source_for(path) if self._library is not None else None

    def is_on_disk(self, scope: ModuleScope) -> bool:
        """Whether a module was read from disk (not an editor's buffer)."""
        return scope.module_name not in self._overrides

    def is_builtin(self, path: str) -> bool:
        return is_known_external(path)

    def resolve_module_path(self, name: str) -> Ref:
        scope = self.module(name)
        if scope is not None:
            return ModuleRef(scope)
        return ExternalRef(name)

    def resolve_path(self, dotted: str) -> Ref:
        """A dotted path to the object it names (module, or attribute of a module)."""
        scope = self.module(dotted)
        if scope is not None:
            return ModuleRef(scope)
        head, _, attr = dotted.rpartition(".")
        if not head:
            return ExternalRef(dotted)
        base = self.resolve_path(head)
        return self.attribute(base, attr)

    def attribute(self, base: Ref, name: str) -> Ref:
        """``base.name`` for a static reference."""
        if isinstance(base, ModuleRef):
            path = f"{base.scope.module_name}.{name}"
            torchy = path.startswith("torch.")
            if torchy and self.is_builtin(path):
                return ExternalRef(path)
            found = base.scope.lookup(name)
            if isinstance(found, ExternalRef) and found.path == f"builtins.{name}" \
                    and base.scope.binding_node(name) is None:
                found = None  # a builtin name is not a module attribute
            if found is not None and not isinstance(found, UnknownRef):
                return found
            sub = self.module(path)
            if sub is not None:
                return ModuleRef(sub)
            if torchy:
                # Defined in torch's C extension (torch._C and friends): known by path.
                return ExternalRef(path)
            return found if found is not None else UnknownRef(path)
        if isinstance(base, ExternalRef):
            sub = self.module(f"{base.path}.{name}")
            if sub is not None:
                return ModuleRef(sub)
            return base.child(name)
        if isinstance(base, ClassRef):
            return ClassAttributeRef(base, name)
        return UnknownRef(f"attribute {name}")


@dataclass(frozen=True, eq=False)
class ClassAttributeRef(Ref):
    """``SomeClass.name`` (``MyFn.apply``, ``Color.RED``, a static method)."""

    cls: ClassRef
    name: str


#: Files read from disk, parsed at most once per process while they are
#: unchanged (torch's library sources are read by every analysis).
_FILE_CACHE: dict[str, tuple[tuple[int, int], SourceFile]] = {}
_FILE_CACHE_LIMIT = 512


def read_source_file(path: str) -> SourceFile | None:
    """A file as a :class:`SourceFile`, shared while its size and mtime hold
    (a bundled file of torch's: shared for good)."""
    if torch_library.is_bundled(path):
        return torch_library.bundled_source(path)
    try:
        st = os.stat(path)
    except OSError:
        return None
    key = (st.st_mtime_ns, st.st_size)
    cached = _FILE_CACHE.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    text = read_text(path)
    if text is None:
        return None
    source = SourceFile(path, text)
    if len(_FILE_CACHE) >= _FILE_CACHE_LIMIT:
        _FILE_CACHE.pop(next(iter(_FILE_CACHE)))
    _FILE_CACHE[path] = (key, source)
    return source


def read_text(path: str) -> str | None:
    """A module file's text as a world reads it (None: not readable), never from a cache."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _stamp_of(source: SourceFile) -> tuple[int, int] | None:
    """(mtime, size) of the file when ``source`` was read from it (None: not known)."""
    cached = _FILE_CACHE.get(source.path)
    return cached[0] if cached is not None and cached[1] is source else None


def _is_file(path: str) -> bool:
    if torch_library.is_bundled(path):
        return torch_library.bundled_source(path) is not None
    return os.path.isfile(path)


def _join(folder: str, *parts: str) -> str:
    # The virtual torch root's paths are spelled alike on every system.
    return "/".join((folder, *parts)) if torch_library.is_bundled(folder) else os.path.join(folder, *parts)


_LIBRARY_WORLDS: dict[str, PyWorld] = {}


def library_world(torch_root: str) -> PyWorld:
    """The process-wide world of torch's modules under ``torch_root``.

    Its scopes (and the names they resolved) last as long as their files are
    unchanged on disk; an edited or reinstalled file is read again. The
    bundled sources never change.
    """
    world = _LIBRARY_WORLDS.get(torch_root)
    if world is None:
        world = _LIBRARY_WORLDS[torch_root] = _LibraryWorld(torch_root)
    return world


class _LibraryWorld(PyWorld):
    def __init__(self, torch_root: str) -> None:
        super().__init__((), torch_root, share_library=False)
        self.changed = False       # a file changed on disk while the process ran

    def module(self, name: str) -> ModuleScope | None:
        scope = self._modules.get(name)
        if scope is not None and (current := read_source_file(scope.source.path)) is not scope.source \
                and (current is None or current.text != scope.source.text):   # (not only re-read)
            self._modules.clear()   # a file changed on disk: forget every module (their names may have moved)
            self.changed = True
            scope = None
        if scope is None and name not in self._modules:
            scope = self._modules[name] = self._load(name)
        return scope

    def note_reads(self, log: ReadLog, *, skip: Collection[str] = ()) -> None:
        if self.changed:
            # What compiled library functions (kept for the process) read may be older than
            # what the modules hold now: no result of this process can say what it used.
            log.unsafe = log.unsafe or f"a file of {self.torch_root} changed while pyjit ran"
        super().note_reads(log, skip=skip)


def default_torch_root() -> str | None:
    """The torch package in the running interpreter's site-packages, found by reading
    the disk (see :mod:`pyjit_core.environment`), without importing anything."""
    from ..environment import find_environment

    return find_environment(environ={}).torch_root
