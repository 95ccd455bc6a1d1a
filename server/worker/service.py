"""The analysis worker process: its main loop, its two lanes, and how it starts.

The language server starts it first thing -- forked (Linux, :func:`serve_forked`)
or as ``python -m pyjit_server.worker`` (:func:`main`) -- and talks to it
over two pipes in :mod:`.wire` frames. Why a process and not a thread:
analyses are CPU-bound Python, so in one process they share the GIL with
the protocol; here they run on another core, the worker loads the analyses
while the server is still importing pygls, and a crash or runaway analysis
cannot take the protocol down with it.

This module imports only the standard library and :mod:`pyjit_core` -- never
pygls or lsprotocol (costly to import, and not needed here).

Two lanes: settings, buffers, analyses, hover indexing, garbage collection
and releases run one at a time in the analysis thread, in the order they
came; hovers, graphs, code actions and pings are answered at once on the
reading thread, from finished results, even while an analysis runs (so a
ping answered says the process is alive, however long an analysis takes).

Frames: requests ``(id, method, args)`` (``id`` None: no answer wanted),
answers ``(id, ok, value)``, and notices ``(None, "notice", message)``: a
settings problem for the user, sent whenever one is found, and
``(None, "early", EarlyDiagnostics)``: a document's cached diagnostics, sent
as its first analysis begins.
"""

from __future__ import annotations

import argparse
import logging
import os
import queue
import sys
import threading
from typing import BinaryIO

from .wire import ChannelClosed, read_frame, write_frame

logger = logging.getLogger("pyjit_server.worker")

#: Methods answered at once on the reading thread; all others queue for the analysis thread.
QUERIES = frozenset({"hover", "graph", "code_actions", "code_lenses", "ping"})

#: Methods of :class:`.analyses.Analyses` the server may call.
METHODS = QUERIES | {"configure", "document", "files_changed", "analyse", "index", "release", "collect"}


class Service:
    """Reads requests, runs them in their lane, writes the answers."""

    def __init__(self, requests: BinaryIO, answers: BinaryIO) -> None:
        from .analyses import Analyses

        self._requests = requests
        self._answers = answers
        self._write_lock = threading.Lock()
        self._lane: queue.Queue[tuple | None] = queue.Queue()
        self.analyses = Analyses(notify=self.notify, early=self.early)

    def serve(self) -> None:
        analysis = threading.Thread(target=self._analysis_lane, name="pyjit-analysis", daemon=True)
        analysis.start()
        self.analyses.warm_up_meanwhile()
        while True:
            try:
                request = read_frame(self._requests)
            except ChannelClosed:
                return
            if request[1] in QUERIES:
                self._run(request)
            else:
                self._lane.put(request)

    def notify(self, message: str) -> None:
        self._write((None, "notice", message))

    def early(self, found: object) -> None:
        self._write((None, "early", found))

    def _analysis_lane(self) -> None:
        while (request := self._lane.get()) is not None:
            self._run(request)

    def _run(self, request: tuple) -> None:
        request_id, method, args = request
        try:
            if method not in METHODS:
                raise AttributeError(f"no method {method!r}")
            value = None if method == "ping" else getattr(self.analyses, method)(*args)
            answer = (request_id, True, value)
        except Exception as e:
            logger.exception("worker: %s failed", method)
            answer = (request_id, False, f"{type(e).__name__}: {e}")
        if request_id is not None:
            self._write(answer)

    def _write(self, frame: tuple) -> None:
        with self._write_lock:
            try:
                write_frame(self._answers, frame)
            except (OSError, ValueError):
                pass   # the server is gone: the reading thread sees the end and leaves


def main(argv: list[str] | None = None) -> int:
    """``python -m pyjit_server.worker``: requests on stdin, answers on stdout."""
    parser = argparse.ArgumentParser(prog="pyjit-lsp worker")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--log-file")
    args = parser.parse_args(argv)
    # The frames own the real stdout; anything printed by mistake goes to stderr.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _serve(sys.stdin.buffer, answers, args.log_level, args.log_file)
    return 0


def serve_forked(requests_fd: int, answers_fd: int, log_level: str, log_file: str | None) -> None:
    """The worker in a child forked from the server before it imported
    anything much (Linux: no interpreter start-up to pay). The server's LSP
    channel (stdin/stdout) is not ours: let go of it, so the client sees the
    server's output end when the server exits. The working directory is
    the package's own, as for a worker started by command (see :mod:`.client`)."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    _serve(os.fdopen(requests_fd, "rb"), os.fdopen(answers_fd, "wb"), log_level, log_file)


def _serve(requests: BinaryIO, answers: BinaryIO, log_level: str, log_file: str | None) -> None:
    # The reading thread wants the GIL only when a request arrives; then it
    # should not wait out the analysis thread's 5 ms slices (a 300 KB document
    # arrives in several reads, each waiting for the GIL again).
    sys.setswitchinterval(0.0005)
    handler: logging.Handler = logging.FileHandler(log_file) if log_file else logging.StreamHandler(sys.stderr)
    level = log_level.upper()
    logging.basicConfig(level=level if level in ("DEBUG", "INFO", "WARNING", "ERROR") else "INFO", handlers=[handler],
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    Service(requests, answers).serve()
    # The server closed the channel: leave at once (an analysis still running is of no use).
    logging.shutdown()
    os._exit(0)
