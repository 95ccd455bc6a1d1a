"""Prints, at the end of the run, the real-code figures the tests measured (issue 8 asks for each)."""

from __future__ import annotations

from .as_opened import MEASURED


def pytest_terminal_summary(terminalreporter) -> None:
    if MEASURED:
        terminalreporter.section("real code as users open it (python -m tests.conformance.as_opened)")
        for line in MEASURED:
            terminalreporter.write_line(line)
