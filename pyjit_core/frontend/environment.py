"""Variable scopes while emitting a function. torch: ``Environment`` in ir_emitter.cpp.

First-class variables are written as ``prim::Store[name=x]`` and read as
``prim::Load[name=x]``; ConvertToSSA later turns them into SSA values and
block arguments. Sugared values (modules, functions...) live in a separate
table and never reach the graph.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..ir import types as T
from ..ir.graph import Block, Value
from ..ir.source_range import SourceRange
from ..ir.symbols import kinds
from .errors import CompileError, Poisoned, Related
from .sugared import PoisonValue, SimpleValue, SugaredValue

if TYPE_CHECKING:
    from .emitter.base import EmitterBase


def meaningful_name(name: str) -> bool:
    """torch: meaningfulName -- ``$tmp`` and ``_123`` names are not kept."""
    if not name or name[0] == "$":
        return False
    if name[0] != "_":
        return True
    return not name[1:].isdigit()


class Environment:
    def __init__(self, emitter: EmitterBase, block: Block, next: Environment | None = None) -> None:
        self.emitter = emitter
        self.block = block
        self.next = next
        self.type_table: dict[str, T.JitType] = {}
        self.value_table: dict[str, SugaredValue] = {}
        # Deferred errors for variables whose definition failed ("x is not
        # defined in the false branch"); only the root environment holds them.
        self.error_messages: dict[str, Callable[[], CompileError]] = {}

    @property
    def graph(self):
        return self.emitter.graph

    def _root(self) -> Environment:
        env = self
        while env.next is not None:
            env = env.next
        return env

    def set_variable_type_error(self, name: str, make_error: Callable[[], CompileError]) -> None:
        self._root().error_messages[name] = make_error

    def find_variable_type_error(self, name: str) -> CompileError | None:
        make = self._root().error_messages.get(name)
        return make() if make is not None else None

    def insert_load(self, name: str, type: T.JitType) -> SugaredValue:
        g = self.emitter.graph
        load = g.insert_node(g.create(kinds.Load))
        load.s_("name", name)
        out = load.output()
        out.type = type
        if meaningful_name(name):
            out.set_debug_name(name)
        return SimpleValue(out)

    def insert_store(self, name: str, loc: SourceRange | None, v: Value, type: T.JitType) -> None:
        g = self.graph
        store = g.insert_node(g.create(kinds.Store, [v], 0))
        store.s_("name", name)
        store.set_source_range(loc)
        self.type_table[name] = type

    def find_in_this_frame(self, name: str) -> SugaredValue | None:
        found = self.value_table.get(name)
        if found is not None:
            return found
        t = self.type_table.get(name)
        if t is not None:
            return self.insert_load(name, t)
        return None

    def find_in_parent_frame(self, name: str) -> SugaredValue | None:
        return self.next.find_in_any_frame(name) if self.next is not None else None

    def find_in_any_frame(self, name: str) -> SugaredValue | None:
        env: Environment | None = self
        while env is not None:
            found = env.find_in_this_frame(name)
            if found is not None:
                return found
            env = env.next
        return None

    def find_type_in_any_frame(self, name: str) -> T.JitType | None:
        env: Environment | None = self
        while env is not None:
            if name in env.type_table:
                return env.type_table[name]
            env = env.next
        return None

    def set_type(self, name: str, type: T.JitType) -> None:
        self.type_table[name] = type

    def set_var(self, loc: SourceRange | None, name: str, value: Value) -> None:
        self.set_sugared_var(loc, name, SimpleValue(value), None)

    def set_sugared_var(self, loc: SourceRange | None, name: str, value: SugaredValue,
                        annotated_type: T.JitType | None) -> None:
        if isinstance(value, PoisonValue):
            # `y = poisoned.view(-1)`: a poisoned value's attributes and calls are poisoned too. Binding
            # it here would heal `y`, and leave it undefined once this block's frame is popped.
            raise Poisoned()
        simple = value.value if isinstance(value, SimpleValue) else None
        if (simple is not None and not simple.has_debug_name() and meaningful_name(name)
                and simple.node.owning_block is self.block):
            simple.set_debug_name(name)
        parent = self.find_in_parent_frame(name)

        if isinstance(parent, PoisonValue) or isinstance(self.value_table.get(name), PoisonValue):
            # Assigning a poisoned name heals it (its earlier definition failed).
            env: Environment | None = self
            while env is not None:
                if isinstance(env.value_table.get(name), PoisonValue):
                    del env.value_table[name]
                env = env.next
            parent = self.find_in_parent_frame(name)
        if parent is not None:
            if annotated_type is not None:
                raise CompileError(f"Attempting to declare and annotate the type of variable '{name}' but it is "
                                   "already defined in an outer block", loc)
            if simple is None:
                raise CompileError(f"Cannot re-assign '{name}' to a value of type {value.kind()} because {name} "
                                   "is not a first-class value.  Only reassignments to first-class values are allowed",
                                   loc)
            parent_simple = parent.value if isinstance(parent, SimpleValue) else None
            if parent_simple is None:
                raise CompileError(f"Cannot re-assign '{name}' because it has type {value.kind()} and {name} "
                                   "is not a first-class value.  Only reassignments to first-class values are allowed",
                                   loc)
            parent_type = T.unshaped(parent_simple.type)
            simple = self.emitter.try_convert_to_type(loc, parent_type, simple, allow_conversions=True)
            if not T.is_subtype(simple.type, parent_type):
                message = (f"Variable '{name}' previously had type {parent_simple.type.annotation_str()} but is now "
                           f"being assigned to a value of type {simple.type.annotation_str()}")
                if isinstance(parent_simple.type, T.ListType) and isinstance(simple.type, T.ListType):
                    message += ("\nEmpty lists default to List[Tensor]. Add a variable annotation to the assignment "
                                "to create an empty list of another type (torch.jit.annotate(List[T, []]) where T is "
                                "the type of elements in the list for Python 2)")
                raise CompileError(message, loc, code="PJ220")
        if simple is not None:
            if annotated_type is not None and not T.is_subtype(simple.type, annotated_type):
                raise CompileError(f"Variable '{name}' is annotated with type {annotated_type.annotation_str()} but "
                                   f"is being assigned to a value of type {simple.type.annotation_str()}", loc,
                                   code="PJ220")
            self.insert_store(name, loc, simple, annotated_type if annotated_type is not None else simple.type)
        else:
            self.value_table[name] = value

    def remove_var(self, name: str, range: SourceRange, check_if_removed: bool = False) -> None:
        removed = False
        env: Environment | None = self
        while env is not None:
            a = env.value_table.pop(name, None) is not None
            b = env.type_table.pop(name, None) is not None
            removed = a or b
            env = env.next
        if check_if_removed and not removed:
            self.throw_var_not_found(name, range)

    def defined_variables(self) -> list[str]:
        return list(self.type_table)

    def throw_var_not_found(self, name: str, range: SourceRange):
        deferred = self.find_variable_type_error(name)
        if deferred is not None:
            # torch: "<why> ... and was used here"; the use is related information.
            raise CompileError(deferred.message.rstrip("\n"), deferred.range, code=deferred.code,
                               related=(*deferred.related, Related(range, "and was used here")))
        raise CompileError(f"undefined value {name}", range, code="PJ201")
