"""``pyjit check --roots modules`` over torchvision's whole package, as a user runs it (issue 8, acceptance 4).

    python bench/torchvision_check.py [--repeat 3] [--no-torch] [--jobs N] [--code CHECKOUT] [--cache cold|warm|off]

torchvision 0.28.0's sources come from the conformance source cache
(``tests/conformance/torchvision_sources.py``: ``pip download``, no
install). Each run is a fresh process, ``pyjit check --roots modules
--exit-zero torchvision`` started in the folder that holds the package (the
workspace); torch's sources are found as for a user (the interpreter
running pyjit), or, with ``--no-torch``, not at all (``--torch-source`` at an
empty folder: pyjit's bundled summary). Prints the median and best wall
time, the CPU time (steadier than wall time on a shared machine), files
per second, and the diagnostics by code, Errors first. A
benchmark to run by hand, never a timed test.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: (PJ\d{3}) ", re.MULTILINE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-torch", action="store_true", help="torch absent: pyjit's bundled summary")
    parser.add_argument("--jobs", type=int, default=None, help="pyjit check --jobs (default: pyjit's, every core)")
    parser.add_argument("--code", type=Path, default=None,
                        help="run pyjit from this checkout instead (e.g. `git archive main` unpacked): before/after")
    parser.add_argument("--cache", choices=["cold", "warm", "off"], default="off",
                        help="pyjit's result cache: empty before each run (cold), filled by a first run not "
                             "counted (warm: nothing changed since), or none (off: --no-cache)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from pyjit_core.diagnostics.catalog import CATALOG
    from tests.conformance.torchvision_sources import ensure_sources

    site = ensure_sources()
    files = sum(1 for _ in (site / "torchvision").rglob("*.py"))
    command = [sys.executable, "-m", "pyjit_core.cli", "check", "--roots", "modules", "--exit-zero", "torchvision"]
    empty = tempfile.mkdtemp(prefix="no-torch-")
    if args.no_torch:
        command[4:4] = ["--torch-source", empty]
    if args.jobs is not None:
        command[4:4] = ["--jobs", str(args.jobs)]
    env = dict(os.environ)
    if args.code is not None:
        env["PYTHONPATH"] = str(args.code.resolve())
    if args.cache == "off":
        command.insert(4, "--no-cache")
    cache_dir = tempfile.mkdtemp(prefix="pyjit-bench-cache-")
    env["PYJIT_CACHE_DIR"] = cache_dir
    env.pop("PYJIT_NO_CACHE", None)
    if args.cache == "warm":   # the first run fills it
        subprocess.run(command, cwd=site, capture_output=True, text=True, env=env, check=True)
    times, cpu = [], []
    output = ""
    for _ in range(args.repeat):
        if args.cache == "cold":
            shutil.rmtree(cache_dir, ignore_errors=True)
        started, used = time.perf_counter(), _children_cpu()
        done = subprocess.run(command, cwd=site, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - started)
        cpu.append(_children_cpu() - used)
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
            return done.returncode
        output = done.stdout
    codes = Counter(_DIAGNOSTIC.findall(output))
    errors = {c: n for c, n in codes.items() if CATALOG[c].severity.name.lower() == "error"}
    median = statistics.median(times)
    print(f"pyjit check --roots modules over torchvision {site.name.removeprefix('torchvision-')} ({files} files), "
          f"torch {'absent' if args.no_torch else 'found'}: median {median:.2f} s, best {min(times):.2f} s "
          f"({args.repeat} fresh processes), {files / median:.1f} files/s; CPU time median "
          f"{statistics.median(cpu):.2f} s (each: {', '.join(f'{c:.1f}' for c in cpu)}); "
          f"jobs {args.jobs or 'default'}; result cache {args.cache}; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    print(f"diagnostics: {sum(codes.values())}, of which Errors: {sum(errors.values())}")
    for code, n in sorted(codes.items(), key=lambda kv: (kv[0] not in errors, -kv[1], kv[0])):
        print(f"  {code} {n:4}  {'Error' if code in errors else ''}")
    return 0


def _children_cpu() -> float:
    """User + system seconds of the finished child processes (a busy machine stretches wall time, not this)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
