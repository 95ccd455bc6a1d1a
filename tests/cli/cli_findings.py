"""Findings made by hand for the emitter tests, as ruff's emitter tests make theirs.

They cover every severity, a message of several lines, torch's related notes,
safe, unsafe and editor-only fixes, a non-ASCII file name and line,
characters each format must escape, and a file outside the project.
"""

from __future__ import annotations

from pyjit_core.diagnostics import Applicability, Diagnostic, Edit, Fix, RelatedLocation, Severity, TextRange
from pyjit_core.report import Report

PROJECT = "/project"
MODEL = f"{PROJECT}/pkg/model.py"
UNICODE = f"{PROJECT}/pkg/größe.py"
OUTSIDE = "/elsewhere/lib/helpers.py"


def _ignore(path: str, line: int, col: int, code: str) -> Fix:
    edit = Edit(path, TextRange(line, col, line, col), f"  # pyjit: ignore[{code}]")
    return Fix(f"Ignore {code} on this line", (edit,), applicability=Applicability.DISPLAY_ONLY)


FINDINGS = [
    Diagnostic("PJ210", "'Tensor' object has no attribute or method 'no_such_method'.", MODEL,
               TextRange(6, 11, 6, 32), fixes=(_ignore(MODEL, 6, 32, "PJ210"),)),
    Diagnostic("PJ202", "y is not defined in the false branch", MODEL, TextRange(11, 4, 12, 13),
               related=(RelatedLocation(MODEL, TextRange(13, 11, 13, 12), "and was used here"),)),
    Diagnostic("PJ240", "Arguments for call are not valid.\nThe following variants are available:\n  "
               "aten::__getitem__.str(str s, int index) -> str:\n  Expected a value of type 'int' for argument "
               "'index' but instead found type 'float'.\n\nThe original call is", MODEL, TextRange(19, 11, 19, 17)),
    Diagnostic("PJ902", "unused suppression: unknown code PJ777", MODEL, TextRange(21, 40, 21, 45),
               fixes=(Fix("Remove PJ777 from the suppression", (Edit(MODEL, TextRange(21, 22, 21, 46), ""),),
                          applicability=Applicability.SAFE),)),
    Diagnostic("PJ501", "Freezing expects a ScriptModule as input: 'größe' is an eager 'Model' (100%, not 50%)",
               UNICODE, TextRange(3, 30, 3, 37),
               fixes=(Fix("Script it: torch.jit.script(...)",
                          (Edit(UNICODE, TextRange(0, 0, 0, 0), "import torch\n"),
                           Edit(UNICODE, TextRange(3, 30, 3, 37), "torch.jit.script(Model())")),
                          applicability=Applicability.UNSAFE),)),
    Diagnostic("PJ410", "Could not export Python function call 'helper' <in> \"f\" & co", OUTSIDE,
               TextRange(4, 11, 4, 17), severity_override=Severity.HINT,
               related=(RelatedLocation(MODEL, TextRange(30, 0, 30, 14), "saved here (torch.jit.save)"),)),
    Diagnostic("PJ903", "'Block' compiled for a representative instance fails: 'int' has no len()", UNICODE,
               TextRange(7, 4, 7, 9)),
]


def report(**changes: object) -> Report:
    fields = dict(diagnostics=FINDINGS, checked=5, version="[VERSION]", base_dir=PROJECT)
    fields.update(changes)
    return Report(**fields)  # type: ignore[arg-type]
