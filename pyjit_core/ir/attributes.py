"""Node attributes and IValue-like constants, and how torch prints them.

torch: AttributeKind (ir/attributes.h), IValue::repr (ivalue.cpp). Every
attribute prints through torch's ``IValue::repr`` rules, so a float prints
``3.`` or ``0.10000000000000001``, a string is quoted with
``c10::printQuotedString``, a 1-tuple as ``(1,)``.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any


class AttributeKind(enum.Enum):
    """torch: AttributeKind. The value names are torch's spellings."""

    f = "f"
    fs = "fs"
    c = "c"
    cs = "cs"
    i = "i"
    is_ = "is"
    s = "s"
    ss = "ss"
    t = "t"
    ts = "ts"
    g = "g"
    gs = "gs"
    ty = "ty"
    tys = "tys"
    ival = "ival"


@dataclass(frozen=True, slots=True)
class Device:
    """A ``torch.device`` constant; prints unquoted inside IValues (``cpu``)."""

    spec: str

    def __str__(self) -> str:
        return self.spec


@dataclass(frozen=True, slots=True)
class EnumValue:
    """An enum member constant: ``__torch__.Color.RED`` with its value."""

    qualified_class: str
    name: str
    value: Any

    def __str__(self) -> str:
        return f"{self.qualified_class}.{self.name}"


@dataclass(frozen=True, slots=True)
class TensorConstant:
    """A tensor attribute. pyjit never holds tensor data, only torch's
    rendering of it (``{1}``, ``<Tensor>``), which is what prints."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class OpaqueGraph:
    """A graph attribute whose body is not known (printed ``<Graph>``)."""


@dataclass(frozen=True, slots=True)
class RawIValue:
    """An IValue pyjit only knows by its printed text (objects, annotated
    empty containers from torch's printer). Printed verbatim."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Attribute:
    kind: AttributeKind
    value: Any


# Attribute(kind, value) with the slots set directly: a frozen dataclass's
# __init__ goes through object.__setattr__, and nodes set thousands.
_new_attribute = object.__new__
_set_attribute_kind = vars(Attribute)["kind"].__set__
_set_attribute_value = vars(Attribute)["value"].__set__


def make_attribute(kind: AttributeKind, value: Any) -> Attribute:
    """``Attribute(kind, value)``, faster."""
    attribute = _new_attribute(Attribute)
    _set_attribute_kind(attribute, kind)
    _set_attribute_value(attribute, value)
    return attribute


# --- printing ----------------------------------------------------------------


def format_double(d: float) -> str:
    """torch: IValue::repr for doubles (``3.``, ``-0.``, ``1e+20``, ``nan``)."""
    if math.isnan(d):
        return "-nan" if math.copysign(1.0, d) < 0 else "nan"
    if math.isinf(d):
        return "inf" if d > 0 else "-inf"
    # FP_NORMAL or FP_ZERO (not subnormal), small enough to be an int64.
    if (d == 0.0 or abs(d) >= 2.2250738585072014e-308) and abs(d) < 1e10:
        i = int(d)
        if float(i) == d:
            if i == 0 and math.copysign(1.0, d) < 0:
                return "-0."
            return f"{i}."
    return _cxx_g17(d)


def _cxx_g17(d: float) -> str:
    # C++ `out << setprecision(17) << d` is printf("%.17g"); Python's %-format
    # follows C here, including the exponent's sign and two-digit minimum.
    return f"{d:.17g}"


def format_complex(z: complex) -> str:
    """torch: printComplex (``0.+2.j``, ``0.+1000000000000000.j``).

    The parts go through ``operator<<(IValue)``, not ``IValue::repr``: an
    integral part prints ``N.`` at any magnitude that fits an int64 and a
    negative zero prints ``0.``. The sign is ``+`` when ``imag >= 0`` (so a
    NaN imaginary part gets ``-``, as in the C++).
    """
    sign = "+" if z.imag >= 0 else "-"
    return f"{stream_double(z.real)}{sign}{stream_double(abs(z.imag))}j"


def stream_double(d: float) -> str:
    """torch: ``operator<<(ostream&, const IValue&)`` for a double."""
    # FP_NORMAL or FP_ZERO, and int64_t(d) == d; out-of-range conversions
    # yield INT64_MIN on x86, which only ever equals -2**63 itself.
    if (d == 0.0 or abs(d) >= 2.2250738585072014e-308) and not math.isinf(d) and -(2**63) <= d < 2**63:
        i = int(d)
        if float(i) == d:
            return f"{i}."
    if math.isnan(d):
        return "-nan" if math.copysign(1.0, d) < 0 else "nan"
    if math.isinf(d):
        return "inf" if d > 0 else "-inf"
    return _cxx_g17(d)


def quote_string(text: str) -> str:
    """torch: c10::printQuotedString, byte for byte.

    Non-printable bytes (including every byte of a non-ASCII character) are
    written as a three-digit escape computed on a *signed* char, as the C++
    does -- so ``é`` (C3 A9) prints as ``\\0)+\\/.)``.
    """
    out = ['"']
    for byte in text.encode("utf-8", "surrogatepass"):
        ch = chr(byte)
        escaped = _SIMPLE_ESCAPES.get(ch)
        if escaped is not None:
            out.append(escaped)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            s = byte - 256 if byte >= 128 else byte  # signed char
            digits = [0, 0, 0]
            digits[2] = _c_mod(s, 8)
            s = _c_div(s, 8)
            digits[1] = _c_mod(s, 8)
            s = _c_div(s, 8)
            digits[0] = s
            out.append("\\" + "".join(chr(ord("0") + d) for d in digits))
    out.append('"')
    return "".join(out)


def unquote_string(body: str) -> str:
    """Inverse of :func:`quote_string` for the body between the quotes."""
    raw = bytearray()
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch != "\\":
            raw.extend(ch.encode("utf-8"))
            i += 1
            continue
        if i + 1 >= n:
            raise ValueError("dangling backslash in string literal")
        nxt = body[i + 1]
        simple = _SIMPLE_UNESCAPES.get(nxt)
        if simple is not None:
            raw.append(simple)
            i += 2
            continue
        if i + 4 <= n:
            d0, d1, d2 = (ord(c) - ord("0") for c in body[i + 1 : i + 4])
            # Undo the signed-char arithmetic of quote_string.
            value = d0 * 64 + d1 * 8 + d2
            raw.append(value & 0xFF)
            i += 4
            continue
        raise ValueError(f"bad escape {body[i:i + 2]!r} in string literal")
    return raw.decode("utf-8", "surrogateescape")


def _c_mod(a: int, b: int) -> int:
    return int(math.fmod(a, b))


def _c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


_SIMPLE_ESCAPES = {
    "\\": "\\\\", "'": "\\'", '"': '\\"', "\a": "\\a", "\b": "\\b",
    "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
}
_SIMPLE_UNESCAPES = {
    "\\": 0x5C, "'": 0x27, '"': 0x22, "a": 0x07, "b": 0x08,
    "f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B,
}


def format_ivalue(value: Any) -> str:
    """torch: IValue::repr, for the values pyjit constants can hold."""
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_double(value)
    if isinstance(value, complex):
        return format_complex(value)
    if isinstance(value, str):
        return quote_string(value)
    if isinstance(value, tuple):
        inner = ", ".join(format_ivalue(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(format_ivalue(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{format_ivalue(k)}: {format_ivalue(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Device):
        # IValue::repr, unlike operator<<, writes a device as Python would.
        return f"torch.device({quote_string(value.spec)})"
    if isinstance(value, (EnumValue, TensorConstant, RawIValue)):
        return str(value)
    raise TypeError(f"cannot print {type(value).__name__} as an IValue")


def format_attribute(attribute: Attribute) -> str:
    """torch: Node::printAttrValue."""
    kind, value = attribute.kind, attribute.value
    if kind is AttributeKind.i:
        return str(int(value))
    if kind is AttributeKind.f:
        return format_double(value)
    if kind is AttributeKind.c:
        return format_complex(value)
    if kind is AttributeKind.s:
        return quote_string(value)
    if kind in _LIST_ANNOTATIONS:
        if not value:
            # torch: printMaybeAnnotatedList spells out an empty list's type.
            return f"annotate({_LIST_ANNOTATIONS[kind]}, [])"
        return format_ivalue(list(value))
    if kind is AttributeKind.t:
        return str(value)
    if kind is AttributeKind.ts:
        return "[<Tensors>]"
    if kind is AttributeKind.g:
        return "<Graph>"
    if kind is AttributeKind.gs:
        return "[<Graphs>]"
    if kind is AttributeKind.ty:
        return str(value)
    if kind is AttributeKind.tys:
        return "[" + ", ".join(str(t) for t in value) + "]"
    if kind is AttributeKind.ival:
        return format_ivalue(value)
    raise AssertionError(kind)


_LIST_ANNOTATIONS = {
    AttributeKind.is_: "List[int]",
    AttributeKind.fs: "List[float]",
    AttributeKind.ss: "List[str]",
    AttributeKind.cs: "List[complex]",
}
