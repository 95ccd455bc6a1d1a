"""Values that cross from plain Python into TorchScript where torch would not
accept them.

Where the values come from is :mod:`.flow`; whether torch accepts them is
decided with :func:`~pyjit_core.ir.casting.as_module` and
:func:`~pyjit_core.ir.casting.as_object`, in the order torch tries them
(torch: ``toIValue`` in pybind_utils.h, ``torch/jit/_freeze.py``,
``torch/jit/_serialization.py``). Checked against torch 2.13:

* ``torch.jit.freeze(v)`` / ``torch.jit.optimize_for_inference(v)`` need a
  ScriptModule (``as_module``): ``Freezing expects a ScriptModule as input.
  Please use torch.jit.script or torch.jit.trace to script your
  'nn.Module'.`` (a scripted *function* fails the same way);
* ``torch.jit.save(v, f)`` calls ``v.save(f)`` (``v.save_to_buffer()`` for a
  file object): an eager module has neither, ``AttributeError: 'Model' object
  has no attribute 'save'`` (PJ501);
* a scripted function's parameter of a script-class type takes a ScriptModule
  or script object as is; any other object is copied attribute by attribute,
  and a missing one fails: ``Tried to cast object to type __torch__.P but
  object was missing attribute a`` (PJ503);
* an interface-typed parameter takes a ScriptModule, a script object, or an
  instance of a class torch has compiled; an instance of a plain class (or of
  an ``nn.Module`` class never scripted) fails: ``Assigning the object ... to
  an interface fails because the value is not a TorchScript compatible type,
  did you forget toturn it into a user defined TorchScript class?`` (PJ502).

Fixes: "Script it" wraps the argument in ``torch.jit.script(...)``; "Make
``C`` a script class" adds ``@torch.jit.script`` to the class. Both add
``import torch`` when the file lacks it.
"""

from __future__ import annotations

import ast

from ..diagnostics import Diagnostic, Fix
from ..frontend.compilation_unit import torch_qualified_name
from ..frontend.pyworld import ClassRef
from ..ir import types as T
from ..ir.casting import as_module, as_object
from .context import CheckContext
from .fixes import decorate_edits, node_range, wrap_edits
from .flow import (
    FREEZE,
    OPTIMIZE,
    SAVE,
    BufferValue,
    CallSite,
    InstanceValue,
    LiteralValue,
    ScriptFunctionValue,
    class_attributes,
    init_attributes,
)

FREEZE_MESSAGE = ("Freezing expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to "
                  "script your 'nn.Module'.")
OPTIMIZE_MESSAGE = ("optimize_for_inference expects a ScriptModule as input. Please use torch.jit.script or "
                    "torch.jit.trace to script your 'nn.Module'.")
INTERFACE_MESSAGE = ("Assigning the object {obj} to an interface fails because the value is not a TorchScript "
                     "compatible type, did you forget toturn it into a user defined TorchScript class?")
MISSING_MESSAGE = "Tried to cast object to type {type} but object was missing attribute {attr}"


def check(ctx: CheckContext) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for site in ctx.flow.calls:
        if site.path in FREEZE or site.path in OPTIMIZE:
            out += _needs_script_module(ctx, site, FREEZE_MESSAGE if site.path in FREEZE else OPTIMIZE_MESSAGE)
        elif site.path in SAVE:
            out += _save(ctx, site)
        elif isinstance(site.callee, ScriptFunctionValue):
            out += _script_function_call(ctx, site, site.callee)
    return out


# --- torch.jit.freeze / optimize_for_inference / save ---------------------------------------


def _needs_script_module(ctx: CheckContext, site: CallSite, torch_message: str) -> list[Diagnostic]:
    value, expr = site.argument(0, "mod")
    if expr is None:
        return []
    if isinstance(value, InstanceValue) and as_module(value.instance) is None:
        what = _describe(value)
        # torch.jit.freeze also needs eval mode ("Freezing is currently only implemented
        # for modules in eval mode"); optimize_for_inference calls .eval() itself.
        after = ").eval()" if site.path in FREEZE else ")"
        return [_diagnostic(ctx, "PJ501", f"{torch_message} ({_spell(ctx, expr)} is {what})", expr, value,
                            script_it=value.instance.cls.role == "module", after=after)]
    if isinstance(value, ScriptFunctionValue):
        return [Diagnostic("PJ501", f"{torch_message} ({_spell(ctx, expr)} is a scripted function, not a module)",
                           ctx.path, node_range(ctx.source, expr))]
    return []


def _save(ctx: CheckContext, site: CallSite) -> list[Diagnostic]:
    value, expr = site.argument(0, "m")
    if expr is None or not isinstance(value, InstanceValue) or as_module(value.instance) is not None:
        return []
    target, _ = site.argument(1, "f")
    method = "save_to_buffer" if isinstance(target, BufferValue) else "save"
    if not isinstance(target, (BufferValue, LiteralValue)):
        method = "save"  # a path (str or os.PathLike); a file object would call save_to_buffer
    torch_error = f"AttributeError: '{value.class_name}' object has no attribute '{method}'"
    if value.instance.origin == "scripted":  # a RecursiveScriptClass: torch looks the field up on the object
        cls = value.instance.cls
        qualified = torch_qualified_name(cls.__module__, cls.__qualname__)
        torch_error = (f"AttributeError: {qualified} (of Python compilation unit at: 0x...) does not have a field "
                       f"with name '{method}'")
    message = (f"torch.jit.save needs a ScriptModule, but {_spell(ctx, expr)} is {_describe(value)}; "
               f"torch fails with {torch_error}")
    return [_diagnostic(ctx, "PJ501", message, expr, value, script_it=value.instance.cls.role == "module")]


# --- calls to scripted functions ------------------------------------------------------------


def _script_function_call(ctx: CheckContext, site: CallSite, callee: ScriptFunctionValue) -> list[Diagnostic]:
    qualified = torch_qualified_name(callee.ref.scope.module_name, callee.ref.qualname)
    fn = ctx.analysis.functions.get(qualified)
    if fn is None or fn.graph is None:
        return []
    node = callee.ref.node
    params = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
    inputs = fn.graph.inputs
    out: list[Diagnostic] = []
    for index, (param, graph_input) in enumerate(zip(params, inputs, strict=False)):
        positional = index < len(node.args.posonlyargs) + len(node.args.args)
        value, expr = site.argument(index if positional else 1 << 30, param.arg)
        if expr is None or not isinstance(value, InstanceValue):
            continue
        out += _cast_argument(ctx, site, value, expr, graph_input.type, param.arg, callee.ref.qualname)
    return out


def _cast_argument(ctx: CheckContext, site: CallSite, value: InstanceValue, expr: ast.expr, type_: T.JitType,
                   param: str, function: str) -> list[Diagnostic]:
    instance = value.instance
    if as_module(instance) is not None or as_object(instance) is not None:
        return []  # torch takes the ScriptModule / script object as it is
    if isinstance(type_, T.InterfaceType):
        if _compiled_class(ctx, value):
            return []
        obj = f"<{instance.cls.__module__}.{instance.cls.__qualname__} object at 0x...>" \
            if instance.cls.role != "module" else f"{instance.cls.__name__}(...)"
        message = (INTERFACE_MESSAGE.format(obj=obj)
                   + f" ({_spell(ctx, expr)} is {_describe(value)}, passed as '{param}' of {function})")
        return [_diagnostic(ctx, "PJ502", message, expr, value, script_it=True,
                            make_script_class=instance.cls.role == "plain")]
    if isinstance(type_, T.ClassType) and not type_.is_module:
        target = _class_for_type(ctx, type_)
        if target is None or value.cls is None:
            return []
        have = class_attributes(value.cls)
        if have is None:
            return []
        missing = [a for a in init_attributes(target) if a not in have]
        if not missing:
            return []  # torch copies the attributes into a new object
        message = (MISSING_MESSAGE.format(type=type_.name, attr=missing[0])
                   + f" ({_spell(ctx, expr)} is {_describe(value)}, passed as '{param}' of {function}; "
                   f"{value.class_name} has no attribute {', '.join(repr(m) for m in missing)})")
        return [Diagnostic("PJ503", message, ctx.path, node_range(ctx.source, expr),
                           data={"class": value.class_name, "missing": missing})]
    return []


def _compiled_class(ctx: CheckContext, value: InstanceValue) -> bool:
    """Whether torch has compiled the value's class by the time it runs: a
    script class, or a class this file scripts (a root)."""
    if value.instance.cls.role == "script_class":
        return True
    if value.cls is None:
        return False
    roots = (*ctx.analysis.roots, *ctx.analysis.unanalysed)   # left out by the budget: scripted all the same
    return any(root.name == value.cls.qualname for root in roots)


def _class_for_type(ctx: CheckContext, type_: T.ClassType) -> ClassRef | None:
    scope = ctx.scope
    prefix = torch_qualified_name(scope.module_name, "")
    if not type_.name.startswith(prefix):
        return None
    ref = scope.lookup(type_.name[len(prefix):].split(".")[0])
    return ref if isinstance(ref, ClassRef) else None


# --- wording and fixes -------------------------------------------------------------------------


def _describe(value: InstanceValue) -> str:
    cls = value.instance.cls
    made = getattr(value.made_at, "lineno", None)
    where = f" made on line {made}" if made else ""
    if cls.role == "module":
        return f"an eager '{cls.__name__}' (an nn.Module{where})"
    if value.instance.origin == "scripted":
        return f"a scripted '{cls.__name__}' object{where}"
    kind = "script class" if cls.role == "script_class" else "class"
    return f"a '{cls.__name__}' object (a plain instance of a {kind}{where})"


def _spell(ctx: CheckContext, expr: ast.expr) -> str:
    if isinstance(expr, ast.Name):
        return f"'{expr.id}'"
    text = ast.unparse(expr)
    return f"'{text}'" if len(text) <= 40 else "the argument"


def _diagnostic(ctx: CheckContext, code: str, message: str, expr: ast.expr, value: InstanceValue, *,
                script_it: bool, make_script_class: bool = False, after: str = ")") -> Diagnostic:
    fixes = []
    tree, scope = ctx.tree, ctx.scope
    if script_it:
        fixes.append(Fix(f"Script it: torch.jit.script(...){after[1:]}",
                         wrap_edits(ctx.source, tree, scope, expr, "torch.jit.script(", after)))
    if make_script_class and value.cls is not None and value.cls.scope.source.path == ctx.path:
        fixes.append(Fix(f"Make '{value.cls.name}' a script class",
                         decorate_edits(ctx.source, tree, scope, value.cls.node, "torch.jit.script")))
    return Diagnostic(code, message, ctx.path, node_range(ctx.source, expr), fixes=tuple(fixes),
                      data={"class": value.class_name, "origin": value.instance.origin,
                            "role": value.instance.cls.role})
