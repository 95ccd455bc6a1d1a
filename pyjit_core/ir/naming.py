"""How a Python callable is named in the IR, and static stand-ins for callables.

torch: ``getPythonName`` and ``ConcretePythonOp::autogradFunction``
(torch/csrc/jit/python/python_ir.cpp). The rules work on real Python objects
and equally on the stand-ins below, which the frontend builds for callables it
sees in source but never imports: a stand-in carries a ``__name__`` and, for
``SomeFunction.apply``, a ``__self__`` whose ``apply`` compares equal to it --
so one code path names both.
"""

from __future__ import annotations

from typing import Any

PYTHON_VALUE = "<python_value>"


def get_python_name(obj: Any) -> str:
    """``str(obj.__name__)``, or ``"<python_value>"`` when that lookup fails.

    torch: getPythonName, i.e. ``py::getattr(obj, "__name__", "<python_value>")``
    -- any error from the lookup (not only AttributeError) gives the default.
    """
    try:
        name = obj.__name__
    except Exception:
        return PYTHON_VALUE
    return str(name)


def autograd_function(pyobj: Any) -> Any | None:
    """The ``autograd.Function`` class when ``pyobj`` is its bound ``apply``.

    torch: ConcretePythonOp::autogradFunction: ``pyobj.__self__`` must exist
    and not be None, have a non-None ``apply``, and that ``apply`` must not
    compare unequal to ``pyobj`` (identity counts as equal, as in
    ``PyObject_RichCompareBool``).
    """
    try:
        owner = pyobj.__self__
    except Exception:
        return None
    if owner is None:
        return None
    try:
        apply = owner.apply
    except Exception:
        return None
    if apply is None:
        return None
    if apply is not pyobj and apply != pyobj:
        return None
    return owner


def python_op_name(pyobj: Any) -> str:
    """The name a PythonOp prints after ``^``. torch: ConcretePythonOp::name."""
    owner = autograd_function(pyobj)
    return get_python_name(owner if owner is not None else pyobj)


# --- static stand-ins -------------------------------------------------------------


class StaticCallable:
    """A function seen in source (``def helper``), never imported.

    ``qualified_name`` is ``module.qualname``; ``__name__`` is what Python
    would give the function object.
    """

    def __init__(self, name: str, qualified_name: str | None = None, *, module: str = "__main__") -> None:
        self.__name__ = name
        self.__qualname__ = qualified_name or name
        self.__module__ = module

    def __repr__(self) -> str:
        return f"<static function {self.__module__}.{self.__qualname__}>"


class StaticNamelessCallable:
    """A callable object without ``__name__`` (an instance with ``__call__``,
    a ``functools.partial``): its PythonOp is named ``<python_value>``."""

    def __init__(self, description: str) -> None:
        self.description = description

    def __repr__(self) -> str:
        return f"<static callable {self.description}>"


class StaticClass:
    """A class seen in source. ``role`` says what torch would make of it:
    ``"module"`` (an ``nn.Module`` subclass), ``"script_class"``
    (``@torch.jit.script`` class), ``"autograd_function"``, ``"custom_class"``
    (``torch.classes.ns.Name``: instances are ScriptObjects) or ``"plain"``."""

    ROLES = frozenset({"module", "script_class", "autograd_function", "custom_class", "plain"})

    def __init__(self, name: str, qualified_name: str | None = None, *, role: str = "plain",
                 module: str = "__main__") -> None:
        if role not in self.ROLES:
            raise ValueError(f"unknown class role {role!r}")
        self.__name__ = name
        self.__qualname__ = qualified_name or name
        self.__module__ = module
        self.role = role
        if role == "autograd_function":
            # ``Fn.apply`` is a bound method whose __self__ is the class.
            self.apply = StaticBoundMethod(self, "apply")

    def __repr__(self) -> str:
        return f"<static class {self.__module__}.{self.__qualname__} ({self.role})>"


class StaticBoundMethod:
    """``owner.method`` as a bound method: ``__self__`` is the owner.

    Two bound methods compare equal when they bind the same owner and name,
    as Python's bound methods do.
    """

    def __init__(self, owner: Any, name: str) -> None:
        self.__self__ = owner
        self.__name__ = name
        self.__func__ = name

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, StaticBoundMethod)
            and other.__self__ is self.__self__
            and other.__name__ == self.__name__
        )

    def __hash__(self) -> int:
        return hash((id(self.__self__), self.__name__))

    def __repr__(self) -> str:
        return f"<static bound method {get_python_name(self.__self__)}.{self.__name__}>"
