"""What pyjit knows about torch's Python library without its source.

A snapshot made by ``tools/gen_torch_library.py`` from the torch version the
package was built against: the TorchScript signature of each function of
``torch.nn.functional`` that scripts, its boolean dispatches, and the
attribute names of torch's main namespaces. The frontend prefers torch's
installed sources; this is the fallback when they cannot be found, and the
namespace lists decide when ``torch.does_not_exist`` really does not exist.
"""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

from ..schema.model import FunctionSchema
from ..schema.parser import parse_schema

DATA_FILE = "torch_library.json.gz"


@functools.cache
def _data() -> dict:
    blob = (Path(__file__).with_name("data") / DATA_FILE).read_bytes()
    return json.loads(gzip.decompress(blob))


def torch_version() -> str:
    return _data()["torch_version"]


@functools.cache
def function_schema(path: str) -> FunctionSchema | None:
    """The TorchScript schema of a library function (``torch.nn.functional.relu``)."""
    text = _data()["functions"].get(path)
    return parse_schema(text, allow_typevars=False) if text is not None else None


def boolean_dispatch(path: str) -> dict | None:
    """``{"arg_name", "arg_index", "default", "if_true", "if_false"}`` for a dispatching function."""
    return _data()["boolean_dispatch"].get(path)


@functools.cache
def _namespaces() -> dict[str, frozenset[str]]:
    return {name: frozenset(names) for name, names in _data()["namespaces"].items()}


def namespace_has(module: str, name: str) -> bool | None:
    """Whether ``module.name`` exists; ``None`` when the namespace is not recorded."""
    names = _namespaces().get(module)
    if names is None:
        return None
    return name in names
