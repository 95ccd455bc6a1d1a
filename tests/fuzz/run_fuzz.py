"""The long fuzz run, by hand (never collected by pytest):

    nice -n 19 .venv/bin/python tests/fuzz/run_fuzz.py --minutes 30 --log /tmp/fuzz.log

Alternates random editing paths against one real server (restarted only if it
dies) with batches of corpus mutations through the frontend, the IR parser and
the schema parser, until the time is up. Prints the counts (edits, requests,
cases, crashes, unanswered requests) as JSON at the end; every problem found
goes to ``--log`` with the seed that reproduces its path.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_parsers import (
    IR_PIECES,
    SCHEMA_PIECES,
    check_frontend,
    check_ir,
    check_schema,
    corpus_sources,
    golden_ir,
    mutate,
    schemas,
)
from fuzz_server import ServerFuzzer

from pyjit_core.session import Session


async def run(minutes: float, seed: int, log: Path) -> dict:
    end = time.monotonic() + minutes * 60
    master = random.Random(seed)
    sources, graphs, schema_lines = corpus_sources(), golden_ir(), schemas()
    counts = {"server_paths": 0, "edits": 0, "requests": 0, "answered": 0, "unanswered": 0, "crashes": 0,
              "frontend_cases": 0, "ir_cases": 0, "schema_cases": 0, "parser_problems": 0, "server_problems": 0,
              "server_restarts": 0}
    with tempfile.TemporaryDirectory(prefix="pyjit-fuzz-") as tmp, log.open("w", encoding="utf-8") as out:
        root = Path(tmp)
        session = Session()
        fuzzer = await ServerFuzzer.start(root)
        last_print = time.monotonic()
        while time.monotonic() < end:
            path_seed = master.randrange(2**32)
            rnd = random.Random(path_seed)
            name, text = rnd.choice(sources)
            before = len(fuzzer.problems)
            await fuzzer.path(rnd, f"p{counts['server_paths']}_{name}", text, rnd.randint(10, 150))
            counts["server_paths"] += 1
            for problem in fuzzer.problems[before:]:
                counts["server_problems"] += 1
                out.write(f"server path seed {path_seed}: {problem}\n\n")
            died = fuzzer.client.process.returncode is not None
            if died or counts["server_paths"] % PATHS_PER_SERVER == 0:   # pushing, then pulling, then pushing...
                counts["server_restarts"] += died
                if not died:
                    await fuzzer.stop()
                _add(counts, fuzzer)
                fuzzer = await ServerFuzzer.start(root, pull=not fuzzer.pull)
            for _ in range(10):
                name, text = rnd.choice(sources)
                path = str(root / f"m_{name}")
                _parser_case(counts, out, "frontend", path_seed,
                             lambda t, path=path: check_frontend(session, path, t), mutate(rnd, text, SNIPPETS_AND_IR))
            for _ in range(40):
                _parser_case(counts, out, "ir", path_seed, check_ir, mutate(rnd, rnd.choice(graphs)[1], IR_PIECES))
            for _ in range(200):
                _parser_case(counts, out, "schema", path_seed, check_schema,
                             mutate(rnd, rnd.choice(schema_lines), SCHEMA_PIECES))
            out.flush()
            if time.monotonic() - last_print > 60:
                last_print = time.monotonic()
                print(json.dumps({**counts, **_live(fuzzer)}), flush=True)
        before = len(fuzzer.problems)
        await fuzzer.stop()
        _add(counts, fuzzer)
        for problem in fuzzer.problems[before:]:
            counts["server_problems"] += 1
            out.write(f"at shutdown: {problem}\n\n")
    counts["minutes"] = round(minutes, 1)
    counts["seed"] = seed
    return counts


PATHS_PER_SERVER = 40
SNIPPETS_AND_IR = ["torch.", "x", "(", ")", ":", "\n    ", "return x", "@torch.jit.script\n", "List[int]", "é", "😀"]


def _parser_case(counts: dict, out, kind: str, seed: int, check, text: str) -> None:
    counts[f"{kind}_cases"] += 1
    problem = check(text)
    if problem is not None:
        counts["parser_problems"] += 1
        counts["crashes"] += "raised" in problem
        out.write(f"{kind} (path seed {seed}): {problem}\ninput: {text[:2000]!r}\n\n")


def _live(fuzzer: ServerFuzzer) -> dict:
    t = fuzzer.tally
    return {"live_edits": t.edits, "live_requests": fuzzer.client.counts.requests}


def _add(counts: dict, fuzzer: ServerFuzzer) -> None:
    t = fuzzer.tally
    counts["edits"] += t.edits
    counts["requests"] += fuzzer.client.counts.requests
    counts["answered"] += fuzzer.client.counts.answered
    counts["unanswered"] += t.unanswered
    counts["crashes"] += t.crashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("PYJIT_FUZZ_SEED", "0")) or None)
    parser.add_argument("--log", type=Path, default=Path("fuzz-problems.log"))
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    counts = asyncio.run(run(args.minutes, seed, args.log))
    print(json.dumps(counts))
    return 0 if counts["crashes"] == 0 and counts["unanswered"] == 0 and not counts["parser_problems"] \
        and not counts["server_problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
