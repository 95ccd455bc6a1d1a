"""``pyjit``: the command line.

    pyjit check [PATHS ...] [--roots MODE] [--select CODES] [--ignore CODES] [--exit-zero]
    pyjit ir FILE[::QUALNAME] [--roots MODE]
    pyjit rule [CODE]

Exit status, as ruff's: 0 nothing found, 1 findings, 2 bad usage, bad
configuration or an internal error. Settings come from ``[tool.pyjit]`` of
the nearest ``pyproject.toml`` above each file; flags override them.
Nothing here imports or runs the checked code.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import Iterable, Iterator, Sequence, TextIO

from .config import ROOTS_MODES, ConfigError, config_from_mapping
from .diagnostics import CATALOG, Diagnostic
from .editor.presentation import Presentation
from .session import Session
from .settings import SettingsResolver
from .sources import UnreadableSource

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

#: Folders never searched when a directory is given (as ruff's default excludes).
EXCLUDED_DIRS = frozenset({"__pycache__", "node_modules", "build", "dist", "site-packages", "venv", "__pypackages__",
                           "_build", "buck-out"})


class UsageError(Exception):
    """Bad arguments or settings: exit 2 with this message."""


# --- files and settings ------------------------------------------------------------------------

def python_files(paths: Iterable[str]) -> Iterator[Path]:
    """Each ``.py`` file named or under a named folder, sorted, skipping hidden and build folders."""
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
        elif path.is_dir():
            found = []
            for directory, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in EXCLUDED_DIRS
                                 and not d.endswith(".egg-info"))
                found.extend(Path(directory, f) for f in files if f.endswith(".py"))
            yield from sorted(found)
        else:
            raise UsageError(f"{raw}: no such file or directory")


def _resolver(args: argparse.Namespace, *, roots: str | None = None) -> SettingsResolver:
    """Settings as ``pyjit check`` reads them: each file's ``[tool.pyjit]``, the flags over it;
    the current directory stands for the workspace."""
    overrides = _overrides(args)
    if roots is not None and "roots" not in overrides:
        overrides["roots"] = roots
    return SettingsResolver([os.getcwd()], overrides=overrides, strict=True)


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    raw = {key: value for key, value in (
        ("roots", args.roots), ("select", args.select), ("ignore", args.ignore),
        ("torch-source", getattr(args, "torch_source", None)), ("python", getattr(args, "python", None)),
        ("search-paths", getattr(args, "search_path", None) or None)) if value is not None}
    config, problems = config_from_mapping(raw, style="kebab", base_dir=os.getcwd())
    if problems:
        raise UsageError("; ".join(problems))
    names = {"torch-source": "torch_source", "search-paths": "search_paths"}
    return {names.get(k, k): getattr(config, names.get(k, k)) for k in raw}


# --- output ---------------------------------------------------------------------------------------

def format_text(d: Diagnostic, shown_path: str) -> str:
    """``path:line:col: CODE message`` (1-based line and code-point column), related notes below."""
    r = d.range
    lines = [f"{shown_path}:{r.start_line + 1}:{r.start_col + 1}: {d.code} {_first_line(d.message)}"]
    rest = d.message.strip("\n").split("\n")[1:]
    lines.extend(f"    {line}" for line in rest if line.strip())
    for rel in d.related:
        lines.append(f"    note: {_display(rel.path)}:{rel.range.start_line + 1}:{rel.range.start_col + 1}: {rel.message}")
    return "\n".join(lines)


def _first_line(message: str) -> str:
    return message.strip("\n").split("\n", 1)[0]


def _display(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


# --- commands ----------------------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    session = Session(_resolver(args), presentation=Presentation.WHERE_FOUND)
    files = list(python_files(args.paths or ["."]))
    found = 0
    failed = 0
    with_findings: set[str] = set()
    for path in files:
        try:
            result = session.check(str(path))
        except UnreadableSource as e:
            print(f"pyjit: {e}", file=sys.stderr)
            failed += 1
            continue
        for d in result.diagnostics:
            # A diagnostic may sit in another file: a callee that fails to compile for this file's root.
            print(format_text(d, str(path) if d.path == str(path) else _display(d.path)), file=out)
            with_findings.add(os.path.abspath(d.path))
            found += 1
        session.release(result)
    if found:
        print(f"Found {found} {'diagnostic' if found == 1 else 'diagnostics'} in {len(with_findings)} "
              f"{'file' if len(with_findings) == 1 else 'files'} ({len(files)} checked).", file=out)
    elif not failed:
        print(f"All checks passed ({len(files)} {'file' if len(files) == 1 else 'files'}).", file=out)
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if found and not args.exit_zero else EXIT_CLEAN


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

    def show(d: Diagnostic) -> str:
        return format_text(d, str(path) if d.path == str(path) else _display(d.path))

    if name:
        preview = session.graph(result, name=name)
        if preview.text is not None:
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
    check.add_argument("paths", nargs="*", metavar="PATHS", help="files or folders (default: .)")
    settings_flags(check)
    check.add_argument("--select", type=_codes, metavar="CODES", help="comma-separated codes or prefixes to report")
    check.add_argument("--ignore", type=_codes, metavar="CODES", help="comma-separated codes or prefixes to skip")
    check.add_argument("--output-format", choices=["text"], default="text", help="output format (default text)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when something is found")
    check.set_defaults(run=cmd_check)

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
    except Exception:  # noqa: BLE001
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
    except Exception:  # noqa: BLE001 - exit 2 with the traceback, never a bare crash
        print("pyjit: internal error (please report it):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
