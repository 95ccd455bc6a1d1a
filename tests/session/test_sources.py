"""Files are read as Python reads them, and what is no file is refused before any read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pyjit_core.sources import UnreadableSource, read_source_text


def test_a_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"\xef\xbb\xbfx = 1\n")
    assert read_source_text(str(path)) == "x = 1\n"


def test_a_coding_cookie_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes("# -*- coding: latin-1 -*-\ns = 'caf\xe9'\n".encode("latin-1"))
    assert read_source_text(str(path)).endswith("s = 'café'\n")


def test_line_endings_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"a = 1\r\nb = 2\rc = 3\n")
    assert read_source_text(str(path)) == "a = 1\r\nb = 2\rc = 3\n"


@pytest.mark.parametrize(("make", "words"), [
    (lambda d: os.mkfifo(d / "fifo.py"), "not a regular file"),
    (lambda d: os.symlink("/dev/zero", d / "zero.py"), "not a regular file"),
    (lambda d: (d / "bad.py").write_bytes(b"\xff\xfe x"), "cannot read"),
    (lambda d: os.symlink(d / "loop.py", d / "loop.py"), "cannot read"),
])
def test_what_cannot_be_read_is_one_clear_error(tmp_path: Path, make, words) -> None:
    make(tmp_path)
    (name,) = [p for p in os.listdir(tmp_path)]
    with pytest.raises(UnreadableSource, match=words) as raised:
        read_source_text(str(tmp_path / name))
    assert "\n" not in str(raised.value)


def test_a_huge_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.py"
    path.write_bytes(b"x = 1\n" * 100)
    with pytest.raises(UnreadableSource, match="more than pyjit reads"):
        read_source_text(str(path), max_bytes=100)
