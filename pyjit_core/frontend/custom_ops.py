"""Custom operators: ``torch.ops.<ns>.<op>`` in a namespace torch itself does not register.

torch knows a library's operators once the library is loaded: C++
(``TORCH_LIBRARY``, torchvision's ``_C.so``) or Python (``torch.library``).
pyjit loads nothing, so it reads what the workspace declares in Python:

* ``torch.library.define("ns::op", "(Tensor x) -> Tensor")``, and
  ``lib = torch.library.Library("ns", "DEF")`` then ``lib.define("op(Tensor x) -> Tensor")``:
  the schema as written;
* ``@torch.library.custom_op("ns::op", mutates_args=...)`` on an annotated
  function: the schema torch infers from the annotations (``infer_schema``);
* ``@torch.library.register_fake("ns::op")`` (and ``impl_abstract``,
  ``register_kernel``, ``impl``): no schema, but where the operator lives.

An operator with a schema is matched like any builtin. One without is
*opaque*: its node takes the call's arguments as given and gives a ``Tensor``
(one per name a tuple assignment binds), a guess. A function whose compile
fails after such a guess reports the failure as PJ904, a warning, never an
error: the operator's real schema may be what makes the difference. An
operator in one of torch's own namespaces (``aten``, ``prim``, ``quantized``...)
that torch does not have stays an error (PJ241).

Which files are read: the top-level package of the calling file and the
workspace folders (the construction index's files and texts), only those
whose text names the namespace.
"""

from __future__ import annotations

import ast
import functools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..ir import types as T
from ..ir.graph import Value
from ..ir.symbols import Symbol
from ..schema.model import FunctionSchema
from ..schema.parser import parse_schema
from ..schema.registry import default_registry
from .matching import emit_builtin_node, match_schemas, pack_outputs
from .named_value import NamedValue

if TYPE_CHECKING:
    from .construction_sites import ConstructionIndex
    from .pyworld import ModuleScope

#: Decorators (and calls) that register a kernel for an operator named by their first argument.
_KERNEL_REGISTRATIONS = frozenset({"register_fake", "impl_abstract", "register_kernel", "impl", "register_autograd",
                                   "register_torch_dispatch", "register_vmap"})


@dataclass(frozen=True)
class CustomOp:
    """What pyjit read of one custom operator."""

    name: str                               # "ns::op"
    schemas: tuple[FunctionSchema, ...]     # empty: opaque
    declared_at: str | None = None          # "path:line" of what pyjit read
    how: str = ""                           # "torch.library.define", "custom_op", "register_fake", ...

    @property
    def opaque(self) -> bool:
        return not self.schemas

    def describe(self) -> str:
        """One line for a hover."""
        where = f" at `{self.declared_at}`" if self.declared_at else ""
        if not self.opaque:
            return f"custom operator `{self.name}`: schema read from `{self.how}`{where}"
        registered = f" (pyjit found only its `{self.how}` registration{where})" if self.how else ""
        return (f"custom operator `{self.name}`: no schema pyjit can read declares it (a C++ `TORCH_LIBRARY`, "
                f"most likely){registered}; the node takes the arguments as written, and pyjit guesses "
                f"that it returns Tensor")


@functools.cache
def torch_namespaces() -> frozenset[str]:
    """The operator namespaces torch 2.13 registers itself."""
    return frozenset(name.split("::", 1)[0] for name in default_registry().operator_names())


def is_custom_namespace(namespace: str) -> bool:
    return namespace not in torch_namespaces()


def find_custom_op(name: str, scope: ModuleScope | None, index: ConstructionIndex | None) -> CustomOp:
    """What the workspace declares of ``name`` ("ns::op"), or an opaque operator."""
    namespace = name.split("::", 1)[0]
    found: CustomOp | None = None
    for path, text in _candidate_texts(namespace, scope, index):
        for op in _declarations(path, text).get(name, ()):
            if found is None or (found.opaque and not op.opaque):
                found = op
        if found is not None and not found.opaque:
            break
    return found if found is not None else CustomOp(name, ())


def _candidate_texts(namespace: str, scope: ModuleScope | None, index: ConstructionIndex | None
                     ) -> Iterator[tuple[str, str]]:
    needles = (f'"{namespace}', f"'{namespace}")
    own = None
    if scope is not None:
        own = os.path.abspath(scope.source.path)
        text = scope.source.text
        if any(n in text for n in needles):
            yield own, text
    if index is None or scope is None:
        return
    for path in index.files_containing(index.folders_for(scope), needles):
        if path != own:
            other = index.text(path)
            if other is not None:
                yield path, other


@functools.lru_cache(maxsize=128)
def _declarations(path: str, text: str) -> dict[str, tuple[CustomOp, ...]]:
    """Every custom operator one file declares, by name."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return {}
    libraries = _library_variables(tree)
    out: dict[str, list[CustomOp]] = {}
    for node in ast.walk(tree):
        for op in _read(node, libraries, path):
            out.setdefault(op.name, []).append(op)
    return {k: tuple(v) for k, v in out.items()}


def _library_variables(tree: ast.Module) -> dict[str, str]:
    """``lib = torch.library.Library("ns", "DEF")``: variable name -> namespace."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            namespace = _library_namespace(node.value)
            target = node.targets[0]
            if namespace is not None and isinstance(target, (ast.Name, ast.Attribute)):
                out[ast.unparse(target)] = namespace
    return out


def _library_namespace(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Call) and _last_name(expr.func) == "Library" and expr.args:
        first = _string(expr.args[0])
        if first is not None and len(expr.args) > 1 and _string(expr.args[1]) in ("DEF", "FRAGMENT"):
            return first
    return None


def _read(node: ast.AST, libraries: dict[str, str], path: str) -> Iterator[CustomOp]:
    if isinstance(node, ast.Call):
        name = _last_name(node.func)
        if name == "define" and isinstance(node.func, ast.Attribute):
            yield from _define(node, libraries, path)
        elif name in _KERNEL_REGISTRATIONS and node.args:
            qualified = _string(node.args[0])
            if qualified is not None and "::" in qualified:
                yield CustomOp(qualified.split(".", 1)[0], (), f"{path}:{node.lineno}", name)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and _last_name(decorator.func) == "custom_op" and decorator.args:
                qualified = _string(decorator.args[0])
                if qualified is not None and "::" in qualified:
                    schema = _inferred_schema(qualified, node, decorator)
                    yield CustomOp(qualified, (schema,) if schema is not None else (),
                                   f"{path}:{node.lineno}", "custom_op")


def _define(call: ast.Call, libraries: dict[str, str], path: str) -> Iterator[CustomOp]:
    receiver = call.func.value  # type: ignore[attr-defined]
    strings = [_string(a) for a in call.args]
    text: str | None = None
    how = ""
    if _last_name(receiver) == "library" and len(strings) >= 2 and strings[0] and strings[1]:
        text, how = f"{strings[0]}{strings[1]}", "torch.library.define"       # define("ns::op", "(...) -> ...")
    else:
        namespace = libraries.get(ast.unparse(receiver)) or _library_namespace(receiver)
        if namespace is not None and strings and strings[0]:
            text, how = f"{namespace}::{strings[0]}", "Library.define"         # lib.define("op(...) -> ...")
    if text is None:
        return
    try:
        schema = parse_schema(text)
    except Exception:
        return
    if "::" in schema.name:
        yield CustomOp(schema.name, (schema,), f"{path}:{call.lineno}", how)


# --- torch.library.custom_op: the schema from the annotations (torch: infer_schema) -------------

_PARAMETER_TYPES = {
    "Tensor": "Tensor", "int": "SymInt", "float": "float", "bool": "bool", "str": "str",
    "dtype": "ScalarType", "device": "Device", "Number": "Scalar", "Scalar": "Scalar", "SymInt": "SymInt",
}
_LIST_ELEMENTS = {"Tensor": "Tensor", "int": "SymInt", "float": "float", "bool": "bool", "SymInt": "SymInt"}


def _inferred_schema(qualified: str, fn: ast.FunctionDef | ast.AsyncFunctionDef, decorator: ast.Call
                     ) -> FunctionSchema | None:
    """``@custom_op("ns::op", mutates_args=("x",))`` on ``def f(x: Tensor, n: int = 2) -> Tensor``:
    ``ns::op(Tensor(a0!) x, SymInt n=2) -> Tensor``, as torch infers it; None when an annotation
    is one pyjit does not know (the operator is then opaque, never wrong)."""
    mutated = _mutated(decorator)
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    parts: list[str] = []
    alias = 0
    pairs = [*zip(positional, defaults, strict=False), *zip(a.kwonlyargs, a.kw_defaults, strict=False)]
    for i, (arg, default) in enumerate(pairs):
        if i == len(positional) and a.kwonlyargs:
            parts.append("*")
        if arg.annotation is None:
            return None
        type_text = _parameter_type(arg.annotation)
        if type_text is None:
            return None
        if arg.arg in mutated or mutated == "all":
            if not type_text.startswith("Tensor"):
                return None
            type_text = type_text.replace("Tensor", f"Tensor(a{alias}!)", 1)
            alias += 1
        default_text = ""
        if default is not None:
            value = _default_text(default)
            if value is None:
                return None
            default_text = f"={value}"
        parts.append(f"{type_text} {arg.arg}{default_text}")
    returns = _return_type(fn.returns)
    if returns is None or a.vararg is not None or a.kwarg is not None:
        return None
    try:
        return parse_schema(f"{qualified}({', '.join(parts)}) -> {returns}")
    except Exception:
        return None


def _mutated(decorator: ast.Call) -> set[str] | str:
    for kw in decorator.keywords:
        if kw.arg == "mutates_args":
            if _string(kw.value) == "unknown":
                return "all"
            if isinstance(kw.value, (ast.Tuple, ast.List, ast.Set)):
                return {s for s in (_string(e) for e in kw.value.elts) if s is not None}
    return set()


def _parameter_type(annotation: ast.expr) -> str | None:
    name = _last_name(annotation)
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):     # X | None
        if _is_none(annotation.right):
            inner = _parameter_type(annotation.left)
            return f"{inner}?" if inner is not None and not inner.endswith("?") else None
        return None
    if isinstance(annotation, ast.Subscript):
        outer = _last_name(annotation.value)
        inner_expr = annotation.slice
        if outer == "Optional":
            inner = _parameter_type(inner_expr)
            return f"{inner}?" if inner is not None and not inner.endswith("?") else None
        if outer in ("List", "list", "Sequence"):
            element = _LIST_ELEMENTS.get(_last_name(inner_expr) or "")
            return f"{element}[]" if element is not None else None
        return None
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            return _parameter_type(ast.parse(annotation.value, mode="eval").body)
        except SyntaxError:
            return None
    return _PARAMETER_TYPES.get(name or "")


def _return_type(annotation: ast.expr | None) -> str | None:
    if annotation is None or _is_none(annotation):
        return "()"
    if isinstance(annotation, ast.Subscript) and _last_name(annotation.value) in ("Tuple", "tuple"):
        elements = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
        parts = [_parameter_type(e) for e in elements]
        if any(p is None or p.endswith("?") for p in parts):
            return None
        return f"({', '.join(parts)})"  # type: ignore[arg-type]
    single = _parameter_type(annotation)
    return single if single is not None and not single.endswith("?") else None


def _default_text(expr: ast.expr) -> str | None:
    if (isinstance(expr, ast.Constant) and isinstance(expr.value, (bool, int, float))) or _is_none(expr):
        return repr(expr.value) if not _is_none(expr) else "None"  # type: ignore[attr-defined]
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub) and isinstance(expr.operand, ast.Constant):
        return f"-{expr.operand.value!r}"
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return f'"{expr.value}"'
    return None


# --- small readers ---------------------------------------------------------------------------------


def _string(expr: ast.expr) -> str | None:
    return expr.value if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else None


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _last_name(expr: ast.expr) -> str | None:
    return expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else None


# --- emission ------------------------------------------------------------------------------------


def emit_custom_op_call(loc, m, symbol: Symbol, args: Sequence[NamedValue], kwargs: Sequence[NamedValue],
                        n_binders: int) -> Value:
    """A call of a custom operator: matched against its declared schema, or opaque (see the module
    docstring). ``m`` is the function emitter; an opaque call is recorded on its function, whose
    failures are then reported as PJ904."""
    resolver = getattr(m, "resolver", None)
    compiler = getattr(resolver, "compiler", None)
    op = find_custom_op(symbol.qual_string(), getattr(resolver, "scope", None),
                        getattr(compiler, "constructions", None))
    graph = m.graph
    if not op.opaque:
        _, matched = match_schemas(op.schemas, loc, graph, args, list(kwargs))
        out = emit_builtin_node(matched, loc, graph, symbol)
        node = out.node if len(matched.return_types) == 1 else out.node.inputs[0].node
        node.operator_info = op
        return out
    node = graph.insert_node(graph.create(symbol, [nv.value(graph) for nv in (*args, *kwargs)], 0))
    node.set_source_range(loc)
    for _ in range(max(n_binders, 1)):
        node.add_output(T.Tensor)
    node.operator_info = op
    m.fn.guesses.append(op.name)
    return pack_outputs(graph, node.outputs, None)
