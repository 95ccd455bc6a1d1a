"""The examples the README runs: one clean model, one file of typical mistakes."""

from __future__ import annotations

from pathlib import Path

from pyjit_core.session import Session

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def codes(name: str) -> list[str]:
    path = EXAMPLES / name
    return [d.code for d in Session().check(str(path)).diagnostics]


def test_the_model_example_is_clean():
    assert codes("model.py") == []


def test_the_mistakes_example_shows_one_finding_per_mistake():
    assert codes("mistakes.py") == ["PJ101", "PJ202", "PJ210", "PJ410", "PJ501"]
