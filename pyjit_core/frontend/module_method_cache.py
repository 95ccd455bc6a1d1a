"""Reusing the graphs of torch's own module methods across analyses.

Every file that builds a model compiles the same ``nn.Conv2d.forward``,
``nn.BatchNorm2d.forward``, ``nn.Sequential.forward``... again: over
torchvision they are three in five of the methods an analysis compiles. A
method of a module type read from torch's source (or one pyjit defines from
a string: a container's ``__len__``) is compiled once per process, and its
graph shared by every later analysis that asks for the same method of an
equal module type.

A graph is reused only when everything it was made from is the same
(:func:`method_key`):

* the method's name, the text of its ``def`` (and of an overload's
  declaration), and the full text of the file that defines it and of every
  file defining a class in the module's MRO (torch's library, read once per
  process, or the string);
* the module type as torch's ConcreteModuleType sees it
  (:func:`concrete_digest`): its JIT type's name (mangling included), its
  attributes and their types, constants, submodules (each by the same
  digest), overloads, builtin functions, attributes pyjit could not type;
* where torch's sources are;

and, checked again in the new analysis, the schema of every function and
method it called (``deps``): torch's own, compiled from the same text, or the
workspace's, already compiled (one still to compile is left to a fresh
compile, which reports its errors as it always does). Module types with Python functions or hooks
stored on the instance, interface-typed submodules or constants pyjit cannot
name are never cached, nor graphs holding class, interface or enum types
other than module types, nor methods that rest on a guessed custom
operator's result or that pyjit knew by their signature only, nor graphs
with an ``aten::warn`` (whose ``warn_id`` a fresh compile takes from the
process's counter).

The cache is bounded (:data:`MAX_ENTRIES`, least recently used out).
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..exceptions import PyjitError
from ..ir import types as T
from ..ir.attributes import AttributeKind
from ..ir.graph import Graph
from ..ir.symbols import aten
from ..ir.walk import walk_nodes
from .modules.abstract_values import ClassObj, DeviceValue, NativeClass, TorchEnumValue, Unknown

if TYPE_CHECKING:
    from ..schema.model import FunctionSchema
    from .compilation_unit import GraphFunction
    from .modules import ConcreteModuleType, Interpreter
    from .source import SourceFile

#: Methods kept at most (the whole of torchvision, 185 files, stores about 2,300; a model, a few hundred).
MAX_ENTRIES = 2048


@dataclass(eq=False)
class CachedMethod:
    """A method's graph and schema, the names its module types had (:func:`type_names`), and what
    it called: ``(kind, owner, name, schema, source)``, kind ``method`` (owner: the index of the
    module type in ``names``) or ``function`` (owner: the Python module; source: the digest of
    its file, see :func:`dependency_of`)."""

    graph: Graph
    schema: FunctionSchema
    names: tuple[str, ...]
    deps: tuple[Dependency, ...]


Dependency = tuple[str, str, str, "FunctionSchema", str]


class ModuleMethodCache:
    """Graphs of library module methods by :func:`method_key`, least recently used dropped first."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self.entries: OrderedDict[str, CachedMethod] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def lookup(self, key: str) -> CachedMethod | None:
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return found

    def store(self, key: str, entry: CachedMethod) -> None:
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)

    def clear(self) -> None:
        self.entries.clear()
        self.hits = self.misses = 0

    def graphs(self) -> list[Graph]:
        return [e.graph for e in self.entries.values()]


#: The process's cache: torch's library sources change only when torch is reinstalled (then the key does).
MODULE_METHOD_CACHE = ModuleMethodCache()


class Uncacheable(PyjitError):
    """The module type holds something a digest cannot name across analyses."""


# --- keys --------------------------------------------------------------------------------------

_FILE_DIGESTS: dict[str, tuple[str, str]] = {}   # path -> (the text digested, its digest)


def file_digest(source: SourceFile) -> str:
    """A digest of a file's path and full text (remembered while the text is the same object)."""
    found = _FILE_DIGESTS.get(source.path)
    if found is not None and found[0] is source.text:
        return found[1]
    digest = hashlib.blake2b(f"{source.path}\0{source.text}".encode(), digest_size=16).hexdigest()
    if len(_FILE_DIGESTS) >= 1024:
        del _FILE_DIGESTS[next(iter(_FILE_DIGESTS))]
    _FILE_DIGESTS[source.path] = (source.text, digest)
    return digest


def class_identity(interp: Interpreter, cls: Any, *, workspace_by_name: bool = False) -> str:
    """A class by where it is defined and the text of every file of its MRO.

    ``workspace_by_name``: the workspace's classes by their names alone, for a key
    whose user checks their files' text otherwise (see :mod:`.workspace_method_cache`)."""
    if isinstance(cls, ClassObj):
        files = []
        for c in [cls, *interp.mro_of(cls)]:
            if isinstance(c, ClassObj):
                if workspace_by_name and c.origin != "torch-source":
                    files.append(f"{c.module_name}.{c.qualname}")
                else:
                    files.append(f"{c.module_name}.{c.qualname}@{file_digest(c.scope.source)}:{c.ref.node.lineno}")
        return "|".join(files)
    if isinstance(cls, NativeClass):
        return f"native:{cls.name}"
    raise Uncacheable(type(cls).__name__)


def concrete_digest(interp: Interpreter, concrete: ConcreteModuleType, *, workspace_by_name: bool = False) -> str:
    """What a module type is made of, as a string equal across analyses (see the module docstring).

    The names of the JIT types are left out: torch mangles them in the order an
    analysis meets them (``___torch_mangle_3``), which differs from file to file;
    :func:`type_names` lists them, and a reused graph is renamed to match.
    ``workspace_by_name``: see :func:`class_identity`."""
    memo = "_workspace_digest" if workspace_by_name else "_cache_digest"
    found = concrete.__dict__.get(memo)
    if found is not None:
        return found
    if (concrete.poisoned or (concrete.function_attributes and not workspace_by_name) or concrete.forward_hooks
            or concrete.forward_pre_hooks or concrete.is_interface or concrete.jit_type is None):
        raise Uncacheable(concrete.name)
    parts = [
        class_identity(interp, concrete.py_class, workspace_by_name=workspace_by_name),
        concrete.iterable_kind,
        repr(concrete.ignored_attributes),
        repr([(n, repr(a.type), a.is_parameter, a.is_buffer) for n, a in concrete.attributes.items()]),
        repr([(n, _constant_text(v)) for n, v in concrete.constants.items()]),
        repr(sorted(concrete.failed_attributes.items())),
        repr(sorted(concrete.unknown_attributes.items())),
        repr(sorted(concrete.builtin_functions.items())),
        repr(sorted(concrete.overloads.items())),
        repr(sorted((n, _function_identity(f)) for n, f in concrete.function_attributes.items())),
    ]
    for name, sub in concrete.modules:
        parts.append(f"{name}=({concrete_digest(interp, sub, workspace_by_name=workspace_by_name)})")
    digest = hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()
    concrete.__dict__[memo] = digest
    return digest


def type_names(concrete: ConcreteModuleType) -> tuple[str, ...]:
    """The JIT type names of a module type and of its submodules, depth first."""
    assert concrete.jit_type is not None
    names = [concrete.jit_type.name]
    for _, sub in concrete.modules:
        names.extend(type_names(sub))
    return tuple(names)


def renaming(old: tuple[str, ...], new: tuple[str, ...]) -> dict[str, str] | None:
    """The one-to-one map from a cached graph's module type names to this analysis's
    (``None``: the two do not share types alike); empty when they are the same."""
    if len(old) != len(new):
        return None
    mapping: dict[str, str] = {}
    for a, b in zip(old, new, strict=True):
        if mapping.setdefault(a, b) != b:
            return None
    if len(set(mapping.values())) != len(mapping):
        return None
    return {a: b for a, b in mapping.items() if a != b}


def renamed_type(t: T.JitType, mapping: dict[str, str]) -> T.JitType:
    if isinstance(t, T.ClassType):
        name = mapping.get(t.name)
        return T.ClassType(name, is_module=t.is_module) if name is not None else t
    contained = t.contained_types()
    if not contained:
        return t
    renamed = [renamed_type(c, mapping) for c in contained]
    if all(a is b for a, b in zip(renamed, contained, strict=True)):
        return t
    return t.with_contained(renamed)


def renamed_schema(schema: FunctionSchema, mapping: dict[str, str]) -> FunctionSchema:
    if not mapping:
        return schema

    def arg(a: Any) -> Any:
        t = renamed_type(a.type, mapping)
        return a if t is a.type else dataclasses.replace(a, type=t, real_type=None if a.real_type is None
                                                         else renamed_type(a.real_type, mapping))

    return dataclasses.replace(schema, arguments=tuple(arg(a) for a in schema.arguments),
                               returns=tuple(arg(r) for r in schema.returns))


def renamed_graph(graph: Graph, mapping: dict[str, str]) -> Graph:
    """A copy of ``graph`` with its module types renamed (``graph`` itself when nothing is)."""
    if not mapping:
        return graph
    copy = graph.copy()
    copy.next_unique = graph.next_unique
    blocks = [(graph.block, copy.block)]
    while blocks:
        old, new = blocks.pop()
        values = list(zip(old.inputs, new.inputs, strict=True))
        for n_old, n_new in zip(old.nodes(), new.nodes(), strict=True):
            values.extend(zip(n_old.outputs, n_new.outputs, strict=True))
            blocks.extend(zip(n_old.blocks, n_new.blocks, strict=True))
        for v_old, v_new in values:
            v_new.unique = v_old.unique      # unnamed values print as %<unique>: as the original does
            v_new.type = renamed_type(v_old.type, mapping)
    return copy


def _function_identity(fn: Any) -> str:
    """A Python function stored on a module instance (``self.similarity = box_iou``) by
    its module and name: torch scripts it as a function (a workspace key checks its text otherwise)."""
    node = getattr(fn, "node", None)
    if not isinstance(node, ast.FunctionDef) or getattr(fn, "closure", None) is not None:
        raise Uncacheable("function attribute")
    return f"{fn.scope.module_name}.{fn.qualname}"


def _constant_text(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ",".join(_constant_text(v) for v in value) + ")"
    if isinstance(value, Unknown):
        return f"<unknown {value.reason!r}:{value.type!r}>"
    if isinstance(value, (bool, int, float, str, type(None), DeviceValue, TorchEnumValue)):
        return f"{type(value).__name__}:{value!r}"
    raise Uncacheable(type(value).__name__)


def method_key(interp: Interpreter, concrete: ConcreteModuleType, method_name: str, source: SourceFile,
               node: ast.FunctionDef, signature: ast.FunctionDef | None, torch_root: str | None) -> str | None:
    """The key of a method's graph, or ``None`` when it cannot be cached."""
    try:
        type_digest = concrete_digest(interp, concrete)
    except Uncacheable:
        return None
    lines = source.lines
    text = "\n".join(lines[node.lineno - 1:node.end_lineno or node.lineno])
    declared = ast.dump(signature) if signature is not None else ""
    key = "\0".join([type_digest, method_name, file_digest(source), str(node.lineno), str(node.col_offset), text,
                     declared, torch_root or ""])
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def cacheable_method_graph(graph: Graph, names: tuple[str, ...]) -> bool:
    """No class-like types but the module types ``names`` (whose contents the key fixes), and
    no attribute holding a type or a graph (which renaming would have to reach)."""
    def class_like(t: T.JitType) -> bool:
        if isinstance(t, T.ClassType):
            return not t.is_module or t.name not in names
        if isinstance(t, (T.InterfaceType, T.EnumType)):
            return True
        if isinstance(t, T.TupleType) and t.name is not None:
            return True
        return any(class_like(c) for c in t.contained_types())

    if any(class_like(v.type) for v in graph.inputs):
        return False
    for n in walk_nodes(graph):
        if any(class_like(v.type) for v in n.outputs):
            return False
        if any(a.kind in _GRAPH_OR_TYPE for a in n.attributes.values()):
            return False
        if n.kind is _WARN:
            return False     # its warn_id comes from the process's counter: a fresh compile takes the next one
        for b in n.blocks:
            if any(class_like(v.type) for v in b.inputs):
                return False
    return True


_WARN = aten("warn")
_GRAPH_OR_TYPE = frozenset({AttributeKind.g, AttributeKind.gs, AttributeKind.ty, AttributeKind.tys})


def dependency_of(fn: GraphFunction, names: tuple[str, ...]) -> Dependency | None:
    """How a callee is found again in another analysis (``None``: it cannot be).

    A function is named with the digest of its file: a torch function whose text
    is the same compiles as it did (so checking it again cannot fail otherwise
    than it would in a fresh compile)."""
    if fn.schema is None or not fn.is_defined:
        return None
    owner = fn.owner
    if owner is not None:
        if not owner.is_module or owner.name not in names:
            return None
        return ("method", str(names.index(owner.name)), fn.name, fn.schema, "")
    ref = getattr(fn, "ref", None)
    if ref is None or ref.owner is not None or "." in ref.qualname:
        return None
    return ("function", ref.scope.module_name, ref.qualname, fn.schema, file_digest(ref.scope.source))
