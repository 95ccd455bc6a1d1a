"""``pyjit check`` with the result cache: the same bytes in every format, cold or warm, in one
process or several; ``--no-cache`` and ``PYJIT_NO_CACHE=1`` neither read nor write it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from pyjit_core import cli
from pyjit_core.report import FORMATS
from pyjit_core.session import Session

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "conformance" / "corpus"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("PYJIT_NO_CACHE", raising=False)
    monkeypatch.setenv("PYJIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(CORPUS)
    return tmp_path / "cache"


def check(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(["check", *args], out=out)
    return code, out.getvalue()


def _not_analysed(self, path, *args, **kwargs):
    raise AssertionError(f"{path} was analysed, not taken from the cache")


def stored(cache_dir: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(cache_dir))


@pytest.mark.parametrize("output_format", FORMATS)
def test_warm_output_is_byte_identical_to_cold(cache_dir, output_format):
    files = ["calls.py", "classes.py", "errors_names_types.py", "../../../examples"]
    without = check("--no-cache", "--jobs", "1", "--output-format", output_format, *files)
    assert stored(cache_dir) == 0
    cold = check("--jobs", "1", "--output-format", output_format, *files)
    assert stored(cache_dir) > 0
    with pytest.MonkeyPatch.context() as m:   # warm: every file from the cache, none analysed
        m.setattr(Session, "check", _not_analysed)
        warm = check("--jobs", "1", "--output-format", output_format, *files)
    assert cold == without
    assert warm == without


def test_warm_output_is_the_same_in_several_processes(cache_dir):
    cold = check("--jobs", "1", ".")
    warm = check("--jobs", "2", ".")
    assert warm == cold
    assert cold[0] == 1   # the corpus has findings


def test_pyjit_no_cache_reads_and_writes_nothing(cache_dir, monkeypatch):
    monkeypatch.setenv("PYJIT_NO_CACHE", "1")
    check("--jobs", "1", "calls.py")
    assert stored(cache_dir) == 0
