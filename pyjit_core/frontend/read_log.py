"""What one analysis read from the file system: the dependencies of its result.

A result may be reused (see :mod:`pyjit_core.result_cache`) only while
everything it was made from is unchanged: every file it read, with the text
it used, every path it probed and did not find, and every folder listing it
searched. The module world keeps its own record (:meth:`.pyworld.PyWorld.reads`);
what reads the disk outside a world -- the workspace's construction index --
writes here, into the log of the analysis under way (:func:`recording`), if any.

A reader that cannot say what it read calls :func:`note_unsafe`: the result
is then never reused.
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: (st_mtime_ns, st_size) of a file when it was read; None: read from an editor's buffer.
Stamp = tuple[int, int] | None

#: How a file was read: its text decoded as the module world reads it, or as the
#: construction index does (``sources.read_source_text``). Validation reads it the same way.
WORLD, INDEX = "world", "index"


@dataclass(frozen=True)
class FileRead:
    """One file an analysis read: how, when (its stamp then), and a digest of the text used."""

    reader: str
    stamp: Stamp
    digest: str


@dataclass
class ReadLog:
    files: dict[str, FileRead] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)       # paths only tested for being a file, and were
    absent: set[str] = field(default_factory=set)        # paths probed and not found
    listings: dict[tuple[str, ...], str] = field(default_factory=dict)   # folders -> digest of the files listed
    unsafe: str | None = None                            # why the result must not be reused

    def note_text(self, path: str, text: str | None, stamp: Stamp, reader: str) -> None:
        if path not in self.files:   # the first read counts (a file is read once per analysis)
            self.files[path] = FileRead(reader, stamp, text_digest(text))


_current: contextvars.ContextVar[ReadLog | None] = contextvars.ContextVar("pyjit_read_log", default=None)


@contextmanager
def recording() -> Iterator[ReadLog]:
    """A fresh log that the readers below write to until the block ends."""
    log = ReadLog()
    token = _current.set(log)
    try:
        yield log
    finally:
        _current.reset(token)


def note_text(path: str, text: str | None, stamp: Stamp, reader: str) -> None:
    """The analysis used ``text`` (None: unreadable) as the content of ``path``."""
    log = _current.get()
    if log is not None:
        log.note_text(path, text, stamp, reader)


def note_is_file(path: str, found: bool) -> None:
    """The analysis tested whether ``path`` is a file (and did not read it)."""
    log = _current.get()
    if log is not None:
        (log.present if found else log.absent).add(path)


def note_listing(folders: Iterable[str], files: Iterable[str]) -> None:
    """The analysis searched the files listed under ``folders``."""
    log = _current.get()
    key = tuple(folders)
    if log is not None and key not in log.listings:
        log.listings[key] = listing_digest(files)


def note_unsafe(reason: str) -> None:
    log = _current.get()
    if log is not None and log.unsafe is None:
        log.unsafe = reason


#: Digests of texts hashed lately, by the text object (kept alive with its digest): torch's
#: sources and the workspace's files are the same objects from one analysis to the next.
_DIGESTS: dict[int, tuple[str, str]] = {}
_DIGESTS_KEPT = 4096


def text_digest(text: str | None) -> str:
    if text is None:
        return "unreadable"
    known = _DIGESTS.get(id(text))
    if known is not None and known[0] is text:
        return known[1]
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    if len(_DIGESTS) >= _DIGESTS_KEPT:
        _DIGESTS.clear()
    _DIGESTS[id(text)] = (text, digest)
    return digest


def listing_digest(files: Iterable[str]) -> str:
    return hashlib.blake2b("\0".join(files).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
