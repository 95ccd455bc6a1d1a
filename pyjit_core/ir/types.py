"""The TorchScript type system, as far as printing, parsing and checking need it.

torch: c10/core/jit_type.h. Every type is an immutable value; structural
equality is ``==``. Three spellings exist, each matching torch's:

* ``str(t)``             the IR spelling, as ``str(graph)`` prints a value's
                         type (``int[]``, ``int?``, ``(Tensor, int)``,
                         ``NamedTuple(a : int)``, ``Float(2, 3, ...)``).
                         torch: ``operator<<(std::ostream&, const Type&)``.
* ``t.str()``            torch's ``Type::str()``: the IR spelling without
                         the tensor details and named-tuple fields; the
                         schema printer uses it.
* ``t.annotation_str()`` the Python spelling (``List[int]``,
                         ``Optional[int]``); torch: ``Type::annotation_str``.
"""

from __future__ import annotations

import builtins
import contextvars
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar


class TypeKind(enum.IntEnum):
    """Declaration order of torch's ``C10_FORALL_TYPES``; unions sort by it."""

    AnyType = 0
    EnumType = enum.auto()
    AnyEnumType = enum.auto()
    TensorType = enum.auto()
    StorageType = enum.auto()
    TupleType = enum.auto()
    ListType = enum.auto()
    DictType = enum.auto()
    NumberType = enum.auto()
    FloatType = enum.auto()
    ComplexType = enum.auto()
    FutureType = enum.auto()
    AwaitType = enum.auto()
    RRefType = enum.auto()
    IntType = enum.auto()
    NoneType = enum.auto()
    StringType = enum.auto()
    GeneratorType = enum.auto()
    QuantizerType = enum.auto()
    BoolType = enum.auto()
    OptionalType = enum.auto()
    VarType = enum.auto()
    DeviceObjType = enum.auto()
    StreamObjType = enum.auto()
    FunctionType = enum.auto()
    ClassType = enum.auto()
    PyObjectType = enum.auto()
    CapsuleType = enum.auto()
    InterfaceType = enum.auto()
    QSchemeType = enum.auto()
    ScalarTypeType = enum.auto()
    LayoutType = enum.auto()
    MemoryFormatType = enum.auto()
    AnyListType = enum.auto()
    AnyTupleType = enum.auto()
    AnyClassType = enum.auto()
    SymIntType = enum.auto()
    SymFloatType = enum.auto()
    SymBoolType = enum.auto()
    UnionType = enum.auto()
    DynamicType = enum.auto()


class JitType:
    """Base of every TorchScript type."""

    __slots__ = ()
    kind: ClassVar[TypeKind]

    # Named after torch's Type::str(); inside the class bodies that define it,
    # the builtin is spelled builtins.str.
    def str(self) -> str:
        """torch: Type::str()."""
        raise NotImplementedError

    def annotation_str(self) -> builtins.str:
        """torch: Type::annotation_str()."""
        return self.str()

    def __str__(self) -> builtins.str:
        return self.str()

    def contained_types(self) -> tuple[JitType, ...]:
        return ()

    def is_subtype_of(self, other: JitType) -> bool:
        """torch: Type::isSubtypeOf."""
        return is_subtype(self, other)

    def requires_grad(self) -> bool:
        return any(t.requires_grad() for t in self.contained_types())

    def with_contained(self, contained: Sequence[JitType]) -> JitType:
        """A copy with its contained types replaced (same arity)."""
        return self


# --- singleton leaf types -------------------------------------------------


def _leaf(kind: TypeKind, spelled: str, annotation: str | None = None) -> type[JitType]:
    annotated = spelled if annotation is None else annotation

    class Leaf(JitType):
        __slots__ = ()
        _instance: ClassVar[Leaf | None] = None

        def __new__(cls) -> Leaf:
            if cls._instance is None:
                cls._instance = super().__new__(cls)
            return cls._instance

        def str(self) -> str:
            return spelled

        def annotation_str(self) -> builtins.str:
            return annotated

        def __repr__(self) -> builtins.str:
            return f"{type(self).__name__}()"

        def __eq__(self, other: object) -> bool:
            return type(other) is type(self)

        def __hash__(self) -> int:
            return hash(kind)

        def __reduce__(self):
            return (type(self), ())

    Leaf.kind = kind
    return Leaf


AnyType = _leaf(TypeKind.AnyType, "Any")
AnyType.__name__ = AnyType.__qualname__ = "AnyType"
NumberType = _leaf(TypeKind.NumberType, "Scalar", "number")
NumberType.__name__ = NumberType.__qualname__ = "NumberType"
FloatType = _leaf(TypeKind.FloatType, "float")
FloatType.__name__ = FloatType.__qualname__ = "FloatType"
ComplexType = _leaf(TypeKind.ComplexType, "complex")
ComplexType.__name__ = ComplexType.__qualname__ = "ComplexType"
IntType = _leaf(TypeKind.IntType, "int")
IntType.__name__ = IntType.__qualname__ = "IntType"
NoneType = _leaf(TypeKind.NoneType, "NoneType")
NoneType.__name__ = NoneType.__qualname__ = "NoneType"
StringType = _leaf(TypeKind.StringType, "str")
StringType.__name__ = StringType.__qualname__ = "StringType"
GeneratorType = _leaf(TypeKind.GeneratorType, "Generator")
GeneratorType.__name__ = GeneratorType.__qualname__ = "GeneratorType"
QuantizerType = _leaf(TypeKind.QuantizerType, "Quantizer")
QuantizerType.__name__ = QuantizerType.__qualname__ = "QuantizerType"
BoolType = _leaf(TypeKind.BoolType, "bool")
BoolType.__name__ = BoolType.__qualname__ = "BoolType"
DeviceObjType = _leaf(TypeKind.DeviceObjType, "Device")
DeviceObjType.__name__ = DeviceObjType.__qualname__ = "DeviceObjType"
StreamObjType = _leaf(TypeKind.StreamObjType, "Stream")
StreamObjType.__name__ = StreamObjType.__qualname__ = "StreamObjType"
PyObjectType = _leaf(TypeKind.PyObjectType, "PyObject")
PyObjectType.__name__ = PyObjectType.__qualname__ = "PyObjectType"
CapsuleType = _leaf(TypeKind.CapsuleType, "Capsule")
CapsuleType.__name__ = CapsuleType.__qualname__ = "CapsuleType"
QSchemeType = _leaf(TypeKind.QSchemeType, "QScheme")
QSchemeType.__name__ = QSchemeType.__qualname__ = "QSchemeType"
ScalarTypeType = _leaf(TypeKind.ScalarTypeType, "ScalarType")
ScalarTypeType.__name__ = ScalarTypeType.__qualname__ = "ScalarTypeType"
LayoutType = _leaf(TypeKind.LayoutType, "Layout")
LayoutType.__name__ = LayoutType.__qualname__ = "LayoutType"
MemoryFormatType = _leaf(TypeKind.MemoryFormatType, "MemoryFormat")
MemoryFormatType.__name__ = MemoryFormatType.__qualname__ = "MemoryFormatType"
AnyListType = _leaf(TypeKind.AnyListType, "list")
AnyListType.__name__ = AnyListType.__qualname__ = "AnyListType"
AnyTupleType = _leaf(TypeKind.AnyTupleType, "tuple")
AnyTupleType.__name__ = AnyTupleType.__qualname__ = "AnyTupleType"
AnyClassType = _leaf(TypeKind.AnyClassType, "AnyClassType")
AnyClassType.__name__ = AnyClassType.__qualname__ = "AnyClassType"
AnyEnumType = _leaf(TypeKind.AnyEnumType, "AnyEnumType")
AnyEnumType.__name__ = AnyEnumType.__qualname__ = "AnyEnumType"
StorageType = _leaf(TypeKind.StorageType, "Storage")
StorageType.__name__ = StorageType.__qualname__ = "StorageType"
SymIntType = _leaf(TypeKind.SymIntType, "SymInt", "int")
SymIntType.__name__ = SymIntType.__qualname__ = "SymIntType"
SymFloatType = _leaf(TypeKind.SymFloatType, "SymFloat", "float")
SymFloatType.__name__ = SymFloatType.__qualname__ = "SymFloatType"
SymBoolType = _leaf(TypeKind.SymBoolType, "SymBool", "bool")
SymBoolType.__name__ = SymBoolType.__qualname__ = "SymBoolType"

#: Leaf types by their ``str()`` spelling (used by the IR and schema parsers).
LEAF_TYPES: dict[str, JitType] = {
    t.str(): t
    for t in (
        AnyType(), NumberType(), FloatType(), ComplexType(), IntType(), NoneType(),
        StringType(), GeneratorType(), QuantizerType(), BoolType(), DeviceObjType(),
        StreamObjType(), PyObjectType(), CapsuleType(), QSchemeType(), ScalarTypeType(),
        LayoutType(), MemoryFormatType(), AnyListType(), AnyTupleType(), AnyClassType(),
        AnyEnumType(), StorageType(), SymIntType(), SymFloatType(), SymBoolType(),
    )
}


# --- tensors ----------------------------------------------------------------

#: c10 ScalarType names in declaration order (their index is the dtype's int).
SCALAR_TYPE_NAMES: tuple[str, ...] = (
    "Byte", "Char", "Short", "Int", "Long", "Half", "Float", "Double",
    "ComplexHalf", "ComplexFloat", "ComplexDouble", "Bool", "QInt8", "QUInt8",
    "QInt32", "BFloat16", "QUInt4x2", "QUInt2x4", "Bits1x8", "Bits2x4", "Bits4x2",
    "Bits8", "Bits16", "Float8_e5m2", "Float8_e4m3fn", "Float8_e5m2fnuz",
    "Float8_e4m3fnuz", "UInt16", "UInt32", "UInt64", "UInt1", "UInt2", "UInt3",
    "UInt4", "UInt5", "UInt6", "UInt7", "Int1", "Int2", "Int3", "Int4", "Int5",
    "Int6", "Int7", "Float8_e8m0fnu", "Float4_e2m1fn_x2",
)


@dataclass(frozen=True, slots=True)
class TensorType(JitType):
    """``Tensor``, optionally refined (as traced graphs print it).

    ``sizes``/``strides`` are ``None`` when the rank is unknown; inside, a
    ``None`` entry is an unknown dimension (printed ``*``).
    """

    kind: ClassVar[TypeKind] = TypeKind.TensorType
    scalar_type: str | None = None
    sizes: tuple[int | None, ...] | None = None
    strides: tuple[int | None, ...] | None = None
    requires_grad_: bool | None = None
    device: str | None = None
    undefined: bool | None = None
    # The type of an unannotated parameter: plain Tensor for every check
    # (not compared), but error messages say "Tensor (inferred)".
    # torch: TensorType::getInferred / isInferredType.
    inferred: bool = field(default=False, compare=False)

    @staticmethod
    def get() -> TensorType:
        return _PLAIN_TENSOR

    @staticmethod
    def get_inferred() -> TensorType:
        """torch: TensorType::getInferred."""
        return _INFERRED_TENSOR

    def is_plain(self) -> bool:
        return self == _PLAIN_TENSOR

    def str(self) -> str:
        return "Tensor"

    def requires_grad(self) -> bool:
        return self.requires_grad_ is None or self.requires_grad_

    def __str__(self) -> builtins.str:
        # torch: operator<<(ostream&, const Type&), TensorType branch at full verbosity.
        out = []
        if self.scalar_type is not None:
            out.append(self.scalar_type)
            if self.sizes is None:
                out.append("Tensor")
        else:
            out.append("Tensor")
        if self.sizes is not None:
            ndim = len(self.sizes)
            parts = ["*" if s is None else str(s) for s in self.sizes]
            has_strides = (
                ndim > 0
                and self.strides is not None
                and len(self.strides) == ndim
                and all(s is not None for s in self.strides)
            )
            body = ", ".join(parts)
            if has_strides and self.strides is not None:
                body += (", " if body else "") + "strides=[" + ", ".join(str(s) for s in self.strides) + "]"
            extras = []
            if self.requires_grad_ is not None:
                extras.append(f"requires_grad={int(self.requires_grad_)}")
            if self.device is not None:
                extras.append(f"device={self.device}")
            if extras:
                body = body + (", " if ndim > 0 else "") + ", ".join(extras)
            out.append(f"({body})")
        else:
            extras = []
            if self.requires_grad_ is not None:
                extras.append(f"requires_grad={int(self.requires_grad_)}")
            if self.device is not None:
                extras.append(f"device={self.device}")
            if extras:
                out.append("(" + ", ".join(extras) + ")")
        if self.undefined:
            out.append("[Undefined]")
        return "".join(out)

    def __repr__(self) -> builtins.str:
        return f"TensorType({str(self)!r})" if not self.is_plain() else "TensorType()"


_PLAIN_TENSOR = TensorType()
_INFERRED_TENSOR = TensorType(inferred=True)


# --- containers -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListType(JitType):
    kind: ClassVar[TypeKind] = TypeKind.ListType
    element: JitType

    def str(self) -> str:
        return f"{self.element.str()}[]"

    def __str__(self) -> builtins.str:
        return f"{self.element}[]"

    def annotation_str(self) -> builtins.str:
        return f"List[{self.element.annotation_str()}]"

    def contained_types(self) -> tuple[JitType, ...]:
        return (self.element,)

    def with_contained(self, contained: Sequence[JitType]) -> JitType:
        return ListType(contained[0])


@dataclass(frozen=True, slots=True)
class UnionType(JitType):
    """``Union[...]``: members are flattened, deduplicated and sorted by kind.

    Build unions with :func:`make_union`, which also collapses a single
    member and turns ``Union[T, None]`` into ``Optional[T]`` the way torch does.
    """

    kind: ClassVar[TypeKind] = TypeKind.UnionType
    members: tuple[JitType, ...]

    def str(self) -> str:
        return "Union(" + ", ".join(m.str() for m in self.members) + ")"

    # No __str__ override: torch's operator<< has no Union branch and falls
    # back to Type::str(), so members print without tensor details.

    def annotation_str(self) -> builtins.str:
        return "Union[" + ", ".join(m.annotation_str() for m in self.members) + "]"

    def contained_types(self) -> tuple[JitType, ...]:
        return self.members

    def with_contained(self, contained: Sequence[JitType]) -> JitType:
        return make_union(contained)

    def can_hold_none(self) -> bool:
        return any(isinstance(m, (NoneType, OptionalType)) for m in self.members)


@dataclass(frozen=True, slots=True)
class OptionalType(JitType):
    """``Optional[T]`` (torch models it as ``Union[T, None]``)."""

    kind: ClassVar[TypeKind] = TypeKind.OptionalType
    element: JitType

    def str(self) -> str:
        return f"{self.element.str()}?"

    def __str__(self) -> builtins.str:
        return f"{self.element}?"

    def annotation_str(self) -> builtins.str:
        return f"Optional[{self.element.annotation_str()}]"

    def contained_types(self) -> tuple[JitType, ...]:
        return (self.element,)

    def with_contained(self, contained: Sequence[JitType]) -> JitType:
        return OptionalType(contained[0])


@dataclass(frozen=True, slots=True)
class NamedTupleField:
    name: str
    type: JitType
    default: str | None = None  # printed default value, as torch prints it


@dataclass(frozen=True, slots=True)
class TupleType(JitType):
    """``Tuple[...]``; a NamedTuple carries its qualified ``name`` and ``fields``."""

    kind: ClassVar[TypeKind] = TypeKind.TupleType
    elements: tuple[JitType, ...]
    name: str | None = None
    fields: tuple[NamedTupleField, ...] | None = None

    def str(self) -> str:
        if self.name is not None:
            return self.name
        return "(" + ", ".join(e.str() for e in self.elements) + ")"

    def __str__(self) -> builtins.str:
        if self.fields is not None:
            inner = ", ".join(
                f"{f.name} : {f.type}" + (f" = {f.default}" if f.default is not None else "")
                for f in self.fields
            )
            return f"NamedTuple({inner})"
        return "(" + ", ".join(str(e) for e in self.elements) + ")"

    def annotation_str(self) -> builtins.str:
        if self.name is not None:
            return self.name
        if not self.elements:
            return "Tuple[()]"
        return "Tuple[" + ", ".join(e.annotation_str() for e in self.elements) + "]"

    def contained_types(self) -> tuple[JitType, ...]:
        return self.elements

    def with_contained(self, contained: Sequence[JitType]) -> JitType:
        if self.fields is not None:
            fields = tuple(NamedTupleField(f.name, t, f.default) for f, t in zip(self.fields, contained, strict=False))
            return TupleType(tuple(contained), self.name, fields)
        return TupleType(tuple(contained))

    @property
    def field_names(self) -> tuple[builtins.str, ...] | None:
        return None if self.fields is None else tuple(f.name for f in self.fields)


@dataclass(frozen=True, slots=True)
class DictType(JitType):
    kind: ClassVar[TypeKind] = TypeKind.DictType
    key: JitType
    value: JitType

    def str(self) -> str:
        return f"Dict({self.key.str()}, {self.value.str()})"

    # No __str__ override: operator<< has no Dict branch either, so a named
    # tuple value prints as its qualified name (``Dict(str, __torch__.P)``).

    def annotation_str(self) -> builtins.str:
        return f"Dict[{self.key.annotation_str()}, {self.value.annotation_str()}]"

    def contained_types(self) -> tuple[JitType, ...]:
        return (self.key, self.value)

    def with_contained(self, contained: Sequence[JitType]) -> JitType:
        return DictType(contained[0], contained[1])


class SingleContainerType(JitType):
    """What Future, Await and RRef share: one contained type (the classes are
    made by :func:`_single_container`)."""

    __slots__ = ()
    element: JitType

    if TYPE_CHECKING:
        def __init__(self, element: JitType) -> None: ...


def _single_container(kind: TypeKind, spelled: str, ir_open: str | None,
                      ir_close: str | None) -> type[SingleContainerType]:
    """``ir_open=None``: operator<< has no branch for the type and prints ``str()``."""

    @dataclass(frozen=True, slots=True)
    class Single(SingleContainerType):
        element: JitType

        def str(self) -> str:
            return f"{spelled}({self.element.str()})"

        def __str__(self) -> builtins.str:
            if ir_open is None:
                return self.str()
            return f"{spelled}{ir_open}{self.element}{ir_close}"

        def annotation_str(self) -> builtins.str:
            return f"{spelled}[{self.element.annotation_str()}]"

        def contained_types(self) -> tuple[JitType, ...]:
            return (self.element,)

        def with_contained(self, contained: Sequence[JitType]) -> JitType:
            return type(self)(contained[0])

    Single.kind = kind
    return Single


FutureType = _single_container(TypeKind.FutureType, "Future", "[", "]")
FutureType.__name__ = FutureType.__qualname__ = "FutureType"
AwaitType = _single_container(TypeKind.AwaitType, "Await", None, None)
AwaitType.__name__ = AwaitType.__qualname__ = "AwaitType"
RRefType = _single_container(TypeKind.RRefType, "RRef", "[", "]")
RRefType.__name__ = RRefType.__qualname__ = "RRefType"


# --- named types --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VarType(JitType):
    """A type variable in a schema (``t``, ``t1``)."""

    kind: ClassVar[TypeKind] = TypeKind.VarType
    name: str

    def str(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class ClassType(JitType):
    """A TorchScript class or module type, named by its qualified name
    (``__torch__.M``, ``__torch__.torch.nn.modules.linear.Linear``).

    Equality is by name: the frontend keeps the attributes and methods in its
    own tables, as torch's CompilationUnit does.
    """

    kind: ClassVar[TypeKind] = TypeKind.ClassType
    name: str
    is_module: bool = field(default=False, compare=False)

    def str(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class InterfaceType(JitType):
    """``name`` is qualified when known; the IR prints only its last part
    (``InterfaceType<Activation>``), so a parsed interface keeps just that."""

    kind: ClassVar[TypeKind] = TypeKind.InterfaceType
    name: str
    is_module: bool = field(default=False, compare=False)

    def str(self) -> str:
        # torch: InterfaceType::str uses name()->name(), the unqualified name.
        return f"InterfaceType<{self.name.rpartition('.')[2]}>"

    def annotation_str(self) -> builtins.str:
        return self.name


@dataclass(frozen=True, slots=True)
class EnumType(JitType):
    kind: ClassVar[TypeKind] = TypeKind.EnumType
    name: str
    value_type: JitType = field(default_factory=IntType, compare=False)

    def str(self) -> str:
        return f"Enum<{self.name}>"

    def annotation_str(self) -> builtins.str:
        return self.name


@dataclass(frozen=True, slots=True)
class FunctionType(JitType):
    kind: ClassVar[TypeKind] = TypeKind.FunctionType
    name: str = ""

    def str(self) -> str:
        return "Function" if not self.name else self.name

    def __str__(self) -> builtins.str:
        return "Function"


# --- constructors, subtyping and unification ------------------------------------


def make_union(members: Iterable[JitType]) -> JitType:
    """torch: UnionType::create + standardizeVectorForUnion.

    Flattens nested unions (and optionals), drops duplicates and subsumed
    members, sorts by kind, then returns the single member, an
    ``Optional[T]`` for ``{T, None}``, or the union.
    """
    flat: list[JitType] = []

    def add(t: JitType) -> None:
        if isinstance(t, UnionType):
            for m in t.members:
                add(m)
        elif isinstance(t, OptionalType):
            add(t.element)
            add(NoneType())
        elif t not in flat:
            flat.append(t)

    for m in members:
        add(m)
    # Drop members that another member already covers (int and number -> number).
    kept = [t for t in flat if not any(o is not t and o != t and is_subtype(t, o) for o in flat)]
    kept.sort(key=lambda t: t.kind)
    if len(kept) == 1:
        return kept[0]
    non_none = [t for t in kept if not isinstance(t, NoneType)]
    if len(kept) == 2 and len(non_none) == 1:
        return OptionalType(non_none[0])
    return UnionType(tuple(kept))


def _number_like(t: JitType) -> bool:
    return isinstance(t, (IntType, FloatType, ComplexType, NumberType))


#: The singleton leaf classes (equal exactly when the same class) and the leaf classes that
#: ``Scalar`` (NumberType) takes, for :func:`is_subtype`'s shortcut.
_LEAF_CLASSES = frozenset(type(t) for t in LEAF_TYPES.values())
_SCALAR_MEMBER_CLASSES = frozenset((IntType, FloatType, ComplexType, SymIntType, SymFloatType))


def is_subtype(sub: JitType, sup: JitType) -> bool:
    """torch: Type::isSubtypeOfExt, for the types pyjit models."""
    if sub is sup:
        return True
    sub_class, sup_class = type(sub), type(sup)
    if sup_class in _LEAF_CLASSES and (sub_class in _LEAF_CLASSES or sub_class is TensorType):
        # What the general rules below give for two leaves (or a tensor and a leaf), without
        # their chain of isinstance tests: most calls of overload matching are of this kind.
        return (sub_class is sup_class or sup_class is AnyType
                or (sup_class is NumberType and sub_class in _SCALAR_MEMBER_CLASSES))
    if sup_class is TensorType and sub_class in _LEAF_CLASSES:
        return False
    if sub == sup:
        return True
    if isinstance(sup, AnyType):
        return True
    if isinstance(sub, (UnionType, OptionalType)) and not isinstance(sup, (UnionType, OptionalType)):
        # A union fits a non-union type only if every member does.
        members = sub.members if isinstance(sub, UnionType) else (sub.element, NoneType())
        return all(is_subtype(m, sup) for m in members)
    if isinstance(sub, TensorType) and isinstance(sup, TensorType):
        return sup.is_plain() or _tensor_refines(sub, sup)
    if isinstance(sup, OptionalType):
        if isinstance(sub, NoneType):
            return True
        if isinstance(sub, OptionalType):
            return is_subtype(sub.element, sup.element)
        if isinstance(sub, UnionType):
            return all(is_subtype(m, sup) for m in sub.members)
        return is_subtype(sub, sup.element)
    if isinstance(sup, UnionType):
        if isinstance(sub, (UnionType, OptionalType)):
            members = sub.members if isinstance(sub, UnionType) else (sub.element, NoneType())
            return all(is_subtype(m, sup) for m in members)
        return any(is_subtype(sub, m) for m in sup.members)
    if isinstance(sup, NumberType):
        return isinstance(sub, (IntType, FloatType, ComplexType, SymIntType, SymFloatType))
    if isinstance(sup, AnyListType):
        return isinstance(sub, ListType)
    if isinstance(sup, AnyTupleType):
        return isinstance(sub, TupleType)
    if isinstance(sup, AnyClassType):
        return isinstance(sub, ClassType)
    if isinstance(sup, AnyEnumType):
        return isinstance(sub, EnumType)
    if isinstance(sub, ListType) and isinstance(sup, ListType):
        # Lists are invariant, except that refined tensors unshape.
        return unshaped(sub.element) == unshaped(sup.element)
    if isinstance(sub, DictType) and isinstance(sup, DictType):
        return unshaped(sub.key) == unshaped(sup.key) and unshaped(sub.value) == unshaped(sup.value)
    if isinstance(sub, TupleType) and isinstance(sup, TupleType):
        if len(sub.elements) != len(sup.elements):
            return False
        if sup.name is not None and sub.name != sup.name:
            # A named tuple is a subtype of a plain tuple, not of another named tuple.
            return False
        return all(is_subtype(a, b) for a, b in zip(sub.elements, sup.elements, strict=False))
    if isinstance(sub, (FutureType, AwaitType, RRefType)) and type(sub) is type(sup):
        return is_subtype(sub.element, sup.element)
    if isinstance(sub, ClassType) and isinstance(sup, ClassType):
        return sub.name == sup.name
    if isinstance(sub, (ClassType, InterfaceType)) and isinstance(sup, InterfaceType):
        # Structural: needs the methods, which the compilation unit knows.
        checker = INTERFACE_CHECKER.get()
        return checker is not None and checker(sub, sup)
    return False


def _tensor_refines(sub: TensorType, sup: TensorType) -> bool:
    for name in ("scalar_type", "sizes", "strides", "requires_grad_", "device", "undefined"):
        want = getattr(sup, name)
        if want is not None and getattr(sub, name) != want:
            return False
    return True


def unshaped(t: JitType) -> JitType:
    """torch: unshapedType — every refined tensor becomes plain ``Tensor``."""
    if isinstance(t, TensorType):
        return _PLAIN_TENSOR
    contained = t.contained_types()
    if not contained:
        return t
    return t.with_contained([unshaped(c) for c in contained])


def unify_types(t1: JitType, t2: JitType, default_to_union: bool = False,
                type_hint: JitType | None = None) -> JitType | None:
    """torch: unifyTypes. The least type both fit, or ``None``."""
    unified = _unify_impl(t1, t2, default_to_union, type_hint)
    if unified is None and default_to_union:
        return make_union([t1, t2])
    return unified


def _unify_impl(t1: JitType, t2: JitType, default_to_union: bool, type_hint: JitType | None) -> JitType | None:
    if is_subtype(t1, t2):
        return t2
    if is_subtype(t2, t1):
        return t1
    if isinstance(t1, TensorType) and isinstance(t2, TensorType):
        return _merge_tensors(t1, t2)
    if isinstance(t1, NoneType) and not isinstance(t2, NoneType):
        return OptionalType(t2)
    if isinstance(t2, NoneType) and not isinstance(t1, NoneType):
        return OptionalType(t1)
    if isinstance(t1, OptionalType):
        elem = unify_types(t1.element, t2)
        if elem is not None:
            return OptionalType(elem)
    elif isinstance(t2, OptionalType):
        elem = unify_types(t2.element, t1)
        if elem is not None:
            return OptionalType(elem)
    if isinstance(t1, TupleType) and isinstance(t2, TupleType):
        if len(t1.elements) != len(t2.elements):
            return None
        elems = []
        for a, b in zip(t1.elements, t2.elements, strict=False):
            u = unify_types(a, b, default_to_union)
            if u is None:
                return None
            elems.append(u)
        return TupleType(tuple(elems))
    if isinstance(t1, FutureType) and isinstance(t2, FutureType):
        elem = unify_types(t1.element, t2.element)
        return FutureType(elem) if elem is not None else None
    u1, u2 = unshaped(t1), unshaped(t2)
    if is_subtype(u1, u2):
        return u2
    if is_subtype(u2, u1):
        return u1
    if type_hint is not None and is_subtype(t1, type_hint) and is_subtype(t2, type_hint):
        return type_hint
    return None


def _merge_tensors(a: TensorType, b: TensorType) -> TensorType:
    def same(x, y):
        return x if x == y else None

    return TensorType(
        same(a.scalar_type, b.scalar_type),
        same(a.sizes, b.sizes),
        same(a.strides, b.strides),
        same(a.requires_grad_, b.requires_grad_),
        same(a.device, b.device),
        same(a.undefined, b.undefined),
    )


#: ``(class_or_interface, interface) -> bool``, installed by the frontend while it
#: compiles (torch: ClassType::isSubtypeOfExt against an InterfaceType).
INTERFACE_CHECKER: contextvars.ContextVar = contextvars.ContextVar("pyjit_interface_checker", default=None)

# Shorthands the rest of the core uses.
Tensor = _PLAIN_TENSOR
Int = IntType()
Float = FloatType()
Bool = BoolType()
Str = StringType()
NoneT = NoneType()
Any_ = AnyType()
Number = NumberType()
Complex = ComplexType()
Device = DeviceObjType()
