"""Render the catalog as ``docs/diagnostics.md``.

    python -m pyjit_core.diagnostics.docs            # print
    python -m pyjit_core.diagnostics.docs --write    # rewrite docs/diagnostics.md

A test fails when the committed file differs from this rendering.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .catalog import CATALOG, Rule

_GROUPS = {
    "0": "Source",
    "1": "Unsupported constructs",
    "2": "Names, types and calls",
    "3": "IR invariants",
    "4": "Calls into Python and export",
    "5": "Casting into TorchScript",
    "6": "Export readiness (opt-in)",
    "9": "pyjit itself",
}


def render() -> str:
    lines = [
        "# Diagnostics",
        "",
        "Every diagnostic pyjit reports, generated from `pyjit_core/diagnostics/catalog.py`",
        "(`python -m pyjit_core.diagnostics.docs --write`). Codes are stable and never reused.",
        "Silence one on its line with `# pyjit: ignore[CODE]`.",
        "",
        "| code | name | default severity | summary |",
        "|---|---|---|---|",
    ]
    rules = sorted(CATALOG.values(), key=lambda r: r.code)
    for r in rules:
        name = f"~~{r.name}~~ (retired)" if r.retired else r.name
        lines.append(f"| [{r.code}](#{_anchor(r)}) | {name} | {r.severity.label} | {r.summary} |")
    current = None
    for r in rules:
        group = r.code[2]
        if group != current:
            current = group
            lines += ["", f"## {group}xx: {_GROUPS.get(group, 'Other')}"]
        lines += ["", f"### {r.code} {r.name}", "", f"*{r.severity.label}* — {r.summary}", "", r.explanation]
    return "\n".join(lines) + "\n"


def _anchor(r: Rule) -> str:
    return f"{r.code.lower()}-{r.name}"


def default_path() -> Path:
    return Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if "--write" in argv:
        default_path().write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
