"""One resolver for every front door: layers, search paths, module names, problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyjit_core.config import ConfigError
from pyjit_core.environment import Environment
from pyjit_core.settings import SettingsResolver, parse_editor_settings


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_flags_win_over_the_project_file_which_wins_over_the_editor(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nroots = "modules"\nignore = ["PJ9"]\n', "m.py": ""})
    editor = SettingsResolver([str(tmp_path)])
    editor.set_initialization_options({"roots": "all", "select": ["PJ2"]})
    config = editor.config_for(str(tmp_path / "m.py"))
    assert (config.roots, config.ignore, config.select) == ("modules", ("PJ9",), ("PJ2",))
    cli = SettingsResolver([str(tmp_path)], overrides={"roots": "decorated"})
    assert cli.config_for(str(tmp_path / "m.py")).roots == "decorated"


def test_a_folder_scoped_answer_applies_to_that_folder_only(tmp_path: Path) -> None:
    write(tmp_path, {"a/m.py": "", "b/m.py": ""})
    resolver = SettingsResolver([str(tmp_path / "a"), str(tmp_path / "b")])
    resolver.set_folder_settings(str(tmp_path / "b"), {"roots": "all"})
    assert resolver.config_for(str(tmp_path / "a" / "m.py")).roots == "decorated"
    assert resolver.config_for(str(tmp_path / "b" / "m.py")).roots == "all"


def test_a_files_package_root_comes_first_whatever_folder_is_open(tmp_path: Path) -> None:
    write(tmp_path, {"site/torch/__init__.py": "", "site/torch/nn/__init__.py": "",
                     "site/torch/nn/modules/__init__.py": "", "site/torch/nn/modules/conv.py": ""})
    for opened in ("site", "site/torch", "site/torch/nn"):
        resolver = SettingsResolver([str(tmp_path / opened)], environment=Environment.without_torch())
        context = resolver.context_for(str(tmp_path / "site/torch/nn/modules/conv.py"))
        assert context.module_name == "torch.nn.modules.conv", opened
        assert context.config.search_paths[0] == str(tmp_path / "site")


def test_src_layout_and_a_plain_folder(tmp_path: Path) -> None:
    write(tmp_path, {"p/pyproject.toml": "[project]\nname='x'\n", "p/src/pkg/__init__.py": "", "p/src/pkg/m.py": "",
                     "loose/script.py": ""})
    resolver = SettingsResolver([str(tmp_path / "p")], environment=Environment.without_torch())
    assert resolver.context_for(str(tmp_path / "p/src/pkg/m.py")).module_name == "pkg.m"
    alone = SettingsResolver([], environment=Environment.without_torch())
    context = alone.context_for(str(tmp_path / "loose/script.py"))
    assert (context.module_name, context.config.search_paths) == ("script", (str(tmp_path / "loose"),))


def test_each_problem_is_reported_once_and_keeps_the_previous_value(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nroots = "some"\n'})
    reported: list[str] = []
    resolver = SettingsResolver([str(tmp_path)], report=reported.append)
    for _ in range(3):
        assert resolver.config_for(str(tmp_path / "m.py")).roots == "decorated"
    assert len(reported) == 1
    assert "pyproject.toml" in reported[0]
    assert "roots" in reported[0]
    with pytest.raises(ConfigError):
        SettingsResolver([str(tmp_path)], strict=True).config_for(str(tmp_path / "m.py"))


@pytest.mark.parametrize("raw", [None, [], {"pyjit": {}}, {"pyjit": []}])
def test_empty_editor_settings_are_no_settings(raw) -> None:
    assert parse_editor_settings(raw) == parse_editor_settings({})


def test_initialize_params_give_the_folders_and_options(tmp_path: Path) -> None:
    resolver = SettingsResolver.from_initialize({
        "processId": None, "capabilities": {}, "rootUri": None,
        "workspaceFolders": [{"uri": (tmp_path / "w").as_uri(), "name": "w"}],
        "initializationOptions": {"roots": "all", "searchPaths": ["src"]}})
    assert resolver.folders == [str(tmp_path / "w")]
    assert resolver.editor.roots == "all"
    assert resolver.editor.search_paths == (str(tmp_path / "w" / "src"),)


def test_the_generation_counts_changes(tmp_path: Path) -> None:
    resolver = SettingsResolver([str(tmp_path)])
    before = resolver.generation
    resolver.set_initialization_options({"roots": "all"})
    resolver.forget_files()
    assert resolver.generation == before + 2
