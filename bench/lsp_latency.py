"""Editor-facing latency of the language server, measured through a real LSP client.

    python bench/lsp_latency.py                                  # pyjit only
    python bench/lsp_latency.py --jedi /path/to/jedi-language-server
    python bench/lsp_latency.py --file other.py --hovers 200 --edits 40 --markdown

Drives the real server process over stdio with pygls' client, on the installed
torch's ``torch/nn/functional.py`` (7.3k lines) with ``roots = "all"`` (every
top-level function is compiled, as that setting does in an editor), and
measures what a user waits for:

* **initialize** -- from spawning the process to the ``initialize`` answer
  (Python start-up and imports included; pyjit answers before importing
  pygls, see ``server/protocol/handshake.py``); ``-X importtime`` of the server's
  modules says where the rest of start-up goes;
* **first diagnostics** -- ``didOpen`` (sent as soon as ``initialize`` is
  answered) to the first ``publishDiagnostics``: for pyjit this includes
  the rest of its start-up (importing pygls), as the document waits for it;
* **hover** -- round trips at the call/operator tokens of compiled functions,
  after the file is checked (the first one, which may wait for the hover
  index, is reported apart); p50/p95/max;
* **didChange -> diagnostics** -- an edit inside a function body (a statement
  added, then removed), to the ``publishDiagnostics`` of that version,
  including the server's debounce; p50/p95/max; twice: edits sent back to
  back (each as soon as the previous one's diagnostics arrive: the worst
  case, the server's housekeeping is still running) and edits after the
  editor was still for ``--pause`` seconds (typing, then a look);
* **peak RSS** of the server process and the processes it started (pyjit's
  analysis worker): the sum of their ``VmHWM``, read before shutdown.

The same driver, file, positions and edits run against jedi-language-server
when ``--jedi`` names its executable (install it apart, e.g. ``python -m venv
/tmp/jls && /tmp/jls/bin/pip install jedi-language-server``). pyjit's own log
lines ("checked ... in N ms", "indexed ... in N ms") are collected to show
where the time goes. A benchmark to run by hand, never a test.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import importlib.util
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient

REPO = Path(__file__).resolve().parents[1]


def functional_py() -> Path:
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("torch is not installed in this interpreter: pass --file")
    return Path(next(iter(spec.submodule_search_locations))) / "nn" / "functional.py"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


# --- what to do to the file ----------------------------------------------------------------------

def hover_positions(source: str, count: int) -> list[types.Position]:
    """The last name of callees (``relu`` in ``torch.relu(x)``) and binary operators
    inside top-level functions, spread evenly over the file (UTF-16 columns)."""
    tree = ast.parse(source)
    lines = source.split("\n")
    found: list[tuple[int, int]] = []
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        for node in ast.walk(fn):
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Attribute) and func.end_lineno == func.lineno:
                line = func.end_lineno - 1
                found.append((line, _utf16(lines[line], _char_col(lines[line], func.end_col_offset)) - len(func.attr)))
    step = max(1, len(found) // count)
    return [types.Position(line=line, character=col) for line, col in found[::step][:count]]


def _char_col(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))


def _utf16(line: str, col: int) -> int:
    return len(line[:col].encode("utf-16-le")) // 2


@dataclass(frozen=True)
class EditSpot:
    line: int          # 0-based line before which a statement is inserted
    indent: str


def edit_spot(source: str) -> EditSpot:
    """The first statement of the top-level function nearest the middle of the file."""
    tree = ast.parse(source)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and len(n.body) > 1
                 and not isinstance(n.body[0], ast.Expr)]
    middle = len(source.split("\n")) // 2
    fn = min(functions, key=lambda f: abs(f.lineno - middle))
    first = fn.body[0]
    return EditSpot(first.lineno - 1, " " * first.col_offset)


# --- the client ---------------------------------------------------------------------------------

@dataclass
class Run:
    name: str
    spawn_to_initialize: float = 0.0
    first_diagnostics: float = 0.0
    first_diagnostics_count: int = 0
    first_hover: float = 0.0
    hovers: list[float] = field(default_factory=list)
    hover_answers: int = 0
    changes: list[float] = field(default_factory=list)
    changes_after_pause: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    rss_parts: list[float] = field(default_factory=list)   # the server, then each process it started
    log: list[str] = field(default_factory=list)


class Client(BaseLanguageClient):
    def __init__(self) -> None:
        super().__init__("lsp-latency", "1")
        self.publishes: list[tuple[float, types.PublishDiagnosticsParams]] = []
        self.arrived = asyncio.Event()
        self.settings: dict = {}

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _publish(params: types.PublishDiagnosticsParams) -> None:
            self.publishes.append((time.perf_counter(), params))
            self.arrived.set()

        @self.feature(types.WORKSPACE_CONFIGURATION)
        def _configuration(params: types.ConfigurationParams):
            return [self.settings if item.section == "pyjit" else None for item in params.items]

        @self.feature(types.CLIENT_REGISTER_CAPABILITY)
        def _register(params: types.RegistrationParams) -> None:
            return None

        @self.feature(types.WINDOW_SHOW_MESSAGE)
        def _message(params: types.ShowMessageParams) -> None:
            print(f"  [server says] {params.message}", file=sys.stderr)

        @self.feature(types.WINDOW_LOG_MESSAGE)
        def _log(params: types.LogMessageParams) -> None:
            pass

    async def publish_for(self, uri: str, version: int | None,
                          after: int) -> tuple[float, types.PublishDiagnosticsParams]:
        """The first publish for ``uri`` (at ``version``, unless None) among those after index ``after``."""
        while True:
            for at, params in self.publishes[after:]:
                if params.uri == uri and (version is None or params.version == version):
                    return at, params
            self.arrived.clear()
            await self.arrived.wait()


def peak_rss_mb(pid: int) -> tuple[float, list[float]]:
    """The peak resident memory (``VmHWM``) of the server and of each process it
    started (pyjit's analysis worker): (their sum, each one). The sum of the
    peaks bounds the peak of the sum from above."""
    def one(p: int) -> float:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            return float("nan")
        m = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(m.group(1)) / 1024 if m else float("nan")

    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    parts = [one(pid)] + [one(c) for c in children]
    return sum(parts), parts


async def drain(stream: asyncio.StreamReader, into: list[str]) -> None:
    while line := await stream.readline():
        into.append(line.decode("utf-8", "replace").rstrip())


async def measure(name: str, command: list[str], path: Path, *, hovers: int, edits: int, settings: dict,
                  deadline: float, pause: float) -> Run:
    run = Run(name)
    source = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    client = Client()
    client.settings = settings
    caps = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            synchronization=types.TextDocumentSyncClientCapabilities(did_save=True)),
        workspace=types.WorkspaceClientCapabilities(configuration=True, workspace_folders=True))
    started = time.perf_counter()
    await client.start_io(*command)
    pid = client._server.pid
    stderr_task = asyncio.create_task(drain(client._server.stderr, run.log))
    try:
        await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            capabilities=caps, process_id=os.getpid(), root_uri=path.parent.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=path.parent.as_uri(), name=path.parent.name)],
            initialization_options=settings)), deadline)
        run.spawn_to_initialize = time.perf_counter() - started
        client.initialized(types.InitializedParams())

        opened = time.perf_counter()
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="python", version=1, text=source)))
        at, params = await asyncio.wait_for(client.publish_for(uri, None, 0), deadline)
        run.first_diagnostics, run.first_diagnostics_count = at - opened, len(params.diagnostics)

        for i, position in enumerate(hover_positions(source, hovers + 1)):
            sent = time.perf_counter()
            answer = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=position)), deadline)
            took = time.perf_counter() - sent
            if i == 0:
                run.first_hover = took
            else:
                run.hovers.append(took)
            run.hover_answers += answer is not None

        spot = edit_spot(source)
        statement = f"{spot.indent}_pyjit_bench = 0\n"
        inserted = types.Range(start=types.Position(line=spot.line, character=0),
                               end=types.Position(line=spot.line, character=0))
        added = types.Range(start=types.Position(line=spot.line, character=0),
                            end=types.Position(line=spot.line + 1, character=0))
        for i in range(2 * edits):
            version = i + 2
            change = (types.TextDocumentContentChangePartial(range=inserted, text=statement) if i % 2 == 0
                      else types.TextDocumentContentChangePartial(range=added, text=""))
            if i >= edits:
                await asyncio.sleep(pause)    # the editor is still; the server may tidy up
            mark = len(client.publishes)
            sent = time.perf_counter()
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change]))
            at, _ = await asyncio.wait_for(client.publish_for(uri, version, mark), deadline)
            (run.changes if i < edits else run.changes_after_pause).append(at - sent)

        run.peak_rss_mb, run.rss_parts = peak_rss_mb(pid)
        await asyncio.wait_for(client.shutdown_async(None), deadline)
        client.exit(None)
        await asyncio.wait_for(client.stop(), deadline)
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await asyncio.wait_for(stderr_task, deadline)
    return run


# --- report --------------------------------------------------------------------------------------

TARGETS = {"initialize": 250, "first diagnostics": 400, "hover p95": 15,
           "didChange→diagnostics p95, back to back": 120, "didChange→diagnostics p95, after a pause": 120,
           "peak RSS (MB)": 150}


def rows(run: Run) -> dict[str, str]:
    ms = lambda s: f"{s * 1000:.1f}"   # noqa: E731
    return {
        "initialize": f"{ms(run.spawn_to_initialize)}",
        "first diagnostics": f"{ms(run.first_diagnostics)} ({run.first_diagnostics_count} diagnostics)",
        "hover p95": (f"{ms(percentile(run.hovers, 95))} (p50 {ms(statistics.median(run.hovers))}, "
                      f"max {ms(max(run.hovers))}, first {ms(run.first_hover)}; "
                      f"{run.hover_answers}/{len(run.hovers) + 1} answered)"),
        "didChange→diagnostics p95, back to back": _spread(run.changes),
        "didChange→diagnostics p95, after a pause": _spread(run.changes_after_pause),
        "peak RSS (MB)": f"{run.peak_rss_mb:.0f}" + (
            f" ({' + '.join(f'{p:.0f}' for p in run.rss_parts)}: server + worker)" if len(run.rss_parts) > 1 else ""),
    }


def _spread(values: list[float]) -> str:
    return (f"{percentile(values, 95) * 1000:.1f} (p50 {statistics.median(values) * 1000:.1f}, "
            f"max {max(values) * 1000:.1f}; {len(values)} edits)")


def where_time_goes(run: Run) -> list[str]:
    checked = [float(m.group(1)) for line in run.log if (m := re.search(r"checked .* in (\d+) ms", line))]
    indexed = [float(m.group(1)) for line in run.log if (m := re.search(r"indexed .* in (\d+) ms", line))]
    out = []
    if checked:
        out.append(f"check_source per analysis: first {checked[0]:.0f} ms, then median "
                   f"{statistics.median(checked[1:] or checked):.0f} ms over {len(checked)} analyses")
    collected = [float(m.group(1)) for line in run.log if (m := re.search(r"collected \d+ objects in (\d+) ms", line))]
    if indexed:
        out.append(f"hover index: median {statistics.median(indexed):.0f} ms over {len(indexed)} builds "
                   f"(when idle, or at the first hover that finds none)")
    if collected:
        out.append(f"garbage collection: median {statistics.median(collected):.0f} ms over {len(collected)} "
                   f"(after publishing, when nothing newer waits)")
    return out


def import_times(python: str) -> str:
    """What importing the server costs, by package (``python -X importtime``)."""
    import subprocess

    run = subprocess.run([python, "-X", "importtime", "-c", "import pyjit_server.protocol.app"], capture_output=True,
                         text=True, cwd=REPO.parent)
    cumulative = {}
    for line in run.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            cumulative[m.group(3)] = int(m.group(1)) / 1000
    wanted = ["pyjit_server.protocol.app", "lsprotocol.types", "pygls.lsp.server",
              "pyjit_server.protocol.language_server"]
    return "imports (ms, cumulative): " + ", ".join(f"{k} {cumulative[k]:.0f}" for k in wanted if k in cumulative)


def byte_compile() -> None:
    """Byte-compile pyjit's packages, as installing its wheel does.

    A checkout run with ``PYTHONDONTWRITEBYTECODE`` set (as on CI machines)
    compiles every module from source at each start: ~120 ms more to import
    the analyses, which an installed server never pays.
    """
    import compileall

    for name in ("pyjit_core", "pyjit_server"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            for folder in spec.submodule_search_locations:
                compileall.compile_dir(folder, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--file", type=Path, default=None, help="default: the installed torch/nn/functional.py")
    parser.add_argument("--pyjit", nargs="+", default=[sys.executable, "-m", "pyjit_server"],
                        help="command starting pyjit's server (default: this Python -m pyjit_server)")
    parser.add_argument("--jedi", nargs="+", default=None, help="command starting jedi-language-server")
    parser.add_argument("--roots", default="all")
    parser.add_argument("--hovers", type=int, default=100)
    parser.add_argument("--edits", type=int, default=30, help="edits back to back, then as many after pauses")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds of stillness before each paused edit")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds to wait for any one answer")
    parser.add_argument("--markdown", action="store_true", help="print a table for docs/benchmarks.md")
    parser.add_argument("--no-compile", action="store_true",
                        help="leave pyjit's modules as they are (by default they are byte-compiled first)")
    args = parser.parse_args(argv)
    if not args.no_compile:
        byte_compile()
    path = (args.file or functional_py()).resolve()
    print(f"file: {path} ({len(path.read_text(encoding='utf-8').splitlines())} lines)", file=sys.stderr)

    runs = [asyncio.run(measure("pyjit", args.pyjit, path, hovers=args.hovers, edits=args.edits,
                                settings={"roots": args.roots}, deadline=args.deadline, pause=args.pause))]
    if args.jedi:
        runs.append(asyncio.run(measure("jedi-language-server", args.jedi, path, hovers=args.hovers,
                                        edits=args.edits, settings={}, deadline=args.deadline, pause=args.pause)))
    table = [rows(r) for r in runs]
    if args.markdown:
        print("| measure (ms unless noted) | target | " + " | ".join(r.name for r in runs) + " |")
        print("|---|---|" + "---|" * len(runs))
        for key in TARGETS:
            print(f"| {key} | ≤ {TARGETS[key]} | " + " | ".join(t[key] for t in table) + " |")
    else:
        for run, t in zip(runs, table, strict=False):
            print(f"\n{run.name}")
            for key, value in t.items():
                print(f"  {key:<28} {value}   (target ≤ {TARGETS[key]})")
    print()
    for line in where_time_goes(runs[0]):
        print(line)
    if args.pyjit[1:3] == ["-m", "pyjit_server"]:
        print(import_times(args.pyjit[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
