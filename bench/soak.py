"""Memory over a long editing session: 10,000 edits, and the server's and worker's RSS every 500.

    nice -n 19 python bench/soak.py                     # the three scenarios, 10,000 edits each
    python bench/soak.py --edits 2000 --only functional-back-to-back

Drives the real server (``python -m pyjit_server``) over stdio, as an editor
would, with edits typed one character at a time (an expression typed at the end of a
line added to a function body, then deleted again, so the text stays the same size):

* **functional-back-to-back** -- torch's ``nn/functional.py`` (found from this
  interpreter's torch) with ``roots = "all"``, edits 0-100 ms apart: most
  analyses are dropped because the text moved on (what once leaked);
* **functional-with-pauses** -- the same, but every 100 edits the editor waits
  for that version's diagnostics and is still for a second;
* **workspace-50-files** -- 50 generated modules importing one another
  (``bench/check_tree.py``'s), all open, edits 0-100 ms apart spread across
  them, waiting for diagnostics every 100 edits.

Every 500 edits it reads ``VmRSS`` of the server and of its children (the
analysis worker) from ``/proc`` (Linux only). The verdict: RSS after the last
edit within 25 % of RSS after 1,000, for each process. A benchmark to run by
hand, never a test; results go into ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import importlib.util
import json
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "fuzz"))
sys.path.insert(0, str(REPO / "bench"))

from check_tree import write_tree  # noqa: E402
from fuzz_rpc import RpcClient  # noqa: E402

DEADLINE = 600.0
LINE = "_soak = 0"
#: Typed at the end of LINE, key by key: most of the texts on the way are valid Python.
STATEMENT = " + input * 2.0 + 1"


@dataclass
class Sample:
    edits: int
    server_mb: float
    worker_mb: float
    worker_pids: list[int]


@dataclass
class Scenario:
    name: str
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0
    restarts_seen: int = 0

    def growth(self, attr: str) -> float | None:
        base = next((s for s in self.samples if s.edits == 1000), None)
        if base is None or not self.samples:
            return None
        return getattr(self.samples[-1], attr) / getattr(base, attr) - 1


def rss_mb(pid: int) -> float:
    try:
        m = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0.0
    return int(m.group(1)) / 1024 if m else 0.0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def functional_py() -> Path:
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("torch is not installed in this interpreter (pip install torch==2.13.0)")
    return Path(next(iter(spec.submodule_search_locations))) / "nn" / "functional.py"


class Editor:
    """Open documents, each typed into at the end of a line added to a function body.

    The expression is typed and deleted on that line only, so positions come from the
    line and the column alone (the client does no work proportional to the file)."""

    def __init__(self, client: RpcClient) -> None:
        self.client = client
        self.versions: dict[str, int] = {}
        self.spots: dict[str, tuple[int, int]] = {}   # (line, column) where the statement is typed
        self.typed: dict[str, int] = {}               # keys pressed so far
        self.published: dict[str, int | None] = {}
        self.arrived = asyncio.Event()
        client.on_notification = self._notification

    def _notification(self, method: str, params: dict) -> None:
        if method == "textDocument/publishDiagnostics":
            self.published[params["uri"]] = params.get("version")
            self.arrived.set()

    def open(self, uri: str, text: str) -> None:
        self.versions[uri], self.typed[uri] = 1, 0
        text, self.spots[uri] = with_a_line_to_type_on(text)
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}})

    def edit(self, uri: str) -> None:
        """One key: the next character of the statement, or, once it is all there, a backspace."""
        (line, col), typed = self.spots[uri], self.typed[uri]
        cycle = typed % (2 * len(STATEMENT))
        if cycle < len(STATEMENT):
            start, end, new = col + cycle, col + cycle, STATEMENT[cycle]
        else:
            start = col + 2 * len(STATEMENT) - cycle - 1
            end, new = start + 1, ""
        change = {"range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}},
                  "text": new}
        self.typed[uri] = typed + 1
        self.versions[uri] += 1
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": self.versions[uri]}, "contentChanges": [change]})

    async def diagnostics(self, uri: str) -> None:
        """Until the current version of ``uri`` is published."""
        async def wait() -> None:
            while self.published.get(uri) != self.versions[uri]:
                self.arrived.clear()
                await self.arrived.wait()
        await asyncio.wait_for(wait(), DEADLINE)


def with_a_line_to_type_on(text: str) -> tuple[str, tuple[int, int]]:
    """``text`` with ``_soak = 0`` added before the first statement of the first function with
    one (after its docstring), and the position at that line's end, where typing happens."""
    lines = text.splitlines(keepends=True)
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            if body:
                line, col = body[0].lineno - 1, body[0].col_offset
                lines.insert(line, " " * col + LINE + "\n")
                return "".join(lines), (line, col + len(LINE))
    raise ValueError("no function with a statement to type before")


async def run_scenario(name: str, edits: int, seed: int) -> Scenario:
    scenario = Scenario(name)
    rnd = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="pyjit-soak-") as tmp:
        root = Path(tmp)
        if name.startswith("functional"):
            path = root / "functional.py"
            path.write_text(functional_py().read_text(encoding="utf-8"), encoding="utf-8")
            files, options = [path], {"roots": "all"}
        else:
            write_tree(root, 50)
            files, options = sorted(root.glob("tree/part*/m*.py")), {}
        client = await RpcClient.start(str(root))
        editor = Editor(client)
        await client.request("initialize", {
            "processId": None, "rootUri": root.as_uri(), "initializationOptions": options,
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                             "textDocument": {"publishDiagnostics": {"versionSupport": True}}}}, DEADLINE)
        client.notify("initialized", {})
        uris = [f.as_uri() for f in files]
        for f, uri in zip(files, uris, strict=True):
            editor.open(uri, f.read_text(encoding="utf-8"))
        for uri in uris:
            await editor.diagnostics(uri)
        server_pid = client.process.pid
        started = time.perf_counter()
        workers_seen: set[int] = set()
        for i in range(1, edits + 1):
            uri = uris[0] if len(uris) == 1 else rnd.choice(uris)
            editor.edit(uri)
            await client.process.stdin.drain()
            await asyncio.sleep(rnd.uniform(0.0, 0.1))
            if (name != "functional-back-to-back" and i % 100 == 0) or i == edits:
                for u in uris:
                    await editor.diagnostics(u)
                if name == "functional-with-pauses":
                    await asyncio.sleep(1.0)
            if i % 500 == 0:
                pids = children(server_pid)
                workers_seen.update(pids)
                sample = Sample(i, rss_mb(server_pid), sum(rss_mb(p) for p in pids), pids)
                scenario.samples.append(sample)
                print(f"{name}: {i} edits, server {sample.server_mb:.0f} MB, worker {sample.worker_mb:.0f} MB "
                      f"(pids {pids}), {time.perf_counter() - started:.0f} s", flush=True)
        scenario.seconds = time.perf_counter() - started
        scenario.restarts_seen = max(0, len(workers_seen) - 1)
        await client.stop()
    return scenario


def table(scenarios: list[Scenario]) -> str:
    out = ["| scenario | server MB at 1,000 / last | growth | worker MB at 1,000 / last | growth "
           "| worker restarts | minutes |",
           "|---|---|---|---|---|---|---|"]
    for s in scenarios:
        base = next((x for x in s.samples if x.edits == 1000), None)
        last = s.samples[-1] if s.samples else None
        if base is None or last is None:
            continue
        out.append(f"| {s.name} | {base.server_mb:.0f} / {last.server_mb:.0f} | {s.growth('server_mb'):+.0%} "
                   f"| {base.worker_mb:.0f} / {last.worker_mb:.0f} | {s.growth('worker_mb'):+.0%} "
                   f"| {s.restarts_seen} | {s.seconds / 60:.1f} |")
    return "\n".join(out)


SCENARIOS = ["functional-back-to-back", "functional-with-pauses", "workspace-50-files"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--only", choices=SCENARIOS, action="append")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write every sample here")
    args = parser.parse_args(argv)
    scenarios = [asyncio.run(run_scenario(name, args.edits, args.seed)) for name in args.only or SCENARIOS]
    print(table(scenarios))
    if args.json:
        args.json.write_text(json.dumps([{"name": s.name, "seconds": s.seconds, "samples": [vars(x) for x in s.samples]}
                                         for s in scenarios], indent=1), encoding="utf-8")
    grew = [s.name for s in scenarios for attr in ("server_mb", "worker_mb")
            if (g := s.growth(attr)) is not None and g > 0.25]
    print("growth over 25 %: " + (", ".join(grew) if grew else "none"))
    return 1 if grew else 0


if __name__ == "__main__":
    sys.exit(main())
