"""Errors in other files, shown where the analysed file calls into them.

torch reports a compile error where it is -- in the callee, perhaps in
another file -- and names the caller after it ("'helper' is being compiled
since it was called from 'f'"). The frontend does the same, so a root that
fails because a function it calls (from another module) does not compile has
its diagnostic in that other file. An editor shows diagnostics per file: the
file holding the root would show nothing. :func:`diagnostics_in_file` adds,
for each such error, one diagnostic in the analysed file, at the call that
leads there (else at the root's name), with torch's wording for the chain and
the error's own place as related information.

The CLI does not use this: it prints every path already (see :mod:`.presentation`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, RelatedLocation, TextRange

if TYPE_CHECKING:
    from ..frontend.results import Analysis, Root
    from ..frontend.source import SourceFile
    from ..result import CheckResult


def diagnostics_in_file(result: CheckResult) -> list[Diagnostic]:
    """``result``'s findings in its own file, then those its roots met in other files, brought here."""
    path = result.path
    own = [d for d in result.found if d.path == path]
    elsewhere = [d for d in result.found if d.path != path]
    if not elsewhere:
        return own
    source = result.source_file
    tree = result.tree
    brought: list[Diagnostic] = []
    for d in elsewhere:
        key = _key(d)
        for root in result.analysis.roots:
            if any(_key(r) == key for r in root.diagnostics):
                brought.append(_brought_here(d, root, result.analysis, source, tree))
                break   # once: the first root that meets it says enough
    brought.sort(key=lambda d: (d.range.start_line, d.range.start_col, d.code))
    return own + brought


def _key(d: Diagnostic) -> tuple:
    # The frontend's diagnostic, whatever fixes and severity the checks gave it since.
    return (d.code, d.message, d.path, d.range)


def _brought_here(d: Diagnostic, root: Root, analysis: Analysis, source: SourceFile,
                  tree: ast.Module | None) -> Diagnostic:
    failed = {fn.python_name.rsplit(".", 1)[-1]: fn for q in root.functions
              if (fn := analysis.functions.get(q)) is not None and fn.path != analysis.path and fn.graph is None}
    definition = _definition(tree, root) if tree is not None else None
    call = _first_call(definition, failed, source) if definition is not None else None
    if call is not None:
        name, where = call
    else:
        name, where = _callee_of(d, failed.values()), _name_range(source, definition, root)
    chain = f"'{name}' is being compiled since it was called from '{root.name}'" if name else \
        f"'{root.name}' cannot be compiled"
    return Diagnostic(d.code, f"{d.message}\n{chain}", analysis.path, where,
                      related=(RelatedLocation(d.path, d.range, d.message.split("\n", 1)[0]), *d.related),
                      severity_override=d.severity_override)


def _definition(tree: ast.Module, root: Root) -> ast.AST | None:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.lineno == root.first_line:
            return node
    return None


def _first_call(definition: ast.AST, failed: dict, source: SourceFile) -> tuple[str, TextRange] | None:
    """The first call in ``definition`` (in source order) to a function named like one that failed in another file."""
    calls = []
    for node in ast.walk(definition):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name in failed:
                calls.append((func.end_lineno or func.lineno, func.end_col_offset or 0, func, name))
    if not calls:
        return None
    _, _, func, name = min(calls, key=lambda c: (c[0], c[1]))
    # The called name only (``helper`` in ``mod.helper(x)``), as a hover would point.
    line = func.end_lineno or func.lineno
    end = func.end_col_offset if func.end_col_offset is not None else func.col_offset
    start = end - len(name.encode("utf-8"))   # ast columns are UTF-8 offsets
    return name, TextRange(line - 1, source.code_point_col(line, start), line - 1, source.code_point_col(line, end))


def _name_range(source: SourceFile, definition: ast.AST | None, root: Root) -> TextRange:
    line = root.first_line - 1
    text = source.lines[line] if line < len(source.lines) else ""
    name = root.name.rsplit(".", 1)[-1]
    col = text.find(name, text.find("def ") + 4 if "def " in text else 0)
    return TextRange(line, max(col, 0), line, max(col, 0) + len(name)) if col >= 0 else TextRange(line, 0, line, 0)


def _callee_of(d: Diagnostic, failed: Iterable) -> str | None:
    for fn in failed:
        if fn.path == d.path and fn.first_line <= d.range.start_line + 1 <= fn.last_line:
            return fn.python_name.rsplit(".", 1)[-1]
    return None
