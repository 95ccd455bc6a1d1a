"""pyjit's SARIF is valid SARIF 2.1.0: checked against the OASIS schema, vendored in ``data/`` (see its README)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema", reason="the test extra installs jsonschema")

from cli_findings import report  # noqa: E402

from pyjit_core.report import emit  # noqa: E402

SCHEMA = json.loads((Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def assert_valid_sarif(document: dict) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA)
    problems = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not problems, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in problems[:10])


def sarif_of(r) -> dict:
    out = io.StringIO()
    emit("sarif", r, out)
    return json.loads(out.getvalue())


def test_the_vendored_schema_is_sarif_2_1_0() -> None:
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    jsonschema.Draft4Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(("name", "changes"), [
    ("findings, fixes, notes and a file outside the project", {}),
    ("no findings", {"diagnostics": []}),
    ("a file that could not be read", {"unreadable": [("/project/pkg/gone.py", "cannot read it: not a regular file")]}),
])
def test_sarif_validates_against_the_schema(name: str, changes: dict) -> None:
    assert_valid_sarif(sarif_of(report(**changes)))


def test_the_validator_rejects_what_the_schema_forbids() -> None:
    """The check above can fail: a region with a column 0 is not SARIF."""
    document = sarif_of(report())
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] = 0
    with pytest.raises(AssertionError, match="startColumn"):
        assert_valid_sarif(document)
