"""Small IR helpers the passes share: torch's ``Graph::create*`` shorthands,
its node-list iteration idioms and ``meaningfulName``.

Two iteration idioms appear in torch's passes and they are not
interchangeable, because passes insert and destroy nodes as they go:

* ``for (Node* n : block->nodes())`` reads ``n->next()`` *after* the body
  ran, so nodes the body inserted right after ``n`` are visited too
  (:func:`nodes_live`);
* ``for (it = begin; it != end;) { n = *it; it++; ... }`` reads it *before*,
  so ``n`` may be destroyed (``Block.nodes()`` in :mod:`pyjit_core.ir.graph`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pyjit_core.ir import types as T
from pyjit_core.ir.constants import constant_value
from pyjit_core.ir.graph import Block, Graph, Node, Value
from pyjit_core.ir.symbols import Symbol, kinds

#: Returned by :func:`to_ivalue` for a value that is not a constant
#: (``None`` is a constant's value).
NOT_CONSTANT = object()


def meaningful_name(name: str) -> bool:
    """torch: meaningfulName -- ``""``, ``$...`` and ``_<digits>`` are not."""
    if not name or name[0] == "$":
        return False
    if name[0] != "_":
        return True
    return not name[1:].isdigit() if len(name) > 1 else False


def nodes_live(block: Block) -> Iterator[Node]:
    """``for (Node* n : block->nodes())``: the next node is read after the
    caller is done with the current one, so nodes it inserts after it are
    visited. The caller must not destroy the current node."""
    n = block.return_node.next
    while n is not None and n is not block.return_node:
        yield n
        n = n.next


def has_node_of_kind(graph: Graph, wanted: Symbol | frozenset[Symbol]) -> bool:
    """Whether ``graph`` (nested blocks included, subgraphs not, as in
    :func:`~pyjit_core.ir.walk.walk_nodes`) has a node of kind ``wanted`` (or
    of one of those kinds).

    Reads ``Graph.live_nodes``, the set of every node the graph made (it may
    also hold nodes not inserted yet, so a True can be spurious, a False
    never is): far cheaper than walking the blocks, which lets a pass that
    only rewrites a few kinds skip the many graphs without them.
    """
    if isinstance(wanted, Symbol):
        return any(n.kind is wanted for n in graph.live_nodes)
    return any(n.kind in wanted for n in graph.live_nodes)


def to_ivalue(v: Value) -> object:
    """torch: toIValue -- the constant's value, or :data:`NOT_CONSTANT`
    (also for function constants, which hold no value)."""
    if v.node.kind is not kinds.Constant or isinstance(v.type, T.FunctionType):
        return NOT_CONSTANT
    try:
        return constant_value(v, NOT_CONSTANT)
    except KeyError:
        return NOT_CONSTANT


def create_load(graph: Graph, name: str, type: T.JitType) -> Node:
    """torch: Graph::createLoad."""
    n = graph.create(kinds.Load, (), 1)
    n.s_("name", name)
    n.output().set_type(type)
    return n


def create_store(graph: Graph, name: str, value: Value) -> Node:
    """torch: Graph::createStore."""
    n = graph.create(kinds.Store, (value,), 0)
    n.s_("name", name)
    return n


def create_uninitialized(graph: Graph, type: T.JitType) -> Node:
    """torch: Graph::createUninitialized."""
    n = graph.create(kinds.Uninitialized)
    n.output().set_type(type)
    return n



def insert_op(graph: Graph, kind: str, inputs: Sequence[Value], result: T.JitType) -> Value:
    """``Graph::insert(aten::op, {...})`` for the few scalar ops passes emit.

    torch resolves the overload by schema matching and takes the output type
    from it; the passes only ever insert int/bool arithmetic whose result
    type the caller states. No source range: torch uses a fake one, which
    prints nothing.
    """
    n = graph.insert_node(graph.create(Symbol(kind), inputs, 1))
    n.output().set_type(result)
    return n.output()


def inline_block_before_node(before: Node, block: Block) -> None:
    """Move every node of ``block`` before ``before``. torch: InlineBlockBeforeNode."""
    for n in block.nodes():
        n.move_before(before)


def replace_all_uses_with_node(old: Node, new: Node) -> None:
    """torch: Node::replaceAllUsesWith(Node*)."""
    assert len(old.outputs) == len(new.outputs)
    for a, b in zip(old.outputs, new.outputs, strict=False):
        a.replace_all_uses_with(b)


def replace_with_new_symbol(node: Node, kind: Symbol) -> Node:
    """A copy of ``node`` with another kind, taking over its uses and names.

    torch: Node::replaceWithNewSymbol. Each new output copies its old
    output's name, so the old output is renamed ``name.N`` first (and is
    destroyed by the caller).
    """
    graph = node.graph
    with graph.inserting_before(node):
        new = graph.insert_node(graph.create(kind, node.inputs, 0))
    for old in node.outputs:
        out = new.add_output().copy_metadata(old)
        old.replace_all_uses_with(out)
    new.source_range = node.source_range
    new.scope = node.scope
    new.copy_attributes(node)
    return new


def is_if(n: Node) -> bool:
    return n.kind is kinds.If


def is_loop(n: Node) -> bool:
    return n.kind is kinds.Loop
