"""Results of :meth:`.session.Session.check` kept on disk, reused while nothing they read changed.

An *entry* is one file's findings (before presentation: ``found``, and as an
editor shows them: ``in_file``), stored as JSON (data only, never pickle)
under the user's cache directory -- ``$PYJIT_CACHE_DIR``, else
``$XDG_CACHE_HOME/pyjit/results``, else ``~/.cache/pyjit/results`` -- never
in a workspace, which could then plant one. ``PYJIT_NO_CACHE=1`` turns it off.

**The key** names the file's analysis: its path, module name and text, every
setting and the environment found (:meth:`.session.Session.cache_key`),
the Python version, and a digest of pyjit's own code and data (a new
pyjit never reads an old entry). **The entry** records what the analysis
read (:mod:`.frontend.read_log`): each file with the digest of the text
used and its (mtime, size) then, each path probed and not found, each
folder listing searched, and which file each module name resolved to. A
lookup validates all of it (a stat first; the text is hashed again only
when the stat differs), against the session's open buffers first: a stale
result could show a false Error, the worst outcome.

A result is stored only when it is complete and came from the code alone:
not when the analysis budget stopped it (PJ905), pyjit failed (PJ900), or a
reader could not say what it read. Writes go to a temporary file renamed
into place, so two processes never see a torn entry; an unreadable, foreign
or corrupt entry is a miss (and is replaced). A directory that cannot be
written means no cache, never an error. The directory is bounded:
:meth:`ResultCache.prune` removes the least recently used entries past
:data:`MAX_ENTRIES` or :data:`MAX_BYTES`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic
from .diagnostics.codec import from_data, to_data
from .frontend.read_log import INDEX, WORLD, ReadLog, listing_digest, text_digest

logger = logging.getLogger(__name__)

#: Bumped whenever an entry's layout changes (older entries are then never read).
FORMAT = 1
MAX_ENTRIES = 4096
MAX_BYTES = 256 * 2**20
#: Stores between two prunings of one process (and one at its first store).
PRUNE_EVERY = 256
#: A file's stamp (mtime, size) is trusted only if it is older than this when the entry is written.
RACY_NS = 3 * 10**9
#: Codes that say a result is incomplete or pyjit failed: such a result is never stored.
UNSTORED_CODES = frozenset({"PJ900", "PJ905"})
#: Environment variables that change what an analysis finds besides the settings.
ENVIRONMENT_VARIABLES = ("PYJIT_HIDE_TORCH",)


def default_directory(environ: Mapping[str, str] | None = None) -> str | None:
    """Where entries go (see the module docstring); None when ``PYJIT_NO_CACHE`` is set."""
    environ = os.environ if environ is None else environ
    if environ.get("PYJIT_NO_CACHE", "") not in ("", "0"):
        return None
    if environ.get("PYJIT_CACHE_DIR"):
        return os.path.abspath(os.path.expanduser(environ["PYJIT_CACHE_DIR"]))
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(os.path.abspath(base), "pyjit", "results")


@functools.cache
def code_digest() -> str:
    """A digest of every file of the ``pyjit_core`` package (code and bundled data)."""
    package = os.path.dirname(os.path.realpath(__file__))
    files: list[tuple[str, str]] = []
    for directory, dirs, names in os.walk(package):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        files.extend((os.path.relpath(os.path.join(directory, n), package).replace(os.sep, "/"),
                      os.path.join(directory, n)) for n in names if not n.endswith(".pyc"))
    h = hashlib.blake2b(digest_size=16)
    for relative, path in sorted(files):
        with open(path, "rb") as f:
            data = f.read()
        h.update(b"%s\0%d\0" % (relative.encode(), len(data)))
        h.update(data)
    return h.hexdigest()


def key_material(*, path: str, text: str, module_name: str, config: Any, environment: Any, folders: Iterable[str],
                 budget: float, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Everything a result depends on besides what it read, as JSON data."""
    environ = os.environ if environ is None else environ
    return _json_normal({
        "format": FORMAT, "pyjit": code_digest(), "python": [sys.implementation.name, *sys.version_info[:3]],
        "path": path, "absolute": os.path.abspath(path), "module": module_name, "text": text_digest(text),
        "config": dataclasses.asdict(config), "environment": dataclasses.asdict(environment),
        "folders": list(folders), "budget": budget,
        "variables": {name: environ.get(name) for name in ENVIRONMENT_VARIABLES},
    })


@dataclass(frozen=True)
class Stored:
    """What an entry gives back."""

    found: list[Diagnostic]       # every finding where it was found, before presentation
    in_file: list[Diagnostic]     # as an editor shows the file (Presentation.IN_FILE)


@dataclass(frozen=True)
class Disk:
    """How the session that asks sees the files now: its open buffers first, then the disk."""

    buffer: Callable[[str], str | None]                  # an open buffer's text, by absolute path
    buffer_modules: Mapping[str, str]                    # module name -> the open buffer that provides it
    listing: Callable[[tuple[str, ...]], list[str]]      # the files the construction index lists under folders


class ResultCache:
    def __init__(self, directory: str) -> None:
        self.directory = os.path.join(directory, f"v{FORMAT}")
        self._stores = 0
        self.hits = self.misses = self.stored = 0

    @staticmethod
    def default(environ: Mapping[str, str] | None = None) -> ResultCache | None:
        directory = default_directory(environ)
        return ResultCache(directory) if directory is not None else None

    def _path(self, material: Mapping[str, Any]) -> str:
        text = json.dumps(material, sort_keys=True, separators=(",", ":"))
        return os.path.join(self.directory, hashlib.blake2b(text.encode(), digest_size=20).hexdigest() + ".json")

    # --- lookup ----------------------------------------------------------------------------------

    def lookup(self, material: Mapping[str, Any], disk: Disk) -> Stored | None:
        """The entry for ``material`` if everything it read is as it was; else None (never raises)."""
        path = self._path(material)
        try:
            with open(path, "rb") as f:
                entry = json.loads(f.read())
            if not (isinstance(entry, dict) and entry.get("key") == material and _valid(entry, disk)):
                self.misses += 1
                return None
            stored = Stored([from_data(d) for d in entry["found"]], [from_data(d) for d in entry["in_file"]])
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as e:
            logger.debug("result cache: ignored %s: %s: %s", path, type(e).__name__, e)
            self.misses += 1
            return None
        try:
            os.utime(path)   # recently used: pruned last
        except OSError:
            pass
        self.hits += 1
        return stored

    # --- store -----------------------------------------------------------------------------------

    def store(self, material: Mapping[str, Any], log: ReadLog, modules: Mapping[str, str | None],
              found: list[Diagnostic], in_file: list[Diagnostic]) -> bool:
        """Keep a result (see the module docstring for which are not kept). True if written."""
        if log.unsafe is not None or any(d.code in UNSTORED_CODES for d in (*found, *in_file)):
            return False
        if log.absent & (log.present | set(log.files)):
            return False   # a file appeared (or went) while the analysis ran: what did it use?
        # A file changed this recently may change again within its clock's resolution and keep
        # its stamp (git's "racy" files): its entry compares it by content instead.
        trusted_before = time.time_ns() - RACY_NS
        try:
            entry = {
                "key": material,
                "files": {p: [r.reader, list(r.stamp) if r.stamp is not None and r.stamp[0] < trusted_before
                              else None, r.digest]
                          for p, r in sorted(log.files.items())},
                "present": sorted(log.present), "absent": sorted(log.absent),
                "listings": [[list(folders), digest] for folders, digest in sorted(log.listings.items())],
                "modules": dict(sorted(modules.items())),
                "found": [to_data(d) for d in found], "in_file": [to_data(d) for d in in_file],
            }
            data = json.dumps(entry, separators=(",", ":")).encode()
        except (ValueError, TypeError) as e:
            logger.debug("result cache: not stored: %s", e)
            return False
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            target = self._path(material)
            fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=os.path.basename(target) + ".", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(temporary, target)
            except BaseException:
                _remove(temporary)
                raise
        except OSError as e:
            logger.debug("result cache: cannot write in %s: %s", self.directory, e)
            return False
        self.stored += 1
        if self._stores % PRUNE_EVERY == 0:
            self.prune()
        self._stores += 1
        return True

    def prune(self, *, max_entries: int | None = None, max_bytes: int | None = None) -> int:
        """Remove the least recently used entries past the bounds (:data:`MAX_ENTRIES`,
        :data:`MAX_BYTES` unless given), and abandoned temporary files; how many files were removed."""
        max_entries = MAX_ENTRIES if max_entries is None else max_entries
        max_bytes = MAX_BYTES if max_bytes is None else max_bytes
        entries: list[tuple[float, int, str]] = []
        removed = 0
        try:
            with os.scandir(self.directory) as found:
                for item in found:
                    try:
                        st = item.stat()
                    except OSError:
                        continue
                    if item.name.endswith(".tmp"):
                        if st.st_mtime < time.time() - 3600:   # a writer that died long ago
                            removed += _remove(item.path)
                    elif item.name.endswith(".json"):
                        entries.append((st.st_mtime, st.st_size, item.path))
        except OSError:
            return removed
        entries.sort(reverse=True)   # newest first
        total = 0
        for count, (_, size, path) in enumerate(entries):
            total += size
            if count >= max_entries or total > max_bytes:
                removed += _remove(path)
        return removed


def _valid(entry: dict[str, Any], disk: Disk) -> bool:
    """Whether everything the entry's analysis read is still as it read it."""
    for name, path in entry["modules"].items():
        provider = disk.buffer_modules.get(name)
        if provider is not None and provider != path:
            return False         # an open buffer now stands for that module
    for path, (reader, stamp, digest) in entry["files"].items():
        if not _same_text(path, reader, stamp, digest, disk):
            return False
    for path in entry["absent"]:
        if disk.buffer(path) is not None or os.path.isfile(path):
            return False
    for path in entry["present"]:
        if disk.buffer(path) is None and not os.path.isfile(path):
            return False
    return all(listing_digest(disk.listing(tuple(folders))) == digest for folders, digest in entry["listings"])


def _same_text(path: str, reader: str, stamp: list[int] | None, digest: str, disk: Disk) -> bool:
    buffered = disk.buffer(path)
    if buffered is not None:
        return text_digest(buffered) == digest
    try:
        st = os.stat(path)
    except OSError:
        return False
    if stamp is not None and [st.st_mtime_ns, st.st_size] == stamp:
        return True
    return text_digest(_read(path, reader)) == digest


def _read(path: str, reader: str) -> str | None:
    if reader == WORLD:
        from .frontend.pyworld import read_text

        return read_text(path)
    if reader == INDEX:
        from .frontend.construction_sites import read_index_text

        return read_index_text(path)
    raise ValueError(f"unknown reader {reader!r}")


def _json_normal(value: Any) -> Any:
    """``value`` as it comes back from JSON (tuples as lists), so a stored key compares equal."""
    return json.loads(json.dumps(value))


def _remove(path: str) -> int:
    try:
        os.unlink(path)
        return 1
    except OSError:
        return 0
