"""``nn.Module``'s own bookkeeping modelled natively.

``__setattr__`` (:func:`module_setattr`), ``__init__``, ``register_buffer``,
``register_parameter``, ``add_module``, ``train``/``eval``, the iterators
over children and parameters, hook registration: :data:`NATIVE_CLASS_ATTRS`
holds them per native class. :data:`NATIVE_TORCH_CLASSES` names the torch
classes read from source that stay native (``Module``, ``Parameter``,
``Tensor``...), and :func:`torch_library_role` says how the interpreter
treats other torch code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .abstract_values import (
    NATIVE_BUFFER,
    NATIVE_MODULE,
    NATIVE_PARAMETER,
    NATIVE_SCRIPT_MODULE,
    NATIVE_TENSOR,
    AttributeWrapper,
    InterpretError,
    ModuleInstance,
    Native,
    NativeClass,
    TensorValue,
    Unknown,
)

if TYPE_CHECKING:
    from .interpreter import Interpreter


def native_module_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    if isinstance(inst, ModuleInstance) and not inst.initialized:
        inst.initialized = True
        inst.attrs.setdefault("training", True)
        inst.attrs.setdefault("_is_full_backward_hook", None)
    return None


def _typename(v: Any) -> str:
    if isinstance(v, TensorValue):
        return "torch.nn.parameter.Parameter" if v.parameter else "torch.Tensor"
    if isinstance(v, ModuleInstance):
        return v.class_name
    if v is None:
        return "NoneType"
    return type(v).__name__


def module_setattr(interp: Interpreter, inst: ModuleInstance, name: str, value: Any, node: Any) -> None:
    """torch: nn.Module.__setattr__."""
    if isinstance(value, AttributeWrapper) and isinstance(value.value, (ModuleInstance,)):
        value = value.value
    if isinstance(value, TensorValue) and value.parameter:
        if not inst.initialized:
            raise InterpretError("AttributeError", "cannot assign parameters before Module.__init__() call", node)
        for table in (inst.attrs, inst.buffers, inst.modules):
            table.pop(name, None)
        inst.non_persistent.discard(name)
        inst.parameters[name] = value
        return
    if name in inst.parameters:
        if value is not None and not isinstance(value, Unknown):
            raise InterpretError("TypeError", f"cannot assign '{_typename(value)}' as parameter '{name}' "
                                 "(torch.nn.Parameter or None expected)", node)
        inst.parameters[name] = value
        return
    if isinstance(value, ModuleInstance):
        if not inst.initialized:
            raise InterpretError("AttributeError", "cannot assign module before Module.__init__() call", node)
        for table in (inst.attrs, inst.parameters, inst.buffers):
            table.pop(name, None)
        inst.non_persistent.discard(name)
        inst.modules[name] = value
        return
    if name in inst.modules:
        if value is not None and not isinstance(value, Unknown):
            raise InterpretError("TypeError", f"cannot assign '{_typename(value)}' as child module '{name}' "
                                 "(torch.nn.Module or None expected)", node)
        inst.modules[name] = value
        return
    if isinstance(value, TensorValue) and value.buffer:
        _register_buffer(inst, name, value, value.persistent, node)
        return
    if name in inst.buffers:
        if value is not None and not isinstance(value, (TensorValue, Unknown)):
            raise InterpretError("TypeError", f"cannot assign '{_typename(value)}' as buffer '{name}' "
                                 "(torch.nn.Buffer, torch.Tensor or None expected)", node)
        inst.buffers[name] = value
        return
    inst.attrs[name] = value


def _register_buffer(inst: ModuleInstance, name: str, tensor: Any, persistent: bool, node: Any) -> None:
    if not inst.initialized:
        raise InterpretError("AttributeError", "cannot assign buffer before Module.__init__() call", node)
    if not isinstance(name, str):
        raise InterpretError("TypeError", "buffer name should be a string", node)
    if "." in name:
        raise InterpretError("KeyError", 'buffer name can\'t contain "."', node)
    if name == "":
        raise InterpretError("KeyError", 'buffer name can\'t be empty string ""', node)
    if (name in inst.attrs or name in inst.parameters or name in inst.modules) and name not in inst.buffers:
        raise InterpretError("KeyError", f"attribute '{name}' already exists", node)
    if tensor is not None and not isinstance(tensor, (TensorValue, Unknown)):
        raise InterpretError("TypeError", f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                             "(torch Tensor or None required)", node)
    inst.buffers[name] = TensorValue(lazy=tensor.lazy) if isinstance(tensor, TensorValue) else tensor
    if persistent:
        inst.non_persistent.discard(name)
    else:
        inst.non_persistent.add(name)


def _m_register_buffer(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, name = args[0], args[1] if len(args) > 1 else kwargs.get("name")
    tensor = args[2] if len(args) > 2 else kwargs.get("tensor")
    persistent = args[3] if len(args) > 3 else kwargs.get("persistent", True)
    if isinstance(inst, ModuleInstance) and isinstance(name, str):
        _register_buffer(inst, name, tensor, persistent is not False, node)
    return None


def _m_register_parameter(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, name = args[0], args[1] if len(args) > 1 else kwargs.get("name")
    param = args[2] if len(args) > 2 else kwargs.get("param")
    if not isinstance(inst, ModuleInstance) or not isinstance(name, str):
        return None
    if not inst.initialized:
        raise InterpretError("AttributeError", "cannot assign parameter before Module.__init__() call", node)
    if (name in inst.attrs or name in inst.buffers or name in inst.modules) and name not in inst.parameters:
        raise InterpretError("KeyError", f"attribute '{name}' already exists", node)
    if param is not None and not isinstance(param, (TensorValue, Unknown)):
        raise InterpretError("TypeError", f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                             "(torch.nn.Parameter or None required)", node)
    if isinstance(param, TensorValue) and not param.parameter:
        raise InterpretError("TypeError", f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                             "(torch.nn.Parameter or None required)", node)
    inst.parameters[name] = param
    return None


def m_add_module(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, name = args[0], args[1] if len(args) > 1 else kwargs.get("name")
    module = args[2] if len(args) > 2 else kwargs.get("module")
    if not isinstance(inst, ModuleInstance):
        return None
    if not isinstance(name, str):
        if isinstance(name, Unknown):
            return None
        raise InterpretError("TypeError", f"module name should be a string. Got {_typename(name)}", node)
    if module is not None and not isinstance(module, (ModuleInstance, Unknown)):
        raise InterpretError("TypeError", f"{_typename(module)} is not a Module subclass", node)
    if (name in inst.attrs or name in inst.parameters or name in inst.buffers) and name not in inst.modules:
        raise InterpretError("KeyError", f"attribute '{name}' already exists", node)
    if "." in name:
        raise InterpretError("KeyError", f'module name can\'t contain ".", got: {name}', node)
    inst.modules[name] = module
    return None


def _m_return_self(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return args[0] if args else None


def _m_train(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    mode = args[1] if len(args) > 1 else kwargs.get("mode", True)

    def visit(m: Any) -> None:
        if isinstance(m, ModuleInstance):
            m.attrs["training"] = mode if isinstance(mode, bool) else True
            for sub in m.modules.values():
                visit(sub)

    visit(inst)
    return inst


def _m_eval(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return _m_train(interp, [args[0], False], {}, node)


def _m_children(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    return [m for m in inst.modules.values() if m is not None] if isinstance(inst, ModuleInstance) else Unknown("")


def _m_named_children(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    if not isinstance(inst, ModuleInstance):
        return Unknown("")
    return [(k, m) for k, m in inst.modules.items() if m is not None]


def _m_modules(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    out: list[Any] = []

    def visit(m: Any) -> None:
        if isinstance(m, ModuleInstance) and all(m is not o for o in out):
            out.append(m)
            for sub in m.modules.values():
                visit(sub)

    visit(args[0])
    return out


def _m_parameters(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    out: list[Any] = []

    def visit(m: Any) -> None:
        if isinstance(m, ModuleInstance):
            out.extend(p for p in m.parameters.values() if p is not None)
            for sub in m.modules.values():
                visit(sub)

    visit(args[0])
    return out


def _m_named_parameters(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    out: list[Any] = []

    def visit(m: Any, prefix: str) -> None:
        if isinstance(m, ModuleInstance):
            out.extend((prefix + k, p) for k, p in m.parameters.items() if p is not None)
            for k, sub in m.modules.items():
                visit(sub, f"{prefix}{k}.")

    visit(args[0], "")
    return out


def _m_register_forward_hook(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, hook = args[0], args[1] if len(args) > 1 else kwargs.get("hook")
    if isinstance(inst, ModuleInstance):
        inst.forward_hooks.append(hook)
    return Unknown("hook handle")


def _m_register_forward_pre_hook(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, hook = args[0], args[1] if len(args) > 1 else kwargs.get("hook")
    if isinstance(inst, ModuleInstance):
        inst.forward_pre_hooks.append(hook)
    return Unknown("hook handle")


def _m_unknown(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return Unknown("module method result")


def _m_get_submodule(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, target = args[0], args[1] if len(args) > 1 else ""
    if not isinstance(target, str):
        return Unknown("submodule")
    m = inst
    for part in [p for p in target.split(".") if p]:
        if not isinstance(m, ModuleInstance) or part not in m.modules:
            raise InterpretError("AttributeError", f"has no attribute `{part}`", node)
        m = m.modules[part]
    return m


NATIVE_CLASS_ATTRS: dict[str, dict[str, Any]] = {
    "Module": {
        "__init__": Native("__init__", native_module_init),
        "register_buffer": Native("register_buffer", _m_register_buffer),
        "register_parameter": Native("register_parameter", _m_register_parameter),
        "add_module": Native("add_module", m_add_module), "register_module": Native("register_module", m_add_module),
        "train": Native("train", _m_train), "eval": Native("eval", _m_eval),
        "children": Native("children", _m_children), "named_children": Native("named_children", _m_named_children),
        "modules": Native("modules", _m_modules), "parameters": Native("parameters", _m_parameters),
        "named_parameters": Native("named_parameters", _m_named_parameters),
        "register_forward_hook": Native("register_forward_hook", _m_register_forward_hook),
        "register_forward_pre_hook": Native("register_forward_pre_hook", _m_register_forward_pre_hook),
        "get_submodule": Native("get_submodule", _m_get_submodule),
        **{n: Native(n, _m_return_self) for n in (
            "to", "cuda", "cpu", "float", "double", "half", "bfloat16", "type", "requires_grad_", "apply",
            "share_memory", "to_empty", "xpu", "ipu", "mtia")},
        **{n: Native(n, _m_unknown) for n in (
            "zero_grad", "state_dict", "load_state_dict", "buffers", "named_buffers", "named_modules",
            "register_full_backward_hook", "register_backward_hook", "register_full_backward_pre_hook",
            "register_load_state_dict_post_hook", "register_state_dict_pre_hook", "extra_repr",
            "_register_state_dict_hook", "_register_load_state_dict_pre_hook", "__repr__", "_get_name")},
    },
    "ScriptModule": {
        "__init__": Native("__init__", native_module_init),
    },
    "object": {
        "__init__": Native("__init__", lambda interp, args, kwargs, node: None),
        "__init_subclass__": Native("__init_subclass__", lambda interp, args, kwargs, node: None),
    },
}


#: torch classes read from source that the interpreter models natively, by (module, qualname).
NATIVE_TORCH_CLASSES: dict[tuple[str, str], NativeClass] = {
    ("torch.nn.modules.module", "Module"): NATIVE_MODULE,
    ("torch.jit._script", "ScriptModule"): NATIVE_SCRIPT_MODULE,
    ("torch.jit._script", "RecursiveScriptModule"): NATIVE_SCRIPT_MODULE,
    ("torch.nn.parameter", "Parameter"): NATIVE_PARAMETER,
    ("torch.nn.parameter", "UninitializedParameter"): NativeClass("UninitializedParameter",
                                                                  "torch.nn.parameter.UninitializedParameter"),
    ("torch.nn.parameter", "Buffer"): NATIVE_BUFFER,
    ("torch.nn.parameter", "UninitializedBuffer"): NativeClass("UninitializedBuffer",
                                                               "torch.nn.parameter.UninitializedBuffer"),
    ("torch._tensor", "Tensor"): NATIVE_TENSOR,
}


def torch_library_role(module_name: str) -> str | None:
    """How the interpreter treats code of a torch module: run it, ``init`` (returns its tensor), or opaque."""
    if module_name != "torch" and not module_name.startswith("torch."):
        return None
    if module_name == "torch.nn.init":
        return "init"
    if module_name.startswith(("torch.nn.modules", "torch.nn.common_types", "torch.nn.parameter",
                               "torch.ao.nn", "torch.nn.quantized", "torch.nn.intrinsic", "torch.nn.qat")):
        return None
    return "opaque"
