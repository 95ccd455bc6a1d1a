"""What a file's plain Python code does with scripted things.

A small abstract interpreter over the code Python runs (module level and
every function body): it follows names through assignments and records each
call with what its arguments are, as far as source tells:

* ``Model(...)``                    an eager instance (:class:`InstanceValue`, origin ``eager``);
* ``torch.jit.script(Model(...))``  a ScriptModule (origin ``scripted``), ``torch.jit.trace`` one
                                    traced; ``torch.jit.script(Point(1))`` a RecursiveScriptClass;
* ``torch.jit.script(f)`` or an ``@torch.jit.script`` function: a :class:`ScriptFunctionValue`;
* ``torch.jit.freeze(m)``, ``torch.jit.optimize_for_inference(m)``, ``m.eval()``: the same root;
* ``torch.jit.load(...)``           a ScriptModule of unknown class.

Instances are :class:`~pyjit_core.ir.casting.StaticInstance`\\ s, so checks
decide with ``as_module``/``as_object`` exactly as torch decides on the real
objects. The analysis is flow-sensitive on straight-line code and
conservative elsewhere: a name bound differently on two paths (branches,
loops, ``try``) becomes unknown, and unknown values are never reported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..frontend.pyworld import ClassRef, ExternalRef, FunctionRef, ModuleRef, ModuleScope, Ref, ref_path
from ..ir.casting import StaticInstance
from ..ir.naming import StaticClass
from ..syntax import function_definitions

SCRIPT = {"torch.jit.script", "torch.jit._script.script"}
TRACE = {"torch.jit.trace", "torch.jit._trace.trace", "torch.jit.trace_module", "torch.jit._trace.trace_module"}
FREEZE = {"torch.jit.freeze", "torch.jit._freeze.freeze"}
OPTIMIZE = {"torch.jit.optimize_for_inference", "torch.jit._freeze.optimize_for_inference"}
SAVE = {"torch.jit.save", "torch.jit._serialization.save"}
LOAD = {"torch.jit.load", "torch.jit._serialization.load"}
JIT_API_PATHS = frozenset((*SCRIPT, *TRACE, *FREEZE, *OPTIMIZE, *SAVE, *LOAD))
#: Methods that save a ScriptModule.
SAVE_METHOD_NAMES = frozenset({"save", "save_to_buffer", "_save_for_lite_interpreter",
                               "_save_to_buffer_for_lite_interpreter"})
#: The words a call to any of those spells.
JIT_API_WORDS = frozenset(p.rsplit(".", 1)[1] for p in JIT_API_PATHS) | SAVE_METHOD_NAMES
#: nn.Module methods that return ``self``.
RETURNS_SELF = {"eval", "train", "to", "cpu", "cuda", "float", "double", "half", "bfloat16", "requires_grad_",
                "share_memory", "type", "apply", "xpu", "ipu", "mtia", "to_empty"}
MODULE_BASES = {"torch.nn.Module", "torch.nn.modules.module.Module", "torch.jit.ScriptModule"}


@dataclass(frozen=True)
class _Words:
    words: tuple[str, ...]
    pattern: re.Pattern[str]    # any of them, as a whole word


#: (words, function text) -> whether the text spells one of the words as a whole word.
#: An edit runs the checks on every function of the file again, and all but one are as before.
_SPELLED: dict[tuple[tuple[str, ...], str], bool] = {}
_SPELLED_KEPT = 2048


def _spells(words: _Words, text: str) -> bool:
    key = (words.words, text)
    found = _SPELLED.get(key)
    if found is None:
        if len(_SPELLED) >= _SPELLED_KEPT:
            _SPELLED.clear()
        # A word in the text at all first (a substring search is ~5x faster than the pattern).
        found = any(w in text for w in words.words) and words.pattern.search(text) is not None
        _SPELLED[key] = found
    return found


@dataclass(frozen=True, eq=False)
class InstanceValue:
    """An instance of a class seen in source."""

    instance: StaticInstance
    cls: ClassRef | None           # its class, when defined in source we read
    made_at: ast.AST               # the expression that made it

    @property
    def class_name(self) -> str:
        return self.instance.cls.__name__


@dataclass(frozen=True, eq=False)
class ScriptFunctionValue:
    """``torch.jit.script(f)`` or an ``@torch.jit.script`` function."""

    ref: FunctionRef
    made_at: ast.AST | None


@dataclass(frozen=True, eq=False)
class ClassObjectValue:
    ref: ClassRef


@dataclass(frozen=True, eq=False)
class FunctionObjectValue:
    ref: FunctionRef


@dataclass(frozen=True, eq=False)
class ModuleValue:
    """A module bound by an ``import`` inside a function."""

    path: str


@dataclass(frozen=True, eq=False)
class LiteralValue:
    """A constant (a path string, a number)."""

    value: Any


@dataclass(frozen=True, eq=False)
class BufferValue:
    """A file-like object (``io.BytesIO()``, ``open(...)``)."""


Value = (InstanceValue | ScriptFunctionValue | ClassObjectValue | FunctionObjectValue | ModuleValue | LiteralValue
         | BufferValue | None)


@dataclass(eq=False)
class CallSite:
    """One call in plain Python code, with what its parts were when it ran."""

    node: ast.Call
    path: str | None                    # dotted path of the callee ("torch.jit.save"), when it is one
    callee: Value                       # the callee's value (a ScriptFunctionValue, a ClassObjectValue...)
    receiver: Value                     # for ``x.method(...)``: x
    method: str | None                  # for ``x.method(...)``: "method"
    args: list[Value]
    kwargs: dict[str, Value]
    function: ast.AST | None            # the function it is in (None: module level)

    def argument(self, index: int, name: str) -> tuple[Value, ast.expr | None]:
        """The value and expression of a parameter passed positionally or by keyword."""
        if index < len(self.node.args) and not any(isinstance(a, ast.Starred) for a in self.node.args[:index + 1]):
            return self.args[index], self.node.args[index]
        for kw in self.node.keywords:
            if kw.arg == name:
                return self.kwargs.get(name), kw.value
        return None, None


_UNKNOWN_MARK = object()


class _Env:
    """Names bound in one scope; ``None`` values are known-unknown and shadow outer scopes."""

    def __init__(self, parent: _Env | None = None, values: dict[str, Value] | None = None) -> None:
        self.parent = parent
        self.values: dict[str, Value] = dict(values or {})

    def copy(self) -> _Env:
        return _Env(self.parent, self.values)

    def lookup(self, name: str) -> Any:
        env: _Env | None = self
        while env is not None:
            if name in env.values:
                return env.values[name]
            env = env.parent
        return _UNKNOWN_MARK

    def merge(self, others: Iterable[_Env]) -> None:
        """Keep what every path agrees on; the rest becomes unknown."""
        others = list(others)
        names = set(self.values)
        for o in others:
            names |= set(o.values)
        merged: dict[str, Value] = {}
        for name in names:
            first = others[0].values.get(name, _UNKNOWN_MARK) if others else self.values.get(name, _UNKNOWN_MARK)
            same = all(o.values.get(name, _UNKNOWN_MARK) is first for o in others)
            merged[name] = first if same and first is not _UNKNOWN_MARK else None
        self.values = merged


class PlainFlow:
    """Runs the abstract interpreter over one module; ``calls`` lists every call site."""

    def __init__(self, scope: ModuleScope, tree: ast.Module | None, *, jit_calls_only: bool = False) -> None:
        self.scope = scope
        self.tree = tree
        # Skip the functions that cannot make a call to the jit API or a scripted
        # function (all the checks look at): most of a large file.
        self.jit_calls_only = jit_calls_only
        self.calls: list[CallSite] = []
        self.module_env = _Env()
        self._function: ast.AST | None = None
        self._classes: dict[int, StaticClass | None] = {}

    def run(self) -> PlainFlow:
        if self.tree is None:
            return self
        self._block(self.tree.body, self.module_env)
        relevant = self._relevant_words() if self.jit_calls_only else None
        lines = self.scope.source.lines
        for node in function_definitions(self.tree):
            # A function that spells none of the names such a call needs has none.
            if relevant is None or _spells(relevant, "\n".join(lines[node.lineno - 1: node.end_lineno or node.lineno])):
                self._run_function(node)
        return self

    def is_jit_call(self, site: CallSite) -> bool:
        """Whether ``site`` calls the jit API (script, trace, freeze, save...), saves
        through a method, or calls a scripted function: what ``jit_calls_only`` keeps."""
        return site.path in JIT_API_PATHS or site.method in SAVE_METHOD_NAMES or \
            isinstance(site.callee, ScriptFunctionValue)

    def _relevant_words(self) -> _Words:
        """The words a function must spell to make a call the checks look at:
        the jit API's names and whatever names a scripted function here."""
        words = set(JIT_API_WORDS)
        for name in self.scope.names():
            binding = self.scope.binding_node(name)
            if isinstance(binding, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(self.scope.dotted_name(d) in SCRIPT for d in binding.decorator_list):
                    words.add(name)
            elif isinstance(binding, ast.alias):
                ref = self.scope.lookup(name)
                if isinstance(ref, FunctionRef) and set(ref.decorators) & SCRIPT:
                    words.add(name)
                elif isinstance(ref, ModuleRef) and not ref.scope.module_name.startswith("torch"):
                    words.add(name)  # a module of the user's: its scripted functions are reached as name.f
        words.update(n for n, v in self.module_env.values.items() if isinstance(v, ScriptFunctionValue))
        ordered = tuple(sorted(words))
        return _Words(ordered, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ordered) + r")\b"))

    def _run_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        env = _Env(self.module_env)
        args = node.args
        for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if a is not None:
                env.values[a.arg] = None
        outer, self._function = self._function, node
        try:
            self._block(node.body, env)
        finally:
            self._function = outer

    # --- statements -------------------------------------------------------------------

    def _block(self, stmts: list[ast.stmt], env: _Env) -> None:
        for s in stmts:
            self._statement(s, env)

    def _statement(self, s: ast.stmt, env: _Env) -> None:
        if isinstance(s, ast.Assign):
            value = self.evaluate(s.value, env)
            for target in s.targets:
                self._bind(target, value, env)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self._bind(s.target, self.evaluate(s.value, env), env)
        elif isinstance(s, ast.AugAssign):
            self.evaluate(s.value, env)
            self._bind(s.target, None, env)
        elif isinstance(s, (ast.Expr, ast.Return)):
            if s.value is not None:
                self.evaluate(s.value, env)
        elif isinstance(s, ast.If):
            self.evaluate(s.test, env)
            body, orelse = env.copy(), env.copy()
            self._block(s.body, body)
            self._block(s.orelse, orelse)
            env.merge([body, orelse])
        elif isinstance(s, (ast.For, ast.AsyncFor, ast.While)):
            if isinstance(s, ast.While):
                self.evaluate(s.test, env)
            else:
                self.evaluate(s.iter, env)
            assigned = _assigned_names([*s.body, *s.orelse]) | (
                _target_names(s.target) if not isinstance(s, ast.While) else set())
            for name in assigned:
                env.values[name] = None
            body = env.copy()
            self._block(s.body, body)
            self._block(s.orelse, body)
            for name in assigned:
                env.values[name] = None
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            for item in s.items:
                self.evaluate(item.context_expr, env)
                if item.optional_vars is not None:
                    self._bind(item.optional_vars, None, env)
            self._block(s.body, env)
        elif isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
            start = env.copy()
            body = env.copy()
            self._block(s.body, body)
            self._block(s.orelse, body)
            paths = [body]
            for handler in s.handlers:
                h = start.copy()
                if handler.name:
                    h.values[handler.name] = None
                self._block(handler.body, h)
                paths.append(h)
            env.merge(paths)
            self._block(s.finalbody, env)
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for d in s.decorator_list:
                self.evaluate(d, env)
            if env is self.module_env:
                env.values.pop(s.name, None)  # the module scope resolves it statically
            else:
                env.values[s.name] = None
        elif isinstance(s, ast.Delete):
            for t in s.targets:
                if isinstance(t, ast.Name):
                    env.values[t.id] = None
                else:
                    self.evaluate(t, env)
        elif isinstance(s, (ast.Import, ast.ImportFrom)):
            if env is not self.module_env:
                for alias in s.names:
                    if isinstance(s, ast.Import):
                        bound = alias.asname or alias.name.split(".")[0]
                        path = alias.name if alias.asname else alias.name.split(".")[0]
                    else:
                        bound = alias.asname or alias.name
                        base = self.scope.absolute_module(s.module, s.level)
                        path = f"{base}.{alias.name}" if base else alias.name
                    env.values[bound] = ModuleValue(path)
        elif isinstance(s, ast.Match):
            self.evaluate(s.subject, env)
            for name in _assigned_names([s]):
                env.values[name] = None
        else:
            for child in ast.iter_child_nodes(s):
                if isinstance(child, ast.expr):
                    self.evaluate(child, env)

    def _bind(self, target: ast.expr, value: Value, env: _Env) -> None:
        if isinstance(target, ast.Name):
            env.values[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._bind(elt.value if isinstance(elt, ast.Starred) else elt, None, env)
        else:
            # self.x = ..., d[k] = ...: evaluate the parts for their calls.
            for child in ast.iter_child_nodes(target):
                if isinstance(child, ast.expr):
                    self.evaluate(child, env)

    # --- expressions ------------------------------------------------------------------------

    def evaluate(self, expr: ast.expr | None, env: _Env) -> Value:
        if expr is None:
            return None
        if isinstance(expr, ast.Call):
            return self._call(expr, env)
        if isinstance(expr, ast.Name):
            return self._name(expr.id, env)
        if isinstance(expr, ast.Constant):
            return LiteralValue(expr.value)
        if isinstance(expr, ast.JoinedStr):
            for v in expr.values:
                self.evaluate(v, env)
            return LiteralValue("")
        if isinstance(expr, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return None  # own scopes; their calls are not tracked
        if isinstance(expr, ast.NamedExpr):
            value = self.evaluate(expr.value, env)
            self._bind(expr.target, value, env)
            return value
        for child in ast.iter_child_nodes(expr):
            if isinstance(child, ast.expr):
                self.evaluate(child, env)
            elif isinstance(child, ast.keyword):
                self.evaluate(child.value, env)
        return None

    def _name(self, name: str, env: _Env) -> Value:
        found = env.lookup(name)
        if found is not _UNKNOWN_MARK:
            return found
        return self._from_ref(self.scope.lookup(name))

    def _from_ref(self, ref: Ref | None) -> Value:
        if isinstance(ref, FunctionRef):
            if set(ref.decorators) & SCRIPT:
                return ScriptFunctionValue(ref, None)
            return FunctionObjectValue(ref)
        if isinstance(ref, ClassRef):
            return ClassObjectValue(ref)
        return None

    def path_of(self, expr: ast.expr, env: _Env) -> str | None:
        """The dotted path a callee expression names (``torch.jit.save``), or None."""
        if isinstance(expr, ast.Name):
            found = env.lookup(expr.id)
            if found is not _UNKNOWN_MARK:
                return found.path if isinstance(found, ModuleValue) else None
            ref = self.scope.lookup(expr.id)
            if isinstance(ref, (ExternalRef, ModuleRef)) or _in_torch(ref):
                return ref_path(ref)
            return None
        if isinstance(expr, ast.Attribute):
            base = self.path_of(expr.value, env)
            return f"{base}.{expr.attr}" if base else None
        return None

    def _call(self, node: ast.Call, env: _Env) -> Value:
        func = node.func
        receiver: Value = None
        method = None
        path = self.path_of(func, env)
        callee: Value = None
        if path is None:
            if isinstance(func, ast.Attribute):
                receiver = self.evaluate(func.value, env)
                method = func.attr
            else:
                callee = self.evaluate(func, env)
        args = [self.evaluate(a.value if isinstance(a, ast.Starred) else a, env) for a in node.args]
        kwargs = {}
        for kw in node.keywords:
            value = self.evaluate(kw.value, env)
            if kw.arg is not None:
                kwargs[kw.arg] = value
        site = CallSite(node, path, callee, receiver, method, args, kwargs, self._function)
        self.calls.append(site)
        return self._result(site)

    def _result(self, site: CallSite) -> Value:
        path = site.path
        first = site.args[0] if site.args else None
        if path is not None:
            if path in SCRIPT:
                return self._scripted(first, site.node)
            if path in TRACE:
                if isinstance(first, InstanceValue) and first.instance.cls.role == "module":
                    return InstanceValue(StaticInstance(first.instance.cls, "traced"), first.cls, site.node)
                return None
            if path in FREEZE or path in OPTIMIZE:
                if isinstance(first, InstanceValue) and first.instance.is_script_module:
                    return first
                return None
            if path in LOAD:
                return InstanceValue(StaticInstance(_LOADED, "scripted"), None, site.node)
            if path.startswith("torch.classes.") and path.count(".") >= 3:
                name = path.rsplit(".", 1)[1]
                qualified = "__torch__." + path
                return InstanceValue(StaticInstance(StaticClass(name, qualified, role="custom_class")), None, site.node)
            if path in ("io.BytesIO", "builtins.open", "io.open", "io.BufferedWriter"):
                return BufferValue()
            static = _torch_module_class(path)
            if static is not None:
                return InstanceValue(StaticInstance(static, "eager"), None, site.node)
            return None
        if isinstance(site.callee, ClassObjectValue):
            static = self.static_class(site.callee.ref)
            if static is not None:
                return InstanceValue(StaticInstance(static, "eager"), site.callee.ref, site.node)
            return None
        if site.method in RETURNS_SELF and isinstance(site.receiver, InstanceValue) \
                and site.receiver.instance.cls.role == "module":
            return site.receiver
        return None

    def _scripted(self, value: Value, node: ast.Call) -> Value:
        if isinstance(value, (FunctionObjectValue, ScriptFunctionValue)):
            return ScriptFunctionValue(value.ref, node)
        if isinstance(value, InstanceValue):
            if value.instance.origin != "eager" or value.instance.cls.role == "custom_class":
                return value
            return InstanceValue(StaticInstance(value.instance.cls, "scripted"), value.cls, node)
        if isinstance(value, ClassObjectValue):
            return value  # torch.jit.script(SomeClass) returns the class
        return None

    def static_class(self, ref: ClassRef) -> StaticClass | None:
        """The stand-in of a class defined in source, with the role torch gives it."""
        key = id(ref.node)
        if key in self._classes:
            return self._classes[key]
        role = self._role(ref, set())
        static = None if role is None else StaticClass(ref.name, ref.qualname, role=role,
                                                       module=ref.scope.module_name)
        self._classes[key] = static
        return static

    def _role(self, ref: ClassRef, seen: set[int]) -> str | None:
        if id(ref.node) in seen:
            return "plain"
        seen.add(id(ref.node))
        decorators = set(ref.decorators)
        for base in ref.node.bases:
            target = ref.scope.evaluate(base)
            path = ref_path(target)
            if path in MODULE_BASES or _torch_module_class(path) is not None:
                return "module"
            if path in ("typing.NamedTuple", "enum.Enum", "enum.IntEnum", "torch.autograd.Function",
                        "torch.autograd.function.Function") or path.startswith("builtins."):
                return None
            if isinstance(target, ClassRef):
                inherited = self._role(target, seen)
                if inherited in ("module", None):
                    return inherited
        if decorators & SCRIPT:
            return "script_class"
        return "plain"


def _torch_module_class(path: str) -> StaticClass | None:
    """``torch.nn.Linear`` and friends: library nn.Module classes."""
    parts = path.split(".")
    if len(parts) < 3 or parts[:2] != ["torch", "nn"] or parts[2] in ("functional", "init", "utils", "parameter"):
        return None
    name = parts[-1]
    if not name[:1].isupper() or name in ("Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer"):
        return None
    return StaticClass(name, name, role="module", module=".".join(parts[:-1]))


_LOADED = StaticClass("RecursiveScriptModule", "torch.jit.RecursiveScriptModule", role="module", module="torch.jit")


def _target_names(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _assigned_names(stmts: Iterable[ast.AST]) -> set[str]:
    """Names a block may bind (not inside nested definitions)."""
    names: set[str] = set()
    stack = list(stmts)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        stack.extend(ast.iter_child_nodes(node))
    return names


def class_attributes(ref: ClassRef) -> set[str] | None:
    """Attribute names instances of a source class have: ``self.x = ...`` in any
    method, class-level assignments and methods. ``None`` when that cannot be
    known (a base class other than ``object``, ``__getattr__``, ``__slots__``
    tricks, ``setattr``)."""
    names: set[str] = set()
    for base in ref.node.bases:
        if ref_path(ref.scope.evaluate(base)) not in ("builtins.object",):
            return None
    for stmt in ref.node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if stmt.name in ("__getattr__", "__getattribute__"):
                return None
            names.add(stmt.name)
            for node in ast.walk(stmt):
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                        and isinstance(node.value, ast.Name) and node.value.id == "self":
                    names.add(node.attr)
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                    return None
        elif isinstance(stmt, ast.Assign):
            names |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            if stmt.target.id == "__slots__":
                return None
            names.add(stmt.target.id)
    return names


def init_attributes(ref: ClassRef) -> list[str]:
    """The attributes TorchScript gives a script class: ``self.x`` assigned in
    ``__init__``, in order (torch infers them there)."""
    out: list[str] = []
    for stmt in ref.node.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__":
            for node in ast.walk(stmt):
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                        and isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr not in out:
                    out.append(node.attr)
    return out


def _in_torch(ref: Ref | None) -> bool:
    """A function or class of torch's own library (read from its source): known by its path, as
    an external one is (``torch.jit.freeze`` is ``torch.jit._freeze.freeze`` there)."""
    return isinstance(ref, (FunctionRef, ClassRef)) and ref.scope.module_name.split(".")[0] == "torch"
