"""``python -m pyjit_server.worker``: the analysis worker on stdin/stdout (see :mod:`.service`)."""

import sys

from pyjit_server.worker.service import main

sys.exit(main())
