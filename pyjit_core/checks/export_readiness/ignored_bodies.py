"""The bodies of ``@torch.jit.ignore`` helpers, which ``torch.export`` traces as
plain Python (TorchScript never compiles them, so pyjit has no graph).

A small syntactic reading: parameters annotated ``Tensor`` and the results of
``torch.*`` calls and tensor methods are tensors; converting one with
``float``/``int``/``bool`` or branching on one reads its data (PJ602, PJ601, as in
:mod:`.dataflow`); mutating a module-level object runs once, at export (PJ630).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...frontend.pyworld import ModuleScope
from .dataflow import GUARD, SPECIALIZE
from .findings import Finding

_NOT_TENSOR_METHODS = frozenset({"size", "dim", "numel", "item", "tolist", "ndimension", "nelement",
                                 "is_contiguous", "is_floating_point", "data_ptr", "stride", "element_size",
                                 "get_device", "__len__"})
_TENSOR_ANNOTATIONS = frozenset({"torch.Tensor", "Tensor", "torch.tensor"})


class _Tensors:
    def __init__(self, scope: ModuleScope, fn: ast.FunctionDef) -> None:
        self.scope = scope
        self.names = {a.arg for a in fn.args.args + fn.args.kwonlyargs
                      if a.annotation is not None and self._is_tensor_annotation(a.annotation)}

    def _is_tensor_annotation(self, annotation: ast.expr) -> bool:
        name = self.scope.dotted_name(annotation) or ast.unparse(annotation)
        return name in _TENSOR_ANNOTATIONS

    def __call__(self, e: ast.expr) -> bool:
        if isinstance(e, ast.Name):
            return e.id in self.names
        if isinstance(e, ast.Call):
            if isinstance(e.func, ast.Attribute) and e.func.attr not in _NOT_TENSOR_METHODS and self(e.func.value):
                return True
            name = self.scope.dotted_name(e.func)
            return name.startswith("torch.") and not name.startswith(("torch.jit", "torch._check"))
        if isinstance(e, ast.BinOp):
            return self(e.left) or self(e.right)
        if isinstance(e, ast.Compare):
            return self(e.left) or any(self(c) for c in e.comparators)
        if isinstance(e, ast.UnaryOp):
            return self(e.operand)
        if isinstance(e, ast.Subscript):
            return self(e.value)
        return False


def ignored_findings(scope: ModuleScope, fn: ast.FunctionDef) -> Iterator[Finding]:
    tensors = _Tensors(scope, fn)
    module_names = _module_level_names(scope.tree) if scope.tree is not None else set()
    for stmt in ast.walk(fn):
        if isinstance(stmt, ast.Assign) and tensors(stmt.value):
            tensors.names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
    for n in ast.walk(fn):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("float", "int", "bool") \
                and len(n.args) == 1 and tensors(n.args[0]):
            yield Finding("PJ602", n.lineno, n.col_offset, n.end_lineno or n.lineno, n.end_col_offset or 0,
                          f"{n.func.id}() of a tensor in an ignored helper (export runs its Python)",
                          "fails", "ok", SPECIALIZE if n.func.id == "int" else GUARD, "",
                          "keep it a tensor, or return the tensor and branch with `torch.cond`")
        elif isinstance(n, (ast.If, ast.While, ast.IfExp)) and tensors(n.test):
            yield Finding("PJ601", n.test.lineno, n.test.col_offset, n.test.end_lineno or n.test.lineno,
                          n.test.end_col_offset or 0, "control flow on a tensor's value in an ignored helper",
                          "fails", "fails", GUARD, "Data-dependent branching",
                          "use `torch.cond`, or `torch.where` to pick between both results")
        elif isinstance(n, (ast.Global, ast.AugAssign, ast.Assign)) and _mutates_module_state(n, module_names):
            yield Finding("PJ630", n.lineno, n.col_offset, n.end_lineno or n.lineno, n.end_col_offset or 0,
                          "module-level state changed in an ignored helper", "ok", "ok",
                          "runs once, while exporting; the exported program does not change it",
                          "", "return the new value, or keep the state outside the model")


def _module_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]):
                if isinstance(t, ast.Name):
                    names.add(t.id)
    return names


def _mutates_module_state(n: ast.stmt, module_names: set[str]) -> bool:
    if isinstance(n, ast.Global):
        return True
    targets: list[ast.expr]
    if isinstance(n, ast.AugAssign):
        targets = [n.target]
    elif isinstance(n, ast.Assign):
        targets = n.targets
    else:
        return False
    for t in targets:
        base: ast.expr = t
        while isinstance(base, (ast.Subscript, ast.Attribute)):
            base = base.value
        if isinstance(base, ast.Name) and base.id in module_names and base is not t:
            return True
    return False
