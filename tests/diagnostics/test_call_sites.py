"""An error in another file that fails a root of this file is shown here, at the call that leads there."""

from __future__ import annotations

from pathlib import Path

from pyjit_core.config import Config
from pyjit_core.diagnostics import TextRange
from pyjit_core.editor.call_sites import diagnostics_in_file
from pyjit_core.session import Session

BROKEN_HELPER = "import torch\n\n\ndef helper(x: int) -> int:\n    return x.foo\n"


def check(root: Path, name: str):
    path = root / name
    return Session().check(str(path), config=Config(search_paths=(str(root),)))


def write(root: Path, **files: str) -> Path:
    for name, text in files.items():
        (root / f"{name}.py").write_text(text, encoding="utf-8")
    return root


def test_the_error_is_brought_to_the_call_with_torchs_chain_and_its_place(tmp_path: Path) -> None:
    write(tmp_path, helpers=BROKEN_HELPER, model=(
        "import torch\nfrom helpers import helper\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n"
        "    y = x * 2\n    return helper(y) + 1\n"))
    result = check(tmp_path, "model.py")
    (there,) = result.diagnostics                       # the frontend reports it where torch does
    assert there.path == str(tmp_path / "helpers.py")
    assert there.code == "PJ210"
    (here,) = diagnostics_in_file(result)
    assert here.path == str(tmp_path / "model.py")
    assert here.code == "PJ210"
    assert here.range == TextRange(7, 11, 7, 17)        # `helper` in `return helper(y) + 1`
    assert here.message == ("'int' object has no attribute or method 'foo'.\n"
                            "'helper' is being compiled since it was called from 'f'")
    assert [(r.path, r.range) for r in here.related] == [(there.path, there.range)]


def test_through_a_module_attribute_and_a_chain_of_files(tmp_path: Path) -> None:
    write(tmp_path, helpers=BROKEN_HELPER,
          middle="import torch\nimport helpers\n\n\ndef twice(x: int) -> int:\n    return helpers.helper(x) * 2\n",
          model="import torch\nimport middle\n\n\n"
                "@torch.jit.script\ndef f(x: int) -> int:\n    return middle.twice(x)\n")
    (here,) = diagnostics_in_file(check(tmp_path, "model.py"))
    assert here.range == TextRange(6, 18, 6, 23)        # `twice` in `middle.twice(x)`: the first step away
    assert here.message.endswith("'twice' is being compiled since it was called from 'f'")


def test_errors_of_the_file_itself_are_left_as_they_are(tmp_path: Path) -> None:
    write(tmp_path, model="import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x.foo\n")
    result = check(tmp_path, "model.py")
    assert diagnostics_in_file(result) == result.diagnostics


def test_a_file_without_calls_into_broken_code_gains_nothing(tmp_path: Path) -> None:
    write(tmp_path, helpers=BROKEN_HELPER,
          model="import torch\nfrom helpers import helper\n\n\n"
                "@torch.jit.script\ndef f(x: int) -> int:\n    return x + 1\n")
    assert diagnostics_in_file(check(tmp_path, "model.py")) == []
