"""``pyjit check --fix``, ``--unsafe-fixes``, ``--diff`` and ``--show-fixes``, run as a user runs them.

The promise: ``--fix`` applies the fixes the editor offers that are safe
(``--unsafe-fixes``: the unsafe ones too), never one that only silences a
finding; afterwards ``pyjit check`` passes on what was fixed; and nothing
else changes, down to the bytes (encoding, line endings) of every file.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from cli_run import pyjit

MODEL = textwrap.dedent("""\
    import torch


    class Model(torch.nn.Module):
        def forward(self, x):
            return x + 1
""")

FREEZE = MODEL + "\n\nfrozen = torch.jit.freeze(Model())\n"
FREEZE_FIXED = MODEL + "\n\nfrozen = torch.jit.freeze(torch.jit.script(Model()).eval())\n"

EXPORT = textwrap.dedent("""\
    import torch


    @torch.jit.ignore
    def helper(x: torch.Tensor) -> torch.Tensor:
        return x + 1


    def f(x: torch.Tensor) -> torch.Tensor:
        return helper(x)


    torch.jit.save(torch.jit.script(f), "f.pt")
""")

UNKNOWN_CODES = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor, n: int) -> torch.Tensor:  # pyjit: ignore[PJ777]
        return x + n  # pyjit: ignore[PJ888, PJ999]
""")
UNKNOWN_CODES_FIXED = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor, n: int) -> torch.Tensor:
        return x + n
""")

NOT_FIXABLE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor) -> torch.Tensor:
        return x.no_such_method()
""")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = {"freeze.py": FREEZE, "export.py": EXPORT, "unknown_codes.py": UNKNOWN_CODES, "not_fixable.py": NOT_FIXABLE}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    # Not UTF-8, with CRLF line ends: a fix must keep both.
    (tmp_path / "latin.py").write_bytes(("# -*- coding: latin-1 -*-\r\n# größe\r\n" + UNKNOWN_CODES.replace(
        "\n", "\r\n")).encode("latin-1"))
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.py"))}


def test_fix_applies_only_the_safe_fixes_and_reports_what_is_left(project: Path) -> None:
    before = snapshot(project)
    run = pyjit("check", "--fix", cwd=project)
    assert run.returncode == 1, run.stderr
    after = snapshot(project)
    assert after["unknown_codes.py"] == UNKNOWN_CODES_FIXED.encode()
    assert after["latin.py"] == ("# -*- coding: latin-1 -*-\r\n# größe\r\n"
                                 + UNKNOWN_CODES_FIXED.replace("\n", "\r\n")).encode("latin-1")
    # unsafe (freeze, export) and unfixable files: byte for byte as they were
    for name in ("freeze.py", "export.py", "not_fixable.py"):
        assert after[name] == before[name], name
    assert "Fixed 6 diagnostics." in run.stdout
    assert "PJ902" not in run.stdout
    assert "No fixes available (2 hidden fixes can be enabled with the `--unsafe-fixes` option)." in run.stdout


def test_unsafe_fixes_too_and_then_pyjit_check_passes_on_every_fixed_file(project: Path) -> None:
    (project / "not_fixable.py").unlink()
    run = pyjit("check", "--fix", "--unsafe-fixes", "--show-fixes", cwd=project)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (project / "freeze.py").read_text(encoding="utf-8") == FREEZE_FIXED
    exported = EXPORT.replace("@torch.jit.ignore", "@torch.jit.unused")
    assert (project / "export.py").read_text(encoding="utf-8") == exported
    assert "    1 × PJ501 (not-a-script-module)" in run.stdout
    assert "All checks passed (4 files)." in run.stdout
    again = pyjit("check", cwd=project)
    assert again.returncode == 0, again.stdout


def test_an_editor_only_fix_is_never_applied(project: Path) -> None:
    """Every finding of not_fixable.py has "Ignore PJ210 on this line" in the editor; the CLI never silences."""
    before = (project / "not_fixable.py").read_bytes()
    run = pyjit("check", "not_fixable.py", "--fix", "--unsafe-fixes", cwd=project)
    assert run.returncode == 1
    assert (project / "not_fixable.py").read_bytes() == before
    assert "PJ210" in run.stdout


def test_diff_shows_the_changes_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    run = pyjit("check", "--diff", cwd=project)
    assert run.returncode == 1
    assert snapshot(project) == before
    assert run.stdout.startswith("--- latin.py\n+++ latin.py\n")
    assert "-def f(x: torch.Tensor, n: int) -> torch.Tensor:  # pyjit: ignore[PJ777]" in run.stdout
    assert "freeze.py" not in run.stdout            # unsafe: not without --unsafe-fixes
    assert "Would fix 6 diagnostics." in run.stderr
    unsafe = pyjit("check", "--diff", "--unsafe-fixes", "freeze.py", cwd=project)
    assert "+frozen = torch.jit.freeze(torch.jit.script(Model()).eval())" in unsafe.stdout


def test_diff_with_nothing_to_fix_exits_0(project: Path) -> None:
    run = pyjit("check", "--diff", "not_fixable.py", cwd=project)
    assert run.returncode == 0
    assert run.stdout == ""
    assert "No fixes to apply." in run.stderr


def test_fix_on_stdin_prints_the_fixed_text_and_reports_on_stderr(project: Path) -> None:
    run = pyjit("check", "--fix", "-", "--stdin-filename", "snippet.py", cwd=project, stdin=UNKNOWN_CODES)
    assert run.returncode == 0, run.stderr
    assert run.stdout == UNKNOWN_CODES_FIXED
    assert "Fixed 3 diagnostics." in run.stderr
    assert not (project / "snippet.py").exists()


def test_show_fixes_names_each_findings_fix(project: Path) -> None:
    run = pyjit("check", "--show-fixes", "freeze.py", "unknown_codes.py", cwd=project)
    assert "    fix (unsafe): Script it: torch.jit.script(...).eval()" in run.stdout
    assert "    fix: Remove PJ777 from the suppression" in run.stdout
