"""Frontend speed: pyjit's full analysis of torch/nn/functional.py against
``import torch`` + ``torch.jit.script`` of the same roots, measured in one run.

    python bench/frontend_speed.py [--repeat N] [--write]

Each side runs in fresh processes (cold, like an editor opening the file or a
CI job), ``--repeat`` times; the table reports the median and the best.
``--write`` puts the table into docs/benchmarks.md between the
``frontend-speed`` markers. A benchmark, not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- frontend-speed:start -->", "<!-- frontend-speed:end -->"

PYJIT = textwrap.dedent("""
    import json, time, sys
    t0 = time.perf_counter()
    from pyjit_core.frontend.driver import analyze_source
    from pyjit_core.frontend.pyworld import default_torch_root
    t1 = time.perf_counter()
    path = default_torch_root() + "/nn/functional.py"
    source = open(path, encoding="utf-8").read()
    t2 = time.perf_counter()
    a = analyze_source(source, path, module_name="torch.nn.functional", roots="all")
    t3 = time.perf_counter()
    graphs = sum(1 for f in a.functions.values() if f.graph is not None)
    print(json.dumps({"import": t1 - t0, "analysis": t3 - t2, "roots": len(a.roots), "graphs": graphs,
                      "lines": source.count("\\n")}))
""")

TORCH = textwrap.dedent("""
    import json, time, inspect, warnings
    t0 = time.perf_counter()
    import torch
    import torch.nn.functional as F
    t1 = time.perf_counter()
    names = [n for n, o in vars(F).items() if inspect.isfunction(o) and o.__module__ == "torch.nn.functional"]
    ok = 0
    t2 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n in names:
            try:
                torch.jit.script(getattr(F, n))
                ok += 1
            except Exception:
                pass
    t3 = time.perf_counter()
    print(json.dumps({"import": t1 - t0, "script": t3 - t2, "roots": len(names), "scripted": ok}))
""")


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    pyjit = [run(PYJIT) for _ in range(args.repeat)]
    torch = [run(TORCH) for _ in range(args.repeat)]

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    def best(rows, key):
        return min(r[key] for r in rows)

    p_total = [r["import"] + r["analysis"] for r in pyjit]
    t_total = [r["import"] + r["script"] for r in torch]
    lines = [
        f"torch/nn/functional.py: {pyjit[0]['lines']} lines; pyjit roots (roots=\"all\"): {pyjit[0]['roots']}, "
        f"graphs: {pyjit[0]['graphs']}; torch: {torch[0]['scripted']} of {torch[0]['roots']} functions script.",
        "",
        "| step | median (s) | best (s) |",
        "|---|---:|---:|",
        f"| pyjit: import `pyjit_core` | {med(pyjit, 'import'):.3f} | {best(pyjit, 'import'):.3f} |",
        f"| pyjit: full analysis of the file | {med(pyjit, 'analysis'):.3f} | {best(pyjit, 'analysis'):.3f} |",
        f"| pyjit: total | {statistics.median(p_total):.3f} | {min(p_total):.3f} |",
        f"| torch: `import torch` | {med(torch, 'import'):.3f} | {best(torch, 'import'):.3f} |",
        f"| torch: `torch.jit.script` of every function | {med(torch, 'script'):.3f} | {best(torch, 'script'):.3f} |",
        f"| torch: total | {statistics.median(t_total):.3f} | {min(t_total):.3f} |",
        "",
        f"{args.repeat} fresh processes each; Python {platform.python_version()}, {platform.machine()}, "
        f"{__import__('os').cpu_count()} CPUs. "
        f"Command: `python bench/frontend_speed.py --repeat {args.repeat} --write`.",
    ]
    table = "\n".join(lines)
    print(table)
    if args.write:
        text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
        block = f"{START}\n{table}\n{END}"
        if START in text and END in text:
            text = text[: text.index(START)] + block + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        DOCS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
