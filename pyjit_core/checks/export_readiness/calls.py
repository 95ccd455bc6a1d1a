"""The calls of compiled functions the syntactic rules look at, found in one walk.

Resolving a callee's dotted name follows imports, so it is done only for calls
whose last name part is one a rule knows (``fork``, ``is_scripting``, ``print``...).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence

# The last name part of every callee a rule in constructs.py or migration.py matches.
KNOWN = frozenset({"fork", "_fork", "wait", "_wait", "isinstance", "_isinstance", "script", "trace", "trace_module",
                   "print", "warn", "debug", "info", "warning", "error", "exception", "critical", "log",
                   "is_scripting", "annotate"})


def _last_part(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


# A mention worth a walk: a method-style call of a known name, or a bare call of a name
# that is imported bare (`from torch.jit import fork`); `isinstance(` alone is Python's own.
_MENTION = re.compile(r"(?:\.(?:" + "|".join(sorted(KNOWN)) + r")|\b(?:print|fork|wait|is_scripting|annotate|script|"
                      r"trace))\s*\(")


def known_calls(definitions: Iterable[ast.stmt], lines: Sequence[str]) -> list[tuple[ast.Call, ast.AST | None]]:
    """``(call, parent)`` for every call to a known name inside ``definitions``; ``parent`` is the
    ``Assign`` whose value the call is, else None. A definition whose text names none is not walked."""
    out: list[tuple[ast.Call, ast.AST | None]] = []
    for definition in definitions:
        text = "\n".join(lines[definition.lineno - 1:definition.end_lineno or definition.lineno])
        if not _MENTION.search(text):
            continue
        assigned: dict[int, ast.Assign] = {}
        for n in ast.walk(definition):
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call):
                assigned[id(n.value)] = n
            elif isinstance(n, ast.Call) and _last_part(n.func) in KNOWN:
                out.append((n, assigned.get(id(n))))
    return out
