"""as_module / as_object on real torch objects, and the static model of each.

For every way a value can be made, the real object (built with torch) and the
static stand-in the frontend would build for the same source must cast alike.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="conformance: needs torch==2.13.0 installed")

from pyjit_core.ir.casting import StaticInstance, as_module, as_object  # noqa: E402
from pyjit_core.ir.naming import StaticClass  # noqa: E402


class Model(torch.nn.Module):
    def forward(self, x):
        return x + 1


class Point:
    def __init__(self, x: int):
        self.x = x


def packed_linear_params():
    weight = torch.quantize_per_tensor(torch.randn(4, 4), 0.1, 0, torch.qint8)
    return torch.ops.quantized.linear_prepack(weight, None)


MODEL = StaticClass("Model", role="module")
POINT = StaticClass("Point", role="plain")
PACKED = StaticClass("LinearPackedParamsBase", role="custom_class")

CASES = {
    # name: (build the real object, its static model, torch's expected view)
    "script(Model())": (lambda: torch.jit.script(Model()), StaticInstance(MODEL, "scripted"), "module"),
    "trace(Model())": (lambda: torch.jit.trace(Model(), torch.randn(2)), StaticInstance(MODEL, "traced"), "module"),
    "Model()": (Model, StaticInstance(MODEL, "eager"), None),
    "script(Point(1))": (lambda: torch.jit.script(Point(1)), StaticInstance(POINT, "scripted"), "object"),
    "Point(1)": (lambda: Point(1), StaticInstance(POINT, "eager"), None),
    "quantized.linear_prepack(...)": (packed_linear_params, StaticInstance(PACKED, "eager"), "object"),
}


@pytest.mark.parametrize("name", CASES)
def test_real_and_static_values_cast_alike(name):
    build, static, expected = CASES[name]
    real = build()
    real_view = "module" if as_module(real) is not None else "object" if as_object(real) is not None else None
    static_view = "module" if as_module(static) is not None else "object" if as_object(static) is not None else None
    assert real_view == expected
    assert static_view == expected


def test_views_wrap_what_torch_wraps():
    scripted = torch.jit.script(Model())
    assert as_module(scripted).handle is scripted._c                      # Module over _c
    wrapped = torch.jit.script(Point(1))
    assert isinstance(wrapped, torch.jit.RecursiveScriptClass)
    assert as_object(wrapped).handle is wrapped._c                        # Object over _c
    packed = packed_linear_params()
    assert isinstance(packed, torch.ScriptObject)
    assert as_object(packed).handle is packed                             # Object over itself
    assert as_object(packed).qualified_type_name == "__torch__.torch.classes.quantized.LinearPackedParamsBase"


@pytest.mark.parametrize("value", [None, 3, "s", torch.randn(2), [torch.randn(1)], Model, Point])
def test_plain_values_cast_to_nothing(value):
    assert as_module(value) is None
    assert as_object(value) is None


def test_a_script_module_is_not_an_object_and_vice_versa():
    # torch checks ScriptModule first in toIValue; as_object on a ScriptModule's
    # Python wrapper is not a ScriptObject.
    scripted = torch.jit.script(Model())
    assert as_object(scripted) is None
    assert as_module(torch.jit.script(Point(2))) is None
