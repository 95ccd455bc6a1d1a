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
method it called (``deps``). Module types with Python functions or hooks
stored on the instance, interface-typed submodules or constants pyjit cannot
name are never cached, nor graphs holding class, interface or enum types
other than module types, nor methods that rest on a guessed custom
operator's result or that pyjit knew by their signature only.

The cache is bounded (:data:`MAX_ENTRIES`, least recently used out).
"""

from __future__ import annotations

import ast
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..ir import types as T
from ..ir.graph import Graph
from ..ir.walk import walk_nodes
from .modules.abstract_values import ClassObj, DeviceValue, NativeClass, TorchEnumValue, Unknown

if TYPE_CHECKING:
    from .compilation_unit import GraphFunction
    from .modules import ConcreteModuleType, Interpreter
    from .source import SourceFile

#: Methods kept at most (a torchvision model zoo needs about 1,500).
MAX_ENTRIES = 4096


@dataclass(eq=False)
class CachedMethod:
    """A method's graph and schema, and what it called: ``(kind, owner, name, str(schema))``,
    kind ``method`` (owner: the module type's name) or ``function`` (owner: the Python module)."""

    graph: Graph
    schema: object
    deps: tuple[tuple[str, str, str, str], ...]


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


class Uncacheable(Exception):
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


def class_identity(interp: Interpreter, cls: Any) -> str:
    """A class by where it is defined and the text of every file of its MRO."""
    if isinstance(cls, ClassObj):
        files = []
        for c in [cls, *interp.mro_of(cls)]:
            if isinstance(c, ClassObj):
                files.append(f"{c.module_name}.{c.qualname}@{file_digest(c.scope.source)}:{c.ref.node.lineno}")
        return "|".join(files)
    if isinstance(cls, NativeClass):
        return f"native:{cls.name}"
    raise Uncacheable(type(cls).__name__)


def concrete_digest(interp: Interpreter, concrete: ConcreteModuleType) -> str:
    """What a module type is made of, as a string equal across analyses (see the module docstring)."""
    found = concrete.__dict__.get("_cache_digest")
    if found is not None:
        return found
    if (concrete.poisoned or concrete.function_attributes or concrete.forward_hooks or concrete.forward_pre_hooks
            or concrete.is_interface or concrete.jit_type is None):
        raise Uncacheable(concrete.name)
    parts = [
        concrete.jit_type.name,
        class_identity(interp, concrete.py_class),
        concrete.iterable_kind,
        repr(concrete.ignored_attributes),
        repr([(n, repr(a.type), a.is_parameter, a.is_buffer) for n, a in concrete.attributes.items()]),
        repr([(n, _constant_text(v)) for n, v in concrete.constants.items()]),
        repr(sorted(concrete.failed_attributes.items())),
        repr(sorted(concrete.unknown_attributes.items())),
        repr(sorted(concrete.builtin_functions.items())),
        repr(sorted(concrete.overloads.items())),
    ]
    for name, sub in concrete.modules:
        parts.append(f"{name}=({concrete_digest(interp, sub)})")
    digest = hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()
    concrete.__dict__["_cache_digest"] = digest
    return digest


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


def cacheable_method_graph(graph: Graph) -> bool:
    """No class-like types but module types (whose names and contents the key fixes)."""
    def class_like(t: T.JitType) -> bool:
        if isinstance(t, T.ClassType):
            return not t.is_module
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
        for b in n.blocks:
            if any(class_like(v.type) for v in b.inputs):
                return False
    return True


def dependency_of(fn: GraphFunction) -> tuple[str, str, str, str] | None:
    """How a callee is found again in another analysis (``None``: it cannot be)."""
    if fn.schema is None or not fn.is_defined:
        return None
    owner = fn.owner
    if owner is not None:
        if not owner.is_module:
            return None
        return ("method", owner.name, fn.name, str(fn.schema))
    ref = getattr(fn, "ref", None)
    if ref is None or ref.owner is not None or "." in ref.qualname:
        return None
    return ("function", ref.scope.module_name, ref.qualname, str(fn.schema))
