"""Sugared values: what a name or expression *is* before it becomes IR.

torch: sugared_value.h / sugared_value.cpp. ``self``, ``self.lin``,
``torch.relu``, ``range(3)`` or a Python helper are not first-class values;
each sugared value decides what using it means -- calling it, reading an
attribute, iterating, indexing -- and emits the IR for that. Error messages
are torch's.

Every method takes ``m``, the function being emitted (it has ``graph``,
``fn`` and ``unit``), as torch's take ``GraphFunction& m``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..ir import types as T
from ..ir.attributes import EnumValue
from ..ir.constants import constant_value, insert_constant
from ..ir.graph import Graph, Value
from ..ir.source_range import SourceRange
from ..ir.symbols import Symbol, aten, kinds, prim
from ..ir.type_variables import match_type_variables, try_eval_type_variables
from ..schema.registry import schemas_for
from . import matching
from .compilation_unit import RecursiveCallError
from .custom_ops import emit_custom_op_call, is_custom_namespace
from .errors import CompileError, Poisoned
from .named_value import NamedValue

if TYPE_CHECKING:
    from .compilation_unit import GraphFunction


def emit_builtin_call(loc, graph, name, args, kwargs=(), self=None) -> Value:
    return matching.emit_builtin_call(loc, graph, name, list(args), list(kwargs), self)


def insert_op(graph, name, args, kwargs=(), loc=None) -> Value:
    return matching.insert_op(graph, name, list(args), list(kwargs), loc)


def as_named(values: Sequence[Value | NamedValue]) -> list[NamedValue]:
    return [v if isinstance(v, NamedValue) else NamedValue.of(v) for v in values]


def to_values(graph: Graph, named: Sequence[NamedValue]) -> list[Value]:
    return [nv.value(graph) for nv in named]


class SugaredValue:
    """torch: SugaredValue. Subclasses override what they support."""

    def kind(self) -> str:
        raise NotImplementedError

    def as_value(self, loc: SourceRange, m) -> Value:
        raise CompileError(f"{self.kind()} cannot be used as a value", loc)

    def attr(self, loc: SourceRange, m, field: str) -> SugaredValue:
        raise CompileError(f"attribute lookup is not defined on {self.kind()}", loc)

    def has_attr(self, loc: SourceRange, m, field: str) -> bool:
        raise CompileError(f"attribute lookup is not defined on {self.kind()}", loc)

    def set_attr(self, loc: SourceRange, m, field: str, new_value: Value) -> None:
        raise CompileError(f"attribute assignment is not defined on {self.kind()}", loc)

    def as_tuple(self, loc: SourceRange, m, size_hint: int | None = None) -> list[SugaredValue]:
        raise CompileError(f"{self.kind()} cannot be used as a tuple", loc)

    def as_tuple_value(self, loc: SourceRange, m) -> SugaredValue:
        raise CompileError(f"{self.kind()} cannot be used as a tuplevalue", loc)

    def call(self, loc: SourceRange, m, args: list[NamedValue], kwargs: list[NamedValue],
             n_binders: int) -> SugaredValue:
        raise CompileError(f"cannot call a {self.kind()}", loc)

    def iter(self, loc: SourceRange, m) -> SugaredValue:
        raise CompileError(f"{self.kind()} cannot be used as an iterable", loc)

    def static_len(self) -> int | None:
        return None

    def should_emit_unrolled(self) -> bool:
        return self.static_len() is not None

    def len(self, loc: SourceRange, m) -> Value:
        raise CompileError(f"'{self.kind()}' object is not iterable", loc)

    def getitem(self, loc: SourceRange, m, idx: Value, type_hint: T.JitType | None = None) -> SugaredValue:
        raise CompileError(f"'{self.kind()}' object is not subscriptable", loc)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.kind()}>"


class PoisonValue(SugaredValue):
    """Stands for a variable whose definition failed to compile. Any use
    abandons the statement quietly: its cause was already reported."""

    def kind(self) -> str:
        return "poisoned value"

    def as_value(self, loc, m):
        raise Poisoned()

    def attr(self, loc, m, field):
        return self

    def call(self, loc, m, args, kwargs, n_binders):
        return self

    def getitem(self, loc, m, idx, type_hint=None):
        return self

    def iter(self, loc, m):
        return self

    def as_tuple(self, loc, m, size_hint=None):
        raise Poisoned()

    def len(self, loc, m):
        raise Poisoned()

    def set_attr(self, loc, m, field, new_value):
        return None

    def has_attr(self, loc, m, field):
        raise Poisoned()


class NoneValue(SugaredValue):
    def kind(self) -> str:
        return "None"


# --- simple values -------------------------------------------------------------------

#: Tensor methods that cast: ``x.int()`` is ``x.to(dtype=int32)``.
CAST_METHOD_DTYPES = {
    "byte": 0, "char": 1, "double": 7, "float": 6, "cfloat": 9, "cdouble": 10,
    "int": 3, "long": 4, "short": 2, "half": 5,
}

#: Properties implemented as ops. torch: builtin_properties in SimpleValue::attr.
TENSOR_PROPERTIES = {
    "dtype": "prim", "device": "prim", "grad": "prim", "data": "prim", "shape": "prim",
    "is_cuda": "prim", "is_cpu": "prim", "is_xla": "prim", "is_xpu": "prim", "is_sparse": "prim",
    "is_sparse_csr": "prim", "is_mkldnn": "prim", "is_mps": "prim", "is_mtia": "prim",
    "is_quantized": "prim", "is_vulkan": "prim", "is_ipu": "prim", "is_meta": "prim",
    "is_leaf": "aten", "is_nested": "prim", "requires_grad": "prim", "layout": "prim", "T": "prim",
    "H": "prim", "mT": "aten", "mH": "aten", "is_maia": "prim", "itemsize": "prim", "nbytes": "prim",
    "ndim": "prim", "name": "prim", "real": "aten", "imag": "aten", "retains_grad": "aten",
}
DEVICE_PROPERTIES = {"type": "prim", "index": "prim"}


class SimpleValue(SugaredValue):
    """A first-class IR value. torch: SimpleValue."""

    def __init__(self, value: Value) -> None:
        self.value = value

    def kind(self) -> str:
        return f"value of type '{self.value.type.annotation_str()}'"

    def as_value(self, loc, m) -> Value:
        return self.value

    def attr(self, loc, m, field: str) -> SugaredValue:
        v = self.value
        t = v.type
        graph = m.graph
        if T.is_subtype(t, T.Tensor) and field in CAST_METHOD_DTYPES:
            return TensorCastValue(CAST_METHOD_DTYPES[field], NamedValue.of(v, "self", loc))
        props = (TENSOR_PROPERTIES if isinstance(t, T.TensorType)
                 else DEVICE_PROPERTIES if isinstance(t, T.DeviceObjType) else None)
        if props is not None and field in props:
            return SimpleValue(insert_op(graph, Symbol(props[field], field), [NamedValue.of(v)], loc=loc))
        if isinstance(t, T.TupleType):
            if t.fields is not None:
                for i, f in enumerate(t.fields):
                    if f.name == field:
                        idx = insert_constant(graph, i)
                        n = graph.insert_node(graph.create(kinds.TupleIndex, [v, idx]))
                        n.output().set_type(t.elements[i])
                        return SimpleValue(n.output())
        elif isinstance(t, T.ClassType):
            info = m.unit.class_info(t)
            if info is not None:
                if field in info.methods:
                    return MethodValue(v, [field])
                if field in info.attributes:
                    n = graph.insert_node(graph.create(kinds.GetAttr, [v]))
                    n.s_("name", field)
                    n.output().set_type(info.attributes[field])
                    return SimpleValue(n.output())
                if field in info.properties:
                    getter = info.properties[field][0]
                    return MethodValue(v, [getter.name]).call(loc, m, [], [], 1)
        elif isinstance(t, T.InterfaceType):
            info = m.unit.class_info(t)
            if info is not None and field in info.interface_methods:
                return MethodValue(v, [field])
        elif isinstance(t, T.EnumType) and field in ("name", "value"):
            n = graph.insert_node(graph.create(prim("EnumName" if field == "name" else "EnumValue"), [v]))
            n.output().set_type(T.Str if field == "name" else t.value_type)
            return SimpleValue(n.output())
        if field == "type":
            builtin = BuiltinFunction.try_create(aten("to"), NamedValue.of(v, "self", loc))
            if builtin is not None:
                return builtin
        builtin = BuiltinFunction.try_create(aten(field), NamedValue.of(v, "self", loc))
        if builtin is not None:
            return builtin
        if T.is_subtype(t, T.Tensor) and field == "tolist":
            return SpecialFormValue(prim("tolist"))
        message = f"'{t.annotation_str()}' object has no attribute or method '{field}'."
        if isinstance(t, T.ClassType):
            message += " Did you forget to initialize an attribute in __init__()?"
        raise CompileError(message, loc, code="PJ210")

    def has_attr(self, loc, m, field: str) -> bool:
        t = self.value.type
        if not isinstance(t, T.ClassType):
            raise CompileError(f"hasattr's first argument must be an object, got {t.annotation_str()} instead", loc)
        info = m.unit.class_info(t)
        return info is not None and (field in info.methods or field in info.attributes or field in info.constants)

    def as_tuple(self, loc, m, size_hint: int | None = None) -> list[SugaredValue]:
        t = self.value.type
        graph = m.graph
        if isinstance(t, T.TupleType):
            return [SimpleValue(o) for o in create_tuple_unpack(graph, self.value)]
        if isinstance(t, T.ListType):
            if size_hint is None:
                raise CompileError("cannot statically infer the expected size of a list in this context", loc)
            n = graph.insert_node(graph.create(kinds.ListUnpack, [self.value], size_hint))
            for o in n.outputs:
                o.set_type(t.element)
            return [SimpleValue(o) for o in n.outputs]
        if isinstance(t, T.AnyTupleType):
            raise CompileError("Provided tuple is not fully defined/refined including its element types, "
                               "please provide a value of type like Tuple[int, int]", loc)
        raise CompileError(f"{t.annotation_str()} cannot be used as a tuple", loc)

    def set_attr(self, loc, m, field: str, new_value: Value) -> None:
        t = self.value.type
        if not isinstance(t, T.ClassType):
            raise CompileError(f"Tried to set an attribute: {field} on a non-class: {t.annotation_str()}", loc)
        info = m.unit.class_info(t)
        expected = info.attributes.get(field) if info is not None else None
        graph = m.graph
        if expected is None:
            initializing = (m.fn.name == "__init__" and graph.inputs and graph.inputs[0].type == t)
            if initializing and info is not None:
                if _is_recursive(t, new_value.type):
                    raise CompileError(
                        f"Assignment to attribute '{field}' cannot be of a type that contains class "
                        f"'{t.annotation_str()}'.\n"
                        "Classes that recursively contain instances of themselves are not yet supported",
                        loc)
                info.add_attribute(field, new_value.type)
                expected = new_value.type
                if graph.insert_point.owning_block is not graph.block:
                    raise CompileError("First assignment cannot be in a control-flow block. "
                                       "Initialize the field at the top level first", loc)
            else:
                prop = info.properties.get(field) if info is not None else None
                if prop is not None and prop[1] is not None:
                    MethodValue(self.value, [prop[1].name]).call(loc, m, [NamedValue.of(new_value)], [], 1)
                    return
                if prop is not None:
                    raise CompileError(f"Tried to set read-only attribute: {field}", loc)
                raise CompileError(f"Tried to set nonexistent attribute: {field}. "
                                   "Did you forget to initialize it in __init__()?", loc)
        if not T.is_subtype(new_value.type, expected):
            raise CompileError(f"Wrong type for attribute assignment. Expected {expected.annotation_str()} "
                               f"but got {new_value.type.annotation_str()}", loc)
        n = graph.insert_node(graph.create(kinds.SetAttr, [self.value, new_value], 0))
        n.s_("name", field)

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        if isinstance(self.value.type, T.ClassType):
            return self.attr(loc, m, "__call__").call(loc, m, args, kwargs, n_binders)
        return super().call(loc, m, args, kwargs, n_binders)

    def len(self, loc, m) -> Value:
        t = self.value.type
        if isinstance(t, (T.ListType, T.StringType)) or T.is_subtype(t, T.Tensor):
            return insert_op(m.graph, aten("len"), [NamedValue.of(self.value)], loc=loc)
        raise CompileError(f"'{t.annotation_str()}' object is not iterable", loc)

    def getitem(self, loc, m, idx: Value, type_hint=None) -> SugaredValue:
        v, t, graph = self.value, self.value.type, m.graph
        if isinstance(t, (T.ListType, T.StringType, T.DictType)):
            return SimpleValue(insert_op(graph, aten("__getitem__"), [NamedValue.of(v), NamedValue.of(idx)], loc=loc))
        if T.is_subtype(t, T.Tensor):
            return SimpleValue(insert_op(graph, aten("select"),
                                         [NamedValue.of(v), NamedValue.of_constant(0), NamedValue.of(idx)], loc=loc))
        if isinstance(t, T.ClassType):
            info = m.unit.class_info(t)
            if info is not None and info.is_module and type_hint is not None:
                res = insert_op(graph, prim("ModuleContainerIndex"), [NamedValue.of(v), NamedValue.of(idx)], loc=loc)
                res.set_type(type_hint)
                return SimpleValue(res)
            return self.attr(loc, m, "__getitem__").call(loc, m, [NamedValue.of(idx)], [], 1)
        raise CompileError(f"'{t.annotation_str()}' object is not subscriptable", loc)

    def iter(self, loc, m) -> SugaredValue:
        v, t = self.value, self.value.type
        if isinstance(t, (T.ListType, T.StringType, T.TensorType)):
            return self
        if isinstance(t, T.DictType):
            return SimpleValue(insert_op(m.graph, aten("keys"), [NamedValue.of(v)], loc=loc))
        if isinstance(t, T.TupleType):
            return SugaredTupleValue([SimpleValue(o) for o in create_tuple_unpack(m.graph, v)])
        raise CompileError(f"'{t.annotation_str()}' object is not iterable", loc)


def _is_recursive(class_type: T.JitType, attr_type: T.JitType) -> bool:
    if T.is_subtype(attr_type, class_type):
        return True
    return any(_is_recursive(class_type, c) for c in attr_type.contained_types())


def create_tuple_unpack(graph: Graph, v: Value) -> list[Value]:
    """torch: createTupleUnpack -- reuse a TupleConstruct's inputs directly."""
    if v.node.kind is kinds.TupleConstruct:
        return list(v.node.inputs)
    t = v.type
    assert isinstance(t, T.TupleType)
    n = graph.insert_node(graph.create(kinds.TupleUnpack, [v], len(t.elements)))
    for o, et in zip(n.outputs, t.elements, strict=False):
        o.set_type(et)
    return list(n.outputs)


# --- builtins ------------------------------------------------------------------------


class BuiltinFunction(SugaredValue):
    """An operator, optionally bound to ``self``. torch: BuiltinFunction."""

    def __init__(self, symbol: Symbol, self_: NamedValue | None = None) -> None:
        self.symbol = symbol
        self.self_ = self_

    def kind(self) -> str:
        return "builtin"

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        if self.self_ is None and is_custom_namespace(self.symbol.namespace):
            return SimpleValue(emit_custom_op_call(loc, m, self.symbol, args, kwargs, n_binders))
        return SimpleValue(emit_builtin_call(loc, m.graph, self.symbol, args, kwargs, self.self_))

    @staticmethod
    def try_create(symbol: Symbol, self_: NamedValue | None) -> BuiltinFunction | None:
        """torch: BuiltinFunction::tryCreate -- only if some overload takes this ``self``."""
        for schema in schemas_for(symbol.qual_string()):
            if self_ is None:
                return BuiltinFunction(symbol, None)
            index = schema.argument_index_with_name("self")
            if index is None:
                continue
            formal = schema.arguments[index].type
            env: dict = {}
            if match_type_variables(formal, self_.type(), env) is not None:
                continue
            concrete = try_eval_type_variables(formal, env)
            if concrete is None or not T.is_subtype(self_.type(), concrete):
                continue
            return BuiltinFunction(symbol, self_)
        return None


class TensorCastValue(SugaredValue):
    """``x.int()`` and friends. torch: TensorCastValue."""

    def __init__(self, dtype: int, self_: NamedValue) -> None:
        self.dtype = dtype
        self.self_ = self_

    def kind(self) -> str:
        return "Cast"

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        dtype = insert_constant(m.graph, self.dtype, loc)
        out = insert_op(m.graph, aten("to"), list(args), [self.self_, NamedValue.of(dtype, "dtype", loc)], loc)
        return SimpleValue(out)


class CastValue(BuiltinFunction):
    """``int(x)``, ``bool(x)``: a no-op on values of the type already. torch: CastValue."""

    def __init__(self, type_: T.JitType, method: Symbol) -> None:
        super().__init__(method, None)
        self.type = type_

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        if len(args) == 1 and not kwargs:
            graph = m.graph
            zero = insert_constant(graph, 0)
            v = args[0].value(graph)
            if T.is_subtype(v.type, self.type):
                return SimpleValue(v)
            if isinstance(self.type, T.BoolType) and (
                isinstance(v.type, (T.ListType, T.StringType, T.DictType))
            ):
                length = BuiltinFunction(aten("len")).call(loc, m, [NamedValue.of(v)], [], 1)
                return BuiltinFunction(aten("gt")).call(
                    loc, m, [NamedValue.of(length.as_value(loc, m)), NamedValue.of(zero)], [], 1)
        return super().call(loc, m, args, kwargs, n_binders)


class MagicMethod(SugaredValue):
    """``len(x)``, ``x + y``: call ``__len__``/``__add__`` on class types. torch: MagicMethod."""

    def __init__(self, desugared_name: str, base: SugaredValue) -> None:
        self.desugared_name = desugared_name
        self.base = base

    def kind(self) -> str:
        return self.desugared_name

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        if args:
            first = args[0].value(m.graph)
            if isinstance(first.type, T.ClassType):
                return SimpleValue(first).attr(loc, m, self.desugared_name).call(loc, m, args[1:], kwargs, n_binders)
        return self.base.call(loc, m, args, kwargs, n_binders)


class SpecialFormValue(SugaredValue):
    """Call-like syntax with its own evaluation rules (``isinstance``, ``range``...)."""

    def __init__(self, form: Symbol) -> None:
        self.form = form

    def kind(self) -> str:
        return self.form.unqual_string()


class PrintValue(SugaredValue):
    def kind(self) -> str:
        return "print"

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        if kwargs:
            raise CompileError("print doesn't accept any keyword arguments", loc)
        g = m.graph
        g.insert_node(g.create(prim("Print"), to_values(g, args), 0)).set_source_range(loc)
        return NoneValue()


class ExceptionMessageValue(SugaredValue):
    def __init__(self, value: Value, qualified_class_name: Value | None = None) -> None:
        self.value = value
        self.qualified_class_name = qualified_class_name

    def kind(self) -> str:
        return "exception message"


class ExceptionValue(SugaredValue):
    """An exception class (``RuntimeError``). torch: ExceptionValue."""

    def __init__(self, message: str) -> None:
        self.message = message

    def kind(self) -> str:
        return "exception"

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        g = m.graph
        msg = insert_constant(g, self.message + ": ", loc)
        for a in args:
            s = a.value(g)
            if not T.is_subtype(s.type, T.Str):
                s = emit_builtin_call(loc, g, aten("str"), [NamedValue.of(s)])
            msg = emit_builtin_call(loc, g, aten("add"), [NamedValue.of(msg), NamedValue.of(s)])
        return ExceptionMessageValue(msg)


class PythonExceptionValue(ExceptionValue):
    """A Python exception class (``ValueError``, a user's ``class E(Exception)``).
    torch: PythonExceptionValue -- the message is the argument itself, and the
    class travels as its qualified name (``builtins.ValueError``)."""

    def __init__(self, qualified_name: str) -> None:
        super().__init__(qualified_name.rsplit(".", 1)[-1])
        self.qualified_name = qualified_name

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        g = m.graph
        if not args:
            message = insert_constant(g, "", loc)
        elif len(args) == 1:
            message = args[0].value(g)
        else:
            values = [a.value(g) for a in args] + [k.value(g) for k in kwargs]
            message = g.insert_node(g.create_tuple(values)).output()
        qualified = insert_constant(g, self.qualified_name, loc)
        return ExceptionMessageValue(message, qualified)


class SliceValue(SugaredValue):
    def __init__(self, start: Value | None, stop: Value | None, step: Value | None) -> None:
        self.start, self.stop, self.step = start, stop, step

    def kind(self) -> str:
        return "Python slice value"


# --- iteration -----------------------------------------------------------------------


class SugaredTupleValue(SugaredValue):
    """A tuple of sugared values (module lists, tuples being unrolled)."""

    def __init__(self, items: list[SugaredValue]) -> None:
        self.items = items

    def kind(self) -> str:
        return "Tuple"

    def as_tuple(self, loc, m, size_hint=None) -> list[SugaredValue]:
        return self.items

    def as_value(self, loc, m) -> Value:
        g = m.graph
        values = [sv.as_value(loc, m) for sv in self.items]
        return g.insert_node(g.create_tuple(values)).output()

    def getitem(self, loc, m, idx: Value, type_hint=None) -> SugaredValue:
        index = constant_value(idx, None) if isinstance(idx.type, T.IntType) else None
        if index is None or isinstance(index, bool):
            raise CompileError(
                "Expected integer literal for index but got a variable or non-integer. ModuleList/Sequential "
                "indexing is only supported with integer literals. For example, 'i = 4; self.layers[i](x)' will "
                "fail because i is not a literal. Enumeration is supported, e.g. 'for index, v in enumerate(self): "
                "out = v(inp)'", loc, code="PJ223")
        adj = index + len(self.items) if index < 0 else index
        if not 0 <= adj < len(self.items):
            raise CompileError(f"Index {index} out of range of length {len(self.items)}", loc)
        return self.items[adj]

    def iter(self, loc, m) -> SugaredValue:
        return self

    def static_len(self) -> int | None:
        return len(self.items)


class RangeValue(SugaredValue):
    """``range(...)``. torch: RangeValue."""

    def __init__(self, loc, m, inputs: list[Value], static_len: int | None = None) -> None:
        for i, v in enumerate(inputs):
            if not isinstance(v.type, T.IntType):
                raise CompileError(
                    f"all inputs of range must be ints, found {v.type.annotation_str()} in argument {i}", loc)
        g = m.graph
        if not inputs:
            raise CompileError("range expected at least 1 arguments, got 0", loc)
        if len(inputs) == 1:
            self.end = inputs[0]
            self.start = insert_constant(g, 0, loc)
            self.step = insert_constant(g, 1, loc)
            self.has_only_end = True
        elif len(inputs) <= 3:
            self.start, self.end = inputs[0], inputs[1]
            self.step = inputs[2] if len(inputs) == 3 else insert_constant(g, 1, loc)
            self.has_only_end = False
        else:
            raise CompileError(f"range expected at most 3 arguments, got {len(inputs)}", loc)
        self._static_len = static_len

    def kind(self) -> str:
        return "range"

    def iter(self, loc, m) -> SugaredValue:
        return self

    def static_len(self) -> int | None:
        return self._static_len

    def len(self, loc, m) -> Value:
        if self._static_len is not None:
            return insert_constant(m.graph, self._static_len, loc)
        if self.has_only_end:
            return self.end
        return insert_op(m.graph, aten("__range_length"), as_named([self.start, self.end, self.step]), loc=loc)

    def getitem(self, loc, m, idx: Value, type_hint=None) -> SugaredValue:
        if self.has_only_end:
            return SimpleValue(idx)
        return SimpleValue(insert_op(m.graph, aten("__derive_index"), as_named([idx, self.start, self.step]), loc=loc))


class IterableTree(SugaredValue):
    """``zip``/``enumerate`` as a tree of iterables. torch: IterableTree."""

    def __init__(self) -> None:
        self.children: list[SugaredValue] = []
        self.unroll_length: int | None = None

    def kind(self) -> str:
        return "iterabletree"

    def iter(self, loc, m) -> SugaredValue:
        return self

    def add_child(self, loc, m, value: SugaredValue) -> None:
        child_len = value.static_len()
        if not self.children:
            self.unroll_length = child_len
        else:
            if (self.unroll_length is None) != (child_len is None):
                raise CompileError("Can not iterate over a module list or tuple with a value that does not have "
                                   "a statically determinable length\n", loc)
            if self.unroll_length is not None and child_len is not None:
                self.unroll_length = min(child_len, self.unroll_length)
            else:
                self.unroll_length = None
        self.children.append(value)

    def static_len(self) -> int | None:
        return self.unroll_length

    def base_iterables(self) -> list[SugaredValue]:
        out: list[SugaredValue] = []
        for c in self.children:
            out.extend(c.base_iterables() if isinstance(c, IterableTree) else [c])
        return out

    def len(self, loc, m) -> Value:
        g = m.graph
        lengths = [b.len(loc, m) for b in self.base_iterables()]
        lst = g.insert_node(create_list(g, T.Int, lengths))
        return insert_op(g, prim("min"), [NamedValue.of(lst.output())], loc=loc)

    def getitem(self, loc, m, idx: Value, type_hint=None) -> SugaredValue:
        return SugaredTupleValue([c.getitem(loc, m, idx) for c in self.children])


# --- functions, methods, classes ---------------------------------------------------------


class FunctionValue(SugaredValue):
    """A compiled function; calling it emits ``prim::CallFunction``. torch: FunctionValue."""

    def __init__(self, callees: list[GraphFunction]) -> None:
        self.callees = callees

    def kind(self) -> str:
        return "function"

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        schemas = []
        for callee in self.callees:
            try:
                callee.ensure_defined()
            except RecursiveCallError:
                raise CompileError(f" function '{callee.name}' is called recursively. "
                                   "Recursive calls are not supported", loc) from None
            schemas.append(callee.schema)
        index, matched = matching.match_schemas(schemas, loc, m.graph, args, kwargs)
        out = insert_function_call(m.graph, self.callees[index], matched)
        out.node.set_source_range(loc)
        return SimpleValue(out)


class MethodValue(SugaredValue):
    """A method of a class, module or interface value. torch: MethodValue."""

    def __init__(self, self_value: Value, method_names: list[str]) -> None:
        self.self_value = self_value
        self.method_names = method_names

    def kind(self) -> str:
        return "method"

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        args_with_self = [NamedValue.of(self.self_value), *list(args)]
        schemas = []
        t = self.self_value.type
        info = m.unit.class_info(t)
        for name in self.method_names:
            if isinstance(t, T.ClassType):
                method = info.methods[name]
                try:
                    method.ensure_defined()
                except RecursiveCallError:
                    raise CompileError(f" method '{method.name}' is called recursively. "
                                       "Recursive calls are not supported", loc) from None
                schemas.append(method.schema)
            else:
                schemas.append(info.interface_methods[name])
        index, matched = matching.match_schemas(schemas, loc, m.graph, args_with_self, kwargs)
        out = insert_method_call(m.graph, self.method_names[index], matched)
        out.node.set_source_range(loc)
        return SimpleValue(out)


class ClassValue(SugaredValue):
    """A script class used as a value: calling it constructs. torch: ClassValue."""

    def __init__(self, type_: T.ClassType) -> None:
        self.type = type_

    def kind(self) -> str:
        return self.type.str()

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        g = m.graph
        obj = g.insert_node(g.create(prim("CreateObject")).set_source_range(loc))
        obj.output().set_type(self.type)
        info = m.unit.class_info(self.type)
        if info is None or "__init__" not in info.methods:
            raise CompileError(
                f"Class {self.type.name.rsplit('.', 1)[-1]} does not have an __init__ function defined", loc)
        MethodValue(obj.output(), ["__init__"]).call(loc, m, args, kwargs, n_binders)
        return SimpleValue(obj.output())

    def attr(self, loc, m, field: str) -> SugaredValue:
        if field != "__new__":
            raise CompileError(f"Tried to lookup unknown attribute on class {self.type.annotation_str()}", loc)
        return SpecialFormValue(prim("CreateObject"))


class NamedTupleConstructor(SugaredValue):
    def __init__(self, type_: T.TupleType, schema) -> None:
        self.type = type_
        self.schema = schema

    def kind(self) -> str:
        return self.type.str()

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        g = m.graph
        matched = matching.match_schema(self.schema, loc, g, args, kwargs)
        n = g.insert_node(g.create_tuple(matched.inputs, self.type)).set_source_range(loc)
        return SimpleValue(n.output())


class SugaredEnumClass(SugaredValue):
    def __init__(self, enum_type: T.EnumType, members: list[tuple[str, Any]]) -> None:
        self.enum_type = enum_type
        self.members = members

    def kind(self) -> str:
        return "EnumClass"

    def attr(self, loc, m, field: str) -> SugaredValue:
        for name, value in self.members:
            if name == field:
                return SimpleValue(insert_constant(m.graph, EnumValue(self.enum_type.name, name, value), loc,
                                                   type=self.enum_type))
        raise CompileError(f"{self.enum_type.annotation_str()}' has no attribute '{field}'", loc)

    def iter(self, loc, m) -> SugaredValue:
        values = [EnumValue(self.enum_type.name, n, v) for n, v in self.members]
        return SimpleValue(insert_constant(m.graph, values, loc, type=T.ListType(self.enum_type)))


# --- node construction helpers (torch: Graph::create*) ---------------------------------



def create_list(graph: Graph, element_type: T.JitType, values: Sequence[Value]):
    """torch: Graph::createList."""
    n = graph.create(kinds.ListConstruct, values)
    n.output().set_type(T.ListType(element_type))
    return n


def create_dict(graph: Graph, key_type: T.JitType, value_type: T.JitType, keys: Sequence[Value],
                values: Sequence[Value]):
    """torch: Graph::createDict (inputs interleave keys and values)."""
    inputs = []
    for k, v in zip(keys, values, strict=False):
        inputs += [k, v]
    n = graph.create(kinds.DictConstruct, inputs)
    n.output().set_type(T.DictType(key_type, value_type))
    return n


def insert_function_call(graph: Graph, callee: GraphFunction, matched) -> Value:
    """torch: Graph::insertFunctionCall -- a function constant, then CallFunction."""
    fn_constant = graph.insert_node(graph.create(kinds.Constant))
    fn_constant.s_("name", callee.name)
    fn_constant.output().set_type(T.FunctionType(callee.qualified_name))
    inputs = [fn_constant.output(), *list(matched.inputs)]
    n = graph.insert_node(graph.create(kinds.CallFunction, inputs))
    n.output().set_type(matched.return_types[0])
    return n.output()


def insert_method_call(graph: Graph, method_name: str, matched) -> Value:
    """torch: Graph::insertMethodCall."""
    n = graph.insert_node(graph.create(kinds.CallMethod, matched.inputs))
    n.s_("name", method_name)
    n.output().set_type(matched.return_types[0])
    return n.output()
