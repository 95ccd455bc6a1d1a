"""``gitlab``: a GitLab Code Quality report (a JSON array), as ruff writes one.

Paths are relative to ``$CI_PROJECT_DIR`` when it is set (GitLab's checkout),
else to the current directory. A fingerprint is stable across runs: a hash of
the path, the code and the message, counted up when the same finding occurs
twice in a file, so GitLab can tell new findings from old ones.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from typing import TextIO

from ..diagnostics import Severity
from .model import Report

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFORMATION: "info",
             Severity.HINT: "info"}


def emit(report: Report, out: TextIO) -> None:
    base = os.environ.get("CI_PROJECT_DIR") or report.base_dir
    occurrences: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for d in report.diagnostics:
        path = os.path.relpath(os.path.abspath(d.path), base).replace(os.sep, "/")
        key = (path, d.code, d.message)
        fingerprint = hashlib.sha256(f"{path}\0{d.code}\0{d.message}\0{occurrences[key]}".encode()).hexdigest()[:32]
        occurrences[key] += 1
        r = d.range
        issues.append({
            "check_name": d.code,
            "description": f"{d.code}: {d.message.strip()}",
            "severity": _SEVERITY[d.severity],
            "fingerprint": fingerprint,
            "location": {"path": path, "positions": {
                "begin": {"line": r.start_line + 1, "column": r.start_col + 1},
                "end": {"line": r.end_line + 1, "column": r.end_col + 1}}},
        })
    json.dump(issues, out, indent=2, ensure_ascii=False)
    out.write("\n")

