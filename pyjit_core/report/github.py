"""``github``: GitHub Actions workflow commands, which GitHub shows as annotations on the changed lines.

``::error title=pyjit (PJ210),file=…,line=…,col=…,endLine=…,endColumn=…::message``
(``warning`` and ``notice`` for the other severities). GitHub shows at most
:data:`LIMIT` annotations of each kind per step and drops the rest silently, so
past the limit a finding is printed as a plain log line instead, and a last
notice says how many were not annotated and points to the SARIF upload (code
scanning), which keeps every one.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from ..diagnostics import Diagnostic, Severity
from .model import Report
from .text import concise_line

#: GitHub's limit per step, for errors and for warnings (and, here, notices too).
LIMIT = 10

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "notice",
            Severity.HINT: "notice"}


def emit(report: Report, out: TextIO) -> None:
    shown: Counter[str] = Counter()
    for d in report.diagnostics:
        command = _COMMAND[d.severity]
        if shown[command] < LIMIT:
            shown[command] += 1
            out.write(annotation(d, report, command) + "\n")
        else:
            out.write(concise_line(d, report) + "\n")
    left = len(report.diagnostics) - sum(shown.values())
    if left:
        out.write(f"::notice title=pyjit::{left} more {'finding is' if left == 1 else 'findings are'} in the log "
                  f"but not annotated: GitHub shows at most {LIMIT} errors and {LIMIT} warnings per step. Upload "
                  "`pyjit check --output-format sarif` with github/codeql-action/upload-sarif to see every "
                  "finding in code scanning.\n")


def annotation(d: Diagnostic, report: Report, command: str) -> str:
    r = d.range
    properties = {"title": f"pyjit ({d.code})", "file": report.shown_path(d.path), "line": r.start_line + 1,
                  "col": r.start_col + 1, "endLine": r.end_line + 1, "endColumn": r.end_col + 1}
    written = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
    return f"::{command} {written}::{_escape_data(f'{d.code} {d.message.strip()}')}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
