"""`pyjit check`, `pyjit ir`, `pyjit rule` run as a user runs them: a subprocess, exit codes, output."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from cli_run import pyjit, write

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"

BAD = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor) -> torch.Tensor:
        y = x + 1
        return y.no_such_method()
""")

CLEAN = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor, n: int) -> torch.Tensor:
        return x + n
""")

PLAIN_ERROR = textwrap.dedent("""\
    import torch


    def plain(x: torch.Tensor) -> torch.Tensor:
        return x.no_such_method()
""")


# --- check ---------------------------------------------------------------------------------------

def test_clean_project_exits_0(tmp_path: Path) -> None:
    write(tmp_path, {"ok.py": CLEAN})
    run = pyjit("check", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "All checks passed (1 file)." in run.stdout


def test_finding_is_reported_with_1_based_position_and_exit_1(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": BAD, "ok.py": CLEAN})
    run = pyjit("check", ".", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines() == [
        "bad.py:7:12: PJ210 'Tensor' object has no attribute or method 'no_such_method'.",
        "Found 1 diagnostic in 1 file (2 checked).",
    ]


@pytest.mark.parametrize(("flags", "code"), [
    (["--ignore", "PJ210"], 0),
    (["--ignore", "PJ2"], 0),
    (["--select", "PJ1"], 0),
    (["--select", "PJ210"], 1),
    (["--exit-zero"], 0),
])
def test_select_ignore_and_exit_zero(tmp_path: Path, flags: list[str], code: int) -> None:
    write(tmp_path, {"bad.py": BAD})
    run = pyjit("check", "bad.py", *flags, cwd=tmp_path)
    assert run.returncode == code, run.stdout + run.stderr
    assert ("PJ210" in run.stdout) == (flags in (["--exit-zero"], ["--select", "PJ210"]))


def test_pyproject_settings_apply_and_flags_override_them(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nroots = "all"\n', "pkg/plain.py": PLAIN_ERROR})
    run = pyjit("check", "pkg", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.startswith(f"{Path('pkg/plain.py')}:5:12: PJ210 ")
    assert pyjit("check", "pkg", "--roots", "decorated", cwd=tmp_path).returncode == 0


def test_pyproject_severity_off_disables_a_code(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit.severity]\nPJ210 = "off"\n', "bad.py": BAD})
    run = pyjit("check", cwd=tmp_path)
    assert run.returncode == 0, run.stdout


def test_nearest_pyproject_is_found_from_a_subfolder(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pyjit]\nignore = ["PJ210"]\n', "a/b/bad.py": BAD})
    assert pyjit("check", ".", cwd=tmp_path / "a" / "b").returncode == 0


@pytest.mark.parametrize(("toml", "words"), [
    ('[tool.pyjit]\nroot = "all"\n', "unknown setting 'root' (did you mean 'roots'?)"),
    ('[tool.pyjit]\nroots = "everything"\n', "roots: expected one of"),
    ('[tool.pyjit]\nselect = ["XY1"]\n', "unknown code or prefix 'XY1'"),
    ('[tool.pyjit\n', "cannot read it"),
    ("[tool.pyjit]\nselect = " + "[" * 600 + "]" * 600 + "\n", "cannot read it: it is nested too deeply"),
    ('[tool.pyjit]\npython = "/usr/bin/py\\u0000thon"\n', "a path cannot hold a NUL character"),
    ('tool = 3\n[tool2]\n', None),
])
def test_invalid_configuration_exits_2(tmp_path: Path, toml: str, words: str) -> None:
    write(tmp_path, {"pyproject.toml": toml, "bad.py": BAD})
    run = pyjit("check", cwd=tmp_path)
    if words is None:      # no [tool.pyjit] table at all: the defaults, and the finding
        assert run.returncode == 1, run.stderr
        assert "Traceback" not in run.stderr, run.stderr
        return
    assert run.returncode == 2
    assert words in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("args", [["check", "missing.py"], ["check", "--select", "PJ7"], ["check", "--roots", "x"],
                                  ["nonsense"], []])
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    assert pyjit(*args, cwd=tmp_path).returncode == 2


def test_hidden_and_virtualenv_folders_are_skipped(tmp_path: Path) -> None:
    write(tmp_path, {".venv/lib/bad.py": BAD, ".hidden/bad.py": BAD, "build/bad.py": BAD,
                     "src/ok.py": CLEAN})
    run = pyjit("check", cwd=tmp_path)
    assert run.returncode == 0
    assert "(1 file)" in run.stdout


def test_a_file_named_explicitly_is_checked_even_in_a_skipped_folder(tmp_path: Path) -> None:
    write(tmp_path, {"build/bad.py": BAD})
    assert pyjit("check", "build/bad.py", cwd=tmp_path).returncode == 1


def test_related_locations_are_printed_as_notes(tmp_path: Path) -> None:
    source = textwrap.dedent("""\
        import torch


        @torch.jit.script
        def f(c: bool) -> int:
            if c:
                y = 1
            return y
    """)
    write(tmp_path, {"branch.py": source})
    run = pyjit("check", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.splitlines()[:2] == [
        "branch.py:6:5: PJ202 y is not defined in the false branch",
        "    note: branch.py:8:12: and was used here",
    ]


def test_a_failing_callee_in_another_file_is_reported_where_it_is_and_once(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": '[tool.pyjit]\nroots = "all"\n',
        "helpers.py": "import torch\n\n\ndef helper(x: torch.Tensor) -> torch.Tensor:\n    return x.foo()\n",
        "caller.py": "import torch\nfrom helpers import helper\n\n\n@torch.jit.script\n"
                     "def main(x: torch.Tensor) -> torch.Tensor:\n    return helper(x)\n",
    })
    run = pyjit("check", cwd=tmp_path)
    assert run.returncode == 1
    assert [line for line in run.stdout.splitlines() if " PJ" in line] == [
        "helpers.py:5:12: PJ210 'Tensor' object has no attribute or method 'foo'."]
    alone = pyjit("check", "caller.py", cwd=tmp_path)
    assert alone.stdout.splitlines()[0] == "helpers.py:5:12: PJ210 'Tensor' object has no attribute or method 'foo'."


# --- ir -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "name"), [
    ("if_else", "choose"), ("function_calls", "normalize"), ("for_list", "total"),
    ("module_basic", "Affine"), ("module_submodule", "Net"),
    ("module_sequential", "Pipeline"), ("module_list", "Stack"),
])
def test_ir_prints_the_graph_torch_prints(case: str, name: str) -> None:
    """Goldens are str(torch.jit.script(fn).graph) from real torch, paths repo-relative; for a
    module class, str(torch.jit.script(M()).graph), its forward's."""
    run = pyjit("ir", f"tests/golden/cases/{case}.py::{name}", cwd=REPO)
    assert run.returncode == 0, run.stderr
    # regen.py imports each case as a top-level module; in the checkout it is in the tests package
    expected = (GOLDEN / "ir" / f"{case}.ir").read_text(encoding="utf-8").rstrip("\n")
    assert run.stdout.rstrip("\n").replace("__torch__.tests.golden.cases.", "__torch__.") == expected


SCALE = """import torch


class Scale(torch.nn.Module):
    def __init__(self, k: int):
        super().__init__()
        self.k = k

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.k
"""


def test_ir_of_a_module_class_nothing_constructs_says_its_instance_is_made_up(tmp_path: Path) -> None:
    write(tmp_path, {"scale.py": SCALE})
    run = pyjit("ir", "scale.py::Scale", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    first, *graph = run.stdout.splitlines()
    assert first.startswith("# compiled for Scale(1), a representative instance pyjit made up")
    assert graph[0] == "graph(%self : __torch__.scale.Scale,"
    assert any("aten::mul" in line for line in graph)


def test_ir_of_a_module_class_the_workspace_constructs_is_torchs_graph_alone(tmp_path: Path) -> None:
    write(tmp_path, {"scale.py": SCALE + "\n\nscripted = torch.jit.script(Scale(3))\n"})
    run = pyjit("ir", "scale.py::Scale", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("graph(%self : __torch__.scale.Scale,")


def test_ir_without_a_name_prints_each_root(tmp_path: Path) -> None:
    source = CLEAN + "\n\n@torch.jit.script\ndef g(x: torch.Tensor) -> torch.Tensor:\n    return x * 2\n"
    write(tmp_path, {"two.py": source})
    run = pyjit("ir", "two.py", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert [line for line in run.stdout.splitlines() if line.startswith("# ")] == ["# f", "# g"]
    assert "aten::add" in run.stdout
    assert "aten::mul" in run.stdout


def test_ir_of_a_function_that_does_not_compile_exits_1_with_its_diagnostics(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": BAD})
    run = pyjit("ir", "bad.py::f", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout == ""
    assert "bad.py:7:12: PJ210 'Tensor' object has no attribute or method 'no_such_method'." in run.stderr


def test_ir_of_an_unknown_name_exits_2(tmp_path: Path) -> None:
    write(tmp_path, {"ok.py": CLEAN})
    run = pyjit("ir", "ok.py::nope", cwd=tmp_path)
    assert run.returncode == 2
    assert "no function 'nope'" in run.stderr
    assert "compiled: f" in run.stderr


# --- rule -------------------------------------------------------------------------------------------

def test_rule_prints_the_catalog_explanation() -> None:
    from pyjit_core.diagnostics import CATALOG

    rule = CATALOG["PJ101"]
    for spelling in ("PJ101", "pj101", "unsupported-syntax"):
        run = pyjit("rule", spelling, cwd=REPO)
        assert run.returncode == 0
        assert run.stdout.startswith("# PJ101 unsupported-syntax\n")
        assert rule.explanation in run.stdout
        assert rule.url in run.stdout


def test_rule_without_a_code_lists_every_rule() -> None:
    from pyjit_core.diagnostics import CATALOG

    run = pyjit("rule", cwd=REPO)
    assert run.returncode == 0
    assert [line.split()[0] for line in run.stdout.splitlines()] == sorted(CATALOG)


def test_unknown_rule_exits_2() -> None:
    run = pyjit("rule", "PJ999", cwd=REPO)
    assert run.returncode == 2
    assert "unknown rule" in run.stderr


# --- never runs user code -----------------------------------------------------------------------------

def test_check_never_imports_the_checked_code(tmp_path: Path) -> None:
    marker = tmp_path / "IMPORTED"
    side_effect = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    write(tmp_path, {
        "pyproject.toml": '[tool.pyjit]\nroots = "all"\n',
        "helpers.py": side_effect + "def helper(x: int) -> int:\n    return x\n",
        "main.py": side_effect + "import torch\nfrom helpers import helper\n\n\n@torch.jit.script\n"
                   "def f(x: int) -> int:\n    return helper(x)\n",
        "pkg/__init__.py": side_effect,
        "conftest.py": side_effect,
        "sitecustomize.py": side_effect,
    })
    for args in (["check"], ["ir", "main.py::f"]):
        pyjit(*args, cwd=tmp_path)
    assert not marker.exists(), marker.read_text()


def test_check_stops_at_the_budget_the_project_sets_and_ir_prints_whole_graphs(tmp_path: Path) -> None:
    source = CLEAN + "\n\n@torch.jit.script\ndef g(x: torch.Tensor) -> torch.Tensor:\n    return x * 2\n"
    write(tmp_path, {"two.py": source, "pyproject.toml": "[tool.pyjit]\nanalysis-budget = 1e-9\n"})
    run = pyjit("check", "two.py", "--output-format", "concise", cwd=tmp_path)
    assert run.returncode == 1
    assert "PJ905 analysis stopped after 1 of 2 roots (analysis-budget 1e-09 s)" in run.stdout
    assert pyjit("check", "two.py", "--analysis-budget", "0", cwd=tmp_path).returncode == 0
    run = pyjit("ir", "two.py", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert [line for line in run.stdout.splitlines() if line.startswith("# ")] == ["# f", "# g"]
