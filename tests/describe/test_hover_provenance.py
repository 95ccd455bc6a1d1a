"""A call into torch's own library says where pyjit took the callee from: the
installed torch's source, or the copy bundled with pyjit when torch is not installed."""

from __future__ import annotations

import textwrap

import pytest
from hoverutil import PATH

from pyjit_core.environment import Environment
from pyjit_core.frontend.pyworld import default_torch_root
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

SOURCE = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(4, 4)

        def forward(self, x):
            return F.relu(self.lin(x))


    m = torch.jit.script(Block())
""")


def _hover(torch_root: str | None, token: str) -> str:
    environment = Environment(torch_root, (), "the test") if torch_root else Environment.without_torch()
    session = Session(SettingsResolver(environment=environment))
    result = session.check(PATH, SOURCE, module_name="hovered")
    line = next(i for i, text in enumerate(SOURCE.split("\n")) if "F.relu(self.lin(x))" in text)
    found = session.hover(result, line, SOURCE.split("\n")[line].index(token))
    assert found is not None
    return found.markdown


@pytest.mark.skipif(default_torch_root() is None, reason="needs the installed torch's sources")
def test_a_callee_read_from_the_installed_torch_says_so():
    assert "compiled from torch's installed source: `torch/nn/functional.py`" in _hover(default_torch_root(), "relu")
    linear = _hover(default_torch_root(), "lin(")
    assert "compiled from torch's installed source: `torch/nn/modules/linear.py`" in linear


def test_a_callee_from_the_bundled_source_says_so():
    assert ("compiled from torch 2.13.0's source bundled with pyjit (torch is not installed): "
            "`torch/nn/functional.py`") in _hover(None, "relu")
    assert ("compiled from torch 2.13.0's source bundled with pyjit (torch is not installed): "
            "`torch/nn/modules/linear.py`") in _hover(None, "lin(")
    assert "installed source" not in _hover(None, "relu")
