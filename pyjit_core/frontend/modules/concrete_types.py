"""Concrete module types: what torch's ``infer_concrete_type_builder`` builds from an instance.

:meth:`ConcreteTypeStore.get_or_create` reads a :class:`~.values.ModuleInstance`
as torch's torch/jit/_recursive.py reads a live module: the attributes in
torch's order (parameters, buffers, then ``__dict__``), the constants
(``__constants__`` and ``Final``, checked by :func:`valid_constant`), the
submodules, the attributes that failed to convert with torch's hint -- and
shares one JIT type between equal concrete types, mangling names
(``___torch_mangle_N``) as torch does.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...exceptions import PyjitError
from ...ir import types as T
from ..compilation_unit import ClassInfo, torch_qualified_name
from ..pyworld import ModuleScope
from ..torch_objects import external_builtin
from .abstract_values import (
    MISSING,
    NATIVE_MODULE,
    NATIVE_SCRIPT_MODULE,
    AttributeWrapper,
    ClassObj,
    DeviceValue,
    ExternalObj,
    InterpretError,
    ModuleInstance,
    NativeClass,
    OutOfBudget,
    PyFunction,
    TensorValue,
    TorchEnumValue,
    Unknown,
)
from .inference import Inferred, final_inner, parse_annotation, python_type_name, torch_typename, try_infer_type
from .native_builtins import native_mro

if TYPE_CHECKING:
    from ..compiler import Compiler
    from .interpreter import Interpreter


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
    origin: str = "source"                          # source | torch-source
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
        for (n1, m1), (n2, m2) in zip(mine, theirs, strict=False):
            if n1 != n2:
                return False
            if m1 is m2 or (m1.jit_type is not None and m1.jit_type == m2.jit_type):
                continue
            if not m1.equals(m2):
                return False
        return True


def _same_list(a: list, b: list) -> bool:
    return len(a) == len(b) and all(x is y or (isinstance(x, PyFunction) and isinstance(y, PyFunction)
                                               and x.node is y.node) for x, y in zip(a, b, strict=False))


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


def _constants_signature(constants: dict[str, Any]) -> Any:
    """A hashable key that is equal for two constant dicts whenever :func:`_constants_equal`
    holds for them (``None`` when a value cannot be hashed: compare with everything)."""
    key = tuple(sorted((k, _constant_key(v)) for k, v in constants.items()))
    try:
        hash(key)
    except TypeError:
        return None
    return key


_CONSTANT_TYPES = (bool, float, int, str, type(None), DeviceValue, TorchEnumValue)
_VALID_CONSTANTS = ("bool, float, int, str, NoneType, torch.device, torch.layout, torch.dtype, torch.qscheme")


class ConstantError(PyjitError):
    """torch: the TypeError of ``_get_valid_constant``."""


def valid_constant(attr: str, v: Any, owner: str) -> Any:
    """torch: _jit_internal ``_get_valid_constant`` (in _recursive.py)."""
    if isinstance(v, (_CONSTANT_TYPES, Unknown)):
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
        # The same types bucketed by class and constants signature (equal types share one), so a
        # new instance of a class built many ways (Conv2d) is compared only with its likely peers.
        self._by_signature: dict[tuple[int, Any], list[ConcreteModuleType]] = {}
        # Annotations read already, by (id(expr), id(scope)) -> (expr, scope, type): a class's
        # annotations are read again for each instance (the expr and scope held keep the ids valid).
        self._annotations: dict[tuple[int, int], tuple[Any, Any, T.JitType]] = {}
        self.by_name: dict[str, ConcreteModuleType] = {}
        # Per class (kept alive by the interpreter, or global): its annotations, and which are Final.
        self._class_annotations: dict[int, dict[str, tuple[Any, ModuleScope | None]]] = {}
        self._final_names: dict[int, list[str]] = {}
        # Annotations by (id(expr), id(scope)) -> (expr, scope, final_inner's answer), as _annotations.
        self._finals: dict[tuple[int, int], tuple[Any, Any, Any]] = {}
        self.warnings: list[str] = []
        self._mangle_index = 0

    def get_or_create(self, inst: ModuleInstance, share_types: bool = True) -> ConcreteModuleType:
        builder = self.infer(inst, share_types)
        if not share_types:
            builder.poisoned = True
            return self.build(builder)
        known = self.type_store.setdefault(id(inst.cls), [])
        signature = _constants_signature(builder.constants)
        # Only types with the same constants can equal the builder, and the first of those that
        # does is the first of `known` that does. (An unhashable signature: compare with them all.)
        candidates = known
        if signature is not None and not self._by_signature.get((id(inst.cls), None)):
            candidates = self._by_signature.get((id(inst.cls), signature), [])
        for k in candidates:
            if k.equals(builder):
                return k
        built = self.build(builder)
        known.append(built)
        self._by_signature.setdefault((id(inst.cls), signature), []).append(built)
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
            value = self.instance_value(inst, name, MISSING)
            if value is MISSING:
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
        except (InterpretError, OutOfBudget):
            return default

    def class_annotations(self, cls: Any) -> dict[str, tuple[Any, ModuleScope | None]]:
        """torch: ``get_annotations`` -- the class's own annotations, else the nearest base's
        (read once per class: do not change the answer)."""
        found = self._class_annotations.get(id(cls))
        if found is None:
            found = self._class_annotations[id(cls)] = self._read_class_annotations(cls)
        return found

    def _read_class_annotations(self, cls: Any) -> dict[str, tuple[Any, ModuleScope | None]]:

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

    def final_names(self, cls: Any, annotations: dict[str, tuple[Any, ModuleScope | None]]) -> list[str]:
        """The names ``annotations`` (``cls``'s) declares ``Final``, once per class."""
        found = self._final_names.get(id(cls))
        if found is None:
            found = self._final_names[id(cls)] = [
                name for name, (expr, scope) in annotations.items()
                if scope is not None and not isinstance(expr, (T.JitType, str)) and self.final(expr, scope) is not None]
        return found

    def final(self, expr: ast.expr, scope: ModuleScope) -> ast.expr | bool | None:
        """:func:`final_inner`, once per annotation."""
        key = (id(expr), id(scope))
        found = self._finals.get(key)
        if found is None:
            found = self._finals[key] = (expr, scope, final_inner(expr, scope))
        return found[2]

    def annotation(self, ann: tuple[Any, ModuleScope | None]) -> T.JitType | str | None:
        expr, scope = ann
        if isinstance(expr, (T.JitType, str)):
            return expr
        assert scope is not None
        key = (id(expr), id(scope))
        found = self._annotations.get(key)
        if found is None:
            found = self._annotations[key] = (expr, scope, parse_annotation(self.compiler, expr, scope))
        return found[2]

    def infer_type(self, name: str, item: Any, annotations: dict[str, tuple[Any, ModuleScope | None]]) -> Inferred:
        """torch: ``infer_type`` in infer_concrete_type_builder -- annotation first, then the value."""
        ann = annotations.get(name)
        if ann is not None:
            try:
                t = self.annotation(ann)
            except Exception as e:
                raise ConstantError(f"Error inferring type for {name}: {python_type_name(item)}: "
                                    f"{getattr(e, 'message', str(e))}") from None
            if t != "forward" and isinstance(t, T.JitType):
                fin = self.final(ann[0], ann[1]) if ann[1] is not None and not isinstance(ann[0], str) else None
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
        out += self.final_names(inst.cls, annotations)
        seen: set[str] = set()
        return [n for n in out if not (n in seen or seen.add(n))]   # type: ignore[func-returns-value]

    # --- torch: ConcreteModuleTypeBuilder::createTypeFromThis ----------------------------------

    def build(self, b: ConcreteModuleType) -> ConcreteModuleType:
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
            kind = "parameter" if a.is_parameter else "buffer" if a.is_buffer else "attribute"
            info.add_attribute(attr, a.type, kind)
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
            name = ".".join([*parts, f"___torch_mangle_{self._mangle_index}", last])
            self._mangle_index += 1
        return name
