"""``prim::PythonOp``: a node that calls back into Python.

torch: ConcretePythonOp (torch/csrc/jit/python/python_ir.cpp). ``cconv`` is
the calling convention, one character per argument in call order: ``c`` takes
the next scalar argument (a Python object held by the node), ``d`` the next
tensor input of the node.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .graph import Graph, Node, Value
from .naming import autograd_function, python_op_name
from .symbols import kinds


def create_python_op(graph: Graph, inputs: Iterable[Value] = (), num_outputs: int = 1) -> ConcretePythonOp:
    """A new ``prim::PythonOp``, not yet inserted; :meth:`ConcretePythonOp.init`
    gives it its callable. torch: Graph::createPythonOp (python_ir.cpp)."""
    op = ConcretePythonOp(graph)
    for v in inputs:
        op.add_input(v)
    for _ in range(num_outputs):
        op.add_output()
    return op


@dataclass(frozen=True, slots=True)
class PythonOpProblem:
    """One way a PythonOp breaks ``lint_python``'s contract."""

    code: str       # stable key: "bad-cconv", "missing-pyobj", "scalar-count", "input-count"
    message: str


class ConcretePythonOp(Node):
    """torch: ConcretePythonOp."""

    __slots__ = ("callee_ref", "cconv", "ignore_on_export", "pyobj", "scalar_args")

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph, kinds.PythonOp)
        self.pyobj: Any = None
        self.cconv = ""
        self.scalar_args: list[Any] = []
        self.ignore_on_export = False
        # The frontend's static reference to the callee (where its source is), if any.
        self.callee_ref: Any = None

    def alloc_new_instance(self, graph: Graph) -> ConcretePythonOp:
        """torch: ConcretePythonOp::allocNewInstance."""
        return ConcretePythonOp(graph)

    def init(self, pyobj: Any, cconv: str, scalar_args: list[Any] | tuple[Any, ...] = ()) -> ConcretePythonOp:
        """torch: ConcretePythonOp::init."""
        self.pyobj = pyobj
        self.cconv = cconv
        self.scalar_args = list(scalar_args)
        return self

    def name(self) -> str:
        """The callable's ``__name__``, the autograd Function's class name for
        ``Fn.apply``, or ``"<python_value>"``. torch: ConcretePythonOp::name."""
        return python_op_name(self.pyobj)

    def autograd_function(self) -> Any | None:
        """torch: ConcretePythonOp::autogradFunction."""
        return autograd_function(self.pyobj)

    def clone_from(self, other: Node) -> None:
        """torch: ConcretePythonOp::cloneFrom."""
        super().clone_from(other)
        if isinstance(other, ConcretePythonOp):
            self.cconv = other.cconv
            self.pyobj = other.pyobj
            self.scalar_args = list(other.scalar_args)
            self.ignore_on_export = other.ignore_on_export
            self.callee_ref = other.callee_ref

    def write_scalars(self) -> str:
        """``(2, 3)``; a tuple prints with ``str()`` of its items and a 1-tuple
        as ``(2,)``. torch: ConcretePythonOp::writeScalars + printPyObject."""
        return "(" + ", ".join(_print_py_object(s) for s in self.scalar_args) + ")"

    def python_problems(self) -> list[PythonOpProblem]:
        """Every way this op breaks ``lint_python``'s contract, all at once."""
        problems: list[PythonOpProblem] = []
        bad = sorted({c for c in self.cconv if c not in "cd"})
        if bad:
            problems.append(PythonOpProblem(
                "bad-cconv",
                f"calling convention {self.cconv!r} has {', '.join(repr(c) for c in bad)}; "
                "every character must be 'c' (scalar argument) or 'd' (tensor input)",
            ))
        if self.pyobj is None:
            problems.append(PythonOpProblem("missing-pyobj", "PythonOp has no Python callable (pyobj)"))
        n_scalars = self.cconv.count("c")
        if n_scalars != len(self.scalar_args):
            problems.append(PythonOpProblem(
                "scalar-count",
                f"calling convention {self.cconv!r} takes {n_scalars} scalar argument(s) "
                f"but the node holds {len(self.scalar_args)}",
            ))
        n_tensors = self.cconv.count("d")
        if n_tensors != len(self._inputs):
            problems.append(PythonOpProblem(
                "input-count",
                f"calling convention {self.cconv!r} takes {n_tensors} input(s) "
                f"but the node has {len(self._inputs)}",
            ))
        return problems

    def lint_python(self) -> None:
        """Raise ``AssertionError`` listing every violated invariant.

        torch: PythonOp::lint_python (which asserts on the first). For a
        report that never raises, use :meth:`python_problems` or
        :func:`pyjit_core.ir.lint.lint`.
        """
        problems = self.python_problems()
        if problems:
            raise AssertionError("; ".join(p.message for p in problems))


def _print_py_object(obj: Any) -> str:
    if isinstance(obj, tuple):
        inner = ", ".join(str(o) for o in obj)
        return f"({inner},)" if len(obj) == 1 else f"({inner})"
    return str(obj)


@dataclass(frozen=True, slots=True)
class ParsedScalar:
    """A scalar argument known only by its printed text (from the IR parser)."""

    text: str

    def __str__(self) -> str:
        return self.text
