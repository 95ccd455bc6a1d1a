"""``pyjit migrate``: where a tree stands on the way from TorchScript to ``torch.export``.

For every root of every file: whether TorchScript compiles it, whether it would
export (no PJ6 finding whose default mode fails), and what blocks it. As text (a
line per root and a summary), JSON (the same, for a dashboard) or SARIF (the PJ6
findings, for code scanning). The readiness findings are always on here,
whatever ``select`` says elsewhere.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from .checks.export_readiness.verdict import Verdict
from .discovery import python_files
from .editor.export_verdict import root_verdicts
from .report.model import Report
from .session import Session
from .settings import SettingsResolver

FORMATS = ("text", "json", "sarif")


@dataclass
class FileVerdicts:
    path: str
    verdicts: list[Verdict]


def survey(paths: list[str], settings: SettingsResolver) -> list[FileVerdicts]:
    session = Session(settings)
    out = []
    for path in python_files(paths, settings):
        result = session.check(path)
        out.append(FileVerdicts(path, root_verdicts(result)))
        session.release(result)
    return out


def summary(files: list[FileVerdicts]) -> dict:
    roots = [v for f in files for v in f.verdicts]
    blockers = Counter(d.code for v in roots for d in v.blockers)
    notes = Counter(d.code for v in roots for d in v.notes)
    return {"files": len(files), "roots": len(roots), "script": sum(v.scripts for v in roots),
            "export": sum(v.exportable for v in roots),
            "script_and_export": sum(v.scripts and v.exportable for v in roots),
            "blockers_by_kind": dict(sorted(blockers.items())), "notes_by_kind": dict(sorted(notes.items()))}


def emit(files: list[FileVerdicts], output_format: str, out: TextIO, report: Report) -> None:
    if output_format == "json":
        doc = {"summary": summary(files), "roots": [_root_json(f.path, v, report) for f in files for v in f.verdicts]}
        json.dump(doc, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif output_format == "sarif":
        from .report import sarif

        report.diagnostics = [d for f in files for v in f.verdicts for d in v.blockers + v.notes]
        sarif.emit(report, out)
    else:
        _text(files, out, report)


def _root_json(path: str, v: Verdict, report: Report) -> dict:
    def finding(d):
        return {"code": d.code, "line": d.range.start_line + 1, "column": d.range.start_col + 1,
                "default": d.data.get("default"), "strict": d.data.get("strict"), "message": d.message}

    return {"path": report.shown_path(path), "root": v.root, "kind": v.kind, "line": v.line, "script": v.scripts,
            "export": v.exportable, "blockers": [finding(d) for d in v.blockers],
            "notes": [finding(d) for d in v.notes]}


def _text(files: list[FileVerdicts], out: TextIO, report: Report) -> None:
    for f in files:
        for v in f.verdicts:
            out.write(f"{report.shown_path(f.path)}:{v.line}: {v.root}: {v.lens()}\n")
            for d in v.blockers:
                out.write(f"    {d.code} line {d.range.start_line + 1}: {d.message}\n")
    s = summary(files)
    out.write(f"\n{s['roots']} roots in {s['files']} files: {s['script']} script, {s['export']} would export "
              f"(torch.export, default mode), {s['script_and_export']} both.\n")
    if s["blockers_by_kind"]:
        out.write("Blockers by kind: " + ", ".join(f"{code} ×{n}" for code, n in s["blockers_by_kind"].items()) + "\n")
    if s["notes_by_kind"]:
        out.write("Notes by kind: " + ", ".join(f"{code} ×{n}" for code, n in s["notes_by_kind"].items()) + "\n")
