"""Calls into Python (``prim::PythonOp``): torch's ``lint_python`` and the
calling convention against the Python signature.

* PJ310-313: ``PythonOp::lint_python`` (via :func:`pyjit_core.ir.lint.lint_python`)
  on every PythonOp of every compiled graph. One case is common in real
  code: torch builds ``cconv`` from the *positional* arguments only, so a
  keyword argument to an ignored function (``helper(x, y=3)``) leaves the
  inputs and ``cconv`` disagreeing (``cconv "d"``, two inputs); torch's own
  ``_jit_pass_lint`` asserts on it and running the call raises ``TypeError``.
* PJ401: the number of arguments the Python side receives (``len(cconv)``,
  plus ``ctx`` for ``MyFn.apply``) does not fit the Python signature seen in
  source (``node.callee_ref``): ``MyFn.forward() missing 1 required
  positional argument: 'k'``.
* PJ402: a Tensor reaches a parameter the Python side annotates as a scalar.
* PJ403: the callee cannot be resolved to source, so nothing can be checked.
"""

from __future__ import annotations

import ast

from ..diagnostics import Diagnostic
from ..frontend.pyworld import ClassAttributeRef, FunctionRef, Ref, ref_path
from ..ir.lint import lint_python
from ..ir.python_op import ConcretePythonOp
from ..ir.types import TensorType
from ..ir.walk import walk_nodes
from .context import CheckContext

SCALAR_ANNOTATIONS = {"int", "float", "bool", "str", "complex", "builtins.int", "builtins.float", "builtins.bool",
                      "builtins.str", "builtins.complex"}


def check(ctx: CheckContext) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for _fn, graph in ctx.compiled():
        for node in walk_nodes(graph, subgraphs=True):
            if not isinstance(node, ConcretePythonOp):
                continue
            where = ctx.text_range(node)
            if where is None:
                continue  # compiled from another file: reported there
            call = ctx.anchors.call_for(node.source_range)
            findings = lint_python(node)
            if python_signature(getattr(node, "callee_ref", None)) is None:
                # No callable because pyjit could not resolve the callee: say that (PJ403) instead.
                findings = [f for f in findings if f.code != "PJ311"]
            for finding in findings:
                message = finding.message
                if finding.code == "PJ313" and call is not None and call.keywords:
                    message += _keyword_explanation(node, call)
                out.append(Diagnostic(finding.code, message, ctx.path, where,
                                      data={"python_name": node.name(), "cconv": node.cconv}))
            if not findings or python_signature(getattr(node, "callee_ref", None)) is None:
                out += _against_signature(ctx, node, where)
    return out


def _keyword_explanation(node: ConcretePythonOp, call: ast.Call) -> str:
    names = ", ".join(f"'{k.arg}'" for k in call.keywords if k.arg)
    return (f". The call passes keyword argument(s) {names}: torch builds the calling convention from the "
            f"positional arguments only, so Python receives {len(node.cconv)} argument(s) and the keyword "
            "value(s) are lost (running it raises TypeError). Pass them positionally")


class PythonSignature:
    """What the Python side of a call accepts, read from its ``def``."""

    def __init__(self, node: ast.FunctionDef, display: str, skip_first: bool) -> None:
        args = node.args
        params = [*args.posonlyargs, *args.args]
        defaults = len(args.defaults)
        self.node = node
        self.display = display            # "MyFn.forward", "helper": what Python's TypeError names
        self.params = params              # every positional parameter, ctx included
        self.first = 1 if skip_first else 0  # arguments the caller does not pass (ctx)
        self.required = len(params) - defaults
        self.vararg = args.vararg is not None
        self.required_kwonly = [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=False) if d is None]

    def problem(self, given: int) -> str | None:
        """Python's TypeError for a call with ``given`` positional arguments (ctx excluded), if any."""
        total = given + self.first
        if total > len(self.params) and not self.vararg:
            takes = len(self.params)
            if self.required < takes:
                count = f"from {self.required} to {takes} positional arguments"
            else:
                count = f"{takes} positional argument{'s' if takes != 1 else ''}"
            were = "was" if total == 1 else "were"
            return f"{self.display}() takes {count} but {total} {were} given"
        if total < self.required:
            missing = [p.arg for p in self.params[total:self.required]]
            return (f"{self.display}() missing {len(missing)} required positional argument"
                    f"{'s' if len(missing) != 1 else ''}: {_python_list(missing)}")
        if self.required_kwonly:
            k = self.required_kwonly
            return (f"{self.display}() missing {len(k)} required keyword-only argument"
                    f"{'s' if len(k) != 1 else ''}: {_python_list(k)}")
        return None


def _python_list(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f"{quoted[0]} and {quoted[1]}"
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


def python_signature(ref: Ref | None) -> PythonSignature | None:
    """The signature behind a PythonOp's callee reference, when source shows it."""
    if isinstance(ref, FunctionRef):
        return PythonSignature(ref.node, ref.qualname, skip_first=False)
    if isinstance(ref, ClassAttributeRef) and ref.name == "apply":
        for stmt in ref.cls.node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "forward":
                return PythonSignature(stmt, f"{ref.cls.qualname}.forward", skip_first=True)
    return None


def callee_description(ref: Ref | None) -> str | None:
    if isinstance(ref, FunctionRef):
        return f"{ref.scope.module_name}.{ref.qualname}"
    if isinstance(ref, ClassAttributeRef):
        return f"{ref.cls.scope.module_name}.{ref.cls.qualname}.{ref.name}"
    if ref is None:
        return None
    path = ref_path(ref)
    return path or getattr(ref, "description", None)


def _against_signature(ctx: CheckContext, node: ConcretePythonOp, where) -> list[Diagnostic]:
    ref = getattr(node, "callee_ref", None)
    signature = python_signature(ref)
    if signature is None:
        what = callee_description(ref) or node.name()
        return [Diagnostic("PJ403", f"pyjit cannot find the source of '{what}', which this call runs in Python "
                           f"(^{node.name()}): its calling convention is not checked, and torch compiles an "
                           "ordinary Python function instead of calling it", ctx.path, where,
                           data={"python_name": node.name()})]
    out: list[Diagnostic] = []
    given = len(node.cconv)
    problem = signature.problem(given)
    related = ()
    if problem is not None:
        out.append(Diagnostic(
            "PJ401", f"running this call raises TypeError: {problem} (TorchScript passes the {given} positional "
            f"argument(s) of the call{' after ctx' if signature.first else ''})", ctx.path, where, related,
            data={"python_name": node.name(), "cconv": node.cconv, "given": given}))
    inputs = iter(node.inputs)
    for i, c in enumerate(node.cconv):
        if c != "d":
            continue
        value = next(inputs, None)
        index = i + signature.first
        if value is None or index >= len(signature.params):
            continue
        param = signature.params[index]
        annotation = _annotation_name(param.annotation)
        if annotation in SCALAR_ANNOTATIONS and isinstance(value.type, TensorType):
            out.append(Diagnostic(
                "PJ402", f"argument {i + 1} is a Tensor, but {signature.display} annotates '{param.arg}' as "
                f"{annotation.rsplit('.', 1)[-1]}", ctx.path, where,
                data={"python_name": node.name(), "parameter": param.arg}))
    return out


def _annotation_name(annotation: ast.expr | None) -> str | None:
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.Attribute) and isinstance(annotation.value, ast.Name):
        return f"{annotation.value.id}.{annotation.attr}"
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value
    return None
