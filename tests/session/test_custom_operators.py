"""Custom operators (``torch.ops.<ns>.<op>`` outside torch's namespaces): schemas read from the
workspace's Python declarations; an operator declared nowhere pyjit can read is opaque, with a
hover that says so, and never an error."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pyjit_core.diagnostics import Severity
from pyjit_core.editor.presentation import Presentation
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver


def workspace(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def check(root: Path, name: str):
    session = Session(SettingsResolver([str(root)]), presentation=Presentation.IN_FILE)
    return session, session.check(str(root / name))


def hover_on(session, result, needle: str):
    lines = result.source.split("\n")
    line = next(i for i, text in enumerate(lines) if needle in text)
    return session.hover(result, line, lines[line].index(needle) + 1)


def test_a_schema_declared_in_another_file_of_the_package_is_matched(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{
        "pkg/__init__.py": "",
        "pkg/_ops.py": """\
            import torch

            lib = torch.library.Library("mypkg", "DEF")
            lib.define("scale(Tensor x, float f=2.) -> Tensor")
            """,
        "pkg/model.py": """\
            import torch


            @torch.jit.script
            def f(x: torch.Tensor) -> torch.Tensor:
                return torch.ops.mypkg.scale(x)
            """})
    session, result = check(root, "pkg/model.py")
    assert result.diagnostics == []
    graph = str(result.analysis.functions["__torch__.pkg.model.f"].graph)
    assert "mypkg::scale(%x.1, %" in graph            # the default filled in, as torch does
    hover = hover_on(session, result, "scale(x)")
    assert hover.nodes[0].schema == "mypkg::scale(Tensor x, float f=2.) -> Tensor"
    assert "schema read from `Library.define`" in hover.markdown


def test_custom_op_infers_the_schema_from_annotations(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{"m.py": """\
        import torch
        from torch import Tensor


        @torch.library.custom_op("mypkg::twice", mutates_args=())
        def twice(x: Tensor, n: int = 2) -> Tensor:
            return x * n


        @torch.jit.script
        def f(x: Tensor) -> Tensor:
            return torch.ops.mypkg.twice(x, "not an int")
        """})
    _, result = check(root, "m.py")
    # the inferred schema is checked as torch checks it: a str is no SymInt
    assert [d.code for d in result.diagnostics] == ["PJ240"]
    assert "mypkg::twice(Tensor x, SymInt n=2) -> Tensor" in result.diagnostics[0].message


def test_an_operator_registered_in_cpp_is_opaque_and_says_so(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{"m.py": """\
        import torch
        from torch import Tensor


        @torch.jit.script
        def f(x: Tensor, boxes: Tensor) -> Tensor:
            out, _ = torch.ops.vision.roi_pool(x, boxes, 1.0, 7, 7)
            return out + torch.ops.vision.nms(boxes, x, 0.5)
        """})
    session, result = check(root, "m.py")
    assert result.diagnostics == []
    graph = str(result.analysis.functions["__torch__.m.f"].graph)
    assert "%out.1 : Tensor, %_ : Tensor = vision::roi_pool(%x.1, %boxes.1, %" in graph
    hover = hover_on(session, result, "nms")
    assert hover.nodes[0].kind == "vision::nms"
    assert "no schema pyjit can read declares it" in hover.markdown


def test_failures_after_a_guessed_result_are_warnings_never_errors(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{"m.py": """\
        import torch
        from torch import Tensor


        def helper(x: Tensor):
            return torch.ops.vision.lengths(x)


        @torch.jit.script
        def f(x: Tensor):
            return helper(x).append(1)
        """})
    _, result = check(root, "m.py")
    assert [(d.code, d.severity) for d in result.diagnostics] == [("PJ904", Severity.WARNING)]
    assert "guess that the custom operator `vision::lengths`" in result.diagnostics[0].message


def test_after_an_edit_the_guess_still_makes_the_callers_failure_a_warning(tmp_path: Path) -> None:
    """The edit cache must not hand the caller a helper's graph without its guess."""
    text = """\
        import torch
        from torch import Tensor


        def helper(x: Tensor):
            return torch.ops.vision.lengths(x)


        @torch.jit.script
        def f(x: Tensor):
            return helper(x).append(1)
        """
    root = workspace(tmp_path, **{"m.py": text})
    session, first = check(root, "m.py")
    edited = session.check(str(root / "m.py"), textwrap.dedent(text).replace("append(1)", "append(2)"),
                           previous=first)
    assert [(d.code, d.severity) for d in edited.diagnostics] == [("PJ904", Severity.WARNING)]


def test_an_operator_torch_does_not_have_in_its_own_namespace_is_still_an_error(tmp_path: Path) -> None:
    root = workspace(tmp_path, **{"m.py": """\
        import torch


        @torch.jit.script
        def f(x: torch.Tensor) -> torch.Tensor:
            return torch.ops.aten.no_such_op(x)
        """})
    _, result = check(root, "m.py")
    assert [d.code for d in result.diagnostics] == ["PJ241"]
