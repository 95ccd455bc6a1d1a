"""Where torch and the user's third-party packages are, found by reading files only.

torch resolves names by importing; pyjit reads sources instead, so it must
know where the sources are. It finds them the way an editor finds an
environment, but it never runs an interpreter, imports anything, or reads a
``.pth`` file: a workspace could name any program as its interpreter, and a
``.pth`` line can be code. What is read is the layout a virtual environment
or an installation has on disk: ``pyvenv.cfg``, ``lib/pythonX.Y/site-packages``
(``Lib/site-packages`` on Windows), ``torch/__init__.py``.

The order, first found wins (:func:`find_environment`):

1. the ``torchSource`` setting (a ``torch`` package directory, or a folder holding one);
2. the file's own package, when it *is* torch (a checkout of the PyTorch
   repository, opened at any folder): torch's modules are then the ones
   being edited, not some installed copy;
3. the ``python`` setting, an interpreter path (the editor's selected
   interpreter): the site-packages of its environment;
4. a ``.venv`` or ``venv`` folder in the workspace;
5. ``$VIRTUAL_ENV``, then ``$CONDA_PREFIX``;
6. the interpreter running pyjit (its ``sys.path``, as it was at start-up);
7. nothing: torch's own library source, bundled with pyjit (torch 2.13.0), stands in.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

BUNDLED = "torch 2.13.0's source bundled with pyjit (no torch found)"


@dataclass(frozen=True)
class Environment:
    """The sources an analysis may read besides the workspace's own."""

    torch_root: str | None              # the ``torch`` package directory; None: the bundled copy
    site_packages: tuple[str, ...]      # third-party sources (torchvision, timm...), read on demand
    origin: str                         # how torch was found, for logs and hovers

    @staticmethod
    def without_torch() -> Environment:
        """No torch anywhere: torch's library source bundled with pyjit stands in."""
        return Environment(None, (), BUNDLED)


def find_environment(*, torch_source: str | None = None, python: str | None = None, path: str | None = None,
                     workspace_folders: Iterable[str] = (), environ: Mapping[str, str] | None = None,
                     running_sys_path: Iterable[str] | None = None) -> Environment:
    """The environment of a file at ``path`` (see the module docstring for the order)."""
    environ = os.environ if environ is None else environ
    if torch_source:
        root = torch_package_in(torch_source)
        return Environment(root, (), "the torchSource setting" if root else "nowhere (torchSource has no torch)")
    own = _enclosing_torch(path) if path else None
    if own is not None:
        return Environment(own, (), "the package being edited")
    candidates: list[tuple[str, list[str]]] = []
    if python:
        candidates.append((f"the python setting ({python})", site_packages_of_interpreter(python)))
    for folder in workspace_folders:
        for name in (".venv", "venv"):
            prefix = os.path.join(folder, name)
            if os.path.isfile(os.path.join(prefix, "pyvenv.cfg")):
                candidates.append((f"{os.path.join(os.path.basename(folder), name)} in the workspace",
                                   site_packages_of_prefix(prefix)))
    for variable in ("VIRTUAL_ENV", "CONDA_PREFIX"):
        if environ.get(variable):
            candidates.append((f"${variable}", site_packages_of_prefix(environ[variable])))
    running = list(sys.path if running_sys_path is None else running_sys_path)
    # Only its site-packages: the standard library's sources are not the user's packages.
    candidates.append(("the interpreter running pyjit", [p for p in running if os.path.basename(p) in (
        "site-packages", "dist-packages") and os.path.isdir(p)]))
    for origin, directories in candidates:
        for directory in directories:
            root = torch_package_in(directory)
            if root is not None:
                return Environment(root, tuple(directories), origin)
    first = next((dirs for _, dirs in candidates if dirs), [])
    return Environment(None, tuple(first), BUNDLED)


def torch_package_in(directory: str) -> str | None:
    """``directory`` itself when it is the ``torch`` package, else its ``torch/`` child; None if neither."""
    directory = os.path.expanduser(directory)
    if os.path.basename(os.path.normpath(directory)) == "torch" and _is_package(directory):
        return os.path.normpath(directory)
    child = os.path.join(directory, "torch")
    return os.path.normpath(child) if _is_package(child) else None


def site_packages_of_interpreter(python: str) -> list[str]:
    """The site-packages of the environment ``python`` belongs to, from the layout alone.

    ``<prefix>/bin/python`` (``<prefix>\\python.exe`` or ``Scripts\\python.exe``
    on Windows); ``pyvenv.cfg`` marks a virtual environment, whose
    ``include-system-site-packages`` adds the base installation's."""
    python = os.path.expanduser(python)
    directory = os.path.dirname(os.path.abspath(python))
    prefixes = [os.path.dirname(directory), directory] if os.path.basename(directory).lower() in (
        "bin", "scripts") else [directory]
    found: list[str] = []
    for prefix in prefixes:
        found.extend(site_packages_of_prefix(prefix))
    return _unique(found)


def site_packages_of_prefix(prefix: str) -> list[str]:
    """``prefix``'s site-packages folders (and, for a venv that includes them, its base's)."""
    prefix = os.path.expanduser(prefix)
    found = _layout(prefix)
    config = _read_pyvenv_cfg(prefix)
    if config.get("include-system-site-packages", "false").lower() == "true" and config.get("home"):
        home = config["home"]
        base = os.path.dirname(home) if os.path.basename(home).lower() in ("bin", "scripts") else home
        found += _layout(base)
    return _unique(found)


def _layout(prefix: str) -> list[str]:
    patterns = [os.path.join(prefix, "lib", "python3*", "site-packages"),
                os.path.join(prefix, "lib64", "python3*", "site-packages"),
                os.path.join(prefix, "Lib", "site-packages"),
                os.path.join(prefix, "lib", "python3*", "dist-packages")]
    found: list[str] = []
    for pattern in patterns:
        # Newest Python first: a prefix rarely holds two, and then the newer is the one in use.
        found.extend(sorted(glob.glob(pattern), key=_python_version_key, reverse=True))
    return [p for p in found if os.path.isdir(p)]


def _python_version_key(path: str) -> tuple[int, ...]:
    for part in path.split(os.sep):
        if part.startswith("python3"):
            digits = part[len("python"):].split(".")
            return tuple(int(d) for d in digits if d.isdigit())
    return ()


def _read_pyvenv_cfg(prefix: str) -> dict[str, str]:
    try:
        with open(os.path.join(prefix, "pyvenv.cfg"), encoding="utf-8") as f:
            text = f.read(65536)
    except (OSError, UnicodeDecodeError):
        return {}
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out


def _enclosing_torch(path: str) -> str | None:
    """The ``torch`` package that ``path`` is part of (through its ``__init__.py`` chain)."""
    top = package_root_of(path)
    if top is None:
        return None
    directory = os.path.dirname(os.path.abspath(path))
    relative = os.path.relpath(directory, top)
    first = relative.split(os.sep)[0]
    return os.path.join(top, "torch") if first == "torch" else None


def package_root_of(path: str) -> str | None:
    """The folder above the outermost package holding ``path`` (what would be on
    ``sys.path`` to import it), following ``__init__.py`` files upwards; None
    when ``path``'s own folder is no package."""
    directory = os.path.dirname(os.path.abspath(path))
    if not _is_package(directory):
        return None
    while _is_package(directory):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return directory


def _is_package(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    return [i for i in items if not (i in seen or seen.add(i))]  # type: ignore[func-returns-value]
