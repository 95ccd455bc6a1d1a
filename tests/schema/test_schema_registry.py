"""The bundled torch registry snapshot: complete, round-trippable, and queryable without torch."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from importlib import resources

import pytest

from pyjit_core.ir import types as T
from pyjit_core.schema import SchemaRegistry, builtin_op_for, default_registry, lookup, parse_schema, schemas_for
from pyjit_core.schema import registry as registry_module
from pyjit_core.schema.registry import BuiltinEntry, BuiltinObject, BuiltinTable, split_operator_name

DATA = resources.files("pyjit_core.schema") / "data"
MANIFEST = json.loads((DATA / "manifest.json").read_text("utf-8"))
BUNDLED_TEXTS = gzip.decompress((DATA / "schemas.txt.gz").read_bytes()).decode("utf-8").splitlines()


def test_the_snapshot_holds_every_schema_the_manifest_counts():
    assert MANIFEST["torch_version"].startswith("2.13.0")
    assert MANIFEST["schema_count"] == len(BUNDLED_TEXTS) == 4374
    assert len(set(BUNDLED_TEXTS)) == len(BUNDLED_TEXTS)
    registry = default_registry()
    assert len(registry) == MANIFEST["schema_count"]
    assert len(registry.operator_names()) == MANIFEST["operator_count"]


def test_every_bundled_schema_round_trips_through_parse_and_print():
    mismatches = [text for text in BUNDLED_TEXTS if str(parse_schema(text)) != text]
    assert mismatches == []


def test_the_registry_iterates_in_snapshot_order():
    registry = default_registry()
    assert list(registry.schema_texts()) == BUNDLED_TEXTS
    assert [str(s) for s in registry] == BUNDLED_TEXTS


def test_schemas_for_returns_overloads_in_torch_order():
    texts = [t for t in BUNDLED_TEXTS if split_operator_name(t)[0] == "aten::add"]
    overloads = schemas_for("aten::add")
    assert [str(s) for s in overloads] == texts
    assert overloads[0].overload_name == "Tensor"
    assert all(s.name == "aten::add" for s in overloads)


def test_schemas_are_parsed_once_and_cached():
    registry = default_registry()
    assert registry.schemas_for("aten::relu") is registry.schemas_for("aten::relu")


def test_unknown_operators_have_no_schemas():
    assert schemas_for("aten::no_such_op") == ()
    assert "aten::no_such_op" not in default_registry()
    assert "aten::add" in default_registry()


def test_lookup_finds_one_overload():
    schema = lookup("aten::add", "Tensor")
    assert str(schema) == "aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor"
    assert lookup("aten::relu").overload_name == ""
    assert lookup("aten::add", "NoSuchOverload") is None
    assert lookup("aten::no_such_op") is None


def test_defaults_are_ready_for_overload_resolution():
    conv = lookup("aten::conv2d")
    stride = conv.arguments[conv.argument_index_with_name("stride")]
    assert (stride.type, stride.N, stride.default_value) == (T.ListType(T.Int), 2, (1, 1))
    zeros = lookup("aten::zeros")
    dtype = zeros.arguments[zeros.argument_index_with_name("dtype")]
    assert dtype.kwarg_only
    assert dtype.default_value is None
    assert dtype.type == T.OptionalType(T.Int)


@pytest.mark.parametrize(
    ("path", "op"),
    [
        ("torch.relu", "aten::relu"),
        ("torch.nn.functional.conv2d", "aten::conv2d"),  # F.conv2d *is* torch.conv2d
        ("torch._C._nn.linear", "aten::linear"),
        ("torch.linalg.norm", "aten::linalg_norm"),
        ("math.floor", "aten::floor"),
        ("cmath.phase", "aten::angle"),
        ("torch._VF.stft", "aten::stft"),
        ("torch.nn.modules.utils._pair", "aten::_pair"),
        ("warnings.warn", "aten::warn"),
        ("builtins.dict", "aten::dict"),
        ("torch.backends.cudnn.is_acceptable", "aten::cudnn_is_acceptable"),
    ],
)
def test_builtin_ops_are_found_by_dotted_path(path, op):
    assert builtin_op_for(path) == op


def test_python_implemented_functions_are_not_builtins():
    # TorchScript compiles these from source instead of calling an op.
    assert builtin_op_for("torch.nn.functional.relu") is None
    assert builtin_op_for("torch.stft") is None
    assert builtin_op_for("torch.functional.norm") is None


def test_builtin_ops_are_found_by_qualified_name():
    # GradScaler's __module__.__qualname__ is not a path the walker recorded.
    assert builtin_op_for("torch.amp.grad_scaler.GradScaler") == "aten::GradScaler"
    assert builtin_op_for("torch.GradScaler") == "aten::GradScaler"


def test_a_qualified_name_shared_by_different_ops_is_ambiguous():
    # _pair and _triple are both closures named `_ntuple.<locals>.parse`.
    assert builtin_op_for("torch.nn.modules.utils._ntuple.<locals>.parse") is None


def test_the_builtin_table_keeps_every_entry():
    table = default_registry().builtins
    assert len(table) == MANIFEST["builtin_entry_count"] == 1569


def test_an_object_listed_twice_maps_to_its_last_entry():
    # torch keys the table by id(), so a later entry overwrites an earlier one.
    shared = BuiltinObject("mod.f", ("mod.f", "mod.g"))
    table = BuiltinTable([BuiltinEntry(shared, "aten::first"), BuiltinEntry(shared, "aten::second")])
    assert table.op_for("mod.g") == "aten::second"


def test_a_registry_can_be_built_from_any_schema_texts():
    registry = SchemaRegistry(["ns::f(int x) -> int", "ns::f.str(str x) -> str", "ns::g(...) -> ()"])
    assert registry.operator_names() == ("ns::f", "ns::g")
    assert registry.overload_names("ns::f") == ("", "str")
    assert str(registry.lookup("ns::f", "str")) == "ns::f.str(str x) -> str"
    assert registry.builtin_op_for("torch.relu") is None


def test_split_operator_name_reads_only_the_head():
    assert split_operator_name("aten::add.Tensor(Tensor self) -> Tensor") == ("aten::add", "Tensor")
    assert split_operator_name("aten::relu(Tensor self) -> Tensor") == ("aten::relu", "")
    assert split_operator_name("aten::to.prim_Device(Tensor(a) self) -> Tensor(b|a)") == ("aten::to", "prim_Device")


def test_torch_version_comes_from_the_snapshot():
    assert registry_module.torch_version() == MANIFEST["torch_version"]


def test_the_schema_package_never_imports_torch():
    code = (
        "import sys\n"
        "from pyjit_core.schema import default_registry, schemas_for, builtin_op_for\n"
        "list(default_registry()); builtin_op_for('torch.relu')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'pygls', 'lsprotocol'))\n"
        "print(bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
