"""Where the conformance corpus is, and which of its definitions are roots.

A *root* is what ``torch.jit.script`` is applied to: a function or class
decorated with ``@torch.jit.script`` (or ``@torch.jit.interface``), or the
argument of a module-level ``torch.jit.script(...)`` call -- a function, a
class, or an instance ``torch.jit.script(Model(...))``. Roots are found here
from the ``ast`` alone, so the runner and the no-torch tests can use this
module; the torch side (:mod:`.torch_side`) confirms each one by watching
the real ``torch.jit.script`` run.

A rejected root carries a one-line comment right above it (above its first
decorator, or above the ``torch.jit.script(...)`` call)::

    # error: try blocks aren't supported

The text after ``error:`` is a fragment of the message torch raises; a test
checks that it is, and that roots without the comment are accepted.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
CORPUS_DIR = HERE / "corpus"
#: The corpus is imported as this package (``corpus.control_flow``), so the
#: qualified names torch gives are ``__torch__.corpus.control_flow.f``.
CORPUS_PACKAGE = "corpus"
#: The directory that has ``corpus/`` in it: what must be on ``sys.path`` for
#: the corpus's absolute imports (``from corpus.userpkg import layers``).
CORPUS_SEARCH_ROOT = HERE

ERROR_COMMENT = "# error:"

_SCRIPT = {"torch.jit.script", "jit.script"}
_INTERFACE = {"torch.jit.interface", "jit.interface"}


@dataclass(frozen=True)
class StaticRoot:
    name: str                  # the function's or class's name ("f", "Model")
    kind: str                  # "function" | "class" | "module" | "interface"
    first_line: int            # 1-based span of the definition (decorators excluded)
    last_line: int
    script_call_line: int | None   # the `torch.jit.script(...)` line, when a call made it a root
    statement: int             # index in the module body of the statement that makes it a root
    expected_error: str | None     # the `# error:` comment's text, None for an accepted root


def corpus_files(corpus_dir: Path = CORPUS_DIR) -> list[Path]:
    """Every corpus file that has at least one root, in a stable order."""
    out = []
    for path in sorted(corpus_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        if find_roots(path.read_text(encoding="utf-8")):
            out.append(path)
    return out


def module_name_for(path: Path, corpus_dir: Path = CORPUS_DIR) -> str:
    """``corpus/userpkg/models.py`` -> ``corpus.userpkg.models``."""
    rel = path.resolve().relative_to(corpus_dir.resolve()).with_suffix("")
    parts = [CORPUS_PACKAGE, *rel.parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def expectation_name(path: Path, corpus_dir: Path = CORPUS_DIR) -> str:
    """The expectation file's stem: ``control_flow``, ``userpkg.models``."""
    return module_name_for(path, corpus_dir).split(".", 1)[1]


def repo_relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def dotted(expr: ast.expr) -> str | None:
    """``torch.jit.script`` for that attribute chain, None for anything else."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


def _decorator_target(dec: ast.expr) -> str | None:
    if isinstance(dec, ast.Call):
        dec = dec.func
    return dotted(dec)


def _script_call(stmt: ast.stmt) -> ast.Call | None:
    """The ``torch.jit.script(...)`` call a module-level statement consists of."""
    value: ast.expr | None = None
    if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign)):
        value = stmt.value
    if isinstance(value, ast.Call) and dotted(value.func) in _SCRIPT and value.args:
        return value
    return None


def _error_comment(lines: list[str], line: int) -> str | None:
    """The ``# error:`` text on the line just above 1-based ``line``."""
    if line >= 2:
        above = lines[line - 2].strip()
        if above.startswith(ERROR_COMMENT):
            return above[len(ERROR_COMMENT):].strip()
    return None


def find_roots(source: str) -> list[StaticRoot]:
    tree = ast.parse(source)
    lines = source.splitlines()
    defs: dict[str, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef] = {}
    roots: list[StaticRoot] = []
    for index, stmt in enumerate(tree.body):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs[stmt.name] = stmt
            for dec in stmt.decorator_list:
                target = _decorator_target(dec)
                if target in _SCRIPT or target in _INTERFACE:
                    if target in _INTERFACE:
                        kind = "interface"
                    else:
                        kind = "class" if isinstance(stmt, ast.ClassDef) else "function"
                    top = min(d.lineno for d in stmt.decorator_list)
                    roots.append(StaticRoot(stmt.name, kind, stmt.lineno, stmt.end_lineno or stmt.lineno,
                                            None, index, _error_comment(lines, top)))
                    break
            continue
        call = _script_call(stmt)
        if call is None:
            continue
        arg = call.args[0]
        if isinstance(arg, ast.Call):
            name = (dotted(arg.func) or "?").rsplit(".", 1)[-1]
            kind = "module"
        else:
            name = (dotted(arg) or "?").rsplit(".", 1)[-1]
            defined = defs.get(name)
            kind = "class" if isinstance(defined, ast.ClassDef) else "function"
        defined = defs.get(name)
        first = defined.lineno if defined is not None else stmt.lineno
        last = (defined.end_lineno or first) if defined is not None else (stmt.end_lineno or stmt.lineno)
        roots.append(StaticRoot(name, kind, first, last, call.lineno, index,
                                _error_comment(lines, stmt.lineno)))
    return roots
