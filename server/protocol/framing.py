"""LSP base-protocol messages from the client, read so that no malformed one deafens the server.

pygls reads ``Content-Length: N\\r\\n`` exactly: with a header it does not
expect -- missing, lowercase, not a number, negative, a length shorter or
longer than the body, lines ending in ``\\n`` only -- it waits forever for
a message that never comes, and a length of 10¹² makes it allocate that
much. So on stdio :class:`MessageReader` reads the client's stream and
pygls reads what it writes back: every message framed exactly as pygls
expects (:func:`frame`).

* Header names are matched in any case; lines may end in ``\\r\\n`` or ``\\n``;
  lines that are no header are skipped until one is.
* A length is taken as given when the body it frames looks like a whole
  JSON object or array followed by the next header (or nothing yet): no
  JSON is parsed on this path. If the stream holds less than the length and
  what it holds is already a whole JSON value, the length was too long.
* Otherwise (no usable length, more than :data:`MAX_BODY_BYTES`, or a body
  that does not fit it) the body is the JSON value before the next
  ``Content-Length`` header, or all that arrived when that parses.
* What cannot be read as a message is skipped, with a warning in the log.

Every repair is logged. Messages whose body is JSON but not a valid request
(nested too deep, wrong types) are pygls' and the protocol's to answer
(:mod:`.lifecycle`).
"""

from __future__ import annotations

import json
import logging
import os
import re

logger = logging.getLogger(__name__)

#: A message body larger than this is not believed (a client's mistake, or an attack).
MAX_BODY_BYTES = 128 << 20
#: A header block larger than this is skipped.
MAX_HEADER_BYTES = 16 << 10

_HEADER_NAME = re.compile(rb"[A-Za-z][A-Za-z0-9-]*")
_CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)
# A header line, ended by a real line break: JSON strings cannot hold one, so
# this never matches inside a message body.
_NEXT_HEADER = re.compile(rb"content-length[ \t]*:[^\r\n]*\r?\n", re.IGNORECASE)


class FdReader:
    """A buffer over a file descriptor, filled with ``os.read``.

    Not ``sys.stdin.buffer``: the reading thread is still blocked in a read
    when the server exits, and a daemon thread inside a buffered reader makes
    the interpreter abort at shutdown."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self.buffer = bytearray()

    def fill(self) -> bool:
        """Read what is available (waiting for something); False at the end of the stream."""
        chunk = os.read(self._fd, 1 << 16)
        self.buffer += chunk
        return bool(chunk)

    def take(self, count: int) -> bytes:
        taken = bytes(self.buffer[:count])
        del self.buffer[:count]
        return taken


def frame(body: bytes) -> bytes:
    """``body`` framed as pygls reads it."""
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class MessageReader:
    """Message bodies from a client's byte stream (see the module docstring)."""

    def __init__(self, source: FdReader) -> None:
        self._source = source

    def next(self) -> bytes | None:
        """The next message's body; None at the end of the stream."""
        while True:
            headers = self._headers()
            if headers is None:
                return None
            length = _length(headers.get(b"content-length"))
            body = self._body(length)
            if body is not None:
                return body

    # --- headers ---------------------------------------------------------------------------------

    def _headers(self) -> dict[bytes, bytes] | None:
        headers: dict[bytes, bytes] = {}
        size = 0
        while True:
            line = self._line()
            if line is None:
                return None
            size += len(line)
            text = line.rstrip(b"\r\n")
            if not text.strip():
                if headers:
                    return headers
                continue   # a blank line where headers should start: nothing to skip
            found = _CONTENT_LENGTH.search(text)
            if found is not None and found.start() > 0:   # a header glued to what came before it
                logger.warning("skipped %d bytes before a Content-Length header", found.start())
                text = text[found.start():]
            name, colon, value = text.partition(b":")
            if not colon or not _HEADER_NAME.fullmatch(name.strip()) or size > MAX_HEADER_BYTES:
                logger.warning("skipped a line that is no message header: %r", text[:80])
                headers, size = {}, 0
                continue
            headers[name.strip().lower()] = value.strip()

    def _line(self) -> bytes | None:
        """Up to and including the next ``\\n`` (at most MAX_HEADER_BYTES); None at the end."""
        source = self._source
        while True:
            end = source.buffer.find(b"\n", 0, MAX_HEADER_BYTES)
            if end >= 0:
                return source.take(end + 1)
            if len(source.buffer) >= MAX_HEADER_BYTES:
                return source.take(MAX_HEADER_BYTES)
            if not source.fill():
                return source.take(len(source.buffer)) or None

    # --- bodies ----------------------------------------------------------------------------------

    def _body(self, length: int | None) -> bytes | None:
        source = self._source
        if length is not None:
            interrupted = False     # by the next message's header: the length is wrong
            searched = 0            # only what arrived since is searched again
            while len(source.buffer) < length:
                if _NEXT_HEADER.search(source.buffer, searched) is not None:
                    interrupted = True
                    break
                searched = max(len(source.buffer) - 64, 0)
                if _ends_a_value(source.buffer) and _parses(bytes(source.buffer)):
                    logger.warning("Content-Length %d is longer than the message (%d bytes): read it as sent",
                                   length, len(source.buffer))
                    return source.take(len(source.buffer)).strip()
                if not source.fill():
                    return None
            if not interrupted and _fits(source.buffer, length):
                return source.take(length)
            logger.warning("Content-Length %d does not frame a message: looking for its end", length)
        return self._scan()

    def _scan(self) -> bytes | None:
        """The body when its length is unknown: the JSON value before the next header."""
        source = self._source
        while True:
            found = _NEXT_HEADER.search(source.buffer)
            if found is not None and found.start() == 0:
                logger.warning("skipped a message without a body")
                return None
            candidate = bytes(source.buffer[:found.start()] if found is not None else source.buffer)
            if _parses(candidate):
                source.take(len(candidate))
                logger.warning("read a message without a usable Content-Length (%d bytes)", len(candidate))
                return candidate.strip()
            if found is not None:
                source.take(found.start())
                logger.warning("skipped %d bytes that are no message", found.start())
                return None
            if len(source.buffer) > MAX_BODY_BYTES:
                logger.warning("skipped %d bytes that are no message", len(source.buffer))
                source.take(len(source.buffer))
                return None
            if not source.fill():
                source.take(len(source.buffer))
                return None


def _length(value: bytes | None) -> int | None:
    if value is None or not value.isdigit():
        if value is not None:
            logger.warning("Content-Length %r is no length", value[:40])
        return None
    length = int(value)
    if length > MAX_BODY_BYTES:
        logger.warning("Content-Length %d is past the %d MiB limit", length, MAX_BODY_BYTES >> 20)
        return None
    return length


def _fits(buffer: bytearray, length: int) -> bool:
    """Whether the first ``length`` bytes look like a whole message: they open and
    close a JSON object or array, and what follows starts a header, or nothing yet."""
    body = memoryview(buffer)[:length]
    first, last = _first_nonspace(body), _last_nonspace(body)
    if first not in (b"{", b"[") or last not in (b"}", b"]"):
        return False
    after = _first_nonspace(memoryview(buffer)[length:])
    return after == b"" or after.isalpha()


def _ends_a_value(buffer: bytearray) -> bool:
    return _first_nonspace(memoryview(buffer)) in (b"{", b"[") and _last_nonspace(memoryview(buffer)) in (b"}", b"]")


def _parses(body: bytes) -> bool:
    if not body.strip():
        return False
    try:
        json.loads(body)
    except RecursionError:
        return True    # whole, but nested too deep: pygls reports it
    except ValueError:
        return False
    return True


def _first_nonspace(data: memoryview) -> bytes:
    for i in range(min(len(data), 64)):
        if data[i] not in b" \t\r\n":
            return bytes(data[i:i + 1])
    return b"" if len(data) <= 64 else b" "


def _last_nonspace(data: memoryview) -> bytes:
    for i in range(len(data) - 1, max(len(data) - 65, -1), -1):
        if data[i] not in b" \t\r\n":
            return bytes(data[i:i + 1])
    return b""
