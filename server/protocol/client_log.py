"""The server's log, sent to the client as ``window/logMessage``.

A client cannot tell the level of a line on the server's stderr: Neovim writes
every such line to ``lsp.log`` as ``[ERROR]``, VS Code prints it unlabelled,
eglot keeps it apart from its event log. ``window/logMessage`` carries the
level as the message's type, and each client shows it as such (VS Code's
output channel: ``[Info - 10:02:11]``; Neovim: ``lsp.log`` at that level).

Records go to the client between ``initialize`` and ``shutdown``. Before and
after (and for records logged while a message is being sent), they go to
stderr, and on stdio only from WARNING up, so that a client reading stderr
as errors sees only what deserves it. The ``logLevel`` setting still decides
which records are made at all (it sets the root logger's level).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import Any

from lsprotocol import types

_FORMAT = "%(name)s: %(message)s"   # the client adds the time and the level


def message_type(level: int) -> types.MessageType:
    if level >= logging.ERROR:
        return types.MessageType.Error
    if level >= logging.WARNING:
        return types.MessageType.Warning
    if level >= logging.INFO:
        return types.MessageType.Info
    return types.MessageType.Log


class ClientLogHandler(logging.Handler):
    """Sends records as ``window/logMessage`` while connected; else hands them to ``fallback``."""

    def __init__(self, server: Any, fallback: logging.Handler) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter(_FORMAT))
        self._server = server
        self._fallback = fallback
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._sending = threading.local()   # a record logged while sending one goes to the fallback

    def connect(self) -> None:
        """From here on, records go to the client (call on the server's event loop)."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()

    def disconnect(self) -> None:
        self._loop = None

    def emit(self, record: logging.LogRecord) -> None:
        loop = self._loop
        if loop is None or loop.is_closed() or getattr(self._sending, "active", False):
            if record.levelno >= self._fallback.level:
                self._fallback.handle(record)
            return
        params = types.LogMessageParams(type=message_type(record.levelno), message=self.format(record))
        if threading.get_ident() == self._loop_thread:
            self._send(params)
        else:   # the scheduler's and the worker reader's threads: writes belong to the loop
            loop.call_soon_threadsafe(self._send, params)

    def _send(self, params: types.LogMessageParams) -> None:
        self._sending.active = True
        try:
            self._server.window_log_message(params)
        except Exception:
            pass
        finally:
            self._sending.active = False


def route_logs_to_client(server: Any, *, stderr_level: int = logging.WARNING) -> ClientLogHandler | None:
    """Put a :class:`ClientLogHandler` in place of the root logger's stderr
    handler (``--log-file`` keeps its file: None then). Until ``connect``,
    stderr gets the records from ``stderr_level`` up."""
    root = logging.getLogger()
    for handler in root.handlers:
        if type(handler) is logging.StreamHandler and handler.stream is sys.stderr:
            handler.setLevel(stderr_level)
            client = ClientLogHandler(server, handler)
            root.removeHandler(handler)
            root.addHandler(client)
            return client
    return None
