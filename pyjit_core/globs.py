"""File patterns of the ``exclude``, ``extend-exclude`` and ``per-file-ignores`` settings, read as ruff reads them.

A pattern without ``/`` names a file or folder anywhere (``build``,
``*_pb2.py``, ``.*``); a pattern with one is a path from the folder of the
``pyproject.toml`` that sets it (``tests/fixtures/*``), or from the current
directory for a command-line flag. :func:`anchor` makes that folder part of
the pattern when the setting is read, so a pattern means the same wherever
it is used. In a pattern, ``*`` and ``**`` match any text, ``/`` included
(as ruff's globs do), ``**/`` also matches nothing, ``?`` one character,
``[abc]`` one of a set and ``{a,b}`` either text.

``.gitignore`` files have their own, different rules: :mod:`.gitignore`.
"""

from __future__ import annotations

import functools
import os
import re


def anchor(pattern: str, base_dir: str) -> str:
    """``pattern`` as written in a setting read from ``base_dir``: a path pattern
    becomes absolute; a name pattern stays a name."""
    negated = pattern.startswith("!")
    body = pattern[1:] if negated else pattern
    body = os.path.expanduser(body).replace(os.sep, "/")
    if "/" in body.rstrip("/") and not os.path.isabs(body):
        body = _posix(os.path.normpath(os.path.join(base_dir, body)))
    return ("!" if negated else "") + body.rstrip("/")


def matches(pattern: str, path: str) -> bool:
    """Whether absolute ``path`` is one ``pattern`` (anchored, without ``!``) names."""
    path = _posix(path)
    if "/" not in pattern:
        return _regex(pattern).fullmatch(path.rsplit("/", 1)[-1]) is not None
    if not pattern.startswith("/") and not re.match(r"[A-Za-z]:/", pattern):
        pattern = _posix(os.getcwd()) + "/" + pattern
    return _regex(pattern).fullmatch(path) is not None


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")


@functools.lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if c == "*":
            while i < len(pattern) and pattern[i] == "*":
                i += 1
            out.append(".*")
            continue
        if c == "?":
            out.append(".")
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:end]
                body = "^" + body[1:] if body.startswith("!") else body
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif c == "{":
            end = pattern.find("}", i)
            if end == -1:
                out.append(re.escape(c))
            else:
                options = pattern[i + 1:end].split(",")
                out.append("(?:" + "|".join(_regex(o).pattern for o in options) + ")")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out), re.IGNORECASE if os.name == "nt" else 0)
