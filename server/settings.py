"""Where a document's :class:`Config` comes from, and in which order.

Each layer replaces only the keys it sets:

1. defaults (:class:`pyjit_core.config.Config`);
2. ``initializationOptions`` (camelCase keys, the object VS Code's
   ``pyjit.*`` settings or Neovim's ``init_options`` send; a wrapping
   ``{"pyjit": {...}}`` is accepted too);
3. ``workspace/configuration`` section ``pyjit`` for the document's
   workspace folder (camelCase keys);
4. ``[tool.pyjit]`` of the nearest ``pyproject.toml`` (kebab-case keys): the
   project's file wins over the editor, so the editor shows what ``pyjit
   check`` and CI report.

When ``searchPaths`` is set nowhere, the workspace folders (and their
``src/``) and the project's directory are searched for the user's modules.
The camelCase/kebab-case/snake_case mapping is :data:`pyjit_core.config.SETTINGS`.

Invalid settings never stop the server: each problem is reported once with
``window/showMessage`` and the affected key keeps its previous value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

from pyjit_core.config import Config, config_from_mapping, default_search_paths, read_pyproject

SECTION = "pyjit"


def parse_editor_settings(raw: Any, *, base: Config | None = None, base_dir: str | None = None) -> tuple[Config, list[str]]:
    """camelCase settings from the editor → (config, problems). ``None`` values mean unset."""
    base = base or Config()
    if raw is None or raw == []:   # Neovim sends an empty Lua table `{}` as `[]`
        return base, []
    if isinstance(raw, dict) and set(raw) == {SECTION} and isinstance(raw[SECTION], dict):
        raw = raw[SECTION]
    if not isinstance(raw, dict):
        return base, [f"expected an object of settings, got {type(raw).__name__}"]
    present = {k: v for k, v in raw.items() if v is not None}
    return config_from_mapping(present, style="camel", base=base, base_dir=base_dir)


@dataclass
class Settings:
    """The layers above, per workspace folder, with pyproject lookups cached per directory."""

    warn: Callable[[str], None]
    folders: list[str] = field(default_factory=list)         # workspace folder paths
    init: Config = field(default_factory=Config)
    scoped: dict[str, Config] = field(default_factory=dict)   # folder path -> after layer 3
    _pyproject: dict[str, tuple[Config, str | None]] = field(default_factory=dict)
    _warned: set[str] = field(default_factory=set)

    def initialize(self, folders: Iterable[str | None], root: str | None, options: Any) -> None:
        """What ``initialize`` says: the workspace folders' paths (else the root's) and
        ``initializationOptions``."""
        self.folders = [p for p in folders if p] or ([root] if root else [])
        self.set_initialization_options(options)

    def set_initialization_options(self, raw: Any) -> None:
        self.init, problems = parse_editor_settings(raw, base_dir=self.folders[0] if self.folders else None)
        self._report("initializationOptions", problems)

    def set_folder_settings(self, folder: str | None, raw: Any) -> None:
        """Layer 3 for one folder (``None``: settings without a scope)."""
        config, problems = parse_editor_settings(raw, base=self.init, base_dir=folder)
        self._report("settings", problems)
        if folder is None:
            self.init = config
        else:
            self.scoped[folder] = config

    def forget_files(self) -> None:
        """Drop cached ``pyproject.toml`` reads (one changed)."""
        self._pyproject.clear()
        self._warned = {w for w in self._warned if "pyproject.toml" not in w}

    def folder_of(self, path: str) -> str | None:
        inside = [f for f in self.folders if path == f or path.startswith(f.rstrip(os.sep) + os.sep)]
        return max(inside, key=len) if inside else None

    def config_for(self, path: str) -> Config:
        folder = self.folder_of(path)
        editor = self.scoped.get(folder, self.init) if folder is not None else self.init
        directory = os.path.dirname(path)
        config, project_dir = self._project(directory, editor)
        if not config.search_paths:
            config = replace(config, search_paths=self._default_search_paths(folder, project_dir, directory))
        return config

    def _project(self, directory: str, editor: Config) -> tuple[Config, str | None]:
        key = f"{directory}\0{hash(editor)}"
        if key not in self._pyproject:
            config, problems, path = read_pyproject(directory, base=editor)
            if path is not None:
                self._report(str(path), problems)
            self._pyproject[key] = (config, str(path.parent) if path is not None else None)
        return self._pyproject[key]

    def _default_search_paths(self, folder: str | None, project_dir: str | None, directory: str) -> tuple[str, ...]:
        ordered: list[str] = []
        firsts = [project_dir, folder] if project_dir is not None or folder is not None else [directory]
        for base in [*firsts, *self.folders]:
            if base is not None:
                ordered.extend(default_search_paths(base))
        return tuple(_unique(ordered))

    def _report(self, where: str, problems: Iterable[str]) -> None:
        for problem in problems:
            message = f"pyjit: ignoring an invalid setting in {where}: {problem}"
            if message not in self._warned:
                self._warned.add(message)
                self.warn(message)


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
