"""What the analysis budget saves: ``pyjit check`` on a file of many roots, with and without one.

    python bench/analysis_budget.py                  # 3,000 decorated functions, budgets 0 and 2 s
    python bench/analysis_budget.py --roots 5000 --budget 0 --budget 1

Writes the generated file to a temporary folder and runs ``pyjit check`` on it
once per budget, in a fresh process each, printing the wall time, the peak
RSS (``ru_maxrss`` of the child) and the PJ905 line when the budget ran out.
A tool for measuring by hand, never a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = """\
@torch.jit.script
def f{i}(x: torch.Tensor, n: int) -> torch.Tensor:
    y = x + n
    for i in range(n):
        y = torch.relu(y) * 2
    return y

"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roots", type=int, default=3000, help="how many decorated functions")
    parser.add_argument("--budget", type=float, action="append", help="seconds (repeatable; 0: no limit)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "many_roots.py"
        path.write_text("import torch\n\n" + "".join(ROOT.format(i=i) for i in range(args.roots)), encoding="utf-8")
        lines = path.read_text(encoding="utf-8").count("\n")
        print(f"{path.name}: {args.roots} roots, {lines} lines")
        for budget in args.budget or [0.0, 2.0]:
            report = Path(folder) / "report.txt"
            started = time.perf_counter()
            with report.open("w", encoding="utf-8") as out:
                child = subprocess.Popen([sys.executable, "-m", "pyjit_core.cli", "check", str(path),
                                          "--analysis-budget", str(budget), "--output-format", "concise"],
                                         stdout=out, cwd=folder)
                _, status, usage = os.wait4(child.pid, 0)   # this child's own peak RSS
            wall = time.perf_counter() - started
            stopped = next((line.split(" PJ905 ", 1)[1] for line in report.read_text(encoding="utf-8").splitlines()
                            if " PJ905 " in line), "whole file analysed")
            print(f"budget {budget:g} s: {wall:.2f} s wall, peak RSS {usage.ru_maxrss / 1024:.0f} MB"
                  f" (exit {os.waitstatus_to_exitcode(status)}): {stopped[:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
