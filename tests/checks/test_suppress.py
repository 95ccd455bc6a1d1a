"""``# pyjit: ignore[CODE]`` suppressions, unused ones (PJ902), and the
"Ignore CODE on this line" fix every diagnostic carries."""

from __future__ import annotations

import pytest
from checkutil import apply_edits, codes, fix, only, run, text_at

BAD = """
import torch

class Model(torch.nn.Module):
    def forward(self, x):
        return x

m = Model()
torch.jit.freeze(m){comment}
"""


def test_a_suppression_silences_its_code_on_its_line():
    assert codes(run(BAD.format(comment=""))) == ["PJ501"]
    assert codes(run(BAD.format(comment="  # pyjit: ignore[PJ501]"))) == []
    assert codes(run(BAD.format(comment="  # reason  # pyjit: ignore[PJ401, PJ501]"))) == ["PJ902"]


def test_an_unused_code_is_reported_with_a_fix_removing_it():
    r = run(BAD.format(comment="  # pyjit: ignore[PJ501, PJ401]"))
    d = only(r, "PJ902")
    assert text_at(r, d) == "PJ401"
    assert "no PJ401 is reported on this line" in d.message
    fixed = apply_edits(r.source, fix(d, "Remove PJ401").edits)
    assert "torch.jit.freeze(m)  # pyjit: ignore[PJ501]\n" in fixed
    assert codes(run(fixed)) == []


def test_removing_the_last_code_removes_the_comment():
    r = run("x = 1  # pyjit: ignore[PJ401]\n")
    d = only(r, "PJ902")
    assert apply_edits(r.source, fix(d, "Remove").edits) == "x = 1\n"


@pytest.mark.parametrize(("comment", "why"), [
    ("# pyjit: ignore[PJ999]", "unknown code PJ999"),
    ("# pyjit: ignore[nonsense]", "unknown code nonsense"),
    ("# pyjit: ignore", "suppression without codes"),
])
def test_malformed_suppressions(comment, why):
    r = run(f"x = 1  {comment}\n")
    assert why in only(r, "PJ902").message


def test_a_code_the_configuration_disables_is_an_unused_suppression():
    r = run(BAD.format(comment="  # pyjit: ignore[PJ501]"), ignore=("PJ5",))
    assert "PJ501 is not enabled" in only(r, "PJ902").message
    assert codes(run(BAD.format(comment="  # pyjit: ignore[PJ501]"), ignore=("PJ5", "PJ902"))) == []


def test_a_comment_inside_a_string_is_not_a_suppression():
    r = run('s = "# pyjit: ignore[PJ401]"\n')
    assert codes(r) == []


def test_every_diagnostic_has_an_ignore_fix_that_works():
    r = run(BAD.format(comment="  # why"))
    d = only(r, "PJ501")
    ignore = fix(d, "Ignore PJ501 on this line")
    fixed = apply_edits(r.source, ignore.edits)
    assert "torch.jit.freeze(m)  # why  # pyjit: ignore[PJ501]\n" in fixed
    assert codes(run(fixed)) == []


def test_the_ignore_fix_extends_an_existing_suppression():
    r = run(BAD.format(comment="  # pyjit: ignore[PJ401]"))
    d = only(r, "PJ501")
    fixed = apply_edits(r.source, fix(d, "Ignore PJ501").edits)
    assert "# pyjit: ignore[PJ401, PJ501]" in fixed
    assert codes(run(fixed)) == ["PJ902"]   # PJ401 is still unused


def test_no_ignore_fix_where_a_comment_would_change_the_program():
    triple = '"' * 3
    source = "\n".join([
        "import torch",
        "",
        "class Model(torch.nn.Module):",
        "    def forward(self, x):",
        "        return x",
        "",
        f"torch.jit.freeze(Model(), preserved_attrs=[{triple}a",      # the line ends inside a string
        f"b{triple}])",
        "torch.jit.freeze(Model()) + \\",                             # the line continues
        "    1",
        "",
    ])
    r = run(source)
    found = [d for d in r.diagnostics if d.code == "PJ501"]
    assert len(found) == 2
    assert all(not [f for f in d.fixes if f.title.startswith("Ignore")] for d in found)


def test_suppression_text_inside_a_multi_line_string_is_not_a_suppression():
    r = run('DOC = """\nusage: x = f()  # pyjit: ignore[PJ401]\n"""\n')
    assert codes(r) == []


def test_a_suppression_works_on_an_indented_line_and_inside_a_bracketed_statement():
    indented = BAD.replace("m = Model()\ntorch.jit.freeze(m){comment}",
                           "def export():\n    m = Model()\n    torch.jit.freeze(m)  # pyjit: ignore[PJ501]")
    assert codes(run(indented)) == []
    bracketed = BAD.replace("torch.jit.freeze(m){comment}",
                            "print(\n    torch.jit.freeze(m),  # pyjit: ignore[PJ501]\n)")
    assert codes(run(bracketed)) == []
    unused = bracketed.replace("PJ501", "PJ401")
    comment = only(run(unused), "PJ902")
    line = unused.split("\n")[comment.range.start_line]
    assert line[comment.range.start_col:comment.range.end_col] == "PJ401"
