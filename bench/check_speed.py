"""In-process timing of one file's check, split the way the language server pays it.

    python bench/check_speed.py                      # torch/nn/functional.py, roots="all"
    python bench/check_speed.py --file x.py --repeat 9
    python bench/check_speed.py --profile /tmp/check.prof   # cProfile of the first check

Reports, in one fresh process: ``Session.warm_up()`` (imports and operator
data, which the server loads while the editor starts), the *first* check
(also reads torch's modules the file imports), then the median of
``--repeat`` *fresh* checks (no previous analysis; torch's modules already
read), the cost an editor pays per file opened. A tool for profiling by
hand, never a test; ``bench/frontend_speed.py`` compares with torch.
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", help="the file to check (default: the installed torch/nn/functional.py)")
    parser.add_argument("--roots", default="all")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", help="write a cProfile of the first check here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from pyjit_core.config import Config
    from pyjit_core.frontend.pyworld import default_torch_root
    from pyjit_core.session import Session

    session = Session()
    session.warm_up()
    warm = time.perf_counter() - started
    path = args.file or str(Path(default_torch_root() or "") / "nn" / "functional.py")
    source = Path(path).read_text(encoding="utf-8")
    config = Config(roots=args.roots)

    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    first = session.check(path, source, config=config)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    first_s = time.perf_counter() - started
    fresh = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        session.release(session.check(path, source, config=config))
        fresh.append(time.perf_counter() - started)
    print(f"{path}: {source.count(chr(10))} lines, {len(first.analysis.roots)} roots, "
          f"{len(first.diagnostics)} diagnostics")
    print(f"warm_up {warm * 1000:.0f} ms; first check {first_s * 1000:.0f} ms"
          f"{' (profiled)' if profiler else ''}; fresh check median {statistics.median(fresh) * 1000:.0f} ms "
          f"(best {min(fresh) * 1000:.0f}, {args.repeat} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
