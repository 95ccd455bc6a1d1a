"""The Session: one way in for the CLI and the server, one presentation policy each."""

from __future__ import annotations

from pathlib import Path

from pyjit_core.diagnostics import TextRange
from pyjit_core.editor.presentation import Presentation
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

BROKEN_HELPER = "import torch\n\n\ndef helper(x: int) -> int:\n    return x.foo\n"
CALLER = ("import torch\nfrom helpers import helper\n\n\n@torch.jit.script\ndef {name}(x: int) -> int:\n"
          "    return helper(x)\n")


def workspace(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.py").write_text(text, encoding="utf-8")
    return tmp_path


def test_where_found_shows_an_error_in_another_file_once_per_session(tmp_path: Path) -> None:
    root = workspace(tmp_path, helpers=BROKEN_HELPER, a=CALLER.format(name="f"), b=CALLER.format(name="g"))
    session = Session(SettingsResolver([str(root)]))
    first = session.check(str(root / "a.py"))
    second = session.check(str(root / "b.py"))
    assert [(d.path, d.code) for d in first.diagnostics] == [(str(root / "helpers.py"), "PJ210")]
    assert second.diagnostics == []
    assert [d.code for d in second.found] == ["PJ210"]


def test_in_file_brings_it_to_the_call(tmp_path: Path) -> None:
    root = workspace(tmp_path, helpers=BROKEN_HELPER, a=CALLER.format(name="f"))
    session = Session(SettingsResolver([str(root)]), presentation=Presentation.IN_FILE)
    (shown,) = session.check(str(root / "a.py")).diagnostics
    assert shown.path == str(root / "a.py")
    assert shown.range == TextRange(6, 11, 6, 17)


def test_in_file_leaves_syntax_errors_of_plain_python_to_other_tools() -> None:
    session = Session(presentation=Presentation.IN_FILE)
    assert session.check("/virtual/plain.py", "def f(:\n").diagnostics == []
    assert [d.code for d in session.check("/virtual/s.py", "import torch.jit\ndef f(:\n").diagnostics] == ["PJ001"]
    assert [d.code for d in Session().check("/virtual/plain.py", "def f(:\n").diagnostics] == ["PJ001"]


def test_open_documents_are_read_instead_of_the_disk(tmp_path: Path) -> None:
    root = workspace(tmp_path, helpers=BROKEN_HELPER, a=CALLER.format(name="f"))
    session = Session(SettingsResolver([str(root)]))
    session.set_document(str(root / "helpers.py"), BROKEN_HELPER.replace("x.foo", "x + 1"))
    assert session.check(str(root / "a.py")).diagnostics == []
    session.close_document(str(root / "helpers.py"))
    assert [d.code for d in session.check(str(root / "a.py")).diagnostics] == ["PJ210"]


def test_the_graph_preview_says_why_there_is_none(tmp_path: Path) -> None:
    root = workspace(tmp_path, helpers=BROKEN_HELPER, a=CALLER.format(name="f"))
    session = Session(SettingsResolver([str(root)]))
    result = session.check(str(root / "a.py"))
    failing = session.graph(result, name="f")
    assert failing.text is None
    assert failing.problem == "'f' does not compile"
    assert [d.code for d in failing.diagnostics] == ["PJ210"]
    missing = session.graph(result, name="nothing")
    assert missing.text is None
    assert "no function 'nothing'" in missing.problem
    assert "f" in missing.problem


def test_code_actions_are_the_fixes_of_the_diagnostics_there() -> None:
    session = Session()
    result = session.check("/virtual/m.py", "import torch\n\n@torch.jit.script\ndef f(x: int):\n    return x.foo\n")
    (d,) = result.diagnostics
    fixes = session.code_actions(result, d.range)
    assert [f.title for f in fixes] == [f.title for f in d.fixes]
    assert fixes
    assert session.code_actions(result, TextRange(0, 0, 0, 1)) == []
    assert session.code_actions(result, d.range, codes=["PJ999"]) == []


def test_releasing_frees_what_no_live_result_shares() -> None:
    session = Session()
    text = "import torch\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x + 1\n"
    old = session.check("/virtual/m.py", text)
    new = session.check("/virtual/m.py", text + "\n", previous=old)
    graph = new.analysis.functions["__torch__.m.f"].graph
    assert graph is old.analysis.functions["__torch__.m.f"].graph     # reused across the edit
    session.release(old)
    assert graph.block is not None
    assert str(graph).startswith("graph(")   # still alive: new holds it
    session.release(new)
    assert graph.block is None                                           # disposed: nothing holds it
