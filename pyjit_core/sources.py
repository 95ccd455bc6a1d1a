"""Reading a Python file from disk as Python reads it, and refusing what is no file.

The text is decoded as the interpreter decodes source (PEP 263: a UTF-8 BOM,
or a ``# -*- coding: ... -*-`` cookie on the first two lines; UTF-8
otherwise). Only regular files are opened: a FIFO would block forever and a
device (``/dev/zero``) never ends, so both are refused before any read, and
so is a file larger than :data:`MAX_BYTES`.
"""

from __future__ import annotations

import io
import os
import stat
import tokenize

from .exceptions import PyjitError

#: Larger files are not read (a generated 100 MB module is nobody's TorchScript).
MAX_BYTES = 64 * 2**20


class UnreadableSource(PyjitError, OSError):
    """A path that cannot be read as Python source; the message is one line for the user."""


def read_source_text(path: str, *, max_bytes: int = MAX_BYTES) -> str:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise UnreadableSource(f"cannot read {path}: {e.strerror or e}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableSource(f"cannot read {path}: not a regular file")
        if info.st_size > max_bytes:
            raise UnreadableSource(f"cannot read {path}: {info.st_size:,} bytes is more than pyjit reads "
                                   f"({max_bytes:,})")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        if isinstance(e, UnreadableSource):
            raise
        raise UnreadableSource(f"cannot read {path}: {e.strerror or e}") from None
    finally:
        os.close(fd)
    return decode_source(data, path)


def decode_source(data: bytes, path: str = "<source>") -> str:
    """Source bytes to text, as the interpreter decodes them; newlines kept as written."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as e:
        raise UnreadableSource(f"cannot read {path}: {e}") from None
    return text[1:] if text.startswith("\ufeff") else text


def write_source_text(path: str, text: str) -> None:
    """Replace the file's text, encoded as it was (its coding cookie, its UTF-8 BOM), newlines as given."""
    with open(path, "rb") as f:
        data = f.read()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    new = text.encode("utf-8" if encoding == "utf-8-sig" else encoding)
    with open(path, "wb") as f:
        f.write(bom + new)
