"""Mutations of the conformance corpus, the IR goldens and torch's schemas, through
pyjit's frontend, IR parser and schema parser.

Each ``check_*`` takes one (mutated) text and returns what is wrong, or None:

* the frontend: ``Session.check`` never raises, and its diagnostics lie inside the text;
* the IR parser: the text parses and its printed form parses to the same printed form,
  or it raises :class:`IRParseError` with a line and column inside the text;
* the schema parser: likewise with :class:`SchemaParseError` (an offset inside the text).
"""

from __future__ import annotations

import gzip
import random
import re
import traceback
from pathlib import Path

from fuzz_text import SNIPPETS

from pyjit_core.ir.parser import IRParseError, parse_graph
from pyjit_core.schema.lexer import SchemaParseError
from pyjit_core.schema.parser import parse_schema
from pyjit_core.schema.printer import format_schema
from pyjit_core.session import Session

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "conformance" / "corpus"
GOLDEN_IR = REPO / "tests" / "golden" / "ir"
SCHEMAS = REPO / "pyjit_core" / "schema" / "data" / "schemas.txt.gz"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NEWLINE = re.compile(r"\n")

#: Pieces of the three languages, to splice into each other.
IR_PIECES = ["%", "%1", "%x.1", " : ", "Tensor", "int[]", "Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu)",
             "prim::Constant[value=1]()", "prim::If(", "block0()", "-> ()", "= ", "(", ")", "[", "]", "{", "}",
             "\n", "  ", "#", '"', "\\", "value=", "1e308", "-1", "9" * 30, "inf", "nan", "𝕏", "é"]  # noqa: RUF001
SCHEMA_PIECES = ["aten::", "Tensor", "Tensor(a!)", "Tensor?", "int[2]", "int[]", "*", "...", "->", "(", ")", "[", "]",
                 ",", "=", "None", "True", "1e-5", "0x1p3", '"str"', "'\\x41'", "Dict(str, t)", "Union[int, str]",
                 "Any", "Future(t)", "t", "|", "!", "a", "."]


def corpus_sources() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.py")) if p.name != "__init__.py"]


def golden_ir() -> list[tuple[str, str]]:
    return [(p.name, p.read_bytes().decode("utf-8")) for p in sorted(GOLDEN_IR.glob("*.ir"))]


def schemas() -> list[str]:
    return gzip.decompress(SCHEMAS.read_bytes()).decode("utf-8").splitlines()


def mutate(rnd: random.Random, text: str, pieces: list[str]) -> str:
    """One to four random cuts, copies, splices and truncations."""
    for _ in range(rnd.randint(1, 4)):
        n = len(text)
        i = rnd.randint(0, n)
        j = min(n, i + rnd.choice([1, 1, 2, 3, 10, 50]))
        roll = rnd.random()
        if roll < 0.3:
            text = text[:i] + text[j:]
        elif roll < 0.6:
            text = text[:i] + rnd.choice(pieces) + text[i:]
        elif roll < 0.75:
            text = text[:i] + rnd.choice(SNIPPETS) + text[j:]
        elif roll < 0.9:
            k = rnd.randint(0, n)
            text = text[:k] + text[i:j] + text[k:]
        else:
            text = text[:i]
    return text


def _inside(text: str, line: int, col: int, one_based: bool, breaks: re.Pattern[str] = _LINE_BREAK) -> bool:
    lines = breaks.split(text)
    index = line - 1 if one_based else line
    return 0 <= index < len(lines) and 0 <= col <= len(lines[index])


def check_ir(text: str) -> str | None:
    try:
        printed = parse_graph(text).to_string(True)
    except IRParseError as e:
        inside = _inside(text, e.line, e.column, one_based=True, breaks=_NEWLINE)   # IR lines end at "\n"
        return None if inside else f"IRParseError outside the text: {e}"
    except Exception:
        return f"parse_graph raised\n{traceback.format_exc(limit=-6)}"
    try:
        again = parse_graph(printed).to_string(True)
    except IRParseError:
        return None     # torch prints some graphs it cannot parse back; an error of its own is fine
    except Exception:
        return f"the printed graph does not parse again\n{traceback.format_exc(limit=-6)}"
    return None if again == printed else "the printed graph prints differently once parsed again"


def check_schema(text: str) -> str | None:
    try:
        printed = format_schema(parse_schema(text))
    except SchemaParseError as e:
        return None if 0 <= e.offset <= len(text) else f"SchemaParseError outside the text: {e}"
    except Exception:
        return f"parse_schema raised\n{traceback.format_exc(limit=-6)}"
    try:
        again = format_schema(parse_schema(printed))
    except SchemaParseError:
        return None     # as torch: `Tensor!` prints as `Tensor($0! -> )`, which does not parse
    except Exception:
        return f"the printed schema {printed!r} does not parse again\n{traceback.format_exc(limit=-6)}"
    return None if again == printed else f"{printed!r} prints as {again!r} once parsed again"


def check_frontend(session: Session, path: str, text: str) -> str | None:
    try:
        result = session.check(path, text)
        diagnostics = list(result.diagnostics)
        session.release(result)
    except Exception:
        return f"Session.check raised\n{traceback.format_exc(limit=-8)}"
    for d in diagnostics:
        r = d.range
        if d.path == path and not (_inside(text, r.start_line, r.start_col, one_based=False)
                                   and _inside(text, r.end_line, r.end_col, one_based=False)
                                   and (r.start_line, r.start_col) <= (r.end_line, r.end_col)):
            return f"{d.code} at {r} outside the text"
    return None
