"""Random editing paths against the real server, pushing and pulling diagnostics (a bounded
run of ``fuzz_server``'s invariants; ``run_fuzz.py`` runs them for as long as asked)."""

from __future__ import annotations

import asyncio
import itertools
import random

import pytest
from fuzz_parsers import corpus_sources
from fuzz_server import ServerFuzzer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

#: Small seeds (the analyses stay quick) and one made of what breaks positions.
SEEDS = [text for name, text in corpus_sources() if len(text) < 4000] + [
    "import torch\x0c\n\n@torch.jit.script\ndef f(x: int) -> int:\u2028\n"
    "    return x  # é😀 e\u0301\r\n\rx = '👩\u200d👩\u200d👧'\r",
]
_names = itertools.count()


@pytest.fixture(scope="module", params=[False, True], ids=["push", "pull"])
def server(request, tmp_path_factory):
    loop = asyncio.new_event_loop()
    root = tmp_path_factory.mktemp("fuzz")
    fuzzer = loop.run_until_complete(ServerFuzzer.start(root, pull=request.param))
    yield loop, fuzzer
    loop.run_until_complete(fuzzer.stop())
    loop.close()
    assert fuzzer.problems == []


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rnd=st.randoms(use_true_random=False), seed=st.sampled_from(SEEDS))
def test_an_editing_path_keeps_every_invariant(server, rnd: random.Random, seed: str) -> None:
    loop, fuzzer = server
    before = len(fuzzer.problems)
    loop.run_until_complete(fuzzer.path(rnd, f"h{next(_names)}.py", seed, 40))
    assert fuzzer.problems[before:] == []
    assert fuzzer.client.counts.requests == fuzzer.client.counts.answered
