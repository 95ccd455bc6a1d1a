"""pyjit's language server (import name ``pyjit_server``; the folder is ``server/``).

Run it with ``pyjit-lsp`` or ``python -m pyjit_server`` (stdio by default).
"""

import sys as _sys

# ``python -m pyjit_server`` puts the current directory first on sys.path, and
# the current directory is often the user's workspace: its own ``typing.py``,
# ``server.py`` or ``lsprotocol.py`` must not be imported in place of ours (nor
# run at all). While ``-m`` imports this package, argv[0] is still "-m": drop
# that entry before importing anything else.
if _sys.argv[:1] == ["-m"] and _sys.path and _sys.path[0] in ("", ".", __import__("os").getcwd()):
    del _sys.path[0]

#: The distribution's version (pyproject.toml reads it from here).
__version__ = "0.1.0"
