"""The IR goldens against live torch 2.13.0, and pyjit's parser/printer against both.

* Every case of ``tests/golden/cases`` is compiled again by real torch (each in
  a fresh forked interpreter, see ``tests/golden/regen.py``) and must print
  exactly the committed goldens: a stale golden fails here.
* pyjit parses torch's live text and prints it back exactly, with and without
  source comments.
* PythonOps: pyjit's name for the *real* callable torch holds
  (``node.pyobj()``) is torch's ``pyname()``; a pyjit op built from torch's
  ``pyobj``/``cconv``/``scalar_args`` prints torch's scalars; the op parsed
  from text has torch's name and scalars, and its calling convention up to
  the order the text does not record.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="conformance: needs torch==2.13.0 installed")

from pyjit_core.ir.graph import Graph  # noqa: E402
from pyjit_core.ir.naming import autograd_function, python_op_name  # noqa: E402
from pyjit_core.ir.parser import parse_graph  # noqa: E402
from pyjit_core.ir.python_op import ConcretePythonOp  # noqa: E402
from pyjit_core.ir.walk import walk_nodes  # noqa: E402

pytestmark = pytest.mark.conformance

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _load_regen():
    spec = importlib.util.spec_from_file_location("pyjit_golden_regen", GOLDEN / "regen.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


regen = _load_regen()
CASES = regen.case_names()

if torch.__version__.split("+")[0] != regen.TORCH_VERSION:
    pytest.skip(f"goldens come from torch {regen.TORCH_VERSION}, this is {torch.__version__}",
                allow_module_level=True)


def committed(name: str) -> str:
    return (regen.OUT_DIR / name).read_bytes().decode("utf-8")


def committed_files(case: str) -> set[str]:
    manifest = json.loads(committed(f"{case}.json"))
    return {f"{case}.json"} | {g[k] for g in manifest["graphs"] for k in ("ir", "nosrc")}


@pytest.fixture(scope="module")
def live() -> dict:
    """Every case rendered by torch now: name -> {file: text} (or an error message)."""
    return regen.render_isolated(CASES)


@pytest.mark.parametrize("case", CASES)
def test_torch_prints_the_committed_golden(live: dict, case: str) -> None:
    files = live[case]
    assert isinstance(files, dict), files
    assert set(files) == committed_files(case), "graphs changed: run tests/golden/regen.py"
    for name, text in files.items():
        assert text == committed(name), f"{name} is stale: run tests/golden/regen.py {case}"


@pytest.mark.parametrize("case", CASES)
def test_pyjit_reprints_torch_live_text(live: dict, case: str) -> None:
    files = live[case]
    manifest = json.loads(files[f"{case}.json"])
    for graph in manifest["graphs"]:
        text, nosrc = files[graph["ir"]], files[graph["nosrc"]]
        parsed = parse_graph(text)
        assert parsed.to_string(True) == text
        assert parsed.to_string(False) == nosrc
        assert parse_graph(nosrc).to_string(True) == nosrc


def _python_ops(graph: Graph) -> list[ConcretePythonOp]:
    found, groups = [], []
    for node in walk_nodes(graph):
        if isinstance(node, ConcretePythonOp):
            found.append(node)
        elif node.has_attribute("Subgraph") and isinstance(node.attr("Subgraph"), Graph):
            groups.append(node.attr("Subgraph"))
    for sub in groups:
        found.extend(_python_ops(sub))
    return found


@pytest.mark.parametrize("case", CASES)
def test_parsed_python_ops_agree_with_torch(live: dict, case: str) -> None:
    files = live[case]
    manifest = json.loads(files[f"{case}.json"])
    for graph in manifest["graphs"]:
        parsed = _python_ops(parse_graph(files[graph["ir"]]))
        assert len(parsed) == len(graph["python_ops"])
        for op, torch_op in zip(parsed, graph["python_ops"], strict=False):
            assert op.name() == torch_op["pyname"]
            assert [str(s) for s in op.scalar_args] == torch_op["scalar_args"]
            assert sorted(op.cconv) == sorted(torch_op["cconv"])


CASES_WITH_PYTHON_OPS = sorted(
    case for case in CASES
    if any(g["python_ops"] for g in json.loads(committed(f"{case}.json"))["graphs"])
)


def test_python_op_cases_cover_every_naming_path() -> None:
    assert {"ignore_function", "ignore_nameless", "traced_autograd_fn", "module_ignore"} <= set(CASES_WITH_PYTHON_OPS)


def _walk(graph):
    for node in graph.nodes():
        yield node
        for block in node.blocks():
            yield from _walk(block)


@pytest.mark.parametrize("case", CASES_WITH_PYTHON_OPS)
def test_pyjit_names_torch_real_callables_like_torch(case: str) -> None:
    # Compiled in this process: only names and scalars are compared, which
    # do not depend on what else the process compiled.
    module = regen.load_case(case)
    checked = 0
    for graph in regen.case_graphs(module).values():
        for node in _walk(graph):
            if node.kind() != "prim::PythonOp":
                continue
            pyobj = node.pyobj()
            assert python_op_name(pyobj) == node.pyname()
            op = ConcretePythonOp(Graph()).init(pyobj, node.cconv(), node.scalar_args())
            assert op.name() == node.pyname()
            assert f"^{node.pyname()}[" in str(node)
            assert "]" + op.write_scalars() + "(" in str(node)
            owner = autograd_function(pyobj)
            if node.hasAttribute("module"):  # the tracer's autograd-Function attributes
                assert owner is not None
                assert owner.__name__ == node.pyname()
                assert issubclass(owner, torch.autograd.Function)
            else:
                assert owner is None
            checked += 1
    assert checked > 0
