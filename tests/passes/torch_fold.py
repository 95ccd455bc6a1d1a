"""Run torch's ConstantPropagationImmutableTypes on many small graphs, safely.

Some of torch's scalar kernels trap on inputs constant propagation happily
feeds them (``7 % 0`` raises SIGFPE inside torch), so the graphs run in a
child process that writes each result as it goes; if the child dies, the
parent records that graph as ``None`` ("torch crashes") and restarts after it.
A kernel that does not return (``factorial(2**62)`` loops 2**62 times) is
treated the same way once a run exceeds its time limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

_WORKER = r"""
import json, sys, warnings
warnings.filterwarnings("ignore")
import torch
texts = json.load(open(sys.argv[1]))
start = int(sys.argv[3])
with open(sys.argv[2], "a") as out:
    for i in range(start, len(texts)):
        try:
            g = torch._C.parse_ir(texts[i])
            torch._C._jit_pass_constant_propagation_immutable_types(g)
            result = {"i": i, "graph": str(g)}
        except Exception as e:
            result = {"i": i, "error": str(e).splitlines()[0] if str(e) else type(e).__name__}
        out.write(json.dumps(result) + "\n")
        out.flush()
"""


def fold_with_torch(texts: list[str], timeout: float = 120) -> list[dict | None]:
    """torch's result for each IR text (parse_ir syntax): ``{"graph": ...}``,
    ``{"error": ...}``, or None where torch crashed or hung."""
    results: list[dict | None] = [None] * len(texts)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "texts.json"
        out = Path(tmp) / "out.jsonl"
        src.write_text(json.dumps(texts))
        start = 0
        while start < len(texts):
            try:
                subprocess.run([sys.executable, "-c", _WORKER, str(src), str(out), str(start)],
                               capture_output=True, env=dict(os.environ), timeout=timeout)
            except subprocess.TimeoutExpired:
                pass  # a kernel that loops (almost) forever: treated like a crash
            done = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
            for entry in done:
                results[entry["i"]] = entry
            last = max((e["i"] for e in done if e["i"] >= start), default=start - 1)
            # The child died on graph last + 1 (or finished).
            start = max(start, last + 2)
    return results
