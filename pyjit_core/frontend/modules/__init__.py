"""Static nn.Module instances and their concrete module types.

``torch.jit.script(Model(3, bias=False))`` scripts an *instance*: what it
has -- parameters, buffers, submodules, constants, plain attributes and
their types -- is only known after ``Model.__init__`` ran. pyjit never runs
user code, so this package runs ``__init__`` abstractly: an interpreter over
``ast`` whose values are real Python constants where the source determines
them (numbers, strings, tuples, lists and dicts of those) and stand-ins for
everything else (:class:`TensorValue`, :class:`ModuleInstance`,
:class:`Unknown`). ``nn.Module``'s own bookkeeping (``__setattr__``,
``register_buffer``, ``register_parameter``, ``add_module``) and the module
containers (``ModuleList``, ``Sequential``, ``ModuleDict``, ``ParameterList``,
``ParameterDict``) are modelled natively; every other class is interpreted
from source, torch's ``nn`` layers included (read through :class:`PyWorld`:
the installed torch's, else the copy of torch's source bundled with pyjit).

From an instance, :func:`ConcreteTypeStore.get_or_create` builds what torch's
``infer_concrete_type_builder`` (torch/jit/_recursive.py) builds -- the
attributes in torch's order (parameters, buffers, then ``__dict__``), the
constants (``__constants__`` and ``Final``), the submodules, the attributes
that failed to convert with torch's hint -- and shares one JIT type between
equal concrete types, mangling names (``___torch_mangle_N``) as torch does.

Where the source leaves a value open (a constructor argument not given at the
call site and without default, a call into a library pyjit does not read),
the value is :class:`Unknown`, typed when an annotation says what it is; an
``if`` on an unknown condition takes the branch that does not raise, the
``if`` branch when neither does.

The modules, each importing only modules listed above it:

``abstract_values``    the abstract values, the frame of a running function, what ends an
                       interpretation, the budget, the torch paths recognised
``native_builtins``    Python's builtins modelled natively; methods of builtin values and tensors
``native_module``      ``nn.Module``'s bookkeeping modelled natively; which torch classes stay native
``native_containers``  ``ModuleList``, ``Sequential``, ``ModuleDict``, ``ParameterList``, ``ParameterDict``
``inference``          torch's tryToInferType on abstract values; annotations as TorchScript reads them
``evaluation``         :class:`Evaluator`: function bodies, statements, expressions
``interpreter``        :class:`Interpreter` (an ``Evaluator``): names, classes, attributes, calls;
                       ``instantiate_at`` is the entry point
``concrete_types``     :class:`ConcreteModuleType`, :class:`ConcreteTypeStore`, constants validation

The natives reach the interpreter only through the ``interp`` argument every
native receives, so nothing below ``interpreter`` imports it at run time.
"""

import importlib

# What other packages use, imported on first use: a file without nn.Modules
# should not pay for the interpreter (~20 ms of imports).
_EXPORTS = {
    "ConcreteModuleType": "concrete_types", "ConcreteTypeStore": "concrete_types", "ConstantError": "concrete_types",
    "Interpreter": "interpreter", "iter_class_functions": "interpreter",
    **{name: "abstract_values" for name in (
        "EXPORT", "MISSING", "NATIVE_SCRIPT_MODULE", "OVERLOAD_METHOD", "SCRIPT_METHOD", "ClassMethodObj", "ClassObj",
        "DeviceValue", "InterpretError", "ModuleInstance", "OutOfBudget", "PropertyObj", "PyFunction",
        "StaticMethodObj", "TorchEnumValue", "Unknown", "is_nn_module_class_ref", "modifier_of")},
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
