"""Scalar operators evaluate with torch's C++ results, not Python's.

Each expectation here is what torch's kernel returns (the sweep in
``test_scalar_kernels_against_torch.py`` checks thousands more against torch
itself); ``None`` means torch raises, so the node is not folded.
"""

from __future__ import annotations

import math

import pytest

from pyjit_core.ir.parser import parse_graph
from pyjit_core.passes.constant_propagation import constant_propagation_immutable_types
from pyjit_core.passes.scalar_kernels import OPS, EvaluationError, str_of

INT64_MAX = (1 << 63) - 1
INT64_MIN = -(1 << 63)


def run(op: str, *args):
    try:
        return OPS[op](*args)[0]
    except EvaluationError:
        return None


@pytest.mark.parametrize(("op", "args", "expected"), [
    ("aten::add.int", (INT64_MAX, 1), INT64_MIN),              # int64 wraps
    ("aten::mul.int", (INT64_MAX, 3), INT64_MAX - 2),
    ("aten::neg.int", (INT64_MIN,), INT64_MIN),
    ("aten::floordiv.int", (-7, 2), -4),                        # floors, like Python
    ("aten::floordiv.int", (7, 0), None),                       # ZeroDivisionError
    ("aten::remainder.int", (-7, 3), 2),                        # sign of the divisor
    ("aten::remainder.int", (7, 0), None),                      # traps in torch
    ("aten::__lshift__.int", (1, 70), 64),                      # x86 masks the count
    ("aten::__rshift__.int", (-8, 1), -4),
    ("aten::pow.int", (2, 3), 8.0),                             # int ** int is a float
    ("aten::pow.int", (0, -1), None),
    ("aten::div.int", (7, 2), 3.5),
    ("aten::gcd.int", (12, -18), 6),
    ("aten::gcd.int", (0, INT64_MIN), INT64_MIN),               # std::abs wraps
    ("aten::__range_length", (0, 10, 3), 4),
    ("aten::__derive_index", (2, 1, 3), 7),
    ("aten::floor.int", (INT64_MAX,), INT64_MIN),               # goes through double
    ("aten::ceil.float", (2.5,), 3),
    ("aten::ceil.float", (1e300,), None),
    ("aten::Int.float", (-2.7,), -2),
    ("aten::Int.float", (1e30,), INT64_MIN),                    # x86's "integer indefinite"
    ("aten::Int.str", (" 12",), 12),                            # std::stoll skips leading space
    ("aten::Int.str", ("12 ",), None),                          # ...but all must be consumed
    ("aten::Float.str", ("1e3",), 1000.0),
    ("aten::Float.str", ("1e400",), None),                      # std::stod: out of range
    ("aten::Complex.int_int", (1 << 62, 1), complex(0.0, 1.0)),  # via a 32-bit int
    ("aten::ldexp", (-2.5, INT64_MAX), -1.25),                  # the exponent is an int too
    ("aten::len.str", ("é",), 2),                               # bytes
    ("aten::center", ("ab", 5, "*"), "**ab*"),                  # odd widths pad left first
    ("aten::isidentifier", ("a_b",), False),                    # letters and digits only
    ("aten::find", ("hello", "l", -2, -1), 3),
    ("aten::ord", ("ab",), None),
])
def test_cxx_semantics(op, args, expected):
    assert run(op, *args) == expected


def test_float_special_values():
    assert run("aten::div.float", 1.0, 0.0) == math.inf
    nan = run("aten::div.float", 0.0, 0.0)
    assert math.isnan(nan)
    assert math.copysign(1.0, nan) < 0        # x86's default NaN: "-nan"
    assert math.copysign(1.0, run("aten::log.float", -1.0)) > 0    # libm's domain NaN: "nan"
    assert run("aten::round.float", 0.5) == 0.0                    # halves to even
    assert math.copysign(1.0, run("aten::round.float", -0.5)) < 0  # keeps the sign
    assert math.copysign(1.0, run("aten::floordiv.float", -0.0, 1.5)) < 0


@pytest.mark.parametrize(("value", "text"), [
    (3.0, "3."), (0.1, "0.10000000000000001"), (-0.0, "0."), (1e17, "100000000000000000."),
    (1e20, "1e+20"), (1.5e-7, "1.4999999999999999e-07"), (True, "True"), (None, "None"), ("ab", "ab"),
])
def test_str_of(value, text):
    assert str_of(value) == text


def test_identity_of_constants():
    """``x is y`` compares scalars by value and tag; strings are new objects
    each time a constant is read, so they are never identical."""
    graph = parse_graph("""\
graph():
  %a : str = prim::Constant[value="x"]()
  %one : int = prim::Constant[value=1]()
  %t : bool = prim::Constant[value=1]()
  %p : bool = aten::__is__(%a, %a)
  %q : bool = aten::__is__(%one, %one)
  %r : bool = aten::__is__(%one, %t)
  %out : (bool, bool, bool) = prim::TupleConstruct(%p, %q, %r)
  return (%out)
""")
    constant_propagation_immutable_types(graph)
    assert "value=(False, True, False)" in str(graph)
