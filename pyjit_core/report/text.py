"""``full`` and ``concise``: the formats for people.

``concise`` is one line per finding, ``path:line:col: CODE message``, with
``[*]`` after the code when ``--fix`` can fix it (as ruff marks it). ``full``
adds the rest of a message that has several lines and torch's "used here"
notes, indented below it, and with ``--show-fixes`` the fix of each finding.
Both end with a summary (not with ``--quiet``).
"""

from __future__ import annotations

from typing import TextIO

from ..diagnostics import CATALOG, Diagnostic
from .model import Report, offered_fix


def emit_full(report: Report, out: TextIO) -> None:
    for d in report.diagnostics:
        out.write(full_line(d, report) + "\n")
    _summary(report, out)


def emit_concise(report: Report, out: TextIO) -> None:
    for d in report.diagnostics:
        out.write(concise_line(d, report) + "\n")
    _summary(report, out)


def concise_line(d: Diagnostic, report: Report) -> str:
    r = d.range
    marker = " [*]" if report.fix_of(d) is not None else ""
    return f"{report.shown_path(d.path)}:{r.start_line + 1}:{r.start_col + 1}: {d.code}{marker} {first_line(d.message)}"


def full_line(d: Diagnostic, report: Report) -> str:
    lines = [concise_line(d, report)]
    rest = d.message.strip("\n").split("\n")[1:]
    lines.extend(f"    {line}" for line in rest if line.strip())
    for rel in d.related:
        r = rel.range
        lines.append(f"    note: {report.shown_path(rel.path)}:{r.start_line + 1}:{r.start_col + 1}: {rel.message}")
    fix = offered_fix(d)
    if report.show_fixes and fix is not None:
        safety = "" if report.fix_of(d) is fix else f" ({fix.applicability.value})"
        lines.append(f"    fix{safety}: {fix.title}")
    return "\n".join(lines)


def first_line(message: str) -> str:
    return message.strip("\n").split("\n", 1)[0]


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def _summary(report: Report, out: TextIO) -> None:
    if report.quiet:
        return
    if report.fixed and report.show_fixes:
        out.write(f"Fixed {_plural(report.fixed_count, 'diagnostic')}:\n")
        for path, codes in report.fixed.items():
            out.write(f"- {report.shown_path(path)}:\n")
            for code, count in sorted(codes.items()):
                out.write(f"    {count} × {code} ({CATALOG[code].name})\n")
    elif report.fixed:
        out.write(f"Fixed {_plural(report.fixed_count, 'diagnostic')}.\n")
    found = len(report.diagnostics)
    if found:
        out.write(f"Found {_plural(found, 'diagnostic')} in {_plural(report.files_with_findings, 'file')} "
                  f"({report.checked} checked).\n")
    elif not report.unreadable:
        out.write(f"All checks passed ({_plural(report.checked, 'file')}).\n")
    fixable = sum(1 for d in report.diagnostics if report.fix_of(d) is not None)
    hidden = sum(1 for d in report.diagnostics if report.hidden_fix_of(d) is not None)
    hint = f"{_plural(hidden, 'hidden fix', 'hidden fixes')} can be enabled with the `--unsafe-fixes` option"
    if fixable:
        out.write(f"[*] {fixable} fixable with the `--fix` option" + (f" ({hint})" if hidden else "") + ".\n")
    elif hidden:
        out.write(f"No fixes available ({hint}).\n")
