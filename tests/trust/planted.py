"""A workspace that runs marker-writing code wherever a careless tool might run it."""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path


def plant(root: Path) -> Path:
    """Files that append to ``root/MARKER`` if anything imports, runs or executes them; returns
    the marker's path. Nothing of pyjit's must ever create it."""
    marker = root / "MARKER"
    trace = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    evil = root / "evil.sh"
    evil.write_text(f"#!/bin/sh\necho ran >> {marker}\n")
    evil.chmod(evil.stat().st_mode | stat.S_IEXEC)
    venv_site = root / ".venv" / "lib" / "python3.11" / "site-packages"
    files = {
        "pyproject.toml": f'[tool.pyjit]\nroots = "all"\npython = "{evil}"\n',
        ".venv/pyvenv.cfg": f"home = {root}\n",
        ".venv/bin/python": f"#!/bin/sh\necho ran >> {marker}\n",
        ".venv/lib/python3.11/site-packages/evil.pth": f"import os; open({str(marker)!r}, 'a').write('pth\\n')\n",
        ".venv/lib/python3.11/site-packages/sitecustomize.py": trace,
        "conftest.py": trace,
        "setup.py": trace,
        "sitecustomize.py": trace,
        "usercustomize.py": trace,
        "torch.py": trace,
        "typing.py": trace,
        "pyjit_server/__init__.py": trace,
        "pyjit_core/__init__.py": trace,
        "threading.py": trace,
        "logging.py": trace,
        "pkg/__init__.py": trace + "thing = 1\n",
        "pkg/helpers.py": trace + textwrap.dedent(f"""\
            import torch


            def decorator(fn):
                {trace.strip()}
                return fn


            class Meta(type):
                def __new__(mcls, name, bases, ns):
                    {trace.strip()}
                    return super().__new__(mcls, name, bases, ns)


            def default():
                {trace.strip()}
                return 2


            @decorator
            def helper(x: torch.Tensor, k: int = 2) -> torch.Tensor:
                return x * k


            def computed(x: torch.Tensor, k: int = default()) -> torch.Tensor:
                return x * k


            class Tagged(metaclass=Meta):
                pass
        """),
        "model.py": trace + textwrap.dedent("""\
            import torch
            from pkg.helpers import helper
            from pkg import thing


            @torch.jit.script
            def f(x: torch.Tensor) -> torch.Tensor:
                return helper(x) + 1


            class M(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    exec("open('EXEC', 'w')")
                    eval("open('EVAL', 'w')")

                def forward(self, x):
                    return f(x)


            m = torch.jit.script(M())
            torch.jit.save(m, "m.pt")
        """),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / ".venv" / "bin" / "python").chmod(0o755)
    assert venv_site.is_dir()
    return marker


def traces(root: Path, marker: Path) -> list[str]:
    """Everything that shows code ran: the marker, files the model would write, bytecode."""
    found = [marker.read_text()] if marker.exists() else []
    found += [name for name in ("m.pt", "EXEC", "EVAL") if (root / name).exists()]
    found += [str(p) for p in root.rglob("*") if p.name == "__pycache__" or p.suffix == ".pyc"]
    return found


def environment_without_python_path() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env
