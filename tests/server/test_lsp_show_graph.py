"""workspace/executeCommand pyjit.showGraph: the graph text of a compiled function."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from lsp_harness import open_doc, published, start, write
from pyjit_core.config import Config
from pyjit_core.session import Session

SOURCE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor, n: int) -> torch.Tensor:
        y = x + n
        return torch.relu(y)


    @torch.jit.script
    def g(x: torch.Tensor) -> torch.Tensor:
        return f(x, 2) * 3


    def plain(x):
        return x
""")


def expected(path: Path, name: str) -> str:
    session = Session()
    result = session.check(str(path), SOURCE, config=Config(search_paths=(str(path.parent),)))
    return session.graph(result, name=f"__torch__.model.{name}").text


async def show_graph(client: LanguageClient, *arguments) -> str | None:
    return await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="pyjit.showGraph", arguments=list(arguments)))


@pytest.fixture
async def uri(client: LanguageClient, tmp_path: Path) -> str:
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "model.py")
    await published(client, uri, version=1)
    return uri


async def test_by_position(client: LanguageClient, tmp_path: Path, uri: str) -> None:
    text = await show_graph(client, uri, {"line": 5, "character": 4})
    assert text == expected(tmp_path / "model.py", "f")
    assert "aten::add" in text and "aten::relu" in text
    assert await show_graph(client, {"uri": uri, "position": {"line": 11, "character": 8}}) == \
        expected(tmp_path / "model.py", "g")


@pytest.mark.parametrize("name", ["g", "__torch__.model.g"])
async def test_by_name(client: LanguageClient, tmp_path: Path, uri: str, name: str) -> None:
    assert await show_graph(client, name) == expected(tmp_path / "model.py", "g")
    assert await show_graph(client, uri, name) == expected(tmp_path / "model.py", "g")


async def test_nothing_outside_compiled_code(client: LanguageClient, uri: str) -> None:
    assert await show_graph(client, uri, {"line": 15, "character": 4}) is None
    assert await show_graph(client, "plain") is None


async def test_bad_arguments_are_an_error_not_a_crash(client: LanguageClient, uri: str) -> None:
    with pytest.raises(JsonRpcException):
        await show_graph(client, 1, 2, 3)
    assert await show_graph(client, "g") is not None   # still serving


async def test_a_function_that_does_not_compile_is_an_error_saying_why(client: LanguageClient, tmp_path: Path) -> None:
    """RequestFailed, with the reason and each error: Neovim (vim.notify), Emacs (the echo
    area) and VS Code (the extension's message) show the error's text; a null says only
    that nothing is compiled there."""
    source = SOURCE + "\n\n@torch.jit.script\ndef bad(x: int) -> int:\n    return x.foo\n"
    write(tmp_path, {"model.py": source})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "model.py")
    await published(client, uri, version=1)
    for arguments in ([uri, {"line": 20, "character": 4}], [uri, "bad"], ["bad"]):
        with pytest.raises(JsonRpcException) as raised:
            await show_graph(client, *arguments)
        assert raised.value.code == -32803, arguments
        assert "'bad' does not compile" in raised.value.message
        assert "model.py:21:12: PJ210" in raised.value.message
    assert await show_graph(client, "g") is not None
