"""Where torch is, found by reading the disk only: settings, the file's own package,
the editor's interpreter, a workspace venv, $VIRTUAL_ENV/$CONDA_PREFIX, the running interpreter."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pyjit_core.environment import (
    BUNDLED,
    find_environment,
    package_root_of,
    site_packages_of_interpreter,
    torch_package_in,
)


def make_torch(site: Path) -> Path:
    (site / "torch" / "nn").mkdir(parents=True)
    (site / "torch" / "__init__.py").write_text("")
    (site / "torch" / "nn" / "__init__.py").write_text("")
    return site / "torch"


def make_venv(prefix: Path, *, python: str = "python3.11", with_torch: bool = True, **cfg: str) -> Path:
    site = prefix / "lib" / python / "site-packages"
    site.mkdir(parents=True)
    (prefix / "bin").mkdir()
    lines = [f"{k.replace('_', '-')} = {v}" for k, v in {"home": "/usr/bin", **cfg}.items()]
    (prefix / "pyvenv.cfg").write_text("\n".join(lines) + "\n")
    if with_torch:
        make_torch(site)
    return site


def nowhere(**kw):
    return find_environment(environ={}, running_sys_path=[], **kw)


def test_the_torch_source_setting_wins(tmp_path: Path) -> None:
    torch = make_torch(tmp_path / "checkout")
    make_venv(tmp_path / "w" / ".venv")
    for given in (torch, torch.parent):     # the package, or a folder holding it
        env = nowhere(torch_source=str(given), workspace_folders=[str(tmp_path / "w")])
        assert env.torch_root == str(torch)
        assert env.origin == "the torchSource setting"


def test_a_file_inside_torch_reads_that_torch(tmp_path: Path) -> None:
    torch = make_torch(tmp_path / "pytorch")
    (torch / "nn" / "modules").mkdir()
    (torch / "nn" / "modules" / "__init__.py").write_text("")
    conv = torch / "nn" / "modules" / "conv.py"
    conv.write_text("")
    make_venv(tmp_path / "w" / ".venv")
    env = nowhere(path=str(conv), workspace_folders=[str(tmp_path / "w")])
    assert env.torch_root == str(torch)
    assert env.origin == "the package being edited"
    assert package_root_of(str(conv)) == str(tmp_path / "pytorch")


def test_the_editors_interpreter_is_read_not_run(tmp_path: Path) -> None:
    site = make_venv(tmp_path / "env")
    python = tmp_path / "env" / "bin" / "python"
    marker = tmp_path / "ran"
    python.write_text(f"#!/bin/sh\ntouch {marker}\n")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    env = nowhere(python=str(python))
    assert env.torch_root == str(site / "torch")
    assert env.site_packages == (str(site),)
    assert not marker.exists()
    assert site_packages_of_interpreter(str(python)) == [str(site)]


def test_a_venv_that_includes_system_site_packages_reaches_its_base(tmp_path: Path) -> None:
    base_site = make_venv(tmp_path / "base")
    make_venv(tmp_path / "env", with_torch=False, home=str(tmp_path / "base" / "bin"),
              include_system_site_packages="true")
    env = nowhere(python=str(tmp_path / "env" / "bin" / "python"))
    assert env.torch_root == str(base_site / "torch")


def test_workspace_venvs_then_virtual_env_then_conda(tmp_path: Path) -> None:
    in_workspace = make_venv(tmp_path / "w" / "venv")
    virtual = make_venv(tmp_path / "virtual")
    conda = make_venv(tmp_path / "conda", python="python3.12")
    environ = {"VIRTUAL_ENV": str(tmp_path / "virtual"), "CONDA_PREFIX": str(tmp_path / "conda")}
    env = find_environment(workspace_folders=[str(tmp_path / "w")], environ=environ, running_sys_path=[])
    assert env.torch_root == str(in_workspace / "torch")
    env = find_environment(workspace_folders=[], environ=environ, running_sys_path=[])
    assert env.torch_root == str(virtual / "torch")
    assert env.origin == "$VIRTUAL_ENV"
    env = find_environment(environ={"CONDA_PREFIX": environ["CONDA_PREFIX"]}, running_sys_path=[])
    assert env.torch_root == str(conda / "torch")
    assert env.origin == "$CONDA_PREFIX"


def test_the_running_interpreter_counts_its_site_packages_only(tmp_path: Path) -> None:
    stdlib_like = tmp_path / "lib"
    make_torch(stdlib_like)                      # a torch next to the standard library is not a package folder
    site = tmp_path / "site-packages"
    site.mkdir()
    assert find_environment(environ={}, running_sys_path=[str(stdlib_like)]).torch_root is None
    make_torch(site)
    env = find_environment(environ={}, running_sys_path=[str(stdlib_like), str(site)])
    assert env.torch_root == str(site / "torch")
    assert env.origin == "the interpreter running pyjit"


def test_no_torch_anywhere_means_the_bundled_summary(tmp_path: Path) -> None:
    make_venv(tmp_path / "w" / ".venv", with_torch=False)
    env = nowhere(workspace_folders=[str(tmp_path / "w")], torch_source=None)
    assert env.torch_root is None
    assert env.origin == BUNDLED
    assert env.site_packages
    assert env.site_packages[0].endswith("site-packages")
    assert torch_package_in(str(tmp_path)) is None
    assert not os.path.exists(tmp_path / "w" / ".venv" / "bin" / "python")
