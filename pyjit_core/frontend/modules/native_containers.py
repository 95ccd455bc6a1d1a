"""torch's module containers modelled natively.

``ModuleList``, ``Sequential``, ``ModuleDict``, ``ParameterList`` and
``ParameterDict`` are read from torch's source (installed or bundled) like
any class, but their methods come from :data:`CONTAINER_METHODS`: they keep
the items in the instance's ``modules`` / ``parameters`` tables in torch's
order, through ``nn.Module``'s own natives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...ir import types as T
from .abstract_values import InterpretError, ModuleInstance, Native, TensorValue, Unknown
from .native_module import m_add_module, native_module_init

if TYPE_CHECKING:
    from .interpreter import Interpreter


def _c_len(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    kind = interp.container_kind(inst.cls)
    return len(inst.parameters) if kind in ("ParameterList", "ParameterDict") else len(inst.modules)


def _c_iter(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    kind = interp.container_kind(inst.cls)
    if kind == "ModuleDict":
        return list(inst.modules.keys())
    if kind == "ParameterDict":
        return list(inst.parameters.keys())
    if kind == "ParameterList":
        return list(inst.parameters.values())
    return list(inst.modules.values())


def _c_list_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    native_module_init(interp, [inst], {}, node)
    modules = args[1] if len(args) > 1 else kwargs.get("modules")
    if modules is not None:
        _c_extend(interp, [inst, modules], {}, node)
    return None


def _c_extend(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, modules = args[0], args[1]
    items = interp.iterate(modules, node)
    if items is None:
        inst.notes.append(f"the modules added to {inst.class_name} at line {getattr(node, 'lineno', '?')} are unknown")
        return inst
    offset = len(inst.modules)
    for i, m in enumerate(items):
        m_add_module(interp, [inst, str(offset + i), m], {}, node)
    return inst


def _c_append(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, m = args[0], args[1]
    m_add_module(interp, [inst, str(len(inst.modules)), m], {}, node)
    return inst


def _c_insert(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, index, m = args[0], args[1], args[2]
    values = list(inst.modules.values())
    if not isinstance(index, int):
        return None
    values.insert(index, m)
    inst.modules = {str(i): v for i, v in enumerate(values)}
    return None


def _c_list_getitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, idx = args[0], args[1]
    values = list(inst.modules.values())
    if isinstance(idx, slice):
        clone = ModuleInstance(inst.cls, node, interp._current_scope)
        native_module_init(interp, [clone], {}, node)
        kind = interp.container_kind(inst.cls)
        if kind == "Sequential":
            clone.modules = {k: inst.modules[k] for k in list(inst.modules)[idx]}
        else:
            clone.modules = {str(i): v for i, v in enumerate(values[idx])}
        return clone
    if isinstance(idx, int) and not isinstance(idx, bool):
        try:
            return values[idx]
        except IndexError:
            raise InterpretError("IndexError", f"index {idx} is out of range", node) from None
    return Unknown("module list item")


def _c_list_setitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, idx, m = args[0], args[1], args[2]
    if isinstance(idx, int):
        keys = list(inst.modules)
        key = keys[idx] if -len(keys) <= idx < len(keys) else str(idx)
        m_add_module(interp, [inst, key, m], {}, node)
    return None


def _c_pop(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    key = args[1] if len(args) > 1 else -1
    kind = interp.container_kind(inst.cls)
    if kind == "ModuleDict":
        return inst.modules.pop(key, None) if isinstance(key, str) else Unknown("pop")
    values = list(inst.modules.values())
    if not isinstance(key, int) or not values:
        return Unknown("pop")
    v = values.pop(key)
    inst.modules = {str(i): x for i, x in enumerate(values)} if kind != "Sequential" else \
        {k: x for k, x in inst.modules.items() if x is not v}
    return v


def _c_sequential_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    native_module_init(interp, [inst], {}, node)
    mods = args[1:]
    if len(mods) == 1 and isinstance(mods[0], dict):
        for key, m in mods[0].items():
            m_add_module(interp, [inst, key, m], {}, node)
    else:
        for i, m in enumerate(mods):
            m_add_module(interp, [inst, str(i), m], {}, node)
    return None


def _c_dict_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    native_module_init(interp, [inst], {}, node)
    modules = args[1] if len(args) > 1 else kwargs.get("modules")
    if modules is not None:
        _c_dict_update(interp, [inst, modules], {}, node)
    return None


def _c_dict_update(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, modules = args[0], args[1]
    if isinstance(modules, dict):
        pairs = list(modules.items())
    elif isinstance(modules, ModuleInstance):
        pairs = list(modules.modules.items())
    else:
        items = interp.iterate(modules, node)
        if items is None:
            inst.notes.append(f"the modules added to {inst.class_name} at line {getattr(node, 'lineno', '?')} "
                              "are unknown")
            return None
        pairs = [tuple(p) for p in items if isinstance(p, (tuple, list)) and len(p) == 2]
    for k, m in pairs:
        m_add_module(interp, [inst, k, m], {}, node)
    return None


def _c_dict_getitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, key = args[0], args[1]
    if isinstance(key, str):
        if key in inst.modules:
            return inst.modules[key]
        raise InterpretError("KeyError", repr(key), node)
    return Unknown("module dict item")


def _c_dict_setitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    return m_add_module(interp, [args[0], args[1], args[2]], {}, node)


def _c_keys(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    return list((inst.parameters if interp.container_kind(inst.cls) == "ParameterDict" else inst.modules).keys())


def _c_values(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    return list((inst.parameters if interp.container_kind(inst.cls) == "ParameterDict" else inst.modules).values())


def _c_items(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    return list((inst.parameters if interp.container_kind(inst.cls) == "ParameterDict" else inst.modules).items())


def _c_contains(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, key = args[0], args[1]
    return key in inst.modules if isinstance(key, str) else Unknown("contains", T.Bool)


def _as_parameter(v: Any) -> Any:
    if isinstance(v, TensorValue) and not v.parameter:
        return TensorValue(parameter=True)
    return v


def _c_plist_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    native_module_init(interp, [inst], {}, node)
    values = args[1] if len(args) > 1 else kwargs.get("values")
    if values is not None:
        _c_plist_extend(interp, [inst, values], {}, node)
    return None


def _c_plist_extend(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, values = args[0], args[1]
    items = interp.iterate(values, node)
    if items is None:
        return inst
    for v in items:
        _c_plist_append(interp, [inst, v], {}, node)
    return inst


def _c_plist_append(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, v = args[0], args[1]
    name = str(len(inst.parameters))
    v = _as_parameter(v)
    if isinstance(v, TensorValue):
        inst.parameters[name] = v
    else:
        inst.attrs[name] = v
        inst.parameters[name] = v  # keeps the index numbering of ParameterList
    return inst


def _c_plist_getitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, idx = args[0], args[1]
    values = list(inst.parameters.values())
    if isinstance(idx, int) and -len(values) <= idx < len(values):
        return values[idx]
    return Unknown("parameter")


def _c_pdict_init(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst = args[0]
    native_module_init(interp, [inst], {}, node)
    values = args[1] if len(args) > 1 else kwargs.get("parameters")
    if isinstance(values, dict):
        for k, v in values.items():
            if isinstance(k, str):
                inst.parameters[k] = _as_parameter(v)
    return None


def _c_pdict_setitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, key, v = args[0], args[1], args[2]
    if isinstance(key, str):
        inst.parameters[key] = _as_parameter(v)
    return None


def _c_pdict_getitem(interp: Interpreter, args: list[Any], kwargs: dict, node: Any) -> Any:
    inst, key = args[0], args[1]
    return inst.parameters.get(key, Unknown("parameter")) if isinstance(key, str) else Unknown("parameter")


_LIST_COMMON = {
    "__len__": Native("__len__", _c_len), "__iter__": Native("__iter__", _c_iter),
    "extend": Native("extend", _c_extend), "__iadd__": Native("__iadd__", _c_extend),
    "append": Native("append", _c_append), "insert": Native("insert", _c_insert),
    "__getitem__": Native("__getitem__", _c_list_getitem), "__setitem__": Native("__setitem__", _c_list_setitem),
    "pop": Native("pop", _c_pop),
}
CONTAINER_METHODS: dict[str, dict[str, Native]] = {
    "ModuleList": {"__init__": Native("__init__", _c_list_init), **_LIST_COMMON},
    "Sequential": {"__init__": Native("__init__", _c_sequential_init), **_LIST_COMMON},
    "ModuleDict": {
        "__init__": Native("__init__", _c_dict_init), "__len__": Native("__len__", _c_len),
        "__iter__": Native("__iter__", _c_iter), "update": Native("update", _c_dict_update),
        "__getitem__": Native("__getitem__", _c_dict_getitem), "__setitem__": Native("__setitem__", _c_dict_setitem),
        "keys": Native("keys", _c_keys), "values": Native("values", _c_values), "items": Native("items", _c_items),
        "__contains__": Native("__contains__", _c_contains), "pop": Native("pop", _c_pop),
    },
    "ParameterList": {
        "__init__": Native("__init__", _c_plist_init), "__len__": Native("__len__", _c_len),
        "__iter__": Native("__iter__", _c_iter), "append": Native("append", _c_plist_append),
        "extend": Native("extend", _c_plist_extend), "__iadd__": Native("__iadd__", _c_plist_extend),
        "__getitem__": Native("__getitem__", _c_plist_getitem),
    },
    "ParameterDict": {
        "__init__": Native("__init__", _c_pdict_init), "__len__": Native("__len__", _c_len),
        "__iter__": Native("__iter__", _c_iter), "__setitem__": Native("__setitem__", _c_pdict_setitem),
        "__getitem__": Native("__getitem__", _c_pdict_getitem), "keys": Native("keys", _c_keys),
        "values": Native("values", _c_values), "items": Native("items", _c_items),
    },
}
