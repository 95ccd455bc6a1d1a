"""Deeply nested code torch compiles is compiled; deeper code is a diagnostic, never a crash."""

from __future__ import annotations

from pyjit_core.session import Session


def chain(n: int) -> str:
    return "import torch\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return " + " + ".join(["x"] * n) + "\n"


def ternary(depth: int) -> str:
    expr = "x"
    for i in range(depth):
        expr = f"({i} if x > {i} else {expr})"
    return f"import torch\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return {expr}\n"


def test_a_300_term_chain_compiles_as_torch_compiles_it() -> None:
    result = Session().check("/virtual/chain.py", chain(300))
    assert result.diagnostics == []
    assert str(result.analysis.functions["__torch__.chain.f"].graph).count("aten::add") == 299


def test_a_200_deep_conditional_expression_compiles() -> None:
    result = Session().check("/virtual/ternary.py", ternary(200))
    assert result.diagnostics == []
    assert result.analysis.functions["__torch__.ternary.f"].graph is not None


def test_far_deeper_code_is_analysed_or_is_pythons_own_syntax_error() -> None:
    deep = Session().check("/virtual/deep.py", chain(5000))
    assert deep.diagnostics == []
    assert deep.analysis.functions["__torch__.deep.f"].graph is not None
    parens = Session().check("/virtual/parens.py", "x = " + "(" * 3000 + "1" + ")" * 3000 + "\n")
    assert [(d.code, d.message) for d in parens.diagnostics] == [("PJ001", "too many nested parentheses")]
