"""Interned, qualified symbols: ``aten::add``, ``prim::PythonOp``, ``attr::value``.

torch: c10::Symbol. A symbol is a namespace plus a name; two symbols with the
same text are the same object, so ``is`` comparison is exact and cheap.
"""

from __future__ import annotations

import re
from typing import ClassVar

_NAMESPACE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Names may carry dots (`aten::add.Tensor` is a name plus overload in schemas,
# but node kinds such as `prim::TupleUnpack` never do); torch itself accepts any
# non-empty name after `::`.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")

#: Namespaces torch knows about; user namespaces are allowed too, but these
#: are the ones the printer and the frontend emit.
BUILTIN_NAMESPACES = frozenset(
    {"aten", "prim", "attr", "onnx", "scope", "user", "cuda", "quantized", "_caffe2", "namespaces"}
)


class Symbol:
    """A qualified name ``namespace::name``, interned.

    ``Symbol("aten::add") is Symbol("aten", "add")`` holds. Construction
    raises ``ValueError`` for text that is not a qualified identifier.
    """

    __slots__ = ("__weakref__", "_qual", "name", "namespace")
    _interned: ClassVar[dict[str, Symbol]] = {}

    namespace: str
    name: str
    _qual: str

    def __new__(cls, qualified_or_namespace: str, name: str | None = None) -> Symbol:
        if name is None:
            qual = qualified_or_namespace
            cached = cls._interned.get(qual)
            if cached is not None:
                return cached
            namespace, sep, name = qual.partition("::")
            if not sep:
                raise ValueError(f"symbol {qual!r} is not qualified: expected 'namespace::name'")
        else:
            namespace = qualified_or_namespace
            qual = f"{namespace}::{name}"
            cached = cls._interned.get(qual)
            if cached is not None:
                return cached
        if not _NAMESPACE.fullmatch(namespace):
            raise ValueError(f"symbol {qual!r} has an invalid namespace {namespace!r}")
        if not _NAME.fullmatch(name):
            raise ValueError(f"symbol {qual!r} has an invalid name {name!r}")
        self = object.__new__(cls)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_qual", qual)
        cls._interned[qual] = self
        return self

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("Symbol is immutable")

    def __reduce__(self) -> tuple[type[Symbol], tuple[str]]:
        return (Symbol, (self._qual,))

    def qual_string(self) -> str:
        """``aten::add``. torch: Symbol::toQualString."""
        return self._qual

    def unqual_string(self) -> str:
        """``add``. torch: Symbol::toUnqualString."""
        return self.name

    def is_aten(self) -> bool:
        return self.namespace == "aten"

    def is_prim(self) -> bool:
        return self.namespace == "prim"

    def __str__(self) -> str:
        return self._qual

    def __repr__(self) -> str:
        return f"Symbol({self._qual!r})"

    def __lt__(self, other: Symbol) -> bool:
        return self._qual < other._qual


# aten(name) / prim(name) by name, without building the qualified text each time.
_ATEN: dict[str, Symbol] = {}
_PRIM: dict[str, Symbol] = {}


def aten(name: str) -> Symbol:
    found = _ATEN.get(name)
    if found is None:
        found = _ATEN[name] = Symbol("aten", name)
    return found


def prim(name: str) -> Symbol:
    found = _PRIM.get(name)
    if found is None:
        found = _PRIM[name] = Symbol("prim", name)
    return found


def attr(name: str) -> Symbol:
    return Symbol("attr", name)


class kinds:
    """Node kinds the core itself refers to (the rest are built on demand)."""

    Constant = prim("Constant")
    PythonOp = prim("PythonOp")
    If = prim("If")
    Loop = prim("Loop")
    Param = prim("Param")
    Return = prim("Return")
    GetAttr = prim("GetAttr")
    SetAttr = prim("SetAttr")
    CallMethod = prim("CallMethod")
    CallFunction = prim("CallFunction")
    TupleConstruct = prim("TupleConstruct")
    TupleUnpack = prim("TupleUnpack")
    TupleIndex = prim("TupleIndex")
    ListConstruct = prim("ListConstruct")
    ListUnpack = prim("ListUnpack")
    DictConstruct = prim("DictConstruct")
    Load = prim("Load")
    Store = prim("Store")
    Uninitialized = prim("Uninitialized")
    RaiseException = prim("RaiseException")
    Closure = prim("Closure")
    DifferentiableGraph = prim("DifferentiableGraph")
