"""Static nn.Module instances and their concrete module types.

``torch.jit.script(Model(3, bias=False))`` scripts an *instance*: what it
has -- parameters, buffers, submodules, constants, plain attributes and
their types -- is only known after ``Model.__init__`` ran. pyjit never runs
user code, so this module runs ``__init__`` abstractly: an interpreter over
``ast`` whose values are real Python constants where the source determines
them (numbers, strings, tuples, lists and dicts of those) and stand-ins for
everything else (:class:`TensorValue`, :class:`ModuleInstance`,
:class:`Unknown`). ``nn.Module``'s own bookkeeping (``__setattr__``,
``register_buffer``, ``register_parameter``, ``add_module``) and the module
containers (``ModuleList``, ``Sequential``, ``ModuleDict``, ``ParameterList``,
``ParameterDict``) are modelled natively; every other class is interpreted
from source, torch's ``nn`` layers included (read through :class:`PyWorld`).
When torch's sources cannot be found, a bundled summary of the common layers
(``data/torch_nn_summary.py``) stands in, and the types say so.

From an instance, :func:`ConcreteTypeStore.get_or_create` builds what torch's
``infer_concrete_type_builder`` (torch/jit/_recursive.py) builds -- the
attributes in torch's order (parameters, buffers, then ``__dict__``), the
constants (``__constants__`` and ``Final``), the submodules, the attributes
that failed to convert with torch's hint -- and shares one JIT type between
equal concrete types, mangling names (``___torch_mangle_N``) as torch does.

Where the source leaves a value open (a constructor argument not given at the
call site and without default, a call into a library pyjit does not read),
the value is :class:`Unknown`, typed when an annotation says what it is; an
``if`` on an unknown condition takes the branch that does not raise, the
``if`` branch when neither does.
"""

from __future__ import annotations

import ast
import copy
import math
import operator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ...ir import types as T
from ..pyworld import _PY_BUILTINS as _PY_BUILTIN_NAMES
from ..pyworld import (
    ClassAttributeRef, ClassRef, ConstantRef, ExternalRef, FunctionRef, InstanceRef, ModuleRef, ModuleScope, Ref,
)
from ..source import SourceFile

if TYPE_CHECKING:
    from ..compiler import Compiler
    from ..unit import ClassInfo


# --- abstract values -----------------------------------------------------------------------


class Unknown:
    """A value the source does not determine; ``type`` when an annotation tells it."""

    __slots__ = ("reason", "type")

    def __init__(self, reason: str = "", type: T.JitType | None = None) -> None:
        self.reason = reason
        self.type = type

    def __repr__(self) -> str:
        return f"<unknown {self.reason}{' : ' + self.type.annotation_str() if self.type else ''}>"


@dataclass(eq=False)
class TensorValue:
    """A tensor (``torch.zeros(3)``); ``parameter`` for ``nn.Parameter``, ``buffer`` for ``nn.Buffer``."""

    parameter: bool = False
    buffer: bool = False
    persistent: bool = True
    lazy: bool = False            # torch.nn.parameter.UninitializedParameter / UninitializedBuffer


@dataclass(frozen=True)
class TorchEnumValue:
    """``torch.float32``, ``torch.strided``, ``torch.channels_last``: ints in TorchScript."""

    kind: str          # "dtype" | "layout" | "memory_format" | "qscheme"
    name: str
    value: int


@dataclass(frozen=True)
class DeviceValue:
    spec: str


@dataclass(eq=False)
class PyFunction:
    """A ``def`` or ``lambda`` with the scope it closes over."""

    node: ast.FunctionDef | ast.Lambda
    scope: ModuleScope
    closure: Frame | None = None
    qualname: str = ""
    owner: ClassObj | None = None        # the class whose body defines it
    decorators: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.node.name if isinstance(self.node, ast.FunctionDef) else "<lambda>"

    def has_decorator(self, *paths: str) -> bool:
        return any(d in paths for d in self.decorators)


@dataclass(eq=False)
class BoundMethod:
    obj: Any
    func: Any          # PyFunction or Native


@dataclass(eq=False)
class Native:
    """A callable modelled in Python (``len``, ``ModuleList.append``...)."""

    name: str
    impl: Callable[..., Any]      # impl(interp, args, kwargs, site) -> value
    path: str = ""


@dataclass(eq=False)
class ExternalObj:
    """An object outside every source pyjit reads (``torch.relu``, ``math.sqrt``)."""

    path: str


@dataclass(eq=False)
class ModuleObj:
    """A Python module whose source pyjit reads."""

    scope: ModuleScope


@dataclass(eq=False)
class NativeClass:
    """A class modelled natively: builtins (``int``, ``list``), ``nn.Module``, ``nn.Parameter``..."""

    name: str
    path: str

    @property
    def qualname(self) -> str:
        return self.name


@dataclass(eq=False)
class ClassObj:
    """A class whose source pyjit reads."""

    ref: ClassRef
    bases: list[Any] = field(default_factory=list)
    mro: list[Any] = field(default_factory=list)
    members: dict[str, ast.AST] = field(default_factory=dict)       # class-body bindings
    annotations: dict[str, ast.expr] = field(default_factory=dict)  # class-level annotations
    origin: str = "source"            # "source" | "torch-source" | "summary"
    container: str | None = None      # "ModuleList", "Sequential", ... for torch's containers
    module_name: str = ""             # where torch would say the class lives
    overload_decls: dict[str, list[ast.FunctionDef]] = field(default_factory=dict)  # @_overload_method

    @property
    def name(self) -> str:
        return self.ref.node.name

    @property
    def qualname(self) -> str:
        return self.ref.qualname

    @property
    def scope(self) -> ModuleScope:
        return self.ref.scope


@dataclass(eq=False)
class Instance:
    """An instance of a plain (non-module) class."""

    cls: ClassObj
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class AttributeWrapper:
    """``torch.jit.Attribute(value, type)``."""

    value: Any
    annotation: ast.expr | None
    scope: ModuleScope | None


@dataclass(eq=False)
class OpaqueObj:
    """An object of a known Python type the interpreter does not model (``weakref.ref(w)``)."""

    type_name: str


@dataclass(eq=False)
class SuperObj:
    start: Any          # the class after which the lookup starts
    obj: Any


@dataclass(eq=False)
class ModuleInstance:
    """An ``nn.Module`` instance as ``__init__`` left it."""

    cls: ClassObj | NativeClass
    site: ast.AST | None = None
    site_scope: ModuleScope | None = None
    attrs: dict[str, Any] = field(default_factory=dict)        # the instance __dict__ torch iterates
    parameters: dict[str, Any] = field(default_factory=dict)
    buffers: dict[str, Any] = field(default_factory=dict)
    non_persistent: set[str] = field(default_factory=set)
    modules: dict[str, Any] = field(default_factory=dict)
    forward_hooks: list[Any] = field(default_factory=list)
    forward_pre_hooks: list[Any] = field(default_factory=list)
    initialized: bool = False
    notes: list[str] = field(default_factory=list)            # what pyjit had to assume

    @property
    def class_name(self) -> str:
        return self.cls.name

    def __deepcopy__(self, memo: dict) -> ModuleInstance:
        clone = ModuleInstance(self.cls, self.site, self.site_scope)
        memo[id(self)] = clone
        clone.attrs = _deep(self.attrs, memo)
        clone.parameters = _deep(self.parameters, memo)
        clone.buffers = _deep(self.buffers, memo)
        clone.non_persistent = set(self.non_persistent)
        clone.modules = _deep(self.modules, memo)
        clone.forward_hooks = list(self.forward_hooks)
        clone.forward_pre_hooks = list(self.forward_pre_hooks)
        clone.initialized = self.initialized
        clone.notes = list(self.notes)
        return clone


def _deep(value: Any, memo: dict) -> Any:
    """Deep copy of abstract values: containers and instances are copied, code is shared."""
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, ModuleInstance):
        return copy.deepcopy(value, memo)
    if isinstance(value, dict):
        out = {}
        memo[id(value)] = out
        for k, v in value.items():
            out[k] = _deep(v, memo)
        return out
    if isinstance(value, list):
        out_l: list = []
        memo[id(value)] = out_l
        out_l.extend(_deep(v, memo) for v in value)
        return out_l
    if isinstance(value, tuple):
        return tuple(_deep(v, memo) for v in value)
    if isinstance(value, TensorValue):
        return TensorValue(value.parameter, value.buffer, value.persistent, value.lazy)
    if isinstance(value, Instance):
        inst = Instance(value.cls)
        memo[id(value)] = inst
        inst.attrs = _deep(value.attrs, memo)
        return inst
    return value


class InterpretError(Exception):
    """The interpreted program raised (``raise ValueError(...)`` reached on known values)."""

    def __init__(self, type_name: str, message: str, node: ast.AST | None = None,
                 scope: ModuleScope | None = None) -> None:
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name
        self.message = message
        self.node = node
        self.scope = scope


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _OutOfBudget(Exception):
    pass


# --- well-known paths ------------------------------------------------------------------------

MODULE_PATHS = {"torch.nn.Module", "torch.nn.modules.module.Module", "torch.nn.modules.Module"}
SCRIPT_MODULE_PATHS = {"torch.jit.ScriptModule", "torch.jit._script.ScriptModule"}
PARAMETER_PATHS = {"torch.nn.Parameter", "torch.nn.parameter.Parameter", "torch.nn.modules.module.Parameter"}
BUFFER_PATHS = {"torch.nn.Buffer", "torch.nn.parameter.Buffer"}
CONTAINERS = ("ModuleList", "Sequential", "ModuleDict", "ParameterList", "ParameterDict")
CONTAINER_MODULE = "torch.nn.modules.container"
FINAL_PATHS = {"typing.Final", "torch.jit.Final", "typing_extensions.Final", "torch._jit_internal.Final"}
EXPORT = {"torch.jit.export", "torch._jit_internal.export"}
IGNORE = {"torch.jit.ignore", "torch._jit_internal.ignore"}
UNUSED = {"torch.jit.unused", "torch._jit_internal.unused"}
SCRIPT_METHOD = {"torch.jit.script_method", "torch.jit._script.script_method"}
OVERLOAD_METHOD = {"torch.jit._overload_method", "torch._jit_internal._overload_method"}
COPY_TO_SCRIPT_WRAPPER = {"torch._jit_internal._copy_to_script_wrapper"}

#: torch._jit_internal.FunctionModifiers of a function, from its decorators.
def modifier_of(fn: Any) -> str | None:
    if not isinstance(fn, PyFunction):
        return None
    if fn.has_decorator(*UNUSED):
        return "unused"
    if fn.has_decorator(*IGNORE):
        return "ignore"
    if fn.has_decorator(*EXPORT):
        return "export"
    if fn.has_decorator(*COPY_TO_SCRIPT_WRAPPER):
        return "copy_to_script_wrapper"
    return None


#: torch/jit/_recursive.py ``ignored_attributes``.
IGNORED_ATTRIBUTES = frozenset({
    "_version", "_parameters", "_buffers", "_non_persistent_buffers_set", "_backward_hooks",
    "_backward_pre_hooks", "_forward_hooks", "_forward_hooks_with_kwargs", "_forward_pre_hooks",
    "_forward_pre_hooks_with_kwargs", "_forward_hooks_always_called", "_state_dict_hooks",
    "_state_dict_pre_hooks", "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks", "_modules",
    "_initializing", "dump_patches",
})

#: nn.Module.__annotations__ (torch 2.13) as TorchScript types; "forward" is the marker torch skips.
MODULE_ANNOTATIONS: dict[str, T.JitType | str] = {
    "training": T.Bool, "_is_full_backward_hook": T.OptionalType(T.Bool), "call_super_init": T.Bool,
    "forward": "forward", "__call__": "forward", "_compiled_call_impl": "forward",
}
SCRIPT_MODULE_ANNOTATIONS: dict[str, T.JitType | str] = {"forward": "forward"}

_TORCH_DTYPES = {
    "uint8": 0, "int8": 1, "int16": 2, "short": 2, "int32": 3, "int": 3, "int64": 4, "long": 4,
    "float16": 5, "half": 5, "float32": 6, "float": 6, "float64": 7, "double": 7, "complex32": 8, "chalf": 8,
    "complex64": 9, "cfloat": 9, "complex128": 10, "cdouble": 10, "bool": 11, "qint8": 12, "quint8": 13,
    "qint32": 14, "bfloat16": 15, "quint4x2": 16, "quint2x4": 17, "float8_e5m2": 23, "float8_e4m3fn": 24,
    "uint16": 27, "uint32": 28, "uint64": 29,
}
_TORCH_LAYOUTS = {"strided": 0, "sparse_coo": 1, "sparse_csr": 2, "_mkldnn": 3, "sparse_csc": 4, "sparse_bsr": 5,
                  "sparse_bsc": 6, "jagged": 7}
_TORCH_MEMORY_FORMATS = {"contiguous_format": 0, "preserve_format": 1, "channels_last": 2, "channels_last_3d": 3}
_TORCH_QSCHEMES = {"per_tensor_affine": 0, "per_channel_affine": 1, "per_tensor_symmetric": 2,
                   "per_channel_symmetric": 3, "per_channel_affine_float_qparams": 4}

#: Tensor methods that do not return a tensor.
_NON_TENSOR_METHODS = frozenset({
    "size", "dim", "ndimension", "numel", "nelement", "item", "tolist", "stride", "element_size",
    "is_contiguous", "is_floating_point", "is_complex", "data_ptr", "storage_offset", "get_device",
    "__len__", "numpy", "untyped_storage", "storage", "register_hook", "equal", "is_set_to",
})

_MATH_FUNCTIONS = {
    "sqrt", "exp", "log", "log2", "log10", "log1p", "ceil", "floor", "trunc", "fabs", "pow", "sin", "cos", "tan",
    "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "isqrt", "gcd", "lcm", "prod", "fsum", "isfinite",
    "isinf", "isnan", "hypot", "degrees", "radians", "copysign", "fmod", "factorial", "comb", "perm", "erf",
}
_MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan, "tau": math.tau}

#: Methods of builtin values the interpreter may call for real (pure, or mutating only the receiver).
_SAFE_METHODS: dict[type, frozenset[str]] = {
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

_MAX_LEN = 100_000
_MAX_STEPS = 400_000
_MAX_DEPTH = 60
_MAX_LOOP = 20_000


# --- frames -----------------------------------------------------------------------------------


class Frame:
    """Local variables of one function (or a module's top level when ``is_module``)."""

    def __init__(self, scope: ModuleScope, parent: Frame | None = None, *, function: PyFunction | None = None,
                 first_arg: Any = None, class_ns: dict[str, Any] | None = None) -> None:
        self.scope = scope
        self.parent = parent
        self.function = function
        self.first_arg = first_arg
        self.locals: dict[str, Any] = {}
        self.class_ns = class_ns


# --- the interpreter -------------------------------------------------------------------------


class Interpreter:
    """Runs ``__init__`` and what it calls over abstract values.

    One interpreter serves one analysis; the classes it reads are cached.
    ``instantiate`` is the entry point. Steps are budgeted, so a loop the
    source does not bound ends the interpretation (``Unknown`` results)
    rather than the analysis.
    """

    def __init__(self, compiler: Compiler) -> None:
        self.compiler = compiler
        self.world = compiler.world
        self._classes: dict[int, ClassObj] = {}
        self._globals: dict[tuple[int, str], Any] = {}
        self._class_values: dict[tuple[int, str], Any] = {}
        self._in_progress: set[tuple[int, str]] = set()
        self.steps = 0
        self.depth = 0
        self.summary_used = False

    # --- entry points ---------------------------------------------------------------------

    def instantiate_at(self, cls: Any, call: ast.Call | None, scope: ModuleScope) -> Any:
        """The instance ``Cls(<args of call>)`` evaluated in ``scope`` (defaults when ``call`` is None)."""
        frame = Frame(scope)
        self.steps = 0
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        if call is not None:
            try:
                args, kwargs = self.eval_call_args(call, frame)
            except _Unrepresentable:
                return Unknown("constructor call with unknown arguments")
        elif isinstance(cls, ClassObj):
            args, kwargs = self.unknown_constructor_args(cls)
        return self.call(cls, args, kwargs, call)

    def unknown_constructor_args(self, cls: ClassObj) -> tuple[list[Any], dict[str, Any]]:
        """Arguments for a constructor called nowhere: required parameters become typed unknowns."""
        init = self.class_lookup(cls, "__init__")
        if not isinstance(init, PyFunction) or not isinstance(init.node, ast.FunctionDef):
            return [], {}
        a = init.node.args
        positional = list(a.posonlyargs) + list(a.args)
        n_required = len(positional) - len(a.defaults)
        args = []
        for i, p in enumerate(positional[1:], start=1):
            if i >= n_required:
                break
            args.append(Unknown(f"argument '{p.arg}' of {cls.name}()", self.annotation_type(p.annotation, init.scope)))
        kwargs = {}
        for p, d in zip(a.kwonlyargs, a.kw_defaults):
            if d is None:
                kwargs[p.arg] = Unknown(f"argument '{p.arg}' of {cls.name}()",
                                        self.annotation_type(p.annotation, init.scope))
        return args, kwargs

    def annotation_type(self, expr: ast.expr | None, scope: ModuleScope) -> T.JitType | None:
        if expr is None:
            return None
        try:
            return parse_annotation(self.compiler, expr, scope)
        except Exception:  # noqa: BLE001 - an annotation TorchScript cannot read types nothing
            return None

    # --- budget -----------------------------------------------------------------------------

    def tick(self) -> None:
        self.steps += 1
        if self.steps > _MAX_STEPS:
            raise _OutOfBudget()

    # --- names ------------------------------------------------------------------------------

    def lookup(self, name: str, frame: Frame, node: ast.AST | None = None) -> Any:
        f: Frame | None = frame
        while f is not None:
            if name in f.locals:
                return f.locals[name]
            if f.class_ns is not None and name in f.class_ns:
                return f.class_ns[name]
            f = f.parent
        if name == "__class__" and frame.function is not None and frame.function.owner is not None:
            return frame.function.owner
        return self.global_value(frame.scope, name)

    def global_value(self, scope: ModuleScope, name: str) -> Any:
        key = (id(scope), name)
        if key in self._globals:
            return self._globals[key]
        node = scope.binding_node(name)
        if node is None:
            value = self.builtin(name) if name in _BUILTINS or name in _PY_BUILTIN_NAMES else \
                Unknown(f"name '{name}' is not defined in {scope.module_name}")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            if key in self._in_progress:
                return Unknown(f"global {name} (recursive)")
            self._in_progress.add(key)
            try:
                value = self.eval_isolated(node.value, Frame(scope))
            finally:
                self._in_progress.discard(key)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            value = PyFunction(node, scope, None, node.name, None, self.decorator_paths(node, scope))
        elif isinstance(node, ast.alias):
            value = self.imported_value(scope, name, node)
        else:
            value = self.ref_value(scope.lookup(name))
        self._globals[key] = value
        return value

    def imported_value(self, scope: ModuleScope, name: str, alias: ast.alias) -> Any:
        """``from m import x``: ``x`` as module ``m`` binds it (module-level values interpreted there)."""
        parent = getattr(scope, "_alias_parent", {}).get(id(alias))
        if isinstance(parent, ast.ImportFrom):
            base = scope.absolute_module(parent.module, parent.level)
            source = self.world.module(base) if base else None
            if source is not None and source is not scope and source.binding_node(alias.name) is not None \
                    and self.world.module(f"{base}.{alias.name}") is None:
                return self.global_value(source, alias.name)
        return self.ref_value(scope.lookup(name))

    def eval_isolated(self, expr: ast.expr, frame: Frame) -> Any:
        """Evaluate an expression whose failure must not abort the caller (module-level values)."""
        saved = self.steps
        try:
            return self.eval(expr, frame)
        except (InterpretError, _OutOfBudget, RecursionError):
            return Unknown("module-level value")
        finally:
            self.steps = min(self.steps, saved + 20_000)

    def decorator_paths(self, node: ast.FunctionDef | ast.ClassDef, scope: ModuleScope) -> tuple[str, ...]:
        out = []
        for d in node.decorator_list:
            target = d.func if isinstance(d, ast.Call) else d
            path = scope.dotted_name(target)
            if not path and isinstance(target, ast.Attribute) and target.attr in ("setter", "getter", "deleter"):
                path = f"property.{target.attr}"
            if not path and isinstance(target, ast.Name):
                path = target.id
            out.append(path)
        return tuple(out)

    def ref_value(self, ref: Ref | None) -> Any:
        if ref is None:
            return Unknown("undefined name")
        if isinstance(ref, ConstantRef):
            return _deep(ref.value, {})
        if isinstance(ref, ModuleRef):
            return ModuleObj(ref.scope)
        if isinstance(ref, ExternalRef):
            return self.external(ref.path)
        if isinstance(ref, FunctionRef):
            return PyFunction(ref.node, ref.scope, None, ref.qualname, None, self.decorator_paths(ref.node, ref.scope))
        if isinstance(ref, ClassRef):
            return self.class_obj(ref)
        if isinstance(ref, ClassAttributeRef):
            return self.get_attr(self.class_obj(ref.cls), ref.name, None)
        if isinstance(ref, InstanceRef):
            return Unknown("module-level instance")
        return Unknown(getattr(ref, "description", "unknown"))

    def external(self, path: str) -> Any:
        """An object outside the sources read: native where modelled, a torch nn class when its source is found."""
        if path in MODULE_PATHS:
            return NATIVE_MODULE
        if path in SCRIPT_MODULE_PATHS:
            return NATIVE_SCRIPT_MODULE
        if path in PARAMETER_PATHS:
            return NATIVE_PARAMETER
        if path in BUFFER_PATHS:
            return NATIVE_BUFFER
        builtin = _BUILTIN_PATHS.get(path)
        if builtin is not None:
            return builtin
        if path.startswith("builtins."):
            return self.builtin(path[len("builtins."):])
        if path.startswith("torch.nn.") and path.count(".") == 2 and path[len("torch.nn."):][:1].isupper():
            found = self.torch_nn_class(path[len("torch.nn."):])
            if found is not None:
                return found
        if path.startswith("torch.nn.modules."):
            found = self.torch_nn_class(path.rsplit(".", 1)[1])
            if found is not None:
                return found
        head, _, name = path.rpartition(".")
        if head == "torch":
            if name in _TORCH_DTYPES:
                return TorchEnumValue("dtype", name, _TORCH_DTYPES[name])
            if name in _TORCH_LAYOUTS:
                return TorchEnumValue("layout", name, _TORCH_LAYOUTS[name])
            if name in _TORCH_MEMORY_FORMATS:
                return TorchEnumValue("memory_format", name, _TORCH_MEMORY_FORMATS[name])
            if name in _TORCH_QSCHEMES:
                return TorchEnumValue("qscheme", name, _TORCH_QSCHEMES[name])
        if head == "math" and name in _MATH_CONSTANTS:
            return _MATH_CONSTANTS[name]
        return ExternalObj(path)

    def torch_nn_class(self, name: str) -> Any:
        """``torch.nn.<name>`` from torch's sources, else from the bundled summary."""
        if self.world.torch_root is not None:
            ref = self.world.resolve_path(f"torch.nn.modules.{name}")
            if isinstance(ref, ClassRef):
                return self.class_obj(ref)
        summary = summary_scope(self.world)
        if summary is not None:
            ref = summary.lookup(name)
            if isinstance(ref, ClassRef) and ref.scope is summary:
                self.summary_used = True
                return self.class_obj(ref)
        return None

    def builtin(self, name: str) -> Any:
        found = _BUILTINS.get(name)
        if found is not None:
            return found
        return ExternalObj(f"builtins.{name}")

    # --- classes ----------------------------------------------------------------------------

    def class_obj(self, ref: ClassRef) -> Any:
        native = _NATIVE_TORCH_CLASSES.get((ref.scope.module_name, ref.qualname))
        if native is not None:
            return native
        key = id(ref.node)
        found = self._classes.get(key)
        if found is not None:
            return found
        cls = ClassObj(ref)
        self._classes[key] = cls
        module_name = ref.scope.module_name
        if module_name == SUMMARY_MODULE:
            cls.origin = "summary"
            cls.module_name = _summary_module_of(ref) or module_name
        elif module_name == "torch" or module_name.startswith("torch."):
            cls.origin = "torch-source"
            cls.module_name = module_name
        else:
            cls.module_name = module_name
        if cls.module_name == CONTAINER_MODULE and ref.node.name in CONTAINERS:
            cls.container = ref.node.name
        for stmt in ref.node.body:
            self._collect_member(cls, stmt)
        frame = Frame(ref.scope)
        for b in ref.node.bases:
            try:
                cls.bases.append(self.eval(b, frame))
            except (InterpretError, _OutOfBudget):
                cls.bases.append(Unknown("base class"))
        cls.mro = self._linearize(cls)
        return cls

    def _collect_member(self, cls: ClassObj, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.FunctionDef) and any(
                p in OVERLOAD_METHOD for p in self.decorator_paths(stmt, cls.scope)):
            cls.overload_decls.setdefault(stmt.name, []).append(stmt)   # a declaration, not the method
            return
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if isinstance(stmt, ast.FunctionDef) and stmt.name in cls.members:
                prior = cls.members[stmt.name]
                paths = self.decorator_paths(stmt, cls.scope)
                if any(p.startswith("property.") for p in paths) and isinstance(prior, (ast.FunctionDef, tuple)):
                    getter = prior[0] if isinstance(prior, tuple) else prior
                    cls.members[stmt.name] = (getter, stmt)       # property with setter
                    return
                if any(p in OVERLOAD_METHOD or p == "typing.overload" for p in self.decorator_paths(prior, cls.scope)
                       if isinstance(prior, ast.FunctionDef)):
                    cls.members[stmt.name] = stmt
                    return
            cls.members[stmt.name] = stmt
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            cls.annotations[stmt.target.id] = stmt.annotation
            if stmt.value is not None:
                cls.members[stmt.target.id] = stmt
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    cls.members[target.id] = stmt
                    if target.id == "__annotations__" and isinstance(stmt.value, ast.Dict):
                        for k, v in zip(stmt.value.keys, stmt.value.values):
                            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                                cls.annotations[k.value] = v
        elif isinstance(stmt, ast.If):
            for s in stmt.body + stmt.orelse:
                self._collect_member(cls, s)

    def _linearize(self, cls: ClassObj) -> list[Any]:
        """C3 linearisation; falls back to depth-first order when C3 fails."""
        seqs = []
        for b in cls.bases:
            if isinstance(b, ClassObj):
                seqs.append(list(b.mro))
            elif isinstance(b, NativeClass):
                seqs.append(native_mro(b))
        seqs.append([b for b in cls.bases if isinstance(b, (ClassObj, NativeClass))])
        out = [cls]
        seqs = [s for s in seqs if s]
        while seqs:
            for s in seqs:
                head = s[0]
                if not any(head in other[1:] for other in seqs):
                    break
            else:
                flat = [cls]
                for b in cls.bases:
                    if isinstance(b, ClassObj):
                        flat += [c for c in b.mro if c not in flat]
                    elif isinstance(b, NativeClass):
                        flat += [c for c in native_mro(b) if c not in flat]
                return flat
            out.append(head)
            seqs = [[c for c in s if c is not head] for s in seqs]
            seqs = [s for s in seqs if s]
        return out

    def mro_of(self, cls: Any) -> list[Any]:
        if isinstance(cls, ClassObj):
            return cls.mro
        if isinstance(cls, NativeClass):
            return native_mro(cls)
        return []

    def is_subclass(self, cls: Any, base: Any) -> bool:
        return any(c is base for c in self.mro_of(cls))

    def is_module_class(self, cls: Any) -> bool:
        return any(c is NATIVE_MODULE for c in self.mro_of(cls))

    def container_kind(self, cls: Any) -> str | None:
        for c in self.mro_of(cls):
            if isinstance(c, ClassObj) and c.container:
                return c.container
        return None

    def class_member_value(self, cls: ClassObj, name: str) -> Any:
        """The value a class-body binding gives ``name`` (functions wrapped with their decorators)."""
        key = (id(cls.ref.node), name)
        if key in self._class_values:
            return self._class_values[key]
        node = cls.members[name]
        if isinstance(node, tuple):
            getter, setter = node
            value: Any = PropertyObj(self._method(cls, getter), self._method(cls, setter))
        elif isinstance(node, ast.FunctionDef):
            fn = self._method(cls, node)
            if any(p == "builtins.property" or p == "property" for p in fn.decorators):
                value = PropertyObj(fn, None)
            elif any(p in ("builtins.staticmethod", "staticmethod") for p in fn.decorators):
                value = StaticMethodObj(fn)
            elif any(p in ("builtins.classmethod", "classmethod") for p in fn.decorators):
                value = ClassMethodObj(fn)
            else:
                value = fn
        elif isinstance(node, ast.ClassDef):
            value = self.class_obj(ClassRef(cls.scope, node, f"{cls.qualname}.{node.name}"))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            if key in self._in_progress:
                return Unknown("class attribute (recursive)")
            self._in_progress.add(key)
            try:
                ns = _ClassNamespace(self, cls)
                value = self.eval_isolated(node.value, Frame(cls.scope, class_ns=ns))
            finally:
                self._in_progress.discard(key)
        else:
            value = Unknown(f"class attribute {name}")
        self._class_values[key] = value
        return value

    def _method(self, cls: ClassObj, node: ast.FunctionDef) -> PyFunction:
        return PyFunction(node, cls.scope, None, f"{cls.qualname}.{node.name}", cls,
                          self.decorator_paths(node, cls.scope))

    def class_lookup(self, cls: Any, name: str, *, after: Any = None) -> Any:
        """``name`` looked up along ``cls``'s MRO (starting after ``after``); ``_MISSING`` if absent."""
        mro = self.mro_of(cls)
        if after is not None:
            idx = next((i for i, c in enumerate(mro) if c is after), None)
            mro = mro[idx + 1:] if idx is not None else []
        for c in mro:
            if isinstance(c, ClassObj):
                if c.container is not None:
                    native = CONTAINER_METHODS.get(c.container, {}).get(name)
                    if native is not None:
                        return native
                if name in c.members:
                    return self.class_member_value(c, name)
            elif isinstance(c, NativeClass):
                native = NATIVE_CLASS_ATTRS.get(c.name, {}).get(name)
                if native is not None:
                    return native
        return _MISSING

    def source_member(self, cls: Any, name: str) -> Any:
        """``getattr(PyClass, name)`` as torch sees it: the Python source (torch's own ``nn.Module`` and
        containers included), never the interpreter's native stand-ins; ``_MISSING`` if absent."""
        for c in self.mro_of(cls):
            if isinstance(c, ClassObj):
                if name in c.members:
                    return self.class_member_value(c, name)
            elif c is NATIVE_MODULE:
                source = self.module_source_class()
                if source is not None and name in source.members:
                    return self.class_member_value(source, name)
        return _MISSING

    def module_source_class(self) -> ClassObj | None:
        """torch.nn.Module as read from torch's source (its methods, for torch's error messages)."""
        found = self.__dict__.get("_module_source")
        if found is None:
            ref = self.world.resolve_path("torch.nn.modules.module.Module") if self.world.torch_root else None
            if not isinstance(ref, ClassRef):
                return None
            found = ClassObj(ref, origin="torch-source", module_name="torch.nn.modules.module")
            for stmt in ref.node.body:
                self._collect_member(found, stmt)
            found.mro = [found, NATIVE_OBJECT]
            self.__dict__["_module_source"] = found
        return found

    # --- attributes ---------------------------------------------------------------------------

    def get_attr(self, obj: Any, name: str, node: ast.AST | None) -> Any:
        self.tick()
        if isinstance(obj, Unknown):
            return Unknown(f"attribute {name} of unknown value")
        if isinstance(obj, ModuleInstance):
            return self.module_getattr(obj, name, node)
        if isinstance(obj, Instance):
            if name in obj.attrs:
                return obj.attrs[name]
            return self.bind(obj, self.class_lookup(obj.cls, name), name, node)
        if isinstance(obj, (ClassObj, NativeClass)):
            if name == "__name__":
                return obj.name
            if name == "__qualname__":
                return obj.qualname
            found = self.class_lookup(obj, name)
            if found is _MISSING:
                raise InterpretError("AttributeError", f"type object '{obj.name}' has no attribute '{name}'", node)
            if isinstance(found, StaticMethodObj):
                return found.func
            if isinstance(found, ClassMethodObj):
                return BoundMethod(obj, found.func)
            return found
        if isinstance(obj, SuperObj):
            owner = obj.obj
            cls = owner.cls if isinstance(owner, (ModuleInstance, Instance)) else owner
            found = self.class_lookup(cls, name, after=obj.start)
            if found is _MISSING:
                raise InterpretError("AttributeError", f"'super' object has no attribute '{name}'", node)
            return self.bind(owner, found, name, node)
        if isinstance(obj, ModuleObj):
            if obj.scope.binding_node(name) is not None:
                return self.global_value(obj.scope, name)
            return self.ref_value(self.world.attribute(ModuleRef(obj.scope), name))
        if isinstance(obj, ExternalObj):
            return self.external(self.world_attribute_path(obj.path, name))
        if isinstance(obj, TensorValue):
            if name in ("data", "T", "mT", "H", "real", "imag", "grad"):
                return TensorValue()
            if name in ("shape", "dtype", "device", "requires_grad", "ndim", "is_cuda", "layout"):
                return Unknown(f"tensor.{name}")
            return Native(name, _tensor_method(name))
        if isinstance(obj, PyFunction):
            if name == "__name__":
                return obj.name
            return Unknown(f"function attribute {name}")
        if isinstance(obj, (TorchEnumValue, DeviceValue)):
            return Unknown(f"{obj}.{name}")
        if isinstance(obj, (str, list, tuple, dict, set, int, float)) and not isinstance(obj, bool):
            safe = _SAFE_METHODS.get(type(obj), frozenset())
            if name in safe:
                return Native(name, _real_method(obj, name))
            if name == "__class__":
                return _BUILTINS.get(type(obj).__name__, Unknown("type"))
            if name in ("real", "imag") and isinstance(obj, (int, float)):
                return getattr(obj, name)
            raise InterpretError("AttributeError", f"'{type(obj).__name__}' object has no attribute '{name}'", node)
        if isinstance(obj, BoundMethod) and name == "__func__":
            return obj.func
        return Unknown(f"attribute {name}")

    def world_attribute_path(self, path: str, name: str) -> str:
        ref = self.world.attribute(ExternalRef(path), name)
        return ref.path if isinstance(ref, ExternalRef) else f"{path}.{name}"

    def bind(self, obj: Any, found: Any, name: str, node: ast.AST | None) -> Any:
        if found is _MISSING:
            cls_name = obj.cls.name if isinstance(obj, (ModuleInstance, Instance)) else type(obj).__name__
            raise InterpretError("AttributeError", f"'{cls_name}' object has no attribute '{name}'", node)
        if isinstance(found, PropertyObj):
            return self.call(found.getter, [obj], {}, node)
        if isinstance(found, StaticMethodObj):
            return found.func
        if isinstance(found, ClassMethodObj):
            return BoundMethod(obj.cls if isinstance(obj, (ModuleInstance, Instance)) else obj, found.func)
        if isinstance(found, (PyFunction, Native)):
            return BoundMethod(obj, found)
        return found

    def module_getattr(self, inst: ModuleInstance, name: str, node: ast.AST | None) -> Any:
        if name == "__class__":
            return inst.cls
        if name == "__dict__":
            return inst.attrs
        found = self.class_lookup(inst.cls, name)
        if isinstance(found, PropertyObj):
            return self.call(found.getter, [inst], {}, node)
        if name in inst.attrs:
            return inst.attrs[name]
        if found is not _MISSING:
            return self.bind(inst, found, name, node)
        for table in (inst.parameters, inst.buffers, inst.modules):
            if name in table:
                return table[name]
        internal = {"_parameters": inst.parameters, "_buffers": inst.buffers, "_modules": inst.modules,
                    "_non_persistent_buffers_set": inst.non_persistent}.get(name)
        if internal is not None and inst.initialized:
            return internal       # nn.Module's own tables, as Module.__init__ leaves them in __dict__
        raise InterpretError("AttributeError", f"'{inst.class_name}' object has no attribute '{name}'", node)

    def set_attr(self, obj: Any, name: str, value: Any, node: ast.AST | None) -> None:
        if isinstance(obj, ModuleInstance):
            found = self.class_lookup(obj.cls, name)
            if isinstance(found, PropertyObj):
                if found.setter is None:
                    raise InterpretError("AttributeError", f"can't set attribute '{name}'", node)
                self.call(found.setter, [obj, value], {}, node)
                return
            module_setattr(self, obj, name, value, node)
        elif isinstance(obj, Instance):
            obj.attrs[name] = value
        # Attributes of tensors, functions and unknown values do not matter here.

    # --- calls ------------------------------------------------------------------------------------

    def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None) -> Any:
        self.tick()
        if isinstance(callee, BoundMethod):
            return self.call(callee.func, [callee.obj] + list(args), kwargs, node)
        if isinstance(callee, Native):
            return callee.impl(self, list(args), dict(kwargs), node)
        if isinstance(callee, PyFunction):
            return self.run_function(callee, list(args), dict(kwargs), node)
        if isinstance(callee, (ClassObj, NativeClass)):
            return self.construct(callee, list(args), dict(kwargs), node)
        if isinstance(callee, ExternalObj):
            return self.call_external(callee.path, list(args), dict(kwargs), node)
        if isinstance(callee, ModuleInstance):
            return Unknown(f"result of calling {callee.class_name}")
        if isinstance(callee, StaticMethodObj):
            return self.call(callee.func, args, kwargs, node)
        return Unknown("result of an unknown call")

    def construct(self, cls: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None) -> Any:
        if isinstance(cls, NativeClass):
            ctor = NATIVE_CONSTRUCTORS.get(cls.name)
            if ctor is not None:
                return ctor(self, args, kwargs, node)
            if cls.name in ("Module", "ScriptModule"):
                inst = ModuleInstance(cls, node)
                native_module_init(self, [inst], {}, node)
                return inst
            return Unknown(f"instance of {cls.name}")
        assert isinstance(cls, ClassObj)
        if _torch_library_role(cls.scope.module_name) == "opaque" and not self.is_module_class(cls):
            return Unknown(f"instance of {cls.module_name}.{cls.qualname}")
        if self.is_module_class(cls):
            inst = ModuleInstance(cls, node)
            if self.is_subclass(cls, NATIVE_SCRIPT_MODULE):
                inst.notes.append("script_module")
            init = self.class_lookup(cls, "__init__")
            if init is not _MISSING:
                self.call(init, [inst] + args, kwargs, node)
            return inst
        if any(isinstance(c, NativeClass) and c.name in _EXCEPTION_CLASSES for c in cls.mro):
            return ExceptionObj(cls.name, args)
        record = self.record_fields(cls)
        if record is not None:
            return self.construct_record(cls, record, args, kwargs, node)
        if any(isinstance(c, NativeClass) and c.name in ("tuple", "NamedTuple") for c in cls.mro) \
                or any(isinstance(b, ExternalObj) and b.path in ("enum.Enum", "enum.IntEnum") for b in cls.bases):
            return Unknown(f"instance of {cls.name}")
        inst_obj = Instance(cls)
        init = self.class_lookup(cls, "__init__")
        if init is not _MISSING:
            self.call(init, [inst_obj] + args, kwargs, node)
        return inst_obj

    def record_fields(self, cls: ClassObj) -> list[tuple[str, ast.expr | None, ClassObj]] | None:
        """The fields of a ``@dataclass`` (without its own ``__init__``) or ``NamedTuple`` class, bases first."""
        def is_record(c: ClassObj) -> bool:
            decorators = self.decorator_paths(c.ref.node, c.scope)
            return any(d in ("dataclasses.dataclass", "dataclass") for d in decorators) or any(
                isinstance(b, ExternalObj) and b.path in ("typing.NamedTuple", "typing_extensions.NamedTuple")
                for b in c.bases)

        if not is_record(cls) or "__init__" in cls.members:
            return None
        fields: dict[str, tuple[str, ast.expr | None, ClassObj]] = {}
        for c in reversed(cls.mro):
            if isinstance(c, ClassObj) and is_record(c):
                for stmt in c.ref.node.body:
                    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and \
                            "ClassVar" not in ast.unparse(stmt.annotation):
                        fields[stmt.target.id] = (stmt.target.id, stmt.value, c)
        return list(fields.values())

    def construct_record(self, cls: ClassObj, fields: list, args: list[Any], kwargs: dict[str, Any],
                         node: ast.AST | None) -> Instance:
        obj = Instance(cls)
        for i, (name, default, owner) in enumerate(fields):
            if i < len(args):
                value = args[i]
            elif name in kwargs:
                value = kwargs.pop(name)
            elif default is not None:
                if isinstance(default, ast.Call) and ast.unparse(default.func).endswith("field"):
                    factory = next((k.value for k in default.keywords if k.arg == "default_factory"), None)
                    plain = next((k.value for k in default.keywords if k.arg == "default"), None)
                    frame = Frame(owner.scope)
                    value = self.call(self.eval(factory, frame), [], {}, node) if factory is not None else \
                        self.eval(plain, frame) if plain is not None else Unknown(f"field {name}")
                else:
                    value = self.class_member_value(owner, name)
            else:
                raise InterpretError("TypeError", f"{cls.name}() missing required argument: '{name}'", node)
            obj.attrs[name] = value
        post_init = self.class_lookup(cls, "__post_init__")
        if post_init is not _MISSING:
            self.call(post_init, [obj], {}, node)
        return obj

    def call_external(self, path: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None) -> Any:
        head, _, name = path.rpartition(".")
        if head == "math" and name in _MATH_FUNCTIONS:
            if all(_is_number(a) for a in args) and not kwargs:
                try:
                    return getattr(math, name)(*args)
                except (ValueError, OverflowError, TypeError) as e:
                    raise InterpretError(type(e).__name__, str(e), node) from None
            return Unknown(f"math.{name}(...)", T.Float if name not in ("ceil", "floor", "isqrt", "gcd") else T.Int)
        if path in ("torch.jit.annotate", "torch._jit_internal.annotate", "typing.cast", "torch.jit._script.annotate"):
            return args[1] if len(args) > 1 else Unknown("annotate")
        if path in ("torch.jit.Attribute", "torch.jit._script.Attribute"):
            value = args[0] if args else kwargs.get("value")
            ann = node.args[1] if isinstance(node, ast.Call) and len(node.args) > 1 else None
            return AttributeWrapper(value, ann, self._current_scope)
        if path in ("torch.device",):
            if args and isinstance(args[0], str):
                return DeviceValue(args[0] if len(args) == 1 else f"{args[0]}:{args[1]}")
            return Unknown("device", T.Device)
        if path == "torch.Size":
            return tuple(args[0]) if args and isinstance(args[0], (list, tuple)) else Unknown("size")
        if head in ("torch.nn.init", "torch.nn.modules.module.init"):
            return args[0] if args else Unknown("init")
        if path in ("weakref.ref", "weakref.proxy"):
            return OpaqueObj("weakref.ReferenceType" if name == "ref" else "weakref.ProxyType")
        if path in ("copy.deepcopy",):
            return _deep(args[0], {}) if args else Unknown("copy")
        if path in ("copy.copy",):
            return copy.copy(args[0]) if args and isinstance(args[0], (list, dict)) else (args[0] if args else None)
        if path in ("warnings.warn", "builtins.print", "logging.warning", "logging.info", "logging.debug"):
            return None
        if path.startswith("torch."):
            return _torch_call_result(path)
        if path in ("itertools.repeat",):
            if len(args) == 2 and isinstance(args[1], int) and 0 <= args[1] <= _MAX_LEN:
                return [args[0]] * args[1]
            return Unknown("repeat")
        if path in ("itertools.chain",):
            if all(isinstance(a, (list, tuple)) for a in args):
                return [x for a in args for x in a]
            return Unknown("chain")
        if path in ("functools.partial",):
            return Unknown("partial")
        if path in ("operator.mul", "operator.add", "operator.sub", "operator.floordiv", "operator.truediv"):
            return self.binop(getattr(operator, name), args[0], args[1], node)
        if path == "functools.reduce" and len(args) >= 2:
            fn, seq = args[0], args[1]
            if isinstance(seq, (list, tuple)):
                acc = args[2] if len(args) > 2 else (seq[0] if seq else Unknown("reduce"))
                for x in (seq if len(args) > 2 else seq[1:]):
                    acc = self.call(fn, [acc, x], {}, node)
                return acc
            return Unknown("reduce")
        return Unknown(f"result of {path}(...)")

    # --- running functions ----------------------------------------------------------------------

    _current_scope: ModuleScope | None = None

    def run_function(self, fn: PyFunction, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None) -> Any:
        if self.depth > _MAX_DEPTH:
            return Unknown(f"call to {fn.name} (too deep)")
        library = _torch_library_role(fn.scope.module_name)
        if library == "init":
            return args[0] if args else None
        if library == "opaque":
            return self.call_external(f"{fn.scope.module_name}.{fn.qualname}", args, kwargs, node)
        frame = Frame(fn.scope, fn.closure, function=fn, first_arg=args[0] if args else None)
        self.bind_arguments(fn, frame, args, kwargs, node)
        self.depth += 1
        saved_scope, self._current_scope = self._current_scope, fn.scope
        try:
            if isinstance(fn.node, ast.Lambda):
                return self.eval(fn.node.body, frame)
            self.exec_block(fn.node.body, frame)
        except _Return as r:
            return r.value
        finally:
            self.depth -= 1
            self._current_scope = saved_scope
        return None

    def bind_arguments(self, fn: PyFunction, frame: Frame, args: list[Any], kwargs: dict[str, Any],
                       node: ast.AST | None) -> None:
        a = fn.node.args
        positional = list(a.posonlyargs) + list(a.args)
        defaults = list(a.defaults)
        first_default = len(positional) - len(defaults)
        bound = frame.locals
        for i, p in enumerate(positional):
            if i < len(args):
                bound[p.arg] = args[i]
            elif p.arg in kwargs and i >= len(a.posonlyargs):
                bound[p.arg] = kwargs.pop(p.arg)
            elif i >= first_default:
                bound[p.arg] = self.default_value(fn, defaults[i - first_default])
            else:
                raise InterpretError("TypeError", f"{fn.name}() missing required positional argument: '{p.arg}'",
                                     node)
        extra = args[len(positional):]
        if a.vararg is not None:
            bound[a.vararg.arg] = tuple(extra)
        elif extra:
            raise InterpretError("TypeError", f"{fn.name}() takes {len(positional)} positional arguments but "
                                 f"{len(args)} were given", node)
        for p, d in zip(a.kwonlyargs, a.kw_defaults):
            if p.arg in kwargs:
                bound[p.arg] = kwargs.pop(p.arg)
            elif d is not None:
                bound[p.arg] = self.default_value(fn, d)
            else:
                raise InterpretError("TypeError", f"{fn.name}() missing required keyword-only argument: '{p.arg}'",
                                     node)
        if a.kwarg is not None:
            bound[a.kwarg.arg] = dict(kwargs)
        elif kwargs:
            name = next(iter(kwargs))
            raise InterpretError("TypeError", f"{fn.name}() got an unexpected keyword argument '{name}'", node)

    def default_value(self, fn: PyFunction, expr: ast.expr) -> Any:
        frame = fn.closure if fn.closure is not None else Frame(fn.scope)
        try:
            return self.eval(expr, frame)
        except InterpretError:
            return Unknown("default value")

    # --- statements ---------------------------------------------------------------------------

    def exec_block(self, stmts: list[ast.stmt], frame: Frame) -> None:
        for s in stmts:
            self.exec_stmt(s, frame)

    def exec_stmt(self, s: ast.stmt, frame: Frame) -> None:
        self.tick()
        if isinstance(s, ast.Expr):
            self.eval(s.value, frame)
        elif isinstance(s, ast.Assign):
            value = self.eval(s.value, frame)
            for target in s.targets:
                self.assign(target, value, frame)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self.assign(s.target, self.eval(s.value, frame), frame)
        elif isinstance(s, ast.AugAssign):
            self.exec_aug_assign(s, frame)
        elif isinstance(s, ast.If):
            cond = self.truth(self.eval(s.test, frame))
            if cond is None:
                cond = self.guess_branch(s.body, s.orelse)
            self.exec_block(s.body if cond else s.orelse, frame)
        elif isinstance(s, ast.For):
            self.exec_for(s, frame)
        elif isinstance(s, ast.While):
            self.exec_while(s, frame)
        elif isinstance(s, ast.Return):
            raise _Return(self.eval(s.value, frame) if s.value is not None else None)
        elif isinstance(s, ast.Raise):
            self.exec_raise(s, frame)
        elif isinstance(s, ast.Assert):
            cond = self.truth(self.eval(s.test, frame))
            if cond is False:
                msg = self.eval(s.msg, frame) if s.msg is not None else ""
                raise InterpretError("AssertionError", msg if isinstance(msg, str) else "", s, frame.scope)
        elif isinstance(s, (ast.Pass, ast.Global, ast.Nonlocal)):
            pass
        elif isinstance(s, ast.Break):
            raise _Break()
        elif isinstance(s, ast.Continue):
            raise _Continue()
        elif isinstance(s, ast.FunctionDef):
            fn = PyFunction(s, frame.scope, frame, s.name, frame.function.owner if frame.function else None,
                            self.decorator_paths(s, frame.scope))
            frame.locals[s.name] = fn
        elif isinstance(s, (ast.Import, ast.ImportFrom)):
            self.exec_import(s, frame)
        elif isinstance(s, ast.Try):
            self.exec_try(s, frame)
        elif isinstance(s, ast.With):
            for item in s.items:
                value = self.eval(item.context_expr, frame)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, value, frame)
            self.exec_block(s.body, frame)
        elif isinstance(s, ast.Delete):
            for target in s.targets:
                if isinstance(target, ast.Name):
                    frame.locals.pop(target.id, None)
                elif isinstance(target, ast.Attribute):
                    obj = self.eval(target.value, frame)
                    if isinstance(obj, ModuleInstance):
                        for table in (obj.attrs, obj.parameters, obj.buffers, obj.modules):
                            table.pop(target.attr, None)
                elif isinstance(target, ast.Subscript):
                    container = self.eval(target.value, frame)
                    key = self.eval(target.slice, frame)
                    if isinstance(container, (list, dict)) and _hashable(key):
                        try:
                            del container[key]
                        except (KeyError, IndexError, TypeError):
                            pass
        elif isinstance(s, ast.ClassDef):
            frame.locals[s.name] = Unknown(f"local class {s.name}")
        else:
            pass  # match, async constructs: no effect modelled

    def guess_branch(self, body: list[ast.stmt], orelse: list[ast.stmt]) -> bool:
        """The branch taken when the condition is unknown: the one that does not raise, else ``if``."""
        if _raises(body) and not _raises(orelse):
            return False
        return True

    def exec_aug_assign(self, s: ast.AugAssign, frame: Frame) -> None:
        target = s.target
        current = self.eval(target, frame)
        rhs = self.eval(s.value, frame)
        if isinstance(current, ModuleInstance) and isinstance(s.op, ast.Add):
            method = self.class_lookup(current.cls, "__iadd__")
            if method is not _MISSING:
                result = self.call(method, [current, rhs], {}, s)
                self.assign(target, result, frame)
                return
        if isinstance(current, list) and isinstance(s.op, ast.Add) and isinstance(rhs, (list, tuple)):
            current.extend(rhs)
            result = current
        elif isinstance(current, dict) and isinstance(s.op, ast.BitOr) and isinstance(rhs, dict):
            current.update(rhs)
            result = current
        else:
            result = self.binop(_BINOPS[type(s.op)], current, rhs, s)
        self.assign(target, result, frame)

    def exec_for(self, s: ast.For, frame: Frame) -> None:
        items = self.iterate(self.eval(s.iter, frame), s)
        if items is None:
            self.assign(s.target, Unknown("loop variable"), frame)
            return
        broke = False
        for count, item in enumerate(items):
            if count > _MAX_LOOP:
                raise _OutOfBudget()
            self.assign(s.target, item, frame)
            try:
                self.exec_block(s.body, frame)
            except _Break:
                broke = True
                break
            except _Continue:
                continue
        if not broke:
            self.exec_block(s.orelse, frame)

    def exec_while(self, s: ast.While, frame: Frame) -> None:
        count = 0
        while True:
            cond = self.truth(self.eval(s.test, frame))
            if not cond:      # False, or unknown: stop
                break
            count += 1
            if count > _MAX_LOOP:
                raise _OutOfBudget()
            try:
                self.exec_block(s.body, frame)
            except _Break:
                return
            except _Continue:
                continue
        self.exec_block(s.orelse, frame)

    def exec_raise(self, s: ast.Raise, frame: Frame) -> None:
        exc = self.eval(s.exc, frame) if s.exc is not None else None
        if isinstance(exc, ExceptionObj):
            message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else ""
            raise InterpretError(exc.type_name, message, s, frame.scope)
        if isinstance(exc, NativeClass) and exc.name in _EXCEPTION_CLASSES:
            raise InterpretError(exc.name, "", s, frame.scope)
        if isinstance(exc, ClassObj):
            raise InterpretError(exc.name, "", s, frame.scope)
        raise InterpretError("Exception", "", s, frame.scope)

    def exec_try(self, s: ast.Try, frame: Frame) -> None:
        try:
            self.exec_block(s.body, frame)
        except InterpretError as e:
            handler = self.matching_handler(s.handlers, e, frame)
            if handler is None:
                raise
            if handler.name:
                frame.locals[handler.name] = ExceptionObj(e.type_name, [e.message])
            self.exec_block(handler.body, frame)
        else:
            self.exec_block(s.orelse, frame)
        finally:
            self.exec_block(s.finalbody, frame)

    def matching_handler(self, handlers: list[ast.ExceptHandler], e: InterpretError,
                         frame: Frame) -> ast.ExceptHandler | None:
        for h in handlers:
            if h.type is None:
                return h
            names = h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
            for n in names:
                cls = self.eval(n, frame)
                cname = cls.name if isinstance(cls, (NativeClass, ClassObj)) else ""
                if cname in ("Exception", "BaseException", e.type_name) or _exception_is_a(e.type_name, cname):
                    return h
        return None

    def exec_import(self, s: ast.Import | ast.ImportFrom, frame: Frame) -> None:
        scope = frame.scope
        if isinstance(s, ast.Import):
            for alias in s.names:
                if alias.asname:
                    frame.locals[alias.asname] = self.ref_value(self.world.resolve_module_path(alias.name))
                else:
                    head = alias.name.split(".")[0]
                    frame.locals[head] = self.ref_value(self.world.resolve_module_path(head))
        else:
            base = scope.absolute_module(s.module, s.level)
            for alias in s.names:
                if alias.name == "*":
                    continue
                ref = self.world.resolve_path(f"{base}.{alias.name}" if base else alias.name)
                frame.locals[alias.asname or alias.name] = self.ref_value(ref)

    def assign(self, target: ast.expr, value: Any, frame: Frame) -> None:
        if isinstance(target, ast.Name):
            frame.locals[target.id] = value
        elif isinstance(target, ast.Attribute):
            self.set_attr(self.eval(target.value, frame), target.attr, value, target)
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = self.iterate(value, target)
            starred = [i for i, e in enumerate(target.elts) if isinstance(e, ast.Starred)]
            if items is None:
                for e in target.elts:
                    self.assign(e.value if isinstance(e, ast.Starred) else e, Unknown("unpacked value"), frame)
                return
            if starred:
                i = starred[0]
                n_after = len(target.elts) - i - 1
                if len(items) < len(target.elts) - 1:
                    raise InterpretError("ValueError", "not enough values to unpack", target)
                head, mid, tail = items[:i], items[i:len(items) - n_after], items[len(items) - n_after:]
                for e, v in zip(target.elts[:i], head):
                    self.assign(e, v, frame)
                self.assign(target.elts[i].value, list(mid), frame)  # type: ignore[attr-defined]
                for e, v in zip(target.elts[i + 1:], tail):
                    self.assign(e, v, frame)
                return
            if len(items) != len(target.elts):
                raise InterpretError("ValueError", f"expected {len(target.elts)} values to unpack, got {len(items)}",
                                     target)
            for e, v in zip(target.elts, items):
                self.assign(e, v, frame)
        elif isinstance(target, ast.Subscript):
            container = self.eval(target.value, frame)
            key = self.eval(target.slice, frame)
            if isinstance(container, ModuleInstance):
                method = self.class_lookup(container.cls, "__setitem__")
                if method is not _MISSING:
                    self.call(method, [container, key, value], {}, target)
                return
            if isinstance(container, dict) and _hashable(key) and not isinstance(key, Unknown):
                container[key] = value
            elif isinstance(container, list) and isinstance(key, int) and not isinstance(key, bool):
                try:
                    container[key] = value
                except IndexError:
                    raise InterpretError("IndexError", "list assignment index out of range", target) from None
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value, frame)

    # --- expressions ---------------------------------------------------------------------------

    def eval(self, e: ast.expr, frame: Frame) -> Any:
        self.tick()
        method = getattr(self, "eval_" + type(e).__name__, None)
        if method is None:
            return Unknown(type(e).__name__)
        return method(e, frame)

    def eval_Constant(self, e: ast.Constant, frame: Frame) -> Any:
        return e.value if e.value is not Ellipsis else Unknown("...")

    def eval_Name(self, e: ast.Name, frame: Frame) -> Any:
        return self.lookup(e.id, frame, e)

    def eval_Attribute(self, e: ast.Attribute, frame: Frame) -> Any:
        return self.get_attr(self.eval(e.value, frame), e.attr, e)

    def eval_NamedExpr(self, e: ast.NamedExpr, frame: Frame) -> Any:
        value = self.eval(e.value, frame)
        self.assign(e.target, value, frame)
        return value

    def eval_Lambda(self, e: ast.Lambda, frame: Frame) -> Any:
        return PyFunction(e, frame.scope, frame, "<lambda>", None, ())

    def eval_IfExp(self, e: ast.IfExp, frame: Frame) -> Any:
        cond = self.truth(self.eval(e.test, frame))
        if cond is None:
            cond = True
        return self.eval(e.body if cond else e.orelse, frame)

    def eval_Tuple(self, e: ast.Tuple, frame: Frame) -> Any:
        try:
            return tuple(self.eval_elements(e.elts, frame))
        except _Unrepresentable:
            return Unknown("tuple with unknown items")

    def eval_List(self, e: ast.List, frame: Frame) -> Any:
        try:
            return self.eval_elements(e.elts, frame)
        except _Unrepresentable:
            return Unknown("list with unknown items")

    def eval_Set(self, e: ast.Set, frame: Frame) -> Any:
        try:
            items = self.eval_elements(e.elts, frame)
        except _Unrepresentable:
            return Unknown("set with unknown items")
        if all(_hashable(i) for i in items):
            return set(items)
        return Unknown("set")

    def eval_elements(self, elts: list[ast.expr], frame: Frame) -> list[Any]:
        out: list[Any] = []
        for el in elts:
            if isinstance(el, ast.Starred):
                items = self.iterate(self.eval(el.value, frame), el)
                if items is None:
                    raise _Unrepresentable()
                out.extend(items)
            else:
                out.append(self.eval(el, frame))
        return out

    def eval_Dict(self, e: ast.Dict, frame: Frame) -> Any:
        out: dict[Any, Any] = {}
        for k, v in zip(e.keys, e.values):
            if k is None:
                inner = self.eval(v, frame)
                if isinstance(inner, dict):
                    out.update(inner)
                elif isinstance(inner, ModuleInstance):
                    pass
                else:
                    return Unknown("dict with ** of unknown")
                continue
            key = self.eval(k, frame)
            if not _hashable(key) or isinstance(key, Unknown):
                return Unknown("dict with unknown key")
            out[key] = self.eval(v, frame)
        return out

    def eval_JoinedStr(self, e: ast.JoinedStr, frame: Frame) -> Any:
        parts = []
        for v in e.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            elif isinstance(v, ast.FormattedValue):
                inner = self.eval(v.value, frame)
                if not isinstance(inner, (str, int, float, bool, type(None))):
                    return Unknown("f-string", T.Str)
                spec = ""
                if v.format_spec is not None:
                    spec_v = self.eval(v.format_spec, frame)
                    if not isinstance(spec_v, str):
                        return Unknown("f-string", T.Str)
                    spec = spec_v
                conv = {115: str, 114: repr, 97: ascii}.get(v.conversion)
                try:
                    parts.append(format(conv(inner) if conv else inner, spec))
                except (ValueError, TypeError):
                    return Unknown("f-string", T.Str)
        return "".join(parts)

    def eval_Subscript(self, e: ast.Subscript, frame: Frame) -> Any:
        container = self.eval(e.value, frame)
        key = self.eval(e.slice, frame)
        return self.subscript(container, key, e)

    def eval_Slice(self, e: ast.Slice, frame: Frame) -> Any:
        parts = [self.eval(p, frame) if p is not None else None for p in (e.lower, e.upper, e.step)]
        if any(isinstance(p, Unknown) for p in parts):
            return Unknown("slice")
        return slice(*parts)

    def subscript(self, container: Any, key: Any, node: ast.AST) -> Any:
        if isinstance(container, Unknown) or isinstance(key, Unknown):
            return Unknown("subscript")
        if isinstance(container, ModuleInstance):
            method = self.class_lookup(container.cls, "__getitem__")
            if method is not _MISSING:
                return self.call(method, [container, key], {}, node)
            return Unknown("module subscript")
        if isinstance(container, TensorValue):
            return TensorValue()
        if isinstance(container, (ExternalObj, NativeClass, ClassObj)):
            return container      # typing generics: List[int], Optional[X]
        if isinstance(container, (list, tuple, str, dict)):
            try:
                return container[key]
            except (IndexError, KeyError, TypeError) as ex:
                raise InterpretError(type(ex).__name__, str(ex), node) from None
        return Unknown("subscript")

    def eval_Call(self, e: ast.Call, frame: Frame) -> Any:
        func = e.func
        if isinstance(func, ast.Name) and func.id == "super" and not e.args:
            return self.zero_arg_super(frame, e)
        callee = self.eval(func, frame)
        try:
            args, kwargs = self.eval_call_args(e, frame)
        except _Unrepresentable:
            return Unknown("call with unknown arguments")
        if isinstance(callee, Unknown):
            return Unknown("result of an unknown call")
        return self.call(callee, args, kwargs, e)

    def zero_arg_super(self, frame: Frame, node: ast.AST) -> Any:
        f: Frame | None = frame
        while f is not None and (f.function is None or f.function.owner is None):
            f = f.parent
        if f is None or f.function is None:
            raise InterpretError("RuntimeError", "super(): no arguments", node)
        return SuperObj(f.function.owner, f.first_arg)

    def eval_call_args(self, e: ast.Call, frame: Frame) -> tuple[list[Any], dict[str, Any]]:
        args: list[Any] = []
        for a in e.args:
            if isinstance(a, ast.Starred):
                items = self.iterate(self.eval(a.value, frame), a)
                if items is None:
                    raise _Unrepresentable()
                args.extend(items)
            else:
                args.append(self.eval(a, frame))
        kwargs: dict[str, Any] = {}
        for kw in e.keywords:
            value = self.eval(kw.value, frame)
            if kw.arg is None:
                if isinstance(value, dict) and all(isinstance(k, str) for k in value):
                    kwargs.update(value)
                else:
                    raise _Unrepresentable()
            else:
                kwargs[kw.arg] = value
        return args, kwargs

    def eval_UnaryOp(self, e: ast.UnaryOp, frame: Frame) -> Any:
        v = self.eval(e.operand, frame)
        if isinstance(e.op, ast.Not):
            t = self.truth(v)
            return Unknown("not", T.Bool) if t is None else (not t)
        if isinstance(v, TensorValue):
            return TensorValue()
        if not _is_number(v):
            return Unknown("unary", getattr(v, "type", None) if isinstance(v, Unknown) else None)
        return {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}[type(e.op)](v)

    def eval_BinOp(self, e: ast.BinOp, frame: Frame) -> Any:
        left = self.eval(e.left, frame)
        right = self.eval(e.right, frame)
        return self.binop(_BINOPS[type(e.op)], left, right, e)

    def binop(self, op: Callable[[Any, Any], Any], left: Any, right: Any, node: ast.AST | None) -> Any:
        if isinstance(left, TensorValue) or isinstance(right, TensorValue):
            return TensorValue()
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return Unknown("arithmetic", _arith_type(left, right, op))
        if not _operable(left) or not _operable(right):
            if op is operator.or_ and _is_typing_value(left) and _is_typing_value(right):
                return left
            return Unknown("arithmetic")
        if not _safe_size(op, left, right):
            return Unknown("large value")
        try:
            return op(left, right)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, IndexError, KeyError) as ex:
            raise InterpretError(type(ex).__name__, str(ex), node) from None

    def eval_BoolOp(self, e: ast.BoolOp, frame: Frame) -> Any:
        is_and = isinstance(e.op, ast.And)
        value: Any = None
        unknown = False
        for v_node in e.values:
            value = self.eval(v_node, frame)
            t = self.truth(value)
            if t is None:
                unknown = True
                continue
            if is_and and not t:
                return value if not unknown else Unknown("and", T.Bool)
            if not is_and and t:
                return value if not unknown else Unknown("or")
        return Unknown("boolop", T.Bool) if unknown else value

    def eval_Compare(self, e: ast.Compare, frame: Frame) -> Any:
        left = self.eval(e.left, frame)
        result: Any = True
        for op, comp in zip(e.ops, e.comparators):
            right = self.eval(comp, frame)
            r = self.compare(op, left, right, e)
            if r is False:
                return False
            if isinstance(r, Unknown):
                result = Unknown("comparison", T.Bool)
            left = right
        return result

    def compare(self, op: ast.cmpop, left: Any, right: Any, node: ast.AST) -> Any:
        if isinstance(op, (ast.Is, ast.IsNot)):
            same = _identity(left, right)
            if same is None:
                return Unknown("is", T.Bool)
            return same if isinstance(op, ast.Is) else not same
        if isinstance(op, (ast.In, ast.NotIn)):
            if isinstance(right, ModuleInstance):
                if isinstance(left, str) and self.container_kind(right.cls) == "ModuleDict":
                    found = left in right.modules
                    return found if isinstance(op, ast.In) else not found
                return Unknown("in", T.Bool)
            if isinstance(left, Unknown) or not isinstance(right, (list, tuple, dict, set, str)) \
                    or any(isinstance(x, Unknown) for x in (right if not isinstance(right, str) else [])):
                return Unknown("in", T.Bool)
            try:
                found = left in right
            except TypeError:
                return Unknown("in", T.Bool)
            return found if isinstance(op, ast.In) else not found
        if isinstance(left, TensorValue) or isinstance(right, TensorValue):
            return Unknown("tensor comparison")
        if isinstance(op, (ast.Eq, ast.NotEq)):
            if not _operable(left) or not _operable(right):
                same = _identity(left, right)
                if same is None:
                    return Unknown("==", T.Bool)
                return same if isinstance(op, ast.Eq) else not same
            if _contains_unknown(left) or _contains_unknown(right):
                return Unknown("==", T.Bool)
            return (left == right) if isinstance(op, ast.Eq) else (left != right)
        if isinstance(left, Unknown) or isinstance(right, Unknown) or not _operable(left) or not _operable(right):
            return Unknown("comparison", T.Bool)
        if _contains_unknown(left) or _contains_unknown(right):
            return Unknown("comparison", T.Bool)
        try:
            return _CMPOPS[type(op)](left, right)
        except TypeError as ex:
            raise InterpretError("TypeError", str(ex), node) from None

    def _comprehension(self, generators: list[ast.comprehension], frame: Frame,
                       emit: Callable[[Frame], None]) -> None:
        inner = Frame(frame.scope, frame, function=frame.function, first_arg=frame.first_arg)

        def loop(i: int) -> None:
            if i == len(generators):
                emit(inner)
                return
            gen = generators[i]
            items = self.iterate(self.eval(gen.iter, inner), gen.iter)
            if items is None:
                raise _Unrepresentable()
            for count, item in enumerate(items):
                if count > _MAX_LOOP:
                    raise _OutOfBudget()
                self.assign(gen.target, item, inner)
                conds = [self.truth(self.eval(c, inner)) for c in gen.ifs]
                if any(c is None for c in conds):
                    raise _Unrepresentable()
                if all(conds):
                    loop(i + 1)

        loop(0)

    def eval_ListComp(self, e: ast.ListComp, frame: Frame) -> Any:
        out: list[Any] = []
        try:
            self._comprehension(e.generators, frame, lambda f: out.append(self.eval(e.elt, f)))
        except _Unrepresentable:
            return Unknown("list comprehension")
        return out

    eval_GeneratorExp = eval_ListComp

    def eval_SetComp(self, e: ast.SetComp, frame: Frame) -> Any:
        items = self.eval_ListComp(e, frame)  # type: ignore[arg-type]
        if isinstance(items, list) and all(_hashable(i) for i in items):
            return set(items)
        return Unknown("set comprehension")

    def eval_DictComp(self, e: ast.DictComp, frame: Frame) -> Any:
        out: dict[Any, Any] = {}

        def emit(f: Frame) -> None:
            k = self.eval(e.key, f)
            if not _hashable(k) or isinstance(k, Unknown):
                raise _Unrepresentable()
            out[k] = self.eval(e.value, f)

        try:
            self._comprehension(e.generators, frame, emit)
        except _Unrepresentable:
            return Unknown("dict comprehension")
        return out

    def eval_Starred(self, e: ast.Starred, frame: Frame) -> Any:
        return self.eval(e.value, frame)

    # --- helpers ------------------------------------------------------------------------------

    def truth(self, v: Any) -> bool | None:
        """Python truthiness, or ``None`` when unknown."""
        if isinstance(v, (Unknown, TensorValue)):
            return None
        if isinstance(v, ModuleInstance):
            kind = self.container_kind(v.cls)
            if kind in ("ModuleList", "Sequential", "ModuleDict"):
                return bool(v.modules)
            if kind in ("ParameterList", "ParameterDict"):
                return bool(v.parameters)
            return True
        if isinstance(v, (list, tuple, dict, set)):
            return len(v) > 0
        if v is None or isinstance(v, (bool, int, float, str, complex)):
            return bool(v)
        return True

    def iterate(self, v: Any, node: ast.AST | None) -> list[Any] | None:
        """The items of an iterable, or ``None`` when they are unknown."""
        if isinstance(v, (list, tuple, str)):
            return list(v)
        if isinstance(v, (dict, set)):
            return list(v)
        if isinstance(v, ModuleInstance):
            method = self.class_lookup(v.cls, "__iter__")
            if isinstance(method, Native):
                return self.iterate(method.impl(self, [v], {}, node), node)
            return None
        if isinstance(v, _Range):
            return list(v.r)
        return None


class _Unrepresentable(Exception):
    """An intermediate the interpreter cannot represent (``*unknown``): the enclosing value is unknown."""


_MISSING = object()


@dataclass(eq=False)
class PropertyObj:
    getter: PyFunction
    setter: PyFunction | None


@dataclass(eq=False)
class StaticMethodObj:
    func: PyFunction


@dataclass(eq=False)
class ClassMethodObj:
    func: PyFunction


@dataclass(eq=False)
class ExceptionObj:
    type_name: str
    args: list[Any]


@dataclass(eq=False)
class _Range:
    r: range


class _ClassNamespace(dict):
    """Names of a class body seen from another class-body expression (``__constants__ = BASE + [...]``)."""

    def __init__(self, interp: Interpreter, cls: ClassObj) -> None:
        super().__init__()
        self.interp = interp
        self.cls = cls

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.cls.members

    def __getitem__(self, name: str) -> Any:
        return self.interp.class_member_value(self.cls, name)


_EXCEPTION_CLASSES = {
    "Exception", "BaseException", "RuntimeError", "ValueError", "TypeError", "AssertionError", "KeyError",
    "IndexError", "NotImplementedError", "AttributeError", "StopIteration", "ZeroDivisionError",
    "ArithmeticError", "OverflowError", "LookupError", "ImportError", "OSError", "Warning", "UserWarning",
    "DeprecationWarning",
}
_EXCEPTION_PARENTS = {
    "KeyError": "LookupError", "IndexError": "LookupError", "ZeroDivisionError": "ArithmeticError",
    "OverflowError": "ArithmeticError", "NotImplementedError": "RuntimeError",
}


def _exception_is_a(name: str, base: str) -> bool:
    while name in _EXCEPTION_PARENTS:
        name = _EXCEPTION_PARENTS[name]
        if name == base:
            return True
    return False


def _raises(stmts: list[ast.stmt]) -> bool:
    return any(isinstance(s, ast.Raise) for s in stmts)


def _hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, complex))   # bools included, as in Python


def _operable(v: Any) -> bool:
    """Values Python's own operators may be applied to."""
    if v is None or isinstance(v, (bool, int, float, complex, str)):
        return True
    if isinstance(v, (list, tuple)):
        return True
    if isinstance(v, (dict, set, slice)):
        return True
    return False


def _contains_unknown(v: Any) -> bool:
    if isinstance(v, Unknown):
        return True
    if isinstance(v, (list, tuple)):
        return any(_contains_unknown(x) for x in v)
    return False


def _is_typing_value(v: Any) -> bool:
    return v is None or isinstance(v, (ExternalObj, NativeClass, ClassObj))


def _identity(left: Any, right: Any) -> bool | None:
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        known = right if isinstance(left, Unknown) else left
        unknown = left if isinstance(left, Unknown) else right
        if known is None and unknown.type is not None and not isinstance(unknown.type, (T.OptionalType, T.NoneType,
                                                                                        T.AnyType, T.UnionType)):
            return False
        return None
    if left is None or right is None:
        return left is right
    if isinstance(left, (TensorValue, ModuleInstance, Instance, PyFunction)) or \
            isinstance(right, (TensorValue, ModuleInstance, Instance, PyFunction)):
        return left is right
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, (NativeClass, ClassObj, ExternalObj)) or isinstance(right, (NativeClass, ClassObj)):
        if isinstance(left, ExternalObj) and isinstance(right, ExternalObj):
            return left.path == right.path
        return left is right
    if isinstance(left, (int, str)) and isinstance(right, (int, str)):
        return left == right and type(left) is type(right)
    return None


def _safe_size(op: Callable, left: Any, right: Any) -> bool:
    if op is operator.mul:
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (list, tuple, str)) and isinstance(n, int):
                return len(seq) * max(n, 0) <= _MAX_LEN
    if op is operator.pow and isinstance(left, int) and isinstance(right, int):
        return abs(right) <= 4096
    if op is operator.lshift and isinstance(right, int):
        return right <= 4096
    if op is operator.add and isinstance(left, (list, tuple, str)) and isinstance(right, (list, tuple, str)):
        return len(left) + len(right) <= _MAX_LEN
    return True


def _arith_type(left: Any, right: Any, op: Callable) -> T.JitType | None:
    def t(v: Any) -> T.JitType | None:
        if isinstance(v, Unknown):
            return v.type
        if isinstance(v, bool):
            return T.Bool
        if isinstance(v, int):
            return T.Int
        if isinstance(v, float):
            return T.Float
        return None

    lt, rt = t(left), t(right)
    if lt is None or rt is None:
        return None
    if op is operator.truediv:
        return T.Float if isinstance(lt, (T.IntType, T.FloatType)) and isinstance(rt, (T.IntType, T.FloatType)) \
            else None
    if isinstance(lt, T.FloatType) or isinstance(rt, T.FloatType):
        return T.Float
    if isinstance(lt, T.IntType) and isinstance(rt, T.IntType):
        return T.Int
    return None


_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow, ast.LShift: operator.lshift,
    ast.RShift: operator.rshift, ast.BitOr: operator.or_, ast.BitAnd: operator.and_, ast.BitXor: operator.xor,
    ast.MatMult: operator.matmul,
}
_CMPOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
}


def _tensor_method(name: str) -> Callable[..., Any]:
    def impl(interp: Interpreter, args: list[Any], kwargs: dict[str, Any], node: Any) -> Any:
        if name in _NON_TENSOR_METHODS:
            return Unknown(f"tensor.{name}()", T.Int if name in ("dim", "numel", "nelement", "ndimension") else None)
        return TensorValue()

    return impl


def _real_method(obj: Any, name: str) -> Callable[..., Any]:
    def impl(interp: Interpreter, args: list[Any], kwargs: dict[str, Any], node: Any) -> Any:
        if any(isinstance(a, Unknown) for a in args) and type(obj) in (str, int, float):
            return Unknown(f"{type(obj).__name__}.{name}()")
        if name == "format" and any(isinstance(a, Unknown) or not _operable(a) for a in
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


def _torch_call_result(path: str) -> Any:
    """What a call into torch gives: a tensor when the operator returns one."""
    if path in ("torch.jit.is_scripting", "torch.jit.is_tracing", "torch._C._get_tracing_state"):
        return False
    if path in ("torch.cuda.is_available", "torch.backends.cudnn.is_available"):
        return Unknown("availability", T.Bool)
    if path in ("torch.tensor", "torch.as_tensor", "torch.Tensor", "torch.from_numpy", "torch.empty_like",
                "torch.zeros_like", "torch.ones_like", "torch.full_like", "torch.randn_like", "torch.rand_like",
                "torch.FloatTensor", "torch.LongTensor", "torch.arange", "torch.linspace", "torch.logspace"):
        return TensorValue()
    try:
        from ...schema.registry import builtin_op_for, schemas_for
        op = builtin_op_for(path)
        if op is not None:
            schemas = schemas_for(op)
            if schemas and all(len(s.returns) == 1 and isinstance(s.returns[0].type, T.TensorType)
                               for s in schemas):
                return TensorValue()
    except Exception:  # noqa: BLE001 - the registry is an aid, not a requirement
        pass
    return Unknown(f"result of {path}(...)")


# --- natives: builtins ---------------------------------------------------------------------


def _native(name: str, path: str = "") -> Callable[[Callable[..., Any]], Native]:
    def wrap(fn: Callable[..., Any]) -> Native:
        return Native(name, fn, path or f"builtins.{name}")

    return wrap


def _b_len(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    v = args[0] if args else None
    if isinstance(v, (list, tuple, str, dict, set)):
        return len(v)
    if isinstance(v, ModuleInstance):
        method = interp.class_lookup(v.cls, "__len__")
        if method is not _MISSING:
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
            if isinstance(value, _Range):
                return range in py_types
            if isinstance(value, (Instance, PyFunction, ExternalObj)):
                return False
            if cls.path == "numbers.Integral" and isinstance(value, bool):
                return True
            return isinstance(value, py_types)
        if cls.path in ("torch.SymInt", "torch.SymFloat", "torch.SymBool"):
            return False
        return None
    return None


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
    if len(r) > _MAX_LEN:
        return Unknown("range")
    return _Range(r)


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
                if isinstance(item, (tuple, list)) and len(item) == 2 and _hashable(item[0]):
                    out[item[0]] = item[1]
                else:
                    return Unknown("dict()")
    out.update(kwargs)
    return out


def _b_set(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if not args:
        return set()
    items = interp.iterate(args[0], node)
    if items is None or not all(_hashable(i) for i in items):
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
        if not items or not all(_is_number(i) or isinstance(i, str) for i in items) or kwargs:
            types = {type(i) for i in items if not isinstance(i, Unknown)}
            return Unknown(fn.__name__, T.Int if types == {int} else None)
        return fn(items)

    return impl


def _b_sum(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    items = interp.iterate(args[0], node) if args else None
    start = args[1] if len(args) > 1 else 0
    if items is None or not all(_is_number(i) for i in items) or not _is_number(start):
        return Unknown("sum")
    return sum(items, start)


def _b_abs(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return abs(args[0]) if args and _is_number(args[0]) else Unknown("abs")


def _b_round(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    if args and all(_is_number(a) for a in args):
        return round(*args)
    return Unknown("round")


def _b_type(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    v = args[0] if args else None
    if isinstance(v, (ModuleInstance, Instance)):
        return v.cls
    if isinstance(v, (bool, int, float, str, tuple, list, dict, set, complex)) or v is None:
        return _BUILTINS.get(type(v).__name__, Unknown("type"))
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
    if len(args) == 2 and all(_is_number(a) for a in args):
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
    if items is None or kwargs.get("key") is not None or not all(_operable(i) and not isinstance(i, Unknown)
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

NATIVE_OBJECT = NativeClass("object", "builtins.object")
NATIVE_MODULE = NativeClass("Module", "torch.nn.Module")
NATIVE_SCRIPT_MODULE = NativeClass("ScriptModule", "torch.jit.ScriptModule")
NATIVE_TENSOR = NativeClass("Tensor", "torch.Tensor")
NATIVE_PARAMETER = NativeClass("Parameter", "torch.nn.Parameter")
NATIVE_BUFFER = NativeClass("Buffer", "torch.nn.Buffer")


def native_mro(cls: NativeClass) -> list[Any]:
    if cls is NATIVE_SCRIPT_MODULE:
        return [NATIVE_SCRIPT_MODULE, NATIVE_MODULE, NATIVE_OBJECT]
    if cls is NATIVE_PARAMETER:
        return [NATIVE_PARAMETER, NATIVE_TENSOR, NATIVE_OBJECT]
    if cls is NATIVE_OBJECT:
        return [NATIVE_OBJECT]
    if cls.name in _EXCEPTION_CLASSES and cls.name not in ("BaseException",):
        chain = [cls]
        name = cls.name
        while name in _EXCEPTION_PARENTS:
            name = _EXCEPTION_PARENTS[name]
            parent = _BUILTINS.get(name)
            if isinstance(parent, NativeClass):
                chain.append(parent)
        return chain + [n for n in (_BUILTINS["Exception"], NATIVE_OBJECT) if n not in chain]
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

_BUILTINS: dict[str, Any] = {
    "len": Native("len", _b_len), "isinstance": Native("isinstance", _b_isinstance),
    "hasattr": Native("hasattr", _b_hasattr), "getattr": Native("getattr", _b_getattr),
    "setattr": Native("setattr", _b_setattr), "range": Native("range", _b_range),
    "enumerate": Native("enumerate", lambda i, a, kw, n: _b_enumerate(i, a, kw, n)),
    "zip": Native("zip", _b_iter_fn(lambda i, ls, kw, n: list(zip(*ls)))),
    "reversed": Native("reversed", _b_iter_fn(lambda i, ls, kw, n: list(reversed(ls[0])))),
    "map": Native("map", lambda i, a, kw, n: (
        [i.call(a[0], list(xs), {}, n) for xs in zip(*[i.iterate(x, n) or [] for x in a[1:]])]
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
for _name in _EXCEPTION_CLASSES:
    _BUILTINS[_name] = _native_class(_name, f"builtins.{_name}", _b_exception(_name))

_BUILTIN_PATHS: dict[str, Any] = {
    "collections.OrderedDict": _native_class("OrderedDict", "collections.OrderedDict", _b_ordered_dict),
    "torch.Tensor": NATIVE_TENSOR,
}


# --- natives: nn.Module ------------------------------------------------------------------------


def native_module_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    if isinstance(inst, ModuleInstance) and not inst.initialized:
        inst.initialized = True
        inst.attrs.setdefault("training", True)
        inst.attrs.setdefault("_is_full_backward_hook", None)
    return None


def _typename(v: Any) -> str:
    if isinstance(v, TensorValue):
        return "torch.nn.parameter.Parameter" if v.parameter else "torch.Tensor"
    if isinstance(v, ModuleInstance):
        return v.class_name
    if v is None:
        return "NoneType"
    return type(v).__name__


def module_setattr(interp: Interpreter, inst: ModuleInstance, name: str, value: Any, node: Any) -> None:
    """torch: nn.Module.__setattr__."""
    if isinstance(value, AttributeWrapper) and isinstance(value.value, (ModuleInstance,)):
        value = value.value
    if isinstance(value, TensorValue) and value.parameter:
        if not inst.initialized:
            raise InterpretError("AttributeError", "cannot assign parameters before Module.__init__() call", node)
        for table in (inst.attrs, inst.buffers, inst.modules):
            table.pop(name, None)
        inst.non_persistent.discard(name)
        inst.parameters[name] = value
        return
    if name in inst.parameters:
        if value is not None and not isinstance(value, Unknown):
            raise InterpretError("TypeError", f"cannot assign '{_typename(value)}' as parameter '{name}' "
                                 "(torch.nn.Parameter or None expected)", node)
        inst.parameters[name] = value
        return
    if isinstance(value, ModuleInstance):
        if not inst.initialized:
            raise InterpretError("AttributeError", "cannot assign module before Module.__init__() call", node)
        for table in (inst.attrs, inst.parameters, inst.buffers):
            table.pop(name, None)
        inst.non_persistent.discard(name)
        inst.modules[name] = value
        return
    if name in inst.modules:
        if value is not None and not isinstance(value, Unknown):
            raise InterpretError("TypeError", f"cannot assign '{_typename(value)}' as child module '{name}' "
                                 "(torch.nn.Module or None expected)", node)
        inst.modules[name] = value
        return
    if isinstance(value, TensorValue) and value.buffer:
        _register_buffer(inst, name, value, value.persistent, node)
        return
    if name in inst.buffers:
        if value is not None and not isinstance(value, (TensorValue, Unknown)):
            raise InterpretError("TypeError", f"cannot assign '{_typename(value)}' as buffer '{name}' "
                                 "(torch.nn.Buffer, torch.Tensor or None expected)", node)
        inst.buffers[name] = value
        return
    inst.attrs[name] = value


def _register_buffer(inst: ModuleInstance, name: str, tensor: Any, persistent: bool, node: Any) -> None:
    if not inst.initialized:
        raise InterpretError("AttributeError", "cannot assign buffer before Module.__init__() call", node)
    if not isinstance(name, str):
        raise InterpretError("TypeError", "buffer name should be a string", node)
    if "." in name:
        raise InterpretError("KeyError", 'buffer name can\'t contain "."', node)
    if name == "":
        raise InterpretError("KeyError", 'buffer name can\'t be empty string ""', node)
    if (name in inst.attrs or name in inst.parameters or name in inst.modules) and name not in inst.buffers:
        raise InterpretError("KeyError", f"attribute '{name}' already exists", node)
    if tensor is not None and not isinstance(tensor, (TensorValue, Unknown)):
        raise InterpretError("TypeError", f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                             "(torch Tensor or None required)", node)
    inst.buffers[name] = TensorValue(lazy=tensor.lazy) if isinstance(tensor, TensorValue) else tensor
    if persistent:
        inst.non_persistent.discard(name)
    else:
        inst.non_persistent.add(name)


def _m_register_buffer(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, name = args[0], args[1] if len(args) > 1 else kwargs.get("name")
    tensor = args[2] if len(args) > 2 else kwargs.get("tensor")
    persistent = args[3] if len(args) > 3 else kwargs.get("persistent", True)
    if isinstance(inst, ModuleInstance) and isinstance(name, str):
        _register_buffer(inst, name, tensor, persistent is not False, node)
    return None


def _m_register_parameter(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, name = args[0], args[1] if len(args) > 1 else kwargs.get("name")
    param = args[2] if len(args) > 2 else kwargs.get("param")
    if not isinstance(inst, ModuleInstance) or not isinstance(name, str):
        return None
    if not inst.initialized:
        raise InterpretError("AttributeError", "cannot assign parameter before Module.__init__() call", node)
    if (name in inst.attrs or name in inst.buffers or name in inst.modules) and name not in inst.parameters:
        raise InterpretError("KeyError", f"attribute '{name}' already exists", node)
    if param is not None and not isinstance(param, (TensorValue, Unknown)):
        raise InterpretError("TypeError", f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                             "(torch.nn.Parameter or None required)", node)
    if isinstance(param, TensorValue) and not param.parameter:
        raise InterpretError("TypeError", f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                             "(torch.nn.Parameter or None required)", node)
    inst.parameters[name] = param
    return None


def _m_add_module(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, name = args[0], args[1] if len(args) > 1 else kwargs.get("name")
    module = args[2] if len(args) > 2 else kwargs.get("module")
    if not isinstance(inst, ModuleInstance):
        return None
    if not isinstance(name, str):
        if isinstance(name, Unknown):
            return None
        raise InterpretError("TypeError", f"module name should be a string. Got {_typename(name)}", node)
    if module is not None and not isinstance(module, (ModuleInstance, Unknown)):
        raise InterpretError("TypeError", f"{_typename(module)} is not a Module subclass", node)
    if (name in inst.attrs or name in inst.parameters or name in inst.buffers) and name not in inst.modules:
        raise InterpretError("KeyError", f"attribute '{name}' already exists", node)
    if "." in name:
        raise InterpretError("KeyError", f'module name can\'t contain ".", got: {name}', node)
    inst.modules[name] = module
    return None


def _m_return_self(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return args[0] if args else None


def _m_train(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    mode = args[1] if len(args) > 1 else kwargs.get("mode", True)

    def visit(m: Any) -> None:
        if isinstance(m, ModuleInstance):
            m.attrs["training"] = mode if isinstance(mode, bool) else True
            for sub in m.modules.values():
                visit(sub)

    visit(inst)
    return inst


def _m_eval(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return _m_train(interp, [args[0], False], {}, node)


def _m_children(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    return [m for m in inst.modules.values() if m is not None] if isinstance(inst, ModuleInstance) else Unknown("")


def _m_named_children(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    if not isinstance(inst, ModuleInstance):
        return Unknown("")
    return [(k, m) for k, m in inst.modules.items() if m is not None]


def _m_modules(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    out: list[Any] = []

    def visit(m: Any) -> None:
        if isinstance(m, ModuleInstance) and all(m is not o for o in out):
            out.append(m)
            for sub in m.modules.values():
                visit(sub)

    visit(args[0])
    return out


def _m_parameters(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    out: list[Any] = []

    def visit(m: Any) -> None:
        if isinstance(m, ModuleInstance):
            out.extend(p for p in m.parameters.values() if p is not None)
            for sub in m.modules.values():
                visit(sub)

    visit(args[0])
    return out


def _m_named_parameters(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    out: list[Any] = []

    def visit(m: Any, prefix: str) -> None:
        if isinstance(m, ModuleInstance):
            out.extend((prefix + k, p) for k, p in m.parameters.items() if p is not None)
            for k, sub in m.modules.items():
                visit(sub, f"{prefix}{k}.")

    visit(args[0], "")
    return out


def _m_register_forward_hook(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, hook = args[0], args[1] if len(args) > 1 else kwargs.get("hook")
    if isinstance(inst, ModuleInstance):
        inst.forward_hooks.append(hook)
    return Unknown("hook handle")


def _m_register_forward_pre_hook(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, hook = args[0], args[1] if len(args) > 1 else kwargs.get("hook")
    if isinstance(inst, ModuleInstance):
        inst.forward_pre_hooks.append(hook)
    return Unknown("hook handle")


def _m_unknown(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return Unknown("module method result")


def _m_get_submodule(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, target = args[0], args[1] if len(args) > 1 else ""
    if not isinstance(target, str):
        return Unknown("submodule")
    m = inst
    for part in [p for p in target.split(".") if p]:
        if not isinstance(m, ModuleInstance) or part not in m.modules:
            raise InterpretError("AttributeError", f"has no attribute `{part}`", node)
        m = m.modules[part]
    return m


NATIVE_CLASS_ATTRS: dict[str, dict[str, Any]] = {
    "Module": {
        "__init__": Native("__init__", native_module_init),
        "register_buffer": Native("register_buffer", _m_register_buffer),
        "register_parameter": Native("register_parameter", _m_register_parameter),
        "add_module": Native("add_module", _m_add_module), "register_module": Native("register_module", _m_add_module),
        "train": Native("train", _m_train), "eval": Native("eval", _m_eval),
        "children": Native("children", _m_children), "named_children": Native("named_children", _m_named_children),
        "modules": Native("modules", _m_modules), "parameters": Native("parameters", _m_parameters),
        "named_parameters": Native("named_parameters", _m_named_parameters),
        "register_forward_hook": Native("register_forward_hook", _m_register_forward_hook),
        "register_forward_pre_hook": Native("register_forward_pre_hook", _m_register_forward_pre_hook),
        "get_submodule": Native("get_submodule", _m_get_submodule),
        **{n: Native(n, _m_return_self) for n in (
            "to", "cuda", "cpu", "float", "double", "half", "bfloat16", "type", "requires_grad_", "apply",
            "share_memory", "to_empty", "xpu", "ipu", "mtia")},
        **{n: Native(n, _m_unknown) for n in (
            "zero_grad", "state_dict", "load_state_dict", "buffers", "named_buffers", "named_modules",
            "register_full_backward_hook", "register_backward_hook", "register_full_backward_pre_hook",
            "register_load_state_dict_post_hook", "register_state_dict_pre_hook", "extra_repr",
            "_register_state_dict_hook", "_register_load_state_dict_pre_hook", "__repr__", "_get_name")},
    },
    "ScriptModule": {
        "__init__": Native("__init__", native_module_init),
    },
    "object": {
        "__init__": Native("__init__", lambda interp, args, kwargs, node: None),
        "__init_subclass__": Native("__init_subclass__", lambda interp, args, kwargs, node: None),
    },
}


#: torch classes read from source that the interpreter models natively, by (module, qualname).
_NATIVE_TORCH_CLASSES: dict[tuple[str, str], NativeClass] = {
    ("torch.nn.modules.module", "Module"): NATIVE_MODULE,
    ("torch.jit._script", "ScriptModule"): NATIVE_SCRIPT_MODULE,
    ("torch.jit._script", "RecursiveScriptModule"): NATIVE_SCRIPT_MODULE,
    ("torch.nn.parameter", "Parameter"): NATIVE_PARAMETER,
    ("torch.nn.parameter", "UninitializedParameter"): NativeClass("UninitializedParameter",
                                                                  "torch.nn.parameter.UninitializedParameter"),
    ("torch.nn.parameter", "Buffer"): NATIVE_BUFFER,
    ("torch.nn.parameter", "UninitializedBuffer"): NativeClass("UninitializedBuffer",
                                                               "torch.nn.parameter.UninitializedBuffer"),
    ("torch._tensor", "Tensor"): NATIVE_TENSOR,
}


def _torch_library_role(module_name: str) -> str | None:
    """How the interpreter treats code of a torch module: run it, ``init`` (returns its tensor), or opaque."""
    if module_name != "torch" and not module_name.startswith("torch."):
        return None
    if module_name == "torch.nn.init":
        return "init"
    if module_name.startswith(("torch.nn.modules", "torch.nn.common_types", "torch.nn.parameter",
                               "torch.ao.nn", "torch.nn.quantized", "torch.nn.intrinsic", "torch.nn.qat")):
        return None
    return "opaque"


# --- natives: containers ------------------------------------------------------------------------


def _c_len(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    kind = interp.container_kind(inst.cls)
    return len(inst.parameters) if kind in ("ParameterList", "ParameterDict") else len(inst.modules)


def _c_iter(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    kind = interp.container_kind(inst.cls)
    if kind == "ModuleDict":
        return list(inst.modules.keys())
    if kind == "ParameterDict":
        return list(inst.parameters.keys())
    if kind == "ParameterList":
        return list(inst.parameters.values())
    return list(inst.modules.values())


def _c_list_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    native_module_init(interp, [inst], {}, node)
    modules = args[1] if len(args) > 1 else kwargs.get("modules")
    if modules is not None:
        _c_extend(interp, [inst, modules], {}, node)
    return None


def _c_extend(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, modules = args[0], args[1]
    items = interp.iterate(modules, node)
    if items is None:
        inst.notes.append(f"the modules added to {inst.class_name} at line {getattr(node, 'lineno', '?')} are unknown")
        return inst
    offset = len(inst.modules)
    for i, m in enumerate(items):
        _m_add_module(interp, [inst, str(offset + i), m], {}, node)
    return inst


def _c_append(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, m = args[0], args[1]
    _m_add_module(interp, [inst, str(len(inst.modules)), m], {}, node)
    return inst


def _c_insert(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, index, m = args[0], args[1], args[2]
    values = list(inst.modules.values())
    if not isinstance(index, int):
        return None
    values.insert(index, m)
    inst.modules = {str(i): v for i, v in enumerate(values)}
    return None


def _c_list_getitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, idx = args[0], args[1]
    values = list(inst.modules.values())
    if isinstance(idx, slice):
        clone = ModuleInstance(inst.cls, node)
        native_module_init(interp, [clone], {}, node)
        kind = interp.container_kind(inst.cls)
        if kind == "Sequential":
            clone.modules = {k: inst.modules[k] for k in list(inst.modules)[idx]}
        else:
            clone.modules = {str(i): v for i, v in enumerate(values[idx])}
        return clone
    if isinstance(idx, int) and not isinstance(idx, bool):
        try:
            return values[idx]
        except IndexError:
            raise InterpretError("IndexError", f"index {idx} is out of range", node) from None
    return Unknown("module list item")


def _c_list_setitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, idx, m = args[0], args[1], args[2]
    if isinstance(idx, int):
        keys = list(inst.modules)
        key = keys[idx] if -len(keys) <= idx < len(keys) else str(idx)
        _m_add_module(interp, [inst, key, m], {}, node)
    return None


def _c_pop(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    key = args[1] if len(args) > 1 else -1
    kind = interp.container_kind(inst.cls)
    if kind == "ModuleDict":
        return inst.modules.pop(key, None) if isinstance(key, str) else Unknown("pop")
    values = list(inst.modules.values())
    if not isinstance(key, int) or not values:
        return Unknown("pop")
    v = values.pop(key)
    inst.modules = {str(i): x for i, x in enumerate(values)} if kind != "Sequential" else \
        {k: x for k, x in inst.modules.items() if x is not v}
    return v


def _c_sequential_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    native_module_init(interp, [inst], {}, node)
    mods = args[1:]
    if len(mods) == 1 and isinstance(mods[0], dict):
        for key, m in mods[0].items():
            _m_add_module(interp, [inst, key, m], {}, node)
    else:
        for i, m in enumerate(mods):
            _m_add_module(interp, [inst, str(i), m], {}, node)
    return None


def _c_dict_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    native_module_init(interp, [inst], {}, node)
    modules = args[1] if len(args) > 1 else kwargs.get("modules")
    if modules is not None:
        _c_dict_update(interp, [inst, modules], {}, node)
    return None


def _c_dict_update(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, modules = args[0], args[1]
    if isinstance(modules, dict):
        pairs = list(modules.items())
    elif isinstance(modules, ModuleInstance):
        pairs = list(modules.modules.items())
    else:
        items = interp.iterate(modules, node)
        if items is None:
            inst.notes.append(f"the modules added to {inst.class_name} at line {getattr(node, 'lineno', '?')} "
                              "are unknown")
            return None
        pairs = [tuple(p) for p in items if isinstance(p, (tuple, list)) and len(p) == 2]
    for k, m in pairs:
        _m_add_module(interp, [inst, k, m], {}, node)
    return None


def _c_dict_getitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, key = args[0], args[1]
    if isinstance(key, str):
        if key in inst.modules:
            return inst.modules[key]
        raise InterpretError("KeyError", repr(key), node)
    return Unknown("module dict item")


def _c_dict_setitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return _m_add_module(interp, [args[0], args[1], args[2]], {}, node)


def _c_keys(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    return list((inst.parameters if interp.container_kind(inst.cls) == "ParameterDict" else inst.modules).keys())


def _c_values(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    return list((inst.parameters if interp.container_kind(inst.cls) == "ParameterDict" else inst.modules).values())


def _c_items(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    return list((inst.parameters if interp.container_kind(inst.cls) == "ParameterDict" else inst.modules).items())


def _c_contains(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, key = args[0], args[1]
    return key in inst.modules if isinstance(key, str) else Unknown("contains", T.Bool)


def _as_parameter(v: Any) -> Any:
    if isinstance(v, TensorValue) and not v.parameter:
        return TensorValue(parameter=True)
    return v


def _c_plist_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    native_module_init(interp, [inst], {}, node)
    values = args[1] if len(args) > 1 else kwargs.get("values")
    if values is not None:
        _c_plist_extend(interp, [inst, values], {}, node)
    return None


def _c_plist_extend(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, values = args[0], args[1]
    items = interp.iterate(values, node)
    if items is None:
        return inst
    for v in items:
        _c_plist_append(interp, [inst, v], {}, node)
    return inst


def _c_plist_append(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, v = args[0], args[1]
    name = str(len(inst.parameters))
    v = _as_parameter(v)
    if isinstance(v, TensorValue):
        inst.parameters[name] = v
    else:
        inst.attrs[name] = v
        inst.parameters[name] = v  # keeps the index numbering of ParameterList
    return inst


def _c_plist_getitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, idx = args[0], args[1]
    values = list(inst.parameters.values())
    if isinstance(idx, int) and -len(values) <= idx < len(values):
        return values[idx]
    return Unknown("parameter")


def _c_pdict_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    native_module_init(interp, [inst], {}, node)
    values = args[1] if len(args) > 1 else kwargs.get("parameters")
    if isinstance(values, dict):
        for k, v in values.items():
            if isinstance(k, str):
                inst.parameters[k] = _as_parameter(v)
    return None


def _c_pdict_setitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, key, v = args[0], args[1], args[2]
    if isinstance(key, str):
        inst.parameters[key] = _as_parameter(v)
    return None


def _c_pdict_getitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, key = args[0], args[1]
    return inst.parameters.get(key, Unknown("parameter")) if isinstance(key, str) else Unknown("parameter")


_LIST_COMMON = {
    "__len__": Native("__len__", _c_len), "__iter__": Native("__iter__", _c_iter),
    "extend": Native("extend", _c_extend), "__iadd__": Native("__iadd__", _c_extend),
    "append": Native("append", _c_append), "insert": Native("insert", _c_insert),
    "__getitem__": Native("__getitem__", _c_list_getitem), "__setitem__": Native("__setitem__", _c_list_setitem),
    "pop": Native("pop", _c_pop),
}
CONTAINER_METHODS: dict[str, dict[str, Native]] = {
    "ModuleList": {"__init__": Native("__init__", _c_list_init), **_LIST_COMMON},
    "Sequential": {"__init__": Native("__init__", _c_sequential_init), **_LIST_COMMON},
    "ModuleDict": {
        "__init__": Native("__init__", _c_dict_init), "__len__": Native("__len__", _c_len),
        "__iter__": Native("__iter__", _c_iter), "update": Native("update", _c_dict_update),
        "__getitem__": Native("__getitem__", _c_dict_getitem), "__setitem__": Native("__setitem__", _c_dict_setitem),
        "keys": Native("keys", _c_keys), "values": Native("values", _c_values), "items": Native("items", _c_items),
        "__contains__": Native("__contains__", _c_contains), "pop": Native("pop", _c_pop),
    },
    "ParameterList": {
        "__init__": Native("__init__", _c_plist_init), "__len__": Native("__len__", _c_len),
        "__iter__": Native("__iter__", _c_iter), "append": Native("append", _c_plist_append),
        "extend": Native("extend", _c_plist_extend), "__iadd__": Native("__iadd__", _c_plist_extend),
        "__getitem__": Native("__getitem__", _c_plist_getitem),
    },
    "ParameterDict": {
        "__init__": Native("__init__", _c_pdict_init), "__len__": Native("__len__", _c_len),
        "__iter__": Native("__iter__", _c_iter), "__setitem__": Native("__setitem__", _c_pdict_setitem),
        "__getitem__": Native("__getitem__", _c_pdict_getitem), "keys": Native("keys", _c_keys),
        "values": Native("values", _c_values), "items": Native("items", _c_items),
    },
}


# --- the bundled summary of torch.nn ------------------------------------------------------------

SUMMARY_MODULE = "pyjit_core.frontend.data.torch_nn_summary"
SUMMARY_PATH = Path(__file__).parent.parent / "data" / "torch_nn_summary.py"


def summary_scope(world: Any) -> ModuleScope | None:
    """The bundled summary of torch.nn's common layers, as a module of the world."""
    found = world.__dict__.get("_pyjit_nn_summary")
    if found is not None:
        return found
    try:
        text = SUMMARY_PATH.read_text(encoding="utf-8")
    except OSError:
        return None
    scope = ModuleScope(world, SUMMARY_MODULE, SourceFile(str(SUMMARY_PATH), text))
    world.__dict__["_pyjit_nn_summary"] = scope
    return scope


def _summary_module_of(ref: ClassRef) -> str | None:
    """``__module__ = "torch.nn.modules.linear"`` in a summary class body."""
    for stmt in ref.node.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__module__"
                                                for t in stmt.targets):
            if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                return stmt.value.value
    return None


# --- types: torch's tryToInferType --------------------------------------------------------------


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
    if isinstance(v, _Range):
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
    if isinstance(v, Instance) and compiler is not None:
        try:
            t = compiler.class_type(v.cls.ref, None)
        except Exception:  # noqa: BLE001 - torch: a class that fails to compile is not a type
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


def final_inner(expr: ast.expr, scope: ModuleScope) -> ast.expr | None | bool:
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


# --- concrete module types -------------------------------------------------------------------


@dataclass
class AttributeInfo:
    type: T.JitType
    is_parameter: bool = False
    is_buffer: bool = False


@dataclass(eq=False)
class ConcreteModuleType:
    """torch: ConcreteModuleType (+ its builder's data): what a module type is made of."""

    py_class: Any                                   # ClassObj / NativeClass; identity is the Python class
    iterable_kind: str = "none"                     # none | list | dict | paramlist | paramdict
    attributes: dict[str, AttributeInfo] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    modules: list[tuple[str, ConcreteModuleType]] = field(default_factory=list)
    failed_attributes: dict[str, str] = field(default_factory=dict)
    ignored_attributes: list[str] = field(default_factory=list)
    function_attributes: dict[str, Any] = field(default_factory=dict)     # name -> PyFunction
    builtin_functions: dict[str, str] = field(default_factory=dict)       # name -> "aten::relu"
    overloads: dict[str, list[str]] = field(default_factory=dict)
    forward_hooks: list[Any] = field(default_factory=list)
    forward_pre_hooks: list[Any] = field(default_factory=list)
    poisoned: bool = False
    jit_type: T.ClassType | T.InterfaceType | None = None
    info: ClassInfo | None = None
    instance: ModuleInstance | None = None
    origin: str = "source"                          # source | torch-source | summary
    unknown_attributes: dict[str, str] = field(default_factory=dict)     # name -> why pyjit cannot type it
    methods_compiled: bool = False

    @property
    def name(self) -> str:
        """The unqualified class name (``Linear``) torch's messages use."""
        if self.jit_type is not None:
            return self.jit_type.name.rsplit(".", 1)[-1]
        return getattr(self.py_class, "name", "Module")

    @property
    def is_interface(self) -> bool:
        return isinstance(self.jit_type, T.InterfaceType)

    def find_submodule(self, name: str) -> ConcreteModuleType | None:
        for n, sub in self.modules:
            if n == name:
                return sub
        return None

    @classmethod
    def from_jit_type(cls, jit_type: T.ClassType | T.InterfaceType, info: ClassInfo | None = None
                      ) -> ConcreteModuleType:
        return cls(None, poisoned=True, jit_type=jit_type, info=info)

    def equals(self, other: ConcreteModuleType) -> bool:
        """torch: ConcreteModuleTypeBuilder::equals -- when two instances may share one JIT type."""
        if self is other:
            return True
        if self.poisoned or other.poisoned:
            return False
        if not (self.py_class is other.py_class and self.iterable_kind == other.iterable_kind
                and self.ignored_attributes == other.ignored_attributes
                and _constants_equal(self.constants, other.constants)
                and list(self.attributes.items()) == list(other.attributes.items())
                and self.overloads == other.overloads
                and self.function_attributes.keys() == other.function_attributes.keys()
                and all(self.function_attributes[k] is other.function_attributes[k] for k in self.function_attributes)
                and self.builtin_functions == other.builtin_functions
                and _same_list(self.forward_hooks, other.forward_hooks)
                and _same_list(self.forward_pre_hooks, other.forward_pre_hooks)):
            return False
        mine = sorted(self.modules, key=lambda p: p[0])
        theirs = sorted(other.modules, key=lambda p: p[0])
        if len(mine) != len(theirs):
            return False
        for (n1, m1), (n2, m2) in zip(mine, theirs):
            if n1 != n2:
                return False
            if m1 is m2 or (m1.jit_type is not None and m1.jit_type == m2.jit_type):
                continue
            if not m1.equals(m2):
                return False
        return True


def _same_list(a: list, b: list) -> bool:
    return len(a) == len(b) and all(x is y or (isinstance(x, PyFunction) and isinstance(y, PyFunction)
                                               and x.node is y.node) for x, y in zip(a, b))


def _constant_key(v: Any) -> Any:
    if isinstance(v, tuple):
        return ("tuple", tuple(_constant_key(x) for x in v))
    if isinstance(v, Unknown):
        return ("unknown", id(v))
    return (type(v).__name__, v)


def _constants_equal(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.keys() != b.keys():
        return False
    return all(_constant_key(a[k]) == _constant_key(b[k]) for k in a)


_CONSTANT_TYPES = (bool, float, int, str, type(None), DeviceValue, TorchEnumValue)
_VALID_CONSTANTS = ("bool, float, int, str, NoneType, torch.device, torch.layout, torch.dtype, torch.qscheme")


class ConstantError(Exception):
    """torch: the TypeError of ``_get_valid_constant``."""


def valid_constant(attr: str, v: Any, owner: str) -> Any:
    """torch: _jit_internal ``_get_valid_constant`` (in _recursive.py)."""
    if isinstance(v, _CONSTANT_TYPES) or isinstance(v, Unknown):
        return v
    if isinstance(v, (tuple, list)):
        return tuple(valid_constant(attr, x, owner) for x in v)
    raise ConstantError(
        f"\n'{torch_typename(v)}' object in attribute '{owner}.{attr}' is not a valid constant.\n"
        "Valid constants are:\n"
        "1. a nn.ModuleList\n"
        f"2. a value of type {{{_VALID_CONSTANTS}}}\n"
        "3. a list or tuple of (2)\n")


class ConcreteTypeStore:
    """torch: ConcreteTypeStore -- concrete types per Python class, JIT types shared between equal ones."""

    def __init__(self, compiler: Compiler, interp: Interpreter) -> None:
        self.compiler = compiler
        self.interp = interp
        self.type_store: dict[int, list[ConcreteModuleType]] = {}
        self.by_name: dict[str, ConcreteModuleType] = {}
        self.warnings: list[str] = []
        self._mangle_index = 0

    def get_or_create(self, inst: ModuleInstance, share_types: bool = True) -> ConcreteModuleType:
        builder = self.infer(inst, share_types)
        if not share_types:
            builder.poisoned = True
            return self.build(builder)
        known = self.type_store.setdefault(id(inst.cls), [])
        for k in known:
            if k.equals(builder):
                return k
        built = self.build(builder)
        known.append(built)
        return built

    # --- torch: infer_concrete_type_builder -------------------------------------------------

    def infer(self, inst: ModuleInstance, share_types: bool = True) -> ConcreteModuleType:
        interp = self.interp
        cls = inst.cls
        b = ConcreteModuleType(cls, instance=inst)
        b.origin = cls.origin if isinstance(cls, ClassObj) else "source"
        kind = interp.container_kind(cls)
        b.iterable_kind = {"ModuleDict": "dict", "ModuleList": "list", "Sequential": "list",
                           "ParameterList": "paramlist", "ParameterDict": "paramdict"}.get(kind or "", "none")
        annotations = self.class_annotations(cls)
        ignored = self.instance_value(inst, "__jit_ignored_attributes__", [])
        ignored = [x for x in ignored if isinstance(x, str)] if isinstance(ignored, (list, tuple)) else []
        b.ignored_attributes = list(ignored)
        added: set[str] = set()

        for name, item in inst.parameters.items():
            if name in ignored:
                continue
            if name in inst.attrs and kind == "ParameterList" and not isinstance(item, TensorValue):
                continue
            b.attributes[name] = AttributeInfo(self.attribute_type(b, name, item, annotations), True, False)
            added.add(name)
        for name, item in inst.buffers.items():
            if name in ignored:
                continue
            b.attributes[name] = AttributeInfo(self.attribute_type(b, name, item, annotations), False, True)
            added.add(name)
        for name, item in inst.modules.items():
            if name in ignored:
                continue
            ann = annotations.get(name)
            if item is None or isinstance(item, Unknown):
                t = self.attribute_type(b, name, None if item is None else item, annotations)
                b.attributes[name] = AttributeInfo(t)
                continue
            sub: ConcreteModuleType | None = None
            if ann is not None and not isinstance(ann[0], str):
                ann_type = self.annotation(ann)
                if isinstance(ann_type, T.InterfaceType):
                    sub = ConcreteModuleType.from_jit_type(ann_type, self.compiler.unit.class_info(ann_type))
                    sub.instance = item
            if sub is None:
                sub = self.get_or_create(item, share_types)
            b.modules.append((name, sub))
            added.add(name)

        constants = self.constants_set(inst, annotations)
        for name in constants:
            if name in added:
                hint = ("submodule" if name in inst.modules else "buffer" if name in inst.buffers else "parameter")
                self.warnings.append(f"'{name}' was found in ScriptModule constants,  but it is a non-constant "
                                     f"{hint}. Consider removing it.")
                continue
            value = self.instance_value(inst, name, _MISSING)
            if value is _MISSING:
                self.warnings.append(f"'{name}' was found in ScriptModule constants, but was not actually set in "
                                     "__init__. Consider removing it.")
                continue
            b.constants[name] = valid_constant(name, value, inst.class_name)
            added.add(name)

        for name, value in inst.attrs.items():
            if name in IGNORED_ATTRIBUTES or name.startswith("__") or name in ignored or name in added:
                continue
            if isinstance(value, PyFunction):
                b.function_attributes[name] = value
                continue
            if isinstance(value, ExternalObj):
                from ..python_values import external_builtin
                op = external_builtin(value.path)
                if op is not None:
                    b.builtin_functions[name] = op
                    continue
            inferred = self.infer_type(name, value, annotations)
            if inferred.success():
                b.attributes[name] = AttributeInfo(inferred.type)
            elif inferred.pyjit_unknown:
                b.unknown_attributes[name] = inferred.reason
            else:
                hint = ("(This attribute exists on the Python module, but we failed to convert Python type: "
                        f"'{torch_typename(value)}' to a TorchScript type. {inferred.reason}. "
                        f"{'Its type was inferred; try adding a type annotation for the attribute.'})")
                b.failed_attributes[name] = hint
        for name, decls in self.overload_declarations(cls):
            b.overloads[name] = [f"{name}__{i}" for i in range(len(decls))]
        b.forward_hooks = list(inst.forward_hooks)
        b.forward_pre_hooks = list(inst.forward_pre_hooks)
        return b

    def overload_declarations(self, cls: Any) -> list[tuple[str, list[ast.FunctionDef]]]:
        """torch: get_overload_annotations -- per method name (``dir`` order), the ``@_overload_method``
        declarations of the class that defines the method."""
        out = []
        names = sorted({n for c in self.interp.mro_of(cls) if isinstance(c, ClassObj) for n in c.overload_decls})
        for name in names:
            for c in self.interp.mro_of(cls):
                if isinstance(c, ClassObj) and name in c.members:
                    if c.overload_decls.get(name):
                        out.append((name, c.overload_decls[name]))
                    break
        return out

    def instance_value(self, inst: ModuleInstance, name: str, default: Any) -> Any:
        try:
            return self.interp.module_getattr(inst, name, None)
        except (InterpretError, _OutOfBudget):
            return default

    def class_annotations(self, cls: Any) -> dict[str, tuple[Any, ModuleScope | None]]:
        """torch: ``get_annotations`` -- the class's own annotations, else the nearest base's."""

        def own(c: Any) -> dict[str, tuple[Any, ModuleScope | None]]:
            if isinstance(c, ClassObj):
                return {k: (v, c.scope) for k, v in c.annotations.items()}
            if c is NATIVE_MODULE:
                return {k: (v, None) for k, v in MODULE_ANNOTATIONS.items()}
            if c is NATIVE_SCRIPT_MODULE:
                return {k: (v, None) for k, v in SCRIPT_MODULE_ANNOTATIONS.items()}
            return {}

        def search(c: Any) -> dict[str, tuple[Any, ModuleScope | None]]:
            found = own(c)
            if found:
                return found
            bases = c.bases if isinstance(c, ClassObj) else native_mro(c)[1:2] if isinstance(c, NativeClass) else []
            for base in bases:
                if isinstance(base, (ClassObj, NativeClass)):
                    got = search(base)
                    if got:
                        return got
            return {}

        return search(cls)

    def annotation(self, ann: tuple[Any, ModuleScope | None]) -> T.JitType | str | None:
        expr, scope = ann
        if isinstance(expr, (T.JitType, str)):
            return expr
        assert scope is not None
        return parse_annotation(self.compiler, expr, scope)

    def infer_type(self, name: str, item: Any, annotations: dict[str, tuple[Any, ModuleScope | None]]) -> Inferred:
        """torch: ``infer_type`` in infer_concrete_type_builder -- annotation first, then the value."""
        ann = annotations.get(name)
        if ann is not None:
            try:
                t = self.annotation(ann)
            except Exception as e:  # noqa: BLE001 - reported as torch reports it
                raise ConstantError(f"Error inferring type for {name}: {python_type_name(item)}: "
                                    f"{getattr(e, 'message', str(e))}") from None
            if t != "forward" and isinstance(t, T.JitType):
                fin = final_inner(ann[0], ann[1]) if ann[1] is not None and not isinstance(ann[0], str) else None
                if fin is None:
                    return Inferred(t)
        if isinstance(item, AttributeWrapper):
            if item.annotation is not None and item.scope is not None:
                return Inferred(parse_annotation(self.compiler, item.annotation, item.scope))
            return try_infer_type(item.value, self.compiler)
        return try_infer_type(item, self.compiler)

    def attribute_type(self, b: ConcreteModuleType, name: str, item: Any,
                       annotations: dict[str, tuple[Any, ModuleScope | None]]) -> T.JitType:
        inferred = self.infer_type(name, item, annotations)
        if inferred.success():
            return inferred.type
        b.unknown_attributes[name] = inferred.reason
        return T.Tensor if not isinstance(item, ModuleInstance) else T.NoneT

    def constants_set(self, inst: ModuleInstance, annotations: dict[str, tuple[Any, ModuleScope | None]]
                      ) -> list[str]:
        out: list[str] = []
        declared = self.instance_value(inst, "__constants__", ())
        if isinstance(declared, (list, tuple, set)):
            out += [x for x in declared if isinstance(x, str)]
        for name, (expr, scope) in annotations.items():
            if scope is not None and not isinstance(expr, (T.JitType, str)) and final_inner(expr, scope) is not None:
                out.append(name)
        seen: set[str] = set()
        return [n for n in out if not (n in seen or seen.add(n))]   # type: ignore[func-returns-value]

    # --- torch: ConcreteModuleTypeBuilder::createTypeFromThis ----------------------------------

    def build(self, b: ConcreteModuleType) -> ConcreteModuleType:
        from ..compiler import torch_qualified_name
        from ..unit import ClassInfo

        cls = b.py_class
        if isinstance(cls, ClassObj):
            name = torch_qualified_name(cls.module_name, cls.qualname)
        else:
            name = f"__torch__.torch.nn.modules.module.{cls.name}"
        unit = self.compiler.unit
        if name in unit.classes:
            name = self.mangle(name)
        b.jit_type = T.ClassType(name, is_module=True)
        info = ClassInfo(b.jit_type, is_module=True)
        for attr, a in b.attributes.items():
            info.add_attribute(attr, a.type, "parameter" if a.is_parameter else "buffer" if a.is_buffer else "attribute")
        for cname, value in b.constants.items():
            info.constants[cname] = value
        for mname, sub in b.modules:
            info.add_attribute(mname, sub.jit_type, "module")
        unit.register_class(info)
        b.info = info
        self.by_name[name] = b
        return b

    def mangle(self, name: str) -> str:
        """torch: NameMangler::mangle -- ``a.b.C`` -> ``a.b.___torch_mangle_N.C``."""
        unit = self.compiler.unit
        while name in unit.classes:
            head, _, last = name.rpartition(".")
            parts = head.split(".")
            if parts and parts[-1].startswith("___torch_mangle_"):
                parts = parts[:-1]
            name = ".".join(parts + [f"___torch_mangle_{self._mangle_index}", last])
            self._mangle_index += 1
        return name


# --- bridges used by the compiler ------------------------------------------------------------------


def is_nn_module_class_ref(world: Any, ref: Ref) -> bool | None:
    """Whether a base-class reference is ``nn.Module`` or one of torch's module classes (``None``: not known)."""
    if isinstance(ref, ExternalRef):
        if ref.path in MODULE_PATHS or ref.path in SCRIPT_MODULE_PATHS:
            return True
        if ref.path.startswith("torch.nn.") and ref.path.rsplit(".", 1)[1][:1].isupper() \
                and ref.path not in PARAMETER_PATHS and ref.path not in BUFFER_PATHS:
            return True
        return None
    if isinstance(ref, ClassRef) and (ref.scope.module_name, ref.qualname) in (
            ("torch.nn.modules.module", "Module"), ("torch.jit._script", "ScriptModule"),
            ("torch.jit._script", "RecursiveScriptModule")):
        return True
    return None


def iter_class_functions(interp: Interpreter, cls: Any) -> Iterable[tuple[str, Any]]:
    """Every (name, member) visible on the class, as ``dir(cls)`` would list them (sorted)."""
    names: set[str] = set()
    for c in interp.mro_of(cls):
        if isinstance(c, ClassObj):
            names.update(c.members)
    for name in sorted(names):
        value = interp.class_lookup(cls, name)
        if value is not _MISSING:
            yield name, value


MISSING = _MISSING
