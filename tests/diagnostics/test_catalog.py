"""The catalog is the single source of codes, and the docs are generated from it."""

from __future__ import annotations

import re

from pyjit_core.diagnostics import CATALOG
from pyjit_core.diagnostics.docs import default_path, render


def test_docs_match_the_catalog():
    assert default_path().read_text(encoding="utf-8") == render(), (
        "docs/diagnostics.md is stale: run `python -m pyjit_core.diagnostics.docs --write`"
    )


def test_codes_and_names_follow_the_convention():
    for code, rule in CATALOG.items():
        assert code == rule.code
        assert re.fullmatch(r"PJ\d{3}", code), code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.summary.endswith(".")
        assert rule.explanation


def test_every_rule_has_a_documentation_anchor():
    text = render()
    for rule in CATALOG.values():
        assert f"### {rule.code} {rule.name}" in text
        assert rule.url.endswith(f"#{rule.code.lower()}-{rule.name}")
