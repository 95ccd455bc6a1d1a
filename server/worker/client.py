"""The server's end of the analysis worker: start it, ask it (never without a time limit), watch it, replace it.

:class:`WorkerClient` is the :class:`pyjit_server.scheduling.backend.AnalysisBackend`
the scheduler drives. Calls on the analysis lane (``analyse``, ``index``,
``collect``) block the scheduler's one thread, up to ``lane_timeout``;
questions (``hover``, ``graph``, ``code_actions``) are awaited on the event
loop, up to ``query_timeout``; the rest are sent without waiting.

**Time limits.** A lane call past its limit means a runaway analysis: the
worker is stopped and the call raises :class:`WorkerTimeout`. A worker that
does not answer a ping (answered at once, even mid-analysis) for
``unresponsive_after`` seconds -- stopped with SIGSTOP, swapping, stuck --
is stopped too. Either way a new worker takes its place at the next call.

**A worker that ends** fails what it was asked with :class:`WorkerGone`
(``crashed`` when it exited by itself), and ``on_lost`` hears of it, with a
message for the user and the *suspect*: the document whose analysis (or
hover index) was under way when the worker crashed or ran out of time. Its
results are gone, so the server analyses the open documents again -- all
but the suspect, until it changes (or it would bring the next worker down too). Each new worker is
first sent the editor's settings (:meth:`configure`), and gets the open
buffers with its first analysis: nothing the editor said is lost.

**Starting.** On Linux the first worker is forked (``fork=True``) from the
server as it starts, before the server has threads or has imported anything
much: the child skips the interpreter's start-up (~40 ms on the first
diagnostics' path). Later workers, and all on other systems, run this
interpreter isolated (``-I``: no current directory, no ``PYTHON*``
variables, no user site) in this package's own folder, with the server's own
``sys.path`` given explicitly: no workspace folder can shadow pyjit or the
standard library in the worker.
"""

from __future__ import annotations

import itertools
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any, NamedTuple

from .memory import CEILING_MB
from .wire import ChannelClosed, read_frame, write_frame

if TYPE_CHECKING:   # this module is imported first thing, before the worker is forked: keep it light
    from .messages import EarlyDiagnostics, EditorSettings, Job, Result

logger = logging.getLogger(__name__)

#: An analysis (or hover index, or collection) the worker has not finished after this long is stopped.
LANE_TIMEOUT_S = float(os.environ.get("PYJIT_LSP_ANALYSIS_TIMEOUT_S", "60"))
#: A hover, graph or code action question unanswered after this long gets no answer.
QUERY_TIMEOUT_S = float(os.environ.get("PYJIT_LSP_QUERY_TIMEOUT_S", "10"))
#: A worker silent this long while asked something (pings included) is replaced.
UNRESPONSIVE_S = float(os.environ.get("PYJIT_LSP_WORKER_UNRESPONSIVE_S", "20"))

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_BOOTSTRAP = ("import json, sys; sys.path[:] = json.loads(sys.argv.pop(1)); "
              "from pyjit_server.worker.service import main; sys.exit(main(sys.argv[1:]))")


class WorkerGone(RuntimeError):
    """The worker process ended (or was stopped) before answering."""

    def __init__(self, message: str, *, crashed: bool = False) -> None:
        super().__init__(message)
        self.crashed = crashed      # it exited by itself: what it was doing may be why


class WorkerTimeout(WorkerGone):
    """A lane call took longer than its limit: the worker was stopped."""


class WorkerFailed(RuntimeError):
    """The worker answered with an error (already logged on its side)."""


class WorkerClient:
    def __init__(self, *, log_level: str = "INFO", log_file: str | None = None, fork: bool = False,
                 lane_timeout: float = LANE_TIMEOUT_S, query_timeout: float = QUERY_TIMEOUT_S,
                 unresponsive_after: float = UNRESPONSIVE_S, memory_ceiling_mb: float = CEILING_MB) -> None:
        self._log_level = log_level
        self._log_file = os.path.abspath(log_file) if log_file else None
        self._fork = fork and sys.platform == "linux"   # the first start only
        self.lane_timeout, self.query_timeout = lane_timeout, query_timeout
        self._unresponsive_after = unresponsive_after
        self._ceiling_mb = memory_ceiling_mb
        self._lock = threading.Lock()                   # process, pending, owners
        self._write_lock = threading.Lock()             # one frame at a time
        self._writing_since: float | None = None
        self._process: _Process | None = None
        self._pending: dict[int, _Request] = {}
        self._owners: dict[int, tuple[_Process, Subject]] = {}   # result handle -> who holds it, and of what
        self._ids = itertools.count(1)
        self._stopped = False
        self._settings: EditorSettings | None = None    # sent again to every new worker
        self._watchdog: threading.Thread | None = None
        #: Called (in a reading thread) when a worker ended unasked: a message for the
        #: user (None: nothing to tell), and the suspect (see the module docstring).
        self.on_lost: Callable[[str | None, Subject | None], None] | None = None
        #: Called (in a reading thread) with each settings problem the worker reports.
        self.on_notice: Callable[[str], None] | None = None
        #: A document's cached diagnostics, sent as its first analysis began (the latest per uri,
        #: kept for a server not yet up), and who hears of each (in a reading thread).
        self.early: dict[str, EarlyDiagnostics] = {}
        self.on_early: Callable[[EarlyDiagnostics], None] | None = None
        #: Heard first, until the server is up (see :mod:`pyjit_server.protocol.handshake`).
        self.on_early_ahead: Callable[[EarlyDiagnostics], None] | None = None

    # --- the process -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the process now (it loads the analyses while the caller goes on).
        A failure is logged; the next call tries again."""
        with self._lock:
            try:
                self._ensure_running()
            except OSError as e:
                logger.error("cannot start the analysis worker: %s", e)

    def stop(self) -> None:
        """Close the channel: the worker exits when it reads the end."""
        with self._lock:
            self._stopped = True
            process, self._process = self._process, None
            waiting = [request.future for request in self._pending.values()]
            self._pending.clear()
        if process is not None:
            process.expected = True
            process.close_input()
        for future in waiting:
            if not future.done():
                future.set_exception(WorkerGone("the server is shutting down"))

    def recycle(self) -> None:
        """Replace the worker with a fresh one (between analyses: nothing is pending)."""
        with self._lock:
            process, self._process = self._process, None
            if process is not None:
                process.expected = True
            self._ensure_running()
        if process is not None:
            logger.info("replaced the analysis worker (%.0f MB resident, past %.0f MB)", process.resident_mb or 0,
                        self._ceiling_mb)
            process.close_input()

    @property
    def settings(self) -> EditorSettings | None:
        """What the editor said about settings, as last sent."""
        return self._settings

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None else None

    def holds(self, handle: int | None) -> bool:
        """Whether the running worker holds the result ``handle``."""
        owner = self._owners.get(handle) if handle is not None else None
        return owner is not None and owner[0] is self._process

    # --- what the editor said ------------------------------------------------------------------

    def configure(self, settings: EditorSettings) -> None:
        """The editor's settings, for this worker and every one that replaces it."""
        with self._lock:
            self._settings = settings
            running = self._process is not None and self._process.poll() is None
        if running:
            self._send("configure", (settings,), answer=False)
        else:
            self.start()   # a new worker is sent the settings first thing

    def files_changed(self, paths: list[str]) -> None:
        self._send("files_changed", (paths,), answer=False)

    # --- the analysis lane (blocking: the scheduler's thread) -------------------------------------

    def analyse(self, job: Job, buffers: Mapping[str, str]) -> Result:
        """Analyse ``job``; first send the open buffers (path -> text) the worker does not have."""
        process = self._current()
        known = process.buffers
        for path, text in buffers.items():
            if path != job.path and known.get(path) is not text:
                known[path] = text
                self._send("document", (path, text), answer=False, process=process)
        for path in [p for p in known if p not in buffers and p != job.path]:
            del known[path]
            self._send("document", (path, None), answer=False, process=process)
        known[job.path] = job.text
        subject = (job.uri, job.version)
        with self._lock:
            self._owners[job.handle] = (process, subject)
        try:
            result: Result = self._call("analyse", job, what=f"analysing {_name(job.uri)}", process=process,
                                        subject=subject)
        except Exception:
            with self._lock:
                self._owners.pop(job.handle, None)
            raise
        if result.handle != job.handle:   # an earlier result answered: the job's handle names nothing
            with self._lock:
                self._owners.pop(job.handle, None)
        process.analyses += 1
        process.resident_mb = result.resident_mb
        return result

    def analyse_ahead(self, job: Job) -> None:
        """An analysis asked for before the server is up (see :mod:`pyjit_server.protocol.handshake`)."""
        process = self._current()
        process.buffers[job.path] = job.text
        with self._lock:
            self._owners[job.handle] = (process, (job.uri, job.version))
        self._send("analyse", (job,), answer=False, process=process)

    def index(self, handle: int) -> float | None:
        """Build a result's hover index; seconds it took (None: no such result)."""
        owner = self._owners.get(handle)
        if owner is None or owner[0] is not self._process:
            return None
        subject = owner[1]
        seconds = self._call("index", handle, what=f"indexing {_name(subject[0])} for hovers", subject=subject)
        if seconds is not None:
            logger.info("indexed %s (version %s) for hovers in %.0f ms", _name(subject[0]), subject[1], seconds * 1000)
        return seconds

    def collect(self) -> None:
        self._call("collect", what="collecting garbage")

    def release(self, handles: list[int]) -> None:
        held = [h for h in handles if self.holds(h)]
        with self._lock:
            for handle in handles:
                self._owners.pop(handle, None)
        if held:
            self._send("release", (held,), answer=False)

    def wants_recycling(self, result: Result) -> bool:
        """Past the memory ceiling, after more than re-analysing what is open
        (a worker that is over it with only that would be replaced forever)."""
        owner = self._owners.get(result.handle)
        process = owner[0] if owner is not None else None
        return (process is not None and result.resident_mb is not None and result.resident_mb > self._ceiling_mb
                and process.analyses > len(process.buffers))

    # --- questions (awaited on the event loop) ---------------------------------------------------

    async def hover(self, handle: int, line: int, col: int) -> Any:
        return await self._ask("hover", handle, line, col) if self.holds(handle) else None

    async def graph(self, handle: int, line: int | None, name: str | None) -> Any:
        return await self._ask("graph", handle, line, name) if self.holds(handle) else None

    async def code_lenses(self, handle: int) -> list:
        return (await self._ask("code_lenses", handle) or []) if self.holds(handle) else []

    async def code_actions(self, handle: int, where: Any, codes: list[str] | None) -> list:
        return (await self._ask("code_actions", handle, where, codes) or []) if self.holds(handle) else []

    async def _ask(self, method: str, *args: Any) -> Any:
        """A question; None when it cannot be answered in time (or the worker failed: logged)."""
        import asyncio  # not at the top: this module is imported before anything else (see __main__)

        request_id, future = self._send(method, args, answer=True)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.query_timeout)
        except asyncio.TimeoutError:
            with self._lock:
                self._pending.pop(request_id, None)  # type: ignore[arg-type]
            logger.warning("the analysis worker did not answer %s within %g s", method, self.query_timeout)
        except (WorkerGone, WorkerFailed) as e:
            logger.warning("the analysis worker could not answer %s: %s", method, e)
        return None

    # --- internals ---------------------------------------------------------------------------

    def _current(self) -> _Process:
        with self._lock:
            if self._stopped:
                raise WorkerGone("the server is shutting down")
            try:
                return self._ensure_running()
            except OSError as e:
                raise WorkerGone(f"cannot start the analysis worker: {e}") from None

    def _call(self, method: str, *args: Any, what: str, process: _Process | None = None,
              subject: Subject | None = None) -> Any:
        request_id, future = self._send(method, args, answer=True, process=process, subject=subject)
        try:
            return future.result(self.lane_timeout)
        except FutureTimeout:
            with self._lock:
                request = self._pending.pop(request_id, None)  # type: ignore[arg-type]
            again = f" {_name(subject[0])} is analysed again at its next change." if subject is not None else ""
            message = (f"pyjit stopped {what}: it took longer than {self.lane_timeout:g} s "
                       f"(PYJIT_LSP_ANALYSIS_TIMEOUT_S).{again}")
            if request is not None:
                request.process.suspect = subject
                self._stop_process(request.process, message, tell=True)
            raise WorkerTimeout(message) from None

    def _send(self, method: str, args: tuple, *, answer: bool, process: _Process | None = None,
              subject: Subject | None = None) -> tuple[int | None, Future[Any]]:
        future: Future[Any] = Future()
        request_id = None
        with self._lock:
            if self._stopped:
                future.set_exception(WorkerGone("the server is shutting down"))
                return None, future
            try:
                process = process or self._ensure_running()
            except OSError as e:
                future.set_exception(WorkerGone(f"cannot start the analysis worker: {e}"))
                return None, future
            if answer:
                request_id = next(self._ids)
                self._pending[request_id] = _Request(process, future, subject)
        if not self._write(process, (request_id, method, args)) and answer:
            with self._lock:
                self._pending.pop(request_id, None)
            if not future.done():
                future.set_exception(WorkerGone("cannot reach the analysis worker"))
        return request_id, future

    def _write(self, process: _Process, frame: tuple) -> bool:
        with self._write_lock:
            self._writing_since = time.monotonic()
            try:
                write_frame(process.stdin, frame)
                return True
            except (OSError, ValueError):
                return False
            finally:
                self._writing_since = None

    def _ensure_running(self) -> _Process:
        """(Holding ``_lock``.) The running worker, started if there is none."""
        process = self._process
        if process is not None and process.poll() is None:
            return process
        if process is not None:
            logger.error("the analysis worker exited (code %s); starting a new one", process.returncode)
        # stderr is the server's (its log).
        if self._fork and threading.active_count() == 1:
            process = _Process.forked(self._log_level, self._log_file)
        else:
            process = _Process.command(self._command())
        self._fork = False
        self._process = process
        threading.Thread(target=self._read_answers, args=(process,), name="pyjit-worker-reader",
                         daemon=True).start()
        if self._watchdog is None:
            self._watchdog = threading.Thread(target=self._watch, name="pyjit-worker-watchdog", daemon=True)
            self._watchdog.start()
        if self._settings is not None:
            self._write(process, (None, "configure", (self._settings,)))
        return process

    def _command(self) -> list[str]:
        import json

        # Absolute entries only: "" or "." would be the worker's own directory.
        argv = [sys.executable, "-I", "-c", _BOOTSTRAP, json.dumps([p for p in sys.path if os.path.isabs(p)]),
                "--log-level", self._log_level]
        return argv + (["--log-file", self._log_file] if self._log_file else [])

    def _read_answers(self, process: _Process) -> None:
        stream = process.stdout
        try:
            while True:
                request_id, ok, value = read_frame(stream)
                process.heard()
                if request_id is None:
                    if ok == "notice" and self.on_notice is not None:
                        self.on_notice(value)
                    elif ok == "early":
                        if self.on_early_ahead is not None:
                            self.on_early_ahead(value)
                        self.early[value.uri] = value
                        if self.on_early is not None:
                            self.on_early(value)
                    continue
                with self._lock:
                    request = self._pending.pop(request_id, None)
                future = request.future if request is not None else None
                if future is None or future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(WorkerFailed(value))
        except (ChannelClosed, OSError, ValueError):
            pass
        except Exception:
            logger.exception("unreadable answer from the analysis worker; stopping it")
            process.kill()
        process.wait()
        self._lost(process)

    def _lost(self, process: _Process) -> None:
        crashed = process.stop_reason is None
        with self._lock:
            if self._process is process:
                self._process = None
            requests = [self._pending.pop(i) for i, r in list(self._pending.items()) if r.process is process]
            for handle in [h for h, (p, _) in self._owners.items() if p is process]:
                del self._owners[handle]
        suspect = process.suspect
        if crashed:
            suspect = next((r.subject for r in requests if r.subject is not None), None)
        reason = process.stop_reason or _crash_message(process.returncode, suspect)
        for request in requests:
            if not request.future.done():
                request.future.set_exception(WorkerGone(reason, crashed=crashed))
        if self._stopped or process.expected:
            return
        logger.error("%s", reason)
        if self.on_lost is not None:
            self.on_lost(reason if crashed or process.tell else None, suspect)

    def _stop_process(self, process: _Process, reason: str, *, tell: bool) -> None:
        if process.stop_reason is None:
            process.stop_reason, process.tell = reason, tell
        process.kill()

    def _watch(self) -> None:
        """Ping a worker that is asked something; replace it when it stays silent."""
        tick = max(self._unresponsive_after / 4, 0.05)
        while not self._stopped:
            time.sleep(tick)
            with self._lock:
                process = self._process
                busy = process is not None and any(r.process is process for r in self._pending.values())
            if process is None or not busy:
                continue
            now = time.monotonic()
            writing = self._writing_since
            stuck = writing is not None and now - writing > self._unresponsive_after
            if stuck or (process.pinged_at is not None and now - process.pinged_at > self._unresponsive_after):
                self._stop_process(process, f"pyjit's analysis worker stopped responding for "
                                            f"{self._unresponsive_after:g} s (PYJIT_LSP_WORKER_UNRESPONSIVE_S): "
                                            "it was replaced, and the open documents are analysed again.",
                                   tell=True)
            elif process.pinged_at is None and self._write_lock.acquire(blocking=False):
                # Answered on the worker's reading thread, even mid-analysis; any frame
                # that comes back says it is alive (see _Process.heard).
                try:
                    process.pinged_at = now
                    write_frame(process.stdin, (next(self._ids), "ping", ()))
                except (OSError, ValueError):
                    pass
                finally:
                    self._write_lock.release()


Subject = tuple[str, "int | None"]
"""What a lane call is about: (uri, version) of a document."""


class _Request(NamedTuple):
    process: _Process
    future: Future[Any]
    subject: Subject | None


def _name(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _crash_message(code: int | None, suspect: Subject | None) -> str:
    what = f" while analysing {_name(suspect[0])}" if suspect is not None else ""
    again = (f" {_name(suspect[0])} is analysed again at its next change, the other open documents now."
             if suspect is not None else " The open documents are analysed again.")
    return f"pyjit's analysis worker exited unexpectedly (code {code}){what}.{again}"


class _Process:
    """A worker process (forked or started by command) and what the client knows of it."""

    def __init__(self, pid: int, stdin: Any, stdout: Any, popen: subprocess.Popen[bytes] | None = None) -> None:
        self.pid, self.stdin, self.stdout = pid, stdin, stdout
        self._popen = popen
        self.returncode: int | None = None
        self.buffers: dict[str, str] = {}        # open buffers it has: path -> the text sent
        self.analyses = 0
        self.resident_mb: float | None = None
        self.expected = False                    # stopped on purpose: shutdown or recycling
        self.stop_reason: str | None = None      # why the client stopped it (None: it exited by itself)
        self.tell = False                        # whether the user hears of that
        self.suspect: Subject | None = None      # what it was doing when it ran out of time
        self.pinged_at: float | None = None      # when an unanswered ping was sent

    def heard(self) -> None:
        self.pinged_at = None

    @staticmethod
    def command(argv: list[str]) -> _Process:
        popen = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, cwd=_PACKAGE_DIR)
        if popen.stdin is not None:
            _widen(popen.stdin.fileno())
        return _Process(popen.pid, popen.stdin, popen.stdout, popen)

    @staticmethod
    def forked(log_level: str, log_file: str | None) -> _Process:
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        for fd in (requests_write, answers_write):
            _widen(fd)
        pid = os.fork()
        if pid == 0:   # the child: never returns
            try:
                os.close(requests_write)   # or the child would never see the server's end
                os.close(answers_read)
                from .service import serve_forked

                serve_forked(requests_read, answers_write, log_level, log_file)
            finally:
                os._exit(1)
        os.close(requests_read)
        os.close(answers_write)
        return _Process(pid, os.fdopen(requests_write, "wb", buffering=0), os.fdopen(answers_read, "rb"))

    def poll(self) -> int | None:
        if self.returncode is None:
            if self._popen is not None:
                self.returncode = self._popen.poll()
                return self.returncode
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:   # reaped meanwhile by wait() in the reading thread
                return self.returncode if self.returncode is not None else -1
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            if self._popen is not None:
                self.returncode = self._popen.wait()
                return self.returncode
            try:
                _, status = os.waitpid(self.pid, 0)
                self.returncode = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                self.returncode = -1
        return self.returncode

    def kill(self) -> None:
        try:
            os.kill(self.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass

    def close_input(self) -> None:
        try:
            self.stdin.close()
        except OSError:
            pass


def _widen(fd: int) -> None:
    """A 1 MiB pipe (Linux), so a whole document is written at once instead of in 64 KiB turns."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass


_shared: WorkerClient | None = None


def shared_worker() -> WorkerClient:
    """The process's one worker (``configure_worker`` sets how it logs, before it starts)."""
    global _shared
    if _shared is None:
        _shared = WorkerClient()
    return _shared


def configure_worker(*, log_level: str, log_file: str | None, fork: bool = False) -> WorkerClient:
    global _shared
    _shared = WorkerClient(log_level=log_level, log_file=log_file, fork=fork)
    return _shared
