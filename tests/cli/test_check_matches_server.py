"""``pyjit check`` on the conformance corpus reports what the language server reports, in every format.

The server's side is a :class:`Session` presenting ``IN_FILE``, as the
language server does, over each file the CLI checks. What is compared: the
server's own diagnostics of each file, plus, for an error in another file
that the server brings to a call site (``IN_FILE``), the error where it is
(its first related location), which is where ``pyjit check`` reports it,
once. Each format is read back into (file, line, column, code) (pylint's
format has no column), and the JSON, which carries everything, is compared
with the end of each range and the whole message too.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from pyjit_core import cli
from pyjit_core.discovery import python_files
from pyjit_core.editor.presentation import Presentation
from pyjit_core.report import FORMATS
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance"


@pytest.fixture(scope="module")
def in_conformance() -> None:
    before = os.getcwd()
    os.chdir(CONFORMANCE)
    yield
    os.chdir(before)


@pytest.fixture(scope="module")
def server(in_conformance: None) -> list[tuple]:
    """Full keys (path, start line, start col, end line, end col, code, message) of what the server shows."""
    settings = SettingsResolver([os.getcwd()])
    session = Session(settings, presentation=Presentation.IN_FILE)
    own: list[tuple] = []
    brought: list[tuple] = []
    for path in python_files(["corpus"], settings):
        result = session.check(path)
        for d in result.diagnostics:
            if d in result.found:
                own.append(_key(d.path, d.range, d.code, d.message))
            else:    # an error in another file, brought to the call that leads there
                origin = d.related[0]
                assert os.path.abspath(origin.path) != os.path.abspath(path)
                brought.append(_key(origin.path, origin.range, d.code, origin.message))   # its first line
        session.release(result)
    shown = list(own)
    places = {k[:6] for k in own}
    for key in brought:
        if key[:6] not in places:
            places.add(key[:6])
            shown.append(key)
    assert len(shown) > 100, "the corpus has findings to compare"
    return shown


def _key(path: str, r, code: str, message: str) -> tuple:
    return (os.path.abspath(path), r.start_line + 1, r.start_col + 1, r.end_line + 1, r.end_col + 1, code, message)


def pyjit_check(output_format: str) -> str:
    out = io.StringIO()
    status = cli.main(["check", "corpus", "--output-format", output_format, "--jobs", "1"], out=out)
    assert status == 1
    return out.getvalue()


# --- each format, read back ------------------------------------------------------------------------

LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<code>PJ\d{3})(?: \[\*\])? ")


def from_text(text: str) -> list[tuple]:
    return [(os.path.abspath(m["path"]), int(m["line"]), int(m["col"]), m["code"])
            for m in map(LINE.match, text.splitlines()) if m]


def from_json(items: list[dict]) -> list[tuple]:
    return [(f["filename"], f["location"]["row"], f["location"]["column"], f["code"]) for f in items]


def from_sarif(text: str) -> list[tuple]:
    (run,) = json.loads(text)["runs"]
    base = unquote(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].removeprefix("file://"))
    out = []
    for res in run["results"]:
        location = res["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        path = unquote(uri.removeprefix("file://")) if uri.startswith("file://") else os.path.join(base, unquote(uri))
        region = location["region"]
        out.append((os.path.realpath(path), region["startLine"], region["startColumn"], res["ruleId"]))
    return out


ANNOTATION = re.compile(r"^::(?:error|warning|notice) (?P<props>[^:]*)::(?P<code>PJ\d{3}) ")


def from_github(text: str) -> list[tuple]:
    out = []
    for line in text.splitlines():
        m = ANNOTATION.match(line)
        if m:
            props = dict(p.split("=", 1) for p in m["props"].split(","))
            out.append((os.path.abspath(unquote(props["file"])), int(props["line"]), int(props["col"]), m["code"]))
    return out + from_text(text)


def from_gitlab(text: str) -> list[tuple]:
    return [(os.path.abspath(i["location"]["path"]), i["location"]["positions"]["begin"]["line"],
             i["location"]["positions"]["begin"]["column"], i["check_name"]) for i in json.loads(text)]


def from_junit(text: str) -> list[tuple]:
    root = ET.fromstring(text)
    return [(os.path.abspath(suite.get("name")), int(case.get("line")), int(case.get("column")),
             case.get("name").rsplit(".", 1)[-1])
            for suite in root.iter("testsuite") for case in suite.iter("testcase")]


def from_pylint(text: str) -> list[tuple]:
    found = [re.match(r"^(.+?):(\d+): \[(PJ\d{3})\] ", line) for line in text.splitlines()]
    return [(os.path.abspath(m[1]), int(m[2]), m[3]) for m in found if m]


READERS = {"full": from_text, "concise": from_text, "json": lambda t: from_json(json.loads(t)),
           "json-lines": lambda t: from_json([json.loads(line) for line in t.splitlines()]),
           "sarif": from_sarif, "github": from_github, "gitlab": from_gitlab, "junit": from_junit,
           "pylint": from_pylint}


def test_every_format_has_a_reader() -> None:
    assert set(READERS) == set(FORMATS)


@pytest.mark.parametrize("output_format", FORMATS)
def test_each_format_reports_what_the_server_shows(output_format: str, server: list[tuple]) -> None:
    found = READERS[output_format](pyjit_check(output_format))
    width = 3 if output_format == "pylint" else 4
    expected = [(k[0], k[1], k[5]) if width == 3 else (k[0], k[1], k[2], k[5]) for k in server]
    assert Counter(found) == Counter(expected)


def test_json_carries_the_same_ranges_and_messages(server: list[tuple]) -> None:
    items = json.loads(pyjit_check("json"))
    found = [(f["filename"], f["location"]["row"], f["location"]["column"], f["end_location"]["row"],
              f["end_location"]["column"], f["code"], f["message"]) for f in items]
    assert Counter(found) == Counter(server)


def test_several_processes_print_exactly_what_one_does(in_conformance: None) -> None:
    """``--jobs 2`` through the real entry point: the same bytes as ``--jobs 1`` (errors in other files
    kept once, at the first file in order that meets them)."""
    def run(jobs: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pyjit_core.cli", "check", "corpus", "--jobs", jobs],
                              capture_output=True, text=True, timeout=600)

    one, two = run("1"), run("2")
    assert (one.returncode, two.returncode) == (1, 1), one.stderr + two.stderr
    assert two.stdout == one.stdout


def test_an_error_in_another_file_is_shown_once(server: list[tuple]) -> None:
    text = pyjit_check("concise")
    lines = [line for line in text.splitlines() if LINE.match(line)]
    assert len(lines) == len(set(lines))
    assert any(line.startswith(f"corpus{os.sep}userpkg{os.sep}helpers.py:") for line in lines)

