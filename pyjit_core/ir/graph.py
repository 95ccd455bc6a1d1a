"""Graph, Block, Node, Value and Use: TorchScript's IR, data and mutation only.

torch: torch/csrc/jit/ir/ir.h. The shapes are torch's:

* A ``Graph`` owns one top ``Block``; a node may own nested blocks
  (``prim::If`` has two, ``prim::Loop`` one).
* A ``Block`` is an intrusive doubly-linked list of nodes with its
  ``prim::Return`` node as the sentinel. Its inputs are the outputs of a
  ``prim::Param`` node that is not in the list; its outputs are the inputs
  of the return node.
* A ``Value`` is produced by exactly one node; each of its uses is a
  ``Use(user, offset)`` record with ``user.inputs[offset] is value``.

Printing lives in :mod:`pyjit_core.ir.printer` (``str(graph)`` goes
through it), checking in :mod:`pyjit_core.ir.lint`; nothing here validates
beyond keeping the use lists consistent. A ``prim::PythonOp`` is a
``ConcretePythonOp`` (:mod:`pyjit_core.ir.python_op`), made by its
``create_python_op`` and cloned through :meth:`Node.alloc_new_instance`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .attributes import Attribute, AttributeKind, make_attribute
from .printer import print_graph, print_node
from .source_range import SourceRange
from .symbols import Symbol, kinds
from .types import JitType, TensorType, TupleType


@dataclass(frozen=True, slots=True, eq=False)
class Use:
    """One operand slot: ``user.inputs[offset] is value``. torch: Use."""

    user: Node
    offset: int

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Use) and other.user is self.user and other.offset == self.offset

    def __hash__(self) -> int:
        return hash((id(self.user), self.offset))


# Use(user, offset) without the frozen dataclass's __init__ (which sets each
# field through object.__setattr__): one is built per node input.
_new_object = object.__new__
_set_use_user = vars(Use)["user"].__set__
_set_use_offset = vars(Use)["offset"].__set__


def _use(user: Node, offset: int) -> Use:
    use = _new_object(Use)
    _set_use_user(use, user)
    _set_use_offset(use, offset)
    return use


class Value:
    """An SSA value. torch: Value."""

    __slots__ = ("__weakref__", "_debug_name", "node", "offset", "type", "unique", "uses")

    def __init__(self, node: Node, offset: int, unique: int, type: JitType | None = None) -> None:
        self.node = node
        self.offset = offset
        self.type: JitType = type if type is not None else TensorType.get()
        self.uses: list[Use] = []
        self.unique = unique
        self._debug_name = ""

    # --- naming ---------------------------------------------------------------

    @property
    def owning_graph(self) -> Graph:
        return self.node.graph

    def has_debug_name(self) -> bool:
        return bool(self._debug_name)

    def debug_name(self) -> str:
        """The printed name without ``%``. torch: Value::debugName."""
        return self._debug_name or str(self.unique)

    def debug_name_base(self) -> str:
        """``x`` for ``x.3``. torch: Value::debugNameBase."""
        return _name_base(self.debug_name())[0]

    def set_debug_name(self, name: str) -> Value:
        """Name this value; an older owner of ``name`` becomes ``name.N``.

        torch: Value::setDebugName, including its suffix bookkeeping, so a
        frontend that names values in torch's order gets torch's names.
        """
        if name.isdigit() and name.isascii():   # only the digits 0-9
            raise ValueError(f"Invalid name: '{name}'")
        graph = self.owning_graph
        names = graph.unique_names
        if self._debug_name:
            names.pop(self._debug_name, None)
            self._debug_name = ""
        if not name:
            return self
        old_owner = names.get(name)
        if old_owner is not None:
            base, suffix = _name_base(name)
            known = graph.name_base_suffix.get(base)
            if known is not None:
                suffix = max(suffix, known + 1)
            while True:
                replacement = f"{base}.{suffix}"
                suffix += 1
                if replacement not in names:
                    break
            graph.name_base_suffix[base] = suffix
            old_owner.set_debug_name(replacement)
        names[name] = self
        self._debug_name = name
        return self

    def set_type(self, type: JitType) -> Value:
        self.type = type
        return self

    def copy_metadata(self, other: Value) -> Value:
        """torch: Value::copyMetadata."""
        self.type = other.type
        if other.has_debug_name():
            self.set_debug_name(other.debug_name())
        return self

    # --- uses -----------------------------------------------------------------

    def has_uses(self) -> bool:
        return bool(self.uses)

    def replace_first_use_with(self, other: Value) -> None:
        """torch: Value::replaceFirstUseWith."""
        use = self.uses.pop(0)
        use.user._inputs[use.offset] = other
        other.uses.append(use)

    def replace_all_uses_with(self, other: Value) -> None:
        """Point every use of ``self`` at ``other``. torch: Value::replaceAllUsesWith."""
        while self.uses:
            self.replace_first_use_with(other)

    def replace_all_uses_after_node_with(self, node: Node, other: Value) -> None:
        """torch: Value::replaceAllUsesAfterNodeWith."""
        keep = []
        for use in self.uses:
            if use.user.is_after(node):
                use.user._inputs[use.offset] = other
                other.uses.append(use)
            else:
                keep.append(use)
        self.uses = keep

    def __repr__(self) -> str:
        return f"<Value %{self.debug_name()} : {self.type}>"


def _name_base(name: str) -> tuple[str, int]:
    """Split ``x.3`` into (``x``, 3); a name without a numeric suffix gives 1."""
    dot = name.rfind(".")
    if dot != -1 and dot + 1 != len(name) and name[dot + 1 :].isdigit():
        return name[:dot], int(name[dot + 1 :])
    return name, 1


class Node:
    """An operation. torch: Node."""

    __slots__ = (
        "__weakref__",
        "_blocks",
        "_inputs",
        "_outputs",
        "anchor",
        "attributes",
        "graph",
        "kind",
        "next",
        "operator_info",
        "owning_block",
        "prev",
        "scope",
        "source_range",
    )

    def __init__(self, graph: Graph, kind: Symbol) -> None:
        self.kind = kind
        self.graph = graph
        self._inputs: list[Value] = []
        self._outputs: list[Value] = []
        self._blocks: list[Block] = []
        self.owning_block: Block | None = None
        self.prev: Node | None = None
        self.next: Node | None = None
        self.attributes: dict[str, Attribute] = {}
        self.source_range: SourceRange | None = None
        self.scope = ""
        # Where an editor user points to see this node (set by the frontend).
        self.anchor: Any = None
        # What the frontend read of an operator torch's tables lack (a custom operator), for hovers.
        self.operator_info: Any = None
        graph.live_nodes.add(self)

    # --- structure ------------------------------------------------------------

    # The three accessors below copy, so that a caller may change the node while it iterates.
    # The hottest loops of the passes read ``_inputs``, ``_outputs`` and ``_blocks`` directly
    # instead, only where they change nothing in them (~60,000 copies per check of a large file).
    @property
    def inputs(self) -> tuple[Value, ...]:
        return tuple(self._inputs)

    @property
    def outputs(self) -> tuple[Value, ...]:
        return tuple(self._outputs)

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(self._blocks) if self._blocks else ()

    def subgraphs(self) -> list[Graph]:
        """The graphs held in this node's attributes (``prim::fork``'s body, a
        lifted closure's ``Subgraph``), in attribute order; a parsed graph's
        ``<Graph>`` placeholders are not graphs and are left out."""
        found: list[Graph] = []
        for attribute in self.attributes.values():
            if attribute.kind is AttributeKind.g:
                candidates = [attribute.value]
            elif attribute.kind is AttributeKind.gs:
                candidates = list(attribute.value)
            else:
                continue
            found += [g for g in candidates if isinstance(g, Graph)]
        return found

    def input(self, i: int = 0) -> Value:
        return self._inputs[i]

    def output(self, i: int = 0) -> Value:
        if i == 0 and len(self._outputs) != 1:
            raise ValueError(f"{self.kind} has {len(self._outputs)} outputs, expected exactly one")
        return self._outputs[i]

    @property
    def owning_node(self) -> Node | None:
        return self.owning_block.owning_node if self.owning_block else None

    def is_in_list(self) -> bool:
        return self.next is not None

    # --- inputs ---------------------------------------------------------------

    def add_input(self, value: Value) -> Value:
        """torch: Node::addInput."""
        value.uses.append(_use(self, len(self._inputs)))
        self._inputs.append(value)
        return value

    def insert_input(self, i: int, value: Value) -> Value:
        """torch: Node::insertInput."""
        for j in range(i, len(self._inputs)):
            self._move_use_offset(j, j + 1)
        self._inputs.insert(i, value)
        value.uses.append(_use(self, i))
        return value

    def replace_input(self, i: int, value: Value) -> Value:
        """torch: Node::replaceInput. Returns the old input."""
        old = self._drop_input(i)
        self._inputs[i] = value
        value.uses.append(_use(self, i))
        return old

    def replace_input_with(self, old: Value, new: Value) -> None:
        """torch: Node::replaceInputWith."""
        for i, v in enumerate(self._inputs):
            if v is old:
                self.replace_input(i, new)

    def remove_input(self, i: int) -> None:
        """torch: Node::removeInput."""
        self._drop_input(i)
        for j in range(i + 1, len(self._inputs)):
            self._move_use_offset(j, j - 1)
        del self._inputs[i]

    def remove_all_inputs(self) -> None:
        """torch: Node::removeAllInputs."""
        for i in range(len(self._inputs)):
            self._drop_input(i)
        self._inputs.clear()

    def _drop_input(self, i: int) -> Value:
        value = self._inputs[i]
        for k, use in enumerate(value.uses):
            if use.user is self and use.offset == i:
                del value.uses[k]
                break
        return value

    def _move_use_offset(self, old: int, new: int) -> None:
        value = self._inputs[old]
        for k, use in enumerate(value.uses):
            if use.user is self and use.offset == old:
                value.uses[k] = _use(self, new)
                return

    # --- outputs --------------------------------------------------------------

    def add_output(self, type: JitType | None = None) -> Value:
        """torch: Node::addOutput."""
        graph = self.graph
        unique = graph.next_unique   # (Graph._take_unique, inlined)
        graph.next_unique = unique + 1
        v = Value(self, len(self._outputs), unique, type)
        self._outputs.append(v)
        return v

    def insert_output(self, i: int, type: JitType | None = None) -> Value:
        """torch: Node::insertOutput."""
        v = Value(self, i, self.graph._take_unique(), type)
        self._outputs.insert(i, v)
        for j in range(i + 1, len(self._outputs)):
            self._outputs[j].offset = j
        return v

    def erase_output(self, i: int) -> None:
        """torch: Node::eraseOutput. The output must be unused."""
        v = self._outputs[i]
        if v.uses:
            raise ValueError(f"cannot erase output %{v.debug_name()}: it still has uses")
        self.graph._free_value(v)
        del self._outputs[i]
        for j in range(i, len(self._outputs)):
            self._outputs[j].offset = j

    def permute_inputs(self, new_order: list[int]) -> None:
        """Input ``i`` becomes the old input ``new_order[i]``. torch: Node::permuteInputs."""
        assert sorted(new_order) == list(range(len(self._inputs)))
        old = list(self._inputs)
        # Find every use record first, then renumber them in place, so each
        # value's use list keeps its order.
        renumber: list[tuple[Value, int, int]] = []
        for i, src in enumerate(new_order):
            value = old[src]
            for k, use in enumerate(value.uses):
                if use.user is self and use.offset == src:
                    renumber.append((value, k, i))
                    break
        for value, k, i in renumber:
            value.uses[k] = _use(self, i)
        self._inputs = [old[src] for src in new_order]

    def permute_outputs(self, new_order: list[int]) -> None:
        """Output ``i`` becomes the old output ``new_order[i]``. torch: Node::permuteOutputs."""
        assert sorted(new_order) == list(range(len(self._outputs)))
        self._outputs = [self._outputs[src] for src in new_order]
        for i, v in enumerate(self._outputs):
            v.offset = i

    # --- blocks ---------------------------------------------------------------

    def add_block(self) -> Block:
        """torch: Node::addBlock."""
        b = Block(self.graph, self)
        self._blocks.append(b)
        return b

    def erase_block(self, i: int) -> None:
        """torch: Node::eraseBlock."""
        b = self._blocks.pop(i)
        b.destroy()

    # --- list position ---------------------------------------------------------

    def insert_before(self, n: Node) -> Node:
        """Put ``self`` (not in a list) just before ``n``. torch: Node::insertBefore."""
        if n.prev is None:
            raise ValueError("insert_before: target node is not in a block")
        return self.insert_after(n.prev)

    def insert_after(self, n: Node) -> Node:
        """Put ``self`` (not in a list) just after ``n``. torch: Node::insertAfter."""
        if self.next is not None:   # (is_in_list)
            raise ValueError(f"{self.kind} is already in a block")
        block = n.owning_block
        if block is None:
            raise ValueError("insert_after: target node is not in a block")
        if n is block.param_node:
            # The param node is not in the list: after it means first.
            n = block.return_node
        nxt = n.next
        assert nxt is not None
        self.owning_block = block
        self.prev, self.next = n, nxt
        n.next = self
        nxt.prev = self
        return self

    def move_before(self, n: Node) -> None:
        """torch: Node::moveBefore."""
        self._unlink()
        self.insert_before(n)

    def move_after(self, n: Node) -> None:
        """torch: Node::moveAfter."""
        self._unlink()
        self.insert_after(n)

    def _unlink(self) -> None:
        if self.prev is not None and self.next is not None:
            self.prev.next = self.next
            self.next.prev = self.prev
        self.prev = self.next = None
        self.owning_block = None

    def destroy(self) -> None:
        """Remove from the graph; outputs must be unused. torch: Node::destroy."""
        while self._outputs:
            self.erase_output(len(self._outputs) - 1)
        while self._blocks:
            self.erase_block(len(self._blocks) - 1)
        self.remove_all_inputs()
        if self.is_in_list():
            self._unlink()
        self.graph.live_nodes.discard(self)

    def index_in_block(self) -> int:
        assert self.owning_block is not None
        for i, n in enumerate(self.owning_block.nodes()):
            if n is self:
                return i
        if self is self.owning_block.return_node:
            return 1 << 62
        if self is self.owning_block.param_node:
            return -1
        raise ValueError("node is not in its owning block")

    def is_before(self, other: Node) -> bool:
        """torch: Node::isBefore (both nodes in one graph, possibly nested)."""
        if self is other:
            return False
        # Lift both to their first common block; a node nested inside the
        # other lifts to the same node, which is neither before nor after.
        for na in _ancestry(self):
            for nb in _ancestry(other):
                if na.owning_block is nb.owning_block and na.owning_block is not None:
                    if na is nb:
                        return False
                    return na.index_in_block() < nb.index_in_block()
        raise ValueError("nodes are not in a common block")

    def is_after(self, other: Node) -> bool:
        """torch: Node::isAfter."""
        return other.is_before(self)

    def is_dominated_by(self, dominator: Node) -> bool:
        """torch: Node::isDominatedBy."""
        node: Node | None = self
        while node is not None:
            if node.owning_block is dominator.owning_block:
                return dominator.is_before(node)
            node = node.owning_node
        return False

    # --- attributes -----------------------------------------------------------

    def has_attribute(self, name: str) -> bool:
        return name in self.attributes

    def has_attributes(self) -> bool:
        return bool(self.attributes)

    def attribute_names(self) -> list[str]:
        return list(self.attributes)

    def kind_of(self, name: str) -> AttributeKind:
        return self.attributes[name].kind

    def set_attr(self, name: str, kind: AttributeKind, value: Any) -> Node:
        """Set (or replace, keeping its position) an attribute. torch: Node::setAttr."""
        self.attributes[name] = make_attribute(kind, value)
        return self

    def attr(self, name: str) -> Any:
        return self.attributes[name].value

    def remove_attribute(self, name: str) -> Node:
        del self.attributes[name]
        return self

    def copy_attributes(self, other: Node) -> Node:
        """torch: Node::copyAttributes."""
        self.attributes = dict(other.attributes)
        return self

    def alloc_new_instance(self, graph: Graph) -> Node:
        """An empty node of this node's kind and class in ``graph`` (a
        ``ConcretePythonOp`` makes another). torch: Node::allocNewInstance."""
        return Node(graph, self.kind)

    def clone_from(self, other: Node) -> None:
        """Copy what is not inputs, outputs or blocks. torch: Node::cloneFrom."""
        self.copy_attributes(other)
        self.source_range = other.source_range
        self.scope = other.scope
        self.anchor = other.anchor  # pyjit's editor anchor travels with the node
        self.operator_info = other.operator_info

    # torch's typed accessors, for readability at call sites.
    def i_(self, name: str, v: int) -> Node:
        return self.set_attr(name, AttributeKind.i, v)

    def f_(self, name: str, v: float) -> Node:
        return self.set_attr(name, AttributeKind.f, v)

    def s_(self, name: str, v: str) -> Node:
        return self.set_attr(name, AttributeKind.s, v)

    def ty_(self, name: str, v: JitType) -> Node:
        return self.set_attr(name, AttributeKind.ty, v)

    def ival_(self, name: str, v: Any) -> Node:
        return self.set_attr(name, AttributeKind.ival, v)

    def s(self, name: str) -> str:
        return self.attr(name)

    def i(self, name: str) -> int:
        return self.attr(name)

    # --- misc -----------------------------------------------------------------

    def set_source_range(self, r: SourceRange | None) -> Node:
        self.source_range = r
        return self

    def has_uses(self) -> bool:
        return any(o.uses for o in self._outputs)

    def __str__(self) -> str:
        return print_node(self)

    def __repr__(self) -> str:
        return f"<Node {self.kind}>"


def _ancestry(n: Node) -> list[Node]:
    chain = [n]
    while chain[-1].owning_node is not None:
        chain.append(chain[-1].owning_node)
    return chain


class Block:
    """A list of nodes with inputs and outputs. torch: Block."""

    __slots__ = ("__weakref__", "graph", "owning_node", "param_node", "return_node")

    def __init__(self, graph: Graph, owning_node: Node | None) -> None:
        self.graph = graph
        self.owning_node = owning_node
        self.return_node = Node(graph, kinds.Return)
        self.param_node = Node(graph, kinds.Param)
        # The return node is the sentinel of a circular list.
        self.return_node.next = self.return_node
        self.return_node.prev = self.return_node
        self.return_node.owning_block = self
        self.param_node.owning_block = self

    @property
    def inputs(self) -> tuple[Value, ...]:
        return self.param_node.outputs

    @property
    def outputs(self) -> tuple[Value, ...]:
        return self.return_node.inputs

    def nodes(self) -> Iterator[Node]:
        """Nodes in order; safe against destroying the current node."""
        n = self.return_node.next
        while n is not None and n is not self.return_node:
            nxt = n.next
            yield n
            n = nxt

    def nodes_reversed(self) -> Iterator[Node]:
        n = self.return_node.prev
        while n is not None and n is not self.return_node:
            prv = n.prev
            yield n
            n = prv

    def first_node(self) -> Node:
        """The first node, or the return node when empty."""
        assert self.return_node.next is not None
        return self.return_node.next

    def is_empty(self) -> bool:
        return self.return_node.next is self.return_node

    def add_input(self, name: str = "", type: JitType | None = None) -> Value:
        """torch: Block::addInput."""
        v = self.param_node.add_output(type)
        if name:
            v.set_debug_name(name)
        return v

    def insert_input(self, i: int, name: str = "", type: JitType | None = None) -> Value:
        v = self.param_node.insert_output(i, type)
        if name:
            v.set_debug_name(name)
        return v

    def erase_input(self, i: int) -> None:
        self.param_node.erase_output(i)

    def register_output(self, v: Value) -> int:
        """torch: Block::registerOutput."""
        self.return_node.add_input(v)
        return len(self.return_node._inputs) - 1

    def insert_output(self, i: int, v: Value) -> None:
        self.return_node.insert_input(i, v)

    def erase_output(self, i: int) -> None:
        self.return_node.remove_input(i)

    def permute_inputs(self, new_order: list[int]) -> None:
        """torch: Block::permuteInputs."""
        self.param_node.permute_outputs(new_order)

    def permute_outputs(self, new_order: list[int]) -> None:
        """torch: Block::permuteOutputs."""
        self.return_node.permute_inputs(new_order)

    def append_node(self, n: Node) -> Node:
        """torch: Block::appendNode."""
        return n.insert_before(self.return_node)

    def prepend_node(self, n: Node) -> Node:
        """torch: Block::prependNode."""
        return n.insert_after(self.param_node)

    def clone_from(self, src: Block, value_map: Callable[[Value], Value]) -> None:
        """torch: Block::cloneFrom."""
        local: dict[int, Value] = {}

        def env(v: Value) -> Value:
            got = local.get(id(v))
            return got if got is not None else value_map(v)

        for inp in src.inputs:
            local[id(inp)] = self.add_input().copy_metadata(inp)
        for node in src.nodes():
            new = self.append_node(self.graph.create_clone(node, env))
            for old_out, new_out in zip(node.outputs, new.outputs, strict=False):
                local[id(old_out)] = new_out
                new_out.copy_metadata(old_out)
        for out in src.outputs:
            self.register_output(env(out))

    def destroy(self) -> None:
        """torch: Block::destroy."""
        self.return_node.remove_all_inputs()
        for n in list(self.nodes_reversed()):
            n.destroy()
        self.return_node.graph.live_nodes.discard(self.return_node)
        while self.param_node._outputs:
            self.param_node.erase_output(len(self.param_node._outputs) - 1)
        self.graph.live_nodes.discard(self.param_node)

    def __repr__(self) -> str:
        return f"<Block of {self.owning_node.kind if self.owning_node else 'graph'}>"


class _InsertingBefore:
    """The context of :meth:`Graph.inserting_before`: a class rather than a
    generator-based context manager, which costs several times more to enter
    and leave (emission does it thousands of times per file)."""

    __slots__ = ("graph", "saved", "where")

    def __init__(self, graph: Graph, where: Node | Block) -> None:
        self.graph = graph
        self.where = where

    def __enter__(self) -> None:
        self.saved = self.graph._insert_before
        self.graph.set_insert_point(self.where)

    def __exit__(self, *exc_info: object) -> None:
        self.graph._insert_before = self.saved


class Graph:
    """A function body. torch: Graph."""

    def __init__(self) -> None:
        # Every node this graph created and has not destroyed, inserted or not
        # yet (a superset of ``walk_nodes(self)``); the passes read it to skip
        # graphs without a kind (``passes._util.has_node_of_kind``).
        self.live_nodes: set[Node] = set()
        self.unique_names: dict[str, Value] = {}
        self.name_base_suffix: dict[str, int] = {}
        self.next_unique = 0
        self.block = Block(self, None)
        self._insert_before: Node = self.block.return_node

    # --- values ---------------------------------------------------------------

    def _take_unique(self) -> int:
        u = self.next_unique
        self.next_unique += 1
        return u

    def _free_value(self, v: Value) -> None:
        if v._debug_name:
            if self.unique_names.get(v._debug_name) is v:
                del self.unique_names[v._debug_name]
            v._debug_name = ""

    @property
    def inputs(self) -> tuple[Value, ...]:
        return self.block.inputs

    @property
    def outputs(self) -> tuple[Value, ...]:
        return self.block.outputs

    def add_input(self, name: str = "", type: JitType | None = None) -> Value:
        return self.block.add_input(name, type)

    def register_output(self, v: Value) -> int:
        return self.block.register_output(v)

    def nodes(self) -> Iterator[Node]:
        return self.block.nodes()

    # --- creating nodes ----------------------------------------------------------

    def create(self, kind: Symbol | str, inputs: Iterable[Value] = (), num_outputs: int = 1) -> Node:
        """A new node, not yet inserted. torch: Graph::create."""
        if isinstance(kind, str):
            kind = Symbol(kind)
        if kind is kinds.PythonOp:
            raise ValueError("a prim::PythonOp is made by pyjit_core.ir.python_op.create_python_op")
        n = Node(self, kind)
        node_inputs = n._inputs
        for v in inputs:   # (Node.add_input, inlined: nodes are created by the thousand)
            v.uses.append(_use(n, len(node_inputs)))
            node_inputs.append(v)
        for _ in range(num_outputs):
            n.add_output()
        return n

    def create_tuple(self, values: Sequence[Value], tuple_type: TupleType | None = None) -> Node:
        """A ``prim::TupleConstruct``, not inserted; a named tuple type is kept
        when given. torch: Graph::createTuple."""
        if tuple_type is None:
            tuple_type = TupleType(tuple(v.type for v in values))
        n = self.create(kinds.TupleConstruct, values)
        n.output().set_type(tuple_type)
        return n

    def create_clone(self, node: Node, value_map: Callable[[Value], Value], copy_blocks: bool = True) -> Node:
        """torch: Graph::createClone."""
        n = node.alloc_new_instance(self)
        n.clone_from(node)
        for o in node.outputs:
            n.add_output().copy_metadata(o)
        for i in node.inputs:
            n.add_input(value_map(i))
        if copy_blocks:
            for b in node.blocks:
                n.add_block().clone_from(b, value_map)
        return n

    # --- insertion point ----------------------------------------------------------

    @property
    def insert_point(self) -> Node:
        """Nodes are inserted before this node. torch: Graph::insertPoint."""
        return self._insert_before

    def set_insert_point(self, where: Node | Block) -> None:
        """Before ``where`` (a node), or at the end of ``where`` (a block)."""
        self._insert_before = where.return_node if isinstance(where, Block) else where

    def inserting_before(self, where: Node | Block) -> _InsertingBefore:
        """``with graph.inserting_before(where):`` -- insert there, then where
        it was before. torch: WithInsertPoint."""
        return _InsertingBefore(self, where)

    def insert_node(self, n: Node) -> Node:
        """torch: Graph::insertNode."""
        return n.insert_before(self._insert_before)

    def append_node(self, n: Node) -> Node:
        return self.block.append_node(n)

    def prepend_node(self, n: Node) -> Node:
        return self.block.prepend_node(n)

    def dispose(self) -> None:
        """Break the graph's reference cycles (node <-> value <-> use <-> block),
        so that it is freed as soon as nothing refers to it, without waiting
        for Python's cyclic garbage collector. The graph is unusable afterwards;
        an editor session disposes graphs it knows no analysis shows any more."""
        for node in self.live_nodes:
            for v in node._outputs:
                v.uses = []
            for g in node.subgraphs():
                g.dispose()
            node._inputs = []
            node._outputs = []
            node._blocks = []
            node.owning_block = node.prev = node.next = None
            node.attributes = {}
        self.live_nodes = set()
        self.unique_names = {}
        self.block = None  # type: ignore[assignment]
        self._insert_before = None  # type: ignore[assignment]

    def copy(self) -> Graph:
        """A deep copy. torch: Graph::copy."""
        g = Graph()

        def missing(v: Value) -> Value:
            raise ValueError(f"Graph::copy() encountered a use of a value {v.debug_name()} not in scope. Run lint!")

        g.block.clone_from(self.block, missing)
        return g

    # --- output ---------------------------------------------------------------

    def to_string(self, print_source_locations: bool = True) -> str:
        """torch: Graph::toString."""
        return print_graph(self, print_source_locations)

    def __str__(self) -> str:
        return self.to_string(True)

    def __repr__(self) -> str:
        return f"<Graph with {len(self.inputs)} inputs>"
