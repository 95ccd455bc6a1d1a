"""``--statistics``: how many findings each code has, instead of the findings (as ruff prints them).

As text, one line per code, most frequent first: count, code, ``[*]`` when
``--fix`` can fix them all (``[-]`` some), the rule's name. With ``--output-format
json`` (or ``json-lines``), a JSON array of ``{code, name, count, fixable}``.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from ..diagnostics import CATALOG
from .model import Report


def rows(report: Report) -> list[dict[str, Any]]:
    counts = Counter(d.code for d in report.diagnostics)
    fixable = Counter(d.code for d in report.diagnostics if report.fix_of(d) is not None)
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    return [{"code": code, "name": CATALOG[code].name, "count": counts[code], "fixable": fixable[code]}
            for code in ordered]


def emit_text(report: Report, out: TextIO) -> None:
    found = rows(report)
    if not found:
        return
    count_width = max(len(str(r["count"])) for r in found)
    any_fixable = any(r["fixable"] for r in found)
    for r in found:
        marker = ""
        if any_fixable:
            marker = "[*] " if r["fixable"] == r["count"] else "[-] " if r["fixable"] else "[ ] "
        out.write(f"{r['count']:>{count_width}}\t{r['code']}\t{marker}{r['name']}\n")


def emit_json(report: Report, out: TextIO) -> None:
    json.dump(rows(report), out, indent=2)
    out.write("\n")
