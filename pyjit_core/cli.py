"""``pyjit``: the command line.

    pyjit check [PATHS ...] [--output-format FORMAT] [--fix] [--jobs N] ...  (``pyjit check --help``)
    pyjit ir FILE[::QUALNAME] [--roots MODE]
    pyjit rule [CODE]

Exit status, as ruff's: 0 nothing found, 1 findings, 2 bad usage, bad
configuration, a file that cannot be read, or an internal error. Settings
come from ``[tool.pyjit]`` of the nearest ``pyproject.toml`` above each
file; flags override them. Nothing here imports or runs the checked code.
``pyjit check`` itself is :mod:`.check_command`.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .batch import default_jobs
from .check_command import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, CheckOptions, run_check
from .config import ROOTS_MODES, ConfigError, config_from_mapping
from .diagnostics import CATALOG, Diagnostic
from .discovery import MissingPath
from .exceptions import PyjitError
from .report import FORMATS, Report
from .report.text import full_line
from .result_cache import default_directory
from .session import Session
from .settings import SettingsResolver
from .sources import UnreadableSource


class UsageError(PyjitError):
    """Bad arguments or settings: exit 2 with this message."""


# --- settings from flags ---------------------------------------------------------------------------

#: Flags that are settings: argparse destination -> [tool.pyjit] key.
SETTING_FLAGS = {"roots": "roots", "select": "select", "ignore": "ignore", "torch_source": "torch-source",
                 "python": "python", "search_path": "search-paths", "exclude": "exclude",
                 "extend_exclude": "extend-exclude", "respect_gitignore": "respect-gitignore",
                 "per_file_ignores": "per-file-ignores", "analysis_budget": "analysis-budget"}


def _resolver(args: argparse.Namespace, *, roots: str | None = None) -> SettingsResolver:
    """Settings as ``pyjit ir`` reads them: each file's ``[tool.pyjit]``, the flags over it;
    the current directory stands for the workspace."""
    overrides = _overrides(args)
    if roots is not None and "roots" not in overrides:
        overrides["roots"] = roots
    overrides["analysis_budget"] = 0.0   # the graph asked for, whatever `[tool.pyjit]` says
    return SettingsResolver([os.getcwd()], overrides=overrides, strict=True)


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    """The flags that were given, as :class:`.config.Config` fields (checked as the file's are)."""
    raw = {key: value for dest, key in SETTING_FLAGS.items()
           if (value := getattr(args, dest, None)) is not None and value != []}
    if "per-file-ignores" in raw:
        raw["per-file-ignores"] = _per_file_ignores(raw["per-file-ignores"])
    config, problems = config_from_mapping(raw, style="kebab", base_dir=os.getcwd())
    if problems:
        raise UsageError("; ".join(problems))
    fields = {key: key.replace("-", "_") for key in raw}
    return {field: getattr(config, field) for field in fields.values()}


def _per_file_ignores(values: list[str]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for value in values:
        pattern, sep, codes = value.rpartition(":")
        if not sep or not pattern:
            raise UsageError(f"--per-file-ignores expects PATTERN:CODES, got {value!r}")
        table.setdefault(pattern, []).extend(_codes(codes))
    return table


def format_text(d: Diagnostic) -> str:
    """``path:line:col: CODE message`` and the notes below it, as ``pyjit check`` prints it."""
    return full_line(d, Report([], 0))


# --- commands ----------------------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.diff and args.fix:
        args.fix = False
    options = CheckOptions(
        paths=args.paths, overrides=_overrides(args), output_format=args.output_format,
        output_file=args.output_file, statistics=args.statistics, quiet=args.quiet, exit_zero=args.exit_zero,
        stdin_filename=args.stdin_filename, fix=args.fix, diff=args.diff, unsafe_fixes=args.unsafe_fixes,
        show_fixes=args.show_fixes, force_exclude=args.force_exclude, jobs=args.jobs or default_jobs(),
        cache_dir=None if args.no_cache else default_directory(), version=_version())
    try:
        return run_check(options, out)
    except MissingPath as e:
        raise UsageError(str(e)) from None


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    from .migrate_command import emit, survey

    overrides = _overrides(args)
    overrides["select"] = ("PJ6",)           # the readiness findings, whatever select says elsewhere
    settings = SettingsResolver([os.getcwd()], overrides=overrides, strict=True)
    try:
        files = survey(args.paths or ["."], settings)
    except MissingPath as e:
        raise UsageError(str(e)) from None
    emit(files, args.output_format, out, Report([], len(files), version=_version()))
    return EXIT_CLEAN


def cmd_ir(args: argparse.Namespace, out: TextIO) -> int:
    target, _, name = args.target.partition("::")
    path = Path(target)
    if not path.is_file():
        raise UsageError(f"{target}: no such file")
    # Any top-level function or class can be named.
    session = Session(_resolver(args, roots="all" if name else None))
    try:
        result = session.check(str(path))
    except UnreadableSource as e:
        raise UsageError(str(e)) from None

    show = format_text
    if name:
        preview = session.graph(result, name=name)
        if preview.text is not None:
            if preview.representative is not None:
                out.write(f"# {preview.representative}\n")
            out.write(preview.text if preview.text.endswith("\n") else preview.text + "\n")
            return EXIT_CLEAN
        if preview.qualified_name is None:
            raise UsageError(preview.problem or f"no function {name!r} compiled in {target}")
        print(f"pyjit: {name} does not compile:", file=sys.stderr)
        for d in preview.diagnostics:
            print(show(d), file=sys.stderr)
        return EXIT_FINDINGS
    graphs = []
    analysis = result.analysis
    for root in analysis.roots:
        for q in root.functions:
            fn = analysis.functions.get(q)
            if fn is not None and fn.path == str(path) and fn.graph is not None:
                graphs.append((fn.python_name.removeprefix(analysis.module_name + "."), str(fn.graph)))
    for i, (python_name, text) in enumerate(graphs):
        if len(graphs) > 1:
            out.write(("\n" if i else "") + f"# {python_name}\n")
        out.write(text if text.endswith("\n") else text + "\n")
    for d in result.diagnostics:
        print(show(d), file=sys.stderr)
    if not graphs and not result.diagnostics:
        raise UsageError(f"no roots in {target} (name one: {target}::NAME, or pass --roots all)")
    return EXIT_FINDINGS if result.diagnostics else EXIT_CLEAN


def cmd_rule(args: argparse.Namespace, out: TextIO) -> int:
    if args.code is None:
        for rule in sorted(CATALOG.values(), key=lambda r: r.code):
            out.write(f"{rule.code}  {rule.name:<36} {rule.summary}\n")
        return EXIT_CLEAN
    wanted = args.code.strip()
    rule = CATALOG.get(wanted.upper()) or next((r for r in CATALOG.values() if r.name == wanted.lower()), None)
    if rule is None:
        raise UsageError(f"unknown rule {wanted!r} (`pyjit rule` lists them)")
    retired = " (retired)" if rule.retired else ""
    out.write(f"# {rule.code} {rule.name}{retired}\n\n"
              f"Default severity: {rule.severity.label}\n\n"
              f"{rule.summary}\n\n{rule.explanation}\n\n{rule.url}\n")
    return EXIT_CLEAN


# --- entry ------------------------------------------------------------------------------------------

def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pyjit", description="TorchScript checks without torch: "
                                     "analyse Python the way torch.jit.script would.")
    parser.add_argument("--version", action="version", version=f"pyjit {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def settings_flags(p: argparse.ArgumentParser) -> None:
        p.add_argument("--roots", choices=ROOTS_MODES, help="which definitions are script roots")
        p.add_argument("--torch-source", metavar="DIR", help="the torch package directory to read")
        p.add_argument("--python", metavar="EXE", help="an interpreter whose environment holds torch")
        p.add_argument("--search-path", metavar="DIR", action="append",
                       help="where your own packages live (repeatable; default: the project root)")
        p.set_defaults(select=None, ignore=None)

    check = sub.add_parser("check", help="report what torch.jit.script would reject")
    check.add_argument("paths", nargs="*", metavar="PATHS", help="files or folders (default: .); - reads stdin")
    settings_flags(check)
    check.add_argument("--select", type=_codes, metavar="CODES", help="comma-separated codes or prefixes to report")
    check.add_argument("--ignore", type=_codes, metavar="CODES", help="comma-separated codes or prefixes to skip")
    check.add_argument("--per-file-ignores", metavar="PATTERN:CODES", action="append",
                       help="codes never reported in the files PATTERN matches (repeatable)")
    files = check.add_argument_group("files")
    files.add_argument("--exclude", metavar="PATTERN", action="append",
                       help="files and folders never searched, replacing the default list (repeatable)")
    files.add_argument("--extend-exclude", metavar="PATTERN", action="append",
                       help="more files and folders never searched (repeatable)")
    files.add_argument("--respect-gitignore", action=argparse.BooleanOptionalAction, default=None,
                       help="skip what .gitignore files ignore (default: on)")
    files.add_argument("--force-exclude", action="store_true",
                       help="apply the exclusions to files named on the command line too (pre-commit names them)")
    files.add_argument("--stdin-filename", metavar="PATH",
                       help="read the text from stdin, checked as if it were this file")
    output = check.add_argument_group("output")
    output.add_argument("--output-format", choices=FORMATS, default="full",
                        help="full (default), concise, json, json-lines, sarif, github, gitlab, junit or pylint")
    output.add_argument("-o", "--output-file", metavar="PATH", help="write the report to this file")
    output.add_argument("--statistics", action="store_true", help="print how many findings each code has instead")
    output.add_argument("-q", "--quiet", action="store_true", help="print the findings only, without a summary")
    output.add_argument("--exit-zero", action="store_true", help="exit 0 even when something is found")
    fixes = check.add_argument_group("fixes")
    fixes.add_argument("--fix", action="store_true", help="apply the safe fixes, then report what is left")
    fixes.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix or --diff, apply the unsafe fixes too (they may change what the code does)")
    fixes.add_argument("--diff", action="store_true", help="print the changes --fix would make; write nothing")
    fixes.add_argument("--show-fixes", action="store_true", help="name each finding's fix, and list the fixes applied")
    check.add_argument("--analysis-budget", type=float, metavar="SECONDS",
                       help="stop each file's analysis after this long and report what it found (default: 0, no limit)")
    check.add_argument("-j", "--jobs", type=int, metavar="N",
                       help="files checked in parallel, in N processes (default: every core)")
    check.add_argument("--no-cache", action="store_true",
                       help="analyse every file again, without reading or writing the result cache "
                            "(also: PYJIT_NO_CACHE=1)")
    check.set_defaults(run=cmd_check)

    migrate = sub.add_parser("migrate", help="which roots script, which would export with torch.export, "
                             "and what blocks them")
    migrate.add_argument("paths", nargs="*", metavar="PATHS", help="files or folders (default: .)")
    settings_flags(migrate)
    migrate.add_argument("--output-format", choices=("text", "json", "sarif"), default="text",
                         help="text (default), json or sarif")
    migrate.set_defaults(run=cmd_migrate)

    ir = sub.add_parser("ir", help="print the TorchScript graph of a root, as torch prints it")
    ir.add_argument("target", metavar="FILE[::QUALNAME]", help="a file, or one function or method in it")
    settings_flags(ir)
    ir.set_defaults(run=cmd_ir)

    rule = sub.add_parser("rule", help="explain a diagnostic code (without one: list them)")
    rule.add_argument("code", nargs="?", metavar="CODE", help="a code (PJ101) or rule name")
    rule.set_defaults(run=cmd_rule, roots=None, select=None, ignore=None)
    return parser


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("pyjit-torchscript")   # the distribution's name (pyproject.toml)
    except Exception:
        return "unknown"


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return args.run(args, out)
    except UsageError as e:
        print(f"pyjit: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except ConfigError as e:
        print(f"pyjit: invalid configuration in {e.source}:", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_CLEAN
    except Exception:
        print("pyjit: internal error (please report it):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
