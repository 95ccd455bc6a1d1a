"""The bundled summary of torch.nn's common layers (``data/torch_nn_summary.py``).

When torch's sources cannot be found, the interpreter reads ``torch.nn.<Layer>``
from this summary instead; its classes say with ``__module__`` where torch
defines them.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from ..pyworld import ClassRef, ModuleScope
from ..source import SourceFile


SUMMARY_MODULE = "pyjit_core.frontend.data.torch_nn_summary"
SUMMARY_PATH = Path(__file__).parent.parent / "data" / "torch_nn_summary.py"


def summary_scope(world: Any) -> ModuleScope | None:
    """The bundled summary of torch.nn's common layers, as a module of the world."""
    found = world.__dict__.get("_pyjit_nn_summary")
    if found is not None:
        return found
    try:
        text = SUMMARY_PATH.read_text(encoding="utf-8")
    except OSError:
        return None
    scope = ModuleScope(world, SUMMARY_MODULE, SourceFile(str(SUMMARY_PATH), text))
    world.__dict__["_pyjit_nn_summary"] = scope
    return scope


def summary_module_of(ref: ClassRef) -> str | None:
    """``__module__ = "torch.nn.modules.linear"`` in a summary class body."""
    for stmt in ref.node.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__module__"
                                                for t in stmt.targets):
            if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                return stmt.value.value
    return None
