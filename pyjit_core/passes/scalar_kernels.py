"""Run scalar TorchScript operators on Python constants, with torch's C++ results.

torch: the kernels constant propagation calls through ``Node::getOperation``
(torch/csrc/jit/runtime/register_prim_ops.cpp, register_ops_utils.h,
register_string_ops.cpp). Only operators over immutable values are here
(ints, floats, bools, strings, complex, None, devices, enums, and tuples of
those), since those are the only ones ``ConstantPropagationImmutableTypes``
folds. Where C++ and Python disagree, C++ wins:

* ``int`` arithmetic wraps at 64 bits; shifts take the count modulo 64 (x86);
* floats never raise: ``1.0 / 0.0`` is ``inf``, ``0.0 / 0.0`` and invalid
  operations (``sqrt(-1.0)``, ``fmod(x, 0.0)``) are x86's default NaN,
  which has its sign bit set and prints ``-nan``; glibc's own domain errors
  (``log(-1.0)``, ``acos(2.0)``) give a positive ``nan``;
* ``int(float)`` of an out-of-range float is ``INT64_MIN``, x86's
  "integer indefinite";
* ``str(float)`` prints an integral float below 2**63 as ``<int>.``
  (``str(-0.0)`` is ``"0."``), anything else with 17 significant digits.

An operator that raises in torch (``7 // 0``, ``int("x")``, ``ord("ab")``)
raises :class:`EvaluationError` here, and is then not folded. Operators
that are not implemented are not folded either (:func:`evaluate` returns
None) -- never guessed.
"""

from __future__ import annotations

import math
import platform
import re
import struct
import sys
from collections.abc import Callable
from typing import Any

from pyjit_core.exceptions import PyjitError
from pyjit_core.ir import types as T
from pyjit_core.ir.attributes import Device, EnumValue, stream_double
from pyjit_core.ir.constants import constant_type
from pyjit_core.ir.graph import Node
from pyjit_core.ir.symbols import aten, kinds, prim

from .node_schema import node_schema

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1


class EvaluationError(PyjitError):
    """The operator raises in torch for these inputs."""


def wrap64(x: int) -> int:
    """Two's-complement int64 wrap-around."""
    return ((x - INT64_MIN) & 0xFFFFFFFFFFFFFFFF) + INT64_MIN


def _neg_nan() -> float:
    return struct.unpack("<d", struct.pack("<Q", 0xFFF8000000000000))[0]


#: x86's default NaN, produced by invalid SSE operations ("-nan").
DEFAULT_NAN = _neg_nan()
#: glibc's NaN for its own domain errors ("nan").
POS_NAN = float("nan")


# --- the C math library ----------------------------------------------------------------------

def _load_libm() -> Any:
    """glibc's libm, whose results torch's kernels return bit for bit.
    Python's own ``math.gamma``/``lgamma`` differ from it in the last digit."""
    try:
        # Imported here, inside the try: ctypes is optional in a Python build
        # (without it nothing is folded through libm).
        import ctypes

        lib = None
        if sys.platform.startswith("linux"):
            # glibc's soname, which find_library("m") answers there after running `ldconfig -p`
            # in a subprocess (~10 ms of every start).
            try:
                lib = ctypes.CDLL("libm.so.6")
            except OSError:
                lib = None
        if lib is None:
            import ctypes.util

            name = ctypes.util.find_library("m")
            if name is None:
                return None
            lib = ctypes.CDLL(name)
        for fn in ("tgamma", "lgamma", "erf", "erfc", "exp", "expm1", "log", "log10", "log1p", "sin", "cos",
                   "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sqrt",
                   "pow", "fmod", "remainder", "atan2"):
            f = getattr(lib, fn)
            f.restype = ctypes.c_double
            f.argtypes = [ctypes.c_double] * (2 if fn in ("pow", "fmod", "remainder", "atan2") else 1)
        return lib
    except (OSError, AttributeError, ImportError):  # pragma: no cover - no libm on this platform
        return None


LIBM = _load_libm()


def libm1(name: str, fallback: Callable[[float], float], domain_nan: float | None = None) -> Callable[[Any], float]:
    """A one-argument <cmath> function: libm when available, else Python's
    ``math`` with C's conventions (NaN on domain errors, inf on poles).

    The sign of the NaN a domain error gives is torch's (``domain_nan``):
    torch's build and this machine's libm do not always agree on it.
    """
    if LIBM is None:
        return fallback
    f = getattr(LIBM, name)

    def run(x: Any) -> float:
        x = float(x)
        r = f(x)
        if domain_nan is not None and math.isnan(r) and not math.isnan(x):
            return domain_nan
        return r

    return run


# --- C semantics for doubles ----------------------------------------------------------------


def c_div(a: float, b: float) -> float:
    """IEEE division: never raises."""
    a, b = float(a), float(b)
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return DEFAULT_NAN if not math.isnan(a) else a
        sign = math.copysign(1.0, a) * math.copysign(1.0, b)
        return math.inf * sign
    return a / b


def c_fmod(a: float, b: float) -> float:
    a, b = float(a), float(b)
    if b == 0.0 or math.isinf(a):
        return DEFAULT_NAN
    if math.isnan(a) or math.isnan(b):
        return a if math.isnan(a) else b
    return math.fmod(a, b)


def c_mul(a: float, b: float) -> float:
    a, b = float(a), float(b)
    if (math.isinf(a) and b == 0.0) or (math.isinf(b) and a == 0.0):
        return DEFAULT_NAN
    return a * b


def c_add(a: float, b: float) -> float:
    a, b = float(a), float(b)
    if math.isinf(a) and math.isinf(b) and a != b:
        return DEFAULT_NAN
    return a + b


def c_sub(a: float, b: float) -> float:
    return c_add(a, -float(b))


def c_floor(x: float) -> float:
    """std::floor: keeps -0.0 and non-finite values."""
    if not math.isfinite(x):
        return x
    r = float(math.floor(x))
    return math.copysign(r, x) if r == 0.0 else r


def c_pow(a: float, b: float) -> float:
    """std::pow(double, double)."""
    a, b = float(a), float(b)
    try:
        r = math.pow(a, b)
    except ZeroDivisionError:
        # pow(+-0, negative) is +-inf (odd integer exponent keeps the sign).
        odd = b == math.floor(b) and math.fmod(b, 2.0) != 0.0
        return math.copysign(math.inf, a) if odd else math.inf
    except ValueError:
        return DEFAULT_NAN
    except OverflowError:
        odd = b == math.floor(b) and math.fmod(b, 2.0) != 0.0
        return -math.inf if (a < 0 and odd) else math.inf
    return r


def float_to_int64(x: float) -> int:
    """``static_cast<int64_t>(double)`` on x86: truncation; NaN and
    out-of-range give INT64_MIN."""
    if math.isnan(x) or math.isinf(x):
        return INT64_MIN
    i = int(x)
    if i < INT64_MIN or i > INT64_MAX:
        return INT64_MIN
    return i


def _math1(fn: Callable[[float], float], domain_nan: float = POS_NAN,
           pole: Callable[[float], float | None] | None = None,
           odd: bool = False) -> Callable[[Any], float]:
    """A <cmath> function: NaN on domain errors, +-inf on poles, and on
    overflow +inf (with the argument's sign for an ``odd`` function)."""

    def run(x: Any) -> float:
        x = float(x)
        if math.isnan(x):
            return x
        try:
            return fn(x)
        except ValueError:
            if pole is not None:
                got = pole(x)
                if got is not None:
                    return got
            return domain_nan
        except OverflowError:
            return math.copysign(math.inf, x) if odd else math.inf

    return run


def str_of(value: Any) -> str:
    """``std::stringstream << IValue``, as ``aten::str`` prints."""
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return stream_double(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Device):
        return value.spec
    raise EvaluationError(f"str() of {type(value).__name__} is not modelled")


# --- the operator table ------------------------------------------------------------------------

Op = Callable[..., tuple]
OPS: dict[str, Op] = {}


def _op(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a single-result kernel under each operator name."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for name in names:
            OPS[name] = lambda *args, _fn=fn: (_fn(*args),)
        return fn

    return register


def _op_multi(*names: str) -> Callable[[Op], Op]:
    def register(fn: Op) -> Op:
        for name in names:
            OPS[name] = fn
        return fn

    return register


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


# Arithmetic. Scalar overloads dispatch on the runtime values: two ints use
# the int kernel, anything else the float one.

def _add(a: Any, b: Any) -> Any:
    if isinstance(a, complex) or isinstance(b, complex):
        return _complex_add(a, b)
    return wrap64(a + b) if _is_int(a) and _is_int(b) else c_add(a, b)


def _sub(a: Any, b: Any) -> Any:
    if isinstance(a, complex) or isinstance(b, complex):
        return _complex_sub(a, b)
    return wrap64(a - b) if _is_int(a) and _is_int(b) else c_sub(a, b)


def _mul(a: Any, b: Any) -> Any:
    if isinstance(a, complex) or isinstance(b, complex):
        return _complex_mul(a, b)
    return wrap64(a * b) if _is_int(a) and _is_int(b) else c_mul(a, b)


for _suffix in ("int", "float", "int_float", "float_int", ""):
    _name = "" if not _suffix else "." + _suffix
    _op(f"aten::add{_name}")(_add)
    _op(f"aten::sub{_name}")(_sub)
    _op(f"aten::mul{_name}")(_mul)


@_op("aten::add.str")
def _add_str(a: str, b: str) -> str:
    return a + b


@_op("aten::div.int", "aten::div.float", "aten::div")
def _div(a: Any, b: Any) -> float:
    return c_div(a, b)


def _int_floordiv(a: int, b: int) -> int:
    if b == 0:
        raise EvaluationError("division by 0")
    if a == INT64_MIN and b == -1:
        raise EvaluationError("int64 overflow")
    return a // b


@_op("aten::floordiv.int")
def _floordiv_int(a: int, b: int) -> int:
    return _int_floordiv(a, b)


@_op("aten::floordiv.float", "aten::floordiv.int_float", "aten::floordiv.float_int")
def _floordiv_float(a: Any, b: Any) -> float:
    return c_floor(c_div(a, b))


@_op("aten::floordiv")
def _floordiv_scalar(a: Any, b: Any) -> Any:
    return _int_floordiv(a, b) if _is_int(a) and _is_int(b) else c_floor(c_div(a, b))


def _int_remainder(a: int, b: int) -> int:
    # torch computes (b + a % b) % b with C++'s truncating %; a zero divisor
    # traps in torch itself, so it is never folded here.
    if b == 0:
        raise EvaluationError("integer remainder by zero")
    if a == INT64_MIN and b == -1:
        raise EvaluationError("int64 overflow")
    r = int(math.fmod(a, b)) if abs(a) < 2 ** 53 and abs(b) < 2 ** 53 else _c_int_mod(a, b)
    return _c_int_mod(wrap64(b + r), b)


def _c_int_mod(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        q = -q
    return a - q * b


def _float_remainder(a: Any, b: Any) -> float:
    return c_fmod(c_add(b, c_fmod(a, b)), b)


@_op("aten::remainder.int")
def _remainder_int(a: int, b: int) -> int:
    return _int_remainder(a, b)


@_op("aten::remainder.float", "aten::remainder.int_float", "aten::remainder.float_int")
def _remainder_float(a: Any, b: Any) -> float:
    return _float_remainder(a, b)


@_op("aten::remainder")
def _remainder_scalar(a: Any, b: Any) -> Any:
    return _int_remainder(a, b) if _is_int(a) and _is_int(b) else _float_remainder(a, b)


@_op("aten::fmod.int", "aten::fmod.float", "aten::fmod.int_float", "aten::fmod.float_int", "aten::fmod")
def _fmod(a: Any, b: Any) -> float:
    return c_fmod(a, b)


@_op("aten::pow.int", "aten::pow.float", "aten::pow.int_float", "aten::pow.float_int", "aten::pow.Scalar_Scalar")
def _pow(a: Any, b: Any) -> float:
    if a == 0 and b < 0:
        raise EvaluationError("0.0 cannot be raised to a negative power")
    if LIBM is not None:
        return LIBM.pow(float(a), float(b))
    return c_pow(a, b)


@_op("aten::pow.int_to_int")
def _pow_int_to_int(a: int, b: int) -> int:
    if b < 0:
        raise EvaluationError("Integers to negative integer powers are not allowed")
    return wrap64(pow(a, b, 1 << 64))


@_op("aten::neg.int")
def _neg_int(a: int) -> int:
    return wrap64(-a)


@_op("aten::neg.float")
def _neg_float(a: float) -> float:
    return -a


@_op("aten::neg.Scalar")
def _neg_scalar(a: Any) -> Any:
    return wrap64(-a) if _is_int(a) else -float(a)


@_op("prim::abs.int")
def _abs_int(a: int) -> int:
    return wrap64(abs(a))


@_op("prim::abs.float")
def _abs_float(a: float) -> float:
    return math.fabs(a)


@_op("prim::abs.Scalar")
def _abs_scalar(a: Any) -> Any:
    return wrap64(abs(a)) if _is_int(a) else math.fabs(a)


@_op("prim::min.int", "prim::min.float", "prim::min.int_float", "prim::min.float_int", "prim::min")
def _min(a: Any, b: Any) -> Any:
    x, y = _promote(a, b)
    return x if x < y else y


@_op("prim::max.int", "prim::max.float", "prim::max.int_float", "prim::max.float_int", "prim::max")
def _max(a: Any, b: Any) -> Any:
    x, y = _promote(a, b)
    return x if x > y else y


# Comparisons. C++ compares an int with a double as doubles; NaN compares
# false except for !=.

def _promote(a: Any, b: Any) -> tuple[Any, Any]:
    if isinstance(a, float) != isinstance(b, float):
        return float(a), float(b)
    return a, b


def _comparison(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda a, b: test(*_promote(a, b))


def _scalar_comparison(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    """The ``(Scalar, Scalar)`` overloads handle ints and floats only."""

    def run(a: Any, b: Any) -> bool:
        if isinstance(a, complex) or isinstance(b, complex):
            raise EvaluationError("Scalar comparison of a complex number")
        return test(*_promote(a, b))

    return run


for _suffix in ("int", "float", "int_float", "float_int", "str", "bool", "device", "enum"):
    _op(f"aten::eq.{_suffix}")(_comparison(lambda a, b: a == b))
    _op(f"aten::ne.{_suffix}")(_comparison(lambda a, b: a != b))
for _suffix in ("int", "float", "int_float", "float_int", "str"):
    _op(f"aten::lt.{_suffix}")(_comparison(lambda a, b: a < b))
    _op(f"aten::le.{_suffix}")(_comparison(lambda a, b: a <= b))
    _op(f"aten::gt.{_suffix}")(_comparison(lambda a, b: a > b))
    _op(f"aten::ge.{_suffix}")(_comparison(lambda a, b: a >= b))
_op("aten::eq")(_scalar_comparison(lambda a, b: a == b))
_op("aten::ne")(_scalar_comparison(lambda a, b: a != b))
_op("aten::lt")(_scalar_comparison(lambda a, b: a < b))
_op("aten::le")(_scalar_comparison(lambda a, b: a <= b))
_op("aten::gt")(_scalar_comparison(lambda a, b: a > b))
_op("aten::ge")(_scalar_comparison(lambda a, b: a >= b))


def same_identity(a: Any, b: Any, same_constant: bool) -> bool:
    """torch: IValue::is -- equal tags and equal payload words. Scalars
    compare by value (doubles bit for bit), None is None; a string is a new
    object each time a constant is read, so it is never identical; a tuple
    constant is identical only to itself (``same_constant``)."""
    if a is None or b is None:
        return a is None and b is None
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, (bool, int, Device)):
        return a == b
    if isinstance(a, str):
        return False
    if isinstance(a, tuple):
        return same_constant
    raise EvaluationError("identity of this value is not modelled")


# Logic and bits.

@_op("aten::__not__")
def _not(a: bool) -> bool:
    return not a


@_op("aten::__and__.bool", "aten::__and__.int")
def _and(a: Any, b: Any) -> Any:
    return (a and b) if isinstance(a, bool) else wrap64(a & b)


@_op("aten::__or__.bool", "aten::__or__.int")
def _or(a: Any, b: Any) -> Any:
    return (a or b) if isinstance(a, bool) else wrap64(a | b)


@_op("aten::__xor__.bool", "aten::__xor__.int")
def _xor(a: Any, b: Any) -> Any:
    return (a != b) if isinstance(a, bool) else wrap64(a ^ b)


@_op("aten::__lshift__.int")
def _lshift(a: int, b: int) -> int:
    # C++ leaves counts outside [0, 64) undefined; x86 uses the low 6 bits.
    return wrap64(a << (b & 63))


@_op("aten::__rshift__.int")
def _rshift(a: int, b: int) -> int:
    return a >> (b & 63)


# Conversions.

@_op("aten::Int.bool", "aten::Int.float", "aten::Int.Scalar")
def _to_int(a: Any) -> int:
    if isinstance(a, complex):
        # A complex Scalar converts only without an imaginary part.
        if a.imag != 0.0:
            raise EvaluationError("Cannot convert complex with non-zero imaginary part to int")
        return float_to_int64(a.real)
    if isinstance(a, bool):
        return int(a)
    if _is_int(a):
        return a
    return float_to_int64(a)


_STOLL = re.compile(r"[ \t\n\v\f\r]*[+-]?[0-9]+")
_STOD = re.compile(
    r"[ \t\n\v\f\r]*[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?|nan)",
    re.IGNORECASE,
)


@_op("aten::Int.str")
def _int_from_str(s: str) -> int:
    """std::stoll, which must consume the whole string."""
    if not _STOLL.fullmatch(s):
        raise EvaluationError(f"invalid literal for int() with base 10: {s!r}")
    value = int(s.strip(" \t\n\v\f\r"), 10)
    if value < INT64_MIN or value > INT64_MAX:
        raise EvaluationError("stoll: out of range")
    return value


@_op("aten::Float.int", "aten::Float.bool", "aten::Float.Scalar")
def _to_float(a: Any) -> float:
    # A complex Scalar gives its real part.
    return a.real if isinstance(a, complex) else float(a)


@_op("aten::Float.str")
def _float_from_str(s: str) -> float:
    """std::stod, which must consume the whole string; out-of-range
    magnitudes (overflow and underflow) throw."""
    if not _STOD.fullmatch(s):
        raise EvaluationError(f"could not convert string to float: {s!r}")
    text = s.lstrip(" \t\n\v\f\r")
    value = float(text)
    body = text.lstrip("+-").lower()
    if not body.startswith(("inf", "nan")):
        if math.isinf(value) or (value == 0.0 and any(c in "123456789" for c in body.split("e")[0])):
            raise EvaluationError("stod: out of range")
        if value != 0.0 and abs(value) < 2.2250738585072014e-308:
            raise EvaluationError("stod: out of range")
    return value


@_op("aten::Bool.int", "aten::Bool.float")
def _to_bool(a: Any) -> bool:
    return bool(a)


@_op("aten::str")
def _str(a: Any) -> str:
    return str_of(a)


def _complex_part(x: Any) -> float:
    """How ``aten::Complex`` reads one argument: torch converts an int through
    a 32-bit ``int`` first (``Complex(2**62, 0)`` is ``0j``)."""
    if isinstance(x, bool):
        return float(x)
    if isinstance(x, int):
        return float(((x + (1 << 31)) & 0xFFFFFFFF) - (1 << 31))
    return float(x)


def _complex(a: Any, b: Any = 0.0) -> complex:
    return complex(_complex_part(a), _complex_part(b))


_op("aten::Complex.Scalar")(lambda a: a if isinstance(a, complex) else complex(float(a), 0.0))
for _x in ("int", "bool", "float"):
    for _y in ("int", "bool", "float"):
        _op(f"aten::Complex.{_x}_{_y}")(_complex)


# Rounding and math.

@_op("aten::floor.int", "aten::ceil.int")
def _floor_ceil_int(a: int) -> int:
    # Computed in double: INT64_MAX rounds to 2**63, which converts back to INT64_MIN.
    return float_to_int64(float(a))


def _checked_int(x: float) -> int:
    if not math.isfinite(x) or not (-(2.0 ** 63) <= x < 2.0 ** 63):
        raise EvaluationError("value cannot be converted to type int64_t without overflow")
    return int(x)


@_op("aten::floor.float")
def _floor_float(a: float) -> int:
    return _checked_int(math.floor(a) if math.isfinite(a) else a)


@_op("aten::ceil.float")
def _ceil_float(a: float) -> int:
    return _checked_int(math.ceil(a) if math.isfinite(a) else a)


@_op("aten::round.int")
def _round_int(a: int) -> float:
    return float(a)


@_op("aten::round.float")
def _round_float(a: float) -> float:
    """std::nearbyint: halves to even, keeping the sign (round(-0.5) is -0.)."""
    if not math.isfinite(a):
        return a
    return math.copysign(float(round(a)), a)


@_op("aten::isnan.float")
def _isnan(a: float) -> bool:
    return math.isnan(a)


@_op("aten::isinf.float")
def _isinf(a: float) -> bool:
    return math.isinf(a)


@_op("aten::isfinite.float")
def _isfinite(a: float) -> bool:
    return math.isfinite(a)


def _log_pole(x: float) -> float | None:
    return -math.inf if x == 0.0 else None


_UNARY_FLOAT: dict[str, Callable[[Any], float]] = {
    "sqrt": libm1("sqrt", _math1(math.sqrt, DEFAULT_NAN), DEFAULT_NAN),
    "exp": libm1("exp", _math1(math.exp)),
    "expm1": libm1("expm1", _math1(math.expm1)),
    "log": libm1("log", _math1(math.log, POS_NAN, _log_pole), POS_NAN),
    "log10": libm1("log10", _math1(math.log10, POS_NAN, _log_pole), POS_NAN),
    "log1p": libm1("log1p", _math1(math.log1p, DEFAULT_NAN, lambda x: -math.inf if x == -1.0 else None),
                   DEFAULT_NAN),
    "sin": libm1("sin", _math1(math.sin, DEFAULT_NAN), DEFAULT_NAN),
    "cos": libm1("cos", _math1(math.cos, DEFAULT_NAN), DEFAULT_NAN),
    "tan": libm1("tan", _math1(math.tan, DEFAULT_NAN), DEFAULT_NAN),
    "asin": libm1("asin", _math1(math.asin), POS_NAN),
    "acos": libm1("acos", _math1(math.acos), POS_NAN),
    "atan": libm1("atan", _math1(math.atan)),
    "sinh": libm1("sinh", _math1(math.sinh, odd=True)),
    "cosh": libm1("cosh", _math1(math.cosh)),
    "tanh": libm1("tanh", _math1(math.tanh)),
    "asinh": libm1("asinh", _math1(math.asinh)),
    "acosh": libm1("acosh", _math1(math.acosh, DEFAULT_NAN), DEFAULT_NAN),
    "atanh": libm1("atanh", _math1(math.atanh, DEFAULT_NAN,
                                   lambda x: math.copysign(math.inf, x) if abs(x) == 1.0 else None), DEFAULT_NAN),
    "erf": libm1("erf", _math1(math.erf)),
    "erfc": libm1("erfc", _math1(math.erfc)),
    "gamma": libm1("tgamma", _math1(math.gamma, POS_NAN, lambda x: math.copysign(math.inf, x) if x == 0 else None),
                   POS_NAN),
    "lgamma": libm1("lgamma", _math1(math.lgamma, POS_NAN, lambda x: math.inf)),
    "fabs": _math1(math.fabs),
    "degrees": _math1(math.degrees),
    "radians": _math1(math.radians),
}
for _fname, _fn in _UNARY_FLOAT.items():
    for _suffix in ("int", "float"):
        _op(f"aten::{_fname}.{_suffix}")(_fn)


@_op("aten::angle.int", "aten::angle.float")
def _angle(a: Any) -> float:
    """The argument of a real number as a complex one: pi for negatives and -0.0."""
    return math.atan2(0.0, float(a))


@_op("aten::atan2.int", "aten::atan2.float", "aten::atan2.int_float", "aten::atan2.float_int",
     "aten::atan2.Scalar_Scalar")
def _atan2(a: Any, b: Any) -> float:
    return math.atan2(float(a), float(b))


@_op("aten::copysign.int", "aten::copysign.float", "aten::copysign.int_float", "aten::copysign.float_int",
     "aten::copysign")
def _copysign(a: Any, b: Any) -> float:
    return math.copysign(float(a), float(b))


@_op("aten::log.int_int", "aten::log.float_float", "aten::log.int_float", "aten::log.float_int",
     "aten::log.Scalar_Scalar")
def _log_base(a: Any, b: Any) -> float:
    """``log(a) / log(b)``."""
    log = _UNARY_FLOAT["log"]
    return c_div(log(a), log(b))


@_op("aten::mathremainder.int", "aten::mathremainder.float", "aten::mathremainder.int_float",
     "aten::mathremainder.float_int", "aten::mathremainder")
def _math_remainder(a: Any, b: Any) -> float:
    """std::remainder: IEEE remainder, quotient rounded to even."""
    a, b = float(a), float(b)
    if LIBM is not None:
        return LIBM.remainder(a, b)
    if b == 0.0 or math.isinf(a):
        return DEFAULT_NAN
    return math.remainder(a, b)


@_op_multi("aten::modf")
def _modf(a: float) -> tuple:
    frac, whole = math.modf(a)
    return (frac, whole)


@_op_multi("aten::frexp")
def _frexp(a: float) -> tuple:
    mantissa, exponent = math.frexp(a)
    return (mantissa, exponent)


@_op("aten::ldexp")
def _ldexp(x: float, i: int) -> float:
    try:
        return math.ldexp(x, int32(i))  # std::ldexp(double, int)
    except OverflowError:
        return math.copysign(math.inf, x)


@_op("aten::gcd.int")
def _gcd(a: int, b: int) -> int:
    """Euclid with C++'s ``%``, then ``std::abs`` (so gcd(0, INT64_MIN) is
    INT64_MIN); ``INT64_MIN % -1`` traps in torch and is not folded."""
    while b != 0:
        if a == INT64_MIN and b == -1:
            raise EvaluationError("INT64_MIN % -1 traps")
        a, b = b, _c_int_mod(a, b)
    return wrap64(abs(a))


@_op("aten::factorial.int")
def _factorial(a: int) -> int:
    if a < 0:
        raise EvaluationError("factorial() not defined for negative values")
    if a > 10000:
        raise EvaluationError("factorial of a large int is not modelled (torch loops a times)")
    return wrap64(math.factorial(a))


def _float_divmod(a: Any, b: Any) -> tuple:
    a, b = float(a), float(b)
    if b == 0.0:
        raise EvaluationError("ZeroDivisionError: float divmod()")
    rem = c_fmod(a, b)
    if rem != 0.0 and (a < 0) != (b < 0):
        rem = c_add(rem, b)
    return (c_div(c_sub(a, rem), b), rem)


_op_multi("aten::divmod.float")(_float_divmod)


def int32(x: int) -> int:
    """C++ ``int``: two's complement wrap to 32 bits."""
    return ((x + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)


def float32(x: float) -> float:
    """C++ ``float``: round to single precision (one operation at a time,
    which double arithmetic then rounding reproduces exactly)."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _mixed_divmod(a: float, b: float) -> tuple:
    """The mixed overloads take C++ ``int`` and ``float`` (32-bit) operands,
    then compute as ``divmod.float`` in double. (Some signed-zero and
    overflow results still differ from torch's.)"""
    if b == 0:
        raise EvaluationError("ZeroDivisionError: float divmod()")
    rem = c_fmod(a, b)
    if rem != 0.0 and (a < 0) != (b < 0):
        rem = c_add(rem, b)
    return (c_div(c_sub(a, rem), b), rem)


_op_multi("aten::divmod.int_float")(lambda a, b: _mixed_divmod(float32(float(int32(a))), float32(b)))
_op_multi("aten::divmod.float_int")(lambda a, b: _mixed_divmod(float32(a), float32(float(int32(b)))))


@_op("aten::polar.int", "aten::polar.float", "aten::polar.int_float", "aten::polar.float_int",
     "aten::polar.Scalar_Scalar")
def _polar(r: Any, theta: Any) -> complex:
    r, theta = float(r), float(theta)
    cos, sin = _UNARY_FLOAT["cos"], _UNARY_FLOAT["sin"]
    return complex(c_mul(r, cos(theta)), c_mul(r, sin(theta)))


@_op_multi("aten::divmod.int")
def _divmod_int(a: int, b: int) -> tuple:
    if b == 0:
        raise EvaluationError("ZeroDivisionError: integer divmod by zero")
    return (_int_floordiv(a, b), a - _int_floordiv(a, b) * b)


# Complex numbers (c10::complex<double>). A real operand joins the complex
# one component-wise, as c10's mixed operators do.

def _as_complex(x: Any) -> complex:
    return x if isinstance(x, complex) else complex(float(x), 0.0)


def _complex_add(a: Any, b: Any) -> complex:
    if not isinstance(a, complex):
        return complex(c_add(a, b.real), b.imag)
    if not isinstance(b, complex):
        return complex(c_add(a.real, b), a.imag)
    return complex(c_add(a.real, b.real), c_add(a.imag, b.imag))


def _complex_sub(a: Any, b: Any) -> complex:
    if not isinstance(a, complex):
        return complex(c_sub(a, b.real), -b.imag)
    if not isinstance(b, complex):
        return complex(c_sub(a.real, b), a.imag)
    return complex(c_sub(a.real, b.real), c_sub(a.imag, b.imag))


def _complex_mul(a: Any, b: Any) -> complex:
    if not isinstance(a, complex):
        return complex(c_mul(a, b.real), c_mul(a, b.imag))
    if not isinstance(b, complex):
        return complex(c_mul(a.real, b), c_mul(a.imag, b))
    return complex(c_sub(c_mul(a.real, b.real), c_mul(a.imag, b.imag)),
                   c_add(c_mul(a.real, b.imag), c_mul(a.imag, b.real)))


for _x, _y in (("complex", ""), ("int_complex", ""), ("complex_int", ""), ("float_complex", ""),
               ("complex_float", "")):
    _op(f"aten::add.{_x}")(_complex_add)
    _op(f"aten::sub.{_x}")(_complex_sub)
    _op(f"aten::mul.{_x}")(_complex_mul)


def _complex_div(a: Any, b: Any) -> complex:
    """c10::complex's division (numpy's algorithm, scaled by the larger part)."""
    a, b = _as_complex(a), _as_complex(b)
    x, y = a.real, a.imag
    c, d = b.real, b.imag
    abs_c, abs_d = abs(c), abs(d)
    if abs_c >= abs_d:
        if abs_c == 0.0 and abs_d == 0.0:
            return complex(c_div(x, abs_c), c_div(y, abs_d))
        rat = c_div(d, c)
        scl = c_div(1.0, c_add(c, c_mul(d, rat)))
        return complex(c_mul(c_add(x, c_mul(y, rat)), scl), c_mul(c_sub(y, c_mul(x, rat)), scl))
    rat = c_div(c, d)
    scl = c_div(1.0, c_add(d, c_mul(c, rat)))
    return complex(c_mul(c_add(c_mul(x, rat), y), scl), c_mul(c_sub(c_mul(y, rat), x), scl))


_op("aten::div.complex")(_complex_div)


def _load_complex_libm() -> dict[str, Callable[..., complex]]:
    """glibc's complex functions (``cexp``, ``cacos``...), which
    ``std::exp(std::complex<double>)`` and so torch call. ``double complex``
    is passed like a struct of two doubles on x86-64 and AArch64; elsewhere
    complex functions are left unfolded."""
    if LIBM is None or platform.machine().lower() not in ("x86_64", "amd64", "aarch64", "arm64"):
        return {}
    import ctypes  # loaded by _load_libm already (LIBM is not None)

    class _C(ctypes.Structure):
        _fields_ = [("re", ctypes.c_double), ("im", ctypes.c_double)]

    out: dict[str, Callable[..., complex]] = {}
    for name in ("cexp", "clog", "clog10", "csqrt", "csin", "ccos", "ctan", "casin", "cacos", "catan",
                 "csinh", "ccosh", "ctanh", "casinh", "cacosh", "catanh", "cpow"):
        try:
            f = getattr(LIBM, name)
        except AttributeError:  # pragma: no cover - clog10 is a GNU extension
            continue
        f.restype = _C
        f.argtypes = [_C, _C] if name == "cpow" else [_C]

        def call(*zs: Any, _f: Any = f) -> complex:
            r = _f(*(_C(z.real, z.imag) for z in map(_as_complex, zs)))
            return complex(r.re, r.im)

        out[name] = call
    return out


_CLIBM = _load_complex_libm()
for _fname in ("exp", "log", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan",
               "sinh", "cosh", "tanh", "asinh", "acosh", "atanh"):
    if "c" + _fname in _CLIBM:
        _op(f"aten::{_fname}.complex")(_CLIBM["c" + _fname])
if "clog" in _CLIBM:
    _clog = _CLIBM["clog"]

    def _complex_by_real(z: complex, r: float) -> complex:
        """c10's ``complex / double``: component-wise."""
        return complex(c_div(z.real, r), c_div(z.imag, r))

    # std::log10(complex) is log(z) / log(10), component-wise.
    _op("aten::log10.complex")(lambda z: _complex_by_real(_clog(z), math.log(10.0)))
    # log(a, b) = log(a) / log(b), each log taken at its argument's type.
    _op("aten::log.complex_complex")(lambda a, b: _complex_div(_clog(a), _clog(b)))
    _op("aten::log.complex_int", "aten::log.complex_float")(
        lambda a, b: _complex_by_real(_clog(a), _UNARY_FLOAT["log"](b)))
    _op("aten::log.int_complex", "aten::log.float_complex")(
        lambda a, b: _complex_div(complex(_UNARY_FLOAT["log"](a), 0.0), _clog(b)))
if "cpow" in _CLIBM:
    _op("aten::pow.complex", "aten::pow.complex_float")(_CLIBM["cpow"])

    @_op("aten::pow.float_complex")
    def _pow_real_complex(x: float, y: complex) -> complex:
        """libstdc++'s pow(double, complex): a positive real base goes through polar form."""
        x = float(x)
        if x > 0.0:
            r = LIBM.pow(x, y.real)
            theta = c_mul(y.imag, _UNARY_FLOAT["log"](x))
            return complex(c_mul(r, _UNARY_FLOAT["cos"](theta)), c_mul(r, _UNARY_FLOAT["sin"](theta)))
        return _CLIBM["cpow"](complex(x, 0.0), y)


@_op("aten::neg.complex")
def _neg_complex(a: complex) -> complex:
    return complex(-a.real, -a.imag)


for _x in ("complex", "float_complex", "complex_float"):
    _op(f"aten::eq.{_x}")(lambda a, b: _as_complex(a) == _as_complex(b))
    _op(f"aten::ne.{_x}")(lambda a, b: _as_complex(a) != _as_complex(b))


@_op("prim::abs.complex")
def _abs_complex(a: complex) -> float:
    return math.hypot(a.real, a.imag)


@_op("aten::angle.complex")
def _angle_complex(a: complex) -> float:
    return math.atan2(a.imag, a.real)


@_op("aten::isnan.complex")
def _isnan_complex(a: complex) -> bool:
    return math.isnan(a.real) or math.isnan(a.imag)


@_op("aten::isinf.complex")
def _isinf_complex(a: complex) -> bool:
    return math.isinf(a.real) or math.isinf(a.imag)


@_op("aten::isfinite.complex")
def _isfinite_complex(a: complex) -> bool:
    return math.isfinite(a.real) and math.isfinite(a.imag)


# Ranges (emitted by the frontend for ``for i in range(...)``).

@_op("aten::__range_length")
def _range_length(lo: int, hi: int, step: int) -> int:
    if step == 0:
        raise EvaluationError("range() arg 3 must not be zero")
    # int64 arithmetic throughout, C++ division truncating.
    if step > 0 and lo < hi:
        return wrap64(1 + _c_int_div(wrap64(hi - 1 - lo), step))
    if step < 0 and lo > hi:
        return wrap64(1 + _c_int_div(wrap64(lo - 1 - hi), wrap64(-step)))
    return 0


def _c_int_div(a: int, b: int) -> int:
    """C++ ``a / b`` on int64: truncates toward zero."""
    q = abs(a) // abs(b)
    return wrap64(q if (a < 0) == (b < 0) else -q)


@_op("aten::__derive_index")
def _derive_index(index: int, start: int, step: int) -> int:
    return wrap64(start + index * step)


@_op("aten::__round_to_zero_floordiv.int")
def _round_to_zero_floordiv(a: int, b: int) -> int:
    if b == 0:
        raise EvaluationError("integer division by zero traps in torch")
    q = abs(a) // abs(b)
    return wrap64(q if (a < 0) == (b < 0) else -q)


# Strings. torch's string kernels work on std::string bytes with the C
# locale's <cctype>, which Python's ``bytes`` methods match exactly (ASCII
# letters only; other bytes are left alone).

def _b(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


def _s(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        raise EvaluationError("a byte-level string result that is not UTF-8 is not modelled") from None


def _bytes_op(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``fn`` on the UTF-8 bytes of its string arguments; a bytes result
    becomes a string again."""

    def run(*args: Any) -> Any:
        result = fn(*(_b(a) if isinstance(a, str) else a for a in args))
        return _s(result) if isinstance(result, bytes) else result

    return run


def _register_bytes(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _op(*names)(_bytes_op(fn))
        return fn

    return register


def _register_bytes_multi(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        wrapped = _bytes_op(fn)
        _op_multi(*names)(lambda *args: tuple(_s(r) if isinstance(r, bytes) else r for r in wrapped(*args)))
        return fn

    return register


@_op("aten::len.str")
def _len_str(s: str) -> int:
    return len(_b(s))


def _normalize_index(i: int, size: int) -> int:
    return i + size if i < 0 else i


@_register_bytes("aten::__getitem__.str", "prim::StringIndex")
def _getitem_str(s: bytes, index: int) -> bytes:
    i = _normalize_index(index, len(s))
    if not 0 <= i < len(s):
        raise EvaluationError("string index out of range")
    return s[i:i + 1]


@_register_bytes("aten::slice.str")
def _slice_str(s: bytes, start: Any = None, end: Any = None, step: int = 1) -> bytes:
    if step == 0:
        raise EvaluationError("slice step cannot be zero")
    return s[slice(start, end, step)]


_op("aten::upper")(_bytes_op(bytes.upper))
_op("aten::lower")(_bytes_op(bytes.lower))
_op("aten::swapcase")(_bytes_op(bytes.swapcase))
_op("aten::capitalize")(_bytes_op(bytes.capitalize))
for _m in ("isdigit", "isspace", "isalnum", "isalpha", "isupper", "islower"):
    _op(f"aten::{_m}")(_bytes_op(getattr(bytes, _m)))
_op("aten::isdecimal")(_bytes_op(bytes.isdigit))
_op("aten::isnumeric")(_bytes_op(bytes.isdigit))


@_register_bytes("aten::title")
def _title(s: bytes) -> bytes:
    out = bytearray()
    prev_is_nonalpha = True
    for c in s:
        ch = bytes([c])
        out += ch.upper() if prev_is_nonalpha else ch.lower()
        prev_is_nonalpha = not ch.isalpha()
    return bytes(out)


@_register_bytes("aten::istitle")
def _istitle(s: bytes) -> bool:
    result = False
    prev_is_alpha = False
    for c in s:
        ch = bytes([c])
        if prev_is_alpha:
            if ch != ch.lower():
                return False
        else:
            if ch != ch.upper():
                return False
            if ch.isalpha():
                result = True
        prev_is_alpha = ch.isalpha()
    return result


@_register_bytes("aten::isidentifier")
def _isidentifier(s: bytes) -> bool:
    # torch's (Python 2) rule: no leading digit, then letters and digits only.
    return bool(s) and not s[:1].isdigit() and s.isalnum()


@_register_bytes("aten::isprintable")
def _isprintable(s: bytes) -> bool:
    return all(0x20 <= c < 0x7F for c in s)


def _fill(fillchar: bytes) -> bytes:
    if len(fillchar) != 1:
        raise EvaluationError("TypeError: The fill character must be exactly one character long")
    return fillchar


@_register_bytes("aten::center")
def _center(s: bytes, width: int, fillchar: bytes = b" ") -> bytes:
    fill = _fill(fillchar)
    if width < 0 or len(s) > width:
        return s
    full = width - len(s)
    left, right = full // 2, (full + 1) // 2
    if width % 2:
        left, right = right, left
    return fill * left + s + fill * right


@_register_bytes("aten::ljust")
def _ljust(s: bytes, width: int, fillchar: bytes = b" ") -> bytes:
    return s + _fill(fillchar) * max(0, width - len(s))


@_register_bytes("aten::rjust")
def _rjust(s: bytes, width: int, fillchar: bytes = b" ") -> bytes:
    return _fill(fillchar) * max(0, width - len(s)) + s


@_register_bytes("aten::zfill")
def _zfill(s: bytes, width: int) -> bytes:
    return b"0" * max(0, width - len(s)) + s


@_register_bytes("aten::expandtabs")
def _expandtabs(s: bytes, tabsize: int = 8) -> bytes:
    out = bytearray()
    index = 0
    for c in s:
        if c != 0x09:
            out.append(c)
            index += 1
        elif tabsize > 0:
            while True:
                out.append(0x20)
                index += 1
                if index % tabsize == 0:
                    break
    return bytes(out)


def _bounds(size: int, start: int, end: int) -> tuple[int, int]:
    if start < 0:
        start = max(0, size + start)
    if end < 0:
        end = max(0, size + end + 1)
    return start, end


def _substr(s: bytes, start: int, count: int) -> bytes:
    """std::string::substr: throws past the end; a negative count (a huge
    size_t) takes the rest."""
    if start > len(s):
        raise EvaluationError("basic_string::substr: out of range")
    return s[start:] if count < 0 else s[start:start + count]


@_register_bytes("aten::startswith")
def _startswith(s: bytes, prefix: bytes, start: int = 0, end: int = -1) -> bool:
    start, end = _bounds(len(s), start, end)
    part = _substr(s, start, end - start)
    return len(part) >= len(prefix) and part[:len(prefix)] == prefix


@_register_bytes("aten::endswith")
def _endswith(s: bytes, suffix: bytes, start: int = 0, end: int = -1) -> bool:
    start, end = _bounds(len(s), start, end)
    part = _substr(s, start, end - start)
    return len(part) >= len(suffix) and part[len(part) - len(suffix):] == suffix


def _find(s: bytes, sub: bytes, start: int, end: int, reverse: bool) -> int:
    """torch: stringFindImpl."""
    start, end = _bounds(len(s), start, end)
    part = _substr(s, start, end - start) if end > start else b""
    if len(part) < len(sub):
        return -1
    pos = part.rfind(sub) if reverse else part.find(sub)
    return -1 if pos < 0 else pos + start


@_register_bytes("aten::find")
def _find_op(s: bytes, sub: bytes, start: int = 0, end: int = -1) -> int:
    return _find(s, sub, start, end, False)


@_register_bytes("aten::rfind")
def _rfind_op(s: bytes, sub: bytes, start: int = 0, end: int = -1) -> int:
    return _find(s, sub, start, end, True)


@_register_bytes("aten::index.str")
def _index_op(s: bytes, sub: bytes, start: int = 0, end: int = -1) -> int:
    found = _find(s, sub, start, end, False)
    if found < 0:
        raise EvaluationError("ValueError: substring not found")
    return found


@_register_bytes("aten::rindex")
def _rindex_op(s: bytes, sub: bytes, start: int = 0, end: int = -1) -> int:
    found = _find(s, sub, start, end, True)
    if found < 0:
        raise EvaluationError("ValueError: substring not found")
    return found


@_register_bytes("aten::count")
def _count(s: bytes, sub: bytes, start: int = 0, end: int = -1) -> int:
    size = len(s)
    if start > size:
        return 0
    start, end = _bounds(size, start, end)
    if not sub:
        raise EvaluationError("count of an empty string never terminates in torch")
    occurrences = 0
    pos = s.find(sub, start)
    while pos >= 0 and pos < end:
        occurrences += 1
        pos = s.find(sub, pos + len(sub))
    return occurrences


@_register_bytes("aten::replace")
def _replace(s: bytes, old: bytes, new: bytes, count: int = -1) -> bytes:
    if not old and count < 0:
        raise EvaluationError("replacing an empty string without a count never terminates in torch")
    occurrences = 0
    pos = s.find(old, 0)
    while pos >= 0:
        occurrences += 1
        if count >= 0 and occurrences > count:
            break
        s = s[:pos] + new + s[pos + len(old):]
        pos = s.find(old, pos + len(new))
    return s


@_register_bytes_multi("aten::partition")
def _partition(s: bytes, sep: bytes) -> tuple:
    pos = s.find(sep)
    if pos < 0:
        pos, sep = len(s), b""
    return (s[:pos], sep, s[pos + len(sep):])


@_register_bytes_multi("aten::rpartition")
def _rpartition(s: bytes, sep: bytes) -> tuple:
    pos = s.rfind(sep)
    if pos < 0:
        pos, sep = 0, b""
    return (s[:pos], sep, s[pos + len(sep):])


@_register_bytes("aten::strip")
def _strip(s: bytes, chars: bytes = b" \n\t\f\v") -> bytes:
    return s.strip(chars)


@_register_bytes("aten::lstrip")
def _lstrip(s: bytes, chars: bytes = b" \n\t\f\v") -> bytes:
    return s.lstrip(chars)


@_register_bytes("aten::rstrip")
def _rstrip(s: bytes, chars: bytes = b" \n\t\f\v") -> bytes:
    return s.rstrip(chars)


@_op("aten::hex")
def _hex(i: int) -> str:
    return hex(i)


@_op("aten::oct")
def _oct(i: int) -> str:
    return oct(i)


@_op("aten::bin")
def _bin(i: int) -> str:
    return bin(i)


@_op("aten::chr")
def _chr(i: int) -> str:
    if i < 0 or i > 0x10FFFF:
        raise EvaluationError("chr() arg not in range(0x110000)")
    return chr(i)


@_op("aten::ord")
def _ord(s: str) -> int:
    data = _b(s)
    if len(data) != 1:
        raise EvaluationError("String for ord() must be 1 character")
    return data[0]


# Devices.

_DEVICE_TYPES = ("cpu", "cuda", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
                 "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone", "xpu", "ipu")


@_op("aten::device")
def _device(spec: str) -> Device:
    kind, sep, index = spec.partition(":")
    if kind not in _DEVICE_TYPES or (sep and not (index.isdigit() and (index == "0" or index[0] != "0"))):
        raise EvaluationError(f"invalid device string {spec!r}")
    return Device(spec)


# Enums.

@_op("prim::EnumName")
def _enum_name(e: EnumValue) -> str:
    return e.name


@_op("prim::EnumValue.int", "prim::EnumValue.float", "prim::EnumValue.str")
def _enum_value(e: EnumValue) -> Any:
    return e.value


# No inputs.

@_op("aten::is_scripting")
def _is_scripting() -> bool:
    return True


# --- entry point ------------------------------------------------------------------------------

_TUPLE_SLICE = prim("TupleSlice")
_IS = aten("__is__")
_ISNOT = aten("__isnot__")


def evaluate(node: Node, args: list[Any]) -> list[Any] | None:
    """Run ``node`` on constant ``args``. torch: runNodeIfInputsAreConstant.

    Returns the outputs, or None when torch would not fold the node: the
    operator raised, has a vararg schema, or is not modelled here.
    """
    kind = node.kind
    try:
        if kind is kinds.TupleConstruct:
            return [tuple(args)]
        if kind is kinds.TupleUnpack:
            (tup,) = args
            if not isinstance(tup, tuple) or len(tup) != len(node.outputs):
                return None
            return list(tup)
        if kind is kinds.TupleIndex:
            tup, index = args
            if not isinstance(tup, tuple):
                return None
            if index < 0:
                index += len(tup)
            if not 0 <= index < len(tup):
                return None
            return [tup[index]]
        if kind is _TUPLE_SLICE:
            (tup,) = args
            return [tuple(tup[node.i("beg"):node.i("end")])]
        if kind is prim("unchecked_cast"):
            return [args[0]]
        if kind is _IS or kind is _ISNOT:
            same = node.inputs[0].node is node.inputs[1].node
            result = same_identity(args[0], args[1], same)
            return [result if kind is _IS else not result]
        schema = node_schema(node)
        if schema is None or schema.is_vararg:
            return None
        fn = OPS.get(schema.operator_name)
        if fn is None:
            return None
        return list(fn(*args))
    except EvaluationError:
        return None
    except (ArithmeticError, ValueError, TypeError, IndexError):
        # A Python exception here means the kernel was handed something it
        # does not model; refusing to fold is always safe.
        return None


def result_type(value: Any, declared: T.JitType) -> T.JitType:
    """The type a folded value's constant gets (torch: IValue::type)."""
    if value is None:
        return declared
    if isinstance(value, tuple) and isinstance(declared, T.TupleType) and declared.name is not None:
        return declared
    return constant_type(value)
