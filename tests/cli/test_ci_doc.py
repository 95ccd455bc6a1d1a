"""docs/ci.md, run as written.

Each ``console`` block is a session: every ``$ `` line is run with bash in a
fresh copy of ``examples/`` (one copy per block, so a ``--fix`` is seen by the
commands after it), with ``pyjit`` on ``PATH``; its stdout must be the lines
below it, where a line ``...`` stands for any number of lines. The YAML and
TOML examples must parse; the ``pyjit`` commands in their steps are run the
same way (their exit status must not be 2: usage is right); the hook, the
action's inputs and the settings they name must exist.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="pre-commit (the test extra) brings PyYAML")

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "ci.md"
EXAMPLES = REPO / "examples"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(kind: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(DOC.read_text(encoding="utf-8")) if lang == kind]


def sessions() -> list[list[tuple[str, list[str]]]]:
    """Each console block as [(command, expected stdout lines)]."""
    out = []
    for body in blocks("console"):
        steps: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        out.append(steps)
    return out


@pytest.fixture
def shell(tmp_path: Path):
    """Runs a command as the doc's reader would: bash, in a copy of examples/, with `pyjit` on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "pyjit"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m pyjit_core.cli "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    def run(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    return run


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line-for-line, a ``...`` line matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and matches(expected[1:], actual[1:])


@pytest.mark.skipif(shutil.which("bash") is None, reason="the doc's commands are shell commands")
@pytest.mark.parametrize("session", sessions(), ids=lambda s: s[0][0][:60])
def test_console_examples_print_what_the_doc_shows(session: list[tuple[str, list[str]]], shell) -> None:
    for command, expected in session:
        run = shell(command)
        assert run.returncode in (0, 1), f"$ {command}\n{run.stderr}"
        actual = run.stdout.splitlines()
        assert matches(expected, actual), f"$ {command}\n--- the doc:\n" + "\n".join(expected) + \
            "\n--- pyjit:\n" + "\n".join(actual)


def test_the_doc_has_examples_of_every_kind() -> None:
    assert len(sessions()) >= 6
    assert len(blocks("yaml")) >= 4
    assert blocks("toml")


def _pyjit_commands(node: object) -> list[str]:
    if isinstance(node, str):
        return [line.strip() for line in node.splitlines() if line.strip().startswith("pyjit ")]
    if isinstance(node, dict):
        return [c for value in node.values() for c in _pyjit_commands(value)]
    if isinstance(node, list):
        return [c for value in node for c in _pyjit_commands(value)]
    return []


@pytest.mark.skipif(shutil.which("bash") is None, reason="the doc's commands are shell commands")
def test_the_pyjit_commands_of_the_ci_configurations_run(shell) -> None:
    commands = [c for body in blocks("yaml") for c in _pyjit_commands(yaml.safe_load(body))]
    assert len(commands) >= 2
    for command in commands:
        run = shell(command)
        assert run.returncode in (0, 1), f"$ {command}\n{run.stderr}"


def test_the_pre_commit_example_names_the_hook_and_its_arguments() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    configs = [yaml.safe_load(body) for body in blocks("yaml")]
    (config,) = [c for c in configs if isinstance(c, dict) and "repos" in c]
    (hook,) = config["repos"][0]["hooks"]
    assert hook["id"] in hooks
    assert hooks[hook["id"]]["entry"].startswith("pyjit check")


def test_the_action_example_uses_only_the_actions_inputs() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    workflows = [yaml.safe_load(body) for body in blocks("yaml")]
    steps = [step for w in workflows if isinstance(w, dict) and "jobs" in w
             for job in w["jobs"].values() for step in job["steps"]]
    ours = [step for step in steps if step.get("uses", "").startswith("pyjit/pyjit@")]
    assert ours
    assert all(set(step.get("with", {})) <= set(action["inputs"]) for step in ours)
    documented = re.findall(r"`([a-z-]+)`", DOC.read_text(encoding="utf-8").split("Inputs:", 1)[1].split("\n\n")[0])
    assert set(action["inputs"]) <= set(documented)


def test_the_toml_example_is_valid_settings() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - 3.10
        import tomli as tomllib
    from pyjit_core.config import config_from_mapping

    for body in blocks("toml"):
        table = tomllib.loads(body)["tool"]["pyjit"]
        assert config_from_mapping(table, style="kebab")[1] == []
