"""The analysis worker: the process that runs every analysis and keeps the results.

The language server starts it first thing -- forked (Linux, :func:`serve_forked`)
or as ``python -m pyjit_server.worker`` (:func:`main`) -- and talks to it
over two pipes in :mod:`.wire` frames. Why a process
and not a thread: analyses are CPU-bound Python, so in one process they
share the GIL with the protocol; here they run on another core, the worker
loads the analyses while the server is still importing pygls, and a crash or
runaway analysis cannot take the protocol down with it.

This module imports only the standard library and :mod:`pyjit_core` -- never
pygls or lsprotocol (costly to import, and not needed here). Results stay in
the worker under the *handle* the server gave them; the server asks for what
it shows (diagnostics come back with each analysis; hovers and graphs on
request) and says when a result may be released.

Two lanes: analyses, hover indexing, garbage collection and releases run one
at a time in the analysis thread, in the order they came; hovers and graph
requests are answered at once on the reading thread, from finished results,
even while an analysis runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import queue
import sys
import threading
import time
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from pyjit_core.config import Config

from .wire import ChannelClosed, read_frame, write_frame

logger = logging.getLogger("pyjit_server.worker")


@dataclass(frozen=True)
class WorkerJob:
    """One analysis: everything ``check_source`` reads, taken by the server."""

    handle: int                                # the server's name for the result (< 0: ahead of the server)
    path: str
    text: str
    config: Config
    overlays: tuple[tuple[str, str], ...] = ()  # other open Python buffers: (path, text)
    had_roots: bool = False
    previous: int | None = None                # the document's last result: unchanged functions keep their graphs

    @property
    def key(self) -> tuple | None:
        """What a result made ahead of the server must match to be taken (only
        whole analyses, without a previous one, are made ahead)."""
        return None if self.previous is not None else (self.path, self.text, self.config, self.overlays)


@dataclass(frozen=True)
class WorkerResult:
    handle: int | None        # None: check_source itself failed (logged here)
    diagnostics: list         # pyjit_core Diagnostics of the file, as the editor should see them
    deps: frozenset[str]      # paths of every module the analysis read
    has_roots: bool
    seconds: float            # spent in check_source


@dataclass
class _Entry:
    result: Any      # pyjit_core.result.CheckResult
    summary: WorkerResult


class Worker:
    """The results and the operations on them (both lanes; see the module docstring)."""

    def __init__(self) -> None:
        from pyjit_core.editor.presentation import Presentation
        from pyjit_core.session import Session

        self.session = Session(presentation=Presentation.IN_FILE)
        self._entries: dict[int, _Entry] = {}
        self._ahead: dict[tuple, int] = {}   # key -> handle of a result made before the server asked

    # --- analysis lane -----------------------------------------------------------------------

    def warm_up(self) -> None:
        from .memory import Memory

        started = time.perf_counter()
        self.session.warm_up()
        Memory.start()   # what is loaded now lives as long as the process
        logger.debug("warmed up in %.0f ms", (time.perf_counter() - started) * 1000)

    def analyse(self, job: WorkerJob) -> WorkerResult:
        taken = self._take_ahead(job)
        if taken is not None:
            return taken
        summary = self._analyse(job)
        logger.debug("analysed %s (handle %d) in %.0f ms", job.path, job.handle, summary.seconds * 1000)
        if job.handle < 0 and job.key is not None:
            self._ahead[job.key] = job.handle
        return summary

    def _take_ahead(self, job: WorkerJob) -> WorkerResult | None:
        """The result made ahead for exactly this job, renamed to its handle;
        results made ahead for the same file that do not match are dropped."""
        if job.handle < 0:
            return None
        found = self._ahead.pop(job.key, None) if job.key is not None else None
        for key, handle in [(k, h) for k, h in self._ahead.items() if k[0] == job.path]:
            del self._ahead[key]
            self.release(handle, [])
        if found is None or found not in self._entries:
            return None
        entry = self._entries.pop(found)
        entry.summary = replace(entry.summary, handle=job.handle if entry.summary.handle is not None else None)
        self._entries[job.handle] = entry
        logger.debug("took the analysis of %s made ahead", job.path)
        return entry.summary

    def _analyse(self, job: WorkerJob) -> WorkerResult:
        started = time.perf_counter()
        session = self.session
        session.documents = {os.path.abspath(p): t for p, t in job.overlays}
        previous = self._entries.get(job.previous) if job.previous is not None else None
        try:
            result = session.check(job.path, job.text, config=job.config,
                                   previous=previous.result if previous is not None else None)
        except Exception:  # noqa: BLE001 - never crash on one file
            logger.exception("the analysis of %s failed", job.path)
            return WorkerResult(None, [], frozenset(), job.had_roots, time.perf_counter() - started)
        seconds = time.perf_counter() - started
        deps = frozenset(_loaded_paths(result.world)) - {job.path}
        summary = WorkerResult(job.handle, result.diagnostics, deps, result.has_roots, seconds)
        self._entries[job.handle] = _Entry(result, summary)
        return summary

    def warm(self, handle: int) -> float | None:
        """Build the hover index of a result (ahead of the first hover)."""
        entry = self._entries.get(handle)
        if entry is None:
            return None
        started = time.perf_counter()
        entry.result.hover_index  # noqa: B018 - built and kept on the result
        return time.perf_counter() - started

    def collect(self) -> None:
        from .memory import Memory

        Memory.collect_now()

    def release(self, handle: int, live: list[int]) -> None:
        """The server shows result ``handle`` no more."""
        entry = self._entries.pop(handle, None)
        if entry is not None:
            self.session.release(entry.result)

    # --- query lane ----------------------------------------------------------------------------

    def describe(self, handle: int, line: int, col: int) -> tuple[Any, str] | None:
        """The hover at a 0-based line and code-point column of the analysed text:
        (its TextRange, its markdown), or None."""
        entry = self._entries.get(handle)
        if entry is None:
            return None
        info = self.session.hover(entry.result, line, col)
        return None if info is None else (info.range, info.markdown)

    def graph(self, handle: int, line: int | None = None, name: str | None = None) -> str | None:
        """``pyjit.showGraph``: the graph of the function around 0-based ``line``,
        or of the function ``name`` (qualified or as written)."""
        entry = self._entries.get(handle)
        if entry is None:
            return None
        return self.session.graph(entry.result, line=line, name=name).text

    def set_log_level(self, level: int) -> None:
        logging.getLogger().setLevel(level)


#: Methods answered at once on the reading thread; all others queue for the analysis thread.
QUERIES = frozenset({"describe", "graph", "set_log_level", "ping"})


def _loaded_paths(world: Any) -> list[str]:
    """Paths of the modules ``world`` read (the analysis' dependencies)."""
    modules = getattr(world, "_modules", {})  # PyWorld keeps no public list yet
    return [scope.source.path for scope in modules.values() if scope is not None]


# --- the process -----------------------------------------------------------------------------------

class _Service:
    """Reads requests, runs them in their lane, writes the answers."""

    def __init__(self, requests: BinaryIO, answers: BinaryIO) -> None:
        self.worker = Worker()
        self._requests = requests
        self._answers = answers
        self._write_lock = threading.Lock()
        self._lane: queue.Queue[tuple | None] = queue.Queue()

    def serve(self) -> None:
        analysis = threading.Thread(target=self._analysis_lane, name="pyjit-analysis", daemon=True)
        analysis.start()
        self._lane.put((None, "warm_up", ()))
        while True:
            try:
                request = read_frame(self._requests)
            except ChannelClosed:
                return
            if request[1] in QUERIES:
                self._run(request)
            else:
                self._lane.put(request)

    def _analysis_lane(self) -> None:
        while (request := self._lane.get()) is not None:
            self._run(request)

    def _run(self, request: tuple) -> None:
        request_id, method, args = request
        try:
            value = None if method == "ping" else getattr(self.worker, method)(*args)
            answer = (request_id, True, value)
        except Exception as e:  # noqa: BLE001 - reported to the server, which carries on
            logger.exception("worker: %s failed", method)
            answer = (request_id, False, f"{type(e).__name__}: {e}")
        if request_id is not None:
            with self._write_lock:
                write_frame(self._answers, answer)


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


def serve_forked(requests_fd: int, answers_fd: int, log_level: str, log_file: str | None) -> None:
    """The worker in a child forked from the server before it imported
    anything much (Linux: no interpreter start-up to pay). The server's LSP
    channel (stdin/stdout) is not ours: let go of it, so the client sees the
    server's output end when the server exits."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
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
    _Service(requests, answers).serve()
    # The server closed the channel: leave at once (an analysis still running is of no use).
    logging.shutdown()
    os._exit(0)


if __name__ == "__main__":
    # Run as ``-m``, this file is ``__main__``; the classes that travel in frames
    # must be those of ``pyjit_server.worker``, which the server unpickles.
    from pyjit_server.worker import main as _main

    sys.exit(_main())
