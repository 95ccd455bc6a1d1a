"""The TorchScript type of a module attribute: from its abstract value, or from its annotation.

:func:`try_infer_type` is torch's ``tryToInferType`` (pybind_utils.h) on an
abstract value; :func:`python_type_name` and :func:`torch_typename` name a
value's Python type the way torch's messages do; :func:`parse_annotation`
reads an annotation as ``torch.jit.annotations.ann_to_type`` does, and
:func:`final_inner` sees through ``Final[...]``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...ir import types as T
from ..pyworld import ModuleScope
from .abstract_values import (
    FINAL_PATHS,
    BoundMethod,
    ClassObj,
    DeviceValue,
    EnumMember,
    ExternalObj,
    Instance,
    ModuleInstance,
    ModuleObj,
    Native,
    NativeClass,
    OpaqueObj,
    PyFunction,
    RangeObj,
    TensorValue,
    TorchEnumValue,
    Unknown,
)

if TYPE_CHECKING:
    from ..compiler import Compiler


@dataclass
class Inferred:
    """torch: InferredType -- a type, or why there is none."""

    type: T.JitType | None
    reason: str = ""
    pyjit_unknown: bool = False       # the reason is pyjit's ignorance, not torch's rejection

    def success(self) -> bool:
        return self.type is not None


_CONTAINER_REASON = ("Only tensors and (possibly nested) tuples of tensors, lists, or dicts are supported as inputs "
                     "or outputs of traced functions, but instead got value of type {}.")


def python_type_name(v: Any) -> str:
    if isinstance(v, PyFunction):
        return "function"
    if isinstance(v, BoundMethod):
        return "method"
    if isinstance(v, (ClassObj, NativeClass)):
        return "type"
    if isinstance(v, ModuleObj):
        return "module"
    if isinstance(v, ModuleInstance):
        return v.class_name
    if isinstance(v, Instance):
        return v.cls.name
    if isinstance(v, (ExternalObj, Native)):
        return "builtin_function_or_method"
    if isinstance(v, RangeObj):
        return "range"
    if isinstance(v, OpaqueObj):
        return v.type_name.rsplit(".", 1)[-1]
    if isinstance(v, TensorValue):
        return "Parameter" if v.parameter else "Tensor"
    if v is None:
        return "NoneType"
    return type(v).__name__


def try_infer_type(v: Any, compiler: Compiler | None = None) -> Inferred:
    """torch: tryToInferType (pybind_utils.h) on an abstract value."""
    if isinstance(v, TensorValue):
        return Inferred(T.Tensor)
    if v is None:
        return Inferred(T.NoneT)
    if isinstance(v, bool):
        return Inferred(T.Bool)
    if isinstance(v, int):
        return Inferred(T.Int)
    if isinstance(v, float):
        return Inferred(T.Float)
    if isinstance(v, complex):
        return Inferred(T.Complex)
    if isinstance(v, str):
        return Inferred(T.Str)
    if isinstance(v, TorchEnumValue):
        return Inferred(T.Int)
    if isinstance(v, DeviceValue):
        return Inferred(T.Device)
    if isinstance(v, Unknown):
        if v.type is not None:
            return Inferred(v.type)
        return Inferred(None, f"pyjit cannot tell the value statically ({v.reason})", pyjit_unknown=True)
    if isinstance(v, EnumMember) and compiler is not None:
        try:
            t = compiler.class_type(v.cls.ref, None)
        except Exception:
            t = None
        if isinstance(t, T.EnumType):
            return Inferred(t)
        return Inferred(None, f"Cannot infer type of Enum member {v.cls.name}.{v.name}")
    if isinstance(v, Instance) and compiler is not None:
        try:
            t = compiler.class_type(v.cls.ref, None)
        except Exception:
            t = None
        if isinstance(t, T.ClassType) and not t.is_module:
            return Inferred(t)
    if isinstance(v, ModuleInstance):
        return Inferred(None, "Cannot infer concrete type of torch.nn.Module")
    if isinstance(v, tuple):
        elements = []
        for e in v:
            r = try_infer_type(e, compiler)
            if not r.success():
                return Inferred(None, r.reason, r.pyjit_unknown)
            elements.append(r.type)
        return Inferred(T.TupleType(tuple(elements)))
    if isinstance(v, dict):
        if not v:
            return Inferred(None, "Dictionary inputs must have entries")
        key_t: T.JitType | None = None
        value_t: T.JitType | None = None
        for k, val in v.items():
            rk = try_infer_type(k, compiler)
            if not rk.success():
                return rk
            unified = rk.type if key_t is None else T.unify_types(key_t, rk.type)
            if unified is None:
                return Inferred(None, "Dictionary inputs to traced functions must have consistent type. Found "
                                f"{key_t.annotation_str()} and {rk.type.annotation_str()}")
            key_t = unified
            rv = try_infer_type(val, compiler)
            if not rv.success():
                return rv
            unified = rv.type if value_t is None else T.unify_types(value_t, rv.type)
            if unified is None:
                return Inferred(None, "Dictionary inputs to traced functions must have consistent type. Found "
                                f"{value_t.annotation_str()} and {rv.type.annotation_str()}")
            value_t = unified
        return Inferred(T.DictType(key_t, value_t))
    if isinstance(v, list):
        if not v:
            return Inferred(None, "List trace inputs must have elements")
        elem: T.JitType | None = None
        for item in v:
            r = try_infer_type(item, compiler)
            if not r.success():
                return Inferred(None, f"Could not infer type of list element: {r.reason}", r.pyjit_unknown)
            unified = r.type if elem is None else T.unify_types(elem, r.type)
            if unified is None:
                return Inferred(None, "List inputs to traced functions must have consistent element type. Found "
                                f"{elem.annotation_str()} and {r.type.annotation_str()}")
            elem = unified
        return Inferred(T.ListType(elem))
    return Inferred(None, _CONTAINER_REASON.format(python_type_name(v)))


def torch_typename(v: Any) -> str:
    """torch.typename of a value's type (for error messages)."""
    if isinstance(v, TensorValue):
        return "torch.nn.parameter.Parameter" if v.parameter else "torch.Tensor"
    if isinstance(v, ModuleInstance):
        cls = v.cls
        if isinstance(cls, ClassObj):
            return f"{cls.module_name}.{cls.qualname}"
        return f"torch.nn.modules.module.{cls.name}"
    if isinstance(v, PyFunction):
        return "function"
    if isinstance(v, OpaqueObj):
        return v.type_name
    return python_type_name(v)


# --- annotations -----------------------------------------------------------------------------


def parse_annotation(compiler: Compiler, expr: ast.expr, scope: ModuleScope) -> T.JitType:
    """An annotation as TorchScript reads it (``torch.jit.annotations.ann_to_type``)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        expr = ast.parse(expr.value, mode="eval").body
        ast.copy_location(expr, expr)
    builder = compiler.tree_builder(scope)
    parser = compiler.type_parser_for(scope)
    return parser.parse_type_from_expr(builder.build_expr(expr))


def final_inner(expr: ast.expr, scope: ModuleScope) -> ast.expr | bool | None:
    """For ``Final[T]`` the ``T`` expression (``True`` for bare ``Final``); ``None`` if not Final."""
    target = expr.value if isinstance(expr, ast.Subscript) else expr
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        try:
            return final_inner(ast.parse(expr.value, mode="eval").body, scope)
        except SyntaxError:
            return None
    path = scope.dotted_name(target)
    if path in FINAL_PATHS or (not path and isinstance(target, ast.Attribute) and target.attr == "Final"):
        return expr.slice if isinstance(expr, ast.Subscript) else True
    return None
