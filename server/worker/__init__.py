"""The analysis worker: the process that runs every analysis, and the server's end of it.

* :mod:`.service` -- the worker process: its main loop and lanes;
* :mod:`.analyses` -- its state: one ``pyjit_core`` Session and the results the server holds;
* :mod:`.messages` -- the job, result, key and settings types both processes share;
* :mod:`.wire` -- the frames between the two processes;
* :mod:`.memory` -- garbage collection and the memory ceiling;
* :mod:`.client` -- the server's end: start, ask (with time limits), watch, replace.

Nothing here but :mod:`.client` runs in the server, and nothing here imports
pygls or lsprotocol.
"""
