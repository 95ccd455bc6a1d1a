"""``python -m pyjit_server.worker``: the analysis worker on stdin/stdout (see :mod:`.service`)."""

import sys

from .service import main

sys.exit(main())
