"""The whole frontend pipeline against torch, on torch's own emitter output.

For every function the golden cases make torch compile, the recorder
(``torch_pass_dump.py``) captured the IR torch's emitter produced and the IR
its frontend passes turned it into. pyjit's :func:`run_frontend_passes` on
the first must print the second.

Functions from the cases' own source must match exactly. Functions from
torch's library (TorchScript builtins, autodiff formulas) pulled in along the
way must match up to value numbers: torch keeps one ``prim::Uninitialized``
placeholder per type *object*, and torch's library code makes several
distinct-but-equal ``Tensor``/``Optional`` type objects that printed IR
cannot tell apart, so a few of those graphs number their values differently.
"""

from __future__ import annotations

import pytest

from .torch_pass_dump import CASES_DIR, renumber

CASES = sorted(p.stem for p in CASES_DIR.glob("*.py"))

pytestmark = pytest.mark.conformance


@pytest.mark.parametrize("case", CASES)
def test_case_functions_match_torch(golden_records, case):
    records = golden_records.get(case, [])
    own = [r for r in records if f"tests/golden/cases/{case}.py" in r.pre]
    if not own:
        pytest.skip(f"{case} compiles no TorchScript function of its own (traced, or graphs only)")
    for record in own:
        assert record.replay() == record.post, f"function #{record.index} of {case}"


@pytest.mark.parametrize("case", CASES)
def test_library_functions_match_torch_up_to_numbering(golden_records, case):
    library = [r for r in golden_records.get(case, []) if f"tests/golden/cases/{case}.py" not in r.pre]
    if not library:
        pytest.skip(f"{case} pulls in no torch library functions (or another case compiled them first)")
    for record in library:
        assert renumber(record.replay()) == renumber(record.post), f"library function #{record.index} under {case}"
