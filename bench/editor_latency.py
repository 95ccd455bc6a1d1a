"""Language-server latency with a client that behaves like an editor (issue 13).

    python bench/editor_latency.py                                   # pyjit, push and pull
    python bench/editor_latency.py --cache warm                      # a second start (result cache filled)
    python bench/editor_latency.py --jedi /tmp/jls/bin/jedi-language-server --markdown
    python bench/editor_latency.py --file .cache/torchvision-0.28.0/torchvision/models/resnet.py \\
        --workspace .cache/torchvision-0.28.0 --roots modules

``bench/lsp_latency.py`` sends no settings and edits one spot. Editors do
more, and this driver does what they do:

* **settings through every channel** -- in ``initializationOptions``, as the
  answer to the server's ``workspace/configuration`` request, and in a
  ``didChangeConfiguration`` sent right after ``initialized`` (VS Code and
  Neovim send all three, with the same values);
* **push and pull diagnostics** -- ``--modes push pull``: the push client
  waits for ``publishDiagnostics`` of the edited version; the pull client
  (capabilities for ``textDocument/diagnostic`` with refresh support, as VS
  Code) asks ``textDocument/diagnostic`` right after each change, as VS Code
  does, and times the answer;
* **edits of every kind**, each applied and then undone (the file is back
  as it was after each pair), at ``--edits`` spots spread over the file:

  - ``whitespace``: a space appended at the end of a logical line;
  - ``leaf``: a statement inserted in a function (or method) no other
    function of the file calls by name;
  - ``helper``: a statement inserted in the function of the file that the
    most other functions call;
  - ``docstring``: a word added to a function's docstring;
  - ``comment``: a comment line inserted in a function body;
  - ``new function``: a small top-level function inserted between two;
  - ``moved line``: the first statement of a function moved to the top of
    the next function's body (and back).

  An edit goes out 0.1 s after the previous one's diagnostics (``--pause``),
  as a single incremental change (the smallest range that differs);

* **hover during edits**: a hover at a call in a function or method sent right after each change,
  while its analysis runs, and one after its diagnostics arrive;
* **first diagnostics**: ``didOpen`` (sent when ``initialize`` is answered)
  to the first diagnostics, all settings traffic included;
* **first hover**: ``didOpen`` to the first hover answered with an op (a
  hover at a call, sent every 20 ms): the first analysis has ended. The
  edits start then. On a first start that is when the first diagnostics
  came; on a second start the cached diagnostics come long before, and an
  edit made before this point waits for the first analysis (so such edits
  are the first hover's figure, not the edits');
* **peak RSS** of the server and the processes it started (``VmHWM`` summed).

The same driver runs jedi-language-server (``--jedi``; install it apart:
``python3 -m venv /tmp/jls && /tmp/jls/bin/pip install jedi-language-server``)
in the same run, push mode only (it has no pull diagnostics), for ratios.
A benchmark to run by hand, never a test.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import io
import os
import sys
import tempfile
import time
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types

sys.path.insert(0, str(Path(__file__).resolve().parent))
import itertools

from lsp_latency import Client, byte_compile, drain, functional_py, peak_rss_mb, percentile

KINDS = ("whitespace", "leaf", "helper", "docstring", "comment", "new function", "moved line")

#: Acceptance targets of issue 13 (ms): functional.py with roots="all", then other files.
TARGETS = {"first": 300, "edit p95": 100, "helper p95": 250, "hover p95": 15, "rss": 150}
TARGETS_OTHER = {"first": 500, "edit p95": 150, "helper p95": 150, "hover p95": 15, "rss": 150}


# --- the edits ---------------------------------------------------------------------------------------

Edit = Callable[[list[str]], list[str]]   # lines (with their ends) -> new lines


def _spread(items: list, count: int) -> list:
    if not items or count < 1:
        return []
    step = max(1, len(items) // count)
    return items[step // 2::step][:count]


def _functions(tree: ast.Module) -> list[ast.FunctionDef]:
    """Top-level functions and the methods of top-level classes, in file order."""
    found = []
    for n in tree.body:
        if isinstance(n, ast.FunctionDef):
            found.append(n)
        elif isinstance(n, ast.ClassDef):
            found += [m for m in n.body if isinstance(m, ast.FunctionDef)]
    return found


def hover_spots(source: str, count: int) -> list[types.Position]:
    """The callee names (``relu`` in ``torch.relu(x)``) inside functions and methods,
    spread evenly over the file (UTF-16 columns)."""
    lines = source.split("\n")
    found = []
    for fn in _functions(ast.parse(source)):
        for node in ast.walk(fn):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.end_lineno == node.func.lineno:
                line = lines[node.func.end_lineno - 1]
                end = len(line.encode("utf-8")[:node.func.end_col_offset].decode("utf-8", "ignore"))
                start = end - len(node.func.attr)
                found.append(types.Position(line=node.func.end_lineno - 1,
                                            character=len(line[:start].encode("utf-16-le")) // 2))
    return _spread(found, count)


def _first_statement(fn: ast.FunctionDef) -> ast.stmt | None:
    """The first statement after the docstring, if it is on one line of its own
    and not the only one (moving it away leaves the function valid)."""
    body = fn.body[1:] if fn.body and _docstring(fn) is not None else fn.body
    if len(body) < 2 or body[0].lineno != body[0].end_lineno or fn.body[0].lineno == fn.lineno:
        return None
    return body[0]


def _docstring(fn: ast.FunctionDef) -> ast.Expr | None:
    first = fn.body[0] if fn.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first
    return None


def _callers(tree: ast.Module) -> dict[str, int]:
    """For each top-level function, how many other top-level functions name it."""
    names = {fn.name for fn in _functions(tree)}
    count = dict.fromkeys(names, 0)
    for fn in _functions(tree):
        used = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id in names and n.id != fn.name}
        for name in used:
            count[name] += 1
    return count


def _insert(at: int, text: str) -> Edit:
    return lambda lines: [*lines[:at], text, *lines[at:]]


def _remove(at: int) -> Edit:
    return lambda lines: lines[:at] + lines[at + 1:]


def edits_of(source: str, count: int) -> dict[str, list[tuple[Edit, Edit]]]:
    """For each kind, ``count`` (apply, undo) pairs at spots spread over the file."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    functions = _functions(tree)
    callers = _callers(tree)
    with_statement = [(fn, s) for fn in functions if (s := _first_statement(fn)) is not None]
    out: dict[str, list[tuple[Edit, Edit]]] = {}

    logical_ends = []   # 0-based lines where a logical line ends, inside a function
    inside = {line for fn in functions for line in range(fn.lineno, fn.end_lineno + 1)}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NEWLINE and tok.start[0] in inside and tok.string in ("\n", "\r\n"):
            logical_ends.append(tok.start[0] - 1)

    def trailing_space(i: int) -> tuple[Edit, Edit]:
        def add(ls: list[str]) -> list[str]:
            body = ls[i].rstrip("\r\n")
            return [*ls[:i], body + " " + ls[i][len(body):], *ls[i + 1:]]
        original = lines[i]
        return add, lambda ls: [*ls[:i], original, *ls[i + 1:]]
    out["whitespace"] = [trailing_space(i) for i in _spread(logical_ends, count)]

    def statement(fn: ast.FunctionDef, s: ast.stmt) -> tuple[Edit, Edit]:
        at = s.lineno - 1
        return _insert(at, " " * s.col_offset + "_pyjit_bench = 0\n"), _remove(at)
    leaves = [(fn, s) for fn, s in with_statement if callers.get(fn.name, 0) == 0]
    out["leaf"] = [statement(fn, s) for fn, s in _spread(leaves, count)]
    helpers = sorted(with_statement, key=lambda fs: -callers.get(fs[0].name, 0))
    out["helper"] = [statement(*helpers[0])] * count if helpers else []

    def docstring(d: ast.Expr) -> tuple[Edit, Edit]:
        i = d.lineno - 1
        quote = lines[i].find('"""') if '"""' in lines[i] else lines[i].find("'''")
        original = lines[i]
        return (lambda ls: [*ls[:i], original[:quote + 3] + "Bench. " + original[quote + 3:], *ls[i + 1:]],
                lambda ls: [*ls[:i], original, *ls[i + 1:]])
    documented = [d for fn in functions if (d := _docstring(fn)) is not None and d.lineno > fn.lineno
                  and ('"""' in lines[d.lineno - 1] or "'''" in lines[d.lineno - 1])]
    out["docstring"] = [docstring(d) for d in _spread(documented, count)]

    def comment(s: ast.stmt) -> tuple[Edit, Edit]:
        at = s.lineno - 1
        return _insert(at, " " * s.col_offset + "# a note while reading\n"), _remove(at)
    out["comment"] = [comment(s) for _, s in _spread(with_statement, count)]

    def new_function(fn: ast.FunctionDef | ast.ClassDef) -> tuple[Edit, Edit]:
        at = (fn.decorator_list[0].lineno if fn.decorator_list else fn.lineno) - 1
        text = "def _pyjit_bench_new(x: int) -> int:\n    return x + 1\n\n\n"
        return (lambda ls: ls[:at] + text.splitlines(keepends=True) + ls[at:],
                lambda ls: ls[:at] + ls[at + 4:])
    top = [n for n in tree.body[1:] if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    out["new function"] = [new_function(fn) for fn in _spread(top, count)]

    def moved(a: ast.stmt, b: ast.stmt) -> tuple[Edit, Edit]:
        i, j = a.lineno - 1, b.lineno - 1          # i < j
        line = lines[i].lstrip()
        there = " " * b.col_offset + line
        return (lambda ls: ls[:i] + ls[i + 1:j] + [there] + ls[j:],
                lambda ls: [*ls[:i], lines[i], *ls[i:j - 1], *ls[j:]])
    pairs = [(s, t) for (_, s), (_, t) in itertools.pairwise(with_statement)]
    out["moved line"] = [moved(a, b) for a, b in _spread(pairs, count)]
    return out


def change_between(old: str, new: str) -> types.TextDocumentContentChangePartial:
    """The smallest single-range change from ``old`` to ``new`` (whole lines; UTF-16 safe)."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line=start, character=0), end=types.Position(line=end_a, character=0)),
        text="".join(b[start:end_b]))


# --- the client --------------------------------------------------------------------------------------

@dataclass
class Run:
    name: str
    mode: str
    first: float = 0.0
    first_count: int = 0
    first_hover: float | None = None
    edits: dict[str, list[float]] = field(default_factory=dict)
    hovers: list[float] = field(default_factory=list)
    hover_answers: int = 0
    rss: float = 0.0
    rss_parts: list[float] = field(default_factory=list)
    log: list[str] = field(default_factory=list)


def capabilities(pull: bool) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            diagnostic=types.DiagnosticClientCapabilities(dynamic_registration=False) if pull else None,
            synchronization=types.TextDocumentSyncClientCapabilities(did_save=True)),
        workspace=types.WorkspaceClientCapabilities(
            configuration=True, workspace_folders=True,
            did_change_configuration=types.DidChangeConfigurationClientCapabilities(dynamic_registration=True),
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True) if pull else None))


async def measure(name: str, command: list[str], path: Path, workspace: Path, *, mode: str, count: int,
                  settings: dict, deadline: float, pause: float) -> Run:
    run = Run(name, mode)
    pull = mode == "pull"
    source = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    client = Client()
    client.settings = settings
    spots_of: dict[str, list[types.Position]] = {}   # hover spots of each text (valid in it)
    await client.start_io(*command)
    pid = client._server.pid
    stderr_task = asyncio.create_task(drain(client._server.stderr, run.log))
    pending_hovers: list[asyncio.Task] = []

    async def hover(text: str, i: int) -> None:
        if text not in spots_of:
            spots_of[text] = hover_spots(text, 40)
        at = spots_of[text][i % len(spots_of[text])]
        sent = time.perf_counter()
        try:
            answer = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=at)), deadline)
        except Exception as e:
            print(f"  [{name}: hover failed: {str(e)[:120]}]", file=sys.stderr)
            answer = None
        run.hovers.append(time.perf_counter() - sent)
        run.hover_answers += answer is not None

    async def first_hover(text: str, opened: float) -> float | None:
        """Seconds from ``opened`` to the first hover answered with something (None: none came)."""
        spots = spots_of.setdefault(text, hover_spots(text, 40))
        for at in itertools.islice(itertools.cycle(spots), int(deadline / 0.02)):
            answer = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=at)), deadline)
            if answer is not None:
                return time.perf_counter() - opened
            await asyncio.sleep(0.02)
        return None

    async def diagnostics(version: int, mark: int) -> int:
        """Diagnostics of ``version``: pushed, or pulled now; their number."""
        if pull:
            report = await asyncio.wait_for(client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=uri))), deadline)
            return len(getattr(report, "items", None) or [])
        _, params = await asyncio.wait_for(client.publish_for(uri, version, mark), deadline)
        return len(params.diagnostics)

    try:
        await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            capabilities=capabilities(pull), process_id=os.getpid(), root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name=workspace.name)],
            initialization_options=settings)), deadline)
        client.initialized(types.InitializedParams())
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"pyjit": settings}))
        opened = time.perf_counter()
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="python", version=1, text=source)))
        run.first_count = await diagnostics(1, 0)
        run.first = time.perf_counter() - opened
        run.first_hover = await first_hover(source, opened)

        text, version, h = source, 1, 0
        for kind, pairs in edits_of(source, count).items():
            run.edits[kind] = []
            for pair in pairs:
                for edit in pair:
                    await asyncio.sleep(pause)
                    new = "".join(edit(text.splitlines(keepends=True)))
                    change = change_between(text, new)
                    if new not in spots_of:
                        spots_of[new] = hover_spots(new, 40)
                    text, version = new, version + 1
                    mark = len(client.publishes)
                    sent = time.perf_counter()
                    client.text_document_did_change(types.DidChangeTextDocumentParams(
                        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                        content_changes=[change]))
                    pending_hovers.append(asyncio.create_task(hover(text, h)))
                    h += 1
                    await diagnostics(version, mark)
                    run.edits[kind].append(time.perf_counter() - sent)
                    await hover(text, h)
                    h += 1
            assert text == source, f"{kind}: the undo did not give the file back"
        await asyncio.gather(*pending_hovers)
        run.rss, run.rss_parts = peak_rss_mb(pid)
        await asyncio.wait_for(client.shutdown_async(None), deadline)
        client.exit(None)
        await asyncio.wait_for(client.stop(), deadline)
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await asyncio.wait_for(stderr_task, deadline)
    return run


# --- report ------------------------------------------------------------------------------------------

def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def spread(values: list[float]) -> str:
    if not values:
        return "--"
    return f"{ms(percentile(values, 50))} / {ms(percentile(values, 95))} / {ms(max(values))}"


def table(runs: list[Run], targets: dict[str, float]) -> list[str]:
    head = ["measure (ms: p50 / p95 / max)", "target"] + [f"{r.name} ({r.mode})" for r in runs]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def row(label: str, target: str, cells: list[str]) -> None:
        out.append("| " + " | ".join([label, target, *cells]) + " |")

    row("first diagnostics", f"≤ {targets['first']}", [f"{ms(r.first)} ({r.first_count} diagnostics)" for r in runs])
    row("first hover (edits start)", "", [ms(r.first_hover) if r.first_hover is not None else "none" for r in runs])
    for kind in KINDS:
        goal = targets["helper p95"] if kind == "helper" else targets["edit p95"]
        row(f"edit: {kind}", f"p95 ≤ {goal}", [spread(r.edits.get(kind, [])) for r in runs])
    every = [[t for k, v in r.edits.items() if k != "helper" for t in v] for r in runs]
    row("edit: all but helper", f"p95 ≤ {targets['edit p95']}", [spread(v) for v in every])
    row("hover during edits", f"p95 ≤ {targets['hover p95']}",
        [spread(r.hovers) + f" ({r.hover_answers}/{len(r.hovers)} answered)" for r in runs])
    row("peak RSS (MB)", f"≤ {targets['rss']}",
        [f"{r.rss:.0f} ({' + '.join(f'{p:.0f}' for p in r.rss_parts)})" for r in runs])
    return out


def ratios(runs: list[Run]) -> list[str]:
    jedi = next((r for r in runs if r.name != "pyjit"), None)
    if jedi is None:
        return []
    out = []
    for r in runs:
        if r is jedi:
            continue
        p95 = lambda run: percentile([t for v in run.edits.values() for t in v], 95)   # noqa: E731
        out.append(f"pyjit ({r.mode}) / {jedi.name}: first diagnostics {r.first / jedi.first:.2f}, "
                   f"edit p95 (all kinds) {p95(r) / p95(jedi):.2f}, hover p95 "
                   f"{percentile(r.hovers, 95) / percentile(jedi.hovers, 95):.2f}, peak RSS {r.rss / jedi.rss:.2f}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--file", type=Path, default=None, help="default: the installed torch/nn/functional.py")
    parser.add_argument("--workspace", type=Path, default=None, help="the workspace folder (default: the file's)")
    parser.add_argument("--pyjit", default=f"{sys.executable} -m pyjit_server", help="command (split on spaces)")
    parser.add_argument("--jedi", nargs="+", default=None, help="command starting jedi-language-server")
    parser.add_argument("--roots", default="all")
    parser.add_argument("--modes", nargs="+", default=["push", "pull"], choices=["push", "pull"])
    parser.add_argument("--edits", type=int, default=5, help="spots per edit kind (each edited, then undone)")
    parser.add_argument("--jedi-edits", type=int, default=2, help="spots per edit kind for jedi (its edits take ~1 s)")
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between diagnostics and the next edit")
    parser.add_argument("--deadline", type=float, default=120.0)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--no-compile", action="store_true", help="do not byte-compile pyjit first")
    parser.add_argument("--log", action="store_true", help="print the server's stderr")
    parser.add_argument("--debug-log", default=None, help="pyjit's debug log goes to this file (logLevel debug)")
    parser.add_argument("--cache", choices=["cold", "warm", "off"], default="cold",
                        help="pyjit's result cache: an empty one (a first start), one a first start filled "
                             "(a second start), or none (PYJIT_NO_CACHE=1)")
    args = parser.parse_args(argv)
    if not args.no_compile:
        byte_compile()
    path = (args.file or functional_py()).resolve()
    workspace = (args.workspace or path.parent).resolve()
    print(f"file: {path} ({len(path.read_text(encoding='utf-8').splitlines())} lines), roots={args.roots!r}",
          file=sys.stderr)
    settings = {"roots": args.roots}
    command = args.pyjit.split()
    if args.debug_log:
        settings["logLevel"] = "debug"
        command += ["--log-level", "debug", "--log-file", args.debug_log]
    runs = []
    for mode in args.modes:
        with result_cache(args.cache) as prime:
            if prime:   # a first start fills the cache; the one measured is the second
                asyncio.run(measure("pyjit", command, path, workspace, mode=mode, count=0, settings=settings,
                                    deadline=args.deadline, pause=args.pause))
            runs.append(asyncio.run(measure("pyjit", command, path, workspace, mode=mode, count=args.edits,
                                            settings=settings, deadline=args.deadline, pause=args.pause)))
    if args.jedi:
        runs.append(asyncio.run(measure("jedi-language-server", args.jedi, path, workspace, mode="push",
                                        count=args.jedi_edits, settings={}, deadline=args.deadline, pause=args.pause)))
    targets = TARGETS if path.name == "functional.py" and args.roots == "all" else TARGETS_OTHER
    print("\n".join(table(runs, targets)))
    for line in ratios(runs):
        print(line)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
          f"pyjit's result cache: {args.cache}")
    if args.log:
        for run in runs:
            print(f"\n--- {run.name} ({run.mode}) stderr ---")
            print("\n".join(run.log))
    return 0


@contextlib.contextmanager
def result_cache(state: str) -> Iterator[bool]:
    """The servers started inside see an empty result cache (``cold``), one to be filled
    by a first start (``warm``: yields True), or none (``off``)."""
    saved = {k: os.environ.get(k) for k in ("PYJIT_CACHE_DIR", "PYJIT_NO_CACHE")}
    with tempfile.TemporaryDirectory(prefix="pyjit-bench-cache-") as folder:
        os.environ["PYJIT_CACHE_DIR"] = folder
        os.environ["PYJIT_NO_CACHE"] = "1" if state == "off" else "0"
        try:
            yield state == "warm"
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


if __name__ == "__main__":
    sys.exit(main())
