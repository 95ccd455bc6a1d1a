"""What pyjit knows of torch's Python library without an installed torch.

Two snapshots made by ``tools/gen_torch_library.py`` from the torch version
the package was built against (see that tool for how):

* torch's own source of the modules TorchScript reads (``torch.nn.functional``,
  ``torch.nn.modules``, ``torch.jit``, ``torch.autograd.grad_mode``...),
  documentation taken out, every other token at its line and column. When no
  torch is installed, :class:`~.pyworld.PyWorld` reads them as the files of a
  virtual torch root, :func:`bundled_torch_root`
  (``<bundled torch 2.13.0>/torch``), through the same code as an installed
  torch's: paths in graphs and diagnostics name them so.
* the attribute names of torch's main namespaces, used with or without
  torch: torch's C extension fills those namespaces (``from torch._C import
  *``), which no source shows, and they decide when ``torch.does_not_exist``
  really does not exist.
"""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

from .source import SourceFile

DATA_DIR = Path(__file__).with_name("data")
NAMESPACES_FILE = "torch_library.json.gz"
SOURCE_FILE = "torch_source.json.gz"
#: How every path of the virtual torch root starts: ``<bundled torch 2.13.0>/torch/nn/functional.py``.
BUNDLE_PREFIX = "<bundled torch "


def _read(name: str) -> dict | None:
    try:
        return json.loads(gzip.decompress((DATA_DIR / name).read_bytes()))
    except (OSError, ValueError):
        return None


@functools.cache
def _data() -> dict:
    return _read(NAMESPACES_FILE) or {"torch_version": "", "namespaces": {}}


def torch_version() -> str:
    """The torch version the bundled data was made from (``2.13.0``)."""
    return _data()["torch_version"]


# --- torch's sources ------------------------------------------------------------------------------

@functools.cache
def _bundle() -> tuple[str, dict[str, str]] | None:
    """The bundled files by path (``<bundled torch 2.13.0>/torch/nn/functional.py``)."""
    data = _read(SOURCE_FILE)
    if data is None:
        return None
    folder = f"{BUNDLE_PREFIX}{data['torch_version']}>"
    return folder, {f"{folder}/{rel}": text for rel, text in data["files"].items()}


@functools.cache
def bundled_torch_root() -> str | None:
    """The virtual ``torch`` package directory of the bundled sources; None without them."""
    if not (DATA_DIR / SOURCE_FILE).is_file():
        return None
    return f"{BUNDLE_PREFIX}{torch_version()}>/torch"


def is_bundled(path: str) -> bool:
    """Whether ``path`` names a file of the virtual torch root (which may not exist)."""
    return path.startswith(BUNDLE_PREFIX)


_SOURCES: dict[str, SourceFile] = {}


def bundled_source(path: str) -> SourceFile | None:
    """A bundled file as a :class:`SourceFile`, one per process (it never changes)."""
    found = _SOURCES.get(path)
    if found is not None:
        return found
    bundle = _bundle()
    text = bundle[1].get(path) if bundle is not None else None
    if text is None:
        return None
    found = _SOURCES[path] = SourceFile(path, text)
    return found


def bundled_paths() -> list[str]:
    """Every bundled file's path."""
    bundle = _bundle()
    return sorted(bundle[1]) if bundle is not None else []


# --- namespaces -----------------------------------------------------------------------------------

@functools.cache
def _namespaces() -> dict[str, frozenset[str]]:
    return {name: frozenset(names) for name, names in _data()["namespaces"].items()}


def namespace_has(module: str, name: str) -> bool | None:
    """Whether ``module.name`` exists; ``None`` when the namespace is not recorded."""
    names = _namespaces().get(module)
    if names is None:
        return None
    return name in names
