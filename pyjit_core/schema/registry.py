"""The operators torch registers, and the Python callables TorchScript maps to them.

torch: ``torch._C._jit_get_all_schemas()`` /
``torch._C._jit_get_schemas_for_operator(name)`` and
``torch.jit._builtins._builtin_ops``, read from the snapshot that
``tools/gen_torch_data.py`` bundles in ``pyjit_core/schema/data/`` (torch is
never imported).

Loading is lazy: the first query reads and indexes the schema texts (one
gzip file); each operator's schemas are parsed the first time they are asked
for and cached. :meth:`SchemaRegistry.schemas_for` returns an operator's
overloads in the order torch's overload resolution tries them.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyjit_core.schema.model import FunctionSchema
from pyjit_core.schema.parser import parse_schema

SCHEMAS_FILE = "schemas.txt.gz"
BUILTINS_FILE = "builtins.json.gz"
MANIFEST_FILE = "manifest.json"


def split_operator_name(schema_text: str) -> tuple[str, str]:
    """``aten::add.Tensor(Tensor self, ...) -> Tensor`` → ``("aten::add", "Tensor")``.

    Reads only the text before the argument list, so no parse is needed.
    """
    head = schema_text[: schema_text.index("(")] if "(" in schema_text else schema_text
    separator = head.find("::")
    dot = head.find(".", separator + 2 if separator >= 0 else 0)
    if dot < 0:
        return head, ""
    return head[:dot], head[dot + 1:]


@dataclass(frozen=True, slots=True)
class BuiltinObject:
    """One Python object in TorchScript's builtin table.

    ``qualname`` is its ``__module__.__qualname__``; ``paths`` are the dotted
    paths at which user code reaches this very object (``torch.relu``,
    ``torch._VF.relu``, ``torch.nn.functional.conv2d`` for ``torch.conv2d``).
    """

    qualname: str | None
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BuiltinEntry:
    """One ``(callable, "aten::op")`` pair of ``torch.jit._builtins._builtin_ops``."""

    object: BuiltinObject
    op: str


class BuiltinTable:
    """Python callable → builtin operator. torch: torch.jit._builtins._find_builtin.

    torch keys its table by object identity and later entries overwrite
    earlier ones, so an object listed twice maps to its last entry's op.
    """

    def __init__(self, entries: Sequence[BuiltinEntry]) -> None:
        self.entries: tuple[BuiltinEntry, ...] = tuple(entries)
        op_of_object: dict[int, str] = {}
        objects: dict[int, BuiltinObject] = {}
        for entry in self.entries:
            op_of_object[id(entry.object)] = entry.op
            objects[id(entry.object)] = entry.object
        self._by_path: dict[str, str] = {}
        qualname_ops: dict[str, set[str]] = {}
        for key, obj in objects.items():
            for path in obj.paths:
                self._by_path[path] = op_of_object[key]
            if obj.qualname is not None:
                qualname_ops.setdefault(obj.qualname, set()).add(op_of_object[key])
        # Distinct objects can share a qualname (the closures `_pair` and
        # `_triple` are both `_ntuple.<locals>.parse`); such a name denotes no op.
        self._by_qualname: dict[str, str] = {
            qualname: next(iter(ops)) for qualname, ops in qualname_ops.items() if len(ops) == 1}

    def op_for(self, dotted_path: str) -> str | None:
        """The builtin op a dotted path or ``module.qualname`` denotes, else ``None``."""
        found = self._by_path.get(dotted_path)
        return found if found is not None else self._by_qualname.get(dotted_path)

    def paths(self) -> Iterator[str]:
        return iter(self._by_path)

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def from_json(cls, data: dict) -> BuiltinTable:
        objects = [BuiltinObject(o["qualname"], tuple(o["paths"])) for o in data["objects"]]
        return cls([BuiltinEntry(objects[index], op) for index, op in data["entries"]])


class SchemaRegistry:
    """All operator schemas of one torch build, indexed by qualified operator name.

    Build it from schema texts in torch's registry order (as
    :func:`default_registry` does from the bundled snapshot); texts are parsed
    on demand, one operator at a time.
    """

    def __init__(self, schema_texts: Iterable[str], builtins: BuiltinTable | None = None,
                 torch_version: str = "") -> None:
        self.torch_version = torch_version
        self.builtins = builtins if builtins is not None else BuiltinTable(())
        self._texts: dict[str, list[str]] = {}
        self._overloads: dict[str, list[str]] = {}
        count = 0
        for text in schema_texts:
            name, overload = split_operator_name(text)
            texts = self._texts.get(name)
            if texts is None:
                texts = self._texts[name] = []
                self._overloads[name] = []
            texts.append(text)
            self._overloads[name].append(overload)
            count += 1
        self._count = count
        self._parsed: dict[str, tuple[FunctionSchema, ...]] = {}

    @classmethod
    def from_package_data(cls) -> SchemaRegistry:
        """The snapshot bundled in ``pyjit_core/schema/data/``."""
        data = Path(__file__).with_name("data")  # (importlib.resources costs ~7 ms of imports)
        texts = gzip.decompress((data / SCHEMAS_FILE).read_bytes()).decode("utf-8").splitlines()
        builtins = BuiltinTable.from_json(json.loads(gzip.decompress((data / BUILTINS_FILE).read_bytes())))
        manifest = json.loads((data / MANIFEST_FILE).read_text("utf-8"))
        return cls(texts, builtins, manifest["torch_version"])

    def schemas_for(self, qualified_name: str) -> tuple[FunctionSchema, ...]:
        """Every overload of ``aten::add``, in the order overload resolution tries them."""
        parsed = self._parsed.get(qualified_name)
        if parsed is None:
            parsed = tuple(parse_schema(text) for text in self._texts.get(qualified_name, ()))
            self._parsed[qualified_name] = parsed
        return parsed

    def schema_texts_for(self, qualified_name: str) -> tuple[str, ...]:
        """The overloads' texts, unparsed, as ``str(schema)`` prints them."""
        return tuple(self._texts.get(qualified_name, ()))

    def overload_names(self, qualified_name: str) -> tuple[str, ...]:
        return tuple(self._overloads.get(qualified_name, ()))

    def lookup(self, qualified_name: str, overload_name: str = "") -> FunctionSchema | None:
        """The schema of ``aten::add`` overload ``Tensor``; ``""`` is the default overload."""
        overloads = self._overloads.get(qualified_name)
        if overloads is None or overload_name not in overloads:
            return None
        if qualified_name in self._parsed:
            return self._parsed[qualified_name][overloads.index(overload_name)]
        return parse_schema(self._texts[qualified_name][overloads.index(overload_name)])

    def builtin_op_for(self, dotted_path: str) -> str | None:
        """``torch.relu`` → ``aten::relu``: the op TorchScript calls for that Python callable."""
        return self.builtins.op_for(dotted_path)

    def operator_names(self) -> tuple[str, ...]:
        """Qualified operator names, in registry order."""
        return tuple(self._texts)

    def schema_texts(self) -> Iterator[str]:
        """Every schema's text, in registry order."""
        for texts in self._texts.values():
            yield from texts

    def __iter__(self) -> Iterator[FunctionSchema]:
        """Every schema, in registry order (parses all of them on first use)."""
        for name in self._texts:
            yield from self.schemas_for(name)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, qualified_name: object) -> bool:
        return qualified_name in self._texts


@functools.cache
def default_registry() -> SchemaRegistry:
    """The bundled torch snapshot, loaded on first use."""
    return SchemaRegistry.from_package_data()


def schemas_for(qualified_name: str) -> tuple[FunctionSchema, ...]:
    return default_registry().schemas_for(qualified_name)


def lookup(qualified_name: str, overload_name: str = "") -> FunctionSchema | None:
    return default_registry().lookup(qualified_name, overload_name)


def builtin_op_for(dotted_path: str) -> str | None:
    return default_registry().builtin_op_for(dotted_path)


def torch_version() -> str:
    """The torch version the bundled snapshot was generated from."""
    return default_registry().torch_version
