"""Every node torch gives a source range shows on some token.

Uses the committed torch expectations of the conformance corpus (and of
torch's own ``nn`` files, when the installed torch's sources are there): for
each node torch emitted with a range (``prim::Constant`` aside), take pyjit's
node of the same kind at the same position, and require the hover index to
have placed it on a token. No torch needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pyjit_core.config import Config
from pyjit_core.ir.walk import walk_nodes
from pyjit_core.session import Session

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tests.conformance.corpus_roots import CORPUS_SEARCH_ROOT, corpus_files, expectation_name  # noqa: E402

EXPECTED = REPO / "tests" / "conformance" / "expected"


def _coverage(result, expected: dict, path: str) -> tuple[int, int, list]:
    index = result.hover_index
    placed = {id(node) for token in index._tokens.values() for node, _ in token.nodes}
    matched = anchored = 0
    unplaced = []
    for qualified, graph in expected["graphs"].items():
        fn = result.analysis.functions.get(qualified)
        if fn is None or fn.graph is None or fn.path != path:
            continue
        pool: dict[tuple, list] = {}
        for node in walk_nodes(fn.graph, subgraphs=True):
            r = node.source_range
            if r is not None:
                pool.setdefault((node.kind.qual_string(), r.start_line, r.start_col), []).append(node)
        for kind, line, col in graph["nodes"]:
            if kind == "prim::Constant" or not pool.get((kind, line, col)):
                continue
            node = pool[(kind, line, col)].pop(0)
            matched += 1
            if id(node) in placed:
                anchored += 1
            else:
                unplaced.append((kind, line, col))
    return matched, anchored, unplaced


def test_every_ranged_node_of_the_corpus_is_anchored():
    matched = anchored = 0
    unplaced = []
    for path in corpus_files():
        expected = json.loads((EXPECTED / f"{expectation_name(path)}.json").read_text(encoding="utf-8"))
        result = Session().check(str(path), module_name=expected["module_name"],
                              config=Config(search_paths=(str(CORPUS_SEARCH_ROOT),)))
        m, a, u = _coverage(result, expected, str(path))
        matched += m
        anchored += a
        unplaced += [(path.name, *x) for x in u]
    assert matched > 500, matched          # the corpus really was compiled
    assert unplaced == []


def test_every_ranged_node_of_torchs_own_nn_code_is_anchored():
    from pyjit_core.frontend.pyworld import default_torch_root

    torch_root = default_torch_root()
    folder = EXPECTED / "real_code"
    expectations = sorted(folder.glob("*/*.json"))
    if torch_root is None or not expectations:
        pytest.skip("torch's sources are not installed")
    matched = 0
    unplaced = []
    for file in expectations:
        expected = json.loads(file.read_text(encoding="utf-8"))
        module = expected["module_name"]
        path = Path(torch_root).parent / (module.replace(".", "/") + ".py")
        if not path.is_file():
            pytest.skip(f"{path} is missing")
        roots = "all" if file.stem == "functional" else "modules"
        result = Session().check(str(path), module_name=module,
                              config=Config(roots=roots))
        m, _, u = _coverage(result, expected, str(path))
        matched += m
        unplaced += [(file.stem, *x) for x in u]
    assert matched > 1000, matched
    assert unplaced == []
