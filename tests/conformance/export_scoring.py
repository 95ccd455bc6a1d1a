"""pyjit's export-readiness findings scored against the labels real torch gave.

``python -m tests.conformance.export_scoring`` prints the table that
``docs/conformance.md`` holds. Labels come from ``export_side.py``.

For every case that real ``torch.jit.script`` compiles:

* **default-mode recall**: among the cases ``torch.export.export(strict=False)``
  rejects, the share where pyjit reports a finding that says the default mode
  fails, on the line torch blames (anywhere in the file when torch blames no
  line of it, as for a ScriptModule root);
* **false blockers**: findings that say the default mode fails, in cases that
  export in the default mode (the target is none);
* **strict recall**: the same as the first, for ``strict=True``, on the line
  strict mode blames.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "tests.conformance"

from pyjit_core.config import Config
from pyjit_core.session import Session

from .export_side import CORPUS_DIR, expected_path

CONFIG = Config(roots="modules", select=("PJ6",))

# The reason each corpus case exercises, by the prefix of its file name.
_REASONS = (("ok_", "exports"), ("after_", "exports (a rewrite of a failing case)"),
            ("ddcf_", "data-dependent control flow"), ("assert_", "data-dependent control flow"),
            ("item_", "values read out of tensors"), ("mask_", "data-dependent shapes"),
            ("script_module_root", "ScriptModule root"), ("scripted_", "scripted submodule"),
            ("loaded_", "jit.load'ed submodule"), ("traced_", "traced/frozen submodule"),
            ("frozen_", "traced/frozen submodule"), ("fork_", "strict-only constructs"),
            ("jit_isinstance", "strict-only constructs"), ("script_in_forward", "strict-only constructs"),
            ("ignore_", "@ignore bodies"), ("fix_", "exports"), ("dyn_", "dynamic shapes (Dim)"),
            ("script_function_", "data-dependent control flow"))


def corpus_reason(stem: str) -> str:
    return next(reason for prefix, reason in _REASONS if stem.startswith(prefix))


@dataclass
class CaseScore:
    name: str
    reason: str
    scripts: bool
    default_fails: bool
    default_hit: bool
    false_blockers: list[int]           # lines of findings claiming a default failure on code that exports
    strict_fails: bool
    strict_hit: bool


@dataclass
class Tally:
    cases: int = 0
    scripted: int = 0
    default_fails: int = 0
    default_hits: int = 0
    exports: int = 0
    false_blockers: int = 0
    strict_fails: int = 0
    strict_hits: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, s: CaseScore) -> None:
        self.cases += 1
        if not s.scripts:
            return
        self.scripted += 1
        if s.default_fails:
            self.default_fails += 1
            self.default_hits += s.default_hit
            if not s.default_hit:
                self.misses.append(s.name)
        else:
            self.exports += 1
            self.false_blockers += len(s.false_blockers)
        if s.strict_fails:
            self.strict_fails += 1
            self.strict_hits += s.strict_hit


def _blamed(found: list, line: int | None, mode: str, dynamic: bool = False) -> bool:
    """Whether a finding says ``mode`` fails at ``line``; exported with ``dynamic_shapes``, a
    shape specialisation (PJ640, which says it fails then) counts too."""
    for d in found:
        data = d.data or {}
        if data.get(mode) != "fails" and not (dynamic and d.code == "PJ640"):
            continue
        at = data.get("strict_line", data["line"]) if mode == "strict" else data["line"]
        if line is None or at == line or (mode == "strict" and data["line"] == line):
            return True
    return False


def score_case(session: Session, path: Path, label: dict, reason: str) -> CaseScore:
    result = session.check(str(path), config=CONFIG)
    found = [d for d in result.found if d.code.startswith("PJ6") and d.path == str(path)]
    default, strict = label["default"], label["strict"]
    dynamic = "def dynamic_shapes(" in path.read_text(encoding="utf-8")
    blockers = [d.data["line"] for d in found if d.data.get("default") == "fails"]
    return CaseScore(path.stem, reason, label["script"]["ok"], not default["ok"],
                     not default["ok"] and _blamed(found, default.get("line"), "default", dynamic),
                     blockers if default["ok"] else [], not strict["ok"],
                     not strict["ok"] and _blamed(found, strict.get("line"), "strict", dynamic))


def score_suite(suite: str, paths: dict[str, Path], reason_of) -> list[CaseScore]:
    labels = json.loads(expected_path(suite).read_text())["cases"]
    session = Session()
    return [score_case(session, paths[name], label, reason_of(name, label))
            for name, label in sorted(labels.items()) if name in paths]


def corpus_scores() -> list[CaseScore]:
    paths = {p.stem: p for p in CORPUS_DIR.glob("*.py") if p.name != "__init__.py"}
    return score_suite("corpus", paths, lambda name, label: corpus_reason(name))


def exportdb_scores() -> list[CaseScore]:
    from .export_side import exportdb_cases

    paths = {p.stem: p for p in exportdb_cases()}
    return score_suite("exportdb", paths, lambda name, label: ", ".join(label["tags"]) or "(untagged)")


def tally(scores: list[CaseScore], key=lambda s: s.reason) -> dict[str, Tally]:
    out: dict[str, Tally] = defaultdict(Tally)
    for s in scores:
        out[key(s)].add(s)
        out["all"].add(s)
    return dict(out)


def _share(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f} %)" if d else "-"


def table(scores: list[CaseScore], key=lambda s: s.reason) -> str:
    rows = ["| reason | cases | TorchScript compiles | default fails: found at torch's line | "
            "exports: false blockers | strict fails: found at torch's line |", "|---|---|---|---|---|---|"]
    for reason, t in sorted(tally(scores, key).items(), key=lambda kv: (kv[0] == "all", kv[0])):
        rows.append(f"| {reason} | {t.cases} | {t.scripted} | {_share(t.default_hits, t.default_fails)} | "
                    f"{t.false_blockers} in {t.exports} | {_share(t.strict_hits, t.strict_fails)} |")
    return "\n".join(rows)


def main() -> int:
    print("## export corpus\n")
    print(table(corpus_scores()))
    try:
        db = exportdb_scores()
    except AssertionError:
        print("\n(ExportDB needs torch installed)")
        return 0
    print("\n## ExportDB (by support level)\n")
    levels = json.loads(expected_path("exportdb").read_text())["cases"]
    print(table(db, key=lambda s: levels[s.name]["support_level"]))
    print("\n## ExportDB (by tags)\n")
    print(table(db))
    return 0


if __name__ == "__main__":
    sys.exit(main())
