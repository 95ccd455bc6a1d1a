"""When two nodes compute the same thing: same kind, output types, inputs and
attributes.

torch: torch/csrc/jit/ir/node_hashing.cpp (EqualNode). Constant pooling
and if-output simplification use it to find equal constants. Attribute
values compare as torch's ``ivaluesEqual`` does: by tag then value, so
``1`` and ``True`` and ``1.0`` all differ, while ``0.0 == -0.0`` and a NaN
never equals itself.
"""

from __future__ import annotations

import math
from typing import Any

from pyjit_core.ir.attributes import Attribute, AttributeKind, Device, EnumValue, TensorConstant
from pyjit_core.ir.graph import Node


def nodes_equal(lhs: Node, rhs: Node) -> bool:
    """torch: EqualNode::operator()."""
    if lhs.kind is not rhs.kind:
        return False
    lo, ro = lhs.outputs, rhs.outputs
    if len(lo) != len(ro) or any(a.type != b.type for a, b in zip(lo, ro, strict=False)):
        return False
    li, ri = lhs.inputs, rhs.inputs
    if len(li) != len(ri) or any(a is not b for a, b in zip(li, ri, strict=False)):
        return False
    return attributes_equal(lhs, rhs)


def equality_key(node: Node) -> tuple:
    """A hashable summary of ``node`` that nodes equal to it share:
    ``nodes_equal(a, b)`` implies ``equality_key(a) == equality_key(b)``.
    Lets a pass look for an equal node among those with the same key only
    (torch hashes nodes, HashNode, for the same purpose)."""
    attributes = node.attributes
    return (
        node.kind,
        tuple(id(v) for v in node.inputs),
        tuple(v.type for v in node.outputs),
        tuple(sorted((name, a.kind, _value_key(a)) for name, a in attributes.items())) if attributes else (),
    )


def _value_key(a: Attribute) -> object:
    """Equal for attribute values :func:`_attribute_values_equal` may call equal."""
    kind, value = a.kind, a.value
    if kind is AttributeKind.ival:
        tag = _tag(value)
        # ivalues_equal compares these by ==, after their tags.
        return (tag, value) if tag in _SCALAR_TAGS else tag
    if kind in (AttributeKind.f, AttributeKind.i, AttributeKind.s, AttributeKind.c):
        # _scalar_equal: floats by ==, anything else by type and ==.
        return (float, value) if isinstance(value, float) else (type(value), _hashable_or_type(value))
    if kind is AttributeKind.ty:
        return _hashable_or_type(value)
    # Lists of values, tensors, graphs: only their length.
    return len(value) if isinstance(value, (list, tuple)) else None


_SCALAR_TAGS = frozenset(("None", "Bool", "Int", "Double", "ComplexDouble", "String"))


def _hashable_or_type(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return type(value)
    return value


def attributes_equal(lhs: Node, rhs: Node) -> bool:
    """torch: attributesEqualCSE."""
    if bool(lhs.attributes) != bool(rhs.attributes):
        return False
    if not lhs.attributes:
        return True
    if sorted(lhs.attributes) != sorted(rhs.attributes):
        return False
    for name, a in lhs.attributes.items():
        b = rhs.attributes[name]
        if a.kind is not b.kind:
            return False
        if not _attribute_values_equal(a, b):
            return False
    return True


def _attribute_values_equal(a: Attribute, b: Attribute) -> bool:
    kind = a.kind
    if kind in (AttributeKind.g, AttributeKind.gs):
        return False
    if kind is AttributeKind.ty:
        return a.value == b.value
    if kind is AttributeKind.tys:
        return len(a.value) == len(b.value) and all(x == y for x, y in zip(a.value, b.value, strict=False))
    if kind in (AttributeKind.is_, AttributeKind.fs, AttributeKind.ss, AttributeKind.cs, AttributeKind.ts):
        return len(a.value) == len(b.value) and all(_scalar_equal(x, y) for x, y in zip(a.value, b.value, strict=False))
    if kind is AttributeKind.ival:
        return ivalues_equal(a.value, b.value)
    return _scalar_equal(a.value, b.value)


def _scalar_equal(x: Any, y: Any) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return x == y  # NaN != NaN, 0.0 == -0.0, as in C++
    return type(x) is type(y) and x == y


def _tag(v: Any) -> str:
    if v is None:
        return "None"
    if isinstance(v, bool):
        return "Bool"
    if isinstance(v, int):
        return "Int"
    if isinstance(v, float):
        return "Double"
    if isinstance(v, complex):
        return "ComplexDouble"
    if isinstance(v, str):
        return "String"
    if isinstance(v, tuple):
        return "Tuple"
    if isinstance(v, list):
        return "GenericList"
    if isinstance(v, dict):
        return "GenericDict"
    if isinstance(v, Device):
        return "Device"
    if isinstance(v, EnumValue):
        return "Enum"
    if isinstance(v, TensorConstant):
        return "Tensor"
    return type(v).__name__


def ivalues_equal(a: Any, b: Any) -> bool:
    """torch: ivaluesEqual (node_hashing.cpp). Like torch, dict entries
    only differ when both their keys and their values differ."""
    if _tag(a) != _tag(b):
        return False
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(ivalues_equal(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, dict):
        if len(a) != len(b):
            return False
        for (ka, va), (kb, vb) in zip(a.items(), b.items(), strict=False):
            if not ivalues_equal(ka, kb) and not ivalues_equal(va, vb):
                return False
        return True
    if isinstance(a, float):
        return a == b
    if isinstance(a, complex):
        return a == b and not (math.isnan(a.real) or math.isnan(a.imag))
    if isinstance(a, EnumValue):
        # torch compares the EnumHolder pointers, and every use of ``Color.RED`` makes a
        # new holder: two Enum constants are never pooled.
        return a is b
    return a == b
