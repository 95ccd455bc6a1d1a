"""What the checks claim, compared with what torch 2.13 does (skipped without torch).

Each scenario is a module (definitions) plus one statement. The module is
written to a temporary file and imported (torch needs source on disk); the
statement runs in its namespace. pyjit checks the same text. A flagged
scenario must fail in torch with the message pyjit quotes; an unflagged one
must succeed.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
import warnings

import pytest

torch = pytest.importorskip("torch", reason="conformance: needs torch==2.13.0 installed")

from pyjit_core.session import Session  # noqa: E402

pytestmark = pytest.mark.conformance

DEFS = '''
import io
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


@torch.jit.unused
def gone(x: torch.Tensor) -> torch.Tensor:
    return x


def calls_helper(x: torch.Tensor) -> torch.Tensor:
    return helper(x, 3)


def calls_apply(x: torch.Tensor) -> torch.Tensor:
    return MyFn.apply(x, 2)


def calls_gone(x: torch.Tensor) -> torch.Tensor:
    return gone(x)


def outer(x: torch.Tensor) -> torch.Tensor:
    return calls_helper(x) * 2


def keyword(x: torch.Tensor) -> torch.Tensor:
    return helper(x, y=3)


def too_few(x: torch.Tensor) -> torch.Tensor:
    return MyFn.apply(x)


def too_many(x: torch.Tensor) -> torch.Tensor:
    return MyFn.apply(x, 1, 2)


class Model(torch.nn.Module):
    def forward(self, x):
        return helper(x, 1)


class Seq(torch.nn.Sequential):
    pass


class Clean(torch.nn.Module):
    def forward(self, x):
        return x + 1


@torch.jit.interface
class Getter:
    def get(self) -> int:
        pass


@torch.jit.script
class P:
    def __init__(self, a: int):
        self.a = a

    def get(self) -> int:
        return self.a


class Plain:
    def __init__(self, a: int):
        self.a = a

    def get(self) -> int:
        return self.a


class NoA:
    def __init__(self):
        self.b = 1


@torch.jit.script
def use_iface(g: Getter) -> int:
    return g.get()


@torch.jit.script
def use_p(p: P) -> int:
    return p.a
'''

#: (statement, pyjit code or None, the text torch's exception must contain)
SCENARIOS = [
    # export blockers
    ("torch.jit.save(torch.jit.script(calls_helper), io.BytesIO())", "PJ410",
     "Could not export Python function call 'helper'. Remove calls to Python functions before export."),
    ("torch.jit.save(torch.jit.script(calls_apply), io.BytesIO())", "PJ410",
     "Could not export Python function call 'MyFn'. Remove calls to Python functions before export."),
    ("torch.jit.save(torch.jit.script(outer), io.BytesIO())", "PJ410",
     "Could not export Python function call 'helper'"),
    ("torch.jit.script(Model()).save(io.BytesIO())", "PJ410", "Could not export Python function call 'helper'"),
    ("m = torch.jit.script(Model()).eval()\ntorch.jit.save(torch.jit.freeze(m), io.BytesIO())", "PJ410",
     "Could not export Python function call 'helper'"),
    ("torch.jit.save(torch.jit.script(calls_gone), io.BytesIO())", None, None),
    ("torch.jit.freeze(torch.jit.script(Model()).eval())", None, None),
    ("torch.jit.save(torch.jit.script(Clean()), io.BytesIO())", None, None),
    # casting
    ("torch.jit.freeze(Clean())", "PJ501",
     "Freezing expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to script your "
     "'nn.Module'."),
    ("torch.jit.optimize_for_inference(Clean())", "PJ501",
     "optimize_for_inference expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to "
     "script your 'nn.Module'."),
    ("torch.jit.freeze(torch.jit.script(calls_helper))", "PJ501", "Freezing expects a ScriptModule as input."),
    ("torch.jit.save(Clean(), PATH)", "PJ501", "'Clean' object has no attribute 'save'"),
    ("torch.jit.save(Clean(), io.BytesIO())", "PJ501", "'Clean' object has no attribute 'save_to_buffer'"),
    ("torch.jit.save(torch.jit.script(Plain(1)), PATH)", "PJ501", "does not have a field with name 'save'"),
    ("torch.jit.freeze(Seq())", "PJ501", "Freezing expects a ScriptModule as input."),
    ("use_iface(Plain(1))", "PJ502",
     "to an interface fails because the value is not a TorchScript compatible type, did you forget toturn it into "
     "a user defined TorchScript class?"),
    ("use_p(NoA())", "PJ503", "Tried to cast object to type __torch__."),
    ("use_iface(P(1))", None, None),
    ("use_iface(torch.jit.script(Plain(1)))", None, None),
    ("use_p(Plain(2))", None, None),
    ("torch.jit.freeze(torch.jit.script(Clean()).eval())", None, None),
    # calls into Python that compile but fail when run
    ("torch.jit.script(too_few)(torch.ones(1))", "PJ401", "MyFn.forward() missing 1 required positional argument: 'k'"),
    ("torch.jit.script(too_many)(torch.ones(1))", "PJ401",
     "MyFn.forward() takes 3 positional arguments but 4 were given"),
    ("torch.jit.script(keyword)(torch.ones(1))", "PJ313", "helper() missing 1 required positional argument: 'y'"),
]


@pytest.fixture(autouse=True)
def _run_in_a_scratch_directory(tmp_path, monkeypatch):
    # ScriptModule.save(io.BytesIO()) writes a file named after the buffer's
    # repr into the working directory: keep it out of the repository.
    monkeypatch.chdir(tmp_path)


def _module(tmp_path, statement: str) -> tuple[str, str]:
    name = f"scenario_{uuid.uuid4().hex[:8]}"
    source = DEFS + "\nPATH = " + repr(str(tmp_path / "out.pt")) + "\n\n\ndef scenario():\n" + \
        textwrap.indent(statement, "    ") + "\n"
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    return name, str(path)


def _run_in_torch(tmp_path, name: str):
    sys.path.insert(0, str(tmp_path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = importlib.import_module(name)
            try:
                module.scenario()
            except Exception as e:
                return e
            return None
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(name, None)


@pytest.mark.parametrize(("statement", "code", "torch_says"), SCENARIOS, ids=[s[0][:60] for s in SCENARIOS])
def test_pyjit_flags_exactly_what_torch_rejects(tmp_path, statement, code, torch_says):
    name, path = _module(tmp_path, statement)
    with open(path, encoding="utf-8") as f:
        source = f.read()
    result = Session().check(path, source, module_name=name)
    statement_lines = range(len(DEFS.split("\n")), len(source.split("\n")))
    flagged = [d for d in result.diagnostics if d.code.startswith(("PJ3", "PJ4", "PJ5"))]
    error = _run_in_torch(tmp_path, name)
    if code is None:
        assert error is None, f"torch failed: {error}"
        assert flagged == [], [(d.code, d.message) for d in flagged]
        return
    assert error is not None, "torch accepted it"
    assert torch_says in str(error)
    mine = [d for d in flagged if d.code == code]
    assert len(mine) >= 1, [(d.code, d.message) for d in flagged]
    assert all(d.code == code for d in flagged), [(d.code, d.message) for d in flagged]
    if code.startswith("PJ5"):
        assert mine[0].range.start_line in statement_lines
    # pyjit quotes torch's words (for PJ313 torch's lint says nothing readable;
    # pyjit explains the keyword instead)
    quoted = torch_says if code != "PJ313" else "calling convention 'd' takes 1 input(s) but the node has 2"
    assert quoted in mine[0].message


def test_the_keyword_case_is_a_lint_failure_in_torch_too(tmp_path):
    name, _path = _module(tmp_path, "return torch.jit.script(keyword)")
    sys.path.insert(0, str(tmp_path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scripted = importlib.import_module(name).scenario()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(name, None)
    (op,) = [n for n in scripted.graph.nodes() if n.kind() == "prim::PythonOp"]
    assert (op.cconv(), len(list(op.inputs()))) == ("d", 2)
    with pytest.raises(RuntimeError, match="n_tensors == inputs"):
        torch._C._jit_pass_lint(scripted.graph)


def test_unused_fix_makes_torch_save_succeed(tmp_path):
    from checkutil import apply_edits

    name, path = _module(tmp_path, "torch.jit.save(torch.jit.script(calls_helper), io.BytesIO())")
    with open(path, encoding="utf-8") as f:
        source = f.read()
    result = Session().check(path, source, module_name=name)
    (d,) = [d for d in result.diagnostics if d.code == "PJ410"]
    fixed = apply_edits(source, d.fixes[0].edits)
    fixed_name = name + "_fixed"
    (tmp_path / f"{fixed_name}.py").write_text(fixed, encoding="utf-8")
    assert _run_in_torch(tmp_path, fixed_name) is None
    assert [d for d in Session().check(str(tmp_path / f"{fixed_name}.py"), fixed, module_name=fixed_name).diagnostics
            if d.code == "PJ410"] == []


def test_script_it_and_make_script_class_fixes_make_torch_accept(tmp_path):
    from checkutil import apply_edits

    for statement, title in [("torch.jit.freeze(Clean())", "Script it"), ("use_iface(Plain(1))", "Script it"),
                             ("use_iface(Plain(1))", "Make 'Plain' a script class")]:
        name, path = _module(tmp_path, statement)
        with open(path, encoding="utf-8") as f:
            source = f.read()
        (d,) = [d for d in Session().check(path, source, module_name=name).diagnostics if d.code.startswith("PJ5")]
        (chosen,) = [f for f in d.fixes if f.title.startswith(title)]
        fixed_name = name + "_fixed"
        (tmp_path / f"{fixed_name}.py").write_text(apply_edits(source, chosen.edits), encoding="utf-8")
        assert _run_in_torch(tmp_path, fixed_name) is None, (statement, title)
