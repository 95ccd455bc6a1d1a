"""torch's source bundled with pyjit: what it holds, and how an analysis without torch reads it.

No torch needed: these analyses pass ``torch_root=None``, what pyjit is given
when no torch is found. ``test_bundled_torch.py`` compares such analyses with
those of the installed torch's source.
"""

from __future__ import annotations

import ast
import importlib.util
import textwrap
from pathlib import Path

import pytest

from pyjit_core.frontend import torch_library
from pyjit_core.frontend.driver import analyze_source
from pyjit_core.frontend.pyworld import ModuleRef, PyWorld

REPO = Path(__file__).resolve().parents[2]
FOLDER = "<bundled torch 2.13.0>"


def analyze_without_torch(body: str):
    source = "import torch\nimport torch.nn.functional as F\nfrom torch import Tensor\n\n" + textwrap.dedent(body)
    return analyze_source(source, "/virtual/case.py", module_name="case", torch_root=None)


def errors(analysis) -> list[str]:
    return [f"{d.code}: {d.message}" for d in analysis.diagnostics if d.is_error]


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_torch_library", REPO / "tools" / "gen_torch_library.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the virtual torch root -------------------------------------------------------------------------


def test_a_world_without_torch_reads_torchs_modules_from_the_bundle() -> None:
    world = PyWorld([], None)
    assert world.torch_root == f"{FOLDER}/torch"
    functional = world.resolve_path("torch.nn.functional")
    assert isinstance(functional, ModuleRef)
    assert functional.scope.source.path == f"{FOLDER}/torch/nn/functional.py"
    assert world.module("torch.nn.modules").source.path == f"{FOLDER}/torch/nn/modules/__init__.py"
    assert world.module("torch.nn.not_a_module") is None


def test_torchs_functions_are_compiled_from_the_bundle_and_named_by_its_paths() -> None:
    analysis = analyze_without_torch("""
        @torch.jit.script
        def f(x: Tensor) -> Tensor:
            return F.relu(x)
    """)
    assert errors(analysis) == []
    relu = analysis.functions["__torch__.torch.nn.functional.relu"]
    assert relu.path == f"{FOLDER}/torch/nn/functional.py"
    assert "aten::relu" in str(relu.graph)
    assert f"# {FOLDER}/torch/nn/functional.py:" in str(relu.graph)


# --- what used to break without torch (issue 8) -------------------------------------------------------


def test_no_grad_is_a_context_manager() -> None:
    analysis = analyze_without_torch("""
        @torch.jit.script
        def f(x: Tensor) -> Tensor:
            with torch.no_grad():
                y = x * 2
            return y
    """)
    assert errors(analysis) == []
    graph = str(analysis.functions["__torch__.case.f"].graph)
    assert "prim::Enter" in graph
    assert "prim::Exit" in graph


def test_interpolate_takes_its_keyword_arguments() -> None:
    analysis = analyze_without_torch("""
        @torch.jit.script
        def f(x: Tensor) -> Tensor:
            return F.interpolate(x, scale_factor=2.0)
    """)
    assert errors(analysis) == []


def test_max_pool_dispatches_on_return_indices() -> None:
    analysis = analyze_without_torch("""
        @torch.jit.script
        def f(x: Tensor) -> Tensor:
            y, indices = F.max_pool2d(x, 2, return_indices=True)
            return y
    """)
    assert errors(analysis) == []
    assert "__torch__.torch.nn.functional.max_pool2d_with_indices" in analysis.functions


# --- what the bundle holds -----------------------------------------------------------------------------


def test_the_bundle_is_torchs_source_with_its_license_beside_it() -> None:
    paths = torch_library.bundled_paths()
    assert f"{FOLDER}/torch/nn/functional.py" in paths
    assert f"{FOLDER}/torch/jit/_script.py" in paths
    assert f"{FOLDER}/torch/autograd/grad_mode.py" in paths
    assert all(p.startswith(f"{FOLDER}/torch/") and p.endswith(".py") for p in paths)
    notice = (torch_library.DATA_DIR / "torch_source.LICENSE").read_text(encoding="utf-8")
    assert "From PyTorch:" in notice
    assert "Redistribution and use in source and binary forms" in notice


def test_pruning_takes_out_documentation_and_moves_nothing() -> None:
    source = textwrap.dedent('''\
        """A module docstring
        over two lines."""
        import torch
        from torch._C import _add_docstr

        relu = _add_docstr(torch.relu, r"""
        relu(input) -> Tensor
        """)  # the docstring of torch.relu
        gelu = _add_docstr(torch.gelu, "gélu, kept: the parenthesis after it would move")


        class Layer:
            """A layer."""

            __doc__ = "Also a layer, at some length."

            def forward(self, x):  # type: (Tensor) -> Tensor
                """Forward, é.
                """
                return x + 1  # add one
    ''')
    pruned = load_generator().prune(source)
    assert "docstring" not in pruned
    assert "relu(input)" not in pruned
    assert "add one" not in pruned
    assert "at some length" not in pruned
    assert "Forward" not in pruned
    assert "# type: (Tensor) -> Tensor" in pruned
    assert '"gélu, kept: the parenthesis after it would move")' in pruned
    assert len(pruned.splitlines()) == len(source.splitlines())
    before = [(type(n).__name__, n.lineno, n.col_offset, n.end_lineno, n.end_col_offset)
              for n in ast.walk(ast.parse(source)) if isinstance(n, ast.stmt)]
    after = [(type(n).__name__, n.lineno, n.col_offset, n.end_lineno, n.end_col_offset)
             for n in ast.walk(ast.parse(pruned)) if isinstance(n, ast.stmt)]
    assert after == before


def test_the_generator_refuses_a_module_torch_does_not_have(tmp_path) -> None:
    generator = load_generator()
    (tmp_path / "torch").mkdir()
    (tmp_path / "torch" / "__init__.py").write_text("")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generator, "MODULES", ("torch", "torch.nowhere"))
        with pytest.raises(SystemExit, match=r"torch\.nowhere"):
            generator.module_files(tmp_path / "torch")
