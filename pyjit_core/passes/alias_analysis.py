"""Which values may share memory, and which nodes write to it.

torch: torch/csrc/jit/ir/alias_analysis.cpp (AliasDb) and
memory_dag.cpp (MemoryDAG), reduced to what pyjit's passes ask:
``writes_to_alias`` and ``writes_to_wildcard`` for dead code elimination,
``has_writers`` / ``safe_to_change_aliasing_relationship`` for constant
pooling.

The model is torch's: every value of a mutable type (tensors, lists, dicts,
objects, and optionals/tuples/futures/unions holding them) has an
*element*; an element either points to other elements or is itself a
memory location. Containers *contain* elements. A *wildcard* element per
type stands for "anything of this type the graph does not track" -- graph
inputs, values taken out of containers, values passed to conservative ops.
Writes come from schema annotations (``Tensor(a!)``), ``prim::SetAttr``,
and conservative ops (which may write anything they get).

Not modelled (pyjit's frontend does not produce these before its passes
run): fusion/differentiable subgraphs, profiling nodes, ``prim::GradOf``,
frozen-module ``GetAttr``, descending into called functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyjit_core.ir import types as T
from pyjit_core.ir.graph import Block, Graph, Node, Value
from pyjit_core.ir.symbols import Symbol, aten, kinds, prim
from pyjit_core.schema.model import AliasInfo

from ._util import NOT_CONSTANT, to_ivalue
from .node_schema import node_schema

# --- which types can alias --------------------------------------------------------------


def alias_type_set(t: T.JitType) -> tuple[T.JitType, ...] | None:
    """The mutable types ``t`` may hold, unshaped; None for an immutable type.
    torch: MutableTypePtrHelper::mapTypeToAliasTypeSet."""
    if isinstance(t, (T.TensorType, T.ListType, T.DictType, T.ClassType)):
        return (T.unshaped(t),)
    if isinstance(t, T.UnionType):
        members: list[T.JitType] = []
        for m in t.members:
            for s in alias_type_set(m) or ():
                if s not in members:
                    members.append(s)
        return tuple(members) or None
    if isinstance(t, T.OptionalType):
        return alias_type_set(t.element)
    if isinstance(t, T.AnyType):
        return (t,)
    if isinstance(t, (T.FutureType, T.AwaitType)):
        inner = alias_type_set(t.element)
        if inner is None:
            return None
        return (type(t)(_single_type(inner)),)
    if isinstance(t, T.TupleType):
        mutable: list[T.JitType] = []
        for e in t.elements:
            mutable.extend(alias_type_set(e) or ())
        if not mutable:
            return None
        return (T.TupleType(tuple(mutable)),)
    return None


def _single_type(ts: Sequence[T.JitType]) -> T.JitType:
    return ts[0] if len(ts) == 1 else T.make_union(ts)


def is_mutable_type(t: T.JitType) -> bool:
    """torch: AliasDb::isMutableType."""
    return alias_type_set(t) is not None


def must_be_none(v: Value) -> bool:
    """torch: Value::mustBeNone / Node::mustBeNone."""
    n = v.node
    return (
        n.kind is prim("AutogradZero")
        or (len(n.outputs) == 1 and isinstance(n.outputs[0].type, T.NoneType))
        or (n.kind is kinds.Constant and not n.attributes and isinstance(n.outputs[0].type, T.OptionalType))
    )


# --- which ops have side effects ----------------------------------------------------------

#: torch: the kinds Node::hasSideEffects lists explicitly.
SIDE_EFFECT_KINDS: frozenset[Symbol] = frozenset(
    Symbol(k) for k in (
        "prim::PythonOp", "prim::IgnoredPythonOp", "prim::Print", "prim::RaiseException",
        "aten::warn", "aten::save", "aten::manual_seed", "prim::AddStatValue",
        "prim::TimePoint", "prim::CallFunction", "prim::CallMethod", "prim::BailoutTemplate",
        "prim::BailOut", "prim::rpc_async", "prim::rpc_sync", "prim::rpc_remote", "aten::wait",
        "cuda::set_stream", "cuda::_set_device", "cuda::_current_device", "cuda::synchronize",
        "prim::Enter", "prim::Exit",
    )
)

#: Operators torch registers with AliasAnalysisKind::CONSERVATIVE (so they
#: have side effects and may write any input). torch does not expose the
#: kind to Python; this table is read off its registration code
#: (register_prim_ops*.cpp, register_special_ops.cpp).
CONSERVATIVE_OPS: frozenset[Symbol] = frozenset(
    Symbol(k) for k in (
        "aten::backward", "aten::is_grad_enabled", "aten::set_grad_enabled",
        "aten::is_autocast_enabled", "aten::is_autocast_cpu_enabled",
    )
)


#: Namespaces whose operators torch registers FROM_SCHEMA. Operators of
#: other namespaces (``profiler::``, ``quantized::``, custom classes' ops)
#: are registered through the dispatcher, whose default alias analysis is
#: CONSERVATIVE.
_FROM_SCHEMA_NAMESPACES = frozenset({"aten", "prim", "cuda"})


def is_conservative_op(node: Node) -> bool:
    """Whether torch analyses ``node``'s operator conservatively (may write
    any input, has side effects)."""
    return node.kind in CONSERVATIVE_OPS or node.kind.namespace not in _FROM_SCHEMA_NAMESPACES


def has_side_effects(node: Node) -> bool:
    """torch: Node::hasSideEffects."""
    return node.kind in SIDE_EFFECT_KINDS or is_conservative_op(node)


# --- the memory DAG ---------------------------------------------------------------------------


class Element:
    """torch: Element (memory_dag.h)."""

    __slots__ = ("_locations", "contained", "index", "points_to", "values")

    def __init__(self, index: int) -> None:
        self.index = index
        self.values: list[Value] = []
        self.points_to: list[Element] = []
        self.contained: list[Element] = []
        self._locations: frozenset[int] | None = None

    def __repr__(self) -> str:
        names = ", ".join("%" + v.debug_name() for v in self.values) or "WILDCARD"
        return f"<Element {self.index}: {names}>"


_PURE_LIST_USERS = frozenset(aten(k) for k in ("cat", "broadcast_tensors", "stack", "vstack", "hstack", "dstack"))
_CREATORS = frozenset(
    Symbol(k) for k in (
        "prim::Constant", "prim::AutogradZero", "prim::EmptyListLiteral", "prim::Closure",
        "prim::CreateObject", "prim::tolist", "prim::Uninitialized",
    )
)
_EXTRACTORS = frozenset(
    Symbol(k) for k in (
        "prim::TupleUnpack", "prim::TupleIndex", "prim::TupleSlice", "prim::ListUnpack",
        "prim::PythonOp", "prim::GetAttr",
    )
)
_CONTAINER_CONSTRUCTS = frozenset((kinds.TupleConstruct, kinds.DictConstruct, kinds.ListConstruct))
_FORK_LIKE = frozenset(Symbol(k) for k in ("prim::fork", "prim::awaitable", "prim::awaitable_nowait",
                                          "prim::rpc_async", "prim::rpc_sync", "prim::rpc_remote"))
_WAIT_LIKE = frozenset((aten("wait"), prim("awaitable_wait")))
_NO_ALIASING = frozenset((prim("Print"), prim("isinstance")))
_CONSERVATIVE_KINDS = frozenset(Symbol(k) for k in
                                ("prim::CallFunction", "prim::CallMethod", "prim::Enter", "prim::Exit"))
_UNCHECKED_CAST = prim("unchecked_cast")
_CONSTANT_CHUNK = prim("ConstantChunk")
_NORMS_WITH_RUNNING_STATS = frozenset((aten("batch_norm"), aten("instance_norm")))

#: Kinds ``AliasDb._analyze`` never records a write for (their nested
#: blocks are analysed, and judged, node by node).
_NEVER_WRITE_KINDS = frozenset((
    kinds.If, kinds.Loop, _UNCHECKED_CAST, _CONSTANT_CHUNK,
    *_FORK_LIKE, *_CREATORS, *_CONTAINER_CONSTRUCTS, *_EXTRACTORS,
))
#: Kinds ``AliasDb._analyze`` records a write for without a schema.
_WRITE_KINDS = frozenset((kinds.SetAttr, *_WAIT_LIKE, *_NORMS_WITH_RUNNING_STATS))
#: Kinds whose nodes have no side effects, never write (``may_write`` is
#: False) and hold no blocks -- constants, tuple and list plumbing: dead
#: code elimination keeps them only for their uses.
INERT_KINDS = frozenset(
    k for k in (*_NEVER_WRITE_KINDS, *_NO_ALIASING)
    if k not in SIDE_EFFECT_KINDS and k not in (kinds.If, kinds.Loop, kinds.Closure)
    and k not in _CONSERVATIVE_KINDS and k not in CONSERVATIVE_OPS and k.namespace in _FROM_SCHEMA_NAMESPACES
)


def may_write(node: Node) -> bool:
    """False when :class:`AliasDb` surely records no write for ``node``
    itself (its nested blocks aside), so a pass can skip building the
    database for it. Mirrors the dispatch of ``AliasDb._analyze``; errs
    towards True."""
    kind = node.kind
    category = _write_category_by_kind.get(kind)
    if category is None:
        category = _write_category_by_kind[kind] = _write_category(kind)
    if category is _NEVER_WRITES:
        return False
    if category is _MAY_WRITE:
        return True
    if category is _WRITES_MUTABLE_INPUTS:
        return _has_mutable_input(node)
    schema = node_schema(node)
    if schema is None:
        # Analysed conservatively: writes every mutable input.
        return _has_mutable_input(node)
    writes = _schema_writes_by_id.get(id(schema))
    if writes is None or writes[0] is not schema:
        writes = _schema_writes_by_id[id(schema)] = (schema, _schema_writes(schema))
    return writes[1]


# What may_write needs to know of a node kind, in _analyze's order.
_NEVER_WRITES, _MAY_WRITE, _WRITES_MUTABLE_INPUTS, _WRITES_PER_SCHEMA = "never", "may", "mutable inputs", "schema"
_write_category_by_kind: dict[Symbol, str] = {}
# Whether a schema writes, by id (the schema is kept alongside, so an id is never reused).
_schema_writes_by_id: dict[int, tuple[object, bool]] = {}


def _write_category(kind: Symbol) -> str:
    if kind in _NEVER_WRITE_KINDS:
        return _NEVER_WRITES
    if kind in _WRITE_KINDS:
        return _MAY_WRITE
    if kind in _CONSERVATIVE_KINDS or kind in CONSERVATIVE_OPS or kind.namespace not in _FROM_SCHEMA_NAMESPACES:
        return _WRITES_MUTABLE_INPUTS  # is_conservative_op
    if kind in _NO_ALIASING:
        return _NEVER_WRITES
    return _WRITES_PER_SCHEMA


def _has_mutable_input(node: Node) -> bool:
    return any(alias_type_set(v.type) is not None for v in node.inputs)


def _alias_info_writes(info: AliasInfo | None) -> bool:
    return info is not None and (info.is_write or any(_alias_info_writes(c) for c in info.contained_types))


def _schema_writes(schema) -> bool:
    return any(_alias_info_writes(a.alias_info) for a in schema.arguments) or \
        any(_alias_info_writes(r.alias_info) for r in schema.returns)


class AliasDb:
    """torch: AliasDb, built once for a graph; queries read the graph as it
    was when the database was built."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._elements: list[Element] = []
        self._element_of: dict[Value, Element] = {}
        self._wildcard_index: dict[object, Element] = {}
        self._wildcard_values: list[Value] = []
        self._wildcard_seen: set[Value] = set()
        self._writes: dict[Node, list[Value]] = {}
        self._contained_writes: dict[Node, list[Value]] = {}
        self._writes_to_all_wildcards: set[Node] = set()

        for v in graph.inputs:
            self._set_wildcard(v)
        self._analyze_block(graph.block)
        self._finish_wildcards()
        self._write_index: dict[Node, frozenset[int]] = {}
        for node, values in self._writes.items():
            locs: set[int] = set()
            for v in values:
                locs |= self._locations(self._element_of[v])
            self._write_index[node] = frozenset(locs) | self._write_index.get(node, frozenset())
        for node, values in self._contained_writes.items():
            locs = set()
            for v in values:
                self._collect_contained(self._element_of[v], locs)
            self._write_index[node] = frozenset(locs) | self._write_index.get(node, frozenset())
        wildcard_locs = frozenset(e.index for e in self._wildcard_index.values())
        for node in self._writes_to_all_wildcards:
            self._write_index[node] = self._write_index.get(node, frozenset()) | wildcard_locs
        self._written_locations: frozenset[int] = frozenset().union(*self._write_index.values()) \
            if self._write_index else frozenset()

    # --- queries ---------------------------------------------------------------------------

    def writes(self, node: Node) -> frozenset[int]:
        """Memory locations ``node`` (or anything nested in it) writes. torch: AliasDb::getWrites."""
        out = set(self._write_index.get(node, ()))
        for b in node.blocks:
            for n in b.nodes():
                out |= self.writes(n)
        return frozenset(out)

    def writes_to_alias(self, node: Node, values: Iterable[Value]) -> bool:
        """Does ``node`` write to memory one of ``values`` may point to? torch: AliasDb::writesToAlias."""
        written = self.writes(node)
        if not written:
            return False
        for v in values:
            e = self._element_of.get(v)
            if e is not None and written & self._locations(e):
                return True
        return False

    def writes_to_wildcard(self, node: Node) -> bool:
        """torch: AliasDb::writesToWildcard (the node's own writes only)."""
        own = self._write_index.get(node)
        if not own:
            return False
        return any(e.index in own for e in self._wildcard_index.values())

    def has_writers(self, v: Value) -> bool:
        """torch: AliasDb::hasWriters(Value*)."""
        if must_be_none(v):
            return False
        e = self._element_of.get(v)
        if e is None:
            return False
        return bool(self._written_locations & self._locations(e))

    def may_alias(self, a: Value, b: Value) -> bool:
        ea, eb = self._element_of.get(a), self._element_of.get(b)
        if ea is None or eb is None:
            return False
        return bool(self._locations(ea) & self._locations(eb))

    def may_contain_alias(self, a: Sequence[Value], b: Sequence[Value]) -> bool:
        """torch: AliasDb::mayContainAlias(ArrayRef, ArrayRef)."""
        la: set[int] = set()
        for v in a:
            e = self._element_of.get(v)
            if e is not None:
                self._collect_contained(e, la)
        if not la:
            return False
        lb: set[int] = set()
        for v in b:
            e = self._element_of.get(v)
            if e is not None:
                self._collect_contained(e, lb)
        return bool(la & lb)

    def escapes_scope(self, values: Iterable[Value]) -> bool:
        """Does a value alias a graph input/output or a wildcard? torch: AliasDb::escapesScope."""
        outside = list(self.graph.inputs) + list(self.graph.outputs)
        for v in values:
            e = self._element_of.get(v)
            if e is None:
                continue
            locs = self._locations(e)
            if any(w.index in locs for w in self._wildcard_index.values()):
                return True
            for o in outside:
                eo = self._element_of.get(o)
                if eo is not None and locs & self._locations(eo):
                    return True
        return False

    def safe_to_change_aliasing_relationship(self, a: Sequence[Value], b: Sequence[Value]) -> bool:
        """torch: AliasDb::safeToChangeAliasingRelationship."""
        if any(self.has_writers(v) for v in a) or any(self.has_writers(v) for v in b):
            return False
        # Neither side is written to; merging them is unobservable unless
        # both are visible outside the graph.
        return not (self.escapes_scope(a) and self.escapes_scope(b))

    # --- memory DAG --------------------------------------------------------------------------

    def _locations(self, e: Element) -> frozenset[int]:
        """torch: MemoryDAG::getMemoryLocations."""
        if e._locations is None:
            if not e.points_to:
                e._locations = frozenset((e.index,))
            else:
                e._locations = frozenset()  # guards cycles while computing
                out: set[int] = set()
                for p in e.points_to:
                    out |= self._locations(p)
                e._locations = frozenset(out)
        return e._locations

    def _collect_contained(self, e: Element, out: set[int]) -> None:
        """torch: MemoryDAG::collectAllContainedMemoryLocations."""
        if e.index in out:
            return
        out.add(e.index)
        for loc in self._locations(e):
            self._collect_contained(self._elements[loc], out)
        for c in e.contained:
            self._collect_contained(c, out)

    def _new_element(self) -> Element:
        e = Element(len(self._elements))
        self._elements.append(e)
        return e

    def _invalidate(self) -> None:
        for e in self._elements:
            e._locations = None

    def _give_fresh_alias(self, v: Value, add_wildcard_to_contained: bool = True) -> None:
        types = alias_type_set(v.type)
        if types is None or v in self._element_of:
            return
        e = self._new_element()
        e.values.append(v)
        self._element_of[v] = e
        if add_wildcard_to_contained:
            if len(types) > 1:
                for t in types:
                    w = self._get_or_create_wildcard(t)
                    if w is not None:
                        e.points_to.append(w)
            else:
                for t in types:
                    for c in t.contained_types():
                        w = self._get_or_create_wildcard(c)
                        if w is not None:
                            e.contained.append(w)
        self._invalidate()

    def _get_or_create_element(self, v: Value) -> Element:
        if v not in self._element_of:
            self._give_fresh_alias(v)
        return self._element_of[v]

    def _wildcard_key(self, t: T.JitType) -> object | None:
        types = alias_type_set(t)
        if types is None:
            return None
        return types[0] if len(types) == 1 else ("union", frozenset(types))

    def _get_or_create_wildcard(self, t: T.JitType) -> Element | None:
        key = self._wildcard_key(t)
        if key is None:
            return None
        got = self._wildcard_index.get(key)
        if got is not None:
            return got
        w = self._new_element()
        self._wildcard_index[key] = w
        types = alias_type_set(t)
        assert types is not None
        if len(types) > 1:
            for member in types:
                m = self._get_or_create_wildcard(member)
                if m is not None:
                    w.points_to.append(m)
        else:
            for c in types[0].contained_types():
                cw = self._get_or_create_wildcard(c)
                if cw is not None:
                    w.contained.append(cw)
        self._invalidate()
        return w

    def _set_wildcard(self, v: Value) -> Element | None:
        """torch: AliasDb::setWildcard; the pointer to the wildcard is added
        once the whole graph is analysed (:meth:`_finish_wildcards`)."""
        w = self._get_or_create_wildcard(v.type)
        if w is None:
            return None
        self._get_or_create_element(v)
        if v not in self._wildcard_seen:
            self._wildcard_seen.add(v)
            self._wildcard_values.append(v)
        return w

    def _finish_wildcards(self) -> None:
        """torch: MemoryDAG::setWildcards."""
        edits: list[tuple[Element, Element]] = []
        for v in self._wildcard_values:
            w = self._get_or_create_wildcard(v.type)
            assert w is not None
            for loc in self._locations(self._element_of[v]):
                source = self._elements[loc]
                if source is not w:
                    edits.append((source, w))
        for source, w in edits:
            if w not in source.points_to:
                source.points_to.append(w)
        self._invalidate()

    def _is_mutable(self, v: Value) -> bool:
        return alias_type_set(v.type) is not None

    def _non_aliasing(self, v: Value) -> bool:
        return must_be_none(v) or v.node.kind is kinds.Uninitialized

    def _make_pointer_to(self, source: Value, target: Value) -> None:
        """torch: AliasDb::makePointerTo."""
        if self._non_aliasing(source) or self._non_aliasing(target):
            self._give_fresh_alias(source)
            self._give_fresh_alias(target)
            return
        if self._is_mutable(source) != self._is_mutable(target):
            return
        if not self._is_mutable(source) or source is target:
            return
        a = self._get_or_create_element(source)
        b = self._get_or_create_element(target)
        if b not in a.points_to:
            a.points_to.append(b)
            self._invalidate()

    def _add_to_contained(self, inner: Value, container: Value) -> None:
        if not self._is_mutable(inner):
            return
        a = self._get_or_create_element(inner)
        c = self._get_or_create_element(container)
        c.contained.append(a)
        self._invalidate()

    def _register_write(self, v: Value, node: Node, contained: bool = False) -> None:
        if not self._is_mutable(v):
            return
        (self._contained_writes if contained else self._writes).setdefault(node, []).append(v)

    # --- analysis ----------------------------------------------------------------------------

    def _analyze_block(self, block: Block) -> None:
        for n in block.nodes():
            self._analyze(n)

    def _analyze(self, node: Node) -> None:
        kind = node.kind
        if kind is kinds.If:
            self._analyze_block(node.blocks[0])
            self._analyze_block(node.blocks[1])
            for i, out in enumerate(node.outputs):
                self._make_pointer_to(out, node.blocks[0].outputs[i])
                self._make_pointer_to(out, node.blocks[1].outputs[i])
            return
        if kind is kinds.Loop:
            body = node.blocks[0]
            for inner, outer in zip(body.inputs[1:], node.inputs[2:], strict=False):
                self._make_pointer_to(inner, outer)
            self._analyze_block(body)
            for outer, inner in zip(node.outputs, body.outputs[1:], strict=False):
                self._make_pointer_to(outer, inner)
            return
        if kind in _FORK_LIKE:
            for v in node.inputs:
                self._set_wildcard(v)
            for v in node.outputs:
                self._give_fresh_alias(v)
            return
        if kind in _WAIT_LIKE:
            for v in node.outputs:
                self._set_wildcard(v)
            self._writes_to_all_wildcards.add(node)
            return
        if kind in _NORMS_WITH_RUNNING_STATS:
            for v in node.outputs:
                self._give_fresh_alias(v)
            flag = node.inputs[5] if len(node.inputs) > 5 else None

            value = to_ivalue(flag) if flag is not None else NOT_CONSTANT
            if value is NOT_CONSTANT or value:
                self._register_write(node.inputs[3], node)
                self._register_write(node.inputs[4], node)
            return
        if kind in _CREATORS:
            for v in node.outputs:
                self._give_fresh_alias(v)
            return
        if kind in _CONTAINER_CONSTRUCTS:
            self._analyze_container_construct(node)
            return
        if kind in _EXTRACTORS:
            for v in node.outputs:
                self._set_wildcard(v)
            return
        if kind is _UNCHECKED_CAST:
            self._make_pointer_to(node.output(), node.input())
            return
        if kind is _CONSTANT_CHUNK:
            for v in node.outputs:
                self._make_pointer_to(v, node.input())
            return
        if kind is kinds.SetAttr:
            self._register_write(node.inputs[0], node)
            self._set_wildcard(node.inputs[1])
            return
        if kind in _CONSERVATIVE_KINDS or is_conservative_op(node):
            self._analyze_conservative(node)
            return
        if kind in _NO_ALIASING:
            return
        schema = node_schema(node)
        if schema is None:
            # Unknown op (or a prim without a schema): assume the worst.
            self._analyze_conservative(node)
            return
        self._analyze_from_schema(node, schema)

    def _analyze_conservative(self, node: Node) -> None:
        for v in node.inputs:
            if not self._is_mutable(v):
                continue
            self._register_write(v, node, contained=True)
            self._set_wildcard(v)
        for v in node.outputs:
            self._set_wildcard(v)

    def _analyze_from_schema(self, node: Node, schema) -> None:
        formal_to_actual: dict[str, Value] = {}
        for i, arg in enumerate(schema.arguments):
            formal: AliasInfo | None = arg.alias_info
            if formal is None or i >= len(node.inputs):
                continue
            actual = node.inputs[i]
            if not self._is_mutable(actual):
                continue
            if len(formal.contained_types) == 1 and not formal.before_sets:
                formal = formal.contained_types[0]
            if not formal.before_sets:
                continue
            alias_set = formal.before_sets[0]
            if alias_set in formal_to_actual:
                continue
            formal_to_actual[alias_set] = actual
            if formal.is_write:
                self._register_write(actual, node)
            if formal.is_wildcard_after():
                self._set_wildcard(actual)
        for i, ret in enumerate(schema.returns):
            if i >= len(node.outputs):
                break
            actual = node.outputs[i]
            formal = ret.alias_info
            if formal is None:
                self._give_fresh_alias(actual)
                continue
            if not self._is_mutable(actual):
                continue
            if len(formal.contained_types) == 1 and not formal.before_sets:
                formal = formal.contained_types[0]
            if formal.is_wildcard_before():
                self._set_wildcard(actual)
                continue
            has_alias = False
            for alias_set in formal.before_sets:
                target = formal_to_actual.get(alias_set)
                if target is not None:
                    has_alias = True
                    self._make_pointer_to(actual, target)
            if not has_alias and formal.before_sets:
                self._give_fresh_alias(actual)
            if formal.is_write:
                self._register_write(actual, node)

    def _analyze_container_construct(self, node: Node) -> None:
        container = node.output()
        if not self._is_mutable(container):
            return
        uses = container.uses
        if len(uses) == 1 and (self._functional_non_escaping_list_use(container, uses[0].user)
                               or self._functional_non_escaping_tuple_use(container, uses[0].user)):
            self._give_fresh_alias(container, add_wildcard_to_contained=False)
            for v in node.inputs:
                self._add_to_contained(v, container)
            return
        self._give_fresh_alias(container)
        cont = self._element_of[container]
        for v in node.inputs:
            w = self._set_wildcard(v)
            if w is not None:
                cont.contained.append(w)
        self._invalidate()

    def _functional_non_escaping_list_use(self, container: Value, user: Node) -> bool:
        if not isinstance(container.type, T.ListType):
            return False
        if user.kind is kinds.Return:
            return user.owning_block is self.graph.block
        return user.kind in _PURE_LIST_USERS

    def _functional_non_escaping_tuple_use(self, container: Value, user: Node) -> bool:
        if not isinstance(container.type, T.TupleType):
            return False
        return user.kind is kinds.Return and user.owning_block is self.graph.block
