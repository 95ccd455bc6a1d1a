"""Running code over abstract values: function bodies, statements and expressions.

:class:`Evaluator` is the half of :class:`~.interpreter.Interpreter` that
executes: binding arguments, statements (``if`` on an unknown condition takes
the branch that does not raise, the ``if`` branch when neither does; loops
are bounded by the budget), expressions, operators and comparisons on known
values, truthiness and iteration. It relies on the interpreter's other half
for names (``lookup``, ``ref_value``, ``decorator_paths``), attributes
(``get_attr``, ``set_attr``), calls (``call``, ``call_external``), classes
(``class_lookup``, ``container_kind``) and the budget (``tick``).
"""

from __future__ import annotations

import ast
import operator
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...exceptions import PyjitError
from ...ir import types as T
from ..pyworld import ModuleScope, PyWorld, Ref
from .abstract_values import (
    MAX_DEPTH,
    MAX_LEN,
    MAX_LOOP,
    MISSING,
    ClassObj,
    ExceptionObj,
    ExternalObj,
    Frame,
    Instance,
    InterpretError,
    ModuleInstance,
    Native,
    NativeClass,
    OutOfBudget,
    PyFunction,
    RangeObj,
    SuperObj,
    TensorValue,
    Unknown,
    hashable,
    is_number,
    operable,
)
from .native_builtins import EXCEPTION_CLASSES, exception_is_a
from .native_module import torch_library_role


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Unrepresentable(PyjitError):
    """An intermediate the interpreter cannot represent (``*unknown``): the enclosing value is unknown."""


#: Evaluator.eval's dispatch: (evaluator class, ast class) -> the eval_<ast class> function or None.
_EVAL_METHODS: dict[tuple[type, type], Any] = {}
_UNRESOLVED = object()


@dataclass(frozen=True)
class Guess:
    """A condition the interpreter could not evaluate, and took a branch of anyway (see ``guess_branch``)."""

    scope: ModuleScope
    test: ast.expr

    def describe(self) -> str:
        return f"`{ast.unparse(self.test)}` at {os.path.basename(self.scope.source.path)}:{self.test.lineno}"


class Evaluator:
    """Runs function bodies, statements and expressions for the :class:`~.interpreter.Interpreter`."""

    # The Interpreter mixes this class in and provides these.
    depth: int
    world: PyWorld
    guesses: list[Guess]

    def note_guess(self, scope: ModuleScope, test: ast.expr) -> None:
        """Remember a condition taken without knowing its value, unless it is torch's own code:
        torch's layers test what pyjit leaves unknown (``has_torch_function(tensor)`` in
        ``nn.init``) without it changing what they hold."""
        name = scope.module_name
        if name != "torch" and not name.startswith("torch."):
            self.guesses.append(Guess(scope, test))

    if TYPE_CHECKING:
        def tick(self) -> None: ...
        def lookup(self, name: str, frame: Frame, node: ast.AST | None = None) -> Any: ...
        def ref_value(self, ref: Ref | None) -> Any: ...
        def container_kind(self, cls: Any) -> str | None: ...
        def class_lookup(self, cls: Any, name: str, *, after: Any = None) -> Any: ...
        def get_attr(self, obj: Any, name: str, node: ast.AST | None) -> Any: ...
        def set_attr(self, obj: Any, name: str, value: Any, node: ast.AST | None) -> None: ...
        def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None) -> Any: ...
        def call_external(self, path: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None) -> Any: ...
        def decorator_paths(self, node: ast.FunctionDef | ast.ClassDef, scope: ModuleScope) -> tuple[str, ...]: ...

    # --- running functions ----------------------------------------------------------------------

    _current_scope: ModuleScope | None = None
    #: While a construction site is built: every function node run (what the build read of
    #: function bodies, see frontend/build_reuse.py); None otherwise.
    ran: set[ast.AST] | None = None

    def run_function(self, fn: PyFunction, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None) -> Any:
        if self.depth > MAX_DEPTH:
            return Unknown(f"call to {fn.name} (too deep)")
        library = torch_library_role(fn.scope.module_name)
        if library == "init":
            return args[0] if args else None
        if library == "opaque":
            return self.call_external(f"{fn.scope.module_name}.{fn.qualname}", args, kwargs, node)
        if self.ran is not None:
            self.ran.add(fn.node)
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
        for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=False):
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
                cond = self.guess_branch(s.body, s.orelse, frame)
                self.note_guess(frame.scope, s.test)
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
                    if isinstance(container, (list, dict)) and hashable(key):
                        try:
                            del container[key]
                        except (KeyError, IndexError, TypeError):
                            pass
        elif isinstance(s, ast.ClassDef):
            frame.locals[s.name] = Unknown(f"local class {s.name}")
        else:
            pass  # match, async constructs: no effect modelled

    def guess_branch(self, body: list[ast.stmt], orelse: list[ast.stmt], frame: Frame | None = None) -> bool:
        """The branch taken when the condition is unknown: the one that does not raise, else ``if`` --
        but not an ``if`` with no ``else`` that only rebinds unknown names: it would make up what
        they are (``if isinstance(features, Tensor): features = OrderedDict(...)`` on a forward
        pass pyjit cannot run, in torchvision's ``retrieve_out_channels``)."""
        if _raises(body) and not _raises(orelse):
            return False
        only_rebinds_unknowns = not orelse and frame is not None and bool(body) and all(
            isinstance(st, ast.Assign) and all(
                isinstance(t, ast.Name) and isinstance(frame.locals.get(t.id), Unknown) for t in st.targets)
            for st in body)
        return not only_rebinds_unknowns

    def exec_aug_assign(self, s: ast.AugAssign, frame: Frame) -> None:
        target = s.target
        current = self.eval(target, frame)
        rhs = self.eval(s.value, frame)
        if isinstance(current, ModuleInstance) and isinstance(s.op, ast.Add):
            method = self.class_lookup(current.cls, "__iadd__")
            if method is not MISSING:
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
            if count > MAX_LOOP:
                raise OutOfBudget()
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
            if cond is None:
                self.note_guess(frame.scope, s.test)
            if not cond:      # False, or unknown: stop
                break
            count += 1
            if count > MAX_LOOP:
                raise OutOfBudget()
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
        if isinstance(exc, NativeClass) and exc.name in EXCEPTION_CLASSES:
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
                if cname in ("Exception", "BaseException", e.type_name) or exception_is_a(e.type_name, cname):
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
                for e, v in zip(target.elts[:i], head, strict=False):
                    self.assign(e, v, frame)
                self.assign(target.elts[i].value, list(mid), frame)  # type: ignore[attr-defined]
                for e, v in zip(target.elts[i + 1:], tail, strict=False):
                    self.assign(e, v, frame)
                return
            if len(items) != len(target.elts):
                raise InterpretError("ValueError", f"expected {len(target.elts)} values to unpack, got {len(items)}",
                                     target)
            for e, v in zip(target.elts, items, strict=False):
                self.assign(e, v, frame)
        elif isinstance(target, ast.Subscript):
            container = self.eval(target.value, frame)
            key = self.eval(target.slice, frame)
            if isinstance(container, ModuleInstance):
                method = self.class_lookup(container.cls, "__setitem__")
                if method is not MISSING:
                    self.call(method, [container, key, value], {}, target)
                return
            if isinstance(container, dict) and hashable(key) and not isinstance(key, Unknown):
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
        # (type(self), type(e)) -> the class's eval_<node class> function: a builder runs this
        # hundreds of thousands of times, and getattr by a built name was a tenth of it.
        kind = type(e)
        method = _EVAL_METHODS.get((type(self), kind), _UNRESOLVED)
        if method is _UNRESOLVED:
            method = _EVAL_METHODS[type(self), kind] = getattr(type(self), "eval_" + kind.__name__, None)
        if method is None:
            return Unknown(kind.__name__)
        return method(self, e, frame)

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
            self.note_guess(frame.scope, e.test)
        return self.eval(e.body if cond else e.orelse, frame)

    def eval_Tuple(self, e: ast.Tuple, frame: Frame) -> Any:
        try:
            return tuple(self.eval_elements(e.elts, frame))
        except Unrepresentable:
            return Unknown("tuple with unknown items")

    def eval_List(self, e: ast.List, frame: Frame) -> Any:
        try:
            return self.eval_elements(e.elts, frame)
        except Unrepresentable:
            return Unknown("list with unknown items")

    def eval_Set(self, e: ast.Set, frame: Frame) -> Any:
        try:
            items = self.eval_elements(e.elts, frame)
        except Unrepresentable:
            return Unknown("set with unknown items")
        if all(hashable(i) for i in items):
            return set(items)
        return Unknown("set")

    def eval_elements(self, elts: list[ast.expr], frame: Frame) -> list[Any]:
        out: list[Any] = []
        for el in elts:
            if isinstance(el, ast.Starred):
                items = self.iterate(self.eval(el.value, frame), el)
                if items is None:
                    raise Unrepresentable()
                out.extend(items)
            else:
                out.append(self.eval(el, frame))
        return out

    def eval_Dict(self, e: ast.Dict, frame: Frame) -> Any:
        out: dict[Any, Any] = {}
        for k, v in zip(e.keys, e.values, strict=False):
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
            if not hashable(key) or isinstance(key, Unknown):
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
            if method is not MISSING:
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
        except Unrepresentable:
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
                    raise Unrepresentable()
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
                    raise Unrepresentable()
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
        if not is_number(v):
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
        if not operable(left) or not operable(right):
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
        for op, comp in zip(e.ops, e.comparators, strict=False):
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
            if not operable(left) or not operable(right):
                same = _identity(left, right)
                if same is None:
                    return Unknown("==", T.Bool)
                return same if isinstance(op, ast.Eq) else not same
            if _contains_unknown(left) or _contains_unknown(right):
                return Unknown("==", T.Bool)
            return (left == right) if isinstance(op, ast.Eq) else (left != right)
        if isinstance(left, Unknown) or isinstance(right, Unknown) or not operable(left) or not operable(right):
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
                raise Unrepresentable()
            for count, item in enumerate(items):
                if count > MAX_LOOP:
                    raise OutOfBudget()
                self.assign(gen.target, item, inner)
                conds = [self.truth(self.eval(c, inner)) for c in gen.ifs]
                if any(c is None for c in conds):
                    raise Unrepresentable()
                if all(conds):
                    loop(i + 1)

        loop(0)

    def eval_ListComp(self, e: ast.ListComp, frame: Frame) -> Any:
        out: list[Any] = []
        try:
            self._comprehension(e.generators, frame, lambda f: out.append(self.eval(e.elt, f)))
        except Unrepresentable:
            return Unknown("list comprehension")
        return out

    eval_GeneratorExp = eval_ListComp

    def eval_SetComp(self, e: ast.SetComp, frame: Frame) -> Any:
        items = self.eval_ListComp(e, frame)  # type: ignore[arg-type]
        if isinstance(items, list) and all(hashable(i) for i in items):
            return set(items)
        return Unknown("set comprehension")

    def eval_DictComp(self, e: ast.DictComp, frame: Frame) -> Any:
        out: dict[Any, Any] = {}

        def emit(f: Frame) -> None:
            k = self.eval(e.key, f)
            if not hashable(k) or isinstance(k, Unknown):
                raise Unrepresentable()
            out[k] = self.eval(e.value, f)

        try:
            self._comprehension(e.generators, frame, emit)
        except Unrepresentable:
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
        if isinstance(v, RangeObj):
            return list(v.r)
        return None


def _raises(stmts: list[ast.stmt]) -> bool:
    return any(isinstance(s, ast.Raise) for s in stmts)


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
                return len(seq) * max(n, 0) <= MAX_LEN
    if op is operator.pow and isinstance(left, int) and isinstance(right, int):
        return abs(right) <= 4096
    if op is operator.lshift and isinstance(right, int):
        return right <= 4096
    if op is operator.add and isinstance(left, (list, tuple, str)) and isinstance(right, (list, tuple, str)):
        return len(left) + len(right) <= MAX_LEN
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
