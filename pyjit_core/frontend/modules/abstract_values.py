"""The abstract values the interpreter computes with, and the torch names it recognises.

Real Python constants (numbers, strings, tuples, lists and dicts of those)
stand for themselves; everything else has a stand-in here: :class:`Unknown`
for what the source does not determine, :class:`TensorValue`,
:class:`ModuleInstance`, classes and functions read from source
(:class:`ClassObj`, :class:`PyFunction`), objects modelled natively
(:class:`Native`, :class:`NativeClass`) or not at all (:class:`ExternalObj`,
:class:`OpaqueObj`). Also here: the frame of a running function, what ends an
interpretation (:class:`InterpretError`, :class:`OutOfBudget`), the budget,
and the torch paths (``torch.nn.Module``, ``torch.jit.export``...) the
interpreter and the compiler recognise.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...exceptions import PyjitError
from ...ir import types as T
from ..pyworld import ClassRef, ExternalRef, ModuleScope, Ref
from ..torch_objects import marks_unused

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
    origin: str = "source"            # "source" | "torch-source"
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
class EnumMember(Instance):
    """A member of an Enum class of the sources (``Color.RED``): one object per member, its
    ``name`` and ``value`` in ``attrs``."""

    name: str = ""


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
        clone.attrs = deep_copy(self.attrs, memo)
        clone.parameters = deep_copy(self.parameters, memo)
        clone.buffers = deep_copy(self.buffers, memo)
        clone.non_persistent = set(self.non_persistent)
        clone.modules = deep_copy(self.modules, memo)
        clone.forward_hooks = list(self.forward_hooks)
        clone.forward_pre_hooks = list(self.forward_pre_hooks)
        clone.initialized = self.initialized
        clone.notes = list(self.notes)
        return clone


def deep_copy(value: Any, memo: dict) -> Any:
    """Deep copy of abstract values: containers and instances are copied, code is shared."""
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, ModuleInstance):
        return copy.deepcopy(value, memo)
    if isinstance(value, dict):
        out = {}
        memo[id(value)] = out
        for k, v in value.items():
            out[k] = deep_copy(v, memo)
        return out
    if isinstance(value, list):
        out_l: list = []
        memo[id(value)] = out_l
        out_l.extend(deep_copy(v, memo) for v in value)
        return out_l
    if isinstance(value, tuple):
        return tuple(deep_copy(v, memo) for v in value)
    if isinstance(value, TensorValue):
        return TensorValue(value.parameter, value.buffer, value.persistent, value.lazy)
    if isinstance(value, Instance):
        inst = Instance(value.cls)
        memo[id(value)] = inst
        inst.attrs = deep_copy(value.attrs, memo)
        return inst
    return value


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
class RangeObj:
    r: range


#: What a lookup answers when the name is not there.
MISSING = object()


# --- classes modelled natively ---------------------------------------------------------------

NATIVE_OBJECT = NativeClass("object", "builtins.object")
NATIVE_MODULE = NativeClass("Module", "torch.nn.Module")
NATIVE_SCRIPT_MODULE = NativeClass("ScriptModule", "torch.jit.ScriptModule")
NATIVE_TENSOR = NativeClass("Tensor", "torch.Tensor")
NATIVE_PARAMETER = NativeClass("Parameter", "torch.nn.Parameter")
NATIVE_BUFFER = NativeClass("Buffer", "torch.nn.Buffer")


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


# --- what ends an interpretation ---------------------------------------------------------------


class InterpretError(PyjitError):
    """The interpreted program raised (``raise ValueError(...)`` reached on known values)."""

    def __init__(self, type_name: str, message: str, node: ast.AST | None = None,
                 scope: ModuleScope | None = None) -> None:
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name
        self.message = message
        self.node = node
        self.scope = scope


class OutOfBudget(PyjitError):
    pass


# --- the budget -------------------------------------------------------------------------------

MAX_LEN = 100_000
MAX_STEPS = 400_000
MAX_DEPTH = 60
MAX_LOOP = 20_000


# --- predicates on values --------------------------------------------------------------------


def hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float, complex))   # bools included, as in Python


def operable(v: Any) -> bool:
    """Values Python's own operators may be applied to."""
    if v is None or isinstance(v, (bool, int, float, complex, str)):
        return True
    if isinstance(v, (list, tuple)):
        return True
    return bool(isinstance(v, (dict, set, slice)))


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
    if isinstance(fn.node, ast.FunctionDef) and any(
            marks_unused(d, path) for d, path in zip(fn.node.decorator_list, fn.decorators, strict=False)):
        return "unused"
    if fn.has_decorator(*IGNORE):
        return "ignore"
    if fn.has_decorator(*EXPORT):
        return "export"
    if fn.has_decorator(*COPY_TO_SCRIPT_WRAPPER):
        return "copy_to_script_wrapper"
    return None


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
