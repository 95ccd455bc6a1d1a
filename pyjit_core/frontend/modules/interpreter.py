"""The abstract interpreter: ``Model(3, bias=False)`` run over abstract values, never for real.

:meth:`Interpreter.instantiate_at` is the entry point. This module holds the
object model -- names and globals, classes read from source (MRO, members,
properties), attributes, calls, constructing instances (``nn.Module``
subclasses, dataclasses, plain classes) and calls into code pyjit does not
read; running the code itself is :class:`~.evaluation.Evaluator`'s half.
Every class is interpreted from source, torch's ``nn`` layers included (read
through :class:`PyWorld`, installed or bundled), except what the
``native_*`` modules model.
"""

from __future__ import annotations

import ast
import copy
import math
import operator
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ...ir import types as T
from ...schema.registry import builtin_op_for, schemas_for
from ..pyworld import _PY_BUILTINS as _PY_BUILTIN_NAMES
from ..pyworld import (
    ClassAttributeRef,
    ClassRef,
    ConstantRef,
    ExternalRef,
    FunctionRef,
    InstanceRef,
    ModuleRef,
    ModuleScope,
    Ref,
)
from .abstract_values import (
    BUFFER_PATHS,
    CONTAINER_MODULE,
    CONTAINERS,
    MAX_LEN,
    MAX_STEPS,
    MISSING,
    MODULE_PATHS,
    NATIVE_BUFFER,
    NATIVE_MODULE,
    NATIVE_OBJECT,
    NATIVE_PARAMETER,
    NATIVE_SCRIPT_MODULE,
    OVERLOAD_METHOD,
    PARAMETER_PATHS,
    SCRIPT_MODULE_PATHS,
    AttributeWrapper,
    BoundMethod,
    ClassMethodObj,
    ClassObj,
    DeviceValue,
    EnumMember,
    ExceptionObj,
    ExternalObj,
    Frame,
    Instance,
    InterpretError,
    ModuleInstance,
    ModuleObj,
    Native,
    NativeClass,
    OpaqueObj,
    OutOfBudget,
    PropertyObj,
    PyFunction,
    StaticMethodObj,
    SuperObj,
    TensorValue,
    TorchEnumValue,
    Unknown,
    deep_copy,
    is_number,
)
from .evaluation import Evaluator, Guess, Unrepresentable
from .inference import parse_annotation
from .native_builtins import (
    BUILTIN_PATHS,
    BUILTINS,
    EXCEPTION_CLASSES,
    NATIVE_CONSTRUCTORS,
    SAFE_METHODS,
    native_mro,
    real_method,
    tensor_method,
)
from .native_containers import CONTAINER_METHODS
from .native_module import (
    NATIVE_CLASS_ATTRS,
    NATIVE_TORCH_CLASSES,
    module_setattr,
    native_module_init,
    torch_library_role,
)

if TYPE_CHECKING:
    from ..compiler import Compiler


#: torch's dtypes, layouts, memory formats and qschemes: ints in TorchScript.
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

#: math's functions, called for real on known numbers, and its constants.
_MATH_FUNCTIONS = {
    "sqrt", "exp", "log", "log2", "log10", "log1p", "ceil", "floor", "trunc", "fabs", "pow", "sin", "cos", "tan",
    "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "isqrt", "gcd", "lcm", "prod", "fsum", "isfinite",
    "isinf", "isnan", "hypot", "degrees", "radians", "copysign", "fmod", "factorial", "comb", "perm", "erf",
}
ENUM_BASES = {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"}
_MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan, "tau": math.tau}


class Interpreter(Evaluator):
    """Runs ``__init__`` and what it calls over abstract values.

    One interpreter serves one analysis; the classes it reads are cached.
    ``instantiate_at`` is the entry point. Steps are budgeted, so a loop the
    source does not bound ends the interpretation (``Unknown`` results)
    rather than the analysis. Running code is the :class:`Evaluator` half.
    """

    def __init__(self, compiler: Compiler) -> None:
        self.compiler = compiler
        self.world = compiler.world
        self._classes: dict[int, ClassObj] = {}
        self._globals: dict[tuple[int, str], Any] = {}
        self._class_values: dict[tuple[int, str], Any] = {}
        self._in_progress: set[tuple[int, str]] = set()
        self._layers: dict[tuple, ModuleInstance] = {}   # torch layers built from plain values, by arguments
        self._lookups: dict[tuple[int, str], Any] = {}  # (id(class), name) -> class_lookup's final answer
        self.steps = 0
        self.depth = 0
        self.guesses: list[Guess] = []   # conditions taken without knowing their value, in order

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
            except Unrepresentable:
                return Unknown("constructor call with unknown arguments")
        elif isinstance(cls, ClassObj):
            args, kwargs = self.unknown_constructor_args(cls)
        return self.call(cls, args, kwargs, call)

    def unknown_constructor_args(self, cls: ClassObj) -> tuple[list[Any], dict[str, Any]]:
        """Arguments for a constructor called nowhere: required parameters become typed unknowns."""
        return self._required_constructor_args(cls, lambda name, t: Unknown(name, t))

    def representative_constructor_args(self, cls: ClassObj) -> tuple[list[Any], dict[str, Any]]:
        """Arguments for a constructor called nowhere: for each required parameter a value of
        its annotated type where one can be invented (see :func:`representative_value`),
        else a typed unknown."""
        return self._required_constructor_args(cls, representative_value)

    def _required_constructor_args(self, cls: ClassObj, make: Any) -> tuple[list[Any], dict[str, Any]]:
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
            args.append(make(f"argument '{p.arg}' of {cls.name}()", self.parameter_type(p.annotation, init.scope)))
        kwargs = {}
        for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=False):
            if d is None:
                kwargs[p.arg] = make(f"argument '{p.arg}' of {cls.name}()",
                                     self.parameter_type(p.annotation, init.scope))
        return args, kwargs

    def parameter_type(self, expr: ast.expr | None, scope: ModuleScope) -> T.JitType | None:
        """A constructor parameter's annotation as a type; for a generic alias TorchScript cannot
        read (torch's ``_size_2_t = _scalar_or_tuple_2_t[int]``), the type it is made of (``int``)."""
        found = self.annotation_type(expr, scope)
        for _ in range(4):
            if found is not None or expr is None:
                return found
            if isinstance(expr, ast.Name):
                name = expr.id
                origin = scope.imported_from(name)
                if origin is not None:
                    scope, name = origin
                binding = scope.binding_node(name)
                if not isinstance(binding, (ast.Assign, ast.AnnAssign)) or binding.value is None:
                    return None
                expr = binding.value
            elif isinstance(expr, ast.Subscript):
                expr = expr.slice.elts[0] if isinstance(expr.slice, ast.Tuple) and expr.slice.elts else expr.slice
            else:
                return None
            found = self.annotation_type(expr, scope)
        return found

    def annotation_type(self, expr: ast.expr | None, scope: ModuleScope) -> T.JitType | None:
        if expr is None:
            return None
        try:
            return parse_annotation(self.compiler, expr, scope)
        except Exception:
            return None

    # --- budget -----------------------------------------------------------------------------

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise OutOfBudget()

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
            value = self.builtin(name) if name in BUILTINS or name in _PY_BUILTIN_NAMES else \
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
        except (InterpretError, OutOfBudget, RecursionError):
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
            return deep_copy(ref.value, {})
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
        builtin = BUILTIN_PATHS.get(path)
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
        """``torch.nn.<name>`` from torch's sources (installed or bundled)."""
        if self.world.torch_root is not None:
            ref = self.world.resolve_path(f"torch.nn.modules.{name}")
            if isinstance(ref, ClassRef):
                return self.class_obj(ref)
        return None

    def builtin(self, name: str) -> Any:
        found = BUILTINS.get(name)
        if found is not None:
            return found
        return ExternalObj(f"builtins.{name}")

    # --- classes ----------------------------------------------------------------------------

    def class_obj(self, ref: ClassRef) -> Any:
        native = NATIVE_TORCH_CLASSES.get((ref.scope.module_name, ref.qualname))
        if native is not None:
            return native
        path = f"{ref.scope.module_name}.{ref.qualname}"
        if path.startswith("torch.") and (path in MODULE_PATHS or path in SCRIPT_MODULE_PATHS
                                          or path in PARAMETER_PATHS or path in BUFFER_PATHS):
            return self.external(path)    # torch.nn.Module read through a re-export: the native one
        key = id(ref.node)
        found = self._classes.get(key)
        if found is not None:
            return found
        cls = ClassObj(ref)
        self._classes[key] = cls
        module_name = ref.scope.module_name
        if module_name == "torch" or module_name.startswith("torch."):
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
            except (InterpretError, OutOfBudget):
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
                        for k, v in zip(stmt.value.keys, stmt.value.values, strict=False):
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

    def is_enum_class(self, cls: Any) -> bool:
        return any(isinstance(b, ExternalObj) and b.path in ENUM_BASES
                   for c in self.mro_of(cls) if isinstance(c, ClassObj) for b in c.bases)

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
            if self.is_enum_class(cls) and not (name.startswith("_") and name.endswith("_")):
                value = EnumMember(cls, {"name": name, "value": value, "_name_": name, "_value_": value}, name)
        else:
            value = Unknown(f"class attribute {name}")
        self._class_values[key] = value
        return value

    def _method(self, cls: ClassObj, node: ast.FunctionDef) -> PyFunction:
        return PyFunction(node, cls.scope, None, f"{cls.qualname}.{node.name}", cls,
                          self.decorator_paths(node, cls.scope))

    def class_lookup(self, cls: Any, name: str, *, after: Any = None) -> Any:
        """``name`` looked up along ``cls``'s MRO (starting after ``after``); ``MISSING`` if absent.
        A whole-MRO lookup is remembered once its answer is final (see :meth:`_lookup_along`)."""
        if after is None:
            key = (id(cls), name)
            found = self._lookups.get(key)
            if found is None:
                found, final = self._lookup_along(self.mro_of(cls), name)
                # (A class is kept alive by `_classes`, a native one is global; a ClassObj without
                # an MRO yet is being made.)
                if final and (isinstance(cls, NativeClass) or (isinstance(cls, ClassObj) and cls.mro)):
                    self._lookups[key] = found
            return found
        mro = self.mro_of(cls)
        idx = next((i for i, c in enumerate(mro) if c is after), None)
        return self._lookup_along(mro[idx + 1:] if idx is not None else [], name)[0]

    def _lookup_along(self, mro: list[Any], name: str) -> tuple[Any, bool]:
        """The first binding of ``name`` along ``mro`` (``MISSING``), and whether it is final: a
        class attribute still being evaluated answers an unknown this once."""
        for c in mro:
            if isinstance(c, ClassObj):
                if c.container is not None:
                    native = CONTAINER_METHODS.get(c.container, {}).get(name)
                    if native is not None:
                        return native, True
                if name in c.members:
                    value = self.class_member_value(c, name)
                    return value, (id(c.ref.node), name) in self._class_values
            elif isinstance(c, NativeClass):
                native = NATIVE_CLASS_ATTRS.get(c.name, {}).get(name)
                if native is not None:
                    return native, True
        return MISSING, True

    def source_member(self, cls: Any, name: str) -> Any:
        """``getattr(PyClass, name)`` as torch sees it: the Python source (torch's own ``nn.Module`` and
        containers included), never the interpreter's native stand-ins; ``MISSING`` if absent."""
        for c in self.mro_of(cls):
            if isinstance(c, ClassObj):
                if name in c.members:
                    return self.class_member_value(c, name)
            elif c is NATIVE_MODULE:
                source = self.module_source_class()
                if source is not None and name in source.members:
                    return self.class_member_value(source, name)
        return MISSING

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
            if name == "__class__":
                return obj.cls
            found = self.class_lookup(obj.cls, name)
            if found is MISSING and name == "__module__":
                return _module_of(obj.cls)
            return self.bind(obj, found, name, node)
        if isinstance(obj, (ClassObj, NativeClass)):
            if name == "__name__":
                return obj.name
            if name == "__qualname__":
                return obj.qualname
            found = self.class_lookup(obj, name)
            if found is MISSING and name == "__module__":
                return _module_of(obj)
            if found is MISSING:
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
            if found is MISSING:
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
            return Native(name, tensor_method(name))
        if isinstance(obj, PyFunction):
            if name == "__name__":
                return obj.name
            return Unknown(f"function attribute {name}")
        if isinstance(obj, (TorchEnumValue, DeviceValue)):
            return Unknown(f"{obj}.{name}")
        if isinstance(obj, (str, list, tuple, dict, set, int, float)) and not isinstance(obj, bool):
            safe = SAFE_METHODS.get(type(obj), frozenset())
            if name in safe:
                return Native(name, real_method(obj, name))
            if name == "__class__":
                return BUILTINS.get(type(obj).__name__, Unknown("type"))
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
        if found is MISSING:
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
        if found is not MISSING:
            return self.bind(inst, found, name, node)
        if name == "__module__":
            return _module_of(inst.cls)
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
            return self.call(callee.func, [callee.obj, *list(args)], kwargs, node)
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
                inst = ModuleInstance(cls, node, self._current_scope)
                native_module_init(self, [inst], {}, node)
                return inst
            return Unknown(f"instance of {cls.name}")
        assert isinstance(cls, ClassObj)
        if torch_library_role(cls.scope.module_name) == "opaque" and not self.is_module_class(cls):
            return Unknown(f"instance of {cls.module_name}.{cls.qualname}")
        if self.is_module_class(cls):
            key = _library_layer_key(cls, args, kwargs)
            if key is not None and key in self._layers:
                return _rebuilt(self._layers[key], node, self._current_scope)
            inst = ModuleInstance(cls, node, self._current_scope)
            if self.is_subclass(cls, NATIVE_SCRIPT_MODULE):
                inst.notes.append("script_module")
            init = self.class_lookup(cls, "__init__")
            if init is not MISSING:
                self.call(init, [inst, *args], kwargs, node)
            if key is not None:
                self._layers[key] = deep_copy(inst, {})
            return inst
        if any(isinstance(c, NativeClass) and c.name in EXCEPTION_CLASSES for c in cls.mro):
            return ExceptionObj(cls.name, args)
        record = self.record_fields(cls)
        if record is not None:
            return self.construct_record(cls, record, args, kwargs, node)
        if any(isinstance(c, NativeClass) and c.name in ("tuple", "NamedTuple") for c in cls.mro) \
                or self.is_enum_class(cls):
            return Unknown(f"instance of {cls.name}")
        inst_obj = Instance(cls)
        init = self.class_lookup(cls, "__init__")
        if init is not MISSING:
            self.call(init, [inst_obj, *args], kwargs, node)
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
        if post_init is not MISSING:
            self.call(post_init, [obj], {}, node)
        return obj

    def call_external(self, path: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None) -> Any:
        head, _, name = path.rpartition(".")
        if head == "math" and name in _MATH_FUNCTIONS:
            if all(is_number(a) for a in args) and not kwargs:
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
            return deep_copy(args[0], {}) if args else Unknown("copy")
        if path in ("copy.copy",):
            return copy.copy(args[0]) if args and isinstance(args[0], (list, dict)) else (args[0] if args else None)
        if path in ("warnings.warn", "builtins.print", "logging.warning", "logging.info", "logging.debug"):
            return None
        if path in _PARAMETRIZATIONS:
            # torch scripts such a module only once `__prepare_scriptable__` has removed the
            # parametrization again (torchaudio's wav2vec2), and fails on it otherwise: the module as it
            # was stands for it (never a tensor, whatever an operator of the same name returns).
            module = args[0] if args else kwargs.get("module")
            return module if isinstance(module, ModuleInstance) else Unknown(f"result of {path}(...)")
        if path.startswith("torch."):
            return _torch_call_result(path)
        if path in ("itertools.repeat",):
            if len(args) == 2 and isinstance(args[1], int) and 0 <= args[1] <= MAX_LEN:
                return [args[0]] * args[1]
            return Unknown("repeat")
        if path in ("itertools.chain",):
            if all(isinstance(a, (list, tuple)) for a in args):
                return [x for a in args for x in a]
            return Unknown("chain")
        if path in ("functools.partial",):
            return _partial(args, kwargs) if args else Unknown("partial")
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


def _library_layer_key(cls: Any, args: list[Any], kwargs: dict[str, Any]) -> tuple | None:
    """A torch layer built from plain values (``Conv2d(64, 64, 3, padding=1)``) is the same
    every time: its construction is remembered. None for anything else."""
    if not isinstance(cls, ClassObj) or not cls.module_name.startswith("torch.nn.modules."):
        return None
    values = (*args, *kwargs.values())
    if not all(_plain(v) for v in values):
        return None
    return (id(cls.ref.node), repr(args), repr(sorted(kwargs.items())))


def _plain(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))


def _rebuilt(remembered: ModuleInstance, node: ast.AST | None, scope: ModuleScope | None) -> ModuleInstance:
    inst = deep_copy(remembered, {})
    inst.site, inst.site_scope = node, scope
    return inst


def representative_value(description: str, t: T.JitType | None) -> Any:
    """A value of type ``t`` that stands for any: the smallest that passes the usual checks
    (``int`` 1 divides everything; a required ``Optional[X]`` gets an ``X``); 1 for an
    unannotated parameter; a typed unknown where none can be invented (strings, modules,
    callables). The caller falls back on unknowns when the constructor rejects these."""
    # Unannotated: most such parameters are sizes and counts (``embed_dim``, ``num_heads``).
    found = _invent(t) if t is not None else 1
    return Unknown(description, t) if found is _NOTHING else found


_NOTHING = object()


def _invent(t: T.JitType) -> Any:
    if t == T.Int:
        return 1
    if t == T.Float:
        return 1.0
    if t == T.Bool:
        return False
    if isinstance(t, T.TensorType):
        return TensorValue()
    if isinstance(t, T.OptionalType):    # a required Optional: a value says more than None
        inner = _invent(t.element)
        return None if inner is _NOTHING else inner
    if t == T.NoneType:
        return None
    if isinstance(t, T.TupleType):
        items = [_invent(e) for e in t.elements]
        return _NOTHING if any(i is _NOTHING for i in items) else tuple(items)
    if isinstance(t, T.ListType):
        item = _invent(t.element)
        return _NOTHING if item is _NOTHING else [item]
    if isinstance(t, T.UnionType):
        for member in sorted(t.members, key=lambda m: not (m == T.Int or m == T.Float)):
            found = _invent(member)
            if found is not _NOTHING:
                return found
    return _NOTHING


def _partial(args: list[Any], kwargs: dict[str, Any]) -> Native:
    """``functools.partial(fn, *args, **kwargs)``: calling it calls ``fn`` with those first
    (``partial(nn.LayerNorm, eps=1e-6)`` as a ``norm_layer``)."""
    fn, bound_args, bound_kwargs = args[0], list(args[1:]), dict(kwargs)

    def call(interp: Interpreter, more: list[Any], more_kwargs: dict[str, Any], node: Any) -> Any:
        return interp.call(fn, bound_args + more, {**bound_kwargs, **more_kwargs}, node)

    return Native("partial", call)


def _module_of(cls: Any) -> str:
    """A class's ``__module__`` when its body does not set one."""
    return cls.module_name if isinstance(cls, ClassObj) else "torch.nn.modules.module"


#: torch's functions that add a parametrization or a reparametrizing hook to a module, or remove
#: it, and return the module.
_PARAMETRIZATIONS = frozenset(
    f"torch.nn.utils.{name}" for name in (
        "parametrizations.weight_norm", "parametrizations.spectral_norm", "parametrizations.orthogonal",
        "parametrize.register_parametrization", "parametrize.remove_parametrizations",
        "weight_norm", "remove_weight_norm", "weight_norm.weight_norm", "weight_norm.remove_weight_norm",
        "spectral_norm", "remove_spectral_norm", "spectral_norm.spectral_norm", "spectral_norm.remove_spectral_norm"))


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
        op = builtin_op_for(path)
        if op is not None:
            schemas = schemas_for(op)
            if schemas and all(len(s.returns) == 1 and isinstance(s.returns[0].type, T.TensorType)
                               for s in schemas):
                return TensorValue()
    except Exception:
        pass
    return Unknown(f"result of {path}(...)")


def iter_class_functions(interp: Interpreter, cls: Any) -> Iterable[tuple[str, Any]]:
    """Every (name, member) visible on the class, as ``dir(cls)`` would list them (sorted)."""
    names: set[str] = set()
    for c in interp.mro_of(cls):
        if isinstance(c, ClassObj):
            names.update(c.members)
    for name in sorted(names):
        value = interp.class_lookup(cls, name)
        if value is not MISSING:
            yield name, value
