"""The worker's own code on a file's first analysis and then a run of edits, for an instruction
count that does not move with the machine's load:

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p python bench/edit_instructions.py \\
        --file .cache/torchvision-0.28.0/torchvision/models/resnet.py --workspace .cache/torchvision-0.28.0 \\
        --roots modules --kinds leaf docstring "new function" "moved line"
    valgrind ... python bench/edit_instructions.py ... --kinds          # the first analysis alone

The difference between the two counts, over the number of edits printed, is
an edit's cost. Same edits as ``bench/editor_latency.py`` (``--edits`` spots
per kind, each edited and then undone), run through
:class:`pyjit_server.worker.analyses.Analyses` in this process. A benchmark
to run by hand, never a test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edit_costs import configured_worker, edited_texts
from editor_latency import KINDS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--file", type=Path, default=None, help="default: the installed torch/nn/functional.py")
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--roots", default="all")
    parser.add_argument("--edits", type=int, default=2, help="spots per edit kind (each edited, then undone)")
    parser.add_argument("--kinds", nargs="*", default=[], choices=KINDS, help="none: the first analysis alone")
    args = parser.parse_args(argv)
    from pyjit_server.worker.messages import Job

    worker, path, source = configured_worker(args.file, args.workspace, args.roots)
    worker.warm_up()
    worker.analyse(Job(1, path.as_uri(), str(path), 1, source))
    handle = 1
    for _kind, text in edited_texts(source, args.kinds, args.edits):
        previous, handle = handle, handle + 1
        worker.analyse(Job(handle, path.as_uri(), str(path), handle, text, previous))
        worker.release([previous])
    print(f"{path.name}: the first analysis and {handle - 1} edits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
