"""Scripting nn.Modules: module sugared values and the module-root compilation.

torch: python_sugared_value.cpp (``ModuleValue``, ``SugaredDict``,
``ModuleDictMethod``) and torch/jit/_recursive.py (``create_script_module``,
``infer_methods_to_compile``, ``interface_script``). Inside a module's
methods ``self`` is a :class:`ModuleValue`: reading a submodule emits
``prim::GetAttr`` and gives another ``ModuleValue``, calling one emits
``prim::CallMethod[name="forward"]``, constants fold, ``ModuleList`` /
``Sequential`` / ``ModuleDict`` iterate unrolled, ``@ignore`` methods become
``PythonOp``s and ``@unused`` ones raise. What an instance *has* comes from
:mod:`.modules` (its ``__init__`` interpreted statically).

Which methods are compiled follows torch: for a module scripted by
``torch.jit.script``, ``forward`` (unless inherited from ``nn.Module`` or
ignored) and every ``@torch.jit.export`` method, then whatever those reach;
for a ``torch.jit.ScriptModule`` subclass its ``@torch.jit.script_method``
methods; for a submodule typed by an interface, the interface's methods.
Submodules are compiled before their parent, and each concrete type once.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..ir import types as T
from ..ir.attributes import Device
from ..ir.constants import constant_value, insert_constant
from ..ir.graph import Graph, Value
from ..ir.naming import StaticCallable
from ..ir.symbols import Symbol, kinds, prim
from ..schema.model import Argument, FunctionSchema
from . import torch_library
from .build_reuse import BuildMemo, site_key
from .compilation_unit import CalleeFailed, GraphFunction, RecursiveCallError
from .emitter import FunctionEmitter
from .errors import CompileError, Related
from .function_cache import function_span
from .module_method_cache import (
    MODULE_METHOD_CACHE,
    CachedMethod,
    Dependency,
    cacheable_method_graph,
    dependency_of,
    file_digest,
    method_key,
    renamed_graph,
    renamed_schema,
    renaming,
    type_names,
)
from .modules import (
    EXPORT,
    MISSING,
    NATIVE_SCRIPT_MODULE,
    OVERLOAD_METHOD,
    SCRIPT_METHOD,
    ClassMethodObj,
    ClassObj,
    ConcreteModuleType,
    ConcreteTypeStore,
    ConstantError,
    DeviceValue,
    Interpreter,
    InterpretError,
    ModuleInstance,
    OutOfBudget,
    PropertyObj,
    PyFunction,
    StaticMethodObj,
    TorchEnumValue,
    Unknown,
    iter_class_functions,
    modifier_of,
)
from .named_value import NamedValue
from .python_values import PythonValue
from .pyworld import ClassRef, FunctionRef, InstanceRef, ModuleScope
from .source import SourceFile
from .sugared import (
    BuiltinFunction,
    FunctionValue,
    IterableTree,
    MethodValue,
    SimpleValue,
    SugaredTupleValue,
    SugaredValue,
)
from .workspace_method_cache import method_fingerprint

if TYPE_CHECKING:
    from .compiler import Compiler
    from .construction_sites import ConstructionSite
    from .modules.evaluation import Guess
    from .roots import RootSpec


def normalize_attr_name(field: str) -> str:
    """torch: normalizeAttrName -- ``"0"`` names its GetAttr value ``_0``."""
    return f"_{field}" if field.isdigit() else field


def insert_get_attr(graph: Graph, obj: Value, field: str, type_: T.JitType) -> Value:
    """torch: Graph::insertGetAttr / createGetAttr (the output is named after the attribute)."""
    n = graph.insert_node(graph.create(kinds.GetAttr, [obj]))
    n.s_("name", field)
    out = n.output()
    out.set_type(type_)
    out.set_debug_name(normalize_attr_name(field))
    return out


# --- module sugared values ---------------------------------------------------------------------


class ModuleValue(SugaredValue):
    """A module (``self``, ``self.encoder``). torch: ModuleValue."""

    def __init__(self, value: Value, concrete: ConcreteModuleType, support: ModuleSupport) -> None:
        self.value = value
        self.concrete = concrete
        self.support = support

    def kind(self) -> str:
        return "module"

    def as_value(self, loc, m) -> Value:
        return self.value

    def as_tuple_value(self, loc, m) -> SugaredValue:
        if self.concrete.iterable_kind == "list":
            return self.sugared_dict(loc, m).modules
        raise CompileError("Only ModuleList or Sequential modules can be used as tuple", loc)

    # --- containers ---------------------------------------------------------------------

    def _attribute_names(self, predicate: Callable[[str, str], bool]) -> list[str]:
        info = self.concrete.info
        if info is None:
            return []
        return [n for n in info.attributes if predicate(n, info.attribute_kinds.get(n, "attribute"))]

    def sugared_dict(self, loc, m) -> SugaredDict:
        """torch: ModuleValue::getSugaredDict -- every submodule, as a key and a ModuleValue."""
        keys: list[SugaredValue] = []
        values: list[SugaredValue] = []
        for name in self._attribute_names(lambda n, k: k == "module"):
            keys.append(SimpleValue(insert_constant(m.graph, name)))
            sub = self.support.submodule_concrete(self.concrete, name)
            v = insert_get_attr(m.graph, self.value, name, sub.jit_type)
            values.append(ModuleValue(v, sub, self.support))
        return SugaredDict(self, SugaredTupleValue(keys), SugaredTupleValue(values))

    def _named_tensor_dict(self, loc, m, kind: str) -> SugaredDict:
        keys: list[SugaredValue] = []
        values: list[SugaredValue] = []
        for name in self._attribute_names(lambda n, k: k == kind):
            keys.append(SimpleValue(insert_constant(m.graph, name)))
            insert_get_attr(m.graph, self.value, name, self.concrete.info.attributes[name])
            values.append(self.try_get_attr(loc, m, name))
        return SugaredDict(self, SugaredTupleValue(keys), SugaredTupleValue(values))

    def sugared_named_buffer_dict(self, loc, m) -> SugaredDict:
        return self._named_tensor_dict(loc, m, "buffer")

    def sugared_named_parameter_list(self, loc, m) -> SugaredDict:
        return self._named_tensor_dict(loc, m, "parameter")

    def are_all_submodules_subtype_of(self, ty: T.JitType) -> str | None:
        """torch: ModuleValue::areAllSubmodulesSubtypeOf; the reason when not."""
        info = self.concrete.info
        for name in self._attribute_names(lambda n, k: k == "module"):
            attr_type = info.attributes[name]
            why = self.support.module_subtype_reason(attr_type, ty)
            if why is not None:
                return f"Attribute {name} is not of annotated type {ty.annotation_str()}: {why}"
        return None

    def getitem(self, loc, m, idx: Value, type_hint=None) -> SugaredValue:
        kind = self.concrete.iterable_kind
        if kind == "list":
            if type_hint is not None:
                why = self.are_all_submodules_subtype_of(type_hint)
                if why is not None:
                    raise CompileError(why, loc)
                g = m.graph
                n = g.insert_node(g.create(prim("ModuleContainerIndex"), [self.value, idx]))
                n.output().set_type(type_hint)
                return SimpleValue(n.output())
            return self.sugared_dict(loc, m).modules.getitem(loc, m, idx, type_hint)
        if kind == "paramlist":
            return self.sugared_named_parameter_list(loc, m).modules.getitem(loc, m, idx, type_hint)
        if kind in ("dict", "paramdict"):
            key = _constant_string(idx)
            if key is not None:
                sd = self.sugared_dict(loc, m) if kind == "dict" else self.sugared_named_parameter_list(loc, m)
                for k, v in zip(sd.keys.items, sd.modules.items, strict=False):
                    if _constant_string(k.as_value(loc, m)) == key:
                        return v
                raise CompileError(f"Key Error, {key}", loc)
            if type_hint is not None:
                why = self.are_all_submodules_subtype_of(type_hint)
                if why is not None:
                    raise CompileError(why, loc)
                g = m.graph
                n = g.insert_node(g.create(prim("ModuleContainerIndex"), [self.value, idx]))
                n.output().set_type(type_hint)
                return SimpleValue(n.output())
            raise CompileError("Unable to extract string literal index. ModuleDict indexing is only supported with "
                               "string literals. For example, 'i = \"a\"; self.layers[i](x)' will fail because i is "
                               "not a literal. Enumeration of ModuleDict is supported, e.g. 'for k, v in "
                               "self.items(): out = v(inp)'", loc, code="PJ223")
        raise CompileError("Only ModuleList, Sequential, ModuleDict, ParameterList, and ParameterDict modules are "
                           "subscriptable", loc)

    def iter(self, loc, m) -> SugaredValue:
        kind = self.concrete.iterable_kind
        if kind == "none":
            raise CompileError("Only constant Sequential, ModuleList, ModuleDict, or ParameterList can be used as "
                               "an iterable", loc)
        if kind == "dict":
            return self.sugared_dict(loc, m).keys
        if kind == "list":
            return self.sugared_dict(loc, m).modules
        if kind == "paramlist":
            return self.sugared_named_parameter_list(loc, m).modules
        raise CompileError("Only constant Sequential, ModuleList, ModuleDict, or ParameterList can be used as "
                           "an iterable", loc)

    # --- attributes -------------------------------------------------------------------------

    def try_get_attr(self, loc, m, field: str) -> SugaredValue | None:
        """torch: ModuleValue::tryGetAttr -- how ``self.<field>`` desugars."""
        concrete = self.concrete
        if isinstance(self.value.type, T.InterfaceType):
            return SimpleValue(self.value).attr(loc, m, field)
        info = concrete.info
        assert info is not None
        kind = info.attribute_kinds.get(field)
        if field in info.attributes and kind == "module":
            sub = self.support.submodule_concrete(concrete, field)
            v = insert_get_attr(m.graph, self.value, field, info.attributes[field])
            return ModuleValue(v, sub, self.support)
        if field in info.attributes or field in info.methods:
            if field in info.attributes:
                return SimpleValue(insert_get_attr(m.graph, self.value, field, info.attributes[field]))
            return SimpleValue(self.value).attr(loc, m, field)
        if field in info.constants:
            return constant_to_sugared(info.constants[field], m, loc, field, concrete)
        if concrete.iterable_kind == "dict" and field in ("items", "keys", "values"):
            return self.sugared_dict(loc, m).attr(loc, m, field)
        if field in ("named_modules", "modules", "children", "named_children"):
            return self.sugared_dict(loc, m).attr(loc, m, field)
        if field == "named_buffers":
            return self.sugared_named_buffer_dict(loc, m).attr(loc, m, field)
        overloads = concrete.overloads.get(field)
        if overloads:
            usable = [n for n in overloads if self.support.usable_overload(concrete, n)]
            if usable:
                return MethodValue(self.value, usable)
        fn = concrete.function_attributes.get(field)
        if fn is not None:
            return self.support.function_attribute_value(concrete, field, fn, m, loc)
        builtin = concrete.builtin_functions.get(field)
        if builtin is not None:
            return BuiltinFunction(Symbol(builtin))
        return self.support.python_class_attribute(self, field, m, loc)

    def has_attr(self, loc, m, field: str) -> bool:
        return self.try_get_attr(loc, m, field) is not None

    def attr(self, loc, m, field: str) -> SugaredValue:
        found = self.try_get_attr(loc, m, field)
        if found is not None:
            return found
        info = self.concrete.info
        if info is not None and field in info.properties:
            getter = info.properties[field][0]
            return MethodValue(self.value, [getter.name]).call(loc, m, [], [], 1)
        unknown = self.concrete.unknown_attributes.get(field)
        if unknown is not None:
            raise CompileError(f"pyjit cannot tell the type of attribute '{field}' of module "
                               f"'{self.concrete.name}': {unknown}", loc, code="PJ901")
        hint = self.concrete.failed_attributes.get(field)
        if hint is None and field in self.concrete.ignored_attributes:
            hint = "attribute was ignored during compilation"
        raise CompileError(f"Module '{self.concrete.name}' has no attribute '{field}' {hint or ''}", loc,
                           code="PJ210")

    def set_attr(self, loc, m, field: str, new_value: Value) -> None:
        SimpleValue(self.value).set_attr(loc, m, field, new_value)

    # --- calls --------------------------------------------------------------------------------

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        """torch: ModuleValue::call -- pre-hooks, ``forward``, hooks."""
        concrete = self.concrete
        pre_hooks = self.support.hook_functions(concrete, "pre") if not concrete.is_interface else []
        hooks = self.support.hook_functions(concrete, "post") if not concrete.is_interface else []
        g = m.graph
        forward_input = None
        if pre_hooks or hooks:
            values = [a.value(g) for a in args]
            forward_input = g.insert_node(g.create_tuple(values)).output()
        for hook in pre_hooks:
            out = FunctionValue([hook]).call(loc, m, [NamedValue.of(self.value), NamedValue.of(forward_input)],
                                             kwargs, n_binders).as_value(loc, m)
            if not isinstance(out.type, T.NoneType):
                if not isinstance(out.type, T.TupleType):
                    out = g.insert_node(g.create_tuple([out])).output()
                forward_input = out
        if pre_hooks:
            n = g.insert_node(g.create(kinds.TupleUnpack, [forward_input], len(forward_input.type.elements)))
            for o, t_ in zip(n.outputs, forward_input.type.elements, strict=False):
                o.set_type(t_)
            if args:
                args = [NamedValue.of(o) for o in n.outputs]
        forward_output = self.attr(loc, m, "forward").call(loc, m, args, kwargs, n_binders).as_value(loc, m)
        for hook in hooks:
            out = FunctionValue([hook]).call(
                loc, m, [NamedValue.of(self.value), NamedValue.of(forward_input), NamedValue.of(forward_output)],
                kwargs, n_binders).as_value(loc, m)
            if not isinstance(out.type, T.NoneType):
                forward_output = out
        return SimpleValue(forward_output)


def _constant_string(v: Value) -> str | None:
    if v.node.kind is kinds.Constant and isinstance(v.type, T.StringType):
        value = constant_value(v, None)
        return value if isinstance(value, str) else None
    return None


def constant_to_sugared(value: Any, m, loc, field: str, concrete: ConcreteModuleType) -> SugaredValue:
    """torch: toSugaredValue(IValue) -- tuples become TupleConstructs of constants."""
    g = m.graph
    if isinstance(value, tuple):
        items = [constant_to_sugared(v, m, loc, field, concrete).as_value(loc, m) for v in value]
        return SimpleValue(g.insert_node(g.create_tuple(items)).output())
    if isinstance(value, TorchEnumValue):
        return SimpleValue(insert_constant(g, value.value, loc))
    if isinstance(value, DeviceValue):
        return SimpleValue(insert_constant(g, Device.parse(value.spec) if hasattr(Device, "parse")
                                           else Device(value.spec), loc))
    if isinstance(value, Unknown):
        if value.type is None:
            raise CompileError(f"pyjit cannot tell the value of constant '{field}' of module '{concrete.name}' "
                               f"({value.reason})", loc, code="PJ901")
        n = g.insert_node(g.create(kinds.Uninitialized))
        n.output().set_type(value.type)
        return SimpleValue(n.output())
    return SimpleValue(insert_constant(g, value, loc))


class SugaredDict(SugaredValue):
    """A module's submodules as keys and values. torch: SugaredDict."""

    def __init__(self, module: ModuleValue, keys: SugaredTupleValue, modules: SugaredTupleValue) -> None:
        self.module = module
        self.keys = keys
        self.modules = modules

    def kind(self) -> str:
        return "ModuleDict"

    def iter(self, loc, m) -> SugaredValue:
        return self.keys

    def attr(self, loc, m, field: str) -> SugaredValue:
        _check_interface(loc, self.module, field)
        if field == "keys":
            return ModuleDictMethod(self.keys, "keys")
        if field in ("values", "children"):
            return ModuleDictMethod(self.modules, field)
        if field in ("items", "named_children", "named_buffers"):
            tree = IterableTree()
            tree.add_child(loc, m, self.keys)
            tree.add_child(loc, m, self.modules)
            return ModuleDictMethod(tree, field)
        if field in ("named_modules", "modules"):
            keys: list[SugaredValue] = []
            values: list[SugaredValue] = []
            _recurse_modules(loc, m, keys, values, self.module, "", field)
            if field == "modules":
                return ModuleDictMethod(SugaredTupleValue(values), field)
            tree = IterableTree()
            tree.add_child(loc, m, SugaredTupleValue(keys))
            tree.add_child(loc, m, SugaredTupleValue(values))
            return ModuleDictMethod(tree, field)
        raise CompileError(f"attribute lookup is not defined on {self.kind()}", loc)


def _check_interface(loc, module: ModuleValue, field: str) -> None:
    if isinstance(module.value.type, T.InterfaceType):
        raise CompileError(f"Could not compile {field}() because module is an interface type. Please file issue.",
                           loc)


def _recurse_modules(loc, m, keys: list, values: list, module: ModuleValue, prefix: str, field: str) -> None:
    keys.append(SimpleValue(insert_constant(m.graph, prefix)))
    values.append(module)
    _check_interface(loc, module, field)
    sd = module.sugared_dict(loc, m)
    for k, v in zip(sd.keys.items, sd.modules.items, strict=False):
        name = _constant_string(k.as_value(loc, m)) or ""
        sub_prefix = f"{prefix}.{name}" if prefix else name
        assert isinstance(v, ModuleValue)
        _recurse_modules(loc, m, keys, values, v, sub_prefix, field)


class ModuleDictMethod(SugaredValue):
    """``self.layers.items`` and friends: calling gives the (unrolled) iterable. torch: ModuleDictMethod."""

    def __init__(self, iterable: SugaredValue, name: str) -> None:
        self.iterable = iterable
        self.name = name

    def kind(self) -> str:
        return self.name

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        if args or kwargs:
            raise CompileError(f"{self.name} method does not accept any arguments", loc)
        return self.iterable


# --- compiling module roots ---------------------------------------------------------------------


@dataclass
class Stub:
    """torch: ScriptMethodStub -- a method to compile, under the name it gets."""

    name: str
    fn: PyFunction
    signature: ast.FunctionDef | None = None      # an overload's declaration (``forward__0``)


class ModuleSupport:
    """Per-analysis state for modules: the interpreter, the type store, what is compiled."""

    def __init__(self, compiler: Compiler) -> None:
        self.compiler = compiler
        self.interp = Interpreter(compiler)
        self.store = ConcreteTypeStore(compiler, self.interp)
        self.instances: dict[int, Any] = {}
        self._built: dict[int, Any] = {}           # construction site -> what it builds
        self._guessed: dict[int, tuple[Guess, ...]] = {}   # construction site -> the conditions its build guessed
        self.workspace_methods = compiler.workspace_reuse
        self.builds = BuildMemo(compiler.previous_builds)   # builders' trees, this analysis' and the previous one's

    @classmethod
    def of(cls, compiler: Compiler) -> ModuleSupport:
        found = compiler.__dict__.get("_module_support")
        if found is None:
            found = compiler.__dict__["_module_support"] = cls(compiler)
        return found

    # --- roots ---------------------------------------------------------------------------------

    def compile_root(self, ref: ClassRef, spec: RootSpec) -> None:
        """``torch.jit.script(<instance>)`` for a module root (or a ScriptModule's construction).

        The instance is the one the file's own ``torch.jit.script(C(...))`` builds;
        else the instances of ``C`` that a construction site of the workspace builds
        (:mod:`.construction_sites`: a script call elsewhere, a builder function, a
        parent module), every distinct one; else a *representative* instance, built
        from the constructor's defaults and values pyjit invents from its annotations
        (``spec.representative`` is set: its errors are not the user's)."""
        cls = self.interp.class_obj(ref)
        scope = ref.scope
        loc = self.compiler.ranges_for(scope).keyword(ref.node)
        call, call_scope = self.constructor_call(ref, spec)
        if call is not None:
            guessed = len(self.interp.guesses)
            instances = [self.instantiate(cls, call, call_scope, loc)]
            spec.guessed = tuple(self.interp.guesses[guessed:]) or None
        else:
            instances = self.constructed_elsewhere(ref, spec)
            if not instances:
                instances = [self.representative_instance(cls, spec, loc)]
        for inst in instances:
            self.instances.setdefault(id(ref.node), inst)
            self.check_module_initialized(inst, loc)
            is_script_module = self.interp.is_subclass(inst.cls, NATIVE_SCRIPT_MODULE)
            try:
                concrete = self.store.get_or_create(inst)
            except ConstantError as e:
                raise CompileError(str(e).strip("\n"), loc) from None
            stubs_fn = self.script_module_stubs if is_script_module else self.infer_methods_to_compile
            self.create_script_module(inst, concrete, stubs_fn, loc)

    def instantiate(self, cls: Any, call: ast.Call | None, scope: ModuleScope, loc) -> ModuleInstance:
        """``cls(<call's arguments>)`` evaluated in ``scope``: the user's own constructor call."""
        try:
            inst = self.interp.instantiate_at(cls, call, scope)
        except InterpretError as e:
            raise self.interpret_error(e, cls, call, scope, loc) from None
        except OutOfBudget:
            raise CompileError(f"pyjit gave up interpreting {cls.name}.__init__ (it takes too many steps); "
                               "the module is not analysed", loc, code="PJ901") from None
        if not isinstance(inst, ModuleInstance):
            raise CompileError(f"pyjit cannot construct {cls.name} statically", loc, code="PJ901")
        return inst

    def constructed_elsewhere(self, ref: ClassRef, spec: RootSpec) -> list[ModuleInstance]:
        """The distinct instances of ``ref`` the best workable construction site builds (see
        :mod:`.construction_sites`); ``spec.constructed_by`` says which site."""
        index = self.compiler.constructions
        if index is None:
            return []
        for site in itertools.islice(index.sites_of(self.compiler.world, ref), MAX_SITES_TRIED):
            built = self.build(site)
            found = instances_of(built, ref.node) if built is not None else []
            if found:
                spec.constructed_by = site.describe()
                spec.guessed = self._guessed.get(id(site.node))
                return found
        # Built only as the base of other classes (GeneralizedRCNN under FasterRCNN): torch compiles
        # its methods for an instance of a subclass; the first one a site builds stands in.
        for sub in itertools.islice(index.subclasses_of(self.compiler.world, ref), MAX_SITES_TRIED):
            for site in itertools.islice(index.sites_of(self.compiler.world, sub), MAX_SITES_TRIED):
                built = self.build(site)
                found = instances_of(built, sub.node) if built is not None else []
                if found:
                    spec.constructed_by = f"{site.describe()}, as its subclass `{sub.name}`"
                    spec.guessed = self._guessed.get(id(site.node))
                    return found[:1]
        return []

    def build(self, site: ConstructionSite) -> Any:
        """What a construction site builds (interpreted once per analysis): the builder's
        return value, or the module a script call scripts. None when it cannot be known.
        A builder's tree is the previous analysis' when nothing it read changed (see
        :mod:`.build_reuse`)."""
        key = id(site.node)
        if key in self._built:
            return self._built[key]
        reuse_key = site_key(site)
        reused = self.builds.reuse(reuse_key, self.interp) if reuse_key is not None else None
        # A build has the whole step budget, and leaves it whole: neither what it builds nor what is
        # interpreted after it depends on what was interpreted before it, or on whether it was reused.
        self.interp.steps = 0
        if reused is not None:
            self._built[key], guesses = reused
            if guesses:
                self._guessed[key] = guesses
            return self._built[key]
        self._built[key] = None
        interp = self.interp
        interp.ran = set()
        guessed = len(interp.guesses)
        try:
            if site.kind == "builder":
                fn = interp.ref_value(FunctionRef(site.scope, site.node, site.node.name))
                self._built[key] = interp.call(fn, [], {}, None)
            else:
                found = script_target(site.scope, site.node)
                if found is not None:
                    cls = interp.class_obj(found[0])
                    self._built[key] = interp.instantiate_at(cls, found[1], site.scope)
        except (InterpretError, OutOfBudget, RecursionError):
            self._built[key] = None
        finally:
            ran, interp.ran = interp.ran, None
            interp.steps = 0
        guesses = tuple(interp.guesses[guessed:])
        if guesses:
            self._guessed[key] = guesses
        if reuse_key is not None:
            self.builds.record(reuse_key, self._built[key], ran, self.compiler.world, guesses)
        return self._built[key]

    def representative_instance(self, cls: Any, spec: RootSpec, loc) -> ModuleInstance:
        """An instance nobody in the workspace builds: the constructor's defaults, and for each
        required parameter a value of its annotated type (``int`` 1, ``float`` 1.0, ``bool``
        False, ``Optional`` None...); where no value can be invented it stays unknown."""
        spec.representative = True
        attempts = [self.interp.representative_constructor_args(cls), self.interp.unknown_constructor_args(cls)]
        failure: CompileError | None = None
        for args, kwargs in attempts:
            try:
                inst = self.interp.call(cls, args, kwargs, None)
            except InterpretError as e:
                failure = failure or self.interpret_error(e, cls, None, cls.scope, loc)
                continue
            except OutOfBudget:
                raise CompileError(f"pyjit gave up interpreting {cls.name}.__init__ (it takes too many steps); "
                                   "the module is not analysed", loc, code="PJ901") from None
            if isinstance(inst, ModuleInstance):
                spec.constructed_by = "a representative instance: " + describe_call(cls.name, args, kwargs)
                return inst
        reason = failure.message.split(" raises ", 1)[-1] if failure is not None else "no instance"
        raise CompileError(f"nothing in the workspace constructs {cls.name}, and pyjit could not construct a "
                           f"representative instance ({reason}); the module is not analysed", loc, code="PJ901",
                           related=failure.related if failure is not None else ())

    def check_module_initialized(self, inst: ModuleInstance, loc) -> None:
        """torch: check_module_initialized -- ``super().__init__()`` ran, no lazy parameters left."""
        cls = inst.cls
        typename = f"{cls.module_name}.{cls.qualname}" if isinstance(cls, ClassObj) else f"torch.nn.{cls.name}"
        if not inst.initialized:
            raise CompileError(f"'{typename}' has not been initialized, did you forget to call 'super()'?", loc)
        for kind, table in (("parameters", inst.parameters), ("buffers", inst.buffers)):
            for name, value in table.items():
                if getattr(value, "lazy", False):
                    raise CompileError(f"'{typename}' has uninitialized {kind} {name}. Did you forget to run a "
                                       "forward pass?", loc)

    def constructor_call(self, ref: ClassRef, spec: RootSpec) -> tuple[ast.Call | None, ModuleScope]:
        scope = ref.scope
        call = spec.script_call
        if call is None or not call.args:
            return None, scope
        target = call.args[0]
        value = scope.evaluate(target) if not isinstance(target, ast.Call) else None
        if isinstance(value, ClassRef):
            loc = self.compiler.ranges_for(scope).of(target)
            raise CompileError(f"Type '<class '{ref.scope.module_name}.{ref.qualname}'>' cannot be compiled since it "
                               "inherits from nn.Module, pass an instance instead", loc)
        found = script_target(scope, call)
        return (found[1] if found is not None and found[0].node is ref.node else None), scope

    def interpret_error(self, e: InterpretError, cls: Any, call: ast.Call | None, scope: ModuleScope,
                        loc) -> CompileError:
        where = self.compiler.ranges_for(scope).of(call) if call is not None else loc
        related: tuple[Related, ...] = ()
        if e.node is not None and e.scope is not None and hasattr(e.node, "lineno"):
            related = (Related(self.compiler.ranges_for(e.scope).of(e.node), "raised here"),)
            if e.scope is scope and call is None:
                where = related[0].range
        message = f"{cls.name}(...) raises {e.type_name}: {e.message}" if e.message else \
            f"{cls.name}(...) raises {e.type_name}"
        return CompileError(message, where, code="PJ200", related=related)

    # --- which methods: torch's stubs functions ---------------------------------------------------

    def infer_methods_to_compile(self, inst: ModuleInstance) -> list[Stub]:
        """torch: infer_methods_to_compile."""
        interp = self.interp
        methods: list[str] = []
        forward = interp.class_lookup(inst.cls, "forward")
        if isinstance(forward, PyFunction) and modifier_of(forward) not in ("ignore", "unused"):
            methods.append("forward")
        exported = [name for name, member in iter_class_functions(interp, inst.cls)
                    if modifier_of(_exported_static(member) or member) == "export"]
        stubs: list[Stub] = []
        overloaded: set[str] = set()
        for name, decls in self.store.overload_declarations(inst.cls):
            impl = interp.class_lookup(inst.cls, name)
            if not isinstance(impl, PyFunction):
                continue
            overloaded.add(name)
            stubs += [Stub(f"{name}__{i}", impl, decl) for i, decl in enumerate(decls)]
        seen: set[str] = set(overloaded)
        for name in methods + exported:
            if name in seen:
                continue
            seen.add(name)
            member = interp.class_lookup(inst.cls, name)
            member = _exported_static(member) or member
            if isinstance(member, PyFunction):
                stubs.append(Stub(name, member))
        return stubs

    def script_module_stubs(self, inst: ModuleInstance) -> list[Stub]:
        """A ScriptModule subclass compiles its ``@script_method`` methods, sorted by name."""
        if not self.interp.is_subclass(inst.cls, NATIVE_SCRIPT_MODULE):
            return self.infer_methods_to_compile(inst)
        found: dict[str, PyFunction] = {}
        for _name, member in iter_class_functions(self.interp, inst.cls):
            if isinstance(member, PyFunction) and member.has_decorator(*SCRIPT_METHOD):
                found[member.name] = member
        return [Stub(n, found[n]) for n in sorted(found)]

    def interface_stubs(self, itype: T.InterfaceType) -> Callable[[ModuleInstance], list[Stub]]:
        info = self.compiler.unit.class_info(itype)
        names = list(info.interface_methods) if info is not None else []

        def stubs(inst: ModuleInstance) -> list[Stub]:
            out = []
            for name in names:
                member = self.interp.class_lookup(inst.cls, name)
                if isinstance(member, PyFunction):
                    out.append(Stub(name, member))
            return out

        return stubs

    # --- torch: create_script_module_impl -------------------------------------------------------

    def create_script_module(self, inst: ModuleInstance, concrete: ConcreteModuleType,
                             stubs_fn: Callable[[ModuleInstance], list[Stub]], loc) -> None:
        self.check_module_initialized(inst, loc)
        for name, sub in concrete.modules:
            sub_inst = inst.modules.get(name)
            if not isinstance(sub_inst, ModuleInstance):
                continue
            if sub.is_interface:
                self.interface_script(name, sub, sub_inst, concrete, loc)
            elif self.interp.is_subclass(sub_inst.cls, NATIVE_SCRIPT_MODULE):
                self.create_script_module(sub_inst, sub, self.script_module_stubs, loc)
            else:
                self.create_script_module(sub_inst, sub, stubs_fn, loc)
        if not concrete.methods_compiled:
            concrete.methods_compiled = True
            functions = [self.method_function(concrete, s.name, s.fn, signature=s.signature) for s in stubs_fn(inst)]
            functions += self.define_properties(concrete, inst)
            self.define_hooks(concrete, inst)
            for fn in functions:
                fn.ensure_defined()
        if concrete.iterable_kind in ("list", "dict") and concrete.info is not None:
            info = concrete.info
            if "__len__" not in info.methods:
                self.define_len(concrete, len(inst.modules))
            if concrete.iterable_kind == "dict" and "__contains__" not in info.methods:
                self.define_contains(concrete, list(inst.modules))

    def interface_script(self, name: str, sub: ConcreteModuleType, sub_inst: ModuleInstance,
                         parent: ConcreteModuleType, loc) -> None:
        """torch: interface_script, then the type check of ``cpp_module.setattr``."""
        itype = sub.jit_type
        assert isinstance(itype, T.InterfaceType)
        impl = self.store.get_or_create(sub_inst)
        self.create_script_module(sub_inst, impl, self.interface_stubs(itype), loc)
        why = self.module_subtype_reason(impl.jit_type, itype)
        if why is not None:
            raise CompileError(f"Could not cast attribute '{name}' to type {itype.annotation_str()}: Object of type "
                               f"{impl.jit_type.annotation_str()} is not compatible with interface "
                               f"{itype.annotation_str()}\n{why}", loc)
        sub.instance = sub_inst
        sub.__dict__["implementation"] = impl

    def module_subtype_reason(self, attr_type: T.JitType, ty: T.JitType) -> str | None:
        """Why ``attr_type`` is not a subtype of ``ty`` (``None`` when it is); interfaces by their methods."""
        if T.is_subtype(attr_type, ty):
            return None
        if isinstance(ty, T.InterfaceType) and isinstance(attr_type, T.ClassType):
            unit = self.compiler.unit
            iinfo = unit.class_info(ty)
            cinfo = unit.class_info(attr_type)
            if iinfo is None or cinfo is None:
                return f"{attr_type.annotation_str()} is not a subtype of {ty.annotation_str()}"
            for mname, ischema in iinfo.interface_methods.items():
                method = cinfo.methods.get(mname)
                if method is None:
                    return (f"Class '{attr_type.annotation_str()}' does not have method '{mname}' but interface "
                            f"'{ty.annotation_str()}' does")
                method.ensure_defined()
                if not _schema_implements(method.schema, ischema):
                    return (f"Method on class '{attr_type.annotation_str()}' (1) is not compatible with interface "
                            f"'{ty.annotation_str()}' (2)\n"
                            f"  (1) {_schema_text(method.schema, attr_type)}\n"
                            f"  (2) {_schema_text(ischema, ty)}\n")
            return None
        return f"{attr_type.annotation_str()} is not a subtype of {ty.annotation_str()}"

    # --- methods -------------------------------------------------------------------------------

    def submodule_concrete(self, concrete: ConcreteModuleType, name: str) -> ConcreteModuleType:
        found = concrete.find_submodule(name)
        if found is not None:
            return found
        t = concrete.info.attributes[name]
        return ConcreteModuleType.from_jit_type(t, self.compiler.unit.class_info(t))

    def method_function(self, concrete: ConcreteModuleType, name: str, fn: PyFunction,
                        def_name: str | None = None, signature: ast.FunctionDef | None = None) -> GraphFunction:
        """The (lazily compiled) method ``name`` of a module type. torch: CompilationUnit::define with ModuleSelf."""
        info = concrete.info
        assert info is not None
        method_name = def_name or name
        existing = info.methods.get(method_name)
        if existing is not None:
            return existing
        compiler = self.compiler
        node = fn.node
        assert isinstance(node, ast.FunctionDef)
        if signature is not None:
            method_name = name
        qualname = f"{info.name}.{method_name}"
        library = concrete.origin == "torch-source"

        key = self.method_cache_key(concrete, method_name, fn, node, signature) \
            if library or fn.scope.source.path == "<string>" else None
        workspace = key is None and not library      # the workspace's: reused from the file's previous analysis
        first_line, last_line = function_span(node)

        def fingerprint() -> str | None:
            return method_fingerprint(self.interp, concrete, method_name, fn, node, signature)

        def create(gf: GraphFunction) -> None:
            if key is not None and self.reuse_method(gf, concrete, key):
                return
            if workspace and self.workspace_methods.take(gf, concrete, fingerprint(), first_line):
                return
            builder = compiler.tree_builder(fn.scope, node.name)
            definition = builder.build_def(node, def_name=method_name, self_name="RecursiveScriptModule")
            if signature is not None:     # torch: _replace_overloaded_method_decl
                decl = builder.build_def(signature, def_name=method_name, self_name="RecursiveScriptModule")
                for param, impl_param in zip(decl.params, definition.params, strict=False):
                    if param.default is None:
                        param.default = impl_param.default
                definition.params, definition.return_type = decl.params, decl.return_type
            parser = compiler.type_parser_for(fn.scope)
            emitter = FunctionEmitter(gf, definition, compiler.resolver_for(fn.scope), parser,
                                      self_class=info, self_sugared=lambda v: ModuleValue(v, concrete, self),
                                      unit=compiler.unit)
            if not library:
                emitter.run()
                self.remember_method(gf, concrete, key)
                if workspace:
                    self.workspace_methods.keep(gf, concrete, fingerprint(), fn.scope.source.path, first_line,
                                                last_line)
                return
            before = set(compiler.unit.functions)
            try:
                emitter.run()
            except (CompileError, Exception) as e:
                if isinstance(e, (RecursiveCallError,)):
                    raise
                if isinstance(e, CalleeFailed) and not _torch_own(e.callee):
                    # The workspace's code failed (a `Sequential` of the user's blocks): that failure is
                    # reported where it is; a signature guessed for torch's method would hide it, and an
                    # unannotated return (`Sequential.forward`) would be guessed as None.
                    raise
                self.forget_failed_library_functions(before)
                gf.graph = Graph()
                reason = e.message if isinstance(e, CompileError) else (
                    f"{e.callee.qualified_name} failed" if isinstance(e, CalleeFailed) else f"{type(e).__name__}: {e}")
                self.signature_only(gf, definition, parser, info.type, f"pyjit could not lower it: {reason}")
                return
            self.remember_method(gf, concrete, key)

        gf = GraphFunction(qualname, method_name, create, owner=info, node=node, source_path=fn.scope.source.path)
        info.methods[method_name] = gf
        compiler.unit.register_function(gf)
        if workspace:
            reuse = self.workspace_methods
            reuse.wait(gf, lambda: reuse.take(gf, concrete, fingerprint(), first_line))
        return gf

    # --- reuse across analyses (see module_method_cache) ---------------------------------------

    def method_cache_key(self, concrete: ConcreteModuleType, method_name: str, fn: PyFunction, node: ast.FunctionDef,
                         signature: ast.FunctionDef | None) -> str | None:
        return method_key(self.interp, concrete, method_name, fn.scope.source, node, signature,
                          self.compiler.world.torch_root)

    def reuse_method(self, gf: GraphFunction, concrete: ConcreteModuleType, key: str) -> bool:
        """Take the graph compiled earlier for the same method of an equal module type (its
        module types renamed as this analysis names them), when every function it called
        still has the schema it had."""
        entry = MODULE_METHOD_CACHE.lookup(key)
        if entry is None:
            return False
        names = type_names(concrete)
        mapping = renaming(entry.names, names)
        if mapping is None:
            return False
        deps = []
        for kind, owner, name, schema, source in entry.deps:
            dep, library = self.dependency(kind, names[int(owner)] if kind == "method" else owner, name, source)
            if dep is None or not (library or dep.is_defined):
                # The workspace's code compiles (or fails) in a fresh compile, whose errors it reports.
                return False
            try:
                dep.ensure_defined()
            except Exception:
                return False
            if dep.schema is None or str(dep.schema) != str(renamed_schema(schema, mapping)):
                return False
            deps.append(dep)
        gf.define_from(renamed_graph(entry.graph, mapping), renamed_schema(entry.schema, mapping), deps)
        return True

    def dependency(self, kind: str, owner: str, name: str, source: str) -> tuple[GraphFunction | None, bool]:
        """A callee of a cached method, found in this analysis (see ``dependency_of``), and
        whether it is torch's own code compiled from the same text (which compiles as it did)."""
        if kind == "function":
            ref = self.compiler._resolve_dep(owner, name)
            if ref is None or file_digest(ref.scope.source) != source:
                return None, False
            return self.compiler.graph_function(ref), self.compiler._is_library(ref.scope)
        concrete = self.store.by_name.get(owner)
        if concrete is None or concrete.info is None:
            return None, False
        return (concrete.info.methods.get(name) or self.ensure_method(concrete, name),
                concrete.origin == "torch-source")

    def remember_method(self, gf: GraphFunction, concrete: ConcreteModuleType, key: str | None) -> None:
        if key is None or gf.guesses or gf.schema is None:
            return
        names = type_names(concrete)
        if not cacheable_method_graph(gf.graph, names):
            return
        deps: list[Dependency] = []
        for dep in dict.fromkeys(gf.deps):
            found = dependency_of(dep, names)
            if found is None:
                return
            deps.append(found)
        MODULE_METHOD_CACHE.store(key, CachedMethod(gf.graph, gf.schema, names, tuple(deps)))

    def forget_failed_library_functions(self, before: set[str]) -> None:
        """Drop what a failed lowering of torch's own code left failed (pyjit's gaps, not the user's errors)."""
        unit = self.compiler.unit
        root = self.compiler.world.torch_root
        for q in [q for q in unit.functions if q not in before]:
            fn = unit.functions[q]
            if fn.failed and root is not None and fn.source_path.startswith(root):
                del unit.functions[q]

    def signature_only(self, gf: GraphFunction, definition, parser, self_type: T.JitType, why: str) -> None:
        """A method known by its signature alone (torch's library code pyjit did not lower)."""
        schema = parser.parse_schema_from_def(definition, True, gf)
        self_param = definition.params[0].name if definition.params else "self"
        returns = schema.returns or (Argument("", T.NoneT),)
        schema = FunctionSchema(definition.name, "", (Argument(self_param, self_type), *schema.arguments), returns)
        try:
            schema = parser.with_defaults(definition, schema, True)
        except CompileError:
            pass
        gf.schema = schema
        gf.__dict__["signature_only"] = why

    def ensure_method(self, concrete: ConcreteModuleType, name: str) -> GraphFunction | None:
        info = concrete.info
        if info is None:
            return None
        if name in info.methods:
            return info.methods[name]
        cls = concrete.py_class
        member = self.interp.class_lookup(cls, name) if cls is not None else MISSING
        if isinstance(member, PyFunction):
            return self.method_function(concrete, name, member)
        return None

    def usable_overload(self, concrete: ConcreteModuleType, name: str) -> bool:
        """An overload (``forward__1``) that compiled, or whose signature at least is known."""
        fn = concrete.info.methods.get(name) if concrete.info is not None else None
        if fn is None:
            return False
        try:
            fn.ensure_defined()
        except Exception:
            return concrete.origin == "source"
        return fn.schema is not None

    def define_properties(self, concrete: ConcreteModuleType, inst: ModuleInstance) -> list[GraphFunction]:
        """torch: get_property_stubs + ConcreteModuleType._create_methods_and_properties."""
        info = concrete.info
        out: list[GraphFunction] = []
        unused = self.store.instance_value(inst, "__jit_unused_properties__", [])
        unused = list(unused) if isinstance(unused, (list, tuple)) else []
        for name, member in iter_class_functions(self.interp, inst.cls):
            if not isinstance(member, PropertyObj) or name in unused or modifier_of(member.getter) == "unused":
                continue
            getter = self.method_function(concrete, f"__{name}_getter", member.getter, f"__{name}_getter")
            setter = None
            if member.setter is not None:
                setter = self.method_function(concrete, f"__{name}_setter", member.setter, f"__{name}_setter")
            info.properties[name] = (getter, setter)
            out.append(getter)
            if setter is not None:
                out.append(setter)
        return out

    def define_hooks(self, concrete: ConcreteModuleType, inst: ModuleInstance) -> None:
        hooks = {"post": [], "pre": []}
        for kind, values in (("post", inst.forward_hooks), ("pre", inst.forward_pre_hooks)):
            for hook in values:
                if isinstance(hook, PyFunction) and isinstance(hook.node, ast.FunctionDef):
                    hooks[kind].append(self.method_function(concrete, hook.name, hook))
        concrete.__dict__["hook_functions"] = hooks

    def hook_functions(self, concrete: ConcreteModuleType, kind: str) -> list[GraphFunction]:
        return concrete.__dict__.get("hook_functions", {}).get(kind, [])

    def define_len(self, concrete: ConcreteModuleType, length: int) -> None:
        """torch: ``script_module.define("def __len__(self):\\n   return <n>\\n")`` on scripted containers."""
        self.define_from_source(concrete, f"def __len__(self):\n   return {length}\n")

    def define_contains(self, concrete: ConcreteModuleType, keys: list[str]) -> None:
        """torch: ``def __contains__(self, key: str): return key in <keys>`` on scripted ModuleDicts."""
        if keys:
            self.define_from_source(concrete, f"def __contains__(self, key: str):\n   return key in {keys!r}\n")
        else:
            self.define_from_source(concrete, "def __contains__(self, key: str):\n   return False\n")

    def define_from_source(self, concrete: ConcreteModuleType, text: str) -> GraphFunction:
        """torch: ScriptModule.define -- a method from a string (its source file is ``<string>``)."""
        scope = ModuleScope(self.compiler.world, "__torch__", SourceFile("<string>", text))
        node = scope.tree.body[0]
        assert isinstance(node, ast.FunctionDef)
        gf = self.method_function(concrete, node.name, PyFunction(node, scope, None, node.name))
        gf.ensure_defined()
        return gf

    # --- attribute lookups reaching the Python class (tryGetAttr step 5) ------------------------

    def python_class_attribute(self, module: ModuleValue, field: str, m, loc) -> SugaredValue | None:
        concrete = module.concrete
        cls = concrete.py_class
        if cls is None:
            return None
        member = self.interp.source_member(cls, field)
        if member is MISSING:
            return None
        if isinstance(member, ClassMethodObj):
            member = member.func          # torch compiles it as a method, ``cls`` being the module
        member = _exported_static(member) or member
        if isinstance(member, StaticMethodObj):
            fn = member.func
            owner = fn.owner
            ref = FunctionRef(fn.scope, fn.node, fn.qualname, owner.ref if owner is not None else None)
            return self.compiler.function_value(ref, m, loc)
        if not isinstance(member, PyFunction):
            return None
        modifier = modifier_of(member)
        if modifier in ("ignore", "unused"):
            owner = member.owner
            ref = FunctionRef(member.scope, member.node, member.qualname, owner.ref if owner is not None else None)
            pyobj = StaticCallable(member.name, member.qualname, module=member.scope.module_name)
            return PythonValue(ref, pyobj, ref, self.compiler, module_self=module.value, dropped=modifier == "unused")
        if member.has_decorator(*OVERLOAD_METHOD):
            return None
        self.method_function(concrete, field, member)
        found = module.attr(loc, m, field)
        if member.scope.source.path != m.fn.source_path and isinstance(found, MethodValue):
            return _CalledFromHere(found, f"{member.owner.name if member.owner else concrete.name}.{field}")
        return found

    def function_attribute_value(self, concrete: ConcreteModuleType, field: str, fn: PyFunction, m, loc
                                 ) -> SugaredValue:
        """A Python function stored on the instance: torch scripts it (a lambda cannot be)."""
        node = fn.node
        if not isinstance(node, ast.FunctionDef) or fn.closure is not None:
            where = f"{fn.scope.source.path}:{getattr(node, 'lineno', 0)}"
            hint = ("(This function exists as an attribute on the Python module, but we failed to compile it to a "
                    "TorchScript function. \nThe error stack is reproduced here:\nExpected a single top-level "
                    f"function: {where})")
            raise CompileError(f"Module '{concrete.name}' has no attribute '{field}' {hint}", loc, code="PJ210")
        owner = fn.owner
        ref = FunctionRef(fn.scope, node, fn.qualname, owner.ref if owner is not None else None)
        return self.compiler.function_value(ref, m, loc)


class _CalledFromHere(SugaredValue):
    """A method compiled from another file (torch's ``nn.Module`` source): its compile error is reported at
    the call, as torch's traceback does ("'ModuleList.append' is being compiled since it was called from ...")."""

    def __init__(self, method: MethodValue, name: str) -> None:
        self.method = method
        self.name = name

    def kind(self) -> str:
        return self.method.kind()

    def call(self, loc, m, args, kwargs, n_binders) -> SugaredValue:
        try:
            return self.method.call(loc, m, args, kwargs, n_binders)
        except CompileError as e:
            if e.range is None or e.range.path == getattr(loc, "path", None):
                raise
            caller = m.fn.qualified_name.rsplit(".", 2)
            caller_name = ".".join(caller[-2:]) if m.fn.owner is not None else caller[-1]
            raise CompileError(f"{e.message}\n'{self.name}' is being compiled since it was called from "
                               f"'{caller_name}'", loc, code=e.code,
                               related=(Related(e.range, e.message), *tuple(e.related))) from None


def describe_origin(concrete: ConcreteModuleType) -> str:
    """Where pyjit took a module type from, in words (for hovers)."""
    if concrete.origin == "torch-source":
        cls = concrete.py_class
        if isinstance(cls, ClassObj) and torch_library.is_bundled(cls.ref.scope.source.path):
            return (f"torch.nn layer read from torch {torch_library.torch_version()}'s source bundled with pyjit "
                    "(torch is not installed)")
        return "torch.nn layer read from the installed torch's source"
    return "module compiled from this workspace's source"


def _schema_text(schema: FunctionSchema, self_type: T.JitType) -> str:
    args = [f"{self_type.str() if i == 0 else a.type.annotation_str()} {a.name}"
            for i, a in enumerate(schema.arguments)]
    if schema.arguments:
        args[0] = f"{self_type.annotation_str() if isinstance(self_type, T.ClassType) else self_type.str()} " \
                  f"{schema.arguments[0].name}"
    rets = ", ".join(r.type.annotation_str() for r in schema.returns)
    if len(schema.returns) != 1:
        rets = f"({rets})"
    return f"{schema.name}({', '.join(args)}) -> {rets}"


def _schema_implements(impl: FunctionSchema, iface: FunctionSchema) -> bool:
    """torch: FunctionSchema::isSubtypeOf(interface, as_method=true)."""
    a, b = impl.arguments[1:], iface.arguments[1:]
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=False):
        if x.name != y.name or not T.is_subtype(y.type, x.type):
            return False
    if len(impl.returns) != len(iface.returns):
        return False
    return all(T.is_subtype(r1.type, r2.type) for r1, r2 in zip(impl.returns, iface.returns, strict=False))


#: Module methods that return the module itself: ``torch.jit.script(Model(3).eval())``.
_RETURNS_SELF = frozenset({"eval", "train", "to", "cuda", "cpu", "float", "double", "half", "bfloat16",
                           "requires_grad_", "share_memory", "type"})


def script_target(scope: ModuleScope, script_call: ast.Call) -> tuple[ClassRef, ast.Call] | None:
    """The module class and constructor call behind ``torch.jit.script(<arg>)``: ``Model(3)``,
    ``Model(3).eval()``, a module-level ``model = Model(3)``, or a local ``model = Model(3)`` assigned
    earlier in the function that makes the call. ``None`` when the source does not say."""
    if not script_call.args:
        return None
    target = script_call.args[0]
    for _ in range(8):
        if isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute) \
                and target.func.attr in _RETURNS_SELF:
            target = target.func.value
            continue
        if isinstance(target, ast.Name):
            local = _local_assignment(scope, script_call, target.id)
            if local is not None:
                target = local
                continue
            value = scope.evaluate(target)
            if isinstance(value, InstanceRef) and isinstance(value.cls, ClassRef):
                return value.cls, value.call
            return None
        break
    if isinstance(target, ast.Call):
        cls = scope.evaluate(target.func)
        if isinstance(cls, ClassRef):
            return cls, target
    return None


def _local_assignment(scope: ModuleScope, call: ast.Call, name: str) -> ast.expr | None:
    """The value last assigned to ``name`` before ``call`` in the function that contains it."""
    tree = scope.tree
    if tree is None:
        return None
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or not any(n is call for n in ast.walk(fn)):
            continue
        value = None
        for node in ast.walk(fn):
            if (isinstance(node, ast.Assign) and node.lineno < call.lineno
                    and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
                    and (value is None or node.lineno > value[0])):
                value = (node.lineno, node.value)
        if value is not None:
            return value[1]
    return None


def compile_module_root(compiler: Compiler, ref: ClassRef, spec: RootSpec) -> None:
    """The entry ``Compiler.compile_module_root`` delegates to."""
    ModuleSupport.of(compiler).compile_root(ref, spec)


@dataclass(frozen=True)
class ModuleTypeSummary:
    """A module type as hovers show it: what it has, and where pyjit took it from."""

    name: str                                       # the JIT type: __torch__.torch.nn.modules.linear.Linear
    python_class: str                               # torch.nn.modules.linear.Linear
    origin: str                                     # source | torch-source
    description: str                                # describe_origin
    attributes: tuple[tuple[str, str, str], ...]    # (name, type, parameter|buffer|attribute|module)
    constants: tuple[tuple[str, str], ...]          # (name, repr of the value)
    notes: tuple[str, ...] = ()                     # what pyjit could not know or lower


def summarize_module_types(compiler: Compiler) -> dict[str, ModuleTypeSummary]:
    """Every module type of an analysis, summarised (the analysis keeps these, not the compiler)."""
    out: dict[str, ModuleTypeSummary] = {}
    for name, concrete in module_types(compiler).items():
        info = concrete.info
        cls = concrete.py_class
        python_class = f"{cls.module_name}.{cls.qualname}" if isinstance(cls, ClassObj) else \
            f"torch.nn.{getattr(cls, 'name', 'Module')}"
        attributes = tuple((n, t.annotation_str(), info.attribute_kinds.get(n, "attribute"))
                           for n, t in info.attributes.items()) if info is not None else ()
        constants = tuple((n, "<unknown>" if isinstance(v, Unknown) else repr(v))
                          for n, v in concrete.constants.items())
        notes = [f"attribute '{n}': {why}" for n, why in concrete.unknown_attributes.items()]
        if info is not None:
            notes += [f"{m}: {fn.__dict__['signature_only']}" for m, fn in info.methods.items()
                      if fn.__dict__.get("signature_only")]
        if concrete.instance is not None:
            notes += concrete.instance.notes
        out[name] = ModuleTypeSummary(name, python_class, concrete.origin, describe_origin(concrete), attributes,
                                      constants, tuple(notes))
    return out


def module_types(compiler: Compiler) -> dict[str, ConcreteModuleType]:
    """Every module type built so far, by JIT type name (for hovers: ``origin`` says where it came from)."""
    support = compiler.__dict__.get("_module_support")
    return dict(support.store.by_name) if support is not None else {}


#: Construction sites tried for one class before falling back on a representative instance.
MAX_SITES_TRIED = 3
#: Distinct instances of one class compiled from one site, at most.
MAX_INSTANCES = 16


def instances_of(built: Any, class_node: ast.AST) -> list[ModuleInstance]:
    """The module instances of the class defined by ``class_node`` in the tree ``built`` (breadth first)."""
    found: list[ModuleInstance] = []
    queue = [built]
    seen: set[int] = set()
    while queue and len(found) < MAX_INSTANCES:
        inst = queue.pop(0)
        if not isinstance(inst, ModuleInstance) or id(inst) in seen:
            continue
        seen.add(id(inst))
        if isinstance(inst.cls, ClassObj) and inst.cls.ref.node is class_node:
            found.append(inst)
        queue.extend(inst.modules.values())
    return found


def describe_call(name: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    shown = [_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(shown)})"


def _short(value: Any) -> str:
    return "…" if isinstance(value, Unknown) else repr(value) if isinstance(value, (int, float, str, bool, tuple, list,
                                                                                     type(None))) else "…"


def _exported_static(member: Any) -> PyFunction | None:
    """The function of ``@staticmethod`` over ``@torch.jit.export``: the instance's attribute is
    the exported function, so torch compiles it as a method -- its first parameter taken for
    ``self``. (Export over staticmethod marks the wrapper only, which torch never sees.)"""
    if not isinstance(member, StaticMethodObj) or not isinstance(member.func, PyFunction):
        return None
    paths = list(member.func.decorators)
    static = next((i for i, p in enumerate(paths) if p in ("builtins.staticmethod", "staticmethod")), None)
    export = next((i for i, p in enumerate(paths) if p in EXPORT), None)
    return member.func if static is not None and export is not None and export > static else None


def _torch_own(fn: GraphFunction) -> bool:
    """Whether ``fn`` is torch's own code (or a method pyjit defines from a string), not the workspace's."""
    return fn.source_path == "<string>" or fn.qualified_name.startswith("__torch__.torch.")
