"""Frames between the server and its analysis worker: an 8-byte length, then a pickle.

Both ends are this package in two processes started together, so pickle is
safe here (nothing from the user is ever unpickled: documents travel as text).
"""

from __future__ import annotations

import pickle
import struct
from typing import Any, BinaryIO

_LENGTH = struct.Struct("!Q")


class ChannelClosed(EOFError):
    """The other end went away."""


def write_frame(stream: BinaryIO, message: Any) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    write_all(stream, _LENGTH.pack(len(body)) + body)


def write_all(stream: BinaryIO, data: bytes) -> None:
    """Write everything: an unbuffered stream may take only part of a large write."""
    view = memoryview(data)
    while view:
        written = stream.write(view)
        view = view[written if written is not None else len(view):]
    stream.flush()


def read_frame(stream: BinaryIO) -> Any:
    header = _read_exactly(stream, _LENGTH.size)
    (length,) = _LENGTH.unpack(header)
    return pickle.loads(_read_exactly(stream, length))


def _read_exactly(stream: BinaryIO, count: int) -> bytes:
    chunks = []
    while count:
        chunk = stream.read(count)
        if not chunk:
            raise ChannelClosed("the other end of the channel closed")
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)
