"""Hovers through the real server on the whole conformance corpus.

For every node torch emitted with a source range (``prim::Constant`` aside,
as the conformance runner scores them), hover at the token the node is
anchored on (the rules of ``pyjit_core.anchors``: the callee's last name, the
operator, the ``if``/``for``/``while`` keyword...) and require the answer to
name torch's node kind, and for calls the name torch records: the Python
callable of a ``prim::PythonOp`` (``^Square``), the method of a
``prim::CallMethod`` (``forward``), the function of a ``prim::CallFunction``.
The expectations are the committed torch 2.13.0 recordings; no torch needed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from lsp_harness import open_doc, published, start
from lsprotocol import types
from pytest_lsp import LanguageClient

from pyjit_core.config import Config
from pyjit_core.session import Session

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tests.conformance.corpus_roots import CORPUS_SEARCH_ROOT, corpus_files, expectation_name  # noqa: E402

EXPECTED = REPO / "tests" / "conformance" / "expected"
_LOCATED = re.compile(r"^\s*(?:%[\w.]+(?:, %[\w.]+)* : .+? )?= (?P<rest>.*) "
                      r"# (?P<path>\S+):(?P<line>\d+):(?P<col>\d+)$")
_DEFINED = re.compile(r"^\s*%(?P<value>[\w.]+) : Function = prim::Constant\[name=\"(?P<name>\w+)\"\]")


def torch_names(text: str) -> dict[tuple[int, int, str], list[str]]:
    """(line, col, kind) -> the names torch prints for the PythonOps, CallMethods
    and CallFunctions there, in the graph's order."""
    functions = {m["value"]: m["name"] for m in map(_DEFINED.match, text.splitlines()) if m}
    names: dict[tuple[int, int, str], list[str]] = {}
    for raw in text.splitlines():
        m = _LOCATED.match(raw)
        if m is None:
            continue
        where = (int(m["line"]), int(m["col"]))
        rest = m["rest"]
        if rest.startswith("^"):
            names.setdefault((*where, "prim::PythonOp"), []).append(re.match(r"\^([^\[(]+)", rest).group(1))
        elif rest.startswith("prim::CallMethod"):
            names.setdefault((*where, "prim::CallMethod"), []).append(re.search(r'name="(\w+)"', rest).group(1))
        elif rest.startswith("prim::CallFunction"):
            first = re.match(r"prim::CallFunction\(%([\w.]+)", rest).group(1)
            if first in functions:
                names.setdefault((*where, "prim::CallFunction"), []).append(functions[first])
    return names


def anchored_nodes(path: Path, expected: dict):
    """(kind, name or None, token range) for each torch node pyjit has at torch's position."""
    result = Session().check(str(path), module_name=expected["module_name"],
                          config=Config(search_paths=(str(CORPUS_SEARCH_ROOT),)))
    index = result.hover_index
    token_of = {id(node): token.range for token in index._tokens.values() for node, _ in token.nodes}
    found, missing = [], []
    for qualified, graph in expected["graphs"].items():
        fn = result.analysis.functions.get(qualified)
        pool: dict[tuple, list] = {}
        if fn is not None and fn.graph is not None:
            for node in _all(fn.graph):
                r = node.source_range
                if r is not None and r.path == str(path):
                    pool.setdefault((node.kind.qual_string(), r.start_line, r.start_col), []).append(node)
        names = torch_names(graph["text"])
        for kind, line, col in graph["nodes"]:
            if kind == "prim::Constant":
                continue
            candidates = pool.get((kind, line, col)) or []
            # Several calls can start at one place (`p.shifted(1.0).norm2()`): pair them by name.
            here = names.get((line, col, kind))
            name = here.pop(0) if here else None
            named = [n for n in candidates if _pyjit_name(n) == name]
            node = (named or candidates or [None])[0]
            if node is not None:
                candidates.remove(node)
            where = token_of.get(id(node)) if node is not None else None
            if where is None:
                missing.append((qualified, kind, line, col))
            else:
                found.append((kind, name, where))
    return found, missing


def _pyjit_name(node) -> str | None:
    kind = node.kind.qual_string()
    if kind == "prim::PythonOp":
        return node.name()
    if kind == "prim::CallMethod":
        return node.s("name")
    if kind == "prim::CallFunction" and node.inputs:
        callee = node.inputs[0].node
        return callee.s("name") if callee.has_attribute("name") else None
    return None


def _all(graph):
    from pyjit_core.ir.walk import walk_nodes

    return walk_nodes(graph, subgraphs=True)


def utf16_column(line_text: str, col: int) -> int:
    return len(line_text[:col].encode("utf-16-le")) // 2


async def test_hovering_each_of_torchs_nodes_through_the_server_names_it(client: LanguageClient) -> None:
    await start(client, CORPUS_SEARCH_ROOT)
    total = kinds_shown = with_name = names_shown = 0
    wrong_kind, wrong_name, unanchored = [], [], []
    for path in corpus_files():
        expected = json.loads((EXPECTED / f"{expectation_name(path)}.json").read_text(encoding="utf-8"))
        found, missing = anchored_nodes(path, expected)
        unanchored += [(path.name, *m) for m in missing]
        total += len(found) + len(missing)
        if not found:
            continue
        uri = open_doc(client, path)
        await published(client, uri, version=1)
        lines = path.read_text(encoding="utf-8").split("\n")
        for kind, name, where in found:
            character = utf16_column(lines[where.start_line], where.start_col)
            hover = await client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=where.start_line, character=character)))
            text = hover.contents.value if hover is not None else ""
            if kind in text:
                kinds_shown += 1
            else:
                wrong_kind.append((path.name, kind, where.start_line + 1, where.start_col))
            if name is not None:
                with_name += 1
                if name in text:
                    names_shown += 1
                else:
                    wrong_name.append((path.name, kind, name, where.start_line + 1))
    assert total > 800, total             # the corpus really was compiled and hovered
    assert with_name > 80, with_name
    kind_share, name_share = kinds_shown / total, names_shown / with_name
    print(f"\nhover through the server: kind {kinds_shown}/{total} = {kind_share:.1%}, "
          f"name {names_shown}/{with_name} = {name_share:.1%}")
    assert kind_share >= 0.97, (wrong_kind[:20], unanchored[:20])
    assert name_share >= 0.97, wrong_name[:20]
