"""as_module / as_object on static values (torch-free) -- torch: module_python.h."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pyjit_core.ir.casting import Module, Object, StaticInstance, as_module, as_object
from pyjit_core.ir.naming import StaticClass

MODEL = StaticClass("Model", role="module")
POINT = StaticClass("Point", role="script_class")
PLAIN = StaticClass("Config", role="plain")
PACKED = StaticClass("LinearPackedParamsBase", "__torch__.torch.classes.quantized.LinearPackedParamsBase",
                     role="custom_class")


@pytest.mark.parametrize(("value", "module", "obj"), [
    (StaticInstance(MODEL, "scripted"), True, False),   # torch.jit.script(Model()) -> ScriptModule
    (StaticInstance(MODEL, "traced"), True, False),     # torch.jit.trace(Model(), x)
    (StaticInstance(MODEL, "eager"), False, False),     # Model(): a plain nn.Module
    (StaticInstance(POINT, "scripted"), False, True),   # torch.jit.script(Point(1)) -> RecursiveScriptClass
    (StaticInstance(PLAIN, "scripted"), False, True),   # scripting an instance scripts its class
    (StaticInstance(POINT, "eager"), False, False),     # Point(1) in Python is a Python object
    (StaticInstance(PLAIN, "eager"), False, False),
    (StaticInstance(PACKED, "eager"), False, True),     # torch.classes instances are ScriptObjects
])
def test_static_values_cast_as_torch_would(value, module, obj):
    assert (as_module(value) is not None) is module
    assert (as_object(value) is not None) is obj
    if module:
        assert isinstance(as_module(value), Module)
    if obj:
        assert isinstance(as_object(value), Object)


class Exploding:
    """An object whose attribute and class lookups raise."""

    @property
    def __class__(self):  # type: ignore[override]
        raise RuntimeError("boom")

    def __getattr__(self, name):
        raise RuntimeError("boom")


@pytest.mark.parametrize("make", [lambda: None, lambda: 3, lambda: "s", object, lambda: [1], Exploding, lambda: MODEL])
def test_anything_else_is_none_and_never_raises(make):
    value = make()
    assert as_module(value) is None
    assert as_object(value) is None


def test_casting_never_imports_torch():
    code = (
        "import sys\n"
        "from pyjit_core.ir.casting import as_module, as_object\n"
        "as_module(object()); as_object(object())\n"
        "import pyjit_core, pyjit_core.ir.graph, pyjit_core.ir.lint\n"
        "assert 'torch' not in sys.modules, sorted(m for m in sys.modules if 'torch' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
