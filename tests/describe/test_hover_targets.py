"""Hover: one test per row of the hover-target table (pyjit_core.anchors) -- the
token a user points at lists every IR node made by that syntax, kind first."""

from __future__ import annotations

import pytest
from hoverutil import hover, kinds_of, position, run

from pyjit_core.editor.graph_preview import preview
from pyjit_core.editor.hover import hover_at as describe_at

OPS = '''
import torch
from typing import Dict, List, Optional, Tuple


@torch.jit.script
def ops(x: torch.Tensor, a: int, b: int, flag: bool, xs: List[int], o: Optional[int]) -> List[int]:
    out: List[int] = []
    out.append(a + b)
    z = a
    z += 1
    out.append(a // b)
    inside = a <= z < b
    both = flag and a > 0 and b > 0
    out.append(int(inside) + int(both))
    out.append(int(o is not None) + int(a not in xs))
    out.append(-a + int(not flag) + int((~x).sum()))
    out.append(xs[0] + len(xs[1:]))
    out.append(a if flag else b)
    with torch.no_grad():
        y = x @ x
    if a > b:
        z = 1
    elif a < b:
        z = 2
    for v in xs:
        z = z * v
    while z > 100:
        z = z // 2
    assert z > 0, "positive"
    if flag:
        raise RuntimeError("boom")
    del xs[0]
    lst = [a, b]
    dct = {"a": a}
    comp = [v * 2 for v in xs]
    msg = f"{a} and {b}"
    out.append(len(lst) + dct["a"] + len(comp) + len(msg) + len("é" + msg) + int(torch.relu(y).sum()))
    return out


class MyFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k: int):
        return x * k


@torch.jit.ignore
def py_helper(x: torch.Tensor) -> torch.Tensor:
    return x


def helper(x: torch.Tensor) -> torch.Tensor:
    return x + 1


@torch.jit.script
class Counter:
    def __init__(self, start: int):
        self.value = start

    def bump(self) -> int:
        self.value += 1
        return self.value


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(4, 4)
        self.k = 2

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, int]:
        y = self.lin(x) * self.k
        return y, self.k


@torch.jit.script
def calls(x: torch.Tensor, a: int) -> Tuple[torch.Tensor, int]:
    c = Counter(a)
    n = c.bump()
    d: Dict[str, int] = {}
    d["key"] = n
    s = helper(py_helper(x)) + MyFn.apply(x, 2)
    return s.sum(), len(d)


net = torch.jit.script(Net())
'''


@pytest.fixture(scope="module")
def r():
    result = run(OPS)
    assert [d.code for d in result.diagnostics if d.is_error] == []
    return result


# --- calls ------------------------------------------------------------------------------------

def test_call_of_a_torch_function_shows_on_its_last_name(r):
    h = hover(r, "int(torch.relu(y).sum())", "relu")
    assert kinds_of(h) == ["aten::relu"]
    assert h.nodes[0].schema == "aten::relu(Tensor self) -> Tensor"
    assert h.markdown.startswith("```text\naten::relu(Tensor self) -> Tensor\n")


def test_method_call(r):
    assert kinds_of(hover(r, "int(torch.relu(y).sum())", "sum")) == ["aten::sum"]


def test_submodule_call(r):
    h = hover(r, "y = self.lin(x) * self.k", "lin")
    assert kinds_of(h) == ["prim::GetAttr", "prim::CallMethod"]
    assert h.nodes[1].callee == "__torch__.torch.nn.modules.linear.Linear.forward"


def test_compiled_function_call(r):
    h = hover(r, "s = helper(py_helper(x))", "helper")
    assert kinds_of(h) == ["prim::CallFunction"]
    assert h.nodes[0].header == "prim::CallFunction __torch__.hovered.helper(Tensor x) -> Tensor"


def test_script_class_constructor(r):
    h = hover(r, "c = Counter(a)", "Counter")
    assert kinds_of(h) == ["prim::CreateObject", "prim::CallMethod"]
    assert h.nodes[1].callee == "__torch__.hovered.Counter.__init__"


def test_calls_into_python(r):
    h = hover(r, "MyFn.apply(x, 2)", "apply")
    assert kinds_of(h) == ["prim::PythonOp"]
    info = h.nodes[0]
    assert (info.python_name, info.cconv, info.callee) == ("MyFn", "dd", "hovered.MyFn.apply")
    assert info.header == "prim::PythonOp ^MyFn"
    assert info.signature == "def forward(ctx, x, k: int)"
    assert "Could not export Python function call 'MyFn'" in h.markdown
    h = hover(r, "s = helper(py_helper(x))", "py_helper")
    assert (h.nodes[0].python_name, h.nodes[0].cconv) == ("py_helper", "d")


# --- operators -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "token", "nth", "kinds"), [
    ("out.append(a + b)", "+", 0, ["aten::add"]),
    ("z += 1", "+=", 0, ["aten::add"]),
    ("out.append(a // b)", "//", 0, ["aten::floordiv"]),
    ("y = x @ x", "@", 0, ["aten::matmul"]),
    ("out.append(-a + int(not flag)", "-", 0, ["aten::neg"]),
    ("out.append(-a + int(not flag)", "not", 0, ["aten::__not__"]),
    ("int((~x).sum())", "~", 0, ["aten::bitwise_not"]),
])
def test_operators_show_on_the_operator(r, line, token, nth, kinds):
    assert kinds_of(hover(r, line, token, nth)) == kinds


def test_comparison_chain(r):
    assert kinds_of(hover(r, "inside = a <= z < b", "<=")) == ["aten::le"]
    last = kinds_of(hover(r, "inside = a <= z < b", "<", 1))
    assert last[:2] == ["prim::If", "aten::lt"]
    assert set(last[2:]) <= {"prim::Constant"}


def test_long_and_shows_each_and(r):
    assert kinds_of(hover(r, "both = flag and a > 0", "and", 0)) == ["prim::If"]
    assert kinds_of(hover(r, "both = flag and a > 0 and b > 0", "and", 1)) == ["prim::If"]
    assert kinds_of(hover(r, "both = flag and a > 0", ">", 0)) == ["aten::gt"]


def test_is_not_and_not_in_show_on_their_first_word(r):
    assert kinds_of(hover(r, "o is not None", "is")) == ["aten::__isnot__"]
    assert kinds_of(hover(r, "a not in xs", "not")) == ["aten::__contains__", "aten::__not__"]


def test_subscript_and_slice(r):
    h = hover(r, "out.append(xs[0] + len(xs[1:]))", "[", 0)
    assert kinds_of(h) == ["aten::__getitem__"]
    assert h.nodes[0].schema == "aten::__getitem__.t(t[](a) list, int idx) -> t(*)"
    assert kinds_of(hover(r, "out.append(xs[0] + len(xs[1:]))", "[", 1)) == ["aten::slice"]


def test_conditional_expression(r):
    assert kinds_of(hover(r, "out.append(a if flag else b)", "if")) == ["prim::If"]


# --- assignments that compile to an op ----------------------------------------------------------

def test_item_assignment_shows_on_the_equals(r):
    h = hover(r, 'd["key"] = n', "=")
    assert kinds_of(h) == ["aten::_set_item"]


def test_attribute_assignment_and_read(r):
    assert kinds_of(hover(r, "self.value = start", "=")) == ["prim::SetAttr"]
    h = hover(r, "self.value += 1", "+=")
    assert kinds_of(h) == ["aten::add", "prim::SetAttr"]
    assert kinds_of(hover(r, "self.value += 1", "value")) == ["prim::GetAttr"]
    h = hover(r, "return self.value", "value")
    assert kinds_of(h) == ["prim::GetAttr"]
    assert h.nodes[0].type == "int"
    assert kinds_of(hover(r, "return y, self.k", "k")) == ["prim::GetAttr"]


# --- statements ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "token", "expected"), [
    ("if a > b:", "if", ["prim::If"]),
    ("elif a < b:", "elif", ["prim::If"]),
    ("for v in xs:", "for", ["aten::len", "prim::Loop", "aten::__getitem__"]),
    ("while z > 100:", "while", ["prim::Loop"]),
    ('assert z > 0, "positive"', "assert", ["prim::If", "prim::RaiseException"]),
    ('raise RuntimeError("boom")', "raise", ["prim::RaiseException"]),
    ("del xs[0]", "del", ["aten::Delete"]),
    ("with torch.no_grad():", "with", ["prim::Enter", "prim::Exit"]),
])
def test_statements_show_on_their_first_keyword(r, line, token, expected):
    found = [k for k in kinds_of(hover(r, line, token)) if k != "prim::Constant"]
    assert found == expected


# --- displays and comprehensions ----------------------------------------------------------------------

def test_displays_show_on_their_bracket(r):
    assert kinds_of(hover(r, "lst = [a, b]", "[")) == ["prim::ListConstruct"]
    assert kinds_of(hover(r, 'dct = {"a": a}', "{")) == ["prim::DictConstruct"]
    h = hover(r, "return y, self.k", ",")
    assert kinds_of(h) == ["prim::TupleConstruct"]
    assert h.nodes[0].type == "(Tensor, int)"


def test_comprehension_shows_the_loop_and_the_appends(r):
    found = kinds_of(hover(r, "comp = [v * 2 for v in xs]", "["))
    assert {"prim::ListConstruct", "prim::Loop", "aten::len", "aten::__getitem__", "aten::append"} <= set(found)


def test_strings(r):
    h = hover(r, 'msg = f"{a} and {b}"', "f")
    assert kinds_of(h)[0] == "aten::format"
    h = hover(r, 'len("é" + msg)', '"')
    assert kinds_of(h) == ["prim::Constant"]
    # columns are code points: the + after a non-ASCII literal is found where the editor shows it
    assert kinds_of(hover(r, 'len("é" + msg)', "+")) == ["aten::add"]


# --- variables, outside compiled code, the preview -----------------------------------------------------------

def test_variables_show_their_torchscript_type(r):
    h = hover(r, "z = z * v", "z")
    assert h.variable == "z : int"
    assert h.nodes == []
    assert hover(r, "xs: List[int]", "xs").variable == "xs : List[int]"
    assert hover(r, "def bump(self)", "self").variable == "self : __torch__.hovered.Counter"


def test_nothing_outside_compiled_code(r):
    for line, token in [("import torch", "torch"), ("net = torch.jit.script(Net())", "script"),
                        ("return x * k", "*")]:
        row, col = position(r, line, token)
        assert describe_at(r, row, col) is None


def test_hover_at_the_end_of_a_token_and_on_blank_space(r):
    row, col = position(r, "y = x @ x", "@")
    assert describe_at(r, row, col + 1) is not None  # just after the operator
    assert describe_at(r, row, 0) is None              # indentation


def test_graph_text_is_the_enclosing_function(r):
    row, _ = position(r, "z = z * v", "z")
    text = preview(r, line=row).text
    assert text.startswith("graph(%x.1 : Tensor,")
    assert "aten::mul" in text
    assert preview(r, name="__torch__.hovered.Counter.bump").text.startswith("graph(%self")
    assert preview(r, line=0).text is None
