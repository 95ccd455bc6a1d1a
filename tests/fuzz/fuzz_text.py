"""Random edits to Python text, and LSP positions computed independently of the server.

Positions are in UTF-16 code units (the encoding the fuzzer negotiates); lines
end at ``\\r\\n``, ``\\r`` or ``\\n`` only, as LSP says (a form feed or U+2028
is inside a line). Edits fall on code-point boundaries, as an editor's do.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_BREAK = re.compile(r"\r\n|\r|\n")

#: What a user types, and what a hostile text holds: astral-plane and combining
#: characters, zero-width joiners, line breaks of every kind, the characters
#: Python's ``str.splitlines`` breaks at but LSP does not.
SNIPPETS = [
    "x", "torch.", "torch.relu(x)", "x + 1", " * 2.0", "return x\n", "return", "(", ")", "[", "]", ":",
    ",", ".", "=", "->", "@", "@torch.jit.script\n", "def f(x: torch.Tensor) -> torch.Tensor:\n    return x\n",
    "class M(torch.nn.Module):\n    def forward(self, x):\n        return x\n", "if x:\n", "else:\n",
    "for i in range(3):\n", "    ", "\t", "\n", "\n\n", "\r\n", "\r", "# comment", '"""', "'", '"', "\\",
    "lambda: 0", "yield", "async ", "await x", "import torch\n", "from typing import List\n", "List[int]",
    "Optional[Tensor]", "é", "e\u0301", "\u0301", "😀", "𝕏", "👩\u200d👩\u200d👧", "\u200d", "中文", "\ufeff",  # noqa: RUF001
    "\x0c", "\u2028", "\u2029", "\x0b", "\x1c", "\x85", "\x00", "\u00a0", "𝔡𝔢𝔣", "\U0010ffff",  # noqa: RUF001
]


def lines_of(text: str) -> list[str]:
    """LSP's lines, without their endings."""
    return _BREAK.split(text)


def utf16_len(s: str) -> int:
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def utf16_to_index(line: str, units: int) -> int:
    """The code-point index of a UTF-16 column (clamped at the line's end)."""
    count = 0
    for i, c in enumerate(line):
        if count >= units:
            return i
        count += 2 if ord(c) > 0xFFFF else 1
    return len(line)


def line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _BREAK.finditer(text)]


def position_of(text: str, offset: int) -> dict[str, int]:
    """The LSP position (UTF-16) of a code-point ``offset``; an offset inside ``\\r\\n`` counts as its start."""
    starts = line_starts(text)
    line = max(i for i, s in enumerate(starts) if s <= offset)
    own = lines_of(text)[line]
    col = min(offset - starts[line], len(own))
    return {"line": line, "character": utf16_len(own[:col])}


def offset_of(text: str, position: dict[str, int]) -> int:
    starts = line_starts(text)
    lines = lines_of(text)
    line = position["line"]
    if line >= len(lines):
        return len(text)
    return starts[line] + utf16_to_index(lines[line], position["character"])


def in_document(text: str, rng: dict[str, dict[str, int]]) -> bool:
    """Whether ``rng`` lies inside ``text``, start before end, in UTF-16 units."""
    lines = lines_of(text)

    def ok(p: dict[str, int]) -> bool:
        return 0 <= p["line"] < len(lines) and 0 <= p["character"] <= utf16_len(lines[p["line"]])

    start, end = rng["start"], rng["end"]
    return ok(start) and ok(end) and (start["line"], start["character"]) <= (end["line"], end["character"])


def _boundary(text: str, offset: int) -> int:
    """Never split ``\\r\\n``: an editor keeps it whole."""
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return offset - 1
    return offset


@dataclass(frozen=True)
class Edit:
    start: int      # code-point offsets into the old text
    end: int
    new: str

    def apply(self, text: str) -> str:
        return text[:self.start] + self.new + text[self.end:]

    def lsp(self, text: str) -> dict:
        return {"range": {"start": position_of(text, self.start), "end": position_of(text, self.end)},
                "text": self.new}


def random_edit(rnd: random.Random, text: str) -> Edit:
    """An insertion, deletion or replacement as a user (or a paste) would make."""
    start = _boundary(text, rnd.randint(0, len(text)))
    kind = rnd.random()
    if kind < 0.45:                                        # typing or pasting
        new = "".join(rnd.choice(SNIPPETS) for _ in range(rnd.choice([1, 1, 1, 2, 4])))
        if rnd.random() < 0.3:                             # the indentation of a new line
            new = "\n" + " " * rnd.choice([0, 1, 2, 4, 8]) + new
        return Edit(start, start, new)
    width = rnd.choice([1, 1, 2, 5, 20, 200])
    end = _boundary(text, min(len(text), start + width))
    if kind < 0.8:                                         # deleting
        return Edit(start, end, "")
    return Edit(start, end, rnd.choice(SNIPPETS))          # replacing


def random_position(rnd: random.Random, text: str) -> dict[str, int]:
    """Mostly inside the document; sometimes past a line's end or past the last line (LSP allows both)."""
    if rnd.random() < 0.1:
        lines = lines_of(text)
        return {"line": rnd.randint(0, len(lines) + 3), "character": rnd.randint(0, 400)}
    return position_of(text, rnd.randint(0, len(text)))
