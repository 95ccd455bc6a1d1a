"""A file's dotted module name, from the folders its packages are imported from."""

from __future__ import annotations

import os
from collections.abc import Iterable


def module_name_for(path: str, search_paths: Iterable[str] = ()) -> str:
    """The dotted module name of a file under one of ``search_paths`` (else its stem)."""
    absolute = os.path.abspath(path)
    for root in search_paths:
        root = os.path.abspath(root)
        if absolute.startswith(root + os.sep):
            rel = os.path.relpath(absolute, root)
            parts = rel[:-3].split(os.sep) if rel.endswith(".py") else rel.split(os.sep)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if all(p.isidentifier() for p in parts) and parts:
                return ".".join(parts)
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem if stem.isidentifier() else "__main__"
