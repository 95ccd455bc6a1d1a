"""torch's own frontend passes, built on demand as a tiny C++ extension.

``torch._C`` binds constant propagation, pooling and DCE, but not
ConvertToSSA, TransformExits, CanonicalizeModifiedLoops, NormalizeOps,
LowerSimpleTuples, CanonicalizeOutputs, AnnotateWarns or runCleanupPasses.
Their symbols are exported from libtorch, so a few lines of pybind11
(``_torch_oracle.cpp``) expose them. :func:`load` returns ``None`` when
torch, a C++ compiler or the build is unavailable; callers skip.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from types import ModuleType

_SOURCE = Path(__file__).with_name("_torch_oracle.cpp")


@functools.cache
def load() -> ModuleType | None:
    try:
        import torch.utils.cpp_extension as ext
    except ImportError:
        return None
    if shutil.which(os.environ.get("CXX", "c++")) is None:
        return None
    build = Path(os.environ.get("PYJIT_ORACLE_BUILD", Path.home() / ".cache" / "pyjit-torch-oracle"))
    build.mkdir(parents=True, exist_ok=True)
    try:
        return ext.load(name="pyjit_torch_oracle", sources=[str(_SOURCE)], build_directory=str(build),
                        extra_cflags=["-O0"], verbose=False)
    except Exception:  # a missing compiler or headers: the oracle is simply unavailable
        return None
