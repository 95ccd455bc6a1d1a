"""Everything a package imports resolves as Python's import system would: star re-exports,
``from package import name`` (the package's attribute before its submodule), type aliases."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver


def workspace(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def check(root: Path, name: str, roots: str = "decorated"):
    session = Session(SettingsResolver([str(root)], overrides={"roots": roots}))
    return session.check(str(root / name))


def graph_text(result, name: str) -> str:
    return str(next(f.graph for q, f in result.analysis.functions.items() if q.endswith(name)))


OPS = """\
import torch
from torch import Tensor


def scale(x: Tensor, f: float) -> Tensor:
    return x * f
"""


def test_a_name_re_exported_by_a_star_import_resolves(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{
        "pkg/__init__.py": "from .impl import *\n",
        "pkg/impl/__init__.py": "from .ops import *\n__all__ = ['scale']\n",
        "pkg/impl/ops.py": OPS,
        "main.py": "import torch\nimport pkg\n\n\n@torch.jit.script\n"
                   "def f(x: torch.Tensor) -> torch.Tensor:\n    return pkg.scale(x, 2.0)\n"})
    result = check(root, "main.py")
    assert result.diagnostics == []
    assert "prim::CallFunction" in graph_text(result, ".f")


def test_a_star_import_binds_only_what_all_lists(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{
        "pkg/__init__.py": "from .ops import *\n",
        "pkg/ops.py": OPS + "\n__all__ = ['other']\n\n\ndef other(x: Tensor) -> Tensor:\n    return x\n",
        "main.py": "import torch\nimport pkg\n\n\n@torch.jit.script\n"
                   "def f(x: torch.Tensor) -> torch.Tensor:\n    return pkg.scale(x, 2.0)\n"})
    result = check(root, "main.py")
    # pkg.scale is not bound, so pyjit knows nothing of it (Python: AttributeError)
    assert [d.code for d in result.diagnostics] == ["PJ403"]
    assert "cannot find the source of 'pkg.scale'" in result.diagnostics[0].message


def test_from_package_import_takes_the_function_the_package_imports_over_its_submodule(tmp_path: Path) -> None:
    # torchvision.ops: `from .roi_align import roi_align` makes ops.roi_align the function
    root = workspace(tmp_path, **{
        "pkg/__init__.py": "",
        "pkg/ops/__init__.py": "from .scale import scale\n",
        "pkg/ops/scale.py": OPS,
        "pkg/model.py": "import torch\nfrom pkg.ops import scale\n\n\n@torch.jit.script\n"
                        "def f(x: torch.Tensor) -> torch.Tensor:\n    return scale(x, 2.0)\n"})
    result = check(root, "pkg/model.py")
    assert result.diagnostics == []
    assert "prim::CallFunction" in graph_text(result, ".f")


def test_from_package_import_of_a_submodule_the_package_does_not_bind(tmp_path: Path) -> None:
    # torchvision's `from . import _utils as det_utils` and `det_utils.BoxCoder` in annotations
    root = workspace(tmp_path, **{
        "pkg/__init__.py": "",
        "pkg/_utils.py": "import torch\n\n\n@torch.jit.script\nclass Coder:\n    def __init__(self, w: float):\n"
                         "        self.w = w\n\n    def code(self, x: torch.Tensor) -> torch.Tensor:\n"
                         "        return x * self.w\n",
        "pkg/heads.py": "import torch\nfrom . import _utils as det_utils\n\n\n@torch.jit.script\n"
                        "def f(c: det_utils.Coder, x: torch.Tensor) -> torch.Tensor:\n    return c.code(x)\n"})
    result = check(root, "pkg/heads.py")
    assert result.diagnostics == []
    assert "prim::CallMethod[name=\"code\"]" in graph_text(result, ".f")


def test_torch_nn_module_reached_through_torchs_own_star_imports_is_still_a_module(tmp_path: Path) -> None:
    # torch.nn's __init__ re-exports Module with `from torch.nn.modules import *`
    root = workspace(tmp_path, **{"m.py": """\
        import torch
        from torch.ao.quantization import QuantStub, DeQuantStub


        class M(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.quant = QuantStub()
                self.dequant = DeQuantStub()

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                return self.dequant(self.quant(x))
        """})
    result = check(root, "m.py", roots="modules")
    assert result.diagnostics == []
    assert 'prim::CallMethod[name="forward"]' in graph_text(result, "M.forward")
