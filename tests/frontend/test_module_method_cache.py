"""torch's own module methods are compiled once per process and reused by later
analyses -- and only when everything they were made from is the same.

What the cache must never change: what ``pyjit check`` prints (every format), the
diagnostics of each file and the graph of every function, whatever the order
the files are analysed in. What must invalidate it: an edit to any file a
method was compiled from. And it stays bounded.
"""

from __future__ import annotations

import io
import os
import random
import re
import textwrap
from pathlib import Path

import pytest

from pyjit_core import cli
from pyjit_core.diagnostics import Diagnostic
from pyjit_core.discovery import python_files
from pyjit_core.editor.presentation import Presentation
from pyjit_core.frontend.driver import analyze_source
from pyjit_core.frontend.module_method_cache import MODULE_METHOD_CACHE, CachedMethod, ModuleMethodCache
from pyjit_core.frontend.pyworld import PyWorld
from pyjit_core.ir.graph import Graph
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance"


@pytest.fixture
def method_cache():
    """The process's cache, emptied before and after the test (and its bound restored)."""
    bound = MODULE_METHOD_CACHE.max_entries
    MODULE_METHOD_CACHE.clear()
    yield MODULE_METHOD_CACHE
    MODULE_METHOD_CACHE.clear()
    MODULE_METHOD_CACHE.max_entries = bound


def disabled(cache: ModuleMethodCache) -> None:
    cache.clear()
    cache.max_entries = 0     # every graph stored is dropped at once: each analysis compiles everything


# --- a torch of our own: a library module whose files the tests edit ----------------------------

SCALE = textwrap.dedent("""
    from torch import Tensor
    from .base import Base


    class Scale(Base):
        __constants__ = ["factor"]

        def __init__(self, factor: float = 2.0) -> None:
            super().__init__()
            self.factor = factor

        def forward(self, x: Tensor) -> Tensor:
            return self.apply_to(x) * self.factor
""")

BASE = textwrap.dedent("""
    from torch import Tensor
    from .module import Module


    class Base(Module):
        def apply_to(self, x: Tensor) -> Tensor:
            return x + 1
""")

MODEL = textwrap.dedent("""
    import torch
    from torch import Tensor
    from torch.nn.modules.scale import Scale


    class Model(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a = Scale({first})
            self.b = Scale({second})

        def forward(self, x: Tensor) -> Tensor:
            return self.a(x) + self.b(x)


    torch.jit.script(Model())
""")


@pytest.fixture
def torch_root(tmp_path: Path) -> Path:
    root = tmp_path / "site" / "torch"
    (root / "nn" / "modules").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "nn" / "__init__.py").write_text("from .modules.module import Module\n")
    (root / "nn" / "modules" / "__init__.py").write_text("")
    (root / "nn" / "modules" / "scale.py").write_text(SCALE)
    (root / "nn" / "modules" / "base.py").write_text(BASE)
    return root


def analyse(tmp_path: Path, torch_root: Path, first: str = "2.0", second: str = "3.0"):
    workspace = tmp_path / "ws"
    workspace.mkdir(exist_ok=True)
    source = MODEL.format(first=first, second=second)
    path = str(workspace / "m.py")
    return analyze_source(source, path, module_name="m", roots="modules",
                          world=PyWorld([str(workspace)], str(torch_root)))


def printed(analysis) -> dict[str, str]:
    return {q: str(f.graph) for q, f in analysis.functions.items()}


def scale_forwards(analysis) -> list[Graph]:
    return [f.graph for q, f in analysis.functions.items() if q.endswith("Scale.forward")]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    stat = path.stat()
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))   # a new mtime, whatever the clock's grain


def test_a_second_analysis_reuses_the_library_methods_and_prints_the_same(method_cache, tmp_path, torch_root):
    first = analyse(tmp_path, torch_root)
    assert method_cache.hits == 0
    assert method_cache.entries
    second = analyse(tmp_path, torch_root)
    assert method_cache.hits >= 2                          # each Scale's forward and apply_to
    assert printed(second) == printed(first)
    assert {id(g) for g in scale_forwards(second)} <= {id(e.graph) for e in method_cache.entries.values()}


def test_a_reused_graph_takes_this_analysis_type_names(method_cache, tmp_path, torch_root):
    analyse(tmp_path, torch_root, "2.0", "3.0")
    # Built the other way round, Scale(3.0) gets the unmangled name and Scale(2.0) the mangled one.
    reused = analyse(tmp_path, torch_root, "3.0", "2.0")
    assert method_cache.hits >= 2
    disabled(method_cache)
    fresh = analyse(tmp_path, torch_root, "3.0", "2.0")
    assert printed(reused) == printed(fresh)
    assert "___torch_mangle_0.Scale.forward" in " ".join(printed(fresh))


def test_an_edit_to_the_method_file_compiles_it_again(method_cache, tmp_path, torch_root):
    analyse(tmp_path, torch_root)
    edit(torch_root / "nn" / "modules" / "scale.py", ") * self.factor", ") / self.factor")
    edited = analyse(tmp_path, torch_root)
    assert method_cache.hits == 0     # every method's key names the text of its class's files
    assert all("aten::div" in str(g) and "aten::mul" not in str(g) for g in scale_forwards(edited))


def test_an_edit_to_a_base_class_file_compiles_the_subclass_methods_again(method_cache, tmp_path, torch_root):
    before = analyse(tmp_path, torch_root)
    edit(torch_root / "nn" / "modules" / "base.py", "return x + 1", "return x - 1")
    edited = analyse(tmp_path, torch_root)
    kept = {id(g) for g in scale_forwards(before)}
    assert not kept & {id(g) for g in scale_forwards(edited)}
    assert "aten::sub" in " ".join(printed(edited).values())
    disabled(method_cache)
    assert printed(edited) == printed(analyse(tmp_path, torch_root))


def test_another_torch_root_is_another_key(method_cache, tmp_path, torch_root):
    analyse(tmp_path, torch_root)
    os.rename(torch_root.parent, tmp_path / "elsewhere")     # the same files, at another path
    moved = tmp_path / "elsewhere" / "torch"
    hits = method_cache.hits
    analysis = analyse(tmp_path, moved)
    assert method_cache.hits == hits
    assert str(moved) in " ".join(printed(analysis).values())


def test_the_cache_keeps_at_most_its_bound_the_least_recently_used_going_first():
    cache = ModuleMethodCache(max_entries=2)
    entries = {k: CachedMethod(Graph(), None, (), ()) for k in "abc"}   # type: ignore[arg-type]
    cache.store("a", entries["a"])
    cache.store("b", entries["b"])
    assert cache.lookup("a") is entries["a"]     # a is now the most recently used
    cache.store("c", entries["c"])
    assert list(cache.entries) == ["a", "c"]
    assert cache.lookup("b") is None


def test_the_process_cache_holds_to_its_bound_over_a_model(method_cache, tmp_path, torch_root):
    method_cache.max_entries = 1
    analyse(tmp_path, torch_root)
    analyse(tmp_path, torch_root, "5.0", "7.0")
    assert len(method_cache.entries) == 1


# --- the same results, with or without the cache, in any order ----------------------------------

#: torch numbers ``aten::warn`` nodes with one counter per process, so the ids depend on what was
#: compiled before (and torch's library functions, reused by the function cache, take none).
WARN_ID = re.compile(r"warn_id=\d+")


def findings(session: Session, paths: list[str]) -> dict[str, tuple]:
    """Per file: every diagnostic its analysis found, and every function's printed graph."""
    out = {}
    for path in paths:
        result = session.check(path)
        graphs = sorted((q, WARN_ID.sub("warn_id=N", g)) for q, g in printed(result.analysis).items())
        out[path] = (tuple(_key(d) for d in result.found), tuple(graphs))
        session.release(result)
    return out


def _key(d: Diagnostic) -> tuple:
    return (d.path, d.range, d.code, d.message, d.related)


def check_output(args: list[str], output_format: str) -> str:
    out = io.StringIO()
    cli.main(["check", "--exit-zero", "--jobs", "1", "--output-format", output_format, *args], out=out)
    return out.getvalue()


@pytest.fixture
def in_conformance():
    before = os.getcwd()
    os.chdir(CONFORMANCE)
    yield
    os.chdir(before)


def test_the_corpus_gives_the_same_findings_with_the_cache_in_any_order(method_cache, in_conformance):
    settings = SettingsResolver([os.getcwd()])
    paths = python_files(["corpus"], settings)
    disabled(method_cache)
    without = findings(Session(settings, presentation=Presentation.IN_FILE), paths)
    method_cache.max_entries = 4096
    shuffled = list(paths)
    random.Random(8).shuffle(shuffled)
    with_cache = findings(Session(settings, presentation=Presentation.IN_FILE), shuffled)
    again = findings(Session(settings, presentation=Presentation.IN_FILE), paths)   # warm
    assert method_cache.hits > 0
    assert with_cache == without
    assert again == without


@pytest.mark.parametrize("output_format", ["full", "json", "sarif"])
def test_pyjit_check_prints_the_same_over_the_corpus_with_the_cache(method_cache, in_conformance, output_format):
    disabled(method_cache)
    without = check_output(["corpus"], output_format)
    method_cache.max_entries = 4096
    cold = check_output(["corpus"], output_format)
    warm = check_output(["corpus"], output_format)
    assert method_cache.hits > 0
    assert cold == without
    assert warm == without


#: torchvision files where the cache hits most (detection models build whole Faster R-CNNs), and
#: files with findings.
TORCHVISION_FILES = [
    "torchvision/models/resnet.py", "torchvision/models/detection/faster_rcnn.py",
    "torchvision/models/detection/roi_heads.py", "torchvision/ops/misc.py", "torchvision/transforms/transforms.py",
]


@pytest.fixture
def in_torchvision():
    from tests.conformance.torchvision_sources import SourcesUnavailable, ensure_sources

    try:
        site = ensure_sources()
    except SourcesUnavailable as e:
        pytest.skip(str(e))
    before = os.getcwd()
    os.chdir(site)
    yield site
    os.chdir(before)


def test_torchvision_gives_the_same_findings_and_output_with_the_cache(method_cache, in_torchvision):
    settings = SettingsResolver([os.getcwd()], overrides={"roots": "modules"})
    paths = [os.path.abspath(p) for p in TORCHVISION_FILES]
    disabled(method_cache)
    without = findings(Session(settings), paths)
    printed_without = check_output(["--roots", "modules", *TORCHVISION_FILES], "json")
    method_cache.max_entries = 4096
    shuffled = list(paths)
    random.Random(8).shuffle(shuffled)
    with_cache = findings(Session(settings), shuffled)
    hits = method_cache.hits
    printed_with = check_output(["--roots", "modules", *TORCHVISION_FILES], "json")
    assert hits > 20
    assert method_cache.hits > hits
    assert with_cache == without
    assert printed_with == printed_without


# --- overloads of torch's own functions (the function cache's LIBRARY_CACHE) ---------------------

INTERPOLATE = textwrap.dedent("""
    import torch
    import torch.nn.functional as F
    from torch import Tensor


    @torch.jit.script
    def upsample(x: Tensor) -> Tensor:
        return F.interpolate(x, scale_factor=2.0)
""")


def test_the_overloads_of_a_torch_function_are_compiled_once_per_process():
    from pyjit_core.frontend.function_cache import LIBRARY_CACHE
    from pyjit_core.frontend.pyworld import default_torch_root

    torch_root = default_torch_root()
    if torch_root is None:
        pytest.skip("needs torch's source")

    def overloads(analysis):
        return {q: f.graph for q, f in analysis.functions.items() if "functional.interpolate" in q}

    first = analyze_source(INTERPOLATE, "u.py", module_name="u", world=PyWorld([], torch_root))
    second = analyze_source(INTERPOLATE, "u.py", module_name="u", world=PyWorld([], torch_root))
    assert not first.diagnostics
    assert overloads(first)
    cached = {id(e.graph) for name, e in LIBRARY_CACHE.entries.items() if "#overload" in name}
    assert {id(g) for g in overloads(second).values()} <= cached
    assert {q: str(g) for q, g in overloads(second).items()} == {q: str(g) for q, g in overloads(first).items()}
