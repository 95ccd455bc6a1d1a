"""Which files ``pyjit check`` reads, and the flags around reading and writing:
``exclude``, ``extend-exclude``, ``per-file-ignores``, ``respect-gitignore``,
``--force-exclude``, stdin, ``--output-file``, ``--statistics``, ``--quiet``, ``--jobs``."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from cli_run import pyjit, write

BAD = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor) -> torch.Tensor:
        return x.no_such_method()
""")

CLEAN = "import torch\n\n\n@torch.jit.script\ndef f(x: torch.Tensor) -> torch.Tensor:\n    return x\n"


def checked(run: subprocess.CompletedProcess[str]) -> list[str]:
    """The files with findings, from the concise output."""
    return sorted({line.split(":", 1)[0].replace(os.sep, "/") for line in run.stdout.splitlines() if ": PJ" in line})


# --- exclusions -------------------------------------------------------------------------------------

def test_exclude_and_extend_exclude_from_pyproject(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nextend-exclude = ["generated", "*_pb2.py", "tests/fixtures/*"]\n',
                     "generated/a.py": BAD, "pkg/model_pb2.py": BAD, "tests/fixtures/x.py": BAD, "tests/t.py": BAD,
                     "pkg/m.py": BAD, ".hidden/h.py": BAD})
    run = pyjit("check", "--output-format", "concise", cwd=tmp_path)
    assert checked(run) == ["pkg/m.py", "tests/t.py"]
    assert "(2 checked)" in run.stdout


def test_exclude_replaces_the_default_list(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nexclude = ["skip"]\n', "build/b.py": BAD, "skip/s.py": BAD})
    assert checked(pyjit("check", "--output-format", "concise", cwd=tmp_path)) == ["build/b.py"]


def test_exclusion_flags_override_the_file(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nextend-exclude = ["a"]\n', "a/x.py": BAD, "b/y.py": BAD})
    run = pyjit("check", "--output-format", "concise", "--extend-exclude", "b", cwd=tmp_path)
    assert checked(run) == ["a/x.py"]


def test_a_nested_pyproject_excludes_in_its_own_folder(tmp_path: Path) -> None:
    write(tmp_path, {"sub/pyproject.toml": '[tool.pyjit]\nextend-exclude = ["legacy/*"]\n',
                     "sub/legacy/old.py": BAD, "legacy/old.py": BAD})
    assert checked(pyjit("check", "--output-format", "concise", cwd=tmp_path)) == ["legacy/old.py"]


def test_a_named_file_is_checked_unless_force_exclude(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nextend-exclude = ["vendored"]\n', "vendored/v.py": BAD})
    assert pyjit("check", "vendored/v.py", cwd=tmp_path).returncode == 1
    forced = pyjit("check", "--force-exclude", "vendored/v.py", cwd=tmp_path)
    assert forced.returncode == 0
    assert "All checks passed (0 files)." in forced.stdout


# --- .gitignore --------------------------------------------------------------------------------------

def test_gitignore_is_respected_by_default(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("local_only.py\n", encoding="utf-8")
    write(tmp_path, {".gitignore": "out/\n*_gen.py\n!keep_gen.py\n", "pkg/.gitignore": "/scratch.py\n",
                     "out/o.py": BAD, "pkg/a_gen.py": BAD, "pkg/keep_gen.py": BAD, "pkg/scratch.py": BAD,
                     "pkg/deep/scratch.py": BAD, "local_only.py": BAD, "main.py": BAD})
    assert checked(pyjit("check", "--output-format", "concise", cwd=tmp_path)) == [
        "main.py", "pkg/deep/scratch.py", "pkg/keep_gen.py"]
    everything = pyjit("check", "--output-format", "concise", "--no-respect-gitignore", cwd=tmp_path)
    assert len(checked(everything)) == 7


def test_respect_gitignore_false_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.pyjit]\nrespect-gitignore = false\n", ".gitignore": "*.py\n",
                     "m.py": BAD})
    assert checked(pyjit("check", "--output-format", "concise", cwd=tmp_path)) == ["m.py"]


def test_gitignore_above_the_checked_folder_counts_inside_a_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, {".gitignore": "gen/\n", "src/gen/g.py": BAD, "src/m.py": BAD})
    assert checked(pyjit("check", "--output-format", "concise", ".", cwd=tmp_path / "src")) == ["m.py"]


# --- per-file-ignores --------------------------------------------------------------------------------

def test_per_file_ignores_from_pyproject_and_flags(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml":
                     '[tool.pyjit.per-file-ignores]\n"tests/*" = ["PJ2"]\n"conftest.py" = ["PJ210"]\n',
                     "tests/t.py": BAD, "conftest.py": BAD, "src/m.py": BAD, "src/n.py": BAD})
    assert checked(pyjit("check", "--output-format", "concise", cwd=tmp_path)) == ["src/m.py", "src/n.py"]
    # The flag replaces the table, as ruff's does.
    run = pyjit("check", "--output-format", "concise", "--per-file-ignores", "src/m.py:PJ210", cwd=tmp_path)
    assert checked(run) == ["conftest.py", "src/n.py", "tests/t.py"]


def test_a_suppression_of_a_code_per_file_ignores_turns_off_is_unused(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit.per-file-ignores]\n"m.py" = ["PJ210"]\n',
                     "m.py": BAD.replace("no_such_method()", "no_such_method()  # pyjit: ignore[PJ210]")})
    run = pyjit("check", "--output-format", "concise", cwd=tmp_path)
    assert "PJ902 [*] unused suppression: PJ210 is not enabled" in run.stdout


def test_bad_file_settings_exit_2(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nrespect-gitignore = "yes"\nexclude = 3\n', "m.py": BAD})
    run = pyjit("check", cwd=tmp_path)
    assert run.returncode == 2
    assert "respect-gitignore: expected true or false" in run.stderr
    assert "exclude: expected a list" in run.stderr


# --- stdin -------------------------------------------------------------------------------------------

def test_stdin_is_checked_as_the_file_it_names(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit.per-file-ignores]\n"quiet/*" = ["PJ210"]\n'})
    run = pyjit("check", "-", "--stdin-filename", "pkg/m.py", cwd=tmp_path, stdin=BAD)
    assert run.returncode == 1
    assert run.stdout.splitlines()[0] == (
        f"{os.path.join('pkg', 'm.py')}:6:12: PJ210 'Tensor' object has no attribute or method 'no_such_method'.")
    assert pyjit("check", "--stdin-filename", "quiet/m.py", cwd=tmp_path, stdin=BAD).returncode == 0
    assert pyjit("check", "-", cwd=tmp_path, stdin=CLEAN).returncode == 0


# --- output ------------------------------------------------------------------------------------------

def test_output_file_gets_the_report(tmp_path: Path) -> None:
    write(tmp_path, {"m.py": BAD})
    run = pyjit("check", "--output-format", "json", "--output-file", "reports/pyjit.json", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout == ""
    (finding,) = json.loads((tmp_path / "reports" / "pyjit.json").read_text(encoding="utf-8"))
    assert finding["code"] == "PJ210"


def test_statistics_count_each_code(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": BAD, "b.py": BAD})
    run = pyjit("check", "--statistics", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout == "2\tPJ210\tno-such-attribute\n"
    as_json = json.loads(pyjit("check", "--statistics", "--output-format", "json", cwd=tmp_path).stdout)
    assert as_json == [{"code": "PJ210", "name": "no-such-attribute", "count": 2, "fixable": 0}]


def test_quiet_prints_the_findings_only(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": BAD, "ok.py": CLEAN})
    assert pyjit("check", "-q", cwd=tmp_path).stdout.splitlines() == [
        "a.py:6:12: PJ210 'Tensor' object has no attribute or method 'no_such_method'."]
    assert pyjit("check", "-q", "ok.py", cwd=tmp_path).stdout == ""


def test_a_file_that_cannot_be_read_exits_2(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_bytes(b"x = '\xff\xfe'\n")
    write(tmp_path, {"ok.py": CLEAN})
    run = pyjit("check", "--output-format", "concise", cwd=tmp_path)
    assert run.returncode == 2
    assert "pyjit: cannot read broken.py" in run.stderr


@pytest.mark.parametrize("jobs", ["0", "-1"])
def test_jobs_must_be_positive(tmp_path: Path, jobs: str) -> None:
    assert pyjit("check", "--jobs", jobs, cwd=tmp_path).returncode == 2


def test_summary_counts_the_files_with_findings(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": BAD, "b.py": BAD + BAD.replace("def f", "def g").split("\n\n\n", 1)[1], "ok.py": CLEAN})
    run = pyjit("check", "--jobs", "2", cwd=tmp_path)
    assert run.stdout.splitlines()[-1] == "Found 3 diagnostics in 2 files (3 checked)."


def test_worker_processes_run_nothing_of_the_workspace(tmp_path: Path) -> None:
    """Workers must not import the workspace's copies of the modules a new interpreter imports first."""
    import sys

    marker = tmp_path / "MARKER"
    trace = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    write(tmp_path, {name: trace for name in ("threading.py", "pickle.py", "sitecustomize.py", "usercustomize.py",
                                              "multiprocessing/__init__.py", "concurrent/__init__.py",
                                              "pyjit_core/__init__.py")})
    write(tmp_path, {"a.py": BAD, "b.py": CLEAN, "c.py": BAD})
    console_script = Path(sys.executable).parent / "pyjit"   # as CI and pre-commit run it
    run = subprocess.run([str(console_script), "check", "--jobs", "2", "--output-format", "concise", "."],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    assert "Found 2 diagnostics in 2 files" in run.stdout
    assert not marker.exists(), marker.read_text()
