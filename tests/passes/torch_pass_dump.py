"""Record what torch's frontend passes do to real emitter output.

``_torch_pass_dump.cpp`` is built into a small LD_PRELOAD library that wraps
torch's ``ConvertToSSA`` (the first frontend pass) and ``AnnotateWarns``
(the last). A child Python process with that library preloaded scripts the
golden cases; for every function torch compiles -- the cases' own and the
TorchScript builtins they pull in -- the dump holds the IR the emitter
produced and the IR ``torch.jit.script(...).graph`` ends up printing.

:func:`record_cases` returns, per case, a list of :class:`PassRecord`.
Everything returns ``None`` when torch, a C++ compiler or the build is
unavailable, so callers can skip.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pyjit_core.ir.graph import Graph
from pyjit_core.ir.parser import parse_graph
from pyjit_core.ir.walk import walk_nodes

_SOURCE = Path(__file__).with_name("_torch_pass_dump.cpp")
CASES_DIR = Path(__file__).resolve().parent.parent / "golden" / "cases"


@dataclass(frozen=True)
class PassRecord:
    """One function: the emitter's IR and the IR after torch's frontend
    passes, plus the graph state the printed IR leaves out (value numbers
    of named values, the next value number, the ``name.N`` suffix counters)."""

    case: str
    index: int
    pre: str
    post: str
    next_unique: int
    uniques: dict[str, int]
    name_base_suffix: dict[str, int]

    def pyjit_graph(self) -> Graph:
        """The emitter's IR as a pyjit graph in torch's exact state."""
        g = parse_graph(self.pre)
        for n in [g.block.param_node, *walk_nodes(g)]:
            for v in n.outputs:
                if v.has_debug_name():
                    v.unique = self.uniques[v.debug_name()]
            for b in n.blocks:
                for v in b.inputs:
                    if v.has_debug_name():
                        v.unique = self.uniques[v.debug_name()]
        g.next_unique = self.next_unique
        g.name_base_suffix = dict(self.name_base_suffix)
        return g

    def replay(self) -> str:
        """pyjit's frontend passes on the emitter's IR, printed."""
        from pyjit_core.passes.annotate_warns import WarnCounter
        from pyjit_core.passes.pipeline import run_frontend_passes

        graph = self.pyjit_graph()
        # torch numbers warnings process-wide; start where torch's run was.
        ids = [int(i) for i in re.findall(r"warn_id=(\d+)", self.post)]
        run_frontend_passes(graph, WarnCounter(min(ids) if ids else 0))
        return str(graph)

    def first_location(self) -> str:
        """``file.py:line`` of the first source comment, to name a record."""
        m = re.search(r"# (?:\S*/)?([^/\s]+):(\d+):\d+", self.pre)
        return f"{m.group(1)}:{m.group(2)}" if m else "?"


def renumber(text: str) -> str:
    """Rename ``%<number>`` values in order of first appearance."""
    names: dict[str, str] = {}
    return re.sub(r"%(\d+)\b", lambda m: "%" + names.setdefault(m.group(1), f"v{len(names)}"), text)


def _build_dir() -> Path:
    return Path(os.environ.get("PYJIT_ORACLE_BUILD", Path.home() / ".cache" / "pyjit-torch-oracle"))


@functools.cache
def build() -> Path | None:
    """The preload library, rebuilt when its source changes."""
    try:
        import torch  # noqa: F401
        from torch.utils import cpp_extension
    except ImportError:
        return None
    cxx = os.environ.get("CXX", "c++")
    if shutil.which(cxx) is None:
        return None
    out_dir = _build_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    source = _SOURCE.read_bytes()
    import hashlib

    digest = hashlib.sha256(source).hexdigest()[:16]
    lib = out_dir / f"libpyjit_pass_dump_{digest}.so"
    if lib.exists():
        return lib
    torch_lib = Path(cpp_extension.library_paths()[0])
    cmd = [cxx, "-shared", "-fPIC", "-O0", "-std=c++17", "-w", str(_SOURCE), "-o", str(lib)]
    cmd += [f"-I{p}" for p in cpp_extension.include_paths()]
    cmd += [f"-L{torch_lib}", f"-Wl,-rpath,{torch_lib}", "-ltorch_cpu", "-lc10"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        return None
    return lib


_DRIVER = r"""
import importlib.util, json, sys, warnings
warnings.filterwarnings("ignore")
import torch
dump, cases = sys.argv[1], sys.argv[2:]
for path in cases:
    name = path.rsplit("/", 1)[-1][:-3]
    with open(dump, "a") as f:
        f.write(json.dumps({"stage": "case", "name": name}) + "\n")
    try:
        spec = importlib.util.spec_from_file_location("golden_" + name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # torch reads class sources through it
        spec.loader.exec_module(module)
        if hasattr(module, "SCRIPT"):
            torch.jit.script(module.SCRIPT)
        elif hasattr(module, "GRAPHS"):
            module.GRAPHS()
    except Exception as e:  # recorded, the case contributes what it compiled
        with open(dump, "a") as f:
            f.write(json.dumps({"stage": "error", "name": name, "error": repr(e)}) + "\n")
"""


def record_cases(case_paths: list[Path]) -> dict[str, list[PassRecord]] | None:
    lib = build()
    if lib is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.jsonl"
        env = dict(os.environ, LD_PRELOAD=str(lib), PYJIT_PASS_DUMP=str(dump))
        result = subprocess.run([sys.executable, "-c", _DRIVER, str(dump), *map(str, case_paths)],
                                env=env, capture_output=True, text=True, timeout=900)
        if result.returncode != 0 or not dump.exists():
            raise RuntimeError(f"torch pass recorder failed:\n{result.stderr[-4000:]}")
        lines = [json.loads(line) for line in dump.read_text().splitlines()]
    return parse_dump(lines)


def parse_dump(lines: list[dict]) -> dict[str, list[PassRecord]]:
    """Pair each function's ``pre`` entry with its ``post`` entry, grouped
    under the latest ``case`` marker."""
    records: dict[str, list[PassRecord]] = {}
    case = ""
    open_pre: dict[str, dict] = {}
    for entry in lines:
        stage = entry["stage"]
        if stage == "case":
            case = entry["name"]
            records.setdefault(case, [])
            open_pre.clear()
        elif stage == "pre":
            open_pre[entry["graph"]] = entry
        elif stage == "post":
            pre = open_pre.pop(entry["graph"], None)
            if pre is None:
                continue  # a lifted closure's subgraph: cleaned, never converted
            bucket = records.setdefault(case, [])
            bucket.append(PassRecord(case, len(bucket), pre["text"], entry["text"], pre["next_unique"],
                                     pre["uniques"], pre["name_base_suffix"]))
    return records


REPO = Path(__file__).resolve().parent.parent.parent


def record_corpus() -> list[PassRecord] | None:
    """Every function the conformance corpus makes torch compile
    (``tests/conformance/torch_side.py`` run with the recorder preloaded)."""
    lib = build()
    if lib is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.jsonl"
        env = dict(os.environ, LD_PRELOAD=str(lib), PYJIT_PASS_DUMP=str(dump))
        result = subprocess.run([sys.executable, "-m", "tests.conformance.torch_side", "--out", tmp],
                                cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
        if result.returncode != 0 or not dump.exists():
            raise RuntimeError(f"torch pass recorder failed on the corpus:\n{result.stderr[-4000:]}")
        lines = [json.loads(line) for line in dump.read_text().splitlines()]
    return [r for records in parse_dump(lines).values() for r in records]
