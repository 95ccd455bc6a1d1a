"""``# pyjit: ignore[PJ101, PJ240]``: silence codes on one line.

The comment goes at the end of the line a diagnostic starts on (after any
other comment text: ``x = f()  # why  # pyjit: ignore[PJ240]`` works). It
names one or more codes, comma-separated; there is no blanket form. A code
that silences nothing on its line -- never reported there, unknown, or not
enabled by the configuration -- is itself reported (PJ902, as ruff's
RUF100), with a fix that removes it.

Every diagnostic that remains gets the fix "Ignore CODE on this line",
which adds the code to the line's existing suppression comment or appends
one; a line whose end lies inside a string, or that continues with a
backslash, gets no such fix (a comment there would change the program).
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

from ..config import Config
from ..frontend.source import SourceFile
from .catalog import CATALOG
from .model import Applicability, Diagnostic, Edit, Fix, TextRange

_COMMENT = re.compile(r"#\s*pyjit:\s*ignore(?P<bracket>\[(?P<codes>[^\]]*)\])?\s*$")
_COMMENT_ANYWHERE = re.compile(r"#\s*pyjit:\s*ignore")
_CODE = re.compile(r"PJ\d{3}")


@dataclass(frozen=True, slots=True)
class Suppression:
    line: int                         # 0-based
    codes: tuple[str, ...]            # in the order written
    comment: TextRange                # the whole `# pyjit: ignore[...]` text
    codes_range: TextRange | None     # inside the brackets
    code_ranges: tuple[TextRange, ...]


class _LineInfo:
    """The suppression comments of a file, and which lines cannot take one.

    Tokenizing a whole 7,000-line file costs more than re-analysing it after
    an edit, so with a syntax tree at hand only the statements that matter are
    tokenized: those on lines that spell ``pyjit: ignore`` (is it a comment,
    or text in a string?) and those a diagnostic starts in (does the line end
    inside a string?). Without a tree (a syntax error), the whole file is.
    """

    def __init__(self, source: SourceFile, tree: ast.Module | None) -> None:
        self.source = source
        self.tree = tree
        self.suppressions: dict[int, Suppression] = {}
        self._unsafe: set[int] | None = None          # all of them, when the whole file was tokenized
        self._checked: dict[int, bool] = {}
        if tree is None:
            self._tokenize_all()
            return
        for i, line in enumerate(source.lines):
            if "pyjit" in line and _COMMENT_ANYWHERE.search(line):
                comment = self._comment_on(i)
                found = _parse_comment(comment[1], i, comment[0]) if comment is not None else None
                if found is not None:
                    self.suppressions[i] = found

    def unsafe(self, line: int) -> bool:
        """Whether a comment appended to ``line`` (0-based) would change the program."""
        if self._unsafe is not None:
            return line in self._unsafe
        found = self._checked.get(line)
        if found is None:
            found = self._checked[line] = self._line_is_unsafe(line)
        return found

    # --- one statement at a time -------------------------------------------------------

    def _line_is_unsafe(self, line: int) -> bool:
        if line < len(self.source.lines) and self.source.lines[line].rstrip("\r").endswith("\\"):
            return True
        return any(start <= line < end for start, end in self._strings_around(line))

    def _comment_on(self, line: int) -> tuple[int, str] | None:
        """(column, text) of the comment on ``line``, if it has one."""
        first, tokens = self._tokens_around(line)
        for tok in tokens:
            if tok.type == tokenize.COMMENT and first + tok.start[0] - 1 == line:
                col = tok.start[1] if tok.start[0] > 1 else tok.start[1] + self._indent(first)
                return col, tok.string
        return None

    def _strings_around(self, line: int) -> list[tuple[int, int]]:
        """0-based [first, last) lines of the multi-line strings of the statement at ``line``."""
        first, tokens = self._tokens_around(line)
        return [(first + tok.start[0] - 1, first + tok.end[0] - 1) for tok in tokens
                if tok.type == tokenize.STRING and tok.start[0] != tok.end[0]]

    def _tokens_around(self, line: int) -> tuple[int, list[tokenize.TokenInfo]]:
        """The tokens of the statement (or ``def``/``if``/... header) on ``line``,
        and its first line; just ``line``'s when no statement covers it."""
        first, last = _statement_lines(self.tree, line + 1) or (line + 1, line + 1)
        lines = self.source.lines[first - 1: last]
        if not lines:
            return first - 1, []
        lines = [lines[0].lstrip(" \t"), *lines[1:]]   # a statement's first line starts it; later ones continue it
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            tokens = []
        return first - 1, tokens

    def _indent(self, line: int) -> int:
        text = self.source.lines[line]
        return len(text) - len(text.lstrip(" \t"))

    # --- the whole file, when there is no tree -----------------------------------------

    def _tokenize_all(self) -> None:
        unsafe: set[int] = set()
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(self.source.text).readline))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            tokens = []
        for tok in tokens:
            if tok.type == tokenize.STRING and tok.start[0] != tok.end[0]:
                unsafe.update(range(tok.start[0] - 1, tok.end[0] - 1))
            elif tok.type == tokenize.COMMENT:
                found = _parse_comment(tok.string, tok.start[0] - 1, tok.start[1])
                if found is not None:
                    self.suppressions[found.line] = found
        fstring_start = getattr(tokenize, "FSTRING_START", None)
        if fstring_start is not None:  # Python 3.12+: f-strings are several tokens
            opened: list[int] = []
            for tok in tokens:
                if tok.type == fstring_start:
                    opened.append(tok.start[0])
                elif tok.type == getattr(tokenize, "FSTRING_END", None) and opened:
                    start = opened.pop()
                    unsafe.update(range(start - 1, tok.end[0] - 1))
        for i, line in enumerate(self.source.lines):
            if line.rstrip("\r").endswith("\\"):
                unsafe.add(i)
        self._unsafe = unsafe


def _statement_lines(tree: ast.Module | None, line: int) -> tuple[int, int] | None:
    """1-based first and last line of the innermost simple statement, or
    compound statement header, that covers ``line``."""
    if tree is None:
        return None
    found = None
    body: list[ast.stmt] = tree.body
    while body:
        for stmt in body:
            last = stmt.end_lineno or stmt.lineno
            if stmt.lineno <= line <= last:
                break
        else:
            return found
        inner = [s for field in ("body", "orelse", "finalbody") for s in getattr(stmt, field, None) or ()]
        inner += [s for h in getattr(stmt, "handlers", None) or () for s in h.body]
        inner += [s for c in getattr(stmt, "cases", None) or () for s in c.body]
        if not inner:
            return stmt.lineno, last
        header_end = min(s.lineno for s in inner) - 1
        if line <= max(header_end, stmt.lineno):
            return stmt.lineno, max(header_end, stmt.lineno)
        found = None
        body = inner
    return found


def parse_suppressions(source: SourceFile, tree: ast.Module | None = None) -> dict[int, Suppression]:
    return _LineInfo(source, tree if tree is not None else _parse(source)).suppressions


def _parse(source: SourceFile) -> ast.Module | None:
    try:
        return source.parse()
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _parse_comment(comment: str, line: int, col: int) -> Suppression | None:
    m = _COMMENT.search(comment)
    if m is None:
        return None
    start = col + m.start()
    end = col + len(comment.rstrip())
    whole = TextRange(line, start, line, end)
    if m.group("bracket") is None:
        return Suppression(line, (), whole, None, ())
    inner_start = col + m.start("codes")
    codes, ranges = [], []
    for cm in re.finditer(r"[^,\s]+", m.group("codes")):
        codes.append(cm.group(0))
        ranges.append(TextRange(line, inner_start + cm.start(), line, inner_start + cm.end()))
    inner = TextRange(line, inner_start, line, inner_start + len(m.group("codes")))
    return Suppression(line, tuple(codes), whole, inner, tuple(ranges))


def apply_suppressions(diagnostics: list[Diagnostic], source: SourceFile, config: Config = Config(),
                       tree: ast.Module | None = None,
                       other_sources: Callable[[str], SourceFile | None] | None = None,
                       judged: Callable[[int], bool] | None = None) -> list[Diagnostic]:
    """Drop suppressed diagnostics, report unused suppressions, and give every
    remaining diagnostic its "Ignore CODE on this line" fix. ``tree`` is
    ``source`` parsed, when the caller has it. A diagnostic in another file (a
    callee this file's roots compile) is judged by that file's own comments,
    read through ``other_sources``; only this file's unused suppressions are reported.
    ``judged(line)``, when given, says on which 0-based lines the analysis saw all
    there is (not so where the analysis budget left roots out): elsewhere a known,
    enabled code is never called unused."""
    info = _LineInfo(source, tree if tree is not None else _parse(source))
    used: set[tuple[int, str]] = set()
    kept = _unsuppressed([d for d in diagnostics if d.path == source.path], info, used)
    if config.enabled("PJ902", source.path):
        kept += _unused(info.suppressions, used, source, config, judged)
    out = [_with_ignore_fix(d, source, info) for d in kept]
    elsewhere: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.path != source.path:
            elsewhere.setdefault(d.path, []).append(d)
    for path, found in elsewhere.items():
        other = other_sources(path) if other_sources is not None else None
        if other is None:
            out += found
            continue
        other_info = _LineInfo(other, _parse(other))
        out += [_with_ignore_fix(d, other, other_info) for d in _unsuppressed(found, other_info, set())]
    return out


def _unsuppressed(diagnostics: list[Diagnostic], info: _LineInfo, used: set[tuple[int, str]]) -> list[Diagnostic]:
    kept: list[Diagnostic] = []
    for d in diagnostics:
        s = info.suppressions.get(d.range.start_line)
        if s is not None and d.code in s.codes:
            used.add((s.line, d.code))
            continue
        kept.append(d)
    return kept


def _unused(suppressions: dict[int, Suppression], used: set[tuple[int, str]], source: SourceFile,
            config: Config, judged: Callable[[int], bool] | None = None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for s in suppressions.values():
        if not s.codes:
            out.append(Diagnostic("PJ902", "suppression without codes: pyjit only honours "
                                  "`# pyjit: ignore[CODE, ...]`", source.path, s.comment,
                                  fixes=(Fix("Remove the suppression", (_remove_comment(source, s),),
                                             applicability=Applicability.SAFE),)))
            continue
        unused = [(c, r) for c, r in zip(s.codes, s.code_ranges, strict=False) if (s.line, c) not in used]
        for code, where in unused:
            # Removing an unknown or disabled code changes nothing pyjit reports. A code merely not
            # reported here may still be, when another file's roots compile this line (a callee),
            # which one file's analysis cannot see: removing it is the user's decision.
            applicability = Applicability.SAFE
            if not _CODE.fullmatch(code) or code not in CATALOG:
                why = f"unknown code {code}"
            elif not config.enabled(code, source.path):
                why = f"{code} is not enabled"
            elif judged is not None and not judged(s.line):
                continue   # the analysis left out the code here: it may well be reported
            else:
                why = f"no {code} is reported on this line"
                applicability = Applicability.UNSAFE
            keep = [c for c in s.codes if c != code]
            edit = Edit(source.path, s.codes_range, ", ".join(keep)) if keep else _remove_comment(source, s)
            out.append(Diagnostic("PJ902", f"unused suppression: {why}", source.path, where,
                                  fixes=(Fix(f"Remove {code} from the suppression", (edit,),
                                             applicability=applicability),),
                                  data={"suppressed_code": code}))
    return out


def _remove_comment(source: SourceFile, s: Suppression) -> Edit:
    """Remove the comment and the whitespace before it."""
    text = source.lines[s.line] if s.line < len(source.lines) else ""
    start = s.comment.start_col
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return Edit(source.path, TextRange(s.line, start, s.line, s.comment.end_col), "")


def ignore_fix(d: Diagnostic, source: SourceFile, suppressions: dict[int, Suppression]) -> Fix:
    line = d.range.start_line
    s = suppressions.get(line)
    if s is not None and s.codes_range is not None:
        new = ", ".join([*s.codes, d.code])
        edit = Edit(source.path, s.codes_range, new)
    else:
        text = source.lines[line] if line < len(source.lines) else ""
        end = len(text.rstrip("\r"))
        if s is not None:  # `# pyjit: ignore` without codes: give it some
            edit = Edit(source.path, s.comment, f"# pyjit: ignore[{d.code}]")
        else:
            stripped = len(text[:end].rstrip())
            edit = Edit(source.path, TextRange(line, stripped, line, end), f"  # pyjit: ignore[{d.code}]")
    return Fix(f"Ignore {d.code} on this line", (edit,), applicability=Applicability.DISPLAY_ONLY)


def _with_ignore_fix(d: Diagnostic, source: SourceFile, info: _LineInfo) -> Diagnostic:
    if d.code == "PJ902" or info.unsafe(d.range.start_line):
        return d
    if d.range.start_line >= len(source.lines):
        return d
    return dataclasses.replace(d, fixes=(*d.fixes, ignore_fix(d, source, info.suppressions)))
