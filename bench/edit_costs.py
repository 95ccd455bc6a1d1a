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
server adds its 25 ms debounce, the round trip and conversion (~3 ms).
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--roots", default="all")
    parser.add_argument("--edits", type=int, default=5, help="spots per edit kind (each edited, then undone)")
    args = parser.parse_args(argv)
    byte_compile()
    from pyjit_server.worker.analyses import Analyses
    from pyjit_server.worker.memory import Memory
    from pyjit_server.worker.messages import EditorSettings, Job

    path = (args.file or functional_py()).resolve()
    workspace = (args.workspace or path.parent).resolve()
    source = path.read_text(encoding="utf-8")
    worker = Analyses()
    worker.configure(EditorSettings({"workspaceFolders": [{"uri": workspace.as_uri(), "name": workspace.name}],
                                     "initializationOptions": {"roots": args.roots}}))
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
                analysis, _ = cpu(lambda: worker.analyse(Job(handle, path.as_uri(), str(path), handle, text,  # noqa: B023
                                                             previous)))  # noqa: B023
                index, _ = cpu(lambda: worker.index(handle))  # noqa: B023
                worker.release([previous])
                collection, _ = cpu(Memory.collect_now)
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
    gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
