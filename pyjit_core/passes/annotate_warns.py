"""Give every ``aten::warn`` a ``warn_id``, so each warns only once.

torch: torch/csrc/jit/passes/annotate_warns.cpp. torch numbers warnings
with one counter for the whole process, so the ids in a printed graph
depend on how many warnings were compiled before it. pyjit keeps the
counter in a :class:`WarnCounter`; :data:`PROCESS_COUNTER` plays torch's
static one, and callers that want reproducible ids pass their own.
"""

from __future__ import annotations

from pyjit_core.ir.graph import Block, Graph
from pyjit_core.ir.symbols import aten

from ._util import has_node_of_kind

_WARN = aten("warn")


class WarnCounter:
    """The next ``warn_id`` to hand out."""

    def __init__(self, start: int = 0) -> None:
        self.next_id = start

    def take(self) -> int:
        i = self.next_id
        self.next_id += 1
        return i


#: torch's process-wide counter (``static std::atomic<int64_t> idx``).
PROCESS_COUNTER = WarnCounter()


def annotate_warns(graph: Graph, counter: WarnCounter | None = None) -> None:
    """torch: AnnotateWarns."""
    if has_node_of_kind(graph, _WARN):
        _annotate_block(graph.block, counter if counter is not None else PROCESS_COUNTER)


def _annotate_block(block: Block, counter: WarnCounter) -> None:
    for n in block.nodes():
        for b in n.blocks:
            _annotate_block(b, counter)
        if n.kind is _WARN:
            n.i_("warn_id", counter.take())
