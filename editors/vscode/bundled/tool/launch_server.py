"""Starts the pyjit language server bundled with the VS Code extension.

Run as ``python -I launch_server.py``: isolated mode, so neither the
workspace (the current directory, ``PYTHONPATH``) nor the user's
site-packages can put another ``pyjit_server``, ``pygls`` or ``lsprotocol``
in front of the bundled ones. The bundled libraries (``../libs``) go first
on ``sys.path``; a replacement analysis worker is started isolated too, with
the server's ``sys.path`` (``pyjit_server.worker.client``).
"""

import os
import sys

LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")

if __name__ == "__main__":
    sys.path.insert(0, LIBS)
    from pyjit_server.__main__ import main

    sys.exit(main())
