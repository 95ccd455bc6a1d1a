"""Python objects seen from TorchScript: torch's ``toSugaredValue`` and ``PythonValue``.

torch: python_sugared_value.cpp. Where torch holds a live Python object,
pyjit holds a static reference (:mod:`pyworld`) and decides, from source,
what torch would do with the object: map it to a builtin operator, compile
it, call it through a ``prim::PythonOp``, fold it to a constant, or reject it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..ir import types as T
from ..ir.constants import constant_value, insert_constant
from ..ir.python_op import create_python_op
from ..ir.symbols import Symbol, kinds, prim
from ..schema.model import Argument, FunctionSchema
from . import torch_library
from .errors import CompileError
from .matching import match_schema
from .named_value import NamedValue
from .pyworld import (
    BooleanDispatchRef,
    ClassAttributeRef,
    ClassRef,
    ConstantRef,
    ExternalRef,
    FunctionRef,
    InstanceRef,
    ModuleRef,
    Ref,
    UnknownRef,
    ref_path,
)
from .sugared import (
    BuiltinFunction,
    PythonExceptionValue,
    SimpleValue,
    SliceValue,
    SpecialFormValue,
    SugaredTupleValue,
    SugaredValue,
    insert_op,
)
from .torch_objects import (
    DTYPES,
    EXCEPTION_NAMES,
    EXTERNAL_CONSTANTS,
    LAYOUTS,
    MEMORY_FORMATS,
    QSCHEMES,
    SPECIAL_FORMS,
    external_builtin,
)

if TYPE_CHECKING:
    from .compiler import Compiler


class PythonModuleValue(SugaredValue):
    """A Python module used in TorchScript (``torch``, ``math``, a user module).
    torch: PythonModuleValue -- its attributes are converted as constants."""

    def __init__(self, ref: Ref, compiler: Compiler) -> None:
        self.ref = ref
        self.compiler = compiler

    def kind(self) -> str:
        return "python module"

    def attr(self, loc, m, field: str) -> SugaredValue:
        target = self.compiler.world.attribute(self.ref, field)
        value = to_sugared_value(target, m, loc, self.compiler, is_constant=True)
        if value is None:
            raise CompileError(f"Module '{ref_path(self.ref)}' has no attribute '{field}'", loc, code="PJ201")
        return value


class PythonValue(SugaredValue):
    """A Python callable TorchScript does not compile; calling it emits a PythonOp.
    torch: PythonValue."""

    def __init__(self, ref: Ref, pyobj: Any, schema_source: FunctionRef | None, compiler: Compiler, *,
                 type_name: str = "function", module_self=None, dropped: bool = False, is_global: bool = False) -> None:
        self.ref = ref
        self.pyobj = pyobj
        self.schema_source = schema_source
        self.compiler = compiler
        self.type_name = type_name
        self.module_self = module_self
        self.dropped = dropped
        self.is_global = is_global

    def kind(self) -> str:
        return f"python value of type '{self.type_name}'"

    def as_value(self, loc, m):
        message = f"{self.kind()} cannot be used as a value"
        if self.is_global:
            message += (". Perhaps it is a closed over global variable? If so, please consider passing it in as an "
                        "argument or use a local variable instead.")
        raise CompileError(message, loc, code="PJ213")

    def attr(self, loc, m, field: str) -> SugaredValue:
        raise CompileError(f"attribute lookup is not defined on {self.kind()}", loc, code="PJ213")

    def schema(self, n_args: int, n_binders: int, loc) -> FunctionSchema:
        """torch: PythonValue::getSchema -- annotated types, or all-Tensor."""
        args: list[Argument] = []
        is_vararg = False
        if self.schema_source is not None:
            fn = self.schema_source
            node = fn.node
            params = list(node.args.posonlyargs) + list(node.args.args)
            is_vararg = node.args.vararg is not None
            if self.module_self is not None:
                if not params:
                    raise CompileError("Non-static method does not have a self argument", loc)
                args.append(Argument(params[0].arg, self.module_self.type))
                params = params[1:]
            annotated = node.returns is not None or any(p.annotation is not None for p in params)
            if annotated:
                parser = self.compiler.type_parser_for(fn.scope)
                builder = self.compiler.tree_builder(fn.scope, node.name)
                for p in params:
                    t_ = (parser.parse_type_from_expr(builder.build_expr(p.annotation))
                          if p.annotation is not None else T.Tensor)
                    args.append(Argument(p.arg, t_))
                ret = (parser.parse_type_from_expr(builder.build_expr(node.returns))
                       if node.returns is not None else T.Tensor)
                returns = (Argument("0", ret),)
            else:
                args += [Argument(p.arg, T.Tensor) for p in params]
                returns = (Argument("0", _binders_type(n_binders)),)
            name = fn.qualname
        else:
            is_vararg = True
            args = [Argument(str(i), T.Tensor) for i in range(0)]
            returns = (Argument("0", _binders_type(n_binders)),)
            name = getattr(self.pyobj, "__qualname__", getattr(self.pyobj, "__name__", ""))
        return FunctionSchema(name, "", tuple(args), returns, is_vararg=is_vararg)

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        args_with_self = list(args)
        if self.module_self is not None:
            args_with_self.insert(0, NamedValue.of(self.module_self, "self"))
        schema = self.schema(len(args_with_self), n_binders, loc)
        g = m.graph
        positional = [a.value(g) for a in args_with_self]
        matched = match_schema(schema, loc, g, args_with_self, kwargs)
        if self.dropped:
            message = insert_constant(g, "This Python function is annotated to be ignored and cannot be run")

            insert_op(g, prim("RaiseException"), [NamedValue.of(message)], [], loc)
            u = g.insert_node(g.create(kinds.Uninitialized))
            u.output().set_type(matched.return_types[0])
            return SimpleValue(u.output())
        node = g.insert_node(create_python_op(g, [], 0))
        node.init(self.pyobj, "d" * len(positional), [])
        node.set_source_range(loc)
        for v in matched.inputs:
            node.add_input(v)
        node.add_output(matched.return_types[0])
        node.callee_ref = self.ref
        return SimpleValue(node.output())


class TorchOpsValue(SugaredValue):
    """``torch.ops``: its attributes are operator namespaces. torch: _OpNamespace -> BuiltinModule."""

    def kind(self) -> str:
        return "python module"

    def attr(self, loc, m, field: str) -> SugaredValue:
        return BuiltinModule(field)


class BuiltinModule(SugaredValue):
    """``torch.ops.aten``: every attribute is an operator of that namespace. torch: BuiltinModule."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def kind(self) -> str:
        return "builtin module"

    def attr(self, loc, m, field: str) -> SugaredValue:
        if field == "autograd":
            return BuiltinModule("aten")
        return BuiltinFunction(Symbol(self.namespace, field))


class PythonClassValue(PythonValue):
    """A Python class TorchScript does not compile (an autograd Function, an
    nn.Module class): only its attributes (``MyFn.apply``) are usable."""

    def attr(self, loc, m, field: str) -> SugaredValue:
        return self.compiler.class_attribute_value(ClassAttributeRef(self.ref, field), m, loc)


class ExternalValue(PythonValue):
    """An object outside any source pyjit reads (``torch.backends.cudnn``,
    a third-party function): attributes resolve by dotted path, as torch's
    module attributes do; calling it goes through Python."""

    def attr(self, loc, m, field: str) -> SugaredValue:
        child = self.compiler.world.attribute(self.ref, field)
        value = to_sugared_value(child, m, loc, self.compiler, is_constant=True)
        if value is None:
            raise CompileError(f"attribute lookup is not defined on {self.kind()}", loc, code="PJ213")
        return value


def _binders_type(n_binders: int) -> T.JitType:
    if n_binders == 0:
        return T.NoneT
    if n_binders > 1:
        return T.TupleType(tuple(T.Tensor for _ in range(n_binders)))
    return T.Tensor


class BooleanDispatchValue(SugaredValue):
    """``F.max_pool2d``: two implementations chosen by a constant flag.
    torch: BooleanDispatchValue."""

    def __init__(self, arg_name: str, arg_index: int, default: bool, if_true: SugaredValue,
                 if_false: SugaredValue) -> None:
        self.arg_name, self.arg_index, self.default = arg_name, arg_index, default
        self.if_true, self.if_false = if_true, if_false

    def kind(self) -> str:
        return "boolean dispatch"

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        result = None
        index = self.arg_index
        if index < len(args):
            result = constant_value(args[index].value(m.graph), None)
            result = None if args[index].value(m.graph).node.kind is not kinds.Constant else bool(result)
        else:
            for kw in kwargs:
                if kw.name == self.arg_name:
                    v = kw.value(m.graph)
                    result = bool(constant_value(v, False)) if v.node.kind is kinds.Constant else None
                    break
            else:
                result = self.default
        if result is None:
            raise CompileError(f"value for {self.arg_name} must be a constant", loc)
        chosen = self.if_true if result else self.if_false
        return chosen.call(loc, m, args, kwargs, n_binders)


def to_sugared_value(ref: Ref | None, m, loc, compiler: Compiler, *, is_constant: bool = False) -> SugaredValue | None:
    """What TorchScript makes of a Python object. torch: toSugaredValue."""
    if ref is None:
        return None
    g = m.graph
    if isinstance(ref, ConstantRef):
        value = ref.value
        if is_constant:
            if value is None or isinstance(value, (bool, int, float, str)):
                return SimpleValue(insert_constant(g, value, loc))
            if isinstance(value, tuple):
                items = [to_sugared_value(ConstantRef(v), m, loc, compiler, is_constant=True) for v in value]
                return SugaredTupleValue(items)
        return PythonValue(ref, value, None, compiler, type_name=type(value).__name__, is_global=True)
    if isinstance(ref, ModuleRef):
        return PythonModuleValue(ref, compiler)
    if isinstance(ref, ExternalRef):
        return _external_to_sugared(ref, m, loc, compiler, is_constant)
    if isinstance(ref, FunctionRef):
        return compiler.function_value(ref, m, loc)
    if isinstance(ref, ClassRef):
        return compiler.class_value(ref, m, loc)
    if isinstance(ref, ClassAttributeRef):
        return compiler.class_attribute_value(ref, m, loc)
    if isinstance(ref, InstanceRef):
        cls = ref.cls
        name = cls.name if isinstance(cls, ClassRef) else "object"
        return PythonValue(ref, None, None, compiler, type_name=name, is_global=True)
    if isinstance(ref, BooleanDispatchRef):
        return BooleanDispatchValue(ref.arg_name, ref.arg_index, ref.default,
                                    to_sugared_value(ref.if_true, m, loc, compiler),
                                    to_sugared_value(ref.if_false, m, loc, compiler))
    if isinstance(ref, UnknownRef):
        return compiler.unknown_value(ref, m, loc)
    return None


def _external_to_sugared(ref: ExternalRef, m, loc, compiler: Compiler, is_constant: bool) -> SugaredValue | None:
    path = ref.path
    g = m.graph
    form = SPECIAL_FORMS.get(path)
    if form is not None:
        return SpecialFormValue(Symbol(form))
    if path.startswith("torch.") and path.count(".") == 1:
        name = path.split(".", 1)[1]
        if name in DTYPES:
            return SimpleValue(insert_constant(g, DTYPES[name], loc))
        if name in LAYOUTS:
            return SimpleValue(insert_constant(g, LAYOUTS[name], loc))
        if name in MEMORY_FORMATS:
            return SimpleValue(insert_constant(g, MEMORY_FORMATS[name], loc))
        if name in QSCHEMES:
            return SimpleValue(insert_constant(g, QSCHEMES[name], loc))
    if path in EXTERNAL_CONSTANTS:
        return SimpleValue(insert_constant(g, EXTERNAL_CONSTANTS[path], loc))
    op = external_builtin(path)
    if op is not None:
        return BuiltinFunction(Symbol(op))
    short = path.rsplit(".", 1)[-1]
    head = path.rsplit(".", 1)[0]
    if "." in path and torch_library.namespace_has(head, short) is False:
        raise CompileError(f"object has no attribute {short}", loc, code="PJ210")
    if path.startswith("builtins.") and short in EXCEPTION_NAMES:
        return PythonExceptionValue(path)
    if path == "torch.ops":
        return TorchOpsValue()
    if path == "builtins.slice":
        return SliceValue(None, None, None)
    if path in ("math.inf", "math.nan", "math.pi", "math.e", "math.tau"):
        return SimpleValue(insert_constant(g, getattr(math, short), loc))
    if (path.startswith(("builtins.", "math.", "cmath.")) and path.count(".") == 1) or path.startswith("operator."):
        # A C function of the standard library TorchScript has no op for.
        raise CompileError(f"Python builtin <built-in function {short}> is currently not supported in Torchscript",
                           loc, code="PJ214")
    if path in ("torch", "math", "torch.nn", "torch.nn.functional", "torch.jit", "torch.linalg", "torch.fft",
                "torch.special", "torch.autograd", "torch.testing", "torch.cuda", "torch.distributed",
                "typing", "warnings", "torch.overrides", "torch._C", "torch._C._nn", "torch._VF", "cmath",
                "torch.nn.init", "torch.sparse", "torch.nested", "torch.backends", "torch._jit_internal"):
        return PythonModuleValue(ref, compiler)
    return compiler.external_value(ref, m, loc)
