"""Language features across modules and roots modes, without torch.

What each feature compiles to inside one file is checked against real torch in
tests/conformance/corpus/language_features.py; here: names that come from
another module of the package (type aliases, namedtuple() classes), aliases
that name nothing, and which roots ``roots = "all"`` compiles. The expected
graph lines were printed by torch 2.13.0 for the same package.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from pyjit_core.frontend.driver import analyze_source

TYPES = """\
from collections import namedtuple
from typing import Tuple, TypeVar, Union

T = TypeVar("T")
_pair_or_scalar = Union[T, Tuple[T, T]]
size_2 = _pair_or_scalar[int]
Outputs = namedtuple("Outputs", ["main", "aux"])
"""

USE = """\
import torch
from torch import Tensor
from .types import Outputs, size_2


@torch.jit.script
def area(k: size_2) -> int:
    if isinstance(k, int):
        return k * k
    return k[0] * k[1]


@torch.jit.script
def both(x: Tensor) -> Outputs:
    return Outputs(x, x)
"""


def package(tmp_path: Path) -> Path:
    root = tmp_path / "shapes"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "types.py").write_text(TYPES)
    (root / "use.py").write_text(USE)
    return root / "use.py"


def analyze_file(path: Path, roots: str = "decorated"):
    return analyze_source(path.read_text(), str(path), module_name="shapes.use", roots=roots,
                          search_paths=[str(path.parent.parent)])


def graph_of(analysis, name: str) -> str:
    return str(analysis.functions[f"__torch__.shapes.use.{name}"].graph)


def test_a_generic_alias_imported_from_a_sibling_module_is_the_union_it_names(tmp_path: Path) -> None:
    analysis = analyze_file(package(tmp_path))
    assert [d.message for d in analysis.diagnostics] == []
    assert graph_of(analysis, "area").splitlines()[0] == "graph(%k.1 : Union((int, int), int)):"


def test_a_namedtuple_call_imported_from_a_sibling_module_is_a_namedtuple_type(tmp_path: Path) -> None:
    analysis = analyze_file(package(tmp_path))
    assert "NamedTuple(main : Tensor, aux : Tensor) = prim::TupleConstruct(%x.1, %x.1)" in graph_of(analysis, "both")


def test_aliases_that_name_each_other_are_an_unknown_type_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "cycle.py"
    path.write_text(textwrap.dedent("""\
        import torch

        A = "B"
        B = "A"


        @torch.jit.script
        def f(x: A) -> int:
            return 1
    """))
    analysis = analyze_source(path.read_text(), str(path), module_name="cycle")
    assert [(d.code, d.message) for d in analysis.diagnostics] == [("PJ211", "Unknown type name 'A'")]


def test_interfaces_under_roots_all_are_declared_not_compiled(tmp_path: Path) -> None:
    path = tmp_path / "iface.py"
    path.write_text(textwrap.dedent("""\
        import torch
        from torch import nn, Tensor


        @torch.jit.interface
        class Activation(nn.Module):
            def forward(self, x: Tensor) -> Tensor:
                pass


        @torch.jit.interface
        class Scorer:
            def score(self, x: Tensor, k: int) -> Tensor:
                pass
    """))
    analysis = analyze_source(path.read_text(), str(path), module_name="iface", roots="all")
    assert [(r.name, r.kind, r.functions) for r in analysis.roots] == [
        ("Activation", "interface", []), ("Scorer", "interface", [])]
    assert analysis.diagnostics == []
