"""The hover's schema for each node equals ``node.schema()`` of torch's node at
the same position (needs torch==2.13.0; skipped without it)."""

from __future__ import annotations

import importlib
import re
import sys
from collections import Counter

import pytest

torch = pytest.importorskip("torch", reason="conformance: needs torch==2.13.0 installed")

from test_hover_targets import OPS  # noqa: E402

from pyjit_core.editor.hover import hover_at as describe_at  # noqa: E402
from pyjit_core.editor.hover import node_info  # noqa: E402
from pyjit_core.ir.walk import walk_nodes  # noqa: E402
from pyjit_core.session import Session  # noqa: E402

pytestmark = pytest.mark.conformance

_WHERE = re.compile(r" # (?P<path>.+):(?P<line>\d+):(?P<col>\d+)\n?$")


def _torch_nodes(graph, path: str):
    """(kind, line, col, schema) of every node of a torch graph with a range in ``path``."""
    out = []

    def visit(block_nodes):
        for n in block_nodes:
            m = _WHERE.search(str(n).split("\n", 1)[0] + "\n")
            if m and m.group("path") == path:
                out.append((n.kind(), int(m.group("line")), int(m.group("col")), n.schema()))
            for b in n.blocks():
                visit(b.nodes())

    visit(graph.nodes())
    return out


@pytest.fixture(scope="module")
def scripted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hover_vs_torch")
    path = folder / "hovered.py"
    path.write_text(OPS, encoding="utf-8")
    sys.path.insert(0, str(folder))
    sys.modules.pop("hovered", None)
    try:
        module = importlib.import_module("hovered")
    finally:
        sys.path.remove(str(folder))
    graphs = {
        "__torch__.hovered.ops": module.ops.graph,
        "__torch__.hovered.calls": module.calls.graph,
        "__torch__.hovered.Net.forward": module.net.forward.graph,
    }
    result = Session().check(str(path), OPS, module_name="hovered")
    yield result, graphs, str(path)
    sys.modules.pop("hovered", None)


def test_hover_schemas_are_torchs(scripted):
    result, graphs, path = scripted
    index = result.hover_index
    placed = {id(node): token for token in index._tokens.values() for node, _ in token.nodes}
    compared = Counter()
    for qualified, graph in graphs.items():
        fn = result.analysis.functions[qualified]
        pool: dict[tuple, list] = {}
        for node in walk_nodes(fn.graph, subgraphs=True):
            r = node.source_range
            if r is not None:
                pool.setdefault((node.kind.qual_string(), r.start_line, r.start_col), []).append(node)
        for kind, line, col, schema in _torch_nodes(graph, path):
            if schema == "(no schema)" or kind == "prim::PythonOp":
                continue
            mine = pool.get((kind, line, col))
            assert mine, f"pyjit has no {kind} at {line}:{col} in {qualified}"
            node = mine.pop(0)
            assert node_info(node, result).schema == schema, (kind, line, col)
            # ... and the hover on the node's token shows exactly that line
            token = placed[id(node)]
            hover = describe_at(result, token.range.start_line, token.range.start_col)
            assert schema in [n.schema for n in hover.nodes]
            compared[kind] += 1
    assert sum(compared.values()) >= 60, compared
    assert len(compared) >= 20, compared      # many different operators, not one repeated


def test_python_op_details_are_torchs(scripted):
    result, graphs, _path = scripted
    torch_ops = [n for n in graphs["__torch__.hovered.calls"].nodes() if n.kind() == "prim::PythonOp"]
    mine = [n for n in walk_nodes(result.analysis.functions["__torch__.hovered.calls"].graph, subgraphs=True)
            if n.kind.qual_string() == "prim::PythonOp"]
    assert [(n.pyname(), n.cconv()) for n in torch_ops] == [(n.name(), n.cconv) for n in mine]


def test_hover_schemas_over_torch_nn_functional():
    """Every function of torch.nn.functional that both torch and pyjit compile:
    each node torch gives a range and a schema has pyjit's hover schema."""
    import inspect
    import warnings

    import torch.nn.functional as F

    from pyjit_core.config import Config

    path = inspect.getsourcefile(F)
    with open(path, encoding="utf-8") as f:
        source = f.read()
    result = Session().check(path, source, config=Config(roots="all"), module_name="torch.nn.functional")
    compared: Counter = Counter()
    functions = 0
    for qualified, fn in result.analysis.functions.items():
        if fn.graph is None or fn.path != path or qualified.count(".") != 4:
            continue  # module-level functions only: __torch__.torch.nn.functional.<name>
        obj = getattr(F, qualified.rsplit(".", 1)[1], None)
        if obj is None:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                graph = torch.jit.script(obj).graph
        except Exception:
            continue
        functions += 1
        pool: dict[tuple, list] = {}
        for node in walk_nodes(fn.graph, subgraphs=True):
            r = node.source_range
            if r is not None:
                pool.setdefault((node.kind.qual_string(), r.start_line, r.start_col), []).append(node)
        for kind, line, col, schema in _torch_nodes(graph, path):
            if schema == "(no schema)" or kind == "prim::PythonOp" or not pool.get((kind, line, col)):
                continue
            node = pool[(kind, line, col)].pop(0)
            assert node_info(node, result).schema == schema, (qualified, kind, line, col)
            compared[kind] += 1
    assert functions >= 50, (functions, compared)
    assert sum(compared.values()) >= 500, (functions, compared)
    assert len(compared) >= 100, (functions, compared)
