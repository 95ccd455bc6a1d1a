"""A raw JSON-RPC client for the language server, counting what the fuzzer needs.

pytest-lsp's client hides what the fuzzer checks (an answer that never comes,
an internal error, a traceback on stderr), so this one speaks the framing
itself: every request is remembered until answered, every server-to-client
request is answered, stderr is kept.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SERVER_COMMAND = [sys.executable, "-m", "pyjit_server"]
INTERNAL_ERROR = -32603


@dataclass
class Counts:
    requests: int = 0
    answered: int = 0
    errors: dict[int, int] = field(default_factory=dict)   # error code -> how many answers had it
    notifications: int = 0

    def add(self, other: Counts) -> None:
        self.requests += other.requests
        self.answered += other.answered
        self.notifications += other.notifications
        for code, n in other.errors.items():
            self.errors[code] = self.errors.get(code, 0) + n


class Unanswered(Exception):
    """A request the server did not answer within the deadline."""


class RpcClient:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.counts = Counts()
        self.stderr: list[str] = []
        self.on_notification: Callable[[str, Any], None] = lambda method, params: None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._reader = asyncio.ensure_future(self._read())
        self._stderr_reader = asyncio.ensure_future(self._drain_stderr())

    @classmethod
    async def start(cls, cwd: str, env: dict[str, str] | None = None) -> RpcClient:
        process = await asyncio.create_subprocess_exec(
            *SERVER_COMMAND, cwd=cwd, env={**os.environ, **(env or {})},
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            limit=2**26)
        return cls(process)

    # --- sending -------------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> None:
        self.counts.notifications += 1
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params: Any, deadline: float) -> dict[str, Any]:
        """The whole response message (``result`` or ``error``); :class:`Unanswered` past ``deadline``."""
        msg_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        self.counts.requests += 1
        self._send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        try:
            response = await asyncio.wait_for(asyncio.shield(future), deadline)
        except asyncio.TimeoutError:
            raise Unanswered(f"{method} (id {msg_id}) unanswered after {deadline:.0f} s") from None
        finally:
            self._pending.pop(msg_id, None)
        self.counts.answered += 1
        if "error" in response:
            code = response["error"].get("code")
            self.counts.errors[code] = self.counts.errors.get(code, 0) + 1
        return response

    # --- receiving -----------------------------------------------------------------------------

    async def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = None
            while True:
                line = await stdout.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length is None:
                continue
            message = json.loads(await stdout.readexactly(length))
            self._dispatch(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:     # the server asks: answer as a plain client would
            answer = _answer(message["method"], message.get("params"))
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": answer})
        elif "method" in message:
            self.on_notification(message["method"], message.get("params"))
        else:
            future = self._pending.get(message.get("id"))
            if future is not None and not future.done():
                future.set_result(message)

    async def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        async for line in self.process.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))
            del self.stderr[:-2000]   # keep the tail: a traceback is counted as it passes
            if "Traceback (most recent call last)" in self.stderr[-1]:
                self.tracebacks += 1

    tracebacks = 0

    async def stop(self, deadline: float = 30.0) -> int | None:
        """shutdown, exit, and the exit code (None when it had to be killed)."""
        try:
            if self.process.returncode is None:
                await self.request("shutdown", None, deadline)
                self.notify("exit", None)
                await self.process.stdin.drain()
            return await asyncio.wait_for(self.process.wait(), deadline)
        except (Unanswered, asyncio.TimeoutError, ConnectionError):
            self.process.kill()
            await self.process.wait()
            return None
        finally:
            self._reader.cancel()
            await asyncio.gather(self._stderr_reader, return_exceptions=True)


def _answer(method: str, params: Any) -> Any:
    if method == "workspace/configuration":
        return [None for _ in (params or {}).get("items", [])]
    return None
