"""Where a module root's analysis spends its CPU time on an edit: the steps of
:class:`pyjit_core.frontend.script_modules.ModuleSupport`, timed in this process:

    python bench/module_root_split.py --file .cache/torchvision-0.28.0/torchvision/models/resnet.py \\
        --workspace .cache/torchvision-0.28.0 --kinds leaf docstring

``create_script_module`` compiles (or reuses) the module methods, ``build`` runs
the builders that construct the instances, ``concrete types`` reads the
instances as torch's ConcreteModuleType does. Each is timed once per call
from outside (a nested call counts in the outer one). The edits are
``bench/editor_latency.py``'s, each applied then undone, through
:class:`pyjit_server.worker.analyses.Analyses`. A benchmark to run by hand,
never a test (made from the lead's ``resnet_split.py`` of issue 13).
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edit_costs import configured_worker, edited_texts
from editor_latency import KINDS

SPENT: collections.Counter[str] = collections.Counter()


def timed(owner: Any, name: str, label: str) -> None:
    """Add the CPU time of ``owner.name``'s outermost calls to ``SPENT[label]``."""
    original = getattr(owner, name)
    inside = [False]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if inside[0]:
            return original(*args, **kwargs)
        inside[0] = True
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - started
            inside[0] = False

    setattr(owner, name, wrapper)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--edits", type=int, default=2, help="spots per edit kind (each edited, then undone)")
    parser.add_argument("--kinds", nargs="+", default=["leaf", "docstring"], choices=KINDS)
    args = parser.parse_args(argv)
    from pyjit_server.worker.messages import Job

    from pyjit_core.frontend import construction_sites, script_modules
    from pyjit_core.frontend.modules import concrete_types

    timed(script_modules.ModuleSupport, "compile_root", "compile_root")
    timed(script_modules.ModuleSupport, "create_script_module", "create_script_module")
    timed(script_modules.ModuleSupport, "build", "build")
    timed(concrete_types.ConcreteTypeStore, "get_or_create", "concrete types")
    timed(construction_sites.ConstructionIndex, "sites_of", "sites_of")
    worker, path, source = configured_worker(args.file, args.workspace, "modules")
    worker.warm_up()
    worker.analyse(Job(1, path.as_uri(), str(path), 1, source))
    SPENT.clear()
    handle, total = 1, 0.0
    for _kind, text in edited_texts(source, args.kinds, args.edits):
        previous, handle = handle, handle + 1
        started = time.process_time()
        worker.analyse(Job(handle, path.as_uri(), str(path), handle, text, previous))
        total += time.process_time() - started
        worker.release([previous])
    count = handle - 1
    print(f"{path.name}: {count} edits ({', '.join(args.kinds)}), analysis {total / count * 1000:.0f} ms/edit (CPU)")
    for label, seconds in SPENT.most_common():
        print(f"  {label}: {seconds / count * 1000:.0f} ms/edit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
