"""pyjit's language server (import name ``pyjit_server``; the folder is ``server/``).

Run it with ``pyjit-lsp`` or ``python -m pyjit_server`` (stdio by default).
"""

from __future__ import annotations

try:
    from importlib.metadata import PackageNotFoundError, version

    __version__ = version("pyjit")
except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
    __version__ = "0.0.0+unknown"
