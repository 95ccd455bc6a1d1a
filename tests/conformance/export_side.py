"""What real ``torch.export.export`` does with each export-readiness case, recorded as JSON.

Run ``python -m tests.conformance.export_side`` (needs torch==2.13.0) to regenerate
``tests/conformance/expected/export/*.json``; ``--check`` compares a live run with them.

Two suites: pyjit's own corpus (``export_corpus/``: each file a ``Model`` and
``example_inputs()``, optionally ``build()``) and the ExportDB examples inside the
installed wheel (``torch/_export/db/examples/``: ``model``, ``example_args``,
``tags``, ``support_level``). For every case, each in a freshly forked interpreter:

* ``script``: whether ``torch.jit.script`` accepts the model (a ``ScriptModule``
  subclass compiles in its constructor);
* ``default`` and ``strict``: ``torch.export.export(model, inputs, strict=...)``
  (with ``dynamic_shapes=dynamic_shapes()`` when the case defines it):
  ``ok``, or the exception's type, its first message line and the line of the
  case file torch blames -- the last ``File "<case>", line N`` in the message
  (strict mode prints "from user code:"), else the deepest traceback frame in
  the case file, else none (torch names no user line).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import traceback
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "export_corpus"
EXPECTED_DIR = HERE / "expected" / "export"
TORCH_VERSION = "2.13.0"
_FILE_LINE = re.compile(r'File "(.+?)", line (\d+)')
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")     # object addresses differ from run to run


def corpus_cases() -> list[Path]:
    return sorted(p for p in CORPUS_DIR.glob("*.py") if p.name != "__init__.py")


def has_torch() -> bool:
    """Whether torch can be imported here (a hidden torch raises rather than answering None)."""
    try:
        return importlib.util.find_spec("torch") is not None
    except ImportError:
        return False


def exportdb_dir() -> Path:
    spec = importlib.util.find_spec("torch") if has_torch() else None
    assert spec is not None, "needs torch installed"
    assert spec.origin is not None, "needs torch installed"
    return Path(spec.origin).parent / "_export" / "db" / "examples"


def exportdb_cases() -> list[Path]:
    return sorted(p for p in exportdb_dir().glob("*.py") if p.name != "__init__.py")


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"export_case_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _blamed_line(error: BaseException, path: Path) -> int | None:
    target = os.path.realpath(path)
    lines = [int(n) for f, n in _FILE_LINE.findall(str(error)) if os.path.realpath(f) == target]
    if lines:
        return lines[-1]
    frames = [f.lineno for f in traceback.extract_tb(error.__traceback__)
              if os.path.realpath(f.filename) == target]
    return frames[-1] if frames else None


def _failure(error: BaseException, path: Path) -> dict:
    text = str(error).strip()
    return {"ok": False, "type": type(error).__name__,
            "message": _ADDRESS.sub("0x…", text.splitlines()[0][:300]) if text else "",
            "line": _blamed_line(error, path)}


def _run_script(path: Path, suite: str) -> dict:
    import torch

    try:
        module = _load(path)
        model = module.Model() if suite == "corpus" else type(module.model)()
        if not isinstance(model, torch.jit.ScriptModule):
            torch.jit.script(model)
    except Exception as e:
        return _failure(e, path)
    return {"ok": True}


def _run_export(path: Path, suite: str, strict: bool) -> dict:
    import torch

    module = _load(path)
    if suite == "corpus":
        model = module.build() if hasattr(module, "build") else module.Model()
        args, kwargs = module.example_inputs(), {}
        dynamic = module.dynamic_shapes() if hasattr(module, "dynamic_shapes") else None
    else:
        model, args = module.model, module.example_args
        kwargs, dynamic = getattr(module, "example_kwargs", {}), None
    try:
        torch.export.export(model, args, kwargs, dynamic_shapes=dynamic, strict=strict)
    except Exception as e:
        return _failure(e, path)
    return {"ok": True}


def _forked(fn, *args) -> dict:
    """``fn(*args)`` in a child process, so no export leaves state behind for the next."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = fn(*args)
        except BaseException as e:
            result = {"ok": False, "type": "CorpusError", "message": f"{type(e).__name__}: {e}", "line": None}
        with os.fdopen(write, "w") as out:
            json.dump(result, out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as inp:
        data = inp.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def _exportdb_meta(path: Path) -> dict:
    module = _load(path)
    level = getattr(module, "support_level", None)
    return {"tags": sorted(getattr(module, "tags", ())),
            "support_level": level.name if level is not None else "SUPPORTED",
            "class": type(module.model).__name__}


def record(suite: str) -> dict:
    paths = corpus_cases() if suite == "corpus" else exportdb_cases()
    cases = {}
    for path in paths:
        entry = {"script": _forked(_run_script, path, suite),
                 "default": _forked(_run_export, path, suite, False),
                 "strict": _forked(_run_export, path, suite, True)}
        if suite == "exportdb":
            entry.update(_forked(_exportdb_meta, path))
        cases[path.stem] = entry
        print(f"{suite}/{path.stem}: script {_short(entry['script'])}, default {_short(entry['default'])}, "
              f"strict {_short(entry['strict'])}", file=sys.stderr)
    return {"torch": TORCH_VERSION, "suite": suite, "cases": cases}


def _short(r: dict) -> str:
    return "ok" if r["ok"] else f"{r['type']}@{r['line']}"


def expected_path(suite: str) -> Path:
    return EXPECTED_DIR / f"{suite}.json"


def dump(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed labels")
    parser.add_argument("--suite", choices=("corpus", "exportdb"), action="append")
    args = parser.parse_args(argv)
    import torch

    if torch.__version__.split("+")[0] != TORCH_VERSION:
        print(f"needs torch {TORCH_VERSION}, this is {torch.__version__}", file=sys.stderr)
        return 2
    import torch._dynamo
    import torch.export

    stale = 0
    for suite in args.suite or ("corpus", "exportdb"):
        text = dump(record(suite))
        path = expected_path(suite)
        if args.check:
            if not path.exists() or path.read_text() != text:
                print(f"{path} is stale", file=sys.stderr)
                stale += 1
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
