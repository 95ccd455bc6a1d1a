"""Which settings, environment and module name one file is analysed with.

:mod:`.config` says what a setting *is* (its spellings, its check); this
module says which value a file *gets*. Every front door reads settings
through :class:`SettingsResolver`: the CLI, the language server's analysis
worker, and the analysis made ahead of the server at start-up.

Layers, each replacing only the keys it sets (last wins):

1. defaults (:class:`.config.Config`);
2. the editor's ``initializationOptions`` (camelCase; a wrapping
   ``{"pyjit": {...}}`` is accepted, and so is an empty list, which some
   clients send for an empty table);
3. the editor's ``workspace/configuration`` section ``pyjit`` for the file's
   workspace folder, else the unscoped answer (camelCase);
4. ``[tool.pyjit]`` of the nearest ``pyproject.toml`` (kebab-case): the
   project's file wins over the editor, so the editor shows what CI reports;
5. command-line flags (kebab-case), which win over everything, as in ruff.

When ``search-paths`` is set nowhere, a file's own package root comes first
(the folder above the outermost ``__init__.py`` of its folder chain, so that
``torch/nn/modules/conv.py`` is ``torch.nn.modules.conv`` whatever folder was
opened), then the project's folder, then the workspace folders, each with its
``src/`` first when it has one.

Problems never stop anything: each is reported once through ``report`` and
the key keeps its previous value. The CLI passes ``strict=True`` to turn a
bad ``pyproject.toml`` into a :class:`.config.ConfigError` instead.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .config import Config, ConfigError, config_from_mapping, default_search_paths, read_pyproject
from .environment import Environment, find_environment, package_root_of
from .frontend.module_names import module_name_for

SECTION = "pyjit"


@dataclass(frozen=True)
class FileContext:
    """Everything about one file that its analysis depends on besides its text."""

    path: str
    module_name: str
    config: Config
    environment: Environment


def parse_editor_settings(raw: Any, *, base: Config | None = None,
                          base_dir: str | None = None) -> tuple[Config, list[str]]:
    """camelCase settings from an editor → (config, problems). ``None`` values mean unset."""
    base = base or Config()
    if raw is None or raw == []:   # Lua's empty table arrives as a list
        return base, []
    if isinstance(raw, dict) and set(raw) == {SECTION} and isinstance(raw[SECTION], (dict, list)):
        return parse_editor_settings(raw[SECTION], base=base, base_dir=base_dir)
    if not isinstance(raw, dict):
        return base, [f"expected an object of settings, got {type(raw).__name__}"]
    present = {k: v for k, v in raw.items() if v is not None}
    return config_from_mapping(present, style="camel", base=base, base_dir=base_dir)


class SettingsResolver:
    """The layers above for a set of workspace folders, with lookups cached."""

    def __init__(self, folders: Iterable[str] = (), *, overrides: Mapping[str, Any] | None = None,
                 report: Callable[[str], None] | None = None, strict: bool = False,
                 environ: Mapping[str, str] | None = None, environment: Environment | None = None) -> None:
        self.folders = [os.path.abspath(f) for f in folders]
        self.editor = Config()                      # layers 1-2, and 3 when unscoped
        self.scoped: dict[str, Config] = {}         # folder -> layers 1-3
        self._overrides = dict(overrides or {})     # layer 5: Config field -> value
        self._report = report or (lambda message: None)
        self._strict = strict
        self._environ = environ
        self._fixed_environment = environment        # every file's, when given (else found per file)
        self._reported: set[str] = set()
        self._projects: dict[tuple[str, Config], tuple[Config, str | None]] = {}
        self._environments: dict[tuple, Environment] = {}
        self.generation = 0                          # bumped whenever a layer changes

    # --- layers ----------------------------------------------------------------------------

    @classmethod
    def from_initialize(cls, params: Mapping[str, Any], **kwargs: Any) -> SettingsResolver:
        """The layers an LSP ``initialize`` request sets (its JSON params)."""
        from .uris import path_of_uri

        folders = [path_of_uri(f.get("uri", "")) for f in params.get("workspaceFolders") or []
                   if isinstance(f, dict)]
        root = params.get("rootUri")
        folders = [f for f in folders if f] or ([p] if isinstance(root, str) and (p := path_of_uri(root)) else [])
        resolver = cls(folders, **kwargs)
        resolver.set_initialization_options(params.get("initializationOptions"))
        return resolver

    def set_folders(self, folders: Iterable[str]) -> None:
        self.folders = [os.path.abspath(f) for f in folders]
        self._changed()

    def set_initialization_options(self, raw: Any) -> None:
        self.editor, problems = parse_editor_settings(raw, base_dir=self.folders[0] if self.folders else None)
        self._problems("initializationOptions", problems)
        self._changed()

    def set_folder_settings(self, folder: str | None, raw: Any) -> None:
        """Layer 3 for one workspace folder (``None``: the answer without a scope)."""
        config, problems = parse_editor_settings(raw, base=self.editor, base_dir=folder)
        self._problems("settings", problems)
        if folder is None:
            self.editor = config
        else:
            self.scoped[os.path.abspath(folder)] = config
        self._changed()

    def forget_files(self) -> None:
        """A ``pyproject.toml`` or an environment changed: read them again."""
        self._reported = {r for r in self._reported if "pyproject.toml" not in r}
        self._changed()

    def _changed(self) -> None:
        self._projects.clear()
        self._environments.clear()
        self.generation += 1

    # --- one file --------------------------------------------------------------------------

    def context_for(self, path: str) -> FileContext:
        path = os.path.abspath(path)
        config = self.config_for(path)
        return FileContext(path, module_name_for(path, config.search_paths), config, self.environment_for(path, config))

    def config_for(self, path: str) -> Config:
        path = os.path.abspath(path)
        folder = self.folder_of(path)
        config, project_dir = self._layered(os.path.dirname(path))
        if not config.search_paths:
            config = dataclasses.replace(config, search_paths=self._default_search_paths(path, folder, project_dir))
        return config

    def folder_config(self, directory: str) -> Config:
        """The settings every file in ``directory`` shares (all but the search paths,
        which depend on the file): what decides which files ``pyjit check`` reads."""
        return self._layered(os.path.abspath(directory))[0]

    def _layered(self, directory: str) -> tuple[Config, str | None]:
        """Layers 1-5 for files in ``directory``, and the folder of the pyproject.toml read."""
        folder = self.folder_of(directory)
        editor = self.scoped.get(folder, self.editor) if folder is not None else self.editor
        config, project_dir = self._project(directory, editor)
        if self._overrides:
            config = dataclasses.replace(config, **self._overrides)
        return config, project_dir

    def environment_for(self, path: str, config: Config) -> Environment:
        if self._fixed_environment is not None:
            return self._fixed_environment
        own_torch = _inside_torch(path)
        key = (config.torch_source, config.python, own_torch)
        found = self._environments.get(key)
        if found is None:
            found = self._environments[key] = find_environment(
                torch_source=config.torch_source, python=config.python, path=path,
                workspace_folders=self.folders, environ=self._environ)
        return found

    def folder_of(self, path: str) -> str | None:
        inside = [f for f in self.folders if path == f or path.startswith(f.rstrip(os.sep) + os.sep)]
        return max(inside, key=len) if inside else None

    def _project(self, directory: str, editor: Config) -> tuple[Config, str | None]:
        key = (directory, editor)
        if key not in self._projects:
            config, problems, pyproject = read_pyproject(directory, base=editor)
            if problems:
                if self._strict:
                    raise ConfigError(str(pyproject), problems)
                self._problems(str(pyproject), problems)
            self._projects[key] = (config, str(pyproject.parent) if pyproject is not None else None)
        return self._projects[key]

    def _default_search_paths(self, path: str, folder: str | None, project_dir: str | None) -> tuple[str, ...]:
        ordered: list[str] = []
        package_root = package_root_of(path)
        if package_root is not None:
            ordered.append(package_root)
        bases = [project_dir, folder, *self.folders]
        if not any(bases) and package_root is None:
            bases = [os.path.dirname(path)]
        for base in bases:
            if base is not None:
                ordered.extend(default_search_paths(base))
        seen: set[str] = set()
        return tuple(p for p in ordered if not (p in seen or seen.add(p)))  # type: ignore[func-returns-value]

    def _problems(self, where: str, problems: Iterable[str]) -> None:
        for problem in problems:
            message = f"pyjit: ignoring an invalid setting in {where}: {problem}"
            if message not in self._reported:
                self._reported.add(message)
                self._report(message)


def _inside_torch(path: str) -> bool:
    root = package_root_of(path)
    return root is not None and os.path.relpath(os.path.dirname(path), root).split(os.sep)[0] == "torch"
