"""torchvision's models as real ``torch.jit.script`` compiles them, recorded as JSON.

Run in the torchvision venv (``tools/torchvision-venv`` makes it; the test
venv must not get numpy, see ``pyproject.toml``)::

    .venv-torchvision/bin/python -m tests.conformance.torchvision_side           # rewrite the expectations
    .venv-torchvision/bin/python -m tests.conformance.torchvision_side --check   # compare a live run with them

For every name in ``torchvision.models.list_models()`` the builder is called
with ``weights=None`` (and ``weights_backbone=None`` where it has that
parameter: its default downloads a backbone), the model is scripted, and what
torch compiled is recorded: whether it scripts (torch's error if not) and,
for every graph torch compiled for a function or method defined in
torchvision (module methods of every submodule type, script classes, the
functions they call), every node with a source range: ``[kind, line, col]``
under the file that holds it (relative to site-packages), as
``real_code.py`` does for torch's nn files. Graphs are keyed by torch's
qualified name without ``___torch_mangle_N.``; a second, different graph
under the same name (a class compiled again for other attribute types) gets
``#2``. Nodes of torchvision's graphs that sit in torch's files (a
``Sequential`` subclass runs ``Sequential.forward``) are only counted, under
``elsewhere``. Each file also lists the qualified names torch compiled in it
(``compiled``: classes and functions), which is what the pyjit side calls
"code torch compiles".

Models are built on the ``meta`` device when their constructor allows it
(no weights are allocated or initialised), else on the CPU (the regnets read
values while they are built). A graph holds no device, so the two give the
same expectations: ``--device cpu`` on 32 models of every family (classification,
detection, segmentation, video, optical flow, quantized) gave byte-identical
output. A full run takes ~5 minutes of CPU.

torchvision's operators (``torchvision::nms``, ``roi_align``...)
------------------------------------------------------------------
The torchvision 0.28.0 wheel on PyPI is a CUDA build. Its ``_C.so`` needs
``libc10_cuda.so`` and ``libtorch_cuda.so``, which the CPU torch does not
have, so ``import torchvision`` fails beside it (``operator torchvision::nms
does not exist``). TorchScript needs only the operators' *schemas*, which
``_C.so`` registers when it loads. :func:`load_torchvision` therefore builds
the two missing libraries as stubs (a C function per symbol ``_C.so``
needs from them; none runs, since scripting executes no kernel), loads them
first, and lets torchvision load its real ``_C.so``: the operators are
registered by torchvision's own code, exactly as in a CPU install, and
``torchvision.extension._has_ops()`` is True as there. Defining the schemas
from Python (``torch.library.Library("torchvision", "DEF")``) was tried
first: the schema strings are not plain strings in the binary (the compiler
stores them as 16-byte pieces that overlap), and without ``_C.so``
``_has_ops`` compiles to ``return False``, which changes the graphs of
every function that asserts the ops exist. Needs ``gcc`` and ``nm``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import hashlib
import inspect
import re
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "tests.conformance"

from .corpus_roots import repo_relative
from .torch_side import EXPECTED_DIR, GraphCollector, _walk, demangle, dump, node_location

TORCHVISION_VERSION = "0.28.0"
FORMAT_VERSION = 1
#: Builder parameters set besides ``weights=None``, when the builder has them.
BUILDER_OVERRIDES: dict[str, Any] = {"weights_backbone": None}
_VERSION_SUFFIX = re.compile(r"\+.*$")


def expectation_path(version: str = TORCHVISION_VERSION) -> Path:
    return EXPECTED_DIR / "torchvision" / f"torchvision-{version}.json"


# --- loading torchvision beside the CPU torch --------------------------------------------------


def _dynamic_symbols(library: Path, *flags: str) -> list[str]:
    out = subprocess.run(["nm", "-D", *flags, str(library)], capture_output=True, text=True, check=True).stdout
    return [line.split()[-1] for line in out.splitlines() if line.strip()]


def _needed_libraries(library: Path) -> list[str]:
    out = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out)


def _loadable(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def stub_missing_libraries(extension: Path, torch_lib: Path, work: Path) -> list[str]:
    """Build and load a stub for each library ``extension`` needs that cannot be loaded.

    A stub defines, as a function returning 0, every symbol the extension
    needs that torch's own libraries do not define (or, for a versioned
    symbol ``name@lib``, every one of that library). Returns the stubbed names.
    """
    missing = [name for name in _needed_libraries(extension) if not _loadable(name)]
    if not missing:
        return []
    defined: set[str] = set()
    for lib in sorted(torch_lib.glob("*.so*")):
        defined.update(_dynamic_symbols(lib, "--defined-only"))
    undefined = subprocess.run(["nm", "-D", "--undefined-only", str(extension)], capture_output=True, text=True,
                               check=True).stdout.splitlines()
    symbols: dict[str, set[str]] = {name: set() for name in missing}
    for line in undefined:
        weak, symbol = line.split()[0] in ("w", "v"), line.split()[-1]
        name, _, version = symbol.partition("@")
        if weak:
            continue
        if version:
            if version in symbols:
                symbols[version].add(name)
        elif name not in defined:
            symbols[missing[0]].add(name)
    for lib, names in symbols.items():
        source = work / f"{lib}.c"
        source.write_text("".join(f"int {n}(void) {{ return 0; }}\n" for n in sorted(names)), encoding="utf-8")
        command = ["gcc", "-shared", "-fPIC", f"-Wl,-soname,{lib}", "-o", str(work / lib), str(source)]
        if any(lib in line for line in undefined if "@" in line):
            script = work / f"{lib}.map"
            script.write_text(f"{lib} {{ global: *; }};\n", encoding="utf-8")
            command.append(f"-Wl,--version-script={script}")
        subprocess.run(command, check=True, capture_output=True)
        # Loaded by soname: when _C.so asks for `lib`, the loader finds it already there.
        ctypes.CDLL(str(work / lib), mode=ctypes.RTLD_GLOBAL)
    return missing


def load_torchvision() -> tuple[Any, Any, list[str]]:
    """(torch, torchvision, the libraries stubbed) with torchvision's ``_C.so`` loaded."""
    import importlib.util

    import torch

    spec = importlib.util.find_spec("torchvision")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("torchvision is not installed here: run tools/torchvision-venv and use .venv-torchvision")
    package = Path(next(iter(spec.submodule_search_locations)))
    extension = next(package.glob("_C*.so"), None)
    stubbed: list[str] = []
    if extension is not None:
        work = Path(tempfile.mkdtemp(prefix="torchvision-stubs-"))
        stubbed = stub_missing_libraries(extension, Path(torch.__file__).parent / "lib", work)
    import torchvision

    if not torchvision.extension._has_ops():
        raise SystemExit("torchvision's _C.so did not load: its operators would be missing")
    return torch, torchvision, stubbed


# --- recording ------------------------------------------------------------------------------------


class TorchvisionGraphs(GraphCollector):
    """Every graph of a scripted model whose function or method torchvision defines."""

    def owned(self, qualified_name: str) -> bool:
        return demangle(qualified_name).startswith("__torch__.torchvision.")


def builder_kwargs(builder: Any) -> dict[str, Any]:
    parameters = inspect.signature(builder).parameters
    return {"weights": None, **{k: v for k, v in BUILDER_OVERRIDES.items() if k in parameters}}


def build(torch: Any, builder: Any, kwargs: dict[str, Any], device: str) -> tuple[Any, str]:
    """The model, and the device it was built on (meta when the constructor allows)."""
    if device == "meta":
        try:
            with torch.device("meta"):
                return builder(**kwargs), "meta"
        except Exception:
            pass
    return builder(**kwargs), "cpu"


def _split_qualified_name(qualified_name: str, modules: list[str]) -> tuple[str, str]:
    """``__torch__.torchvision.ops.boxes.nms`` -> (``torchvision.ops.boxes``, ``nms``)."""
    body = demangle(qualified_name).removeprefix("__torch__.").split("#", 1)[0]
    owner = max((m for m in modules if body.startswith(m + ".")), key=len)
    return owner, body[len(owner) + 1:]


def record(torch: Any, torchvision: Any, *, device: str = "meta", only: list[str] | None = None,
           progress: bool = False) -> dict[str, Any]:
    site = Path(torchvision.__file__).resolve().parents[1]
    collector = TorchvisionGraphs(torch, "torchvision", set())
    models: list[dict[str, Any]] = []
    files: dict[str, dict[str, Any]] = {}
    elsewhere: dict[str, int] = {}
    by_key: dict[str, list[list[Any]]] = {}    # graph key -> its nodes [kind, file, line, col]
    torch.set_num_threads(1)
    for name in torchvision.models.list_models():
        if only and name not in only:
            continue
        started = time.perf_counter()
        builder = torchvision.models.get_model_builder(name)
        kwargs = builder_kwargs(builder)
        entry: dict[str, Any] = {"name": name, "builder_kwargs": repr(kwargs)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model, built_on = build(torch, builder, kwargs, device)
            try:
                scripted = torch.jit.script(model)
            except Exception as e:
                message = demangle(str(e)).replace(str(site) + "/", "")
                entry.update(scripted=False, error={"type": type(e).__name__, "message": message}, graphs=[])
                models.append(entry)
                continue
        keys = []
        for qn, graph in collector.collect("module", model, scripted).items():
            nodes = []
            for n in _walk(graph):
                location = node_location(n)
                if location is not None:
                    nodes.append([n.kind(), _relative(location[0], site), location[1], location[2]])
            key = demangle(qn)
            variant = 1
            while key in by_key and by_key[key] != nodes:
                variant += 1
                key = f"{demangle(qn)}#{variant}"
            by_key[key] = nodes
            keys.append(key)
        entry.update(scripted=True, error=None, graphs=sorted(set(keys)))
        models.append(entry)
        if progress:
            print(f"{name}: {len(keys)} graphs, built on {built_on}, {time.perf_counter() - started:.1f}s",
                  file=sys.stderr)

    modules = sorted(m for m in sys.modules if m == "torchvision" or m.startswith("torchvision."))
    for key, nodes in sorted(by_key.items()):
        module, qualname = _split_qualified_name(key, modules)
        module_file = _relative(sys.modules[module].__file__, site)
        _file_entry(files, module_file, site, module)["compiled"].add(qualname)
        for kind, path, line, col in nodes:
            if not path.startswith("torchvision/"):
                elsewhere[path] = elsewhere.get(path, 0) + 1
                continue
            graphs = _file_entry(files, path, site, None)["graphs"]
            graphs.setdefault(key, []).append([kind, line, col])
    return {
        "format": FORMAT_VERSION,
        "torch_version": torch.__version__,
        "torchvision_version": _VERSION_SUFFIX.sub("", torchvision.__version__),
        "models": models,
        "files": {path: {"sha256": f["sha256"], "module": f["module"], "compiled": sorted(f["compiled"]),
                         "graphs": dict(sorted(f["graphs"].items()))}
                  for path, f in sorted(files.items())},
        "elsewhere": dict(sorted(elsewhere.items())),
    }


def _relative(path: str, site: Path) -> str:
    resolved = Path(path).resolve()
    return resolved.relative_to(site).as_posix() if resolved.is_relative_to(site) else str(path)


def _file_entry(files: dict[str, dict[str, Any]], path: str, site: Path, module: str | None) -> dict[str, Any]:
    if path not in files:
        if module is None:
            module = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        files[path] = {"sha256": hashlib.sha256((site / path).read_bytes()).hexdigest(), "module": module,
                       "compiled": set(), "graphs": {}}
    return files[path]


def summary(data: dict[str, Any]) -> str:
    scripted = sum(m["scripted"] for m in data["models"])
    nodes = sum(len(nodes) for f in data["files"].values() for nodes in f["graphs"].values())
    return (f"{scripted}/{len(data['models'])} models script; {len(data['files'])} torchvision files, "
            f"{sum(len(f['graphs']) for f in data['files'].values())} graphs, {nodes} ranged nodes")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Record what torch.jit.script does with torchvision's models.")
    p.add_argument("--check", action="store_true", help="compare a live run with the committed expectations")
    p.add_argument("--device", choices=("meta", "cpu"), default="meta", help="where models are built")
    p.add_argument("--out", type=Path, help="write here instead of the committed expectations")
    p.add_argument("--progress", action="store_true", help="one line per model on stderr")
    p.add_argument("--model", action="append", default=[], help="only this model (with --out: a partial record)")
    args = p.parse_args(argv)
    started = time.perf_counter()
    torch, torchvision, stubbed = load_torchvision()
    if _VERSION_SUFFIX.sub("", torchvision.__version__) != TORCHVISION_VERSION:
        print(f"torchvision {torchvision.__version__} installed, {TORCHVISION_VERSION} expected", file=sys.stderr)
        return 2
    with contextlib.redirect_stdout(sys.stderr):
        data = record(torch, torchvision, device=args.device, only=args.model, progress=args.progress)
    elapsed = time.perf_counter() - started
    target = args.out or expectation_path()
    text = dump(data)
    note = f" (stub {', '.join(stubbed)})" if stubbed else ""
    if args.check:
        same = target.is_file() and target.read_text(encoding="utf-8") == text
        if not same:
            print(f"differs from a live run: {repo_relative(target)}", file=sys.stderr)
        print(f"{summary(data)}; torch side {elapsed:.0f}s{note}")
        return 0 if same else 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {repo_relative(target)}: {summary(data)}; torch side {elapsed:.0f}s{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
