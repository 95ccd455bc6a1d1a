"""Fixtures for comparing pyjit's passes with torch's.

``oracle`` is torch's own passes as a tiny C++ extension (built on first use);
``golden_records`` is what torch's frontend passes did to every function the
golden cases compile. Both skip cleanly without torch or a C++ compiler.
"""

from __future__ import annotations

import pytest

from . import torch_oracle
from .torch_pass_dump import CASES_DIR, record_cases


@pytest.fixture(scope="session")
def oracle():
    pytest.importorskip("torch")
    module = torch_oracle.load()
    if module is None:
        pytest.skip("torch's passes could not be built (no C++ compiler or headers)")
    return module


@pytest.fixture(scope="session")
def golden_records():
    pytest.importorskip("torch")
    records = record_cases(sorted(CASES_DIR.glob("*.py")))
    if records is None:
        pytest.skip("the torch pass recorder could not be built (no C++ compiler or headers)")
    return records
