"""The package list in pyproject.toml covers every package folder (packages.find cannot, see there)."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]


def test_every_package_folder_is_listed() -> None:
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = setuptools["package-dir"]
    on_disk = set()
    for name, folder in folders.items():
        base = REPO / folder
        for init in base.rglob("__init__.py"):
            rel = init.parent.relative_to(base)
            on_disk.add(".".join([name, *rel.parts]))
    # Folders of package data are packages too (setuptools warns when they are not listed).
    for name, patterns in setuptools.get("package-data", {}).items():
        for pattern in patterns:
            folder = pattern.rpartition("/")[0]
            if folder:
                on_disk.add(".".join([name, *folder.split("/")]))
    assert set(setuptools["packages"]) == on_disk


def test_the_server_is_importable_as_pyjit_server_only() -> None:
    import pyjit_server.protocol.app

    assert Path(pyjit_server.protocol.app.__file__).parent == REPO / "server" / "protocol"
