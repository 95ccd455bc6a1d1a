"""The objects TorchScript knows by identity, by dotted path: builtin
operators, special forms, dtypes and the other torch enums, types that
annotations name, constants, and the decorators that keep a function out.

torch: the identity checks of ``toSugaredValue``
(torch/csrc/jit/python/python_sugared_value.cpp), ``try_ann_to_type``
(torch/jit/annotations.py) and ``torch.jit._builtins``. Data only: what
TorchScript makes of these objects is :mod:`.python_values`; the module
world (:mod:`.pyworld`) asks :func:`is_known_external` so that it never
reads the source of one.
"""

from __future__ import annotations

import ast

from ..ir import types as T
from ..schema.registry import builtin_op_for

#: torch.<dtype> objects and their c10::ScalarType values.
DTYPES = {
    "uint8": 0, "int8": 1, "int16": 2, "short": 2, "int32": 3, "int": 3, "int64": 4, "long": 4,
    "float16": 5, "half": 5, "float32": 6, "float": 6, "float64": 7, "double": 7, "complex32": 8,
    "chalf": 8, "complex64": 9, "cfloat": 9, "complex128": 10, "cdouble": 10, "bool": 11, "qint8": 12,
    "quint8": 13, "qint32": 14, "bfloat16": 15, "quint4x2": 16, "quint2x4": 17, "bits1x8": 18,
    "bits2x4": 19, "bits4x2": 20, "bits8": 21, "bits16": 22, "float8_e5m2": 23, "float8_e4m3fn": 24,
    "float8_e5m2fnuz": 25, "float8_e4m3fnuz": 26, "uint16": 27, "uint32": 28, "uint64": 29, "uint1": 30,
    "bit": 30, "uint2": 31, "uint3": 32, "uint4": 33, "uint5": 34, "uint6": 35, "uint7": 36, "int1": 37,
    "int2": 38, "int3": 39, "int4": 40, "int5": 41, "int6": 42, "int7": 43, "float8_e8m0fnu": 44,
    "float4_e2m1fn_x2": 45,
}
LAYOUTS = {"strided": 0, "sparse_coo": 1, "sparse_csr": 2, "_mkldnn": 3, "sparse_csc": 4, "sparse_bsr": 5,
           "sparse_bsc": 6, "jagged": 7}
MEMORY_FORMATS = {"contiguous_format": 0, "preserve_format": 1, "channels_last": 2, "channels_last_3d": 3,
                  "legacy_contiguous_format": 0}
QSCHEMES = {"per_tensor_affine": 0, "per_channel_affine": 1, "per_tensor_symmetric": 2, "per_channel_symmetric": 3,
            "per_channel_affine_float_qparams": 4}
#: Module-level values of torch that TorchScript reads as constants (their defaults).
EXTERNAL_CONSTANTS = {
    "torch.backends.cudnn.enabled": True, "torch.backends.cudnn.benchmark": False,
    "torch.backends.cudnn.deterministic": False, "torch.backends.cudnn.allow_tf32": True,
    "torch.backends.mkldnn.enabled": True, "torch.backends.cuda.matmul.allow_tf32": False,
}

#: Python types that annotations may name. torch: try_ann_to_type.
EXTERNAL_TYPES: dict[str, T.JitType] = {
    "torch.Tensor": T.Tensor, "torch.LongTensor": T.Tensor, "torch.FloatTensor": T.Tensor,
    "torch.DoubleTensor": T.Tensor, "torch.device": T.Device, "torch.dtype": T.Int, "torch.layout": T.Int,
    "torch.memory_format": T.Int, "torch.qscheme": T.QSchemeType(), "torch.Generator": T.GeneratorType(),
    "torch.Stream": T.StreamObjType(), "torch.Size": T.ListType(T.Int), "torch.SymInt": T.Int,
    "typing.Any": T.Any_, "builtins.int": T.Int, "builtins.float": T.Float, "builtins.bool": T.Bool,
    "builtins.str": T.Str, "builtins.complex": T.Complex, "builtins.list": T.AnyListType(),
    "builtins.tuple": T.AnyTupleType(), "torch.types.Number": T.Number, "numbers.Number": T.Number,
    "torch.nn.parameter.Parameter": T.Tensor, "torch.nn.Parameter": T.Tensor,
}

#: typing constructs that only appear subscripted (their bare name is their meaning).
TYPING_CONSTRUCTORS = {
    "typing.List": "List", "typing.Dict": "Dict", "typing.Tuple": "Tuple", "typing.Optional": "Optional",
    "typing.Union": "Union", "torch.jit.Future": "Future", "torch.jit._Await": "Await", "typing.Final": "Final",
    "torch.jit.Final": "Final", "typing_extensions.Final": "Final", "builtins.list": "list",
    "builtins.dict": "dict", "builtins.tuple": "tuple", "torch.futures.Future": "Future",
    "torch._C.Future": "Future",
}

EXCEPTION_NAMES = {
    "Exception", "BaseException", "RuntimeError", "ValueError", "TypeError", "AssertionError", "KeyError",
    "IndexError", "NotImplementedError", "AttributeError", "StopIteration", "ZeroDivisionError",
    "ArithmeticError", "OverflowError", "LookupError", "ImportError", "OSError", "Warning", "UserWarning",
}

#: torch.jit / torch._jit_internal objects with special meaning. torch: toSugaredValue's identity checks.
SPECIAL_FORMS = {
    "torch.jit.annotate": "prim::annotate", "torch._jit_internal.annotate": "prim::annotate",
    "torch.jit.isinstance": "prim::isinstance", "torch._jit_internal._isinstance": "prim::isinstance",
    "torch.jit.fork": "prim::fork", "torch.jit._fork": "prim::fork", "torch.jit._awaitable": "prim::awaitable",
    "builtins.isinstance": "prim::isinstance",
}

#: Functions registered with torch.jit._builtins._register_builtin (not in _builtin_ops).
REGISTERED_BUILTINS = {
    "torch.jit.is_scripting": "aten::is_scripting", "torch._jit_internal.is_scripting": "aten::is_scripting",
    "torch.jit._unwrap_optional": "aten::_unwrap_optional",
    "torch.jit._script._unwrap_optional": "aten::_unwrap_optional",
    "torch._jit_internal._unwrap_optional": "aten::_unwrap_optional",
    "torch.overrides.has_torch_function": "aten::has_torch_function",
    "torch.overrides.has_torch_function_unary": "aten::has_torch_function",
    "torch.overrides.has_torch_function_variadic": "aten::has_torch_function",
    "torch._C._has_torch_function": "aten::has_torch_function",
    "torch._C._has_torch_function_unary": "aten::has_torch_function",
    "torch._C._has_torch_function_variadic": "aten::has_torch_function",
    "torch.jit.wait": "aten::wait", "torch.jit._wait": "aten::wait",
}

#: Decorators that keep a function out of TorchScript (it is called through Python).
IGNORE_DECORATORS = {"torch.jit.ignore", "torch._jit_internal.ignore"}
UNUSED_DECORATORS = {"torch.jit.unused", "torch._jit_internal.unused"}


def marks_unused(decorator: ast.expr, path: str) -> bool:
    """Whether a decorator spelled ``path`` makes its function unused: ``@torch.jit.unused``,
    and ``@torch.jit.ignore(drop=True)`` (or ``ignore(True)``, ``drop_on_export=True``), which
    torch marks unused too: calls to it compile to a raise. torch: _jit_internal.ignore."""
    if path in UNUSED_DECORATORS:
        return True
    if path not in IGNORE_DECORATORS or not isinstance(decorator, ast.Call):
        return False
    flags = decorator.args[:1] + [k.value for k in decorator.keywords if k.arg in ("drop", "drop_on_export")]
    return any(isinstance(f, ast.Constant) and f.value is True for f in flags)


def external_builtin(path: str) -> str | None:
    return REGISTERED_BUILTINS.get(path) or builtin_op_for(path)


def is_known_external(path: str) -> bool:
    """Objects TorchScript knows by identity: builtin ops, special forms, dtypes,
    types and constants -- never compiled from source even when source exists."""
    if external_builtin(path) is not None or path in SPECIAL_FORMS or path in EXTERNAL_CONSTANTS:
        return True
    if path in ("torch.ops", "torch.classes"):
        return True
    if path in EXTERNAL_TYPES or path in TYPING_CONSTRUCTORS:
        return True
    head, _, name = path.rpartition(".")
    return head == "torch" and (name in DTYPES or name in LAYOUTS or name in MEMORY_FORMATS or name in QSCHEMES)
