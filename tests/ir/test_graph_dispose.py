"""Graph.dispose: an editor session frees graphs it no longer shows without
waiting for Python's cyclic garbage collector."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from pyjit_core.ir.parser import parse_graph
from pyjit_core.ir.walk import walk_nodes

GOLDENS = Path(__file__).resolve().parents[1] / "golden" / "ir"


def test_a_disposed_graph_is_freed_by_reference_counting_alone():
    texts = [p.read_text() for p in sorted(GOLDENS.glob("*.ir")) if not p.name.endswith(".nosrc.ir")]
    assert texts
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for text in texts:
            graph = parse_graph(text)
            nodes = [weakref.ref(n) for n in walk_nodes(graph)]
            values = [weakref.ref(v) for n in walk_nodes(graph) for v in n.outputs]
            graph.dispose()
            del graph
            assert all(r() is None for r in nodes + values)
    finally:
        if was_enabled:
            gc.enable()


def test_an_undisposed_graph_needs_the_collector():
    # (what dispose is for: graphs are webs of cycles)
    text = next(p.read_text() for p in sorted(GOLDENS.glob("*.ir")) if "prim::If" in p.read_text())
    gc.disable()
    try:
        graph = parse_graph(text)
        first = weakref.ref(next(iter(walk_nodes(graph))))
        del graph
        assert first() is not None
        gc.collect()
        assert first() is None
    finally:
        gc.enable()
