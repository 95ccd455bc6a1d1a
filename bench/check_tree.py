"""``pyjit check`` on a generated tree of files, in one process and in several: files per second.

    python bench/check_tree.py                       # 2,000 files, --jobs 1 and every core
    python bench/check_tree.py --files 200 --repeat 1
    python bench/check_tree.py --write               # also update docs/benchmarks.md

The tree is a package of ``--files`` modules in folders of 50, written once
into a temporary folder (``--keep DIR`` to write it there and keep it). A
module has two ``@torch.jit.script`` functions, one of them calling a helper
in a module of another folder (so analyses read other files), and a scripted
``nn.Module`` with a ``forward`` that loops; every tenth module has a
mistake (a method Tensor does not have), so the run has findings to report.

Each run is ``pyjit check TREE --jobs N --output-format concise`` in a fresh
process, as CI runs it; the figure is the wall time of the whole process,
start-up included, with the 1-minute load average just before it (the
machine's other work slows both settings, the parallel one more). A tool for
measuring by hand, never a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "benchmarks.md"
START, END = "<!-- check-tree:start -->", "<!-- check-tree:end -->"
PER_FOLDER = 50

MODULE = '''"""Generated module {index}."""

import torch
from torch import nn

from tree.part{helper_part}.m{helper_index} import scale_{helper_index}


@torch.jit.script
def scale_{index}(x: torch.Tensor, factor: float) -> torch.Tensor:
    return x * factor + {index}


@torch.jit.script
def combine_{index}(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    z = scale_{helper_index}(x, 2.0) + y
    if bool(z.sum() > 0):
        z = torch.relu(z)
    return z{mistake}


class Block{index}(nn.Module):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.linear = nn.Linear(width, width)
        self.depth = {depth}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for _ in range(self.depth):
            x = torch.tanh(self.linear(x))
        return x


block_{index} = torch.jit.script(Block{index}(8))
'''


def write_tree(root: Path, files: int) -> None:
    for index in range(files):
        part, helper = index // PER_FOLDER, (index + PER_FOLDER) % files
        folder = root / "tree" / f"part{part}"
        if not folder.exists():
            folder.mkdir(parents=True)
            (folder / "__init__.py").write_text("", encoding="utf-8")
        mistake = ".no_such_method()" if index % 10 == 9 else ""
        (folder / f"m{index}.py").write_text(MODULE.format(
            index=index, helper_part=helper // PER_FOLDER, helper_index=helper, depth=1 + index % 3,
            mistake=mistake), encoding="utf-8")
    (root / "tree" / "__init__.py").write_text("", encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.pyjit]\n", encoding="utf-8")


def run_check(root: Path, jobs: int) -> tuple[float, int, str]:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pyjit_core.cli", "check", "tree", "--jobs", str(jobs),
                          "--output-format", "concise"], cwd=root, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if run.returncode not in (0, 1):
        raise SystemExit(f"pyjit check failed ({run.returncode}):\n{run.stderr}")
    summary = next((line for line in run.stdout.splitlines() if line.startswith(("Found", "All checks"))), "")
    return elapsed, run.returncode, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting (the median is reported)")
    parser.add_argument("--jobs", type=int, default=None, help="the parallel run's --jobs (default: every core)")
    parser.add_argument("--keep", metavar="DIR", help="write the tree here and keep it")
    parser.add_argument("--write", action="store_true", help=f"update {DOC.relative_to(REPO)}")
    args = parser.parse_args(argv)

    from pyjit_core.batch import default_jobs

    cores = args.jobs or default_jobs()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pyjit-tree-"))
    try:
        if not (root / "tree").exists():
            write_tree(root, args.files)
        lines = [f"{args.files} files ({sum(1 for _ in (root / 'tree').rglob('*.py'))} with the `__init__.py` "
                 f"files), {os.cpu_count()} CPUs, Python {sys.version.split()[0]}.", "",
                 "| `--jobs` | median wall time (s) | best (s) | files per second (median) | load average before |",
                 "|---:|---:|---:|---:|---:|"]
        summary = ""
        for jobs in sorted({1, cores}):
            times, loads = [], []
            for _ in range(args.repeat):
                loads.append(os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"))
                elapsed, _, summary = run_check(root, jobs)
                times.append(elapsed)
            median = statistics.median(times)
            lines.append(f"| {jobs} | {median:.1f} | {min(times):.1f} | {args.files / median:.0f} | "
                         f"{statistics.median(loads):.1f} |")
        lines += ["", f"pyjit's summary: {summary}",
                  f"Command: `python bench/check_tree.py --files {args.files} --repeat {args.repeat}`."]
        text = "\n".join(lines)
        print(text)
        if args.write:
            doc = DOC.read_text(encoding="utf-8")
            if START not in doc:
                raise SystemExit(f"{DOC} has no {START} ... {END} section")
            doc = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: f"{START}\n{text}\n{END}", doc,
                         flags=re.DOTALL)
            DOC.write_text(doc, encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
