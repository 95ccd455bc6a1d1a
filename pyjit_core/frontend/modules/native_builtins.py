"""Python's builtins modelled natively: ``len``, ``isinstance``, ``int``, ``range``, the exception classes...

:data:`BUILTINS` maps builtin names to :class:`~.values.Native` callables and
:class:`~.values.NativeClass` classes (constructors in
:data:`NATIVE_CONSTRUCTORS`, ``nn.Parameter`` and ``torch.Tensor`` included);
:func:`native_mro` gives a native class its bases. The methods of builtin
values the interpreter may call for real (``str.format``, ``list.append``)
and the methods of tensors are natives made on demand (:func:`real_method`,
:func:`tensor_method`). Each native is ``impl(interp, args, kwargs, node)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...ir import types as T
from .abstract_values import (
    MAX_LEN,
    MISSING,
    NATIVE_MODULE,
    NATIVE_OBJECT,
    NATIVE_PARAMETER,
    NATIVE_SCRIPT_MODULE,
    NATIVE_TENSOR,
    BoundMethod,
    ClassObj,
    ExceptionObj,
    ExternalObj,
    Instance,
    InterpretError,
    ModuleInstance,
    Native,
    NativeClass,
    PyFunction,
    RangeObj,
    SuperObj,
    TensorValue,
    Unknown,
    hashable,
    is_number,
    operable,
)

if TYPE_CHECKING:
    from .interpreter import Interpreter


# --- the exception classes ---------------------------------------------------------------------

EXCEPTION_CLASSES = {
    "Exception", "BaseException", "RuntimeError", "ValueError", "TypeError", "AssertionError", "KeyError",
    "IndexError", "NotImplementedError", "AttributeError", "StopIteration", "ZeroDivisionError",
    "ArithmeticError", "OverflowError", "LookupError", "ImportError", "OSError", "Warning", "UserWarning",
    "DeprecationWarning",
}
_EXCEPTION_PARENTS = {
    "KeyError": "LookupError", "IndexError": "LookupError", "ZeroDivisionError": "ArithmeticError",
    "OverflowError": "ArithmeticError", "NotImplementedError": "RuntimeError",
}


def exception_is_a(name: str, base: str) -> bool:
    while name in _EXCEPTION_PARENTS:
        name = _EXCEPTION_PARENTS[name]
        if name == base:
            return True
    return False


# --- natives: builtins ---------------------------------------------------------------------


def _b_len(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    v = args[0] if args else None
    if isinstance(v, (list, tuple, str, dict, set)):
        return len(v)
    if isinstance(v, ModuleInstance):
        method = interp.class_lookup(v.cls, "__len__")
        if method is not MISSING:
            return interp.call(method, [v], {}, node)
    return Unknown("len()", T.Int)


def _b_isinstance(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if len(args) != 2:
        return Unknown("isinstance", T.Bool)
    value, classinfo = args
    classes = list(classinfo) if isinstance(classinfo, tuple) else [classinfo]
    results = [_isinstance_one(interp, value, c) for c in classes]
    if any(r is True for r in results):
        return True
    if any(r is None for r in results):
        return Unknown("isinstance", T.Bool)
    return False


_PRIMITIVE_CLASSES = {"int": int, "float": float, "bool": bool, "str": str, "tuple": tuple, "list": list,
                      "dict": dict, "set": set, "complex": complex, "NoneType": type(None), "frozenset": frozenset,
                      "slice": slice, "object": object}

_ABSTRACT_PYTHON = {
    "collections.abc.Iterable": (list, tuple, str, dict, set, range),
    "typing.Iterable": (list, tuple, str, dict, set, range),
    "collections.abc.Sequence": (list, tuple, str, range), "typing.Sequence": (list, tuple, str, range),
    "collections.abc.Mapping": (dict,), "typing.Mapping": (dict,), "collections.abc.Sized": (list, tuple, str, dict),
    "numbers.Integral": (int,), "numbers.Number": (int, float, complex), "numbers.Real": (int, float),
    "collections.OrderedDict": (dict,), "builtins.object": (object,),
}


def _unknown_is_a(u: Unknown, cls: Any) -> bool | None:
    t = u.type
    if t is None:
        return None
    name = cls.name if isinstance(cls, NativeClass) else ""
    py = {"int": T.IntType, "float": T.FloatType, "bool": T.BoolType, "str": T.StringType,
          "list": T.ListType, "tuple": T.TupleType, "dict": T.DictType}.get(name)
    if py is None:
        return None
    if isinstance(t, (T.OptionalType, T.UnionType, T.AnyType)):
        return None
    if name == "int" and isinstance(t, T.BoolType):
        return True
    return isinstance(t, py)


def _isinstance_one(interp: Interpreter, value: Any, cls: Any) -> bool | None:
    if isinstance(value, Unknown):
        return _unknown_is_a(value, cls)
    if isinstance(cls, NativeClass) and cls.name in _PRIMITIVE_CLASSES:
        if isinstance(value, (ModuleInstance, Instance, TensorValue, PyFunction, ExternalObj)):
            return cls.name == "object"
        return isinstance(value, _PRIMITIVE_CLASSES[cls.name])
    if cls is NATIVE_TENSOR or cls is NATIVE_PARAMETER:
        if isinstance(value, TensorValue):
            return True if cls is NATIVE_TENSOR else value.parameter
        return False
    if isinstance(cls, (ClassObj, NativeClass)):
        if isinstance(value, (ModuleInstance, Instance)):
            return interp.is_subclass(value.cls, cls)
        return False
    if isinstance(cls, ExternalObj):
        py_types = _ABSTRACT_PYTHON.get(cls.path)
        if py_types is not None:
            if isinstance(value, ModuleInstance):
                if cls.path in ("collections.abc.Iterable", "typing.Iterable"):
                    return interp.container_kind(value.cls) is not None
                return False
            if isinstance(value, (TensorValue,)):
                return cls.path in ("collections.abc.Iterable", "typing.Iterable")
            if isinstance(value, RangeObj):
                return range in py_types
            if isinstance(value, (Instance, PyFunction, ExternalObj)):
                return False
            if cls.path == "numbers.Integral" and isinstance(value, bool):
                return True
            return isinstance(value, py_types)
        if cls.path in ("torch.SymInt", "torch.SymFloat", "torch.SymBool"):
            return False
        if cls.path in _FUNCTION_TYPES:
            return isinstance(value, PyFunction)
        return None
    return None


#: ``types.FunctionType`` and friends: only a function is one.
_FUNCTION_TYPES = frozenset({"types.FunctionType", "types.MethodType", "types.BuiltinFunctionType",
                             "types.LambdaType"})


def _b_hasattr(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    obj, name = args[0], args[1]
    if not isinstance(name, str) or isinstance(obj, Unknown):
        return Unknown("hasattr", T.Bool)
    try:
        value = interp.get_attr(obj, name, node)
    except InterpretError:
        return False
    if isinstance(value, Unknown) and isinstance(obj, (TensorValue, ExternalObj)):
        return Unknown("hasattr", T.Bool)
    return True


def _b_getattr(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    obj, name = args[0], args[1]
    if not isinstance(name, str):
        return Unknown("getattr")
    try:
        return interp.get_attr(obj, name, node)
    except InterpretError:
        if len(args) > 2:
            return args[2]
        raise


def _b_setattr(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    obj, name, value = args[0], args[1], args[2]
    if isinstance(name, str):
        interp.set_attr(obj, name, value, node)
    return None


def _b_range(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in args) or not args:
        return Unknown("range")
    r = range(*args)
    if len(r) > MAX_LEN:
        return Unknown("range")
    return RangeObj(r)


def _b_iter_fn(fn: Callable[..., Any]) -> Callable[..., Any]:
    def impl(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
        lists = [interp.iterate(a, node) for a in args]
        if any(x is None for x in lists):
            return Unknown("iterable")
        return fn(interp, lists, kwargs, node)

    return impl


def _b_enumerate(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    items = interp.iterate(args[0], node) if args else None
    start = args[1] if len(args) > 1 else kwargs.get("start", 0)
    if items is None or not isinstance(start, int):
        return Unknown("enumerate")
    return [(start + k, v) for k, v in enumerate(items)]


def _b_tuple(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if not args:
        return ()
    items = interp.iterate(args[0], node)
    return tuple(items) if items is not None else Unknown("tuple()")


def _b_list(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if not args:
        return []
    items = interp.iterate(args[0], node)
    return list(items) if items is not None else Unknown("list()")


def _b_dict(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    out: dict = {}
    if args:
        src = args[0]
        if isinstance(src, dict):
            out.update(src)
        else:
            items = interp.iterate(src, node)
            if items is None:
                return Unknown("dict()")
            for item in items:
                if isinstance(item, (tuple, list)) and len(item) == 2 and hashable(item[0]):
                    out[item[0]] = item[1]
                else:
                    return Unknown("dict()")
    out.update(kwargs)
    return out


def _b_set(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if not args:
        return set()
    items = interp.iterate(args[0], node)
    if items is None or not all(hashable(i) for i in items):
        return Unknown("set()")
    return set(items)


def _convert(py: type) -> Callable[..., Any]:
    def impl(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
        if not args:
            return py()
        v = args[0]
        if isinstance(v, Unknown) or not isinstance(v, (bool, int, float, str, complex)):
            jt = {int: T.Int, float: T.Float, bool: T.Bool, str: T.Str}.get(py)
            if py is bool:
                t = interp.truth(v)
                if t is not None:
                    return t
            return Unknown(f"{py.__name__}()", jt)
        try:
            return py(*[a for a in args if isinstance(a, (bool, int, float, str, complex))])
        except (ValueError, TypeError) as ex:
            raise InterpretError(type(ex).__name__, str(ex), node) from None

    return impl


def _b_str(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if not args:
        return ""
    v = args[0]
    if isinstance(v, (bool, int, float, str, complex, type(None))) or (
            isinstance(v, (list, tuple)) and not _contains_opaque(v)):
        return str(v)
    return Unknown("str()", T.Str)


def _contains_opaque(v: Any) -> bool:
    if isinstance(v, (list, tuple)):
        return any(_contains_opaque(x) for x in v)
    return not isinstance(v, (bool, int, float, str, complex, type(None)))


def _b_minmax(fn: Callable[..., Any]) -> Callable[..., Any]:
    def impl(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
        items = args
        if len(args) == 1:
            got = interp.iterate(args[0], node)
            if got is None:
                return Unknown(fn.__name__)
            items = got
        if not items or not all(is_number(i) or isinstance(i, str) for i in items) or kwargs:
            types = {type(i) for i in items if not isinstance(i, Unknown)}
            return Unknown(fn.__name__, T.Int if types == {int} else None)
        return fn(items)

    return impl


def _b_sum(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    items = interp.iterate(args[0], node) if args else None
    start = args[1] if len(args) > 1 else 0
    if items is None or not all(is_number(i) for i in items) or not is_number(start):
        return Unknown("sum")
    return sum(items, start)


def _b_abs(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return abs(args[0]) if args and is_number(args[0]) else Unknown("abs")


def _b_round(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if args and all(is_number(a) for a in args):
        return round(*args)
    return Unknown("round")


def _b_type(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    v = args[0] if args else None
    if isinstance(v, (ModuleInstance, Instance)):
        return v.cls
    if isinstance(v, (bool, int, float, str, tuple, list, dict, set, complex)) or v is None:
        return BUILTINS.get(type(v).__name__, Unknown("type"))
    if isinstance(v, TensorValue):
        return NATIVE_PARAMETER if v.parameter else NATIVE_TENSOR
    return Unknown("type")


def _b_callable(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    v = args[0] if args else None
    if isinstance(v, (PyFunction, BoundMethod, Native, ClassObj, NativeClass, ModuleInstance)):
        return True
    if isinstance(v, (bool, int, float, str, tuple, list, dict, TensorValue)) or v is None:
        return False
    return Unknown("callable", T.Bool)


def _b_super(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if len(args) == 2:
        return SuperObj(args[0], args[1])
    raise InterpretError("RuntimeError", "super(): no arguments", node)


def _b_divmod(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if len(args) == 2 and all(is_number(a) for a in args):
        try:
            return divmod(args[0], args[1])
        except ZeroDivisionError as ex:
            raise InterpretError("ZeroDivisionError", str(ex), node) from None
    return Unknown("divmod")


def _b_repr(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    v = args[0] if args else None
    if not _contains_opaque(v):
        return repr(v)
    return Unknown("repr", T.Str)


def _b_any_all(fn: Callable[..., Any]) -> Callable[..., Any]:
    def impl(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
        items = interp.iterate(args[0], node) if args else None
        if items is None:
            return Unknown(fn.__name__, T.Bool)
        truths = [interp.truth(i) for i in items]
        if fn is any and any(t is True for t in truths):
            return True
        if fn is all and any(t is False for t in truths):
            return False
        if any(t is None for t in truths):
            return Unknown(fn.__name__, T.Bool)
        return fn(truths)

    return impl


def _b_sorted(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    items = interp.iterate(args[0], node) if args else None
    if items is None or kwargs.get("key") is not None or not all(operable(i) and not isinstance(i, Unknown)
                                                                   for i in items):
        return Unknown("sorted")
    try:
        return sorted(items, reverse=bool(kwargs.get("reverse", False)))
    except TypeError as ex:
        raise InterpretError("TypeError", str(ex), node) from None


def _b_exception(name: str) -> Callable[..., Any]:
    def impl(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
        return ExceptionObj(name, list(args))

    return impl


def _b_none(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return None


def _b_ordered_dict(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return _b_dict(interp, args, kwargs, node)


def _b_id(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return Unknown("id", T.Int)


def _b_next_iter(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return Unknown("iterator")


def _native_class(name: str, path: str, ctor: Callable[..., Any] | None = None) -> NativeClass:
    cls = NativeClass(name, path)
    if ctor is not None:
        NATIVE_CONSTRUCTORS[name] = ctor
    return cls


NATIVE_CONSTRUCTORS: dict[str, Callable[..., Any]] = {}


def native_mro(cls: NativeClass) -> list[Any]:
    if cls is NATIVE_SCRIPT_MODULE:
        return [NATIVE_SCRIPT_MODULE, NATIVE_MODULE, NATIVE_OBJECT]
    if cls is NATIVE_PARAMETER:
        return [NATIVE_PARAMETER, NATIVE_TENSOR, NATIVE_OBJECT]
    if cls is NATIVE_OBJECT:
        return [NATIVE_OBJECT]
    if cls.name in EXCEPTION_CLASSES and cls.name not in ("BaseException",):
        chain = [cls]
        name = cls.name
        while name in _EXCEPTION_PARENTS:
            name = _EXCEPTION_PARENTS[name]
            parent = BUILTINS.get(name)
            if isinstance(parent, NativeClass):
                chain.append(parent)
        return chain + [n for n in (BUILTINS["Exception"], NATIVE_OBJECT) if n not in chain]
    return [cls, NATIVE_OBJECT]


def _parameter_ctor(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return TensorValue(parameter=True)


def _buffer_ctor(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    persistent = kwargs.get("persistent", True)
    return TensorValue(buffer=True, persistent=persistent is not False)


def _tensor_ctor(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return TensorValue()


NATIVE_CONSTRUCTORS.update({
    "Parameter": _parameter_ctor, "Buffer": _buffer_ctor, "Tensor": _tensor_ctor,
    "UninitializedParameter": lambda interp, args, kwargs, node: TensorValue(parameter=True, lazy=True),
    "UninitializedBuffer": lambda interp, args, kwargs, node: TensorValue(buffer=True, lazy=True),
})

BUILTINS: dict[str, Any] = {
    "len": Native("len", _b_len), "isinstance": Native("isinstance", _b_isinstance),
    "hasattr": Native("hasattr", _b_hasattr), "getattr": Native("getattr", _b_getattr),
    "setattr": Native("setattr", _b_setattr), "range": Native("range", _b_range),
    "enumerate": Native("enumerate", lambda i, a, kw, n: _b_enumerate(i, a, kw, n)),
    "zip": Native("zip", _b_iter_fn(lambda i, ls, kw, n: list(zip(*ls, strict=False)))),
    "reversed": Native("reversed", _b_iter_fn(lambda i, ls, kw, n: list(reversed(ls[0])))),
    "map": Native("map", lambda i, a, kw, n: (
        [i.call(a[0], list(xs), {}, n) for xs in zip(*[i.iterate(x, n) or [] for x in a[1:]], strict=False)]
        if all(i.iterate(x, n) is not None for x in a[1:]) else Unknown("map"))),
    "filter": Native("filter", lambda i, a, kw, n: Unknown("filter")),
    "tuple": _native_class("tuple", "builtins.tuple", _b_tuple),
    "list": _native_class("list", "builtins.list", _b_list),
    "dict": _native_class("dict", "builtins.dict", _b_dict),
    "set": _native_class("set", "builtins.set", _b_set),
    "frozenset": _native_class("frozenset", "builtins.frozenset", _b_set),
    "int": _native_class("int", "builtins.int", _convert(int)),
    "float": _native_class("float", "builtins.float", _convert(float)),
    "bool": _native_class("bool", "builtins.bool", _convert(bool)),
    "complex": _native_class("complex", "builtins.complex", _convert(complex)),
    "str": _native_class("str", "builtins.str", _b_str),
    "object": NATIVE_OBJECT, "type": Native("type", _b_type),
    "min": Native("min", _b_minmax(min)), "max": Native("max", _b_minmax(max)),
    "sum": Native("sum", _b_sum), "abs": Native("abs", _b_abs), "round": Native("round", _b_round),
    "any": Native("any", _b_any_all(any)), "all": Native("all", _b_any_all(all)),
    "sorted": Native("sorted", _b_sorted), "callable": Native("callable", _b_callable),
    "super": Native("super", _b_super), "divmod": Native("divmod", _b_divmod), "repr": Native("repr", _b_repr),
    "print": Native("print", _b_none), "id": Native("id", _b_id), "iter": Native("iter", _b_next_iter),
    "next": Native("next", _b_next_iter), "None": None, "True": True, "False": False,
    "NotImplemented": Unknown("NotImplemented"),
}
for _name in EXCEPTION_CLASSES:
    BUILTINS[_name] = _native_class(_name, f"builtins.{_name}", _b_exception(_name))

BUILTIN_PATHS: dict[str, Any] = {
    "collections.OrderedDict": _native_class("OrderedDict", "collections.OrderedDict", _b_ordered_dict),
    "torch.Tensor": NATIVE_TENSOR,
}


# --- natives: methods of builtin values and tensors ------------------------------------------

#: Tensor methods that do not return a tensor.
_NON_TENSOR_METHODS = frozenset({
    "size", "dim", "ndimension", "numel", "nelement", "item", "tolist", "stride", "element_size",
    "is_contiguous", "is_floating_point", "is_complex", "data_ptr", "storage_offset", "get_device",
    "__len__", "numpy", "untyped_storage", "storage", "register_hook", "equal", "is_set_to",
})

#: Methods of builtin values the interpreter may call for real (pure, or mutating only the receiver).
SAFE_METHODS: dict[type, frozenset[str]] = {
    str: frozenset({
        "format", "join", "lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "replace",
        "startswith", "endswith", "find", "rfind", "index", "count", "isdigit", "isalpha", "isidentifier",
        "capitalize", "title", "zfill", "partition", "rpartition", "splitlines", "casefold", "center", "ljust",
        "rjust", "isupper", "islower", "isnumeric", "isalnum", "removeprefix", "removesuffix", "encode",
    }),
    list: frozenset({"append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "copy",
                     "clear", "sort", "__len__", "__getitem__", "__contains__"}),
    tuple: frozenset({"index", "count", "__len__", "__getitem__", "__contains__"}),
    dict: frozenset({"keys", "values", "items", "get", "pop", "setdefault", "update", "copy", "clear",
                     "popitem", "__len__", "__getitem__", "__contains__"}),
    set: frozenset({"add", "discard", "remove", "pop", "union", "intersection", "difference", "update",
                    "issubset", "issuperset", "copy", "clear", "__len__", "__contains__"}),
    int: frozenset({"bit_length", "to_bytes", "conjugate", "__index__"}),
    float: frozenset({"is_integer", "conjugate", "hex"}),
}


def tensor_method(name: str) -> Callable[..., Any]:
    def impl(interp: Interpreter, args: list[Any], kwargs: dict[str, Any], node: Any) -> Any:
        if name in _NON_TENSOR_METHODS:
            return Unknown(f"tensor.{name}()", T.Int if name in ("dim", "numel", "nelement", "ndimension") else None)
        return TensorValue()

    return impl


def real_method(obj: Any, name: str) -> Callable[..., Any]:
    def impl(interp: Interpreter, args: list[Any], kwargs: dict[str, Any], node: Any) -> Any:
        if any(isinstance(a, Unknown) for a in args) and type(obj) in (str, int, float):
            return Unknown(f"{type(obj).__name__}.{name}()")
        if name == "format" and any(isinstance(a, Unknown) or not operable(a) for a in
                                    list(args) + list(kwargs.values())):
            return Unknown("str.format()", T.Str)
        if name == "join" and args and isinstance(args[0], (list, tuple)) and not all(
                isinstance(x, str) for x in args[0]):
            return Unknown("str.join()", T.Str)
        if name == "sort" and any(isinstance(x, Unknown) for x in obj):
            return None
        try:
            result = getattr(obj, name)(*args, **kwargs)
            if isinstance(obj, dict) and name in ("keys", "values", "items"):
                return list(result)
            return result
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as ex:
            raise InterpretError(type(ex).__name__, str(ex), node) from None

    return impl
