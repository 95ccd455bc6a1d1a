"""Every exception pyjit_core raises on purpose is a ``PyjitError``, and still
the builtin it derived from before, so no ``except`` changes meaning."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pyjit_core
from pyjit_core.exceptions import PyjitError

# The builtin each one derived from before PyjitError, which it must keep.
BUILTIN_BASES = {
    "pyjit_core.schema.lexer.SchemaParseError": ValueError,
    "pyjit_core.ir.parser.IRParseError": ValueError,
    "pyjit_core.ir.constants.ConstantNotSupported": ValueError,
    "pyjit_core.passes.inline_forked_closures.ForkError": ValueError,
    "pyjit_core.config.ConfigError": ValueError,
    "pyjit_core.sources.UnreadableSource": OSError,
}

# Not errors: the interpreter's non-local exits, private to the module that
# raises and catches them. A handler of pyjit's errors must not catch them.
CONTROL_FLOW = {
    "pyjit_core.frontend.modules.evaluation._Return",
    "pyjit_core.frontend.modules.evaluation._Break",
    "pyjit_core.frontend.modules.evaluation._Continue",
}


def core_exceptions() -> dict[str, type[BaseException]]:
    """Every exception class defined in pyjit_core, by qualified name."""
    found = {}
    for info in pkgutil.walk_packages(pyjit_core.__path__, "pyjit_core."):
        if info.name.startswith("pyjit_core.frontend.data"):
            continue   # torch-shaped sources read as data, never run
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == info.name:
                found[f"{info.name}.{name}"] = obj
    return found


def test_every_core_exception_is_a_pyjit_error_but_control_flow():
    found = core_exceptions()
    assert set(BUILTIN_BASES) | CONTROL_FLOW <= set(found)
    missing = sorted(name for name, cls in found.items()
                     if not issubclass(cls, PyjitError) and name not in CONTROL_FLOW)
    assert missing == [], "derive these from pyjit_core.exceptions.PyjitError"
    assert not any(issubclass(found[name], PyjitError) for name in CONTROL_FLOW)


def test_each_keeps_the_builtin_it_replaced():
    found = core_exceptions()
    for name, builtin in BUILTIN_BASES.items():
        assert issubclass(found[name], builtin), name


def test_the_package_ships_its_type_information():
    assert (Path(pyjit_core.__file__).parent / "py.typed").is_file()
