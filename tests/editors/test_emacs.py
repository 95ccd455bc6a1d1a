"""Emacs (Debian's emacs-nox 28) with Eglot (Debian's elpa-eglot 1.9) and the shipped
editors/emacs/pyjit.el: diagnostics in flymake, hover, a code action applied
through ``eglot-code-actions``, and ``pyjit-show-graph``.

Emacs runs in batch mode (``emacs_session.el`` drives it). ``tools/install-editors``
installs both packages; the test is skipped without them, or failed with
``PYJIT_REQUIRE_EDITORS=1`` (see conftest.py).
"""

from __future__ import annotations

import glob
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest
from editor_session import FIXED_LINE_12, PJ210_MESSAGE, make_workspace, run_scripted_session

REPO = Path(__file__).resolve().parents[2]
EGLOT = "/usr/share/emacs/site-lisp/elpa/eglot-*"
DEADLINE_S = 120
INSTALL_HINT = "run tools/install-editors (apt-get install emacs-nox elpa-eglot)"


@pytest.fixture(scope="module")
def emacs(editor_unavailable: Callable[[str], NoReturn]) -> str:
    found = shutil.which("emacs")
    if found is None:
        editor_unavailable(f"no emacs: {INSTALL_HINT}")
    if not glob.glob(EGLOT):
        editor_unavailable(f"no Eglot in {EGLOT}: {INSTALL_HINT}")
    return found


@pytest.fixture(scope="module")
def seen(emacs: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    file = make_workspace(tmp_path_factory.mktemp("emacs"))
    return run_scripted_session(
        [emacs, "--batch", "-Q", "-l", str(Path(__file__).with_name("emacs_session.el"))], file=file,
        env={"PYJIT_EMACS_CONFIG": str(REPO / "editors" / "emacs"), "PYJIT_TEST_FILE": str(file),
             "PYJIT_TEST_DEADLINE_S": str(DEADLINE_S // 3)},
        deadline_s=DEADLINE_S)


def test_eglot_starts_pyjit_from_the_registration(seen: dict) -> None:
    assert seen["server"] == "pyjit"


def test_flymake_shows_the_diagnostic(seen: dict) -> None:
    assert seen["diagnostics"] == [{"line": 12, "type": "eglot-error", "text": f"pyjit [PJ210]: {PJ210_MESSAGE}"}]


def test_hover_is_plain_text_for_a_client_without_markdown(seen: dict) -> None:
    # Eglot asks for markdown only when markdown-mode is installed; here it is not.
    assert seen["hover"].startswith("aten::add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor\n")
    assert "`" not in seen["hover"]


def test_the_quick_fix_applies(seen: dict) -> None:
    assert seen["offered"] == ["Ignore PJ210 on this line"]
    assert seen["fixed_line"] == FIXED_LINE_12


def test_the_graph_command_shows_the_graph(seen: dict) -> None:
    assert seen["graph"].startswith("graph(%x.1 : Tensor,")
    assert "aten::relu" in seen["graph"]
