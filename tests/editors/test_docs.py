"""docs/editors.md's setup for Neovim, Emacs and Vim is what the editor tests run:
each line of a section's snippet is in that editor's session script, but for the
folder the user puts on the path (the tests pass this checkout's through the
environment) and what only a command loop does (``eglot-ensure``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "editors.md"
SESSIONS = {"Neovim": "nvim_session.lua", "Emacs": "emacs_session.el", "Vim": "vim_session.vim"}
COMMENT_START = {"Neovim": "--", "Emacs": ";;", "Vim": '"'}
PLACEHOLDER = "/path/to/pyjit/"


def snippet(heading: str) -> list[str]:
    """The statements of the first code block under the ``## {heading}...`` section."""
    section = re.search(rf"^## {heading}\b.*?$(.*?)(?=^## )", DOC.read_text(encoding="utf-8"), re.M | re.S)
    assert section, f"no '## {heading}' section in {DOC}"
    block = re.search(r"^```\w*\n(.*?)^```", section.group(1), re.M | re.S)
    assert block, f"no code block under '## {heading}'"
    comment = re.compile(rf"(^|\s+){re.escape(COMMENT_START[heading])}.*$")
    return [line for line in (comment.sub("", raw).strip() for raw in block.group(1).splitlines()) if line]


@pytest.mark.parametrize("heading", SESSIONS)
def test_the_documented_setup_is_what_the_test_runs(heading: str) -> None:
    session = (Path(__file__).parent / SESSIONS[heading]).read_text(encoding="utf-8")
    for line in snippet(heading):
        if PLACEHOLDER in line:
            # The folder must exist here, with what the editor loads from it.
            folder = REPO / re.search(rf"{re.escape(PLACEHOLDER)}([\w/.-]+)", line).group(1)
            assert folder.is_dir(), line
        elif "eglot-ensure" not in line:
            assert line in session, f"docs/editors.md ({heading}): {line!r} is not in {SESSIONS[heading]}"
