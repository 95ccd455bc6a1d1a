"""Calls into Python: lint_python (PJ310-313) and the calling convention
against the Python signature (PJ401-403)."""

from __future__ import annotations

import pytest
from checkutil import codes, line_of, only, run, text_at

from pyjit_core.checks.python_ops import PythonSignature

MYFN = """
import torch

class MyFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k: int):
        return x * k

    @staticmethod
    def backward(ctx, g):
        return g, None

@torch.jit.ignore
def helper(x: torch.Tensor, y: int) -> torch.Tensor:
    return x + y
"""


def test_correct_calls_into_python_are_not_reported():
    r = run(MYFN + """
@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return MyFn.apply(helper(x, 3), 2)
""")
    assert codes(r, "PJ3") == []
    assert codes(r, "PJ4") == []


def test_a_keyword_argument_to_an_ignored_function_breaks_lint_python():
    # torch: cconv is built from the positional arguments only -> "d" with two inputs
    r = run(MYFN + """
@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return helper(x, y=3)
""")
    d = only(r, "PJ313")
    assert "calling convention 'd' takes 1 input(s) but the node has 2" in d.message
    assert "'y'" in d.message
    assert "positionally" in d.message
    assert text_at(r, d) == "helper"          # torch's range: the callee
    assert codes(r, "PJ4") == []              # one finding, not two


def test_too_few_arguments_for_forward():
    r = run(MYFN + """
@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return MyFn.apply(x)
""")
    d = only(r, "PJ401")
    assert "MyFn.forward() missing 1 required positional argument: 'k'" in d.message
    assert text_at(r, d) == "MyFn.apply"
    assert d.range.start_line == line_of(r, "MyFn.apply(x)")


def test_too_many_arguments_for_forward():
    r = run(MYFN + """
@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return MyFn.apply(x, 1, 2)
""")
    assert "MyFn.forward() takes 3 positional arguments but 4 were given" in only(r, "PJ401").message


def test_defaults_and_varargs_of_forward():
    r = run("""
import torch

class WithDefault(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k: int = 2):
        return x * k

class Star(torch.autograd.Function):
    @staticmethod
    def forward(ctx, *xs):
        return xs[0]

@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    a = WithDefault.apply(x)
    b = Star.apply(a, a, a, a)
    return WithDefault.apply(b, 1, 2)
""")
    d = only(r, "PJ401")
    assert "WithDefault.forward() takes from 2 to 3 positional arguments but 4 were given" in d.message
    assert d.range.start_line == line_of(r, "WithDefault.apply(b, 1, 2)")


def test_a_tensor_for_a_scalar_annotation():
    r = run(MYFN + """
@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return MyFn.apply(x, x)
""")
    d = only(r, "PJ402")
    assert "MyFn.forward annotates 'k' as int" in d.message
    assert codes(r, "PJ401") == []


def test_an_unresolvable_callee_is_reported_as_such():
    r = run("""
import torch
from somewhere_unknown import thing

@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return thing(x)
""")
    found = [d for d in r.diagnostics if d.code == "PJ403"]
    if not found:
        pytest.skip(f"the frontend made no PythonOp for an unknown import: {codes(r)}")
    assert "somewhere_unknown.thing" in found[0].message


@pytest.mark.parametrize(("define", "call"), [
    ("def f(a, b): pass", "f(1)"),
    ("def f(a, b, c): pass", "f()"),
    ("def f(a, b, c, d): pass", "f(1)"),
    ("def f(a, b): pass", "f(1, 2, 3)"),
    ("def f(a): pass", "f(1, 2)"),
    ("def f(a, b=1): pass", "f(1, 2, 3)"),
    ("def f(): pass", "f(1)"),
    ("def f(a, *, k): pass", "f(1)"),
    ("def f(a, *, k, m): pass", "f(1)"),
])
def test_arity_messages_are_pythons_own(define, call):
    import ast

    scope: dict = {}
    exec(define, scope)
    try:
        eval(call, scope)
    except TypeError as e:
        expected = str(e)
    else:
        raise AssertionError("the call should fail")
    definition = ast.parse(define).body[0]
    given = len(ast.parse(call, mode="eval").body.args)
    assert PythonSignature(definition, "f", skip_first=False).problem(given) == expected


def test_signature_accepts_what_python_accepts():
    import ast

    definition = ast.parse("def f(a, b=1, *rest): pass").body[0]
    sig = PythonSignature(definition, "f", skip_first=False)
    assert [sig.problem(n) for n in (1, 2, 5)] == [None, None, None]


def test_a_missing_attribute_of_a_module_pyjit_reads_is_unresolved_not_a_missing_callable():
    # pyjit models `me.missing(x)` as a call into Python with no callable; that is
    # an unresolved callee (PJ403), not a broken PythonOp (PJ311).
    r = run("""
import torch
import snippet as me

@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return me.missing(x)
""")
    if not [d for d in r.diagnostics if d.code.startswith(("PJ3", "PJ4"))]:
        pytest.skip(f"the frontend rejects the call itself now: {codes(r)}")
    assert codes(r, "PJ3") == []
    assert "snippet.missing" in only(r, "PJ403").message
