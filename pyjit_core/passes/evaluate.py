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
import re
import struct
from typing import Any, Callable

from pyjit_core.ir import types as T
from pyjit_core.ir.attributes import Device, EnumValue, format_double
from pyjit_core.ir.graph import Node
from pyjit_core.ir.symbols import aten, kinds, prim

from .node_schema import node_schema

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1


class EvaluationError(Exception):
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
    return float(math.floor(x)) if math.isfinite(x) else x


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
        if (value == 0.0 or abs(value) >= 2.2250738585072014e-308) and math.isfinite(value) \
                and abs(value) < 2.0 ** 63:
            i = int(value)
            if float(i) == value:
                return f"{i}."
        if math.isnan(value):
            return "-nan" if math.copysign(1.0, value) < 0 else "nan"
        return format_double(value)
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
    if _is_int(a) and _is_int(b) and b < 0 and a == 0:
        raise EvaluationError("0 cannot be raised to a negative power")
    if isinstance(a, float) and a == 0.0 and _is_int(b) and b < 0:
        raise EvaluationError("0.0 cannot be raised to a negative power")
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


for _suffix in ("int", "float", "int_float", "float_int", "", "str", "bool", "device", "enum"):
    _name = "" if not _suffix else "." + _suffix
    _op(f"aten::eq{_name}")(_comparison(lambda a, b: a == b))
    _op(f"aten::ne{_name}")(_comparison(lambda a, b: a != b))
for _suffix in ("int", "float", "int_float", "float_int", "", "str"):
    _name = "" if not _suffix else "." + _suffix
    _op(f"aten::lt{_name}")(_comparison(lambda a, b: a < b))
    _op(f"aten::le{_name}")(_comparison(lambda a, b: a <= b))
    _op(f"aten::gt{_name}")(_comparison(lambda a, b: a > b))
    _op(f"aten::ge{_name}")(_comparison(lambda a, b: a >= b))


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
    if b < 0:
        raise EvaluationError("negative shift count")
    return wrap64(a << (b & 63))


@_op("aten::__rshift__.int")
def _rshift(a: int, b: int) -> int:
    if b < 0:
        raise EvaluationError("negative shift count")
    return a >> (b & 63)


# Conversions.

@_op("aten::Int.bool", "aten::Int.float", "aten::Int.Scalar")
def _to_int(a: Any) -> int:
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
    return float(a)


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


def _complex(a: Any, b: Any = 0.0) -> complex:
    return complex(float(a), float(b))


for _name in ("Scalar",):
    _op(f"aten::Complex.{_name}")(lambda a: complex(a) if isinstance(a, complex) else _complex(a))
for _x in ("int", "bool", "float"):
    for _y in ("int", "bool", "float"):
        _op(f"aten::Complex.{_x}_{_y}")(_complex)


# Rounding and math.

@_op("aten::floor.int", "aten::ceil.int")
def _floor_ceil_int(a: int) -> int:
    return a


@_op("aten::floor.float")
def _floor_float(a: float) -> int:
    return float_to_int64(math.floor(a)) if math.isfinite(a) else INT64_MIN


@_op("aten::ceil.float")
def _ceil_float(a: float) -> int:
    return float_to_int64(math.ceil(a)) if math.isfinite(a) else INT64_MIN


@_op("aten::round.int")
def _round_int(a: int) -> float:
    return float(a)


@_op("aten::round.float")
def _round_float(a: float) -> float:
    """std::round: halves away from zero, keeping the sign (round(-0.4) is -0.)."""
    if not math.isfinite(a):
        return a
    m = abs(a)
    r = math.floor(m)
    if m - r >= 0.5:  # exact: the fraction of a double is representable
        r += 1
    return math.copysign(float(r), a)


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
    "sqrt": _math1(math.sqrt, DEFAULT_NAN),
    "exp": _math1(math.exp),
    "expm1": _math1(math.expm1),
    "log": _math1(math.log, POS_NAN, _log_pole),
    "log10": _math1(math.log10, POS_NAN, _log_pole),
    "log1p": _math1(math.log1p, DEFAULT_NAN, lambda x: -math.inf if x == -1.0 else None),
    "sin": _math1(math.sin, DEFAULT_NAN),
    "cos": _math1(math.cos, DEFAULT_NAN),
    "tan": _math1(math.tan, DEFAULT_NAN),
    "asin": _math1(math.asin),
    "acos": _math1(math.acos),
    "atan": _math1(math.atan),
    "sinh": _math1(math.sinh, odd=True),
    "cosh": _math1(math.cosh),
    "tanh": _math1(math.tanh),
    "asinh": _math1(math.asinh),
    "acosh": _math1(math.acosh, DEFAULT_NAN),
    "atanh": _math1(math.atanh, DEFAULT_NAN, lambda x: math.copysign(math.inf, x) if abs(x) == 1.0 else None),
    "erf": _math1(math.erf),
    "erfc": _math1(math.erfc),
    "gamma": _math1(math.gamma, POS_NAN, lambda x: math.copysign(math.inf, x) if x == 0 else None),
    "lgamma": _math1(math.lgamma, POS_NAN, lambda x: math.inf),
    "fabs": _math1(math.fabs),
    "degrees": _math1(math.degrees),
    "radians": _math1(math.radians),
}
for _fname, _fn in _UNARY_FLOAT.items():
    for _suffix in ("int", "float"):
        _op(f"aten::{_fname}.{_suffix}")(_fn)


@_op("aten::atan2.int", "aten::atan2.float", "aten::atan2.int_float", "aten::atan2.float_int",
     "aten::atan2.Scalar_Scalar")
def _atan2(a: Any, b: Any) -> float:
    return math.atan2(float(a), float(b))


@_op("aten::copysign.int", "aten::copysign.float", "aten::copysign.int_float", "aten::copysign.float_int",
     "aten::copysign")
def _copysign(a: Any, b: Any) -> float:
    return math.copysign(float(a), float(b))


@_op("aten::gcd.int")
def _gcd(a: int, b: int) -> int:
    return math.gcd(a, b)


@_op("aten::factorial.int")
def _factorial(a: int) -> int:
    if a < 0:
        raise EvaluationError("factorial() not defined for negative values")
    return wrap64(math.factorial(a))


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
    if step > 0 and lo < hi:
        return 1 + (hi - 1 - lo) // step
    if step < 0 and lo > hi:
        return 1 + (lo - 1 - hi) // (-step)
    return 0


@_op("aten::__derive_index")
def _derive_index(index: int, start: int, step: int) -> int:
    return wrap64(start + index * step)


@_op("aten::__round_to_zero_floordiv.int")
def _round_to_zero_floordiv(a: int, b: int) -> int:
    if b == 0:
        raise EvaluationError("integer division by zero traps in torch")
    q = abs(a) // abs(b)
    return wrap64(q if (a < 0) == (b < 0) else -q)


# Strings.

@_op("aten::len.str")
def _len_str(s: str) -> int:
    # std::string::size counts bytes.
    return len(s.encode("utf-8", "surrogatepass"))


@_op("aten::__getitem__.str")
def _getitem_str(s: str, index: int) -> str:
    data = s.encode("utf-8", "surrogatepass")
    n = len(data)
    i = index + n if index < 0 else index
    if i < 0 or i >= n:
        raise EvaluationError("string index out of range")
    return data[i:i + 1].decode("utf-8", "surrogateescape")


def _ascii_only(fn: Callable[..., Any]) -> Callable[..., Any]:
    """String methods work on bytes with C locale rules; pyjit folds them only
    for ASCII text, where Python's rules agree."""

    def run(s: str, *args: Any) -> Any:
        if not s.isascii() or any(isinstance(a, str) and not a.isascii() for a in args):
            raise EvaluationError("non-ASCII string methods are not modelled")
        return fn(s, *args)

    return run


for _m in ("upper", "lower", "swapcase", "title", "capitalize"):
    _op(f"aten::{_m}")(_ascii_only(getattr(str, _m)))
for _m in ("isupper", "islower", "isdigit", "isspace", "isalnum", "isalpha", "istitle"):
    _op(f"aten::{_m}")(_ascii_only(getattr(str, _m)))


@_op("aten::startswith")
@_ascii_only
def _startswith(s: str, prefix: str, start: int = 0, end: int = -1) -> bool:
    if start != 0 or end != -1:
        raise EvaluationError("startswith with bounds is not modelled")
    return s.startswith(prefix)


@_op("aten::endswith")
@_ascii_only
def _endswith(s: str, suffix: str, start: int = 0, end: int = -1) -> bool:
    if start != 0 or end != -1:
        raise EvaluationError("endswith with bounds is not modelled")
    return s.endswith(suffix)


@_op("aten::strip")
@_ascii_only
def _strip(s: str, chars: str = " \n\t\f\v") -> str:
    return s.strip(chars)


@_op("aten::lstrip")
@_ascii_only
def _lstrip(s: str, chars: str = " \n\t\f\v") -> str:
    return s.lstrip(chars)


@_op("aten::rstrip")
@_ascii_only
def _rstrip(s: str, chars: str = " \n\t\f\v") -> str:
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
    if len(s.encode("utf-8", "surrogatepass")) != 1:
        raise EvaluationError("ord() expected a character")
    return ord(s)


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
    from pyjit_core.ir.constants import constant_type

    if value is None:
        return declared
    if isinstance(value, tuple) and isinstance(declared, T.TupleType) and declared.name is not None:
        return declared
    return constant_type(value)
