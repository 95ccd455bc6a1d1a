"""The two pattern languages of file discovery: ruff-style globs (``exclude``,
``per-file-ignores``) and ``.gitignore`` lines (git's rules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyjit_core import globs
from pyjit_core.config import Config, config_from_mapping
from pyjit_core.gitignore import GitIgnore


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("build", "/p/build", True),                   # a name matches at any depth
    ("build", "/p/src/build", True),
    ("build", "/p/builder", False),
    ("*_pb2.py", "/p/a/b/m_pb2.py", True),
    (".*", "/p/.venv", True),
    (".*", "/p/venv", False),
    ("tests/*", "/p/tests/a/b.py", True),          # with a slash: from the folder; `*` crosses `/`, as ruff's
    ("tests/*", "/p/src/tests/a.py", False),
    ("**/fixtures/*.py", "/p/fixtures/a.py", True),
    ("**/fixtures/*.py", "/p/x/y/fixtures/a.py", True),
    ("{gen,out}/*", "/p/out/a.py", True),
    ("m?.py", "/p/m1.py", True),
    ("[ab].py", "/p/c.py", False),
])
def test_globs(pattern: str, path: str, expected: bool) -> None:
    assert globs.matches(globs.anchor(pattern, "/p"), path) is expected


def test_a_path_pattern_is_anchored_where_it_was_read() -> None:
    config, problems = config_from_mapping({"extend-exclude": ["gen/*", "tmp"],
                                            "per-file-ignores": {"!src/*": ["PJ4"], "__init__.py": ["PJ101"]}},
                                           style="kebab", base_dir="/proj")
    assert problems == []
    assert config.extend_exclude == ("/proj/gen/*", "tmp")
    assert config.ignored_in("/proj/tests/t.py") == ("PJ4",)          # `!`: every file but src/*
    assert config.ignored_in("/proj/src/pkg/__init__.py") == ("PJ101",)
    assert not config.enabled("PJ410", "/proj/tests/t.py")
    assert config.enabled("PJ410", "/proj/src/m.py")


def test_the_new_settings_have_all_three_spellings() -> None:
    camel, _ = config_from_mapping({"extendExclude": ["x"], "respectGitignore": False,
                                    "perFileIgnores": {"a.py": ["PJ1"]}}, style="camel", base_dir="/w")
    assert (camel.extend_exclude, camel.respect_gitignore, camel.per_file_ignores) == (
        ("x",), False, (("a.py", ("PJ1",)),))
    assert Config().exclude[0] == ".*"
    assert Config().respect_gitignore


@pytest.mark.parametrize(("lines", "path", "is_dir", "expected"), [
    ("*.log", "a/b/x.log", False, True),
    ("*.log\n!keep.log", "keep.log", False, False),
    ("/top.py", "top.py", False, True),
    ("/top.py", "sub/top.py", False, False),        # anchored
    ("doc/*.md", "doc/a.md", False, True),
    ("doc/*.md", "doc/sub/a.md", False, False),     # `*` stops at `/` in git
    ("out/", "out", True, True),
    ("out/", "out", False, False),                  # folders only
    ("out/", "out/x.py", False, True),              # inside an ignored folder
    ("a/**/b.py", "a/b.py", False, True),
    ("a/**/b.py", "a/x/y/b.py", False, True),
    ("logs/**", "logs/x/y.py", False, True),
    ("\\#hash.py", "#hash.py", False, True),
    ("# comment\n\n", "comment", False, False),
])
def test_gitignore_rules(tmp_path: Path, lines: str, path: str, is_dir: bool, expected: bool) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(lines + "\n", encoding="utf-8")
    assert GitIgnore(str(tmp_path)).ignored(str(tmp_path / path), is_dir) is expected


def test_a_deeper_gitignore_decides_first(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*.py\n", encoding="utf-8")
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / ".gitignore").write_text("!*.py\n", encoding="utf-8")
    ignore = GitIgnore(str(tmp_path))
    assert ignore.ignored(str(tmp_path / "m.py"), False)
    assert not ignore.ignored(str(tmp_path / "keep" / "m.py"), False)


def test_outside_a_repository_gitignore_files_above_the_start_do_not_count(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n", encoding="utf-8")
    (tmp_path / "project").mkdir()
    assert not GitIgnore(str(tmp_path / "project")).ignored(str(tmp_path / "project" / "m.py"), False)
    assert GitIgnore(str(tmp_path)).ignored(str(tmp_path / "project" / "m.py"), False)
