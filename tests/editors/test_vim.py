"""Vim 9 (Debian's vim) with ALE 3.3 (Debian's vim-ale) and the shipped editors/vim:
ALE's diagnostics, ALEHover, ALECodeAction applying a fix (ALE sends the diagnostic
back without its ``data``), and :PyjitGraph.

``vim_session.vim`` drives Vim. ``tools/install-editors`` installs both packages; the
test is skipped without them, or failed with ``PYJIT_REQUIRE_EDITORS=1`` (see conftest.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest
from editor_session import FIXED_LINE_12, PJ210_MESSAGE, make_workspace, run_scripted_session

REPO = Path(__file__).resolve().parents[2]
ALE = Path("/usr/share/vim-ale")
DEADLINE_S = 120
INSTALL_HINT = "run tools/install-editors (apt-get install vim vim-ale)"


@pytest.fixture(scope="module")
def vim(editor_unavailable: Callable[[str], NoReturn]) -> str:
    found = shutil.which("vim")
    if found is None:
        editor_unavailable(f"no vim: {INSTALL_HINT}")
    if not (ALE / "plugin" / "ale.vim").exists():
        editor_unavailable(f"no ALE in {ALE}: {INSTALL_HINT}")
    return found


@pytest.fixture(scope="module")
def seen(vim: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    file = make_workspace(tmp_path_factory.mktemp("vim"))
    return run_scripted_session(
        [vim, "-N", "-u", "NONE", "-i", "NONE", "-n", "--not-a-term",
         "-S", str(Path(__file__).with_name("vim_session.vim")), str(file)], file=file,
        env={"PYJIT_VIM_CONFIG": str(REPO / "editors" / "vim"), "PYJIT_TEST_DEADLINE_S": str(DEADLINE_S // 3)},
        deadline_s=DEADLINE_S)


def test_ale_shows_the_diagnostic(seen: dict) -> None:
    assert seen["filetype"] == "python"
    assert seen["diagnostics"] == [{"lnum": 12, "col": 12, "code": "PJ210", "type": "E", "text": PJ210_MESSAGE,
                                    "linter": "pyjit"}]


def test_hover_shows_the_ir(seen: dict) -> None:
    assert seen["hover"].startswith("aten::add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor\n")


def test_the_code_action_applies_though_ale_echoes_no_data(seen: dict) -> None:
    assert seen["prompt"].startswith("Code Fixes:\n1) Ignore PJ210 on this line\n")
    assert seen["fixed_line"] == FIXED_LINE_12
    assert "No code actions received" not in seen["messages"]


def test_the_graph_command_shows_the_graph(seen: dict) -> None:
    assert seen["graph"].startswith("graph(%x.1 : Tensor,")
    assert "aten::relu" in seen["graph"]
