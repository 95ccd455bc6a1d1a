"""Which files ``pyjit check`` reads: the ``.py`` files named, and those under the folders named.

A folder is walked with the settings of the folder being walked (its nearest
``[tool.pyjit]`` and the flags): ``exclude`` and ``extend-exclude`` prune
files and folders (:mod:`.globs`), and so do ``.gitignore`` files when
``respect-gitignore`` is on (:mod:`.gitignore`). A file named explicitly is
always read, as ruff does, unless ``force_exclude`` (the pre-commit hook's
``--force-exclude``, since pre-commit names every file): then the same rules
apply to it and to the folders above it, up to the current directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from . import globs
from .config import Config
from .exceptions import PyjitError
from .gitignore import GitIgnore
from .settings import SettingsResolver


class MissingPath(PyjitError):
    """A path named on the command line that does not exist."""


def python_files(paths: Iterable[str], settings: SettingsResolver, *, force_exclude: bool = False) -> list[str]:
    """The files to check, each once, in a stable order (sorted within each path named)."""
    finder = _Finder(settings)
    found: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        if os.path.isfile(raw):
            files = [raw] if not (force_exclude and finder.excluded_with_parents(raw)) else []
        elif os.path.isdir(raw):
            files = [] if force_exclude and finder.excluded_with_parents(raw, is_dir=True) else finder.walk(raw)
        else:
            raise MissingPath(f"{raw}: no such file or directory")
        for path in files:
            key = os.path.abspath(path)
            if key not in seen:
                seen.add(key)
                found.append(path)
    return found


def excluded(path: str, settings: SettingsResolver) -> bool:
    """Whether ``--force-exclude`` skips ``path`` (a file, which need not exist: ``--stdin-filename``)."""
    return _Finder(settings).excluded_with_parents(path)


class _Finder:
    def __init__(self, settings: SettingsResolver) -> None:
        self.settings = settings
        self.gitignore = GitIgnore(os.getcwd())
        self._configs: dict[str, Config] = {}

    def config(self, directory: str) -> Config:
        directory = os.path.abspath(directory)
        if directory not in self._configs:
            self._configs[directory] = self.settings.folder_config(directory)
        return self._configs[directory]

    def excluded(self, path: str, is_dir: bool) -> bool:
        """Whether the settings of ``path``'s folder, or git, exclude ``path`` itself."""
        absolute = os.path.abspath(path)
        config = self.config(os.path.dirname(absolute))
        if any(globs.matches(p, absolute) for p in config.exclude + config.extend_exclude):
            return True
        return config.respect_gitignore and self.gitignore.decide(absolute, is_dir)

    def excluded_with_parents(self, path: str, *, is_dir: bool = False) -> bool:
        """Whether ``path`` or a folder above it, below the current directory, is excluded."""
        absolute = os.path.abspath(path)
        chain = [(absolute, is_dir)]
        here, top = os.path.dirname(absolute), os.getcwd()
        while here.startswith(top.rstrip(os.sep) + os.sep):
            chain.append((here, True))
            here = os.path.dirname(here)
        return any(self.excluded(p, d) for p, d in chain)

    def walk(self, root: str) -> list[str]:
        found: list[str] = []
        for directory, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not self.excluded(os.path.join(directory, d), True))
            found.extend(os.path.normpath(os.path.join(directory, f)) for f in files
                         if f.endswith(".py") and not self.excluded(os.path.join(directory, f), False))
        return sorted(found, key=lambda p: p.split(os.sep))   # a folder's files together, as pathlib sorts
