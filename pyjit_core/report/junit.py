"""``junit``: JUnit XML, one test suite per file and one failing test case per finding (as ruff writes it).

A run without findings is one suite, ``pyjit``, with one passing case, so
that CI systems show the check ran.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from ..diagnostics import Diagnostic
from .model import Report
from .text import first_line


def emit(report: Report, out: TextIO) -> None:
    by_file: dict[str, list[Diagnostic]] = {}
    for d in report.diagnostics:
        by_file.setdefault(report.shown_path(d.path), []).append(d)
    total = len(report.diagnostics)
    root = ET.Element("testsuites", name="pyjit", tests=str(max(total, 1)), failures=str(total), errors="0")
    if not by_file:
        suite = ET.SubElement(root, "testsuite", name="pyjit", tests="1", disabled="0", errors="0", failures="0",
                              package="org.pyjit")
        ET.SubElement(suite, "testcase", name="No errors found")
    for path, found in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(found)), disabled="0", errors="0",
                              failures=str(len(found)), package="org.pyjit")
        classname = path[:-3] if path.endswith(".py") else path
        for d in found:
            r = d.range
            case = ET.SubElement(suite, "testcase", name=f"org.pyjit.{d.code}", classname=classname,
                                 line=str(r.start_line + 1), column=str(r.start_col + 1))
            failure = ET.SubElement(case, "failure", message=first_line(d.message))
            failure.text = f"line {r.start_line + 1}, col {r.start_col + 1}, {d.message.strip()}"
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode") + "\n")
