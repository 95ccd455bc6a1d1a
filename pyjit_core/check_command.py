"""``pyjit check``: find the files, check them, fix what may be fixed, report.

The steps, each in its own module: :mod:`.discovery` (which files),
:mod:`.batch` (checking them, in several processes), :mod:`.fixing` (``--fix``
and ``--diff``), :mod:`.report` (every ``--output-format``). This module
holds the order of the steps and the exit status: 0 nothing left to report,
1 findings, 2 a file that could not be read (or, raised to :mod:`.cli`, bad
usage or settings).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from . import discovery
from .batch import Job, Outcome, check_files
from .diagnostics import Fix
from .fixing import apply_fixes, unified_diff
from .report import Report, applicable_fix, emit
from .report.statistics import emit_json as statistics_json
from .report.statistics import emit_text as statistics_text
from .settings import SettingsResolver
from .sources import read_source_text, write_source_text

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

#: At most this many rounds of "check, apply fixes" (ruff stops at 100; a fix here never needs more than two).
MAX_FIX_PASSES = 10


@dataclass
class CheckOptions:
    paths: list[str]
    overrides: Mapping[str, Any] = field(default_factory=dict)   # the flags' settings (Config fields)
    output_format: str = "full"
    output_file: str | None = None
    statistics: bool = False
    quiet: bool = False
    exit_zero: bool = False
    stdin_filename: str | None = None      # read the text from stdin (path "-", or this flag alone)
    fix: bool = False
    diff: bool = False
    unsafe_fixes: bool = False
    show_fixes: bool = False
    force_exclude: bool = False
    jobs: int = 1
    cache_dir: str | None = None           # the result cache's directory (None: none; see .result_cache)
    version: str = "unknown"

    @property
    def reads_stdin(self) -> bool:
        return "-" in self.paths or (self.stdin_filename is not None and not self.paths)


def run_check(options: CheckOptions, out: TextIO, *, stdin: TextIO | None = None) -> int:
    cwd = os.getcwd()
    settings = SettingsResolver([cwd], overrides=options.overrides, strict=True)
    documents: dict[str, str] = {}
    named = [p for p in options.paths if p != "-"] or ([] if options.reads_stdin else ["."])
    files = discovery.python_files(named, settings, force_exclude=options.force_exclude)
    stdin_path = None
    if options.reads_stdin:
        stdin_path = os.path.abspath(options.stdin_filename or "-")
        text = (stdin or sys.stdin).read()
        documents[stdin_path] = text
        if not (options.force_exclude and discovery.excluded(stdin_path, settings)):
            files.append(options.stdin_filename or "-")
    for directory in sorted({os.path.dirname(os.path.abspath(f)) for f in files}):
        settings.folder_config(directory)     # a bad pyproject.toml: ConfigError here, before any work

    originals = dict(documents)
    fixed: dict[str, Counter[str]] = {}
    outcomes = _check(files, documents, options)
    if options.fix or options.diff:
        fixable_paths = {os.path.abspath(f) for f in files}
        for _ in range(MAX_FIX_PASSES):
            changed = _apply_fixes(outcomes, fixable_paths, documents, originals, fixed, options.unsafe_fixes)
            if not changed:
                break
            outcomes = _check(files, documents, options)

    report = Report([d for o in outcomes for d in o.diagnostics], checked=len(files),
                    unreadable=[(o.path, o.unreadable) for o in outcomes if o.unreadable is not None],
                    unsafe_fixes=options.unsafe_fixes, fixed=fixed, version=options.version, quiet=options.quiet,
                    show_fixes=options.show_fixes)
    for _, why in report.unreadable:
        print(f"pyjit: {why}", file=sys.stderr)

    if options.diff:
        return _show_diff(documents, originals, report, out)
    if stdin_path is not None and options.fix:
        out.write(documents.get(stdin_path, ""))     # the fixed text; the report goes to stderr
        out = sys.stderr
    else:
        _write_fixed(documents, originals, stdin_path)
    _write_report(report, options, out)
    if report.unreadable:
        return EXIT_ERROR
    return EXIT_FINDINGS if report.diagnostics and not options.exit_zero else EXIT_CLEAN


def _check(files: list[str], documents: dict[str, str], options: CheckOptions) -> list[Outcome]:
    job = Job((os.getcwd(),), dict(options.overrides), dict(documents), options.cache_dir)
    return check_files(files, job, jobs=options.jobs)


def _apply_fixes(outcomes: list[Outcome], fixable_paths: set[str], documents: dict[str, str],
                 originals: dict[str, str], fixed: dict[str, Counter[str]], unsafe: bool) -> bool:
    """One pass: apply the applicable fixes of ``outcomes`` to the texts in ``documents``
    (read from disk the first time; ``originals`` keeps that first text). True if any text changed."""
    by_path: dict[str, list[tuple[str, Fix]]] = {}
    for outcome in outcomes:
        for d in outcome.diagnostics:
            fix = applicable_fix(d, unsafe=unsafe)
            paths = {os.path.abspath(e.path) for e in fix.edits} if fix is not None else set()
            # Only files this run checks are written (a fix may sit in a callee's file).
            if len(paths) == 1 and (path := paths.pop()) in fixable_paths:
                by_path.setdefault(path, []).append((d.code, fix))
    changed = False
    for path, entries in by_path.items():
        if path not in documents:
            documents[path] = originals[path] = read_source_text(path)
        result = apply_fixes(documents[path], [fix for _, fix in entries])
        if result.text != documents[path]:
            changed = True
        documents[path] = result.text
        counts = fixed.setdefault(path, Counter())
        counts.update(entries[i][0] for i in result.applied)
    return changed


def _show_diff(documents: dict[str, str], originals: dict[str, str], report: Report, out: TextIO) -> int:
    """``--diff``: the changes ``--fix`` would make, nothing written; 1 when there are some."""
    shown = 0
    for path in sorted(documents, key=report.shown_path):
        if documents[path] != originals.get(path, documents[path]):
            out.write(unified_diff(report.shown_path(path), originals[path], documents[path]))
            shown += 1
    if not report.quiet:
        n = report.fixed_count
        print(f"Would fix {n} {'diagnostic' if n == 1 else 'diagnostics'}." if n else "No fixes to apply.",
              file=sys.stderr)
    if report.unreadable:
        return EXIT_ERROR
    return EXIT_FINDINGS if shown else EXIT_CLEAN


def _write_fixed(documents: dict[str, str], originals: dict[str, str], stdin_path: str | None) -> None:
    for path, text in documents.items():
        if path != stdin_path and text != originals.get(path, text):
            write_source_text(path, text)


def _write_report(report: Report, options: CheckOptions, out: TextIO) -> None:
    if options.output_file is None:
        _emit(report, options, out)
        return
    os.makedirs(os.path.dirname(os.path.abspath(options.output_file)), exist_ok=True)
    with open(options.output_file, "w", encoding="utf-8", newline="\n") as f:
        _emit(report, options, f)


def _emit(report: Report, options: CheckOptions, out: TextIO) -> None:
    if options.statistics:
        (statistics_json if options.output_format in ("json", "json-lines") else statistics_text)(report, out)
    else:
        emit(options.output_format, report, out)
