"""Compiling Python definitions found in source, as ``torch.jit.script`` compiles objects.

torch: torch/jit/_script.py, _recursive.py (what gets compiled, and when)
and CompilationUnit::define (how). Functions are compiled on first use;
classes become TorchScript class types with their methods; ``@ignore`` and
``@unused`` functions stay Python; NamedTuples and Enums become types.
"""

from __future__ import annotations

import ast
import copy
import math
import operator
import os
from typing import TYPE_CHECKING, Any

from ..ir import types as T
from ..ir.constants import constant_type
from ..ir.naming import StaticCallable, StaticClass
from ..ir.types import NamedTupleField
from ..schema.model import NO_DEFAULT, Argument, FunctionSchema
from .compilation_unit import ClassInfo, CompilationUnit, GraphFunction, torch_qualified_name
from .emitter import FunctionEmitter
from .errors import CompileError
from .function_cache import (
    LIBRARY_CACHE,
    CachedFunction,
    FunctionCache,
    ModuleEnvironment,
    cacheable_graph,
    environment_fingerprint,
    error_within,
    function_fingerprint,
    function_span,
    ranges_within,
)
from .functional_namedtuples import functional_named_tuple
from .modules.abstract_values import is_nn_module_class_ref
from .python_values import ExternalValue, PythonClassValue, PythonValue, to_sugared_value
from .pyworld import (
    MISSING,
    ClassAttributeRef,
    ClassRef,
    ConstantRef,
    ExternalRef,
    FunctionRef,
    ModuleScope,
    PyWorld,
    Ref,
    UnknownRef,
    literal_value,
)
from .ranges import TorchRanges
from .sugared import (
    ClassValue,
    FunctionValue,
    NamedTupleConstructor,
    PythonExceptionValue,
    SugaredEnumClass,
    SugaredValue,
)
from .torch_objects import DTYPES, EXCEPTION_NAMES, EXTERNAL_TYPES, IGNORE_DECORATORS, marks_unused
from .tree import TreeBuilder
from .type_aliases import alias_type
from .type_parser import TypeParser
from .workspace_method_cache import MethodReuse

if TYPE_CHECKING:
    from .build_reuse import BuildMemo
    from .construction_sites import ConstructionIndex
    from .workspace_method_cache import WorkspaceMethodCache


SCRIPT_DECORATORS = {"torch.jit.script", "torch.jit._script.script"}
EXPORT_DECORATORS = {"torch.jit.export", "torch._jit_internal.export"}
OVERLOAD_DECORATORS = {"torch.jit._overload", "torch._jit_internal._overload"}
INTERFACE_DECORATORS = {"torch.jit.interface", "torch.jit._script.interface"}


def _is_subclass_path(paths: list[str], *targets: str) -> bool:
    return any(p in targets for p in paths)


class ModuleResolver:
    """Resolves names for code in one module. torch: PythonResolver (rcb)."""

    def __init__(self, compiler: Compiler, scope: ModuleScope) -> None:
        self.compiler = compiler
        self.scope = scope

    def _ref(self, name: str) -> Ref | None:
        if "." in name:
            head, *rest = name.split(".")
            ref = self.scope.lookup(head)
            if ref is None:
                return None
            for part in rest:
                ref = self.compiler.world.attribute(ref, part)
            return ref
        return self.scope.lookup(name)

    def resolve_value(self, name: str, m, loc) -> SugaredValue | None:
        ref = self.scope.lookup(name)
        if ref is None:
            return None
        if isinstance(ref, UnknownRef):
            tt = functional_named_tuple(self.compiler, self.scope, name)
            if tt is not None and tt.name is not None:
                return NamedTupleConstructor(tt, self.compiler.named_tuple_schemas[tt.name])
        return to_sugared_value(ref, m, loc, self.compiler)

    def resolve_type(self, name: str, loc) -> T.JitType | None:
        ref = self._ref(name)
        if ref is None:
            return None
        found = self.compiler.type_of_ref(ref, loc)
        if found is None and "." not in name:
            found = (functional_named_tuple(self.compiler, self.scope, name)
                     or alias_type(self.compiler, self.scope, name))
        return found

    def named_tuple_schema(self, tuple_type: T.TupleType) -> FunctionSchema:
        return self.compiler.named_tuple_schemas[tuple_type.name]

    def evaluate_default(self, expr: ast.expr) -> Any:
        """A default's value, as Python computed it when it defined the function: constants,
        dtypes, ``math`` constants, and arithmetic and ``math`` functions over those
        (``math.log(1000.0 / 16)``)."""
        if isinstance(expr, ast.BinOp) and type(expr.op) in _ARITHMETIC:
            left, right = self.evaluate_default(expr.left), self.evaluate_default(expr.right)
            if _is_number(left) and _is_number(right):
                try:
                    return _ARITHMETIC[type(expr.op)](left, right)
                except (ArithmeticError, ValueError):
                    return MISSING
            return MISSING
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
            value = self.evaluate_default(expr.operand)
            return -value if _is_number(value) else MISSING
        if isinstance(expr, ast.Call) and not expr.keywords:
            callee = self.scope.evaluate(expr.func)
            name = callee.path.rpartition(".")[2] if isinstance(callee, ExternalRef) else ""
            if isinstance(callee, ExternalRef) and callee.path == f"math.{name}" and name in _MATH_FUNCTIONS:
                args = [self.evaluate_default(a) for a in expr.args]
                if all(_is_number(a) for a in args):
                    try:
                        return getattr(math, name)(*args)
                    except (ArithmeticError, ValueError, TypeError):
                        return MISSING
            return MISSING
        ref = self.scope.evaluate(expr)
        if isinstance(ref, ConstantRef):
            return ref.value
        if isinstance(ref, ExternalRef):
            head, _, name = ref.path.rpartition(".")
            if head == "torch" and name in DTYPES:
                return DTYPES[name]
            if ref.path in ("math.inf", "math.pi", "math.e", "math.tau", "math.nan"):
                return getattr(math, name)
        return MISSING


_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
               ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}
#: ``math`` functions a default may call: pure, and cheap on any number.
_MATH_FUNCTIONS = frozenset({"log", "log2", "log10", "log1p", "exp", "sqrt", "floor", "ceil", "fabs", "pow",
                             "sin", "cos", "tan", "atan", "tanh", "radians", "degrees"})


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Compiler:
    """Owns the compilation unit and compiles references on demand."""

    def __init__(self, world: PyWorld, cache: FunctionCache | None = None,
                 cached_scope: ModuleScope | None = None) -> None:
        self.world = world
        # Where the workspace builds module classes (set by the driver; see construction_sites).
        self.constructions: ConstructionIndex | None = None
        # What builders built in the previous analysis of the file (set by the driver; see build_reuse).
        self.previous_builds: BuildMemo | None = None
        self.unit = CompilationUnit()
        # Graphs from the previous analysis of ``cached_scope`` (an edited file).
        self.cache = cache
        self.cached_scope = cached_scope
        # The workspace's module methods the previous analysis of ``cached_scope`` compiled, and
        # those this one keeps for the next (set by the driver; see workspace_method_cache).
        self.previous_methods: WorkspaceMethodCache | None = None
        self.workspace_methods: WorkspaceMethodCache | None = None
        self.environment = environment_fingerprint(cached_scope) if cached_scope is not None else None
        self._environments: dict[int, ModuleEnvironment] = {}
        self._fingerprints: dict[int, str] = {}   # id(def node) -> its function_fingerprint
        self._reused: dict[str, CachedFunction] = {}   # this analysis's copies of cached graphs
        T.INTERFACE_CHECKER.set(self.implements_interface)
        self.named_tuple_schemas: dict[str, FunctionSchema] = {}
        self._functions: dict[int, GraphFunction] = {}
        self._class_types: dict[int, T.JitType] = {}
        self._ranges: dict[int, TorchRanges] = {}
        self._resolvers: dict[int, ModuleResolver] = {}
        self._defs_by_name: dict[int, tuple[ast.Module | None, dict[str, list[ast.stmt]]]] = {}

    # --- per-module services ------------------------------------------------------------

    def ranges_for(self, scope: ModuleScope) -> TorchRanges:
        found = self._ranges.get(id(scope))
        if found is None:
            found = self._ranges[id(scope)] = TorchRanges(scope.source)
        return found

    def resolver_for(self, scope: ModuleScope) -> ModuleResolver:
        found = self._resolvers.get(id(scope))
        if found is None:
            found = self._resolvers[id(scope)] = ModuleResolver(self, scope)
        return found

    def type_parser_for(self, scope: ModuleScope) -> TypeParser:
        return TypeParser(self.resolver_for(scope))

    def tree_builder(self, scope: ModuleScope, funcname: str = "") -> TreeBuilder:
        return TreeBuilder(self.ranges_for(scope), funcname=funcname)

    # --- functions -------------------------------------------------------------------------

    def graph_function(self, ref: FunctionRef) -> GraphFunction:
        """The (lazily compiled) function for a top-level ``def``."""
        key = id(ref.node)
        fn = self._functions.get(key)
        if fn is not None:
            return fn
        qualname = torch_qualified_name(ref.scope.module_name, ref.qualname)

        reuse = self.workspace_reuse
        elsewhere = reuse.waits_for(ref)      # the workspace's, in another file: see workspace_method_cache

        def create(fn: GraphFunction) -> None:
            if self._reuse_cached(fn, ref):
                return
            if elsewhere and reuse.take_function(fn, ref):
                return
            builder = self.tree_builder(ref.scope, ref.node.name)
            node = ref.node
            if is_unused(ref) or set(ref.decorators) & DROP_DECORATORS:
                node = unused_stub(node, drop=bool(set(ref.decorators) & DROP_DECORATORS))
            definition = builder.build_def(node)
            emitter = FunctionEmitter(fn, definition, self.resolver_for(ref.scope), self.type_parser_for(ref.scope),
                                      unit=self.unit)
            emitter.run()
            if elsewhere:
                reuse.keep_function(fn, ref)

        fn = GraphFunction(qualname, ref.node.name, create, node=ref.node, source_path=ref.scope.source.path)
        fn.ref = ref  # type: ignore[attr-defined]
        self._functions[key] = fn
        self.unit.register_function(fn)
        if elsewhere:
            reuse.wait(fn, lambda: reuse.take_function(fn, ref))
        return fn

    @property
    def workspace_reuse(self) -> MethodReuse:
        """This analysis's use of the workspace method cache (made on first use, once the driver set it up)."""
        found = self.__dict__.get("_workspace_reuse")
        if found is None:
            found = self.__dict__["_workspace_reuse"] = MethodReuse(self, self.previous_methods,
                                                                    self.workspace_methods)
        return found

    # --- reuse across analyses (see function_cache) -----------------------------------------

    def _cache_slot(self, ref: FunctionRef) -> tuple[FunctionCache, str] | None:
        """Where a top-level function's graph may be cached, and its fingerprint."""
        if ref.owner is not None or "." in ref.qualname:
            return None
        if ref.scope is self.cached_scope:
            return (self.cache, self._fingerprint(ref, self.environment)) if self.cache is not None else None
        if self._is_library(ref.scope):
            env = self._environments.get(id(ref.scope))
            if env is None:
                env = self._environments[id(ref.scope)] = environment_fingerprint(ref.scope, library=True)
            return LIBRARY_CACHE, self._fingerprint(ref, env)
        return None

    def is_cached(self, ref: FunctionRef) -> bool:
        """Whether the analysed file's previous analysis kept this function's graph (or error)
        for its text as it is now: reusing it costs next to nothing."""
        slot = self._cache_slot(ref)
        if slot is None or slot[0] is not self.cache:
            return False
        return slot[0].lookup(torch_qualified_name(ref.scope.module_name, ref.qualname), slot[1]) is not None

    def _fingerprint(self, ref: FunctionRef, environment: ModuleEnvironment | None) -> str:
        found = self._fingerprints.get(id(ref.node))
        if found is None:
            found = self._fingerprints[id(ref.node)] = function_fingerprint(ref.scope, ref.node, environment)
        return found

    def _is_library(self, scope: ModuleScope) -> bool:
        root = self.world.torch_root
        return root is not None and scope.module_name.split(".")[0] == "torch" and \
            scope.source.path.startswith(os.path.dirname(root)) and self.world.is_on_disk(scope)

    def _resolve_dep(self, module_name: str, qualname: str) -> FunctionRef | None:
        scope = self.cached_scope if self.cached_scope is not None and module_name == self.cached_scope.module_name \
            else self.world.module(module_name)
        found = scope.lookup(qualname) if scope is not None else None
        return found if isinstance(found, FunctionRef) and found.node.name == qualname else None

    def _reuse_cached(self, fn: GraphFunction, ref: FunctionRef) -> bool:
        slot = self._cache_slot(ref)
        entry = slot[0].lookup(fn.qualified_name, slot[1]) if slot is not None else None
        if entry is None:
            return False
        deps = self._cached_deps(entry)
        if deps is None:
            return False
        if slot[0] is self.cache:
            # The edited file: the function may have moved, and what its graph
            # refers to in source belongs to the previous analysis.
            if not entry.move_to(function_span(ref.node)[0], self._rebind):
                return False
            self._reused[fn.qualified_name] = entry
        if entry.error is not None:
            fn.deps.extend(deps)
            raise entry.error   # the same error a fresh compile would raise (ensure_defined records it)
        fn.define_from(entry.graph, entry.schema, deps)
        return True

    def _overload_slot(self, ref: FunctionRef, decl: ast.FunctionDef, index: int) -> tuple[str, str] | None:
        """Where an overload of torch's own function (``F.interpolate``'s) is kept in
        :data:`LIBRARY_CACHE`: its name there, and a fingerprint of the function and declaration."""
        if not self._is_library(ref.scope):
            return None
        env = self._environments.get(id(ref.scope))
        if env is None:
            env = self._environments[id(ref.scope)] = environment_fingerprint(ref.scope, library=True)
        start, end = function_span(decl)
        declared = "\n".join(ref.scope.source.lines[start - 1:end])
        fingerprint = f"{self._fingerprint(ref, env)}\0{index}\0{declared}"
        return f"{torch_qualified_name(ref.scope.module_name, ref.qualname)}#overload{index}", fingerprint

    def _reuse_overload(self, fn: GraphFunction, slot: tuple[str, str]) -> bool:
        entry = LIBRARY_CACHE.lookup(*slot)
        deps = self._cached_deps(entry) if entry is not None else None
        if entry is None or deps is None or entry.graph is None:
            return False
        fn.define_from(entry.graph, entry.schema, deps)
        return True

    def _cached_deps(self, entry: CachedFunction) -> list[GraphFunction] | None:
        """The callees of a cached graph in this analysis, each with the schema it had (else None)."""
        deps = []
        for module_name, name, schema_text in entry.deps:
            dep_ref = self._resolve_dep(module_name, name)
            if dep_ref is None:
                return None
            dep = self.graph_function(dep_ref)
            try:
                dep.ensure_defined()
            except Exception:
                return None
            if str(dep.schema) != schema_text:
                return None
            deps.append(dep)
        return deps

    def _remember_overload(self, fn: GraphFunction, ref: FunctionRef, slot: tuple[str, str]) -> None:
        if fn.guesses or fn.schema is None or not cacheable_graph(fn.graph):
            return
        deps = _cache_keys_of_deps(fn)
        if deps is None:
            return
        LIBRARY_CACHE.entries[slot[0]] = CachedFunction.of(slot[1], fn.graph, fn.schema, deps,
                                                          ref.scope.source.path, function_span(ref.node)[0])

    def _rebind(self, ref: Ref) -> Ref | None:
        """``ref``, looked up again in this analysis's world (``None``: gone)."""
        if isinstance(ref, ClassAttributeRef):
            cls = self._rebind(ref.cls)
            return ClassAttributeRef(cls, ref.name) if isinstance(cls, ClassRef) else None
        if not isinstance(ref, (FunctionRef, ClassRef)) or self._is_library(ref.scope):
            return ref
        if isinstance(ref, FunctionRef) and ref.owner is not None:
            owner = self._rebind(ref.owner)
            if not isinstance(owner, ClassRef):
                return None
            for stmt in owner.node.body:
                if isinstance(stmt, ast.FunctionDef) and stmt.name == ref.node.name:
                    return FunctionRef(owner.scope, stmt, ref.qualname, owner)
            return None
        scope = self.cached_scope if self.cached_scope is not None and \
            ref.scope.module_name == self.cached_scope.module_name else self.world.module(ref.scope.module_name)
        found = scope.lookup(ref.qualname) if scope is not None and "." not in ref.qualname else None
        if type(found) is type(ref) and found.node.name == ref.node.name:
            return found
        return None

    def release(self) -> None:
        """The analysis is over: drop what only compiling needed.

        The compiler, its functions, resolvers and the closures that would
        compile more refer to each other and to the analysed module's syntax
        tree; cutting those links lets a finished analysis' tree be freed as
        soon as the analysis is, rather than by the cyclic garbage collector.
        (Class types keep their methods' graphs, for interface checks.)
        """
        for fn in self.unit.functions.values():
            fn.release()
        self._functions.clear()
        self._resolvers.clear()
        self._ranges.clear()
        self._defs_by_name.clear()
        self._class_types.clear()
        self._environments.clear()
        self._fingerprints.clear()
        self._reused.clear()
        self.__dict__.pop("_workspace_reuse", None)
        self.cache = self.cached_scope = None

    def export_cache(self) -> FunctionCache | None:
        """Store this analysis's reusable graphs: the analysed file's in a new
        cache for its next analysis, torch's library functions in the process-wide one."""
        own = FunctionCache() if self.cached_scope is not None else None
        if own is not None:
            own.environment = self.environment
        saved_cache, self.cache = self.cache, own
        try:
            for fn in self.unit.functions.values():
                ref = getattr(fn, "ref", None)
                failed = fn.failed and fn.error is not None   # (not: failed because a callee did)
                if not (fn.is_defined or failed) or ref is None:
                    continue
                if fn.guesses:
                    continue   # a guessed custom op's result (custom_ops.py): a cached copy would lose the guess
                slot = self._cache_slot(ref)
                if slot is None:
                    continue
                if slot[0] is own:
                    reused = self._reused.get(fn.qualified_name)
                    if reused is not None and (reused.graph is fn.graph if fn.is_defined else reused.error is fn.error):
                        own.entries[fn.qualified_name] = reused  # unchanged: carry it over
                        continue
                else:
                    if failed:
                        continue   # torch's own functions compile (those that fail are few)
                    reused = slot[0].lookup(fn.qualified_name, slot[1])
                    if reused is not None and reused.graph is fn.graph:
                        continue
                first, last = function_span(ref.node)
                path = ref.scope.source.path
                if failed:
                    assert fn.error is not None
                    if not error_within(fn.error, path, first, last):
                        continue
                elif not cacheable_graph(fn.graph) or (
                        slot[0] is own and not ranges_within(fn.graph, path, first, last)):
                    continue
                deps = _cache_keys_of_deps(fn)
                if deps is None:
                    continue
                if failed:
                    assert fn.error is not None
                    slot[0].entries[fn.qualified_name] = CachedFunction.failure(slot[1], fn.error, deps, path, first)
                else:
                    slot[0].entries[fn.qualified_name] = CachedFunction.of(
                        slot[1], fn.graph, fn.schema, deps, path, first)
        finally:
            self.cache = saved_cache
        return own

    def function_value(self, ref: FunctionRef, m, loc) -> SugaredValue:
        if is_unused(ref):
            return PythonValue(ref, StaticCallable(ref.node.name, ref.qualname, module=ref.scope.module_name),
                               ref, self, dropped=True)
        if set(ref.decorators) & IGNORE_DECORATORS:
            return PythonValue(ref, StaticCallable(ref.node.name, ref.qualname, module=ref.scope.module_name),
                               ref, self)
        overloads = self.overload_functions(ref)
        if overloads:
            return FunctionValue(overloads)
        return FunctionValue([self.graph_function(ref)])

    def overload_declarations(self, ref: FunctionRef) -> list[ast.FunctionDef]:
        """The ``@torch.jit._overload`` declarations of a function, in source order."""
        if ref.owner is not None or ref.scope.tree is None:
            return []
        found = []
        for stmt in self._top_level_defs(ref.scope).get(ref.node.name, ()):
            if stmt is ref.node:
                break
            if isinstance(stmt, ast.FunctionDef) and (
                    {ref.scope.dotted_name(d) for d in stmt.decorator_list} & OVERLOAD_DECORATORS):
                found.append(stmt)
        return found

    def _top_level_defs(self, scope: ModuleScope) -> dict[str, list[ast.stmt]]:
        """A module's top-level ``def`` statements by name, in source order
        (built once per module, not scanned again for every function)."""
        tree = scope.tree
        cached = self._defs_by_name.get(id(scope))
        if cached is None or cached[0] is not tree:
            by_name: dict[str, list[ast.stmt]] = {}
            for stmt in tree.body if tree is not None else ():
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    by_name.setdefault(stmt.name, []).append(stmt)
            cached = self._defs_by_name[id(scope)] = (tree, by_name)
        return cached[1]

    def overload_functions(self, ref: FunctionRef) -> list[GraphFunction]:
        """One function per overload: the declaration's signature with the
        implementation's body. torch: _get_overloads / _compile_function_with_overload."""
        decls = self.overload_declarations(ref)
        functions = []
        for index, decl in enumerate(decls):
            key = id(decl)
            fn = self._functions.get(key)
            if fn is None:
                qualname = torch_qualified_name(ref.scope.module_name, ref.qualname)

                def create(fn: GraphFunction, decl=decl, index=index) -> None:
                    slot = self._overload_slot(ref, decl, index)
                    if slot is not None and self._reuse_overload(fn, slot):
                        return
                    builder = self.tree_builder(ref.scope, ref.node.name)
                    impl = builder.build_def(ref.node)
                    signature = builder.build_def(decl)
                    for param, impl_param in zip(signature.params, impl.params, strict=False):
                        if param.default is None:
                            param.default = impl_param.default
                    impl.params, impl.return_type = signature.params, signature.return_type
                    emitter = FunctionEmitter(fn, impl, self.resolver_for(ref.scope),
                                              self.type_parser_for(ref.scope), unit=self.unit)
                    emitter.run()
                    if slot is not None:
                        self._remember_overload(fn, ref, slot)

                fn = GraphFunction(qualname, ref.node.name, create, node=ref.node, source_path=ref.scope.source.path)
                self._functions[key] = fn
                self.unit.register_function_overload(fn, index)
            functions.append(fn)
        return functions

    # --- classes -----------------------------------------------------------------------------

    def class_bases(self, ref: ClassRef) -> list[str]:
        return [ref.scope.dotted_name(b) for b in ref.node.bases]

    def class_kind(self, ref: ClassRef) -> str:
        bases = self.class_bases(ref)
        if any(b in ("typing.NamedTuple",) for b in bases):
            return "namedtuple"
        if any(b in ("enum.Enum", "enum.IntEnum") for b in bases):
            return "enum"
        if any(b in ("torch.autograd.Function", "torch.autograd.function.Function") for b in bases):
            return "autograd_function"
        if any(b.rsplit(".", 1)[-1] in EXCEPTION_NAMES and b.startswith("builtins.") for b in bases):
            return "exception"
        if set(ref.decorators) & INTERFACE_DECORATORS:
            return "interface"
        if self.is_module_class(ref):
            return "module"
        return "class"

    def is_module_class(self, ref: ClassRef, _seen: set[int] | None = None) -> bool:
        seen = _seen or set()
        if id(ref.node) in seen:
            return False
        seen.add(id(ref.node))
        for base in ref.node.bases:
            target = ref.scope.evaluate(base)
            if isinstance(target, ExternalRef) and target.path in ("torch.nn.Module", "torch.nn.modules.module.Module",
                                                                   "torch.jit.ScriptModule"):
                return True

            if is_nn_module_class_ref(self.world, target):
                return True
            if isinstance(target, ClassRef) and self.is_module_class(target, seen):
                return True
        return False

    def compile_module_root(self, ref: ClassRef, spec) -> None:
        """``torch.jit.script`` of an nn.Module instance (or a ScriptModule); see :mod:`.script_modules`."""
        # Imported on first use (start-up cost): it brings the nn.Module interpreter.
        from .script_modules import compile_module_root

        compile_module_root(self, ref, spec)

    def type_of_ref(self, ref: Ref, loc) -> T.JitType | None:
        """The TorchScript type a Python type object denotes (for annotations)."""
        if isinstance(ref, ExternalRef):
            found = EXTERNAL_TYPES.get(ref.path)
            if found is not None:
                return found
            layer = self._torch_layer_class(ref.path)
            return self.scripted_module_type(layer) if layer is not None else None
        if isinstance(ref, ClassRef):
            if self.class_kind(ref) == "module" or is_nn_module_class_ref(self.world, ref):
                return self.scripted_module_type(ref)
            return self.class_type(ref, loc)
        return None

    def scripted_module_type(self, ref: ClassRef) -> T.JitType | None:
        """What an nn.Module class names in a type (``isinstance(m, nn.Dropout)``): torch's
        can_compile_class is False for modules, so the name finds the module type scripted
        under it so far -- the first instance's, unmangled -- or none.
        torch: resolveTypeFromObject, get_python_cu()->get_type."""
        info = self.unit.classes.get(torch_qualified_name(ref.scope.module_name, ref.qualname))
        return info.type if info is not None and info.is_module else None

    def _torch_layer_class(self, path: str) -> ClassRef | None:
        """``torch.nn.Dropout`` (known to the world by path) to its class in torch's source."""
        name = path.rpartition(".")[2]
        if not name[:1].isupper() or not (path == f"torch.nn.{name}" or path.startswith("torch.nn.modules.")):
            return None
        ref = self.world.resolve_path(f"torch.nn.modules.{name}")
        return ref if isinstance(ref, ClassRef) else None

    def class_type(self, ref: ClassRef, loc) -> T.JitType:
        key = id(ref.node)
        found = self._class_types.get(key)
        if found is not None:
            return found
        kind = self.class_kind(ref)
        qualname = torch_qualified_name(ref.scope.module_name, ref.qualname)
        if kind == "namedtuple":
            found = self._named_tuple_type(ref, qualname)
        elif kind == "enum":
            found = self._enum_type(ref, qualname)
        elif kind == "interface":
            found = T.InterfaceType(qualname)
            self._class_types[key] = found
            self._define_interface(ref, found)
        else:
            found = T.ClassType(qualname, is_module=kind == "module")
            self._class_types[key] = found
            if kind == "class":
                self._define_class(ref, found)
        self._class_types[key] = found
        return found

    def _named_tuple_type(self, ref: ClassRef, qualname: str) -> T.TupleType:
        parser = self.type_parser_for(ref.scope)
        builder = self.tree_builder(ref.scope)
        fields = []
        arguments = []
        for stmt in ref.node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                ftype = parser.parse_type_from_expr(builder.build_expr(stmt.annotation))
                default = None
                if stmt.value is not None:
                    value = literal_value(stmt.value)
                    default = value if value is not MISSING else None
                fields.append(NamedTupleField(stmt.target.id, ftype, None if default is None else repr(default)))

                arguments.append(Argument(stmt.target.id, ftype,
                                          default_value=default if stmt.value is not None else NO_DEFAULT))
        tt = T.TupleType(tuple(f.type for f in fields), qualname, tuple(fields))
        self.named_tuple_schemas[qualname] = FunctionSchema(qualname, "", tuple(arguments),
                                                            (Argument("", tt),))
        return tt

    def _enum_type(self, ref: ClassRef, qualname: str) -> T.EnumType:
        """torch: _jit_internal / python_sugared_value's enum registration: all
        values must unify to one of int, float, str."""
        members = self.enum_members(ref)
        value_type: T.JitType | None = None
        where = self.ranges_for(ref.scope).keyword(ref.node)
        for i, (_, value) in enumerate(members):
            # a container value has no annotation type of its own (try_ann_to_type(tuple)): Any
            t_ = T.Any_ if isinstance(value, (tuple, list, dict)) else constant_type(value)
            if value_type is None:
                value_type = t_
            elif T.unify_types(value_type, t_) is None:
                raise CompileError(f"Could not unify type list since element {i} of type {t_.annotation_str()} did "
                                   f"not match the types before it ({value_type.annotation_str()})", where,
                                   code="PJ222")
            else:
                value_type = T.unify_types(value_type, t_)
        if value_type is not None and value_type not in (T.Int, T.Float, T.Str):   # torch: EnumType::create
            raise CompileError(f"Cannot create Enum with value type '{value_type.annotation_str()}', only int, float "
                               "and string are supported", where, code="PJ222")
        return T.EnumType(qualname, value_type or T.Int)

    def enum_members(self, ref: ClassRef) -> list[tuple[str, Any]]:
        out = []
        for stmt in ref.node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                value = literal_value(stmt.value)
                if value is not MISSING:
                    out.append((stmt.targets[0].id, value))
        return out

    def _define_interface(self, ref: ClassRef, itype: T.InterfaceType) -> None:
        """torch: CompilationUnit::define_interface."""
        info = self.unit.register_class(ClassInfo(itype))
        parser = self.type_parser_for(ref.scope)
        builder = self.tree_builder(ref.scope)
        ranges = self.ranges_for(ref.scope)
        for stmt in ref.node.body:
            if _is_docstring(stmt):
                continue
            if not isinstance(stmt, ast.FunctionDef):
                raise CompileError("interface declartions can only contain method definitions", ranges.of(stmt))
            if stmt.returns is None and builder.type_line(stmt) is None:
                raise CompileError("interface declarations must have a return type annotated.", ranges.of(stmt))
            body = [s for s in stmt.body if not _is_docstring(s)]
            if not body or (not isinstance(body[-1], ast.Pass) and not (
                    isinstance(body[-1], ast.Expr) and isinstance(body[-1].value, ast.Constant)
                    and body[-1].value.value is Ellipsis)):
                if any(isinstance(s, ast.Pass) for s in body):
                    pass
                else:
                    raise CompileError("interfaces declarations should contain 'pass' statement.", ranges.of(stmt))
        for stmt in ref.node.body:
            if isinstance(stmt, ast.FunctionDef):
                d = builder.build_def(stmt, self_name=None)
                schema = parser.parse_schema_from_def(d, skip_self=True)
                args = (Argument(d.params[0].name if d.params else "self", itype), *schema.arguments)
                info.interface_methods[stmt.name] = FunctionSchema(stmt.name, "", args, schema.returns)

    def _define_class(self, ref: ClassRef, ctype: T.ClassType) -> None:
        """A script class: its methods are compiled, ``__init__`` first. torch: CompilationUnit::define."""
        info = self.unit.register_class(ClassInfo(ctype))
        methods = [s for s in ref.node.body if isinstance(s, ast.FunctionDef)]
        getters: dict[str, ast.FunctionDef] = {}
        setters: dict[str, ast.FunctionDef] = {}
        for node in methods:
            decorators = {ref.scope.dotted_name(d) for d in node.decorator_list}
            if "builtins.staticmethod" in decorators:
                continue
            if "builtins.property" in decorators:
                getters[node.name] = node
            elif any(isinstance(d, ast.Attribute) and d.attr == "setter" and isinstance(d.value, ast.Name)
                     and d.value.id in getters for d in node.decorator_list):
                setters[node.name] = node
            else:
                self._method(ref, info, node)
        # torch: get_class_properties -- each property's getter (and setter) is a method
        # named __<name>_getter, in name order; an unused getter drops the property.
        for name in sorted(getters):
            if is_unused(FunctionRef(ref.scope, getters[name], f"{ref.qualname}.{name}", ref)):
                continue
            getter = self._method(ref, info, getters[name], f"__{name}_getter")
            setter = self._method(ref, info, setters[name], f"__{name}_setter") if name in setters else None
            info.properties[name] = (getter, setter)
        init = info.methods.get("__init__")
        if init is not None:
            init.ensure_defined()
        for fn in list(info.methods.values()):
            fn.ensure_defined()

    def _method(self, ref: ClassRef, info: ClassInfo, node: ast.FunctionDef, name: str | None = None) -> GraphFunction:
        name = name or node.name
        qualname = f"{info.name}.{name}"

        def create(fn: GraphFunction) -> None:
            builder = self.tree_builder(ref.scope, node.name)
            definition = builder.build_def(node, def_name=name, self_name=ref.name)
            emitter = FunctionEmitter(fn, definition, self.resolver_for(ref.scope), self.type_parser_for(ref.scope),
                                      self_class=info, unit=self.unit)
            emitter.run()

        fn = GraphFunction(qualname, name, create, owner=info, node=node, source_path=ref.scope.source.path)
        info.methods[name] = fn
        self.unit.register_function(fn)
        return fn

    def implements_interface(self, sub: T.JitType, iface: T.InterfaceType) -> bool:
        """torch: ClassType/InterfaceType::isSubtypeOfExt -- every interface method
        exists with a compatible signature (arguments contravariant, return covariant)."""
        wanted = self.unit.class_info(iface)
        have = self.unit.class_info(sub)
        if wanted is None or have is None:
            return False
        for name, schema in wanted.interface_methods.items():
            if isinstance(sub, T.InterfaceType):
                other = have.interface_methods.get(name)
            else:
                method = have.methods.get(name)
                if method is None:
                    return False
                try:
                    method.ensure_defined()
                except Exception:
                    return False
                other = method.schema
            if other is None or len(other.arguments) != len(schema.arguments):
                return False
            for mine, theirs in zip(other.arguments[1:], schema.arguments[1:], strict=False):
                if mine.name != theirs.name or not T.is_subtype(theirs.type, mine.type):
                    return False
            if schema.returns and other.returns and not T.is_subtype(other.returns[0].type, schema.returns[0].type):
                return False
        return True

    def class_value(self, ref: ClassRef, m, loc) -> SugaredValue:
        kind = self.class_kind(ref)
        if kind == "namedtuple":
            tt = self.class_type(ref, loc)
            return NamedTupleConstructor(tt, self.named_tuple_schemas[tt.name])
        if kind == "enum":
            et = self.class_type(ref, loc)
            return SugaredEnumClass(et, self.enum_members(ref))
        if kind == "exception":
            return PythonExceptionValue(f"{ref.scope.module_name}.{ref.qualname}")
        if kind == "autograd_function":
            return PythonClassValue(ref, self.static_class(ref, "autograd_function"), None, self,
                                    type_name="FunctionMeta", is_global=True)
        if kind == "module":
            return PythonClassValue(ref, self.static_class(ref, "module"), None, self, type_name="type", is_global=True)
        ctype = self.class_type(ref, loc)
        if isinstance(ctype, T.ClassType):
            return ClassValue(ctype)
        return PythonValue(ref, None, None, self, type_name="type", is_global=True)

    def static_class(self, ref: ClassRef, role: str) -> StaticClass:
        key = ("static", id(ref.node), role)
        cache = self.__dict__.setdefault("_static_classes", {})
        found = cache.get(key)
        if found is None:
            found = cache[key] = StaticClass(ref.name, ref.qualname, role=role, module=ref.scope.module_name)
        return found

    def class_attribute_value(self, ref: ClassAttributeRef, m, loc) -> SugaredValue:
        kind = self.class_kind(ref.cls)
        if kind == "autograd_function" and ref.name == "apply":
            cls = self.static_class(ref.cls, "autograd_function")
            return PythonValue(ref, cls.apply, None, self, type_name="method")
        if kind == "enum":
            return SugaredEnumClass(self.class_type(ref.cls, loc), self.enum_members(ref.cls)).attr(loc, m, ref.name)
        for stmt in ref.cls.node.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == ref.name:
                decorators = {ref.cls.scope.dotted_name(d) for d in stmt.decorator_list}
                if "builtins.staticmethod" in decorators:
                    fref = FunctionRef(ref.cls.scope, stmt, f"{ref.cls.qualname}.{stmt.name}")
                    return self.function_value(fref, m, loc)
        raise CompileError(f"Tried to lookup unknown attribute on class {ref.cls.name}", loc)

    # --- everything else --------------------------------------------------------------------

    def external_value(self, ref: ExternalRef, m, loc) -> SugaredValue:
        return ExternalValue(ref, StaticCallable(ref.path.rsplit(".", 1)[-1], ref.path), None, self,
                             type_name=_external_type_name(ref.path))

    def unknown_value(self, ref: UnknownRef, m, loc) -> SugaredValue:
        return PythonValue(ref, None, None, self, type_name="object", is_global=True)


DROP_DECORATORS = {"torch.jit._drop", "torch._jit_internal._drop"}


def is_unused(ref: FunctionRef) -> bool:
    """``@torch.jit.unused``, or an ``ignore(drop=True)`` torch treats alike."""
    return any(marks_unused(d, ref.scope.dotted_name(d)) for d in ref.node.decorator_list)


def unused_stub(node: ast.FunctionDef, *, drop: bool) -> ast.FunctionDef:
    """What torch compiles for an ``@unused``/``_drop`` function: its signature
    with ``Any`` annotations and a body that raises. torch: get_jit_def."""
    stub = copy.copy(node)
    args = copy.copy(node.args)
    raise_stmt = ast.parse('raise RuntimeError("Cannot call @unused methods")').body[0]
    any_name = ast.Name(id="Any", ctx=ast.Load())
    for new in ast.walk(raise_stmt):
        if hasattr(new, "lineno"):
            new.lineno, new.col_offset = node.body[0].lineno, node.body[0].col_offset
            new.end_lineno, new.end_col_offset = node.body[0].lineno, node.body[0].col_offset + 5
    stub.body = [raise_stmt]
    args.vararg = args.kwarg = None
    args.args = [copy.copy(a) for a in args.args]
    args.kwonlyargs = [copy.copy(a) for a in args.kwonlyargs]
    for a in args.args + args.kwonlyargs:
        a.annotation = copy.copy(any_name)
        a.annotation.lineno, a.annotation.col_offset = a.lineno, a.col_offset
        a.annotation.end_lineno, a.annotation.end_col_offset = a.lineno, a.col_offset + 3
    stub.args = args
    if drop:
        stub.returns = None
    return stub


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _external_type_name(path: str) -> str:
    return "builtin_function_or_method" if path.startswith("builtins.") else "function"


def _cache_keys_of_deps(fn: GraphFunction) -> tuple[tuple[str, str, str], ...] | None:
    """(module, qualified name, schema) of each function ``fn`` calls, to check on reuse;
    None when one is a method, a nested function or has no schema (not cacheable)."""
    deps = []
    for dep in fn.deps:
        dep_ref = getattr(dep, "ref", None)
        if dep_ref is None or "." in dep_ref.qualname or dep_ref.owner is not None or dep.schema is None:
            return None
        deps.append((dep_ref.scope.module_name, dep_ref.qualname, str(dep.schema)))
    return tuple(deps)
