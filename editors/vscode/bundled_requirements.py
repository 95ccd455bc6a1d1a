"""The runtime requirements of a distribution, pinned to what is installed.

Prints one requirement a line for ``pip install --no-deps --target``: every
distribution the named one needs at run time, transitively, as
``name==installed-version``. A requirement whose marker excludes it here
(``tomli; python_version < "3.11"``) is printed as written, so the bundle
also runs on the oldest Python pyjit supports. Extras are left out.

Usage: python bundled_requirements.py pyjit-torchscript
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import PackageNotFoundError, distribution

_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirements(root: str) -> list[str]:
    pinned: dict[str, str] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        for requirement in distribution(name).requires or []:
            spec, _, marker = requirement.partition(";")
            if "extra" in marker:
                continue
            dependency = _NAME.match(spec).group(1)
            key = canonical(dependency)
            if key in pinned:
                continue
            try:
                pinned[key] = f"{key}=={distribution(dependency).version}"
                todo.append(dependency)
            except PackageNotFoundError:   # not needed on this Python: as written
                pinned[key] = spec.strip()
    return sorted(pinned.values())


if __name__ == "__main__":
    print("\n".join(runtime_requirements(sys.argv[1])))
