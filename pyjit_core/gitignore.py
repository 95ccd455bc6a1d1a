"""``.gitignore`` files, read with git's rules (``gitignore(5)``); git itself is never run.

* A blank line or one starting with ``#`` says nothing; ``\\#`` and ``\\!``
  start a pattern with that character; trailing spaces are dropped.
* ``!`` re-includes what an earlier line excluded (but nothing inside an
  excluded folder: git does not look there, and neither does a walk).
* A trailing ``/`` matches folders only.
* A ``/`` at the start or in the middle anchors the pattern to the folder of
  the ``.gitignore``; otherwise it matches a name at any depth.
* ``*`` matches within one path component, ``?`` one character, ``[a-z]`` a
  set; ``**/`` any folders (none too), ``/**`` everything inside.

Precedence, as git's: in a file the last matching line decides; a deeper
``.gitignore`` decides before the ones above it; ``.git/info/exclude`` comes
last.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    negated: bool
    folders_only: bool


@dataclass(frozen=True)
class IgnoreFile:
    """The rules of one ignore file, for paths under ``base`` (its folder)."""

    base: str
    rules: tuple[_Rule, ...]

    @classmethod
    def read(cls, path: str, base: str) -> IgnoreFile | None:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            return None
        rules = tuple(rule for line in text.splitlines() if (rule := _parse(line)) is not None)
        return cls(os.path.abspath(base), rules) if rules else None

    def decision(self, path: str, is_dir: bool) -> bool | None:
        """True: ignored; False: re-included (``!``); None: no line matches ``path``."""
        rel = os.path.relpath(path, self.base).replace(os.sep, "/")
        if rel.startswith("../") or rel in ("..", "."):
            return None
        for rule in reversed(self.rules):
            if rule.folders_only and not is_dir:
                continue
            if rule.regex.fullmatch(rel):
                return not rule.negated
        return None


def _parse(line: str) -> _Rule | None:
    if not line.strip() or line.startswith("#"):
        return None
    line = _strip_trailing_spaces(line)
    negated = line.startswith("!")
    if negated or line.startswith("\\!") or line.startswith("\\#"):
        line = line[1:]
    folders_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    body = _translate(line)
    regex = body if anchored else "(?:.*/)?" + body
    return _Rule(re.compile(regex, re.DOTALL), negated, folders_only)


def _strip_trailing_spaces(line: str) -> str:
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        return stripped[:-1] + " "   # "\ " keeps one space
    return stripped


def _translate(pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            break
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        elif c == "[" and (end := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1:end]
            body = "^" + body[1:] if body[:1] in ("!", "^") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def repository_root(directory: str) -> str | None:
    """The nearest folder at or above ``directory`` holding ``.git`` (a folder, or a worktree's file)."""
    here = os.path.abspath(directory)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


class GitIgnore:
    """The ignore files that apply to paths, each read once. Outside a
    repository, only ``.gitignore`` files at or below ``start`` count (the
    folder ``pyjit check`` runs from), never those of unrelated folders above."""

    def __init__(self, start: str) -> None:
        self.start = os.path.abspath(start)
        self._files: dict[str, IgnoreFile | None] = {}      # folder -> its .gitignore
        self._excludes: dict[str, IgnoreFile | None] = {}   # repository root -> .git/info/exclude
        self._roots: dict[str, str | None] = {}

    def decide(self, path: str, is_dir: bool) -> bool:
        """Whether git ignores ``path`` itself (the folders above it not considered)."""
        path = os.path.abspath(path)
        root = self._root(os.path.dirname(path))
        top = root if root is not None else self.start
        here = os.path.dirname(path)
        if not _is_within(here, top):
            top = here
        while True:
            found = self._file(here)
            decision = found.decision(path, is_dir) if found is not None else None
            if decision is not None:
                return decision
            if here == top:
                break
            here = os.path.dirname(here)
        exclude = self._exclude(root) if root is not None else None
        return bool(exclude.decision(path, is_dir)) if exclude is not None else False

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether git ignores ``path`` or a folder above it (inside its repository, or below ``start``)."""
        path = os.path.abspath(path)
        root = self._root(os.path.dirname(path))
        top = root if root is not None else self.start
        chain = [(path, is_dir)]
        here = os.path.dirname(path)
        while _is_within(here, top) and here != top:
            chain.append((here, True))
            here = os.path.dirname(here)
        return any(self.decide(p, d) for p, d in reversed(chain))

    def _root(self, folder: str) -> str | None:
        if folder not in self._roots:
            self._roots[folder] = repository_root(folder)
        return self._roots[folder]

    def _file(self, folder: str) -> IgnoreFile | None:
        if folder not in self._files:
            self._files[folder] = IgnoreFile.read(os.path.join(folder, ".gitignore"), folder)
        return self._files[folder]

    def _exclude(self, root: str) -> IgnoreFile | None:
        if root not in self._excludes:
            self._excludes[root] = IgnoreFile.read(os.path.join(root, ".git", "info", "exclude"), root)
        return self._excludes[root]


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
