"""The passes torch runs on a freshly emitted function, in torch's order.

torch: ``to_ir::to_ir`` and ``runCleanupPasses`` in
torch/csrc/jit/frontend/ir_emitter.cpp (torch 2.13)::

    ConvertToSSA
    CanonicalizeModifiedLoops
    NormalizeOps
    runCleanupPasses:
        liftClosures, inlineForkedClosures
        (Inline, only in inline-everything mode: off for torch.jit.script)
        eraseListLiterals
        LowerSimpleTuples            (+ dead code elimination)
        ConstantPropagationImmutableTypes  (+ DCE if it changed anything)
        ConstantPooling
        CanonicalizeOutputs
        AnnotateWarns

``ReplaceOldOperatorsWithUpgraders``, which torch runs before
ConvertToSSA, only rewrites operators from old serialized models and does
nothing to freshly scripted source; it is not modelled.
"""

from __future__ import annotations

from pyjit_core.ir import types as T
from pyjit_core.ir.graph import Graph
from pyjit_core.ir.symbols import kinds, prim
from pyjit_core.ir.walk import walk_nodes

from ._util import has_node_of_kind
from .annotate_warns import WarnCounter, annotate_warns
from .canonicalize_modified_loops import canonicalize_modified_loops
from .canonicalize_outputs import canonicalize_outputs
from .constant_pooling import constant_pooling
from .constant_propagation import constant_propagation_immutable_types
from .convert_to_ssa import convert_to_ssa
from .inline_forked_closures import inline_forked_closures
from .lift_closures import lift_closures
from .lower_tuples import lower_simple_tuples
from .normalize_ops import normalize_ops

EmptyListLiteral = prim("EmptyListLiteral")


def run_frontend_passes(graph: Graph, warn_counter: WarnCounter | None = None) -> Graph:
    """Everything ``to_ir`` runs after emitting a function body, in place.
    Returns ``graph`` for convenience."""
    convert_to_ssa(graph)
    canonicalize_modified_loops(graph)
    normalize_ops(graph)
    run_cleanup_passes(graph, warn_counter)
    return graph


def run_cleanup_passes(graph: Graph, warn_counter: WarnCounter | None = None) -> None:
    """torch: runCleanupPasses."""
    # A lifted closure's subgraph is cleaned by these same passes (torch: the
    # closure passes call runCleanupPasses).
    lift_closures(graph, run_cleanup_passes)
    inline_forked_closures(graph, run_cleanup_passes)
    erase_list_literals(graph)
    lower_simple_tuples(graph)
    constant_propagation_immutable_types(graph)
    constant_pooling(graph)
    canonicalize_outputs(graph)
    annotate_warns(graph, warn_counter)


def erase_list_literals(graph: Graph) -> None:
    """``prim::EmptyListLiteral`` -> an empty ``Tensor[]`` list. torch: eraseListLiterals."""
    if not has_node_of_kind(graph, EmptyListLiteral):
        return
    for node in list(walk_nodes(graph)):   # collected first: the loop edits the graph
        if node.kind is not EmptyListLiteral:
            continue
        if node.has_uses():
            lst = graph.create(kinds.ListConstruct, (), 1)
            lst.output().set_type(T.ListType(T.Tensor))
            lst.insert_before(node)
            for a, b in zip(node.outputs, lst.outputs, strict=False):
                a.replace_all_uses_with(b)
        node.destroy()
