"""workspace/executeCommand pyjit.showGraph: the graph text of a compiled function."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lsp_harness import open_doc, published, start, write
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

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
    assert "aten::add" in text
    assert "aten::relu" in text
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


FAILING = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def g(x: torch.Tensor) -> torch.Tensor:
        y = x + 1
        return y.no_such_method()
""")


async def test_a_function_that_does_not_compile_says_why(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"failing.py": FAILING})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "failing.py")
    await published(client, uri, version=1)
    assert await show_graph(client, uri, {"line": 5, "character": 4}) == (
        "# 'g' does not compile, so it has no graph:\n"
        "# line 7: 'Tensor' object has no attribute or method 'no_such_method'. (PJ210)\n")
    assert await show_graph(client, uri, {"line": 0, "character": 0}) is None   # outside any function


async def test_a_function_that_does_not_compile_says_why_wherever_it_is_asked(client: LanguageClient,
                                                                            tmp_path: Path) -> None:
    """By position, by name in its file, or by name alone: the reason comes as comment lines in
    place of the graph, where every client shows the answer; a null says only that nothing is
    compiled there."""
    source = SOURCE + "\n\n@torch.jit.script\ndef bad(x: int) -> int:\n    return x.foo\n"
    write(tmp_path, {"model.py": source})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "model.py")
    await published(client, uri, version=1)
    for arguments in ([uri, {"line": 20, "character": 4}], [uri, "bad"], ["bad"]):
        answer = await show_graph(client, *arguments)
        assert answer == ("# 'bad' does not compile, so it has no graph:\n"
                          "# line 21: 'int' object has no attribute or method 'foo'. (PJ210)\n"), arguments
    assert await show_graph(client, "g") is not None
