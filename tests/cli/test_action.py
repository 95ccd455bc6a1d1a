"""The composite GitHub Action (``action.yml``), its shell steps run here as a runner runs them.

No GitHub runner is at hand, so each ``shell: bash`` step is run in order
with bash, its ``env:`` and ``${{ inputs.* }}`` / ``${{ github.action_path }}``
filled in as GitHub fills them, ``$RUNNER_TEMP`` and ``$GITHUB_ENV`` provided,
and ``if: inputs.sarif == 'true'`` honoured. The ``uses:`` step (the SARIF
upload, GitHub's own action) is only checked to be given the file written.
The install step pip-installs this checkout into a fresh venv: slow, so
marked ``packaging``, like the distribution tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="pre-commit (the test extra) brings PyYAML")

REPO = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))

pytestmark = [pytest.mark.packaging,
              pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps are bash")]

MISTAKE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor) -> torch.Tensor:
        return x.no_such_method()
""")


def _expand(text: str, inputs: dict[str, str]) -> str:
    def value(m: re.Match[str]) -> str:
        expression = m.group(1).strip()
        if expression == "github.action_path":
            return str(REPO)
        name = expression.removeprefix("inputs.")
        return inputs.get(name, ACTION["inputs"][name].get("default", ""))
    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def _runs(step: dict, inputs: dict[str, str]) -> bool:
    condition = step.get("if")
    if condition is None:
        return True
    m = re.fullmatch(r"inputs\.([\w-]+) == '(.*)'", condition.strip())
    assert m, f"a condition this test cannot read: {condition}"
    return _expand(f"${{{{ inputs.{m.group(1)} }}}}", inputs) == m.group(2)


def run_action(workspace: Path, runner_temp: Path, inputs: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    runner_temp.mkdir()
    github_env = runner_temp / "github_env"
    github_env.touch()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(RUNNER_TEMP=str(runner_temp), GITHUB_ENV=str(github_env), GITHUB_PATH=str(runner_temp / "github_path"))
    done = []
    for step in ACTION["runs"]["steps"]:
        if not _runs(step, inputs):
            continue
        if "uses" in step:
            assert step["uses"].startswith("github/codeql-action/upload-sarif@")
            sarif = workspace / _expand(step["with"]["sarif_file"], inputs)
            assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
            continue
        assert step["shell"] == "bash"
        step_env = dict(env, **{k: _expand(str(v), inputs) for k, v in step.get("env", {}).items()})
        for line in github_env.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            step_env[key] = value
        run = subprocess.run(["bash", "-e", "-c", _expand(step["run"], inputs)], cwd=workspace, env=step_env,
                             capture_output=True, text=True, timeout=900)
        done.append(run)
        if run.returncode != 0:
            break
    return done


def test_the_action_installs_pyjit_annotates_and_writes_the_sarif(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    (workspace / "pkg").mkdir(parents=True)
    (workspace / "pkg" / "bad.py").write_text(MISTAKE, encoding="utf-8")
    (workspace / "pkg" / "ok.py").write_text("x = 1\n", encoding="utf-8")
    steps = run_action(workspace, tmp_path / "runner-temp", {"src": "pkg", "args": "--jobs 2", "sarif": "true"})
    install, sarif, check = steps
    assert install.returncode == 0, install.stdout + install.stderr
    assert install.stdout.startswith("pyjit ")                        # `pyjit --version`
    assert sarif.returncode == 0, sarif.stderr
    assert check.returncode == 1                                        # findings fail the step
    assert check.stdout.splitlines() == [
        "::error title=pyjit (PJ210),file=pkg/bad.py,line=6,col=12,endLine=6,endColumn=28::"
        "PJ210 'Tensor' object has no attribute or method 'no_such_method'."]
    results = json.loads((workspace / "pyjit.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["PJ210"]


def test_without_sarif_the_upload_steps_are_skipped(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "ok.py").write_text("x = 1\n", encoding="utf-8")
    steps = run_action(workspace, tmp_path / "runner-temp", {})
    assert [s.returncode for s in steps] == [0, 0]
    assert not (workspace / "pyjit.sarif").exists()
