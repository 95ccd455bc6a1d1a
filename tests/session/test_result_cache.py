"""The result cache (pyjit_core.result_cache): a stored result is given back only while
everything its analysis read is as it was, and it is the result a fresh analysis gives.

Each test has its own cache directory; a new :class:`Session` stands for a new
process (``pyjit check`` run again, an editor started again).
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from pyjit_core import result_cache
from pyjit_core.editor.presentation import Presentation
from pyjit_core.environment import Environment
from pyjit_core.frontend import driver
from pyjit_core.result_cache import ResultCache
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

ROOT = Path(__file__).resolve().parents[2]

HELPERS = """\
import torch


def scale(x: torch.Tensor) -> torch.Tensor:
    return x * 2
"""

MODEL = """\
import torch
from pkg.helpers import scale


@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return scale(x)


@torch.jit.script
def g(x: int) -> int:
    return x + "g"
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    (folder / "pkg").mkdir(parents=True)
    (folder / "pkg" / "__init__.py").write_text("")
    write(folder / "pkg" / "helpers.py", HELPERS)
    write(folder / "pkg" / "model.py", MODEL)
    return folder


@pytest.fixture
def cache(tmp_path: Path) -> ResultCache:
    return ResultCache(str(tmp_path / "cache"))


def write(path: Path, text: str) -> None:
    """Write ``text`` with an mtime unlike any before (stat-equal rewrites are covered below)."""
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9 * (1 + _bump())))


_count = iter(range(10**6))


def _bump() -> int:
    return next(_count)


def session(workspace: Path, cache: ResultCache | None, **kwargs) -> Session:
    presentation = kwargs.pop("presentation", Presentation.WHERE_FOUND)
    return Session(SettingsResolver([str(workspace)], **kwargs), presentation=presentation, result_cache=cache)


def fresh(workspace: Path, path: Path, **kwargs) -> list:
    """The diagnostics of an analysis without any cache."""
    s = session(workspace, None, **kwargs)
    return s.check(str(path)).diagnostics


def stored(workspace: Path, cache: ResultCache, path: Path, **kwargs) -> list:
    """Analyse ``path`` in a session with the cache (storing its result); its diagnostics."""
    s = session(workspace, cache, **kwargs)
    return s.check(str(path)).diagnostics


def cached(workspace: Path, cache: ResultCache, path: Path, **kwargs) -> list | None:
    return session(workspace, cache, **kwargs).cached(str(path))


def entries(cache: ResultCache) -> list[str]:
    return sorted(p for p in os.listdir(cache.directory) if p.endswith(".json")) \
        if os.path.isdir(cache.directory) else []


# --- a warm start gives what a cold one does -----------------------------------------------------

def test_a_stored_result_is_given_back_equal_to_a_fresh_analysis(workspace, cache):
    model = workspace / "pkg" / "model.py"
    first = stored(workspace, cache, model)
    assert [d.range.start_line for d in first] == [11], "the model has a finding to keep (g's line)"
    assert cached(workspace, cache, model) == first == fresh(workspace, model)


@pytest.mark.parametrize("presentation", [Presentation.WHERE_FOUND, Presentation.IN_FILE])
def test_corpus_files_warm_equal_cold(tmp_path, presentation):
    cache = ResultCache(str(tmp_path / "cache"))
    folder = ROOT / "tests" / "conformance" / "corpus"
    files = sorted(folder.glob("*.py"))[:8] + sorted((ROOT / "examples").glob("*.py"))
    for path in files:
        cold = session(folder, cache, presentation=presentation).check(str(path))
        warm = session(folder, cache, presentation=presentation).cached(str(path))
        assert warm == cold.diagnostics, path
        assert [d.data for d in warm] == [d.data for d in cold.diagnostics]
        assert [d.severity for d in warm] == [d.severity for d in cold.diagnostics]


def test_a_torchvision_file_warm_equals_cold(tmp_path):
    from tests.conformance.torchvision_sources import SourcesUnavailable, ensure_sources

    try:
        site = ensure_sources()
    except SourcesUnavailable as e:
        pytest.skip(str(e))
    cache = ResultCache(str(tmp_path / "cache"))
    path = site / "torchvision" / "models" / "resnet.py"
    overrides = {"roots": "modules"}
    cold = session(site, cache, overrides=overrides).check(str(path)).diagnostics
    assert cached(site, cache, path, overrides=overrides) == cold
    assert session(site, cache, overrides=overrides, presentation=Presentation.IN_FILE).cached(str(path)) \
        == session(site, None, overrides=overrides, presentation=Presentation.IN_FILE).check(str(path)).diagnostics


# --- each part of the key, and each thing read, invalidates ---------------------------------------

def test_editing_the_file_misses(workspace, cache):
    model = workspace / "pkg" / "model.py"
    before = stored(workspace, cache, model)
    write(model, MODEL.replace('x + "g"', "x + 1"))
    assert cached(workspace, cache, model) is None
    assert stored(workspace, cache, model) == fresh(workspace, model) == [] != before


def test_editing_a_dependency_misses(workspace, cache):
    model = workspace / "pkg" / "model.py"
    before = stored(workspace, cache, model)
    write(workspace / "pkg" / "helpers.py", HELPERS.replace("return x * 2", 'return x * "two"'))
    assert cached(workspace, cache, model) is None
    assert fresh(workspace, model) != before


def test_a_dependency_rewritten_with_its_stamp_unchanged_is_compared_by_content(workspace, cache):
    """A file written in the same clock tick with the same size keeps its stamp: entries never
    trust the stamp of a file changed just before they were stored (racy-git rule)."""
    model = workspace / "pkg" / "model.py"
    helpers = workspace / "pkg" / "helpers.py"
    os.utime(helpers, ns=(0, os.stat(helpers).st_mtime_ns))
    helpers.write_text(HELPERS)          # mtime now: too recent to trust
    st = helpers.stat()
    stored(workspace, cache, model)
    helpers.write_text(HELPERS.replace("x * 2", "x * 3"))   # same size
    os.utime(helpers, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cached(workspace, cache, model) is None


def test_an_unchanged_dependency_rewritten_still_hits(workspace, cache):
    model = workspace / "pkg" / "model.py"
    first = stored(workspace, cache, model)
    write(workspace / "pkg" / "helpers.py", HELPERS)   # touched, same text
    assert cached(workspace, cache, model) == first


def test_creating_a_module_where_the_analysis_found_none_misses(workspace, cache):
    model = workspace / "pkg" / "model.py"
    write(model, MODEL.replace("from pkg.helpers import scale", "from pkg.util import scale"))
    before = stored(workspace, cache, model)
    assert cached(workspace, cache, model) == before
    write(workspace / "pkg" / "util.py", HELPERS)
    assert cached(workspace, cache, model) is None
    assert fresh(workspace, model) != before


def test_a_new_file_in_the_searched_folders_misses_when_the_construction_index_was_used(workspace, cache):
    net = workspace / "pkg" / "net.py"
    write(net, textwrap.dedent("""\
        import torch
        from torch import nn


        class Net(nn.Module):
            def __init__(self, n: int) -> None:
                super().__init__()
                self.n = n

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                return x * self.n
        """))
    overrides = {"roots": "modules"}
    before = stored(workspace, cache, net, overrides=overrides)
    assert cached(workspace, cache, net, overrides=overrides) == before
    write(workspace / "pkg" / "build.py", "from pkg.net import Net\n\n\ndef net():\n    return Net('three')\n")
    assert cached(workspace, cache, net, overrides=overrides) is None
    assert fresh(workspace, net, overrides=overrides) != before


def test_a_setting_misses(workspace, cache):
    model = workspace / "pkg" / "model.py"
    stored(workspace, cache, model)
    assert cached(workspace, cache, model, overrides={"ignore": ("PJ2",)}) is None
    assert cached(workspace, cache, model, overrides={"roots": "all"}) is None
    assert cached(workspace, cache, model) is not None


def test_another_pyjit_misses(workspace, cache, monkeypatch):
    model = workspace / "pkg" / "model.py"
    stored(workspace, cache, model)
    monkeypatch.setattr(result_cache, "code_digest", lambda: "another pyjit")
    assert cached(workspace, cache, model) is None


def test_torch_hidden_or_found_misses(workspace, cache, tmp_path, monkeypatch):
    model = workspace / "pkg" / "model.py"
    other_torch = tmp_path / "site" / "torch"
    other_torch.mkdir(parents=True)
    (other_torch / "__init__.py").write_text("")
    bundled = Environment.without_torch()
    found = Environment(str(other_torch), (str(tmp_path / "site"),), "the interpreter running pyjit")
    stored(workspace, cache, model, environment=bundled)
    assert cached(workspace, cache, model, environment=found) is None
    assert cached(workspace, cache, model, environment=bundled) is not None
    monkeypatch.setenv("PYJIT_HIDE_TORCH", "1" if os.environ.get("PYJIT_HIDE_TORCH") != "1" else "0")
    assert cached(workspace, cache, model, environment=bundled) is None


def test_an_unsaved_buffer_of_a_dependency_misses(workspace, cache):
    model = workspace / "pkg" / "model.py"
    helpers = workspace / "pkg" / "helpers.py"
    stored(workspace, cache, model)
    editor = session(workspace, cache)
    editor.set_document(str(helpers), HELPERS)               # open, as on disk
    assert editor.cached(str(model)) is not None
    editor.set_document(str(helpers), HELPERS.replace("x * 2", 'x * "two"'))   # edited, not saved
    assert editor.cached(str(model)) is None
    # ...and a result stored with that buffer open is not given back once it is closed.
    editor.check(str(model))
    assert editor.cached(str(model)) is not None
    assert cached(workspace, cache, model) is None


def test_a_buffer_for_a_module_the_analysis_found_missing_misses(workspace, cache):
    model = workspace / "pkg" / "model.py"
    write(model, MODEL.replace("from pkg.helpers import scale", "from pkg.util import scale"))
    stored(workspace, cache, model)
    editor = session(workspace, cache)
    editor.set_document(str(workspace / "pkg" / "util.py"), HELPERS)   # a new file, never saved
    assert editor.cached(str(model)) is None


# --- what is never stored ------------------------------------------------------------------------

def test_a_result_the_budget_cut_short_is_not_stored(workspace, cache):
    model = workspace / "pkg" / "model.py"
    ticks = iter(range(10**6))
    s = Session(SettingsResolver([str(workspace)]), result_cache=cache, analysis_budget=0.5,
                clock=lambda: float(next(ticks)))
    assert "PJ905" in [d.code for d in s.check(str(model)).diagnostics]
    assert entries(cache) == []


def test_a_result_of_a_pyjit_failure_is_not_stored(workspace, cache, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(driver, "analyze_source", broken)
    model = workspace / "pkg" / "model.py"
    assert [d.code for d in stored(workspace, cache, model)] == ["PJ900"]
    assert entries(cache) == []


def test_an_edited_analysis_is_not_stored(workspace, cache):
    """A result made from ``previous`` may not have read what it reused."""
    model = workspace / "pkg" / "model.py"
    s = session(workspace, cache)
    first = s.check(str(model))
    os.unlink(os.path.join(cache.directory, entries(cache)[0]))
    s.check(str(model), MODEL + "\n\n", previous=first)
    assert entries(cache) == []


# --- damaged entries and directories -------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncated", "not json", "foreign", "bad diagnostic", "empty", "a list"])
def test_a_damaged_entry_is_ignored_then_replaced(workspace, cache, damage):
    model = workspace / "pkg" / "model.py"
    first = stored(workspace, cache, model)
    (name,) = entries(cache)
    path = Path(cache.directory) / name
    data = path.read_bytes()
    entry = json.loads(data)
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "not json":
        path.write_bytes(b"\x80\x81 not json")
    elif damage == "foreign":
        entry["key"]["path"] = "/elsewhere.py"
        path.write_text(json.dumps(entry))
    elif damage == "bad diagnostic":
        entry["found"][0]["range"] = "everywhere"
        entry["in_file"][0]["code"] = "PJ000000"
        path.write_text(json.dumps(entry))
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_text("[]")
    assert cached(workspace, cache, model) is None
    assert stored(workspace, cache, model) == first
    assert cached(workspace, cache, model) == first


def test_a_cache_directory_that_cannot_be_written_means_no_cache_and_no_error(workspace, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    cache = ResultCache(str(blocker / "cache"))
    model = workspace / "pkg" / "model.py"
    assert stored(workspace, cache, model) == fresh(workspace, model)
    assert cached(workspace, cache, model) is None


def test_the_directory_stays_bounded(workspace, cache, monkeypatch):
    monkeypatch.setattr(result_cache, "MAX_ENTRIES", 3)
    monkeypatch.setattr(result_cache, "PRUNE_EVERY", 1)
    model = workspace / "pkg" / "model.py"
    for n in range(6):
        write(model, MODEL + "\n" * (n + 1))
        stored(workspace, cache, model)
        assert len(entries(cache)) <= 3
    assert cached(workspace, cache, model) is not None   # the newest is kept
    assert cache.prune(max_entries=3, max_bytes=1) == 3   # and a byte bound holds too
    assert entries(cache) == []


def test_the_cache_is_off_with_pyjit_no_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("PYJIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("PYJIT_NO_CACHE", "1")
    assert ResultCache.default() is None
    monkeypatch.delenv("PYJIT_NO_CACHE")
    found = ResultCache.default()
    assert found is not None
    assert found.directory.startswith(str(tmp_path))


def test_the_default_directory_is_the_users_cache_never_the_workspace(monkeypatch, tmp_path):
    monkeypatch.delenv("PYJIT_NO_CACHE", raising=False)
    monkeypatch.delenv("PYJIT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert result_cache.default_directory() == str(tmp_path / "xdg" / "pyjit" / "results")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert result_cache.default_directory() == str(tmp_path / "home" / ".cache" / "pyjit" / "results")
