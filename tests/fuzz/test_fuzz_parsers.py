"""Mutated corpus texts through the frontend, the IR parser and the schema parser (a bounded
run; ``run_fuzz.py`` runs the same checks for as long as asked)."""

from __future__ import annotations

import random

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
from fuzz_text import SNIPPETS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyjit_core.session import Session

SOURCES, GRAPHS, SCHEMAS = corpus_sources(), golden_ir(), schemas()
SESSION = Session()


def test_the_corpora_are_there() -> None:
    assert len(SOURCES) >= 20
    assert len(GRAPHS) >= 100
    assert len(SCHEMAS) >= 1000


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(SCHEMAS))
def test_a_mutated_schema_parses_and_round_trips_or_is_a_schema_error_inside_it(rnd: random.Random, text: str) -> None:
    assert check_schema(mutate(rnd, text, SCHEMA_PIECES)) is None


@settings(max_examples=100, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(GRAPHS))
def test_a_mutated_graph_parses_and_round_trips_or_is_an_ir_error_inside_it(rnd: random.Random, named) -> None:
    assert check_ir(mutate(rnd, named[1], IR_PIECES)) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.sampled_from(SOURCES))
def test_a_mutated_corpus_file_is_checked_without_an_exception_and_inside_the_text(rnd: random.Random, named) -> None:
    name, text = named
    assert check_frontend(SESSION, f"/nonexistent/fuzz/{name}", mutate(rnd, text, SNIPPETS)) is None
