"""A module class is compiled as the workspace builds it: a script call anywhere, a builder
function, a parent module; else a representative instance whose failures are never errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pyjit_core.diagnostics import Severity
from pyjit_core.editor.presentation import Presentation
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

BLOCKS = """\
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, width: int, scale: float):
        super().__init__()
        self.width = width
        self.lin = nn.Linear(width, width)
        self.scale = scale

    def forward(self, x):
        return self.lin(x) * self.scale


class Net(nn.Module):
    def __init__(self, depth: int):
        super().__init__()
        self.blocks = nn.Sequential(*[Block(8, 0.5) for _ in range(depth)])

    def forward(self, x):
        return self.blocks(x)
"""


def workspace(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def check(root: Path, name: str, **kw):
    session = Session(SettingsResolver([str(root)], overrides={"roots": "modules"}), **kw)
    result = session.check(str(root / name))
    return session, result, {r.name: r for r in result.analysis.roots}


def test_a_builder_in_another_file_builds_the_instance(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{"pkg/__init__.py": "", "pkg/blocks.py": BLOCKS,
                                  "pkg/zoo.py": "from .blocks import Net\n\n\ndef small(depth: int = 2):\n"
                                                "    return Net(depth)\n"})
    _, result, roots = check(root, "pkg/blocks.py")
    assert roots["Block"].constructed_by == "`small()` in zoo.py, through `Net`"
    assert roots["Net"].constructed_by == "`small()` in zoo.py"
    assert not roots["Block"].representative
    assert result.diagnostics == []
    assert "__torch__.pkg.blocks.Block.forward" in result.analysis.functions


def test_a_script_call_in_the_tests_wins(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{"pkg/__init__.py": "", "pkg/blocks.py": BLOCKS,
                                  "tests/test_blocks.py": "import torch\nfrom pkg.blocks import Block\n\n\n"
                                                          "def test_it():\n    torch.jit.script(Block(4, 2.0))\n"})
    _, result, roots = check(root, "pkg/blocks.py")
    assert roots["Block"].constructed_by.startswith("`torch.jit.script(...) at test_blocks.py:6`")
    assert result.diagnostics == []


def test_nothing_constructs_it_so_a_representative_instance_stands_in(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{"blocks.py": BLOCKS})
    session, result, roots = check(root, "blocks.py", presentation=Presentation.IN_FILE)
    block = roots["Block"]
    assert block.representative
    assert block.constructed_by == "a representative instance: Block(1, 1.0)"
    line = next(i for i, text in enumerate(result.source.split("\n")) if "self.lin(x)" in text)
    hover = session.hover(result, line, result.source.split("\n")[line].index("lin"))
    assert "a representative instance pyjit made up" in hover.markdown


def test_a_representative_instance_that_fails_is_information_not_an_error(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{"needs.py": """
        import torch
        from torch import nn


        class NeedsPositive(nn.Module):
            def __init__(self, n: int):
                super().__init__()
                self.n = n

            def forward(self, x):
                return x.no_such_method()
    """})
    _, result, roots = check(root, "needs.py")
    (d,) = result.diagnostics
    assert d.code == "PJ903"
    assert d.severity is Severity.INFORMATION
    assert "NeedsPositive(1)" in d.message
    assert "no_such_method" in d.message
    assert roots["NeedsPositive"].accepted


def test_the_same_failure_in_a_root_the_user_builds_is_an_error(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{"both.py": """
        import torch
        from torch import nn


        class Bad(nn.Module):
            def __init__(self, n: int):
                super().__init__()
                self.n = n

            def forward(self, x):
                return x.no_such_method()


        m = torch.jit.script(Bad(3))
    """})
    _, result, _ = check(root, "both.py")
    assert [(d.code, d.severity) for d in result.diagnostics] == [("PJ210", Severity.ERROR)]


def test_several_built_variants_show_once_in_a_hover(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{"pkg/__init__.py": "", "pkg/blocks.py": BLOCKS.replace(
        "[Block(8, 0.5) for _ in range(depth)]", "[Block(8 + i, 0.5) for i in range(depth)]"),
        "pkg/zoo.py": "from .blocks import Net\n\n\ndef small(depth: int = 3):\n    return Net(depth)\n"})
    session, result, _ = check(root, "pkg/blocks.py")
    line = next(i for i, text in enumerate(result.source.split("\n")) if "self.lin(x)" in text)
    hover = session.hover(result, line, result.source.split("\n")[line].index("lin"))
    assert hover.markdown.count("```text\nprim::CallMethod") == 1
    assert "the same in 3 compiled types of this module" in hover.markdown
