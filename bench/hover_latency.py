"""Hover latency on a large real file: the installed torch's ``torch/nn/functional.py``.

    python bench/hover_latency.py [--file PATH] [--roots all] [--samples N] [--seed S]

Analyses the file once with ``check_source`` (``roots="all"``: every top-level
function is a script root, as an editor with that setting would), then times
``describe_at`` at (a) every token that has a hover and (b) random positions
(most of them on nothing), and prints the distribution. The first hover pays
for the per-file index; it is reported on its own and left out of the
percentiles, which measure what a user sees once the file is checked. A
benchmark to run by hand, not a timed test.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from pathlib import Path


def _functional_py() -> Path:
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("torch is not installed in this interpreter; pass --file")
    return Path(next(iter(spec.submodule_search_locations))) / "nn" / "functional.py"


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--roots", default="all")
    parser.add_argument("--samples", type=int, default=5000, help="random positions to hover")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pyjit_core.config import Config
    from pyjit_core.session import Session

    path = args.file or _functional_py()
    source = path.read_text(encoding="utf-8")
    lines = source.split("\n")
    module = "torch.nn.functional" if path.name == "functional.py" and path.parent.name == "nn" else None

    t0 = time.perf_counter()
    session = Session()
    result = session.check(str(path), source, config=Config(roots=args.roots), module_name=module)
    t1 = time.perf_counter()
    first = session.hover(result, 0, 0)
    t2 = time.perf_counter()
    del first

    index = result.hover_index
    tokens = [(t.range.start_line, t.range.start_col) for ts in index.by_line.values() for t in ts]
    rng = random.Random(args.seed)
    positions = list(tokens)
    for _ in range(args.samples):
        line = rng.randrange(len(lines))
        positions.append((line, rng.randrange(len(lines[line]) + 1)))
    rng.shuffle(positions)

    timings: list[float] = []
    hits = 0
    for line, col in positions:
        # a fresh result per hover would re-render; the server keeps one per
        # document version, so hovers on the same token reuse the rendering --
        # clear it here so every timed call renders.
        start = time.perf_counter()
        h = session.hover(result, line, col)
        timings.append((time.perf_counter() - start) * 1000)
        hits += h is not None
        token = index.at(line, col)
        if token is not None:
            token.hover = None

    compiled = sum(1 for fn in result.analysis.functions.values() if fn.graph is not None)
    print(f"file:               {path} ({len(lines)} lines)")
    print(f"check_source:       {(t1 - t0) * 1000:8.1f} ms  ({compiled} compiled functions, "
          f"{len(result.diagnostics)} diagnostics)")
    print(f"first hover:        {(t2 - t1) * 1000:8.1f} ms  (builds the per-file index)")
    print(f"hovers timed:       {len(timings)}  ({len(tokens)} hoverable tokens + {args.samples} random "
          f"positions; {hits} had a hover)")
    print(f"hover latency (ms): p50 {statistics.median(timings):.3f}  p95 {_percentile(timings, 95):.3f}  "
          f"p99 {_percentile(timings, 99):.3f}  max {max(timings):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
