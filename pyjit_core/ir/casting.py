"""``as_module`` / ``as_object``: may this Python value cross into TorchScript as
a module or an object? ``None`` when not -- never an exception.

torch: as_module / as_object (torch/csrc/jit/python/module_python.h):

* ``as_module(obj)``: a ``torch.jit.ScriptModule`` gives a ``Module`` over
  its ``_c``; anything else gives nothing.
* ``as_object(obj)``: a ``torch.ScriptObject`` gives an ``Object`` over
  itself; a ``torch.jit.RecursiveScriptClass`` an ``Object`` over its
  ``_c``; anything else gives nothing.

Both work on real torch objects -- without ever importing torch: if torch is
not already imported, no torch object can exist -- and on the static values
the frontend builds for code it reads but never runs (:class:`StaticInstance`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from .naming import StaticClass


@dataclass(frozen=True, eq=False)
class StaticInstance:
    """A value the frontend knows only statically: an instance of ``cls``.

    ``origin`` says how it was made, which decides the casts:

    * ``"eager"``     ``Model()`` or ``C()`` run by Python: a plain object;
    * ``"scripted"``  ``torch.jit.script(obj)``: for an ``nn.Module`` a
                      ScriptModule, for any other class instance a
                      RecursiveScriptClass (torch scripts the class and copies
                      the instance's ``__dict__`` into a ScriptObject);
    * ``"traced"``    ``torch.jit.trace(Model(), ...)``: a ScriptModule.

    Instances of ``torch.classes.ns.Name`` (``cls.role == "custom_class"``)
    are ScriptObjects whatever their origin.
    """

    cls: StaticClass
    origin: str = "eager"

    ORIGINS = frozenset({"eager", "scripted", "traced"})

    def __post_init__(self) -> None:
        if self.origin not in self.ORIGINS:
            raise ValueError(f"unknown origin {self.origin!r}")

    @property
    def is_script_module(self) -> bool:
        return self.cls.role == "module" and self.origin in ("scripted", "traced")

    @property
    def is_script_object(self) -> bool:
        return self.cls.role == "custom_class"

    @property
    def is_recursive_script_class(self) -> bool:
        return self.cls.role in ("script_class", "plain") and self.origin == "scripted"


@dataclass(frozen=True, eq=False)
class Module:
    """torch: torch::jit::Module -- a view of a scripted module.

    ``handle`` is the real ``torch._C.ScriptModule`` or the static instance.
    """

    handle: Any

    @property
    def qualified_type_name(self) -> str:
        if isinstance(self.handle, StaticInstance):
            return self.handle.cls.__qualname__
        return self.handle._type().qualified_name()


@dataclass(frozen=True, eq=False)
class Object:
    """torch: torch::jit::Object -- a view of a script object."""

    handle: Any

    @property
    def qualified_type_name(self) -> str:
        if isinstance(self.handle, StaticInstance):
            return self.handle.cls.__qualname__
        return self.handle._type().qualified_name()


def as_module(obj: Any) -> Module | None:
    if _isinstance(obj, StaticInstance):
        return Module(obj) if obj.is_script_module else None
    script_module = _torch_attr("torch.jit", "ScriptModule")
    if script_module is not None and _isinstance(obj, script_module):
        try:
            return Module(obj._c)
        except Exception:
            return None
    return None


def as_object(obj: Any) -> Object | None:
    if _isinstance(obj, StaticInstance):
        if obj.is_script_object or obj.is_recursive_script_class:
            return Object(obj)
        return None
    script_object = _torch_attr("torch._C", "ScriptObject")
    if script_object is not None and _isinstance(obj, script_object):
        return Object(obj)
    recursive_script_class = _torch_attr("torch.jit", "RecursiveScriptClass")
    if recursive_script_class is not None and _isinstance(obj, recursive_script_class):
        try:
            return Object(obj._c)
        except Exception:
            return None
    return None


def _torch_attr(module: str, name: str) -> Any:
    """``module.name`` if torch has already been imported, else ``None``.

    Never imports: a real torch object cannot exist before torch is imported.
    """
    mod = sys.modules.get(module)
    if mod is None:
        return None
    try:
        return getattr(mod, name, None)
    except Exception:
        return None


def _isinstance(obj: Any, cls: Any) -> bool:
    try:
        return isinstance(obj, cls)
    except Exception:
        # An object whose __class__ lookup raises is not a torch object.
        return False
