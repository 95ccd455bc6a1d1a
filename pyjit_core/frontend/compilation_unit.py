"""Compiled functions and classes: torch's CompilationUnit, GraphFunction, ClassType.

A ``GraphFunction`` is compiled lazily, on first use, exactly once; using it
while it is being compiled is a recursive call (which TorchScript rejects).
Class types are plain names in the IR (``ClassType("__torch__.M")``); what a
class *has* -- attributes, constants, methods, properties -- lives in its
``ClassInfo`` here, as it lives in torch's ClassType object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..exceptions import PyjitError
from ..ir.graph import Graph
from ..ir.types import ClassType, InterfaceType, JitType
from .errors import CompileError

if TYPE_CHECKING:
    from ..schema.model import FunctionSchema


def torch_qualified_name(module_name: str, qualname: str) -> str:
    """torch: _jit_internal._qualified_name (``__main__`` becomes bare ``__torch__``)."""
    if module_name == "__main__":
        return f"__torch__.{qualname}"
    return f"__torch__.{module_name}.{qualname}"


#: The functions being compiled, innermost last (to record dependencies).
_COMPILING: list[GraphFunction] = []


class RecursiveCallError(PyjitError):
    """torch: RecursiveMethodCallError."""


class CalleeFailed(PyjitError):
    """A function this one calls failed to compile (its error is reported there)."""

    def __init__(self, callee: GraphFunction) -> None:
        super().__init__(callee.qualified_name)
        self.callee = callee


class GraphFunction:
    """torch: GraphFunction -- a function or method and its graph."""

    def __init__(self, qualified_name: str, name: str, creator: Callable[[GraphFunction], None],
                 *, owner: ClassInfo | None = None, node: Any = None, source_path: str = "") -> None:
        self.qualified_name = qualified_name
        self.name = name
        self.owner = owner
        self.node = node                  # the ast.FunctionDef, when compiled from source
        self.source_path = source_path
        self.graph = Graph()
        self.schema: FunctionSchema | None = None
        self.error: CompileError | None = None
        # Functions this one needed compiled (callees, methods): what a cached
        # copy of its graph depends on.
        self.deps: list[GraphFunction] = []
        # Custom operators whose results pyjit guessed while compiling this function (custom_ops.py):
        # its failures may come from the guess, so they are warnings (PJ904), never errors.
        self.guesses: list[str] = []
        self._creator: Callable[[GraphFunction], None] | None = creator
        self._state = "pending"

    @property
    def is_defined(self) -> bool:
        return self._state == "defined"

    @property
    def failed(self) -> bool:
        return self._state == "failed"

    def release(self) -> None:
        """Compiling is over: forget the source and how to compile (see Compiler.release)."""
        if self._state != "defined" and self.graph is not None:
            self.graph.dispose()   # what a failed (or never needed) compile left: nothing shows it
            self.graph = None  # type: ignore[assignment]
        self._creator = None
        self.__dict__.pop("_replay", None)
        self.node = None
        self.deps = []
        if "ref" in self.__dict__:
            del self.ref

    def define_from(self, graph, schema, deps: list[GraphFunction]) -> None:
        """Take a graph compiled earlier for the very same source (see FunctionCache)."""
        self.graph.dispose()   # the empty one it was made with
        self.graph, self.schema, self.deps = graph, schema, deps
        self._creator = None
        self._state = "defined"

    def ensure_defined(self) -> None:
        """Compile now if not yet compiled. torch: Function::ensure_defined."""
        caller = _COMPILING[-1] if _COMPILING and _COMPILING[-1] is not self else None
        if caller is not None:
            caller.deps.append(self)
        if self._state == "defined":
            self._pass_guesses_to(caller)
            return
        if self._state == "defining":
            raise RecursiveCallError(self.qualified_name)
        if self._state == "failed":
            replay = self.__dict__.pop("_replay", None)
            if replay is not None:
                raise replay
            raise CalleeFailed(self)
        creator, self._creator = self._creator, None
        self._state = "defining"
        _COMPILING.append(self)
        try:
            assert creator is not None
            creator(self)
        except CompileError as e:
            self.error = e.detach()
            self._state = "failed"
            if self.guesses:
                _as_guess_failures(e, self)
            raise
        except CalleeFailed:
            self._state = "failed"
            raise
        except BaseException:
            self._state = "failed"
            raise
        finally:
            _COMPILING.pop()
        self._state = "defined"
        self._pass_guesses_to(caller)

    def fail_again_with(self, error: BaseException) -> None:
        """Have the next ``ensure_defined`` raise ``error`` itself, as this function's compile
        did, rather than CalleeFailed: a cache that compiled it ahead of its caller (which
        then compiles afresh, and meets it) leaves no trace (see workspace_method_cache)."""
        if self._state == "failed":
            self.__dict__["_replay"] = error

    def _pass_guesses_to(self, caller: GraphFunction | None) -> None:
        """A guessed result reaches the caller through a return type inferred from it
        (no annotation says what the function returns)."""
        if caller is None or not self.guesses or getattr(self.node, "returns", None) is not None:
            return
        caller.guesses.extend(g for g in self.guesses if g not in caller.guesses)

    def __repr__(self) -> str:
        return f"<GraphFunction {self.qualified_name} ({self._state})>"


def _as_guess_failures(error: CompileError, fn: GraphFunction) -> None:
    """The errors of a function that rests on guessed custom operators become PJ904 warnings
    (its own errors: a callee's error met on the way is the callee's)."""
    from ..diagnostics.catalog import CATALOG
    from ..diagnostics.severity import Severity

    ops = ", ".join(f"`{g}`" for g in fn.guesses)
    first = getattr(fn.node, "lineno", None)
    last = getattr(fn.node, "end_lineno", None) or first
    for e in error.all_errors():
        r = e.range
        if first is None or last is None or r is None or r.path != fn.source_path or not first <= r.start_line <= last:
            continue
        rule = CATALOG.get(e.code)
        if rule is None or rule.severity is Severity.ERROR:
            e.code = "PJ904"
            e.message = (f"{e.message.rstrip()}\n(this may come from pyjit's guess that the custom operator {ops}, "
                         "whose schema it cannot read, returns a Tensor)")


@dataclass(eq=False)
class ClassInfo:
    """What a TorchScript class or module type has. torch: ClassType."""

    type: ClassType | InterfaceType
    attributes: dict[str, JitType] = field(default_factory=dict)
    # Attribute kinds for modules: "parameter", "buffer", "module", "attribute".
    attribute_kinds: dict[str, str] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    methods: dict[str, GraphFunction] = field(default_factory=dict)
    properties: dict[str, tuple[GraphFunction, GraphFunction | None]] = field(default_factory=dict)
    # Interfaces only: method name -> schema.
    interface_methods: dict[str, Any] = field(default_factory=dict)
    is_module: bool = False

    @property
    def name(self) -> str:
        return self.type.name

    def find_method(self, name: str) -> GraphFunction | None:
        return self.methods.get(name)

    def has_attribute(self, name: str) -> bool:
        return name in self.attributes

    def add_attribute(self, name: str, type: JitType, kind: str = "attribute") -> None:
        self.attributes[name] = type
        self.attribute_kinds[name] = kind


class CompilationUnit:
    """Every function and class compiled for one analysis. torch: CompilationUnit."""

    def __init__(self) -> None:
        self.functions: dict[str, GraphFunction] = {}
        self.classes: dict[str, ClassInfo] = {}

    def register_function(self, fn: GraphFunction) -> GraphFunction:
        self.functions[fn.qualified_name] = fn
        return fn

    def register_function_overload(self, fn: GraphFunction, index: int) -> GraphFunction:
        """Overloads share a qualified name; torch mangles all but the first."""
        key = fn.qualified_name if index == 0 and fn.qualified_name not in self.functions \
            else f"{fn.qualified_name}#overload{index}"
        self.functions[key] = fn
        return fn

    def find_function(self, qualified_name: str) -> GraphFunction | None:
        return self.functions.get(qualified_name)

    def register_class(self, info: ClassInfo) -> ClassInfo:
        self.classes[info.name] = info
        return info

    def class_info(self, t: JitType) -> ClassInfo | None:
        name = getattr(t, "name", None)
        return self.classes.get(name) if isinstance(name, str) else None
