"""Workspace awareness: callees in other files, unsaved buffers, src layouts, several folders."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lsp_harness import open_doc, published, replace_all, start, uri_of, wait_until, write
from lsprotocol import types
from pytest_lsp import LanguageClient

HELPERS = textwrap.dedent("""\
    import torch


    def count(x: torch.Tensor) -> int:
        return 3
""")

CALLER = textwrap.dedent("""\
    import torch
    from {module} import count


    @torch.jit.script
    def main(x: torch.Tensor) -> str:
        return count(x)
""")

INT_FOR_STR = "Return value was annotated as having type str but is actually of type int"


def messages(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [d.message for d in diagnostics]


async def next_publish(client: LanguageClient, uri: str, after: int) -> list[types.Diagnostic]:
    """The first publish for ``uri`` after the ``after``-th message recorded."""
    def find():
        for p in client.published[after:]:
            if p.uri == uri:
                return list(p.diagnostics)
        return None
    return await wait_until(client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, find)


async def test_a_callee_in_another_file_is_read(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"helpers.py": HELPERS, "caller.py": CALLER.format(module="helpers")})
    await start(client, tmp_path)
    assert messages(await published(client, open_doc(client, tmp_path / "caller.py"), 1)) == [INT_FOR_STR]


async def test_an_unsaved_callee_buffer_wins_over_the_disk(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"helpers.py": HELPERS, "caller.py": CALLER.format(module="helpers")})
    await start(client, tmp_path)
    caller = open_doc(client, tmp_path / "caller.py")
    assert messages(await published(client, caller, 1)) == [INT_FOR_STR]
    helpers = open_doc(client, tmp_path / "helpers.py")
    await published(client, helpers, 1)
    mark = len(client.published)
    replace_all(client, helpers, 2, HELPERS.replace("-> int:\n    return 3", "-> str:\n    return 'a'"))
    assert await next_publish(client, caller, mark) == []
    assert (tmp_path / "helpers.py").read_text() == HELPERS    # nothing was written


async def test_a_callee_changed_on_disk_rechecks_its_callers(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"helpers.py": HELPERS, "caller.py": CALLER.format(module="helpers")})
    await start(client, tmp_path)
    caller = open_doc(client, tmp_path / "caller.py")
    assert messages(await published(client, caller, 1)) == [INT_FOR_STR]
    mark = len(client.published)
    write(tmp_path, {"helpers.py": HELPERS.replace("-> int:\n    return 3", "-> str:\n    return 'a'")})
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri_of(tmp_path / "helpers.py"), type=types.FileChangeType.Changed)]))
    assert await next_publish(client, caller, mark) == []


async def test_a_broken_callee_in_another_file_is_shown_at_the_call(client: LanguageClient, tmp_path: Path) -> None:
    broken = HELPERS.replace("return 3", "return x.foo")
    write(tmp_path, {"helpers.py": broken, "caller.py": CALLER.format(module="helpers")})
    await start(client, tmp_path)
    caller = open_doc(client, tmp_path / "caller.py")
    (here,) = await published(client, caller, 1)
    assert here.code == "PJ210"
    assert (here.range == types.Range(start=types.Position(line=6, character=11),
                                                              end=types.Position(line=6, character=16)))
    assert here.message.endswith("'count' is being compiled since it was called from 'main'")
    (there,) = here.related_information
    assert there.location.uri == uri_of(tmp_path / "helpers.py")
    assert there.location.range.start.line == 4
    # Mending the callee (an unsaved buffer) clears the caller.
    helpers = open_doc(client, tmp_path / "helpers.py")
    await published(client, helpers, 1)
    mark = len(client.published)
    replace_all(client, helpers, 2, HELPERS.replace("-> int:\n    return 3", "-> str:\n    return 'a'"))
    assert await next_publish(client, caller, mark) == []


async def test_a_src_layout_package(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"src/pkg/__init__.py": "", "src/pkg/helpers.py": HELPERS,
                     "src/pkg/caller.py": CALLER.format(module="pkg.helpers")})
    await start(client, tmp_path)
    caller = open_doc(client, tmp_path / "src" / "pkg" / "caller.py")
    assert messages(await published(client, caller, 1)) == [INT_FOR_STR]


async def test_a_callee_in_another_workspace_folder(client: LanguageClient, tmp_path: Path) -> None:
    app, lib = tmp_path / "app", tmp_path / "lib"
    write(tmp_path, {"lib/helpers.py": HELPERS, "app/caller.py": CALLER.format(module="helpers")})
    await start(client, tmp_path, folders=[app, lib])
    assert messages(await published(client, open_doc(client, app / "caller.py"), 1)) == [INT_FOR_STR]


async def test_a_folder_added_later_is_searched(client: LanguageClient, tmp_path: Path) -> None:
    app, lib = tmp_path / "app", tmp_path / "lib"
    write(tmp_path, {"lib/helpers.py": HELPERS, "app/caller.py": CALLER.format(module="helpers")})
    await start(client, app)
    caller = open_doc(client, app / "caller.py")
    assert messages(await published(client, caller, 1)) != [INT_FOR_STR]   # helpers is nowhere to be read
    mark = len(client.published)
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        event=types.WorkspaceFoldersChangeEvent(added=[types.WorkspaceFolder(uri=uri_of(lib), name="lib")],
                                                removed=[])))
    assert messages(await next_publish(client, caller, mark)) == [INT_FOR_STR]
