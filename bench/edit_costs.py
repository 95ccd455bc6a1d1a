"""What each kind of edit costs the analysis worker, in CPU time (no LSP, no debounce).

    python bench/edit_costs.py                       # torch's functional.py, roots="all"
    python bench/edit_costs.py --file .cache/torchvision-0.28.0/torchvision/models/resnet.py \\
        --workspace .cache/torchvision-0.28.0 --roots modules

``bench/editor_latency.py`` measures what a client waits for, in wall time,
which on a shared machine is mostly what the other processes take. This
runs the worker's own code (:class:`pyjit_server.worker.analyses.Analyses`,
collection off as in the worker) in this process, on the same edits, and
reports the CPU time of each step an edit costs the worker: the analysis
(or the previous one moved, for an edit it does not read), the hover index
built from the previous one, and the garbage collection after it. The
server adds the round trip and conversion (~5-8 ms, see "Edit latency tail"
in docs/benchmarks.md), and its 25 ms debounce to a change that comes that
soon after the previous one.
A benchmark to run by hand, never a test.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from editor_latency import KINDS, edits_of
from lsp_latency import byte_compile, functional_py, percentile


def cpu(call) -> tuple[float, object]:
    started = time.process_time()
    value = call()
    return time.process_time() - started, value


class GilProbe:
    """What a hover waits for the GIL while the worker's analysis lane works.

    In the worker a hover is answered on the reading thread, which sleeps in
    a read until the request comes and then needs the GIL. This thread
    sleeps 2 ms at a time and records how late it wakes while ``step`` is
    set: the switch interval (0.5 ms, as in the worker) bounds the wait
    behind Python code, but a long C call (``ast.parse``, a garbage
    collection pass) holds the GIL to its end. The machine's own scheduling
    delay is in it too: ``idle`` is the same measured with the lane at rest.
    """

    def __init__(self) -> None:
        import threading

        sys.setswitchinterval(0.0005)
        self.step: str | None = None
        self.waits: dict[str, list[float]] = {}
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            step, started = self.step, time.perf_counter()
            time.sleep(0.002)
            late = time.perf_counter() - started - 0.002
            if step is not None and step == self.step:
                self.waits.setdefault(step, []).append(late)

    def during(self, step: str, call):
        self.step = step
        try:
            return call()
        finally:
            self.step = None

    def idle(self, seconds: float) -> None:
        self.step = "idle"
        time.sleep(seconds)
        self.step = None


def configured_worker(file: Path | None, workspace: Path | None, roots: str):
    """The worker's :class:`~pyjit_server.worker.analyses.Analyses`, told the workspace (default:
    the file's folder) and ``roots``; with the file (default: torch's ``functional.py``) and its text."""
    from pyjit_server.worker.analyses import Analyses
    from pyjit_server.worker.messages import EditorSettings

    path = (file or functional_py()).resolve()
    folder = (workspace or path.parent).resolve()
    worker = Analyses()
    worker.configure(EditorSettings({"workspaceFolders": [{"uri": folder.as_uri(), "name": folder.name}],
                                     "initializationOptions": {"roots": roots}}))
    return worker, path, path.read_text(encoding="utf-8")


def edited_texts(source: str, kinds, count: int):
    """``(kind, text)`` for each edit of ``kinds`` in turn (``count`` spots a kind, each edit then
    its undoing), the text after it: the edits ``bench/editor_latency.py`` makes, in its order."""
    from editor_latency import edits_of

    text = source
    edits = edits_of(source, count)
    for kind in kinds:
        for pair in edits[kind]:
            for edit in pair:
                text = "".join(edit(text.splitlines(keepends=True)))
                yield kind, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--roots", default="all")
    parser.add_argument("--edits", type=int, default=5, help="spots per edit kind (each edited, then undone)")
    parser.add_argument("--gil", action="store_true",
                        help="also measure how long a hover would wait for the GIL during each step")
    args = parser.parse_args(argv)
    byte_compile()
    from pyjit_server.worker.memory import Memory
    from pyjit_server.worker.messages import Job

    worker, path, source = configured_worker(args.file, args.workspace, args.roots)
    warm, _ = cpu(worker.warm_up)
    analysed: list[str] = []
    check = worker.session.check

    def counted(*a, **k):
        analysed.append(a[0])
        return check(*a, **k)

    worker.session.check = counted
    handle = 1
    first, _result = cpu(lambda: worker.analyse(Job(1, path.as_uri(), str(path), 1, source)))
    first_index, _ = cpu(lambda: worker.index(1))
    first_gc, _ = cpu(Memory.collect_now)
    print(f"{path.name} ({len(source.splitlines())} lines), roots={args.roots!r}: warm-up {warm * 1000:.0f} ms, "
          f"first analysis {first * 1000:.0f} ms, its hover index {first_index * 1000:.0f} ms, "
          f"collection {first_gc * 1000:.0f} ms (CPU)")
    probe = GilProbe() if args.gil else None
    if probe is not None:
        probe.idle(1.0)
    costs: dict[str, dict[str, list[float]]] = {}
    text = source
    for kind, pairs in edits_of(source, args.edits).items():
        steps = costs[kind] = {"analysis": [], "index": [], "collection": [], "total": [], "moved": []}
        for pair in pairs:
            for edit in pair:
                text = "".join(edit(text.splitlines(keepends=True)))
                previous, handle = handle, handle + 1
                before = len(analysed)
                # each lambda is called at once, inside its iteration
                step = (lambda s, c: probe.during(f"{kind}: {s}", c)) if probe is not None \
                    else (lambda s, c: c())   # noqa: B023
                analysis, _ = step("analysis", lambda: cpu(lambda: worker.analyse(Job(
                    handle, path.as_uri(), str(path), handle, text, previous))))  # noqa: B023
                index, _ = step("housekeeping", lambda: cpu(lambda: worker.index(handle)))  # noqa: B023
                worker.release([previous])
                collection, _ = step("housekeeping", lambda: cpu(Memory.collect_now))
                steps["analysis"].append(analysis)
                steps["index"].append(index)
                steps["collection"].append(collection)
                steps["total"].append(analysis + index + collection)
                steps["moved"].append(float(len(analysed) == before))
    print()
    print("| edit | analysis p50 / p95 | hover index p50 / p95 | collection p50 / p95 | all three p95 | "
          "answered without analysing |")
    print("|---|---:|---:|---:|---:|---:|")
    ms = lambda v: f"{v * 1000:.0f}"   # noqa: E731
    for kind in KINDS:
        s = costs.get(kind)
        if not s or not s["analysis"]:
            continue
        cells = [f"{ms(statistics.median(s[k]))} / {ms(percentile(s[k], 95))}" for k in ("analysis", "index",
                                                                                      "collection")]
        print(f"| {kind} | " + " | ".join(cells) + f" | {ms(percentile(s['total'], 95))} | "
              f"{sum(s['moved']):.0f}/{len(s['moved'])} |")
    if probe is not None:
        print()
        print("What a hover waits for the GIL (ms: p50 / p95 / max, samples every 2 ms):")
        print()
        print("| step | wait p50 / p95 / max | samples |")
        print("|---|---:|---:|")
        for step, waits in probe.waits.items():
            print(f"| {step} | {ms(statistics.median(waits))} / {ms(percentile(waits, 95))} / {ms(max(waits))} | "
                  f"{len(waits)} |")
    gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
