"""Random editing sessions against the real server, and the invariants they must keep.

One :class:`ServerFuzzer` drives one server process through many *paths*: a
document opened from a seed text, then random edits interleaved with hovers,
code actions and pull diagnostics at random positions, sent as an editor sends
them (requests are not awaited before the next edit). After each path:

* every request was answered (within a generous deadline), none with an internal error;
* every range the server sent (published and pulled diagnostics, hover ranges,
  code-action edits) lies inside the document it was about, in UTF-16 units;
* the final text, closed and opened afresh, gives the same diagnostics as the
  edit path that led to it;
* the server printed no traceback and is still running.

Violations are collected in :attr:`ServerFuzzer.problems` (the caller fails on them).
"""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fuzz_rpc import INTERNAL_ERROR, RpcClient, Unanswered
from fuzz_text import in_document, random_edit, random_position

#: Generous, because the machine may be busy: an answer is *missing*, not slow, past it.
DEADLINE = 180.0
#: Answers an editor expects now and then; anything else is a problem.
ACCEPTED_ERRORS = {-32800, -32801}   # RequestCancelled, ContentModified


@dataclass
class Tally:
    paths: int = 0
    edits: int = 0
    hovers: int = 0
    code_actions: int = 0
    pulls: int = 0
    unanswered: int = 0
    crashes: int = 0
    _tracebacks_counted: int = 0   # of the server's stderr, already in ``crashes``

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}


@dataclass
class _Document:
    uri: str
    version: int
    text: str
    texts: dict[int, str] = field(default_factory=dict)   # the recent versions, for ranges sent late

    def record(self) -> None:
        self.texts[self.version] = self.text
        for old in [v for v in self.texts if v < self.version - 400]:
            del self.texts[old]


class ServerFuzzer:
    def __init__(self, client: RpcClient, root: Path, pull: bool = False) -> None:
        self.client = client
        self.pull = pull   # diagnostics pulled (textDocument/diagnostic), not pushed
        self.root = root
        self.tally = Tally()
        self.problems: list[str] = []
        self.docs: dict[str, _Document] = {}
        self.published: dict[str, dict[int | None, list[dict]]] = {}
        self._publish_event = asyncio.Event()
        client.on_notification = self._notification

    @classmethod
    async def start(cls, root: Path, env: dict[str, str] | None = None,
                    options: dict[str, Any] | None = None, pull: bool = False) -> ServerFuzzer:
        client = await RpcClient.start(str(root), env)
        fuzzer = cls(client, root, pull)
        uri = root.as_uri()
        pulling = {"diagnostic": {"dynamicRegistration": False}} if pull else {}
        answer = await client.request("initialize", {
            "processId": None, "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": root.name}],
            "initializationOptions": options or {},
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                 "publishDiagnostics": {"versionSupport": True},
                                 "codeAction": {"codeActionLiteralSupport": {
                                     "codeActionKind": {"valueSet": ["quickfix"]}}},
                                 **pulling},
                "workspace": {"diagnostics": {"refreshSupport": pull}},
            }}, DEADLINE)
        encoding = answer.get("result", {}).get("capabilities", {}).get("positionEncoding", "utf-16")
        if encoding != "utf-16":
            fuzzer.problems.append(f"negotiated {encoding}, offered only utf-16")
        client.notify("initialized", {})
        return fuzzer

    async def stop(self) -> None:
        code = await self.client.stop()
        if code != 0:
            self.problems.append(f"the server ended with {code} after shutdown and exit")
        self._count_tracebacks()

    # --- one path ------------------------------------------------------------------------------

    async def path(self, rnd: random.Random, name: str, seed: str, steps: int) -> None:
        uri = (self.root / name).as_uri()
        doc = self.docs[uri] = _Document(uri, 1, seed)
        doc.record()
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": seed}})
        pending: list[asyncio.Task] = []
        for _ in range(steps):
            roll = rnd.random()
            if roll < 0.6:
                self._edit(rnd, doc)
            elif roll < 0.75:
                pending.append(self._spawn(self._hover(doc, random_position(rnd, doc.text))))
            elif roll < 0.85:
                pending.append(self._spawn(self._code_action(rnd, doc)))
            elif roll < 0.95:
                if self.pull:
                    pending.append(self._spawn(self._pull(doc)))
            else:                                   # the user stops typing and looks
                await self._diagnostics_of(doc.uri, doc.version)
        await asyncio.gather(*pending)
        await self._same_text_same_diagnostics(doc)
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        del self.docs[uri]
        self.published.pop(uri, None)
        self.tally.paths += 1
        self._count_tracebacks()
        if self.client.process.returncode is not None:
            self.problems.append(f"the server exited ({self.client.process.returncode}) during {name}")

    def _edit(self, rnd: random.Random, doc: _Document) -> None:
        edit = random_edit(rnd, doc.text)
        change = edit.lsp(doc.text)
        doc.text = edit.apply(doc.text)
        doc.version += 1
        doc.record()
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": [change]})
        self.tally.edits += 1

    def _spawn(self, coro: Any) -> asyncio.Task:
        return asyncio.ensure_future(coro)

    async def _ask(self, method: str, params: Any) -> Any:
        try:
            response = await self.client.request(method, params, DEADLINE)
        except Unanswered as e:
            self.tally.unanswered += 1
            self.problems.append(str(e))
            return None
        error = response.get("error")
        if error is not None and error.get("code") not in ACCEPTED_ERRORS:
            if error.get("code") == INTERNAL_ERROR:
                self.tally.crashes += 1
            self.problems.append(f"{method} {json.dumps(params)[:300]} answered {error}")
        return response.get("result")

    async def _hover(self, doc: _Document, position: dict[str, int]) -> None:
        self.tally.hovers += 1
        since = doc.version
        result = await self._ask("textDocument/hover", {"textDocument": {"uri": doc.uri}, "position": position})
        if isinstance(result, dict) and "range" in result:
            self._check_range(doc, since, result["range"], "hover")

    async def _code_action(self, rnd: random.Random, doc: _Document) -> None:
        self.tally.code_actions += 1
        since = doc.version
        a, b = sorted([random_position(rnd, doc.text), random_position(rnd, doc.text)],
                      key=lambda p: (p["line"], p["character"]))
        latest = self.published.get(doc.uri, {})
        sent = latest[max(latest, key=lambda v: v or 0)] if latest and rnd.random() < 0.7 else []
        result = await self._ask("textDocument/codeAction", {
            "textDocument": {"uri": doc.uri}, "range": {"start": a, "end": b},
            "context": {"diagnostics": sent, "triggerKind": 1}})
        for action in result or []:
            for edit in ((action.get("edit") or {}).get("changes") or {}).get(doc.uri, []):
                self._check_range(doc, since, edit["range"], "code action edit")

    async def _pull(self, doc: _Document) -> list[dict] | None:
        self.tally.pulls += 1
        since = doc.version
        result = await self._ask("textDocument/diagnostic", {"textDocument": {"uri": doc.uri}})
        items = (result or {}).get("items")
        for d in items or []:
            self._check_range(doc, since, d["range"], "pulled diagnostic")
        return items

    def _check_range(self, doc: _Document, since: int, rng: dict, what: str) -> None:
        """Inside one of the versions current between the request and its answer."""
        candidates = [t for v, t in doc.texts.items() if v >= since]
        if not any(in_document(t, rng) for t in candidates):
            self.problems.append(f"{what} range {rng} outside {doc.uri} (versions {since}..{doc.version})")

    # --- diagnostics -----------------------------------------------------------------------------

    def _notification(self, method: str, params: Any) -> None:
        if method == "window/showMessage" and params.get("type") == 1:
            self.problems.append(f"error shown: {params.get('message')}")
        if method != "textDocument/publishDiagnostics":
            return
        uri, version = params["uri"], params.get("version")
        doc = self.docs.get(uri)
        if doc is not None:
            text = doc.texts.get(version) if version is not None else doc.text
            if text is None:
                self.problems.append(f"diagnostics published for {uri} at unknown version {version}")
            else:
                for d in params["diagnostics"]:
                    if not in_document(text, d["range"]):
                        self.problems.append(f"published range {d['range']} outside {uri} version {version}")
        self.published.setdefault(uri, {})[version] = params["diagnostics"]
        self._publish_event.set()

    async def _diagnostics_of(self, uri: str, version: int) -> list[dict] | None:
        if self.pull:   # the answer is for the current version: the server waits for it
            return await self._pull(self.docs[uri])
        async def wait() -> list[dict]:
            while version not in self.published.get(uri, {}):
                self._publish_event.clear()
                await self._publish_event.wait()
            return self.published[uri][version]
        try:
            return await asyncio.wait_for(wait(), DEADLINE)
        except asyncio.TimeoutError:
            self.tally.unanswered += 1
            self.problems.append(f"no diagnostics for {uri} version {version} after {DEADLINE:.0f} s")
            return None

    async def _same_text_same_diagnostics(self, doc: _Document) -> None:
        edited = await self._diagnostics_of(doc.uri, doc.version)
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": doc.uri}})
        doc.version += 1
        doc.record()
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": doc.uri, "languageId": "python", "version": doc.version, "text": doc.text}})
        fresh = await self._diagnostics_of(doc.uri, doc.version)
        if edited is not None and fresh is not None and _canonical(edited) != _canonical(fresh):
            self.problems.append(f"{doc.uri}: the edited text gives {_canonical(edited)[:800]}, "
                                 f"opened afresh {_canonical(fresh)[:800]}; text {doc.text[:400]!r}")

    def _count_tracebacks(self) -> None:
        seen = self.client.tracebacks
        if seen > self.tally._tracebacks_counted:
            tail = "".join(self.client.stderr[-40:])
            self.problems.append(f"the server printed a traceback:\n{tail}")
            self.tally.crashes += seen - self.tally._tracebacks_counted
            self.tally._tracebacks_counted = seen


def _canonical(diagnostics: list[dict]) -> list[str]:
    return sorted(json.dumps(d, sort_keys=True, ensure_ascii=False) for d in diagnostics)
