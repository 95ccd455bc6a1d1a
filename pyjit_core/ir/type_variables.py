"""Type variables in schemas: binding ``t`` from actual types, then substituting.

torch: ``matchTypeVariables``, ``tryEvalTypeVariables`` and ``unifyTypeList``
(aten/src/ATen/core/type.cpp). A schema such as ``aten::append.t(t[](a!)
self, t(c -> *) el) -> t[](a!)`` is generic in ``t``: matching the first
argument binds ``t`` in a :data:`TypeEnv`, later arguments must agree with
the binding, and the return type is the formal with every variable replaced.

Failure reasons are torch's sentences, with types spelled as torch's
``repr_str()`` spells them (the Python annotation form, ``List[t]``).
"""

from __future__ import annotations

from . import types as T

#: Type variable name → the type it was bound to. torch: TypeEnv.
TypeEnv = dict[str, T.JitType]


def repr_str(t: T.JitType) -> str:
    """How torch's error messages spell a type: the annotation form, and
    ``Tensor (inferred)`` for an unannotated parameter. torch: Type::repr_str."""
    if isinstance(t, T.TensorType) and t.inferred:
        return "Tensor (inferred)"
    return t.annotation_str()


def has_free_variables(t: T.JitType) -> bool:
    """Whether ``t`` mentions a type variable. torch: Type::hasFreeVariables."""
    if isinstance(t, T.VarType):
        return True
    return any(has_free_variables(contained) for contained in t.contained_types())


def unify_type_list(elements: tuple[T.JitType, ...] | list[T.JitType]) -> tuple[T.JitType | None, str]:
    """The one type every element fits, or ``None`` and torch's reason. torch: unifyTypeList."""
    if not elements:
        return None, "Cannot get unified type from empty list"
    ret = elements[0]
    for i in range(1, len(elements)):
        unified = T.unify_types(ret, elements[i])
        if unified is None:
            return None, (
                f"Could not unify type list since element {i} of type {repr_str(elements[i])} "
                f"did not match the types before it ({repr_str(ret)})"
            )
        ret = unified
    return ret, ""


def match_type_variables(formal: T.JitType, actual: T.JitType, env: TypeEnv) -> str | None:
    """Bind the variables of ``formal`` so that ``actual`` fits it.

    Returns ``None`` on success (``env`` updated), else torch's reason.
    torch: matchTypeVariables; its MatchTypeReturn is the optional reason.
    """
    if not has_free_variables(formal):
        return None
    if isinstance(formal, T.VarType):
        bound = env.get(formal.name)
        if bound is None:
            env[formal.name] = actual
            return None
        # unifyTypes allows subtyping either way, so the binding stays as it
        # is; the argument's own subtype check reports a real mismatch.
        if T.unify_types(bound, actual) is not None:
            return None
        return (
            f"Type variable '{formal.name}' previously matched to type {repr_str(bound)} "
            f"is matched to type {repr_str(actual)}"
        )
    if isinstance(formal, T.ListType):
        if isinstance(actual, T.ListType):
            return match_type_variables(formal.element, actual.element, env)
        if isinstance(actual, T.TupleType):
            unified, _ = unify_type_list(actual.elements)
            if unified is not None:
                return match_type_variables(formal.element, unified, env)
        return f"Cannot match {repr_str(formal)} to {repr_str(actual)}"
    if isinstance(formal, T.TupleType):
        if not isinstance(actual, T.TupleType):
            return f"Cannot match a tuple to {repr_str(actual)}"
        if len(formal.elements) != len(actual.elements):
            return "Cannot match tuples of mismatched size"
        for f, a in zip(formal.elements, actual.elements, strict=False):
            reason = match_type_variables(f, a, env)
            if reason is not None:
                return reason
        return None
    for container, article in ((T.FutureType, "a future"), (T.AwaitType, "an await"), (T.RRefType, "a rref")):
        if isinstance(formal, container):
            if isinstance(actual, container):
                return match_type_variables(formal.element, actual.element, env)
            return f"Cannot match {article} to {repr_str(actual)}"
    if isinstance(formal, T.OptionalType):
        if isinstance(actual, T.OptionalType):
            return match_type_variables(formal.element, actual.element, env)
        if not T.is_subtype(actual, T.NoneT):
            # A plain value may fill Optional[t]; None leaves t unbound, and
            # try_eval_type_variables reports it if nothing else binds it.
            return match_type_variables(formal.element, actual, env)
        return None
    if isinstance(formal, T.DictType):
        if not isinstance(actual, T.DictType):
            return f"Cannot match a dict to {repr_str(actual)}"
        reason = match_type_variables(formal.key, actual.key, env)
        if reason is not None:
            return reason
        return match_type_variables(formal.value, actual.value, env)
    raise RuntimeError(f"Unhandled free variable container: {repr_str(formal)}")


def try_eval_type_variables(t: T.JitType, env: TypeEnv) -> T.JitType | None:
    """``t`` with its variables replaced, or ``None`` if one is unbound.

    ``List[List[t]]`` with ``t = int`` gives ``List[List[int]]``.
    torch: tryEvalTypeVariables.
    """
    if not has_free_variables(t):
        return t
    if isinstance(t, T.VarType):
        return env.get(t.name)
    contained = t.contained_types()
    if not contained:
        return t
    replaced = []
    for c in contained:
        r = try_eval_type_variables(c, env)
        if r is None:
            return None
        replaced.append(r)
    return t.with_contained(replaced)
