"""What the export-readiness analysis (PJ6, opt-in) adds to one file's check.

    python bench/export_readiness_speed.py --repeat 9 [--write]

Two files: the installed torch's ``nn/functional.py`` (``roots = "all"``) and
torchvision's ``models/resnet.py`` (``roots = "modules"``; torchvision 0.28.0's
sources from the conformance cache). In one process, after ``Session.warm_up()``
and a first check of each file, fresh checks alternate between the default
selection and ``select = ["PJ", "PJ6"]``; the figure is the median of each and
their ratio, and the median time of the readiness check alone (``checks.export_readiness.check``
timed inside the same runs). ``--write`` puts the table into docs/benchmarks.md.
Times are the process's CPU time (``time.process_time``), so that other work
on a shared machine counts less than it would in wall-clock time. A tool run
by hand, never a test (issue 12 asks for at most +15 %).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- export-readiness:start -->", "<!-- export-readiness:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from pyjit_core.checks import export_readiness
    from pyjit_core.config import Config
    from pyjit_core.frontend.pyworld import default_torch_root
    from pyjit_core.session import Session
    from tests.conformance.torchvision_sources import ensure_sources

    inner: list[float] = []
    real_check = export_readiness.check

    def timed(ctx):
        started = time.process_time()
        try:
            return real_check(ctx)
        finally:
            inner.append(time.process_time() - started)

    import pyjit_core.checks as checks

    checks.CHECKS = tuple((name, timed if name == "export_readiness" else fn) for name, fn in checks.CHECKS)
    files = [(Path(default_torch_root() or "") / "nn" / "functional.py", "all"),
             (ensure_sources() / "torchvision" / "models" / "resnet.py", "modules")]
    session = Session()
    session.warm_up()
    rows = []
    for path, roots in files:
        source = path.read_text(encoding="utf-8")
        off, on = Config(roots=roots), Config(roots=roots, select=("PJ", "PJ6"))
        session.release(session.check(str(path), source, config=on))     # reads torch's modules once
        times: dict[str, list[float]] = {"off": [], "on": []}
        inner.clear()
        found = 0
        for _ in range(args.repeat):
            for name, config in (("off", off), ("on", on)):
                started = time.process_time()
                result = session.check(str(path), source, config=config)
                times[name].append(time.process_time() - started)
                if name == "on":
                    found = sum(d.code.startswith("PJ6") for d in result.found)
                session.release(result)
        a, b = statistics.median(times["off"]), statistics.median(times["on"])
        own = statistics.median(inner[-args.repeat:])
        rows.append(f"| {path.relative_to(path.parents[2])} (roots={roots}) | {a * 1000:.0f} | {b * 1000:.0f} | "
                    f"{100 * (b - a) / a:+.1f} % | {own * 1000:.1f} ({100 * own / a:.1f} %) | {found} |")
    table = "\n".join([
        "| file | check, default selection (ms) | with PJ6 selected (ms) | difference | readiness check alone "
        "(ms, share) | PJ6 findings |", "|---|---:|---:|---:|---:|---:|", *rows, "",
        f"Medians of {args.repeat} fresh checks each, alternating, in CPU time; Python {platform.python_version()}, "
        f"{platform.machine()}. Command: `python bench/export_readiness_speed.py --repeat {args.repeat} --write`."])
    print(table)
    if args.write:
        text = DOC.read_text(encoding="utf-8")
        block = f"{START}\n{table}\n{END}"
        if START in text:
            text = text[:text.index(START)] + block + text[text.index(END) + len(END):]
        else:
            text += f"\n## Export readiness (PJ6)\n\n```sh\n.venv/bin/python bench/export_readiness_speed.py " \
                    f"--repeat {args.repeat} --write\n```\n\n{block}\n"
        DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
