"""Reusing what construction sites built, from one analysis of an edited file to the next.

A module class whose constructor needs arguments is analysed as a builder of
the workspace builds it (``resnet50()``, see :mod:`.construction_sites`), and
interpreting builders is much of what an edit of a torchvision file costs
(~265 module instances for ``resnet.py``). An edit inside a ``forward``
cannot change what they build: the instance tree a builder built is reused
by the next analysis of the file when nothing its interpretation read
changed. What counts as read (:class:`BuildRecord`):

* every module the analysis' world had loaded when the build ended (more
  than the build read, never less) must resolve to the same file in the new
  world, with the same text;
* where a file's text did change (the edited file), its *read text* must be
  the same: each top-level statement's text, with the bodies of the functions
  the interpretation never ran cut out (their decorators and signatures
  stay). What lies between top-level statements (comments, blank lines) and
  where statements stand do not count: a line inserted in a ``forward`` moves
  the classes below it, and changes nothing the builder read.

The reused tree is copied onto the new analysis' objects (:class:`Rebinder`):
its classes are the new interpreter's (so methods are compiled from the new
text), its functions and the syntax nodes it refers to are the new tree's
(found by their place in the tree, which the read text fixes), its scopes
the new world's. A tree holding what cannot be carried over that way (a
``functools.partial``, an enum member, a value typed by a class) is built
again, as is every ``torch.jit.script(...)`` site (only builders are kept).
"""

from __future__ import annotations

import ast
import bisect
import hashlib
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..exceptions import PyjitError
from ..ir import types as T
from .pyworld import ClassRef, ModuleScope, PyWorld
from .source import SourceFile

if TYPE_CHECKING:
    from .construction_sites import ConstructionSite
    from .modules.evaluation import Guess
    from .modules.interpreter import Interpreter

#: A node's place in its module's tree: (field, index) steps from the module down.
TreePath = tuple[tuple[str, int], ...]


# --- what a build read ---------------------------------------------------------------------------


@dataclass(eq=False)
class _ReadText:
    """The read text of one file as a build left it: its digest, and the places of the
    functions that ran (computed when first needed, from the tree the build read)."""

    source: SourceFile
    ran: frozenset[ast.AST]                # the function nodes that ran (in every module)
    _found: tuple[str, frozenset[TreePath]] | None = None

    def digest_and_paths(self) -> tuple[str, frozenset[TreePath]]:
        if self._found is None:
            tree = self.source._tree
            assert tree is not None
            self._found = read_text_digest(self.source, tree, lambda node, _path: node in self.ran)
        return self._found

    def same_in(self, source: SourceFile, tree: ast.Module) -> bool:
        """Whether ``source`` (parsed: ``tree``), another text of the file, reads the same."""
        digest, paths = self.digest_and_paths()
        return read_text_digest(source, tree, lambda _node, path: path in paths)[0] == digest


@dataclass(eq=False)
class FileRead:
    """A module the analysis' world had loaded when a build ended: where it was found, and what it held."""

    module_name: str
    path: str | None                      # None: no source was found for the name
    source: SourceFile | None             # the text as this analysis had it
    read: _ReadText | None                # the build's read text of it (None: no tree was read)


@dataclass(eq=False)
class BuildRecord:
    """What one builder built, what building it read, and the conditions it guessed (see
    ``Evaluator.note_guess``: its failures are then PJ903, never errors)."""

    value: Any
    files: tuple[FileRead, ...]
    guesses: tuple[Guess, ...] = ()


def site_key(site: ConstructionSite) -> tuple | None:
    """A builder's identity across analyses: its module, name and place among the
    top-level statements (None: not a builder, or not found there)."""
    if site.kind != "builder" or not isinstance(site.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    tree = site.scope.tree
    if tree is None:
        return None
    for i, stmt in enumerate(tree.body):
        if stmt is site.node:
            return (site.scope.module_name, site.scope.source.path, i, site.node.name)
    return None


class BuildMemo:
    """The builds of one analysis, and those of the previous one it may reuse."""

    def __init__(self, previous: BuildMemo | None) -> None:
        self.previous = previous.records if previous is not None else {}
        self.records: dict[tuple, BuildRecord] = {}
        self._resolved: dict[str, ModuleScope | None] = {}   # module name -> what this analysis' world finds
        self.reused = 0   # how many builds this analysis took from the previous one

    def record(self, key: tuple, value: Any, ran: set[ast.AST], world: PyWorld,
               guesses: tuple[Guess, ...] = ()) -> None:
        """Keep what the site ``key`` built, and what its build read (``ran``: the functions that ran)."""
        frozen = frozenset(ran)
        files = []
        for name, scope in list(world.modules.items()):
            if scope is None:
                files.append(FileRead(name, None, None, None))
                continue
            source = scope.source
            files.append(FileRead(name, source.path, source,
                                  _ReadText(source, frozen) if source._tree is not None else None))
        self.records[key] = BuildRecord(value, tuple(files), guesses)

    def reuse(self, key: tuple, interp: Interpreter) -> tuple[Any, tuple[Guess, ...]] | None:
        """The previous analysis' build of ``key`` as this analysis' objects, if nothing it read
        changed: the value (which may be None) and the conditions its build guessed; else None."""
        old = self.previous.get(key)
        if old is None:
            return None
        world = interp.world
        files: list[FileRead] = []
        for f in old.files:
            scope = self._resolve(world, f.module_name)
            if f.source is None or scope is None:
                if f.source is not None or scope is not None:
                    return None
                files.append(f)
                continue
            source = scope.source
            if source.path != f.path:
                return None
            if source is not f.source and source.text != f.source.text:
                tree = scope.tree
                if f.read is None or tree is None:
                    return None
                if not f.read.same_in(source, tree):
                    return None
            files.append(FileRead(f.module_name, f.path, source, f.read))
        rebinder = Rebinder(interp)
        try:
            value = rebinder.value(old.value)
            guesses = tuple(rebinder.guess(g) for g in old.guesses)
        except NotPortable:
            return None
        self.records[key] = BuildRecord(value, tuple(files), guesses)
        self.reused += 1
        return value, guesses

    def _resolve(self, world: PyWorld, name: str) -> ModuleScope | None:
        if name not in self._resolved:
            self._resolved[name] = world.module(name)
        return self._resolved[name]


# --- the read text ----------------------------------------------------------------------------------

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BODIES = ("body", "orelse", "finalbody")


def read_text_digest(source: SourceFile, tree: ast.Module,
                     ran: Callable[[ast.AST, TreePath], bool]) -> tuple[str, frozenset[TreePath]]:
    """A digest of what an interpretation of ``tree`` may have read -- each top-level statement's
    text, the bodies of the functions that did not ``ran`` cut out -- and the places of those
    that ran."""
    digest = hashlib.blake2b(digest_size=16)
    data = source._encoded
    ran_paths: set[TreePath] = set()
    for i, stmt in enumerate(tree.body):
        start = _start_offset(source, stmt)
        for cut_start, cut_end in _unread_bodies(stmt, (("body", i),), ran, ran_paths, source):
            digest.update(data[start:cut_start])
            digest.update(b"\0...\0")
            start = cut_end
        digest.update(data[start:source.offset(stmt.end_lineno or stmt.lineno, stmt.end_col_offset or 0)])
        digest.update(b"\0\n\0")
    return digest.hexdigest(), frozenset(ran_paths)


def _unread_bodies(stmt: ast.stmt, path: TreePath, ran: Callable[[ast.AST, TreePath], bool],
                   ran_paths: set[TreePath], source: SourceFile) -> Iterator[tuple[int, int]]:
    """Byte spans of the bodies under ``stmt`` (at ``path``) of functions that did not run, in order."""
    if isinstance(stmt, _DEFS):
        if ran(stmt, path):
            ran_paths.add(path)   # read whole, nested functions included
            return
        first = stmt.body[0]
        yield (_start_offset(source, first),
               source.offset(stmt.end_lineno or stmt.lineno, stmt.end_col_offset or 0))
        return
    for name in _BODIES:
        for j, child in enumerate(getattr(stmt, name, ()) or ()):
            yield from _unread_bodies(child, (*path, (name, j)), ran, ran_paths, source)
    for j, handler in enumerate(getattr(stmt, "handlers", ()) or ()):
        for k, child in enumerate(handler.body):
            yield from _unread_bodies(child, (*path, ("handlers", j), ("body", k)), ran, ran_paths, source)
    for j, case in enumerate(getattr(stmt, "cases", ()) or ()):
        for k, child in enumerate(case.body):
            yield from _unread_bodies(child, (*path, ("cases", j), ("body", k)), ran, ran_paths, source)


def _start_offset(source: SourceFile, node: ast.AST) -> int:
    line, col = node.lineno, node.col_offset   # type: ignore[attr-defined]
    for d in getattr(node, "decorator_list", ()):
        if (d.lineno, d.col_offset) < (line, col):
            line, col = d.lineno, d.col_offset - 1   # the "@"
    return source.offset(line, col)


# --- finding a node again in an edited tree ---------------------------------------------------------


def path_to(root: ast.Module, target: ast.AST) -> TreePath | None:
    """The place of ``target`` in ``root`` (None: not there), searching only the
    top-level statement, and then the children, whose lines can hold it."""
    span = _span(target)
    if span is None:
        return None
    body = root.body
    i = bisect.bisect_right(body, span[0], key=_start) - 1
    if i < 0:
        return None
    found: list[tuple[str, int]] = [("body", i)]

    def search(node: ast.AST) -> bool:
        if node is target:
            return True
        for name in node._fields:
            value = getattr(node, name, None)
            items = value if value.__class__ is list else (value,)
            for k, child in enumerate(items):
                if not isinstance(child, ast.AST) or not child._fields:
                    continue
                child_span = _span(child)
                if child_span is not None and not (child_span[0] <= span[0] and span[1] <= child_span[1]):
                    continue
                found.append((name, k))
                if search(child):
                    return True
                found.pop()
        return False

    return tuple(found) if search(body[i]) else None


def follow(root: ast.AST, path: TreePath) -> ast.AST | None:
    node: Any = root
    for name, k in path:
        value = getattr(node, name, None)
        if isinstance(value, list):
            if k >= len(value):
                return None
            node = value[k]
        elif k == 0 and isinstance(value, ast.AST):
            node = value
        else:
            return None
    return node if isinstance(node, ast.AST) else None


def _span(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]] | None:
    line = getattr(node, "lineno", None)
    if line is None:
        return None
    return _start(node), (node.end_lineno or line, node.end_col_offset or 0)   # type: ignore[attr-defined]


def _start(node: ast.AST) -> tuple[int, int]:
    """(line, column) where a node starts, its decorators included."""
    start = (node.lineno, node.col_offset)   # type: ignore[attr-defined]
    for d in getattr(node, "decorator_list", ()):
        start = min(start, (d.lineno, d.col_offset - 1))
    return start


# --- carrying a tree over ---------------------------------------------------------------------------


class NotPortable(PyjitError):
    """The value holds something that cannot be carried over to another analysis."""


@dataclass(eq=False)
class Rebinder:
    """Copies of abstract values made of a new analysis' objects: its interpreter's classes,
    its world's scopes, its trees' nodes. Mutable values are copied (a reused tree is this
    analysis' own), aliasing kept."""

    interp: Interpreter
    memo: dict[int, Any] = field(default_factory=dict)
    _scopes: dict[str, ModuleScope] = field(default_factory=dict)
    _nodes: dict[int, ast.AST] = field(default_factory=dict)       # id() of an old node -> its new one

    def value(self, v: Any) -> Any:
        if v is None or type(v) in _ATOMS:
            return v
        found = self.memo.get(id(v))
        if found is not None:
            return found
        handler = _handlers_table().get(type(v))
        if handler is None:
            raise NotPortable(type(v).__name__)
        return handler(self, v)

    def scope(self, old: ModuleScope) -> ModuleScope:
        found = self._scopes.get(old.module_name)
        if found is None:
            found = self.interp.world.module(old.module_name)
            if found is None or found.source.path != old.source.path:
                raise NotPortable(f"module {old.module_name}")
            self._scopes[old.module_name] = found
        return found

    def guess(self, old: Guess) -> Guess:
        """A guessed condition, named by this analysis' node (its line after a line shift)."""
        scope = self.scope(old.scope)
        return type(old)(scope, self.node(old.test, old.scope, scope))

    def node(self, old: ast.AST, old_scope: ModuleScope, new_scope: ModuleScope) -> Any:
        old_tree, new_tree = old_scope.source._tree, new_scope.tree
        if old_tree is None or new_tree is None:
            raise NotPortable("a module without a tree")
        if old_tree is new_tree:
            return old
        found = self._nodes.get(id(old))
        if found is None:
            path = path_to(old_tree, old)
            found = follow(new_tree, path) if path is not None else None
            if found is None or type(found) is not type(old):
                raise NotPortable("a node not found again")
            self._nodes[id(old)] = found
        return found


def _handlers_table() -> dict[type, Callable[[Rebinder, Any], Any]]:
    global _handlers
    if _handlers is None:
        _handlers = _make_handlers()
    return _handlers


_handlers: dict[type, Callable[[Rebinder, Any], Any]] | None = None   # by the exact type of a value
_ATOMS = frozenset({bool, int, float, complex, str, bytes, type(Ellipsis), slice})


def _make_handlers() -> dict[type, Callable[[Rebinder, Any], Any]]:
    # Imported here: the interpreter's package loads on first use (see modules/__init__).
    from .modules import abstract_values as av

    def keep(r: Rebinder, v: Any) -> Any:
        return v

    def a_list(r: Rebinder, v: list) -> list:
        out: list = []
        r.memo[id(v)] = out
        out.extend(r.value(x) for x in v)
        return out

    def a_tuple(r: Rebinder, v: tuple) -> tuple:
        out = tuple(r.value(x) for x in v)
        r.memo[id(v)] = out
        return out

    def a_dict(r: Rebinder, v: dict) -> dict:
        out: dict = {}
        r.memo[id(v)] = out
        for k, x in v.items():
            out[r.value(k)] = r.value(x)
        return out

    def a_set(r: Rebinder, v: set) -> set:
        out = {r.value(x) for x in v}
        r.memo[id(v)] = out
        return out

    def unknown(r: Rebinder, v: av.Unknown) -> av.Unknown:
        if v.type is not None and _class_like(v.type):
            raise NotPortable("a value typed by a class")
        out = r.memo[id(v)] = av.Unknown(v.reason, v.type)
        return out

    def tensor(r: Rebinder, v: av.TensorValue) -> av.TensorValue:
        out = r.memo[id(v)] = av.TensorValue(v.parameter, v.buffer, v.persistent, v.lazy)
        return out

    def class_obj(r: Rebinder, v: av.ClassObj) -> Any:
        old = v.ref
        scope = r.scope(old.scope)
        if (old.scope.module_name, old.qualname) == ("torch.nn.modules.module", "Module"):
            found = r.interp.module_source_class()   # the only ClassObj of torch.nn.Module (see source_member)
        else:
            found = r.interp.class_obj(ClassRef(scope, r.node(old.node, old.scope, scope), old.qualname))
        if not isinstance(found, av.ClassObj) or found.qualname != v.qualname:
            raise NotPortable("a class")
        r.memo[id(v)] = found
        return found

    def function(r: Rebinder, v: av.PyFunction) -> av.PyFunction:
        scope = r.scope(v.scope)
        out = av.PyFunction(r.node(v.node, v.scope, scope), scope, None, v.qualname, None, v.decorators)
        r.memo[id(v)] = out
        out.closure = frame(r, v.closure) if v.closure is not None else None
        out.owner = r.value(v.owner) if v.owner is not None else None
        return out

    def frame(r: Rebinder, v: av.Frame) -> av.Frame:
        found = r.memo.get(id(v))
        if found is not None:
            return found
        if v.class_ns is not None:
            raise NotPortable("a class body's namespace")
        out = av.Frame(r.scope(v.scope))
        r.memo[id(v)] = out
        out.parent = frame(r, v.parent) if v.parent is not None else None
        out.function = r.value(v.function) if v.function is not None else None
        out.first_arg = r.value(v.first_arg)
        out.locals = {k: r.value(x) for k, x in v.locals.items()}
        return out

    def module_instance(r: Rebinder, v: av.ModuleInstance) -> av.ModuleInstance:
        if any(" line " in note for note in v.notes):
            raise NotPortable("a note naming a line")
        site_scope = r.scope(v.site_scope) if v.site_scope is not None else None
        site = v.site
        if site is not None:
            if site_scope is None or v.site_scope is None:
                raise NotPortable("a construction site without its module")
            site = r.node(site, v.site_scope, site_scope)
        out = av.ModuleInstance(r.value(v.cls), site, site_scope)
        r.memo[id(v)] = out
        out.attrs = a_dict(r, v.attrs)
        out.parameters = a_dict(r, v.parameters)
        out.buffers = a_dict(r, v.buffers)
        out.non_persistent = set(v.non_persistent)
        out.modules = a_dict(r, v.modules)
        out.forward_hooks = a_list(r, v.forward_hooks)
        out.forward_pre_hooks = a_list(r, v.forward_pre_hooks)
        out.initialized = v.initialized
        out.notes = list(v.notes)
        return out

    def instance(r: Rebinder, v: av.Instance) -> av.Instance:
        out = av.Instance(r.value(v.cls))
        r.memo[id(v)] = out
        out.attrs = a_dict(r, v.attrs)
        return out

    def native(r: Rebinder, v: av.Native) -> av.Native:
        impl = v.impl
        if not isinstance(impl, types.FunctionType) or any(
                not isinstance(c.cell_contents, (str, int, float, bool, types.FunctionType, types.BuiltinFunctionType,
                                                 type(None)))
                for c in impl.__closure__ or ()):
            raise NotPortable("a native holding values")
        return v

    def bound(r: Rebinder, v: av.BoundMethod) -> av.BoundMethod:
        out = av.BoundMethod(None, None)
        r.memo[id(v)] = out
        out.obj, out.func = r.value(v.obj), r.value(v.func)
        return out

    def module_obj(r: Rebinder, v: av.ModuleObj) -> av.ModuleObj:
        out = r.memo[id(v)] = av.ModuleObj(r.scope(v.scope))
        return out

    def wrapper(r: Rebinder, v: av.AttributeWrapper) -> av.AttributeWrapper:
        scope = r.scope(v.scope) if v.scope is not None else None
        annotation = v.annotation
        if annotation is not None:
            if v.scope is None or scope is None:
                raise NotPortable("an annotation without its module")
            annotation = r.node(annotation, v.scope, scope)
        out = av.AttributeWrapper(r.value(v.value), annotation, scope)
        r.memo[id(v)] = out
        return out

    def property_obj(r: Rebinder, v: av.PropertyObj) -> av.PropertyObj:
        return av.PropertyObj(r.value(v.getter), r.value(v.setter))

    def exception(r: Rebinder, v: av.ExceptionObj) -> av.ExceptionObj:
        return av.ExceptionObj(v.type_name, [r.value(a) for a in v.args])

    def super_obj(r: Rebinder, v: av.SuperObj) -> av.SuperObj:
        return av.SuperObj(r.value(v.start), r.value(v.obj))

    return {
        list: a_list, tuple: a_tuple, dict: a_dict, set: a_set, frozenset: lambda r, v: frozenset(map(r.value, v)),
        av.Unknown: unknown, av.TensorValue: tensor, av.TorchEnumValue: keep, av.DeviceValue: keep,
        av.ClassObj: class_obj, av.NativeClass: keep, av.PyFunction: function, av.ModuleInstance: module_instance,
        av.Instance: instance, av.Native: native, av.BoundMethod: bound, av.ExternalObj: keep,
        av.ModuleObj: module_obj, av.AttributeWrapper: wrapper, av.PropertyObj: property_obj,
        av.StaticMethodObj: lambda r, v: av.StaticMethodObj(r.value(v.func)),
        av.ClassMethodObj: lambda r, v: av.ClassMethodObj(r.value(v.func)),
        av.ExceptionObj: exception, av.RangeObj: keep, av.OpaqueObj: keep, av.SuperObj: super_obj,
    }


def _class_like(t: T.JitType) -> bool:
    if isinstance(t, (T.ClassType, T.InterfaceType, T.EnumType)):
        return True
    if isinstance(t, T.TupleType) and t.name is not None:
        return True
    return any(_class_like(c) for c in t.contained_types())
