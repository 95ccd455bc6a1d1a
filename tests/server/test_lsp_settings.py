"""Settings: initializationOptions, workspace/configuration, [tool.pyjit], and what happens when they are wrong."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lsp_harness import SERVER_COMMAND, capabilities, make_client, open_doc, published, start, uri_of, wait_until, write
from lsprotocol import types
from pytest_lsp import LanguageClient

from pyjit_core.config import Config, config_from_mapping
from pyjit_core.settings import SettingsResolver, parse_editor_settings

PLAIN_ERROR = textwrap.dedent("""\
    import torch


    def plain(x: torch.Tensor) -> torch.Tensor:
        return x.no_such_method()
""")


# --- unit: the core's one reader, as the worker uses it ------------------------------------------------

def test_editor_settings_are_camel_case_and_null_means_unset() -> None:
    config, problems = parse_editor_settings({"roots": "all", "torchSource": None, "searchPaths": ["src"],
                                              "logLevel": "debug", "severity": {"PJ901": "off"}}, base_dir="/w")
    assert problems == []
    assert (config.roots, config.torch_source, config.search_paths, config.log_level) == (
        "all", None, ("/w/src",), "debug")
    assert config.severity == {"PJ901": "off"}
    assert not config.enabled("PJ901")


def test_an_empty_list_means_no_settings() -> None:
    # Neovim encodes an empty Lua table, `settings = { pyjit = {} }`, as [].
    assert parse_editor_settings([]) == (Config(), [])


def test_a_wrapping_section_is_accepted() -> None:
    assert parse_editor_settings({"pyjit": {"roots": "modules"}})[0].roots == "modules"


@pytest.mark.parametrize(("raw", "words"), [
    ({"roots": 3}, "roots: expected one of"),
    ({"search-paths": ["x"]}, "did you mean 'searchPaths'"),
    ({"severity": {"PJ101": "loud"}}, "expected one of 'error'"),
    ({"select": ["QQ1"]}, "unknown code or prefix 'QQ1'"),
    ("all", "expected an object"),
])
def test_bad_settings_are_described_and_keep_the_default(raw, words) -> None:
    config, problems = parse_editor_settings(raw)
    assert config == Config()
    assert any(words in p for p in problems), problems


def test_layers_project_file_wins_and_search_paths_default_to_the_workspace(tmp_path: Path) -> None:
    write(tmp_path, {"a/pyproject.toml": '[tool.pyjit]\nroots = "modules"\n', "a/src/pkg/m.py": "", "b/m.py": ""})
    warnings: list[str] = []
    settings = SettingsResolver([tmp_path / "a", tmp_path / "b"], report=warnings.append)
    settings.set_initialization_options({"roots": "all", "ignore": ["PJ9"]})
    settings.set_folder_settings(str(tmp_path / "b"), {"select": ["PJ2"]})
    a = settings.config_for(str(tmp_path / "a" / "src" / "pkg" / "m.py"))
    assert (a.roots, a.ignore) == ("modules", ("PJ9",))     # file over editor, editor over defaults
    assert a.search_paths[:2] == (str(tmp_path / "a" / "src"), str(tmp_path / "a"))
    b = settings.config_for(str(tmp_path / "b" / "m.py"))
    assert (b.roots, b.select) == ("all", ("PJ2",))
    assert b.search_paths[0] == str(tmp_path / "b")
    assert str(tmp_path / "a") in b.search_paths
    assert warnings == []


def test_one_warning_per_problem(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nroots = "some"\n'})
    warnings: list[str] = []
    settings = SettingsResolver([tmp_path], report=warnings.append)
    for _ in range(3):
        assert settings.config_for(str(tmp_path / "m.py")).roots == "decorated"
    assert len(warnings) == 1
    assert "pyproject.toml" in warnings[0]
    assert "roots" in warnings[0]


def test_config_mapping_names_are_the_documented_ones() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "settings.md").read_text(encoding="utf-8")
    from pyjit_core.config import SETTINGS

    for s in SETTINGS:
        assert f"## `{s.camel}`" in docs, s.field
        assert f"TOML: `{s.kebab} = " in docs, s.field
        assert f'"pyjit.{s.camel}"' in docs, s.field
    assert config_from_mapping({}, style="kebab")[0] == Config()


# --- through the server -------------------------------------------------------------------------------

async def test_initialization_options_apply(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"plain.py": PLAIN_ERROR})
    await start(client, tmp_path, options={"roots": "all"})
    assert [d.code for d in await published(client, open_doc(client, tmp_path / "plain.py"), 1)] == ["PJ210"]


async def test_workspace_configuration_applies_per_folder(client: LanguageClient, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(tmp_path, {"a/plain.py": PLAIN_ERROR, "b/plain.py": PLAIN_ERROR})
    client.set_configuration({"roots": "all"}, section="pyjit", scope_uri=uri_of(b))
    await start(client, tmp_path, folders=[a, b])
    assert await published(client, open_doc(client, a / "plain.py"), 1) == []
    assert [d.code for d in await published(client, open_doc(client, b / "plain.py"), 1)] == ["PJ210"]


async def test_invalid_settings_warn_and_the_server_keeps_working(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"plain.py": PLAIN_ERROR, "pyproject.toml": '[tool.pyjit]\nroots = "all"\nlevel = 3\n'})
    await start(client, tmp_path, options={"roots": "sometimes", "logLevel": "loud"})
    diagnostics = await published(client, open_doc(client, tmp_path / "plain.py"), 1)
    assert [d.code for d in diagnostics] == ["PJ210"]          # the file's valid `roots` still applies
    messages = [m.message for m in client.messages if m.type == types.MessageType.Warning]
    assert any("roots: expected one of" in m and "initializationOptions" in m for m in messages), messages
    assert any("logLevel" in m for m in messages)
    assert any("unknown setting 'level'" in m and "pyproject.toml" in m for m in messages)


async def test_a_configuration_change_rechecks(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"plain.py": PLAIN_ERROR})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "plain.py")
    assert await published(client, uri, 1) == []
    client.set_configuration({"roots": "all"}, section="pyjit")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    latest = lambda: client.diagnostics.get(uri) or None   # noqa: E731
    assert [d.code for d in await wait_until(client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, latest)] == ["PJ210"]


async def test_editing_pyproject_rechecks(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"plain.py": PLAIN_ERROR, "pyproject.toml": "[tool.pyjit]\n"})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "plain.py")
    assert await published(client, uri, 1) == []
    assert [r.method for r in client.registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nroots = "all"\n'})
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri_of(tmp_path / "pyproject.toml"), type=types.FileChangeType.Changed)]))
    latest = lambda: client.diagnostics.get(uri) or None   # noqa: E731
    assert [d.code for d in await wait_until(client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, latest)] == ["PJ210"]


async def test_each_settings_problem_is_shown_once(client: LanguageClient, tmp_path: Path) -> None:
    """The worker reads the settings again whenever the editor says more (here: the
    configuration answer, then a change), and finds the same problem each time."""
    write(tmp_path, {"plain.py": PLAIN_ERROR})
    client.set_configuration({"roots": "all"}, section="pyjit")
    await start(client, tmp_path, options={"roots": "sometimes"})
    uri = open_doc(client, tmp_path / "plain.py")
    assert [d.code for d in await published(client, uri, 1)] == ["PJ210"]
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    open_doc(client, write(tmp_path, {"other.py": PLAIN_ERROR}) / "other.py")
    await published(client, uri_of(tmp_path / "other.py"), 1)
    shown = [m.message for m in client.messages if "roots: expected one of" in m.message]
    assert len(shown) == 1, shown


async def test_a_client_that_cannot_be_asked_sends_its_settings_with_the_change(tmp_path: Path) -> None:
    """(Vim's ALE, older Emacs setups:) no workspace/configuration; didChangeConfiguration carries them."""
    client = make_client()
    await client.start_io(*SERVER_COMMAND)
    try:
        write(tmp_path, {"plain.py": PLAIN_ERROR})
        caps = capabilities("neovim")
        caps.workspace.configuration = False
        await start(client, tmp_path, caps=caps)
        uri = open_doc(client, tmp_path / "plain.py")
        assert await published(client, uri, 1) == []
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"pyjit": {"roots": "all"}, "python": {"other": "tool"}}))
        latest = lambda: client.diagnostics.get(uri) or None   # noqa: E731
        assert [d.code for d in await wait_until(client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, latest)] == ["PJ210"]
        await client.shutdown_session()
    finally:
        await client.stop()


async def test_a_workspace_folder_added_brings_its_settings(client: LanguageClient, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(tmp_path, {"a/x.py": "", "b/plain.py": PLAIN_ERROR})
    client.set_configuration({"roots": "all"}, section="pyjit", scope_uri=uri_of(b))
    await start(client, tmp_path, folders=[a])
    uri = open_doc(client, b / "plain.py")
    assert await published(client, uri, 1) == []                     # b is no workspace folder yet
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        event=types.WorkspaceFoldersChangeEvent(added=[types.WorkspaceFolder(uri=uri_of(b), name="b")], removed=[])))
    latest = lambda: client.diagnostics.get(uri) or None   # noqa: E731
    assert [d.code for d in await wait_until(client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, latest)] == ["PJ210"]
