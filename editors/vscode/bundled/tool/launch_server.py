"""Starts the pyjit language server bundled with the VS Code extension.

Run as ``python -I launch_server.py``: isolated mode, so neither the
workspace (the current directory, ``PYTHONPATH``) nor the user's
site-packages can put another ``pyjit_server``, ``pygls`` or ``lsprotocol``
in front of the bundled ones. The bundled libraries (``../libs``) go first
on ``sys.path``, and ``PYJIT_LSP_BUNDLED_LIBS`` tells the server to start a
replacement analysis worker the same way (``pyjit_server.worker_client``).
"""

import os
import sys

LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")

if __name__ == "__main__":
    sys.path.insert(0, LIBS)
    os.environ["PYJIT_LSP_BUNDLED_LIBS"] = LIBS
    from pyjit_server.__main__ import main

    sys.exit(main())
