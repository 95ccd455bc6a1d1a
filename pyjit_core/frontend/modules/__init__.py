"""Static nn.Module instances and their concrete module types (see :mod:`.interpreter`)."""

from .interpreter import (
    MISSING, NATIVE_SCRIPT_MODULE, OVERLOAD_METHOD, SCRIPT_METHOD, ClassMethodObj, ClassObj, ConcreteModuleType,
    ConcreteTypeStore, ConstantError, DeviceValue, Interpreter, InterpretError, ModuleInstance, PropertyObj,
    PyFunction, StaticMethodObj, TorchEnumValue, Unknown, _OutOfBudget, is_nn_module_class_ref,
    iter_class_functions, modifier_of,
)

__all__ = [
    "MISSING", "NATIVE_SCRIPT_MODULE", "OVERLOAD_METHOD", "SCRIPT_METHOD", "ClassMethodObj", "ClassObj",
    "ConcreteModuleType", "ConcreteTypeStore", "ConstantError", "DeviceValue", "InterpretError", "Interpreter",
    "ModuleInstance", "PropertyObj", "PyFunction", "StaticMethodObj", "TorchEnumValue", "Unknown", "_OutOfBudget",
    "is_nn_module_class_ref", "iter_class_functions", "modifier_of",
]
