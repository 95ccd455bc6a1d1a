"""pyjit's settings, one dataclass for every front door.

The same settings come from ``[tool.pyjit]`` in ``pyproject.toml`` (kebab-case
keys), from the language server's ``initializationOptions`` /
``workspace/configuration`` section ``pyjit`` (camelCase keys) and from CLI
flags (which override the file, as in ruff). Python code uses snake_case.

:data:`SETTINGS` is the one mapping between the three spellings; it also
validates values, so that every front door rejects the same things with the
same words. ``docs/settings.md`` documents each entry once.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .exceptions import PyjitError

ROOTS_MODES = ("decorated", "modules", "all")
SEVERITIES = ("error", "warning", "information", "hint", "off")
LOG_LEVELS = ("error", "warning", "info", "debug")
#: What ``pyjit check`` never searches in a folder it is given (ruff's list, and
#: every hidden folder); a path named on the command line is always checked.
DEFAULT_EXCLUDE = (".*", "__pycache__", "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules",
                   "site-packages", "venv", "*.egg-info")


@dataclass(frozen=True)
class Config:
    roots: str = "decorated"                         # which definitions are script roots
    select: tuple[str, ...] = ()                     # codes or prefixes to report (empty: all)
    ignore: tuple[str, ...] = ()                     # codes or prefixes never to report
    severity: dict[str, str] = field(default_factory=dict)   # code -> one of SEVERITIES
    torch_source: str | None = None                  # torch package directory; None: find it
    python: str | None = None                        # interpreter whose site-packages hold torch
    search_paths: tuple[str, ...] = ()               # where the user's own packages live
    log_level: str = "info"
    # `pyjit check`'s file discovery; patterns anchored by `globs.anchor`
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (pattern, codes), in the order written
    # Seconds one file's analysis may spend on its roots before it stops (0: no limit). None: the
    # front door's default (the language server's `Session` has one; `pyjit check` none).
    analysis_budget: float | None = None

    def enabled(self, code: str, path: str | None = None) -> bool:
        """Whether ``code`` is reported (in the file ``path``, when given: ``per-file-ignores``)."""
        if any(code.startswith(prefix) for prefix in self.ignore):
            return False
        if self.severity.get(code) == "off":
            return False
        if path is not None and any(code.startswith(prefix) for prefix in self.ignored_in(path)):
            return False
        return not self.select or any(code.startswith(prefix) for prefix in self.select)

    def ignored_in(self, path: str) -> tuple[str, ...]:
        """The codes ``per-file-ignores`` turns off in ``path``."""
        if not self.per_file_ignores:
            return ()
        from . import globs

        path = os.path.abspath(path)
        out: list[str] = []
        for pattern, codes in self.per_file_ignores:
            negated = pattern.startswith("!")
            if globs.matches(pattern.lstrip("!"), path) != negated:
                out.extend(codes)
        return tuple(out)

    def __hash__(self) -> int:  # frozen, but `severity` is a dict: hash its items
        return hash((self.roots, self.select, self.ignore, tuple(sorted(self.severity.items())),
                     self.torch_source, self.python, self.search_paths, self.log_level, self.exclude,
                     self.extend_exclude, self.respect_gitignore, self.per_file_ignores, self.analysis_budget))


class ConfigError(PyjitError, ValueError):
    """Settings that cannot be used; ``problems`` holds one sentence per bad key."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


# --- the one mapping -----------------------------------------------------------------------

_CODE_PREFIX = re.compile(r"PJ\d{0,3}")


def _known_prefix(prefix: str) -> bool:
    from .diagnostics.catalog import CATALOG

    return any(code.startswith(prefix) for code in CATALOG)


def _codes(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\s]+", value) if part]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of codes or code prefixes, e.g. [\"PJ1\", \"PJ201\"]")
    out = tuple(v.strip().upper() for v in value)
    bad = [v for v in out if not _CODE_PREFIX.fullmatch(v) or not _known_prefix(v)]
    if bad:
        raise ValueError(f"unknown code or prefix {', '.join(map(repr, bad))}")
    return out


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if not isinstance(value, str) or value.lower() not in choices:
            raise ValueError(f"expected one of {', '.join(map(repr, choices))}, got {value!r}")
        return value.lower()
    return parse


def _severity_map(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError("expected a table of code = severity, e.g. {\"PJ901\": \"off\"}")
    out: dict[str, str] = {}
    parse = _choice(SEVERITIES)
    for code, level in value.items():
        (code,) = _codes([code])
        if len(code) != 5:
            raise ValueError(f"severity needs full codes, got prefix {code!r}")
        out[code] = parse(level)
    return out


def _optional_path(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected a path, got {value!r}")
    return _path(value)


def _paths(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of directories")
    return tuple(_path(v) for v in value)


def _path(value: str) -> str:
    if "\0" in value:
        raise ValueError(f"a path cannot hold a NUL character: {value!r}")
    if len(value) > 4096:
        raise ValueError(f"a path of {len(value):,} characters is not a path")
    return os.path.expanduser(value)


def _patterns(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError("expected a list of file patterns, e.g. [\"build\", \"tests/fixtures/*\"]")
    return tuple(v.strip() for v in value)


def _per_file_ignores(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, Mapping):
        raise ValueError("expected a table of file pattern = codes, e.g. {\"tests/*\" = [\"PJ4\"]}")
    out = []
    for pattern, codes in value.items():
        if not isinstance(pattern, str) or not pattern.strip("! "):
            raise ValueError(f"expected a file pattern, got {pattern!r}")
        out.append((pattern.strip(), _codes(codes)))
    return tuple(out)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def _seconds(value: Any) -> float:
    # bool is an int: `true` is no number of seconds
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        raise ValueError(f"expected a number of seconds (0 or more; 0: no limit), got {value!r}")
    return float(value)


def _anchor_patterns(value: tuple[str, ...], base_dir: str) -> tuple[str, ...]:
    from .globs import anchor

    return tuple(anchor(p, base_dir) for p in value)


def _anchor_per_file_ignores(value: tuple[tuple[str, tuple[str, ...]], ...],
                             base_dir: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    from .globs import anchor

    return tuple((anchor(p, base_dir), codes) for p, codes in value)


@dataclass(frozen=True)
class Setting:
    """One setting: its three spellings, how a raw value is checked, what it means."""

    field: str        # snake_case: Config attribute
    camel: str        # initializationOptions / workspace/configuration / VS Code `pyjit.<camel>`
    kebab: str        # [tool.pyjit] key
    parse: Callable[[Any], Any]
    type: str         # as docs/settings.md writes it
    doc: str
    relative_path: bool = False   # resolved against the pyproject.toml / workspace folder
    anchor: Callable[[Any, str], Any] | None = None   # file patterns: made independent of that folder


SETTINGS: tuple[Setting, ...] = (
    Setting("roots", "roots", "roots", _choice(ROOTS_MODES), '"decorated" | "modules" | "all"',
            "Which definitions are compiled as `torch.jit.script` roots."),
    Setting("select", "select", "select", _codes, "list of codes or prefixes",
            "Report only these codes (empty: every code)."),
    Setting("ignore", "ignore", "ignore", _codes, "list of codes or prefixes",
            "Never report these codes."),
    Setting("severity", "severity", "severity", _severity_map, "table code → severity",
            "Per-code severity: error, warning, information, hint, or off (disables the code)."),
    Setting("torch_source", "torchSource", "torch-source", _optional_path, "path | null",
            "The installed `torch` package directory whose sources are read.", relative_path=True),
    Setting("python", "python", "python", _optional_path, "path | null",
            "An interpreter whose environment holds torch (the editor's selected interpreter): its "
            "site-packages are found from the layout on disk, never by running it.", relative_path=False),
    Setting("search_paths", "searchPaths", "search-paths", _paths, "list of directories",
            "Where your own packages live (default: the project root and its `src/`).", relative_path=True),
    Setting("log_level", "logLevel", "log-level", _choice(LOG_LEVELS), '"error" | "warning" | "info" | "debug"',
            "How much the language server logs."),
    Setting("exclude", "exclude", "exclude", _patterns, "list of file patterns",
            "Files and folders `pyjit check` never searches (replaces the default list).", anchor=_anchor_patterns),
    Setting("extend_exclude", "extendExclude", "extend-exclude", _patterns, "list of file patterns",
            "More files and folders `pyjit check` never searches, besides `exclude`.", anchor=_anchor_patterns),
    Setting("respect_gitignore", "respectGitignore", "respect-gitignore", _boolean, "boolean",
            "Whether `pyjit check` skips the files that `.gitignore` files ignore."),
    Setting("per_file_ignores", "perFileIgnores", "per-file-ignores", _per_file_ignores,
            "table file pattern → codes", "Codes never reported in the files a pattern matches.",
            anchor=_anchor_per_file_ignores),
    Setting("analysis_budget", "analysisBudget", "analysis-budget", _seconds, "number of seconds",
            "How long one file's analysis may take before it stops and shows what it has (0: no limit)."),
)

KeyStyle = Literal["camel", "kebab"]


def config_from_mapping(data: Mapping[str, Any], *, style: KeyStyle, base: Config | None = None,
                        base_dir: str | None = None) -> tuple[Config, list[str]]:
    """Read settings spelt in ``style``; bad keys keep ``base``'s value and are
    described in the returned list (never raised)."""
    base = base or Config()
    by_key = {getattr(s, style): s for s in SETTINGS}
    changes: dict[str, Any] = {}
    problems: list[str] = []
    if not isinstance(data, Mapping):
        return base, [f"expected a table of settings, got {type(data).__name__}"]
    for key, raw in data.items():
        setting = by_key.get(key)
        if setting is None:
            hint = _spelling_hint(key, style)
            problems.append(f"unknown setting {key!r}" + (f" (did you mean {hint!r}?)" if hint else ""))
            continue
        try:
            value = setting.parse(raw)
        except ValueError as e:
            problems.append(f"{key}: {e}")
            continue
        if setting.relative_path and base_dir is not None and value is not None:
            value = _resolve(value, base_dir)
        if setting.anchor is not None and base_dir is not None:
            value = setting.anchor(value, base_dir)
        changes[setting.field] = value
    return dataclasses.replace(base, **changes), problems


def config_to_mapping(config: Config, *, style: KeyStyle) -> dict[str, Any]:
    """The settings of ``config`` spelt in ``style`` (JSON/TOML-ready values)."""
    out: dict[str, Any] = {}
    for s in SETTINGS:
        value = getattr(config, s.field)
        if s.field == "per_file_ignores":
            value = {pattern: list(codes) for pattern, codes in value}
        out[getattr(s, style)] = list(value) if isinstance(value, tuple) else value
    return out


def _spelling_hint(key: str, style: KeyStyle) -> str | None:
    """The intended key: the same setting in another spelling, or a near miss."""
    for s in SETTINGS:
        if key in (s.field, s.camel, s.kebab):
            return getattr(s, style)
    import difflib

    close = difflib.get_close_matches(key, [getattr(s, style) for s in SETTINGS], n=1, cutoff=0.6)
    return close[0] if close else None


def _resolve(value: str | tuple[str, ...], base_dir: str) -> str | tuple[str, ...]:
    if isinstance(value, tuple):
        return tuple(os.path.normpath(os.path.join(base_dir, v)) for v in value)
    return os.path.normpath(os.path.join(base_dir, value))


# --- pyproject.toml ---------------------------------------------------------------------------

def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    with path.open("rb") as f:
        return tomllib.load(f)


def find_pyproject(start: str | os.PathLike[str]) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.pyjit]`` table, from ``start``
    (a directory or a file) upwards, as ruff finds ``[tool.ruff]``."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                tool = _load_toml(candidate).get("tool")
                if isinstance(tool, dict) and "pyjit" in tool:
                    return candidate
            except (OSError, ValueError, RecursionError):
                return candidate   # broken file: let the loader report it
    return None


def read_pyproject(directory: str | os.PathLike[str],
                   base: Config | None = None) -> tuple[Config, list[str], Path | None]:
    """Lenient ``[tool.pyjit]`` reader: (config, problems, file read or None)."""
    path = find_pyproject(directory)
    base = base or Config()
    if path is None:
        return base, [], None
    try:
        table = _load_toml(path)["tool"]["pyjit"]
    except (OSError, ValueError, RecursionError, KeyError, TypeError) as e:
        why = "it is nested too deeply" if isinstance(e, RecursionError) else str(e)
        return base, [f"cannot read it: {why}"], path
    config, problems = config_from_mapping(table, style="kebab", base=base, base_dir=str(path.parent))
    return config, problems, path


def load_pyproject(directory: str | os.PathLike[str]) -> Config:
    """``[tool.pyjit]`` of the nearest ``pyproject.toml`` having one (defaults if
    none); raises :class:`ConfigError` on any bad key or value."""
    config, problems, path = read_pyproject(directory)
    if problems:
        raise ConfigError(str(path), problems)
    return config


def default_search_paths(project_root: str) -> tuple[str, ...]:
    """Where a project's own packages live when ``search-paths`` is unset:
    ``src/`` for a src layout (first, as an installed project's ``sys.path``
    has it), and the root."""
    root = os.path.abspath(project_root)
    src = os.path.join(root, "src")
    return (src, root) if os.path.isdir(src) else (root,)
