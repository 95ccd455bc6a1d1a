"""Tokens of torch's schema language, and the error every schema parse raises.

torch: torch/csrc/jit/frontend/lexer.h (the TorchScript lexer, which the
schema parser shares). Only what schemas use is modelled: identifiers,
keywords, numbers (decimal or C hex floats, with a ``j`` suffix for
imaginary literals), string literals, ``->``, ``...`` and single punctuation
characters. Comments are whitespace; so is a newline inside brackets, as in
torch, while one outside them is a ``newline`` token.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from ..exceptions import PyjitError

# Token kinds that are not a single punctuation character. Their names are
# the ones torch's kindToString uses in "expected X but found 'Y'" messages.
IDENT: Final = "ident"
NUMBER: Final = "number"
STRING: Final = "string_literal"
ARROW: Final = "arrow"
DOTS: Final = "dots"
EOF: Final = "eof"
NEWLINE: Final = "newline"
NONE: Final = "None"
NONE_TYPE: Final = "NoneType"
TRUE: Final = "True"
FALSE: Final = "False"

#: Words the TorchScript lexer turns into keyword tokens, by their kind names;
#: an argument cannot be named after one of them.
KEYWORDS: Final[dict[str, str]] = {
    "None": NONE, "NoneType": NONE_TYPE, "True": TRUE, "False": FALSE,
    "def": "def", "if": "if", "else": "else", "elif": "elif", "while": "while",
    "return": "return", "is": "is", "and": "and", "or": "or", "not": "not",
    "global": "global", "for": "for", "in": "in", "raise": "raise",
    "assert": "assert", "break": "break", "continue": "continue", "del": "del",
    "pass": "pass", "class": "class", "import": "import", "with": "with",
    "as": "as", "Ellipsis": "Ellipsis",
}

_TOKEN = re.compile(
    r"""
    (?P<newline>\n)
  | (?P<space>[ \t\r\f\v]+|\#[^\n]*)
  | (?P<number>(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?
               |(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)j?)
  | (?P<string>'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"|'(?:\\.|[^\\'\n])*'|"(?:\\.|[^\\"\n])*")
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<arrow>->)
  | (?P<dots>\.\.\.)
  | (?P<punct>[()\[\],?!*|=:.\-+])
  | (?P<error>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class SchemaParseError(PyjitError, ValueError):
    """A schema that does not parse. torch: ErrorReport.

    ``column`` and ``end_column`` are 0-based code-point offsets into
    ``line_text`` (the offending line of the source, ``line`` 0-based).
    ``str()`` renders torch's layout: the message, the line, and a
    ``~~~ <--- HERE`` marker under the offending token.
    """

    def __init__(self, message: str, source: str, start: int, end: int | None = None) -> None:
        self.message = message
        self.source = source
        self.offset = start
        line_start = source.rfind("\n", 0, start) + 1
        line_end = source.find("\n", start)
        if line_end == -1:
            line_end = len(source)
        self.line = source.count("\n", 0, start)
        self.line_text = source[line_start:line_end]
        self.column = start - line_start
        end = start + 1 if end is None or end <= start else end
        self.end_column = min(end, line_end) - line_start if end <= line_end else len(self.line_text)
        width = max(1, self.end_column - self.column)
        rendered = f"{message}:\n{self.line_text}\n{' ' * self.column}{'~' * width} <--- HERE"
        super().__init__(rendered)


class Token(NamedTuple):
    kind: str       # a kind constant above, a keyword kind, or the punctuation character itself
    text: str
    start: int      # code-point offsets into the source, end-exclusive
    end: int


# The same alternatives without group names: tokenize() takes the pieces
# (findall builds no match objects) and tells their kind from their first
# character, which decides which alternative matched. The pieces tile the
# source (the last alternative takes any character), so offsets add up.
_PIECE = re.compile(re.sub(r"\(\?P<\w+>", "(?:", _TOKEN.pattern), re.VERBOSE | re.DOTALL)
_IDENT_START: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_SPACE_START: Final = frozenset(" \t\r\f\v#")
_PUNCT: Final = frozenset("()[],?!*|=:.-+")


def tokenize(source: str) -> list[Token]:
    """Every token of ``source``, ending with an ``eof`` token.

    Raises :class:`SchemaParseError` on a character no token starts with.
    """
    tokens: list[Token] = []
    append = tokens.append
    # Token(kind, text, start, end) without NamedTuple's keyword-handling __new__.
    make = tuple.__new__
    depth = 0  # bracket nesting: newlines inside brackets are whitespace
    start = 0
    for text in _PIECE.findall(source):
        end = start + len(text)
        first = text[0]
        if first in _IDENT_START:
            append(make(Token, (KEYWORDS.get(text, IDENT), text, start, end)))
        elif first in _SPACE_START:
            pass
        elif first == "\n":
            if depth == 0 and tokens and tokens[-1].kind != NEWLINE:
                append(make(Token, (NEWLINE, text, start, end)))
        elif first.isdecimal() or (first == "." and len(text) > 1 and text != "..."):   # (\d is any decimal)
            append(make(Token, (NUMBER, text, start, end)))
        elif text == "->":
            append(make(Token, (ARROW, text, start, end)))
        elif text == "...":
            append(make(Token, (DOTS, text, start, end)))
        elif (first == "'" or first == '"') and len(text) > 1:
            append(make(Token, (STRING, text, start, end)))
        elif first in _PUNCT and len(text) == 1:
            append(make(Token, (text, text, start, end)))
            if text in "([":
                depth += 1
            elif text in ")]":
                depth = max(0, depth - 1)
        else:
            raise SchemaParseError(f"unexpected character {text!r}", source, start)
        start = end
    append(Token(EOF, "", len(source), len(source)))
    return tokens
