"""Text edits shared by the checks' fixes. Every fix keeps the file valid
Python: wrapping keeps the wrapped text, inserted lines keep indentation,
and ``import torch`` is added when the file does not bind ``torch``."""

from __future__ import annotations

import ast

from ..diagnostics import Edit, TextRange
from ..frontend.pyworld import ExternalRef, ModuleRef, ModuleScope, ref_path
from ..frontend.source import SourceFile


def node_range(source: SourceFile, node: ast.AST) -> TextRange:
    """The Python extent of a syntax node, as an editor range."""
    sl, sc = node.lineno, node.col_offset
    el, ec = node.end_lineno or sl, node.end_col_offset if node.end_col_offset is not None else sc
    return TextRange(sl - 1, source.code_point_col(sl, sc), el - 1, source.code_point_col(el, ec))


def node_text(source: SourceFile, node: ast.AST) -> str:
    start = source.offset(node.lineno, node.col_offset)
    end = source.offset(node.end_lineno or node.lineno, node.end_col_offset or node.col_offset)
    return source.slice(start, end)


def torch_is_imported(scope: ModuleScope | None, tree: ast.Module | None) -> bool:
    """Whether the module-level name ``torch`` is the torch package."""
    if scope is not None:
        ref = scope.lookup("torch")
        return (isinstance(ref, ExternalRef) and ref.path == "torch") or (
            isinstance(ref, ModuleRef) and ref_path(ref) == "torch")
    if tree is None:
        return False
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname is None and alias.name.split(".")[0] == "torch":
                    return True
    return False


def import_torch_edit(source: SourceFile, tree: ast.Module | None, scope: ModuleScope | None = None) -> Edit | None:
    """``import torch`` on its own line, after the docstring and ``__future__``
    imports; None when the file already imports it."""
    if torch_is_imported(scope, tree):
        return None
    line = 0
    if tree is not None:
        for i, stmt in enumerate(tree.body):
            is_docstring = (i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
                            and isinstance(stmt.value.value, str))
            if is_docstring or (isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"):
                line = stmt.end_lineno or stmt.lineno
            else:
                break
    return Edit(source.path, TextRange(line, 0, line, 0), "import torch\n")


def wrap_edits(source: SourceFile, tree: ast.Module | None, scope: ModuleScope | None, node: ast.expr,
               before: str, after: str = ")") -> tuple[Edit, ...]:
    """Wrap an expression: ``before + text + after`` (e.g. ``torch.jit.script(`` ... ``)``)."""
    edits = [Edit(source.path, node_range(source, node), before + node_text(source, node) + after)]
    imp = import_torch_edit(source, tree, scope) if before.startswith("torch.") else None
    return tuple([imp] if imp is not None else []) + tuple(edits)


def decorate_edits(source: SourceFile, tree: ast.Module | None, scope: ModuleScope | None,
                   definition: ast.ClassDef | ast.FunctionDef, decorator: str) -> tuple[Edit, ...]:
    """Add ``@decorator`` above a definition (and its existing decorators), at its indentation."""
    first = min([definition.lineno] + [d.lineno for d in definition.decorator_list])
    text = source.lines[first - 1] if first - 1 < len(source.lines) else ""
    indent = text[: len(text) - len(text.lstrip())]
    edits = [Edit(source.path, TextRange(first - 1, 0, first - 1, 0), f"{indent}@{decorator}\n")]
    imp = import_torch_edit(source, tree, scope) if decorator.startswith("torch.") else None
    return tuple([imp] if imp is not None else []) + tuple(edits)
