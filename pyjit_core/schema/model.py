"""Operator schemas: ``aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor``.

torch: c10::FunctionSchema, c10::Argument, c10::AliasInfo
(aten/src/ATen/core/function_schema.h, alias_info.h). All three are frozen
values; ``str()`` prints exactly what torch's ``str(schema)`` prints (see
:mod:`pyjit_core.schema.printer`).

Default values are plain Python values a compiler can use directly:
``None``, ``bool``, ``int``, ``float``, ``complex``, ``str``, tuples for
lists (``int[2] stride=1`` holds ``(1, 1)``), and :class:`DeviceLiteral`
for a ``Device`` default. Enum-like spellings (``strided``, ``long``,
``contiguous_format``, ``Mean``) hold the integer torch stores for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pyjit_core.ir import types as T
from pyjit_core.schema.printer import format_alias_info, format_argument, format_schema


class _NoDefault:
    """The absence of a default (``None`` is a real default value)."""

    __slots__ = ()
    _instance: _NoDefault | None = None

    def __new__(cls) -> _NoDefault:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_DEFAULT"

    def __reduce__(self):
        return (_NoDefault, ())


#: Marks an argument without a default value.
NO_DEFAULT: Final = _NoDefault()

#: The alias set that may alias anything: ``Tensor(a -> *)``. torch: AliasInfo::wildcardSet.
WILDCARD_SET: Final = "*"


@dataclass(frozen=True, slots=True)
class DeviceLiteral:
    """A ``Device`` argument's default, as torch's c10::Device prints it (``cpu``, ``cuda:1``)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True, eq=False)
class AliasInfo:
    """Which alias sets a value is in before and after the op, and whether the op writes it.

    torch: c10::AliasInfo. Set names are unqualified (``a``, ``*``). torch keeps
    them in hash sets; pyjit keeps the order they were written in, so that a
    schema printed by torch re-prints identically, and compares them as sets.

    ``contained_types`` describes the elements of a container:
    ``Tensor(a!)[]`` is a list (no sets of its own) whose elements are in ``a``.
    """

    before_sets: tuple[str, ...] = ()
    after_sets: tuple[str, ...] = ()
    is_write: bool = False
    contained_types: tuple[AliasInfo, ...] = ()

    def __eq__(self, other: object) -> bool:
        # torch: operator==(AliasInfo, AliasInfo) compares the sets, not their order.
        if not isinstance(other, AliasInfo):
            return NotImplemented
        return (
            self.is_write == other.is_write
            and frozenset(self.before_sets) == frozenset(other.before_sets)
            and frozenset(self.after_sets) == frozenset(other.after_sets)
            and self.contained_types == other.contained_types
        )

    def __hash__(self) -> int:
        return hash((self.is_write, frozenset(self.before_sets), frozenset(self.after_sets), self.contained_types))

    def is_wildcard_before(self) -> bool:
        """torch: AliasInfo::isWildcardBefore."""
        return WILDCARD_SET in self.before_sets

    def is_wildcard_after(self) -> bool:
        """torch: AliasInfo::isWildcardAfter."""
        return WILDCARD_SET in self.after_sets

    def __str__(self) -> str:
        return format_alias_info(self)


#: Types written in a schema that TorchScript checks as ``int`` (torch's
#: "fake" type). The printer keeps the written ("real") spelling. SymBool is
#: not among them: torch keeps it as its own type.
_FAKE_LEAVES: Final[dict[type[T.JitType], T.JitType]] = {
    T.ScalarTypeType: T.IntType(),
    T.LayoutType: T.IntType(),
    T.MemoryFormatType: T.IntType(),
    T.SymIntType: T.IntType(),
}


def fake_type(real: T.JitType) -> T.JitType:
    """The type TorchScript checks values against for a written schema type.

    ``SymInt[]`` becomes ``int[]``, ``ScalarType?`` becomes ``int?``; every
    other type (``SymBool`` included) is its own fake type. torch: SchemaTypeParser::parseFakeAndRealType.
    """
    if isinstance(real, T.ListType):
        return T.ListType(fake_type(real.element))
    if isinstance(real, T.OptionalType):
        return T.OptionalType(fake_type(real.element))
    return _FAKE_LEAVES.get(type(real), real)


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument or return of a schema. torch: c10::Argument.

    ``type`` is what TorchScript checks values against (torch's ``type()``);
    ``real_type`` is the spelling in the schema (``SymInt``, ``Layout``,
    ``ScalarType``) and defaults to ``type``. ``N`` is the fixed size of a list
    written ``int[2]``. ``default_value`` is :data:`NO_DEFAULT` when absent.
    Returns have no defaults and may have an empty name.
    """

    name: str
    type: T.JitType
    real_type: T.JitType | None = None
    N: int | None = None
    default_value: object = NO_DEFAULT
    kwarg_only: bool = False
    alias_info: AliasInfo | None = None

    def __post_init__(self) -> None:
        if self.real_type is None:
            object.__setattr__(self, "real_type", self.type)

    @property
    def has_default_value(self) -> bool:
        return self.default_value is not NO_DEFAULT

    def is_write(self) -> bool:
        """Whether the op writes this argument in place (``Tensor(a!)``)."""
        return self.alias_info is not None and self.alias_info.is_write

    def is_out(self) -> bool:
        """torch: Argument::is_out -- a keyword-only argument the op writes to."""
        return self.kwarg_only and self.is_write()

    def __str__(self) -> str:
        return format_argument(self)


@dataclass(frozen=True, slots=True)
class FunctionSchema:
    """An operator overload's signature. torch: c10::FunctionSchema.

    ``name`` is qualified (``aten::add``); ``overload_name`` is the part after
    the dot (``Tensor``), empty for the default overload. ``is_vararg`` and
    ``is_varret`` mark a trailing ``...`` in the arguments or returns.
    """

    name: str
    overload_name: str
    arguments: tuple[Argument, ...]
    returns: tuple[Argument, ...]
    is_vararg: bool = False
    is_varret: bool = False

    @property
    def namespace(self) -> str:
        """``aten`` for ``aten::add``; empty for an unqualified name."""
        namespace, sep, _ = self.name.partition("::")
        return namespace if sep else ""

    @property
    def operator_name(self) -> str:
        """``aten::add.Tensor``: the name and overload, as torch's OperatorName prints."""
        return f"{self.name}.{self.overload_name}" if self.overload_name else self.name

    def argument_index_with_name(self, name: str) -> int | None:
        """torch: FunctionSchema::argumentIndexWithName."""
        for index, argument in enumerate(self.arguments):
            if argument.name == name:
                return index
        return None

    def is_mutable(self) -> bool:
        """Whether any argument is written in place. torch: FunctionSchema::is_mutable."""
        return any(argument.is_write() for argument in self.arguments)

    def __str__(self) -> str:
        return format_schema(self)


__all__ = [
    "NO_DEFAULT",
    "WILDCARD_SET",
    "AliasInfo",
    "Argument",
    "DeviceLiteral",
    "FunctionSchema",
    "fake_type",
]
