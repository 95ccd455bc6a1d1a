"""The ``client`` fixture: pytest-lsp's client connected to ``python -m pyjit_server``."""

from __future__ import annotations

import pytest_lsp
from lsp_harness import SERVER_COMMAND, make_client
from pytest_lsp import ClientServerConfig, LanguageClient


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client))
async def client(lsp_client: LanguageClient):
    yield
    if lsp_client.capabilities is not None:
        await lsp_client.shutdown_session()
