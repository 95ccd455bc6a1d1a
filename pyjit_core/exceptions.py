"""The base of the exceptions pyjit_core raises on purpose.

``except PyjitError`` tells pyjit's own conditions (a compile error torch
would report, a schema or IR text that does not parse, an interpretation
that ran out of budget...) from bugs. Each subclass also keeps the builtin
it derived from before (``SchemaParseError`` is still a ``ValueError``), so
no existing ``except`` changes meaning.

Private control-flow signals (the interpreter's ``_Return``, ``_Break``,
``_Continue``) are not errors and never leave the module that raises them;
they do not derive from it.
"""

from __future__ import annotations


class PyjitError(Exception):
    """An exception pyjit_core raises on purpose."""
