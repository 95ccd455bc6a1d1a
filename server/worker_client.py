"""The server's end of the analysis worker (:mod:`.worker`): start it, ask it, restart it.

Requests are sent from any thread; each gets a :class:`concurrent.futures.Future`
that a reading thread completes. ``call`` blocks (for the scheduler's
thread), ``ask`` awaits (for handlers on the event loop), ``tell`` expects no
answer. A worker that dies fails what it was asked with :class:`WorkerGone`,
is reported to ``on_unexpected_exit`` (the server analyses its documents
again) and is started again at the next request: its results are lost, so
their handles answer nothing until then.

On Linux the first worker is forked (``fork=True``) from the server as it
starts, before the server has threads or has imported anything much: the
child skips the interpreter's start-up (~40 ms on the first diagnostics'
path) and shares little memory with the server. Restarts, and other
systems, run ``python -m pyjit_server.worker``.
"""

from __future__ import annotations

import itertools
import logging
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from typing import Any, Callable

from .wire import ChannelClosed, read_frame, write_frame

logger = logging.getLogger(__name__)


#: Set by a launcher that puts a folder of pyjit's own libraries first on sys.path
#: (the VS Code extension's bundled server): a worker started anew reads them too.
BUNDLED_LIBS_ENV = "PYJIT_LSP_BUNDLED_LIBS"


def worker_command() -> list[str]:
    libs = os.environ.get(BUNDLED_LIBS_ENV)
    if not libs:
        return [sys.executable, "-m", "pyjit_server.worker"]
    # As the launcher does: isolated (no PYTHONPATH, user site or current directory), the libs first.
    run = ("import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); "
           "runpy.run_module('pyjit_server.worker', run_name='__main__', alter_sys=True)")
    return [sys.executable, "-I", "-c", run, libs]


class WorkerGone(RuntimeError):
    """The worker process exited (or could not be reached) before answering."""


class WorkerFailed(RuntimeError):
    """The worker answered with an error (already logged on its side)."""


class AnalysisWorker:
    def __init__(self, *, log_level: str = "INFO", log_file: str | None = None, fork: bool = False) -> None:
        self._log_level, self._log_file = log_level, log_file
        self._fork = fork and sys.platform == "linux"   # the first start only
        self._argv = [*worker_command(), "--log-level", log_level]
        if log_file:
            self._argv += ["--log-file", log_file]
        self._lock = threading.Lock()        # process, pending and writes
        self._process: subprocess.Popen[bytes] | None = None
        self._pending: dict[int, tuple[subprocess.Popen[bytes], Future[Any]]] = {}
        self._ids = itertools.count(1)
        self._stopped = False
        self.starts = 0                      # processes started so far
        # Called (in a reading thread) with the exit code when a worker exits unasked.
        self.on_unexpected_exit: Callable[[int | None], None] | None = None
        self._killed: object = None          # the process kill() stopped

    def start(self) -> None:
        """Start the process now (it loads the analyses while the caller goes on).
        A failure is logged; the next request tries again."""
        with self._lock:
            try:
                self._ensure_running()
            except OSError as e:
                logger.error("cannot start the analysis worker: %s", e)

    def request(self, method: str, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._stopped:
                future.set_exception(WorkerGone("the server is shutting down"))
                return future
            request_id = next(self._ids)
            try:
                process = self._ensure_running()
                self._pending[request_id] = (process, future)
                write_frame(process.stdin, (request_id, method, args))  # type: ignore[arg-type]
            except (OSError, ValueError) as e:
                self._pending.pop(request_id, None)
                future.set_exception(WorkerGone(f"cannot reach the analysis worker: {e}"))
        return future

    def call(self, method: str, *args: Any, timeout: float | None = None) -> Any:
        return self.request(method, *args).result(timeout)

    async def ask(self, method: str, *args: Any) -> Any:
        import asyncio   # not at the top: this module is imported before anything else (see __main__)

        return await asyncio.wrap_future(self.request(method, *args))

    def tell(self, method: str, *args: Any) -> None:
        """Send without waiting for (or getting) an answer."""
        with self._lock:
            if self._stopped or self._process is None or self._process.poll() is not None:
                return
            try:
                write_frame(self._process.stdin, (None, method, args))  # type: ignore[arg-type]
            except (OSError, ValueError):
                pass

    def kill(self) -> None:
        """Stop the running worker now (a runaway analysis); the next request starts another.
        Not an unexpected exit: nothing is analysed again because of it."""
        with self._lock:
            process = self._process
            self._killed = process
        if process is not None:
            process.kill()

    def stop(self) -> None:
        """Close the channel: the worker exits when it reads the end."""
        with self._lock:
            self._stopped = True
            process, self._process = self._process, None
        if process is not None and process.stdin is not None:
            try:
                process.stdin.close()
            except OSError:
                pass
        with self._lock:
            waiting = [future for _, future in self._pending.values()]
            self._pending.clear()
        for future in waiting:
            if not future.done():
                future.set_exception(WorkerGone("the server is shutting down"))

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None else None

    # --- internals ---------------------------------------------------------------------------

    def _ensure_running(self) -> subprocess.Popen[bytes] | _ForkedWorker:
        process = self._process
        if process is not None and process.poll() is None:
            return process
        if process is not None:
            logger.error("the analysis worker exited (code %s); starting a new one", process.returncode)
        # stderr is the server's (its log); -m drops the current directory from sys.path
        # (see __init__.py), so a workspace's own modules cannot shadow ours.
        if self._fork and threading.active_count() == 1:
            process = _ForkedWorker.start(self._log_level, self._log_file)
        else:
            process = subprocess.Popen(self._argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self._fork = False
        self._process = process
        self.starts += 1
        threading.Thread(target=self._read_answers, args=(process,), name="pyjit-worker-reader",
                         daemon=True).start()
        return process

    def _read_answers(self, process: subprocess.Popen[bytes]) -> None:
        stream = process.stdout
        try:
            while True:
                request_id, ok, value = read_frame(stream)  # type: ignore[arg-type]
                with self._lock:
                    _, future = self._pending.pop(request_id, (None, None))
                if future is None:
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(WorkerFailed(value))
        except (ChannelClosed, OSError, ValueError):
            pass
        except Exception:  # noqa: BLE001 - a frame we cannot read: the channel is lost
            logger.exception("unreadable answer from the analysis worker; stopping it")
            process.kill()
        process.wait()
        with self._lock:
            if self._process is process:
                self._process = None
            orphans = [i for i, (p, _) in self._pending.items() if p is process]
            futures = [self._pending.pop(i)[1] for i in orphans]
        for future in futures:
            if not future.done():
                future.set_exception(WorkerGone(f"the analysis worker exited (code {process.returncode})"))
        if not self._stopped and process is not self._killed and self.on_unexpected_exit is not None:
            self.on_unexpected_exit(process.returncode)


class _ForkedWorker:
    """A forked worker, with the part of :class:`subprocess.Popen` used here."""

    def __init__(self, pid: int, stdin, stdout) -> None:
        self.pid, self.stdin, self.stdout = pid, stdin, stdout
        self.returncode: int | None = None

    @staticmethod
    def start(log_level: str, log_file: str | None) -> _ForkedWorker:
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        for fd in (requests_write, answers_write):
            _widen(fd)
        pid = os.fork()
        if pid == 0:   # the child: never returns
            try:
                os.close(requests_write)   # or the child would never see the server's end
                os.close(answers_read)
                from .worker import serve_forked

                serve_forked(requests_read, answers_write, log_level, log_file)
            finally:
                os._exit(1)
        os.close(requests_read)
        os.close(answers_write)
        return _ForkedWorker(pid, os.fdopen(requests_write, "wb", buffering=0), os.fdopen(answers_read, "rb"))

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:   # reaped meanwhile by wait() in the reading thread
                return self.returncode if self.returncode is not None else -1
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            try:
                _, status = os.waitpid(self.pid, 0)
                self.returncode = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                self.returncode = -1
        return self.returncode

    def kill(self) -> None:
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass


def _widen(fd: int) -> None:
    """A 1 MiB pipe (Linux), so a whole document is written at once instead of in 64 KiB turns."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass


_shared: AnalysisWorker | None = None


def shared_worker() -> AnalysisWorker:
    """The process's one worker (``configure`` sets how it logs, before it starts)."""
    global _shared
    if _shared is None:
        _shared = AnalysisWorker()
    return _shared


def configure(*, log_level: str, log_file: str | None, fork: bool = False) -> AnalysisWorker:
    global _shared
    _shared = AnalysisWorker(log_level=log_level, log_file=log_file, fork=fork)
    return _shared
