"""Checking many files, in this process or in several: the engine of ``pyjit check``.

With ``jobs`` above one, the files are shared among worker processes, each
with its own :class:`.session.Session` (``WHERE_FOUND``), handed files in
order. An error in another file (a callee two roots compile) may then be
found by several workers; :func:`check_files` keeps its first report in file
order, so the output is the same whatever the number of processes, and the
same as one session's.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .config import ConfigError
from .diagnostics import Diagnostic
from .editor.presentation import Presentation, report_key
from .result_cache import ResultCache
from .session import Session
from .settings import SettingsResolver
from .sources import UnreadableSource


@dataclass(frozen=True)
class Job:
    """What a process needs to check files as the command line asked: the workspace
    folders, the flags' settings, and texts that stand for files on disk (stdin, or
    a file ``--fix`` changed but has not written)."""

    folders: tuple[str, ...]
    overrides: Mapping[str, Any] = field(default_factory=dict)
    documents: Mapping[str, str] = field(default_factory=dict)   # absolute path -> text
    cache_dir: str | None = None     # the result cache's directory (None: no cache; see .result_cache)

    def session(self) -> Session:
        cache = ResultCache(self.cache_dir) if self.cache_dir is not None else None
        session = Session(SettingsResolver(self.folders, overrides=self.overrides, strict=True),
                          presentation=Presentation.WHERE_FOUND, result_cache=cache)
        for path, text in self.documents.items():
            session.set_document(path, text)
        return session


@dataclass
class Outcome:
    """One file checked: what it shows (at its own path and others'), or why it was not read."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: str | None = None
    config_error: tuple[str, list[str]] | None = None   # (source, problems): ConfigError crosses processes so


def check_files(paths: Sequence[str], job: Job, *, jobs: int = 1) -> list[Outcome]:
    """Each of ``paths`` checked, in order; a finding reported by several files is kept at the first.
    Raises :class:`.config.ConfigError` for settings that cannot be used."""
    jobs = max(1, min(jobs, len(paths)))
    outcomes = list(_in_this_process(paths, job) if jobs == 1 else _in_processes(paths, job, jobs))
    for outcome in outcomes:
        if outcome.config_error is not None:
            raise ConfigError(*outcome.config_error)
    shown: set[tuple] = set()
    for outcome in outcomes:
        kept = []
        for d in outcome.diagnostics:
            key = report_key(d)
            if key not in shown:
                shown.add(key)
                kept.append(d)
        outcome.diagnostics = kept
    return outcomes


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# --- one process -----------------------------------------------------------------------------------

def _in_this_process(paths: Sequence[str], job: Job) -> Iterator[Outcome]:
    session = job.session()
    for path in paths:
        yield _check(session, path)


def _check(session: Session, path: str) -> Outcome:
    try:
        cached = session.cached(path)
        if cached is not None:
            return Outcome(path, cached)
        result = session.check(path)
    except UnreadableSource as e:
        return Outcome(path, unreadable=str(e))
    except ConfigError as e:
        return Outcome(path, config_error=(e.source, e.problems))
    session.release(result)
    return Outcome(path, list(result.diagnostics))


# --- several -------------------------------------------------------------------------------------

_worker_session: Session | None = None


def _start_worker(job: Job) -> None:
    global _worker_session
    _worker_session = job.session()


def _check_in_worker(path: str) -> Outcome:
    assert _worker_session is not None, "the pool's initializer makes the session"
    return _check(_worker_session, path)


def _in_processes(paths: Sequence[str], job: Job, jobs: int) -> Iterator[Outcome]:
    context = _safe_context()
    if context is None:
        yield from _in_this_process(paths, job)
        return
    # Chunks big enough to keep the pipes quiet, small enough to share the work evenly.
    chunk = max(1, min(8, len(paths) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                             initargs=(job,)) as pool:
        # map() hands out the paths in order, so each worker sees its files in file order.
        yield from pool.map(_check_in_worker, paths, chunksize=chunk)


def _safe_context() -> multiprocessing.context.BaseContext | None:
    """How to start workers without running anything of the workspace (the current directory).

    A fresh interpreter started with ``-c`` (spawn, forkserver) puts the
    current directory first on ``sys.path`` before it imports its own
    modules, so a workspace's ``threading.py`` would run. On Linux the workers
    are forks instead: copies of this process, which import nothing anew (no
    thread runs yet when the pool forks them). Elsewhere they are spawned with
    ``PYTHONSAFEPATH`` set (Python 3.11+), which keeps the current directory
    off ``sys.path``; before 3.11 nothing can, and the files are checked in
    this process.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        return multiprocessing.get_context("fork")
    if sys.version_info < (3, 11):
        return None
    os.environ["PYTHONSAFEPATH"] = "1"     # read by the children, not by this process
    return multiprocessing.get_context("spawn")
