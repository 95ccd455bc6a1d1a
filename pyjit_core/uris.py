"""``file:`` URIs and paths, for settings that arrive from an editor (no pygls here)."""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit


def path_of_uri(uri: str) -> str | None:
    """The local path of a ``file:`` URI; None for any other scheme or a remote host."""
    if not isinstance(uri, str):
        return None
    parts = urlsplit(uri)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    if os.name == "nt" and len(path) >= 3 and path[0] == "/" and path[2] == ":":
        path = path[1:]
    return os.path.normpath(path) if path else None
