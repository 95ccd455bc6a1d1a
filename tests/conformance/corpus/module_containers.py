"""ModuleList, ModuleDict and Sequential: iteration, indexing, len, hasattr on modules."""

from typing import Dict, List

import torch
import torch.nn as nn
from torch import Tensor


class Stack(nn.Module):
    def __init__(self, n: int):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(n)])

    def forward(self, x: Tensor) -> Tensor:
        for layer in self.layers:
            x = torch.relu(layer(x))
        return x


stack = torch.jit.script(Stack(3))


class EnumeratedStack(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])

    def forward(self, x: Tensor) -> List[Tensor]:
        outs: List[Tensor] = []
        for i, layer in enumerate(self.layers):
            outs.append(layer(x) * i)
        return outs


enumerated_stack = torch.jit.script(EnumeratedStack())


class ConstantIndex(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleList([nn.Linear(3, 1), nn.Linear(3, 2)])

    def forward(self, x: Tensor) -> Tensor:
        return self.heads[0](x) + self.heads[-1](x).sum(-1, keepdim=True)


constant_index = torch.jit.script(ConstantIndex())


class HeadsByName(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "box": nn.Linear(4, 4)})

    def forward(self, x: Tensor) -> Dict[str, Tensor]:
        out: Dict[str, Tensor] = {}
        for name, head in self.heads.items():
            out[name] = head(x)
        return out


heads_by_name = torch.jit.script(HeadsByName())


class ModuleDictKey(nn.Module):
    def __init__(self):
        super().__init__()
        self.acts = nn.ModuleDict({"relu": nn.ReLU(), "tanh": nn.Tanh()})

    def forward(self, x: Tensor) -> Tensor:
        return self.acts["relu"](x) + self.acts["tanh"](x)


module_dict_key = torch.jit.script(ModuleDictKey())


class SequentialBody(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4))

    def forward(self, x: Tensor) -> Tensor:
        return self.body(x) + x


sequential_body = torch.jit.script(SequentialBody())


class IterateSequential(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid())

    def forward(self, x: Tensor) -> Tensor:
        for m in self.body:
            x = m(x)
        return x


iterate_sequential = torch.jit.script(IterateSequential())


class LenOfModuleList(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Identity(), nn.Identity()])

    def forward(self, x: Tensor) -> Tensor:
        return x * len(self.blocks)


len_of_module_list = torch.jit.script(LenOfModuleList())


class OptionalFeature(nn.Module):
    def __init__(self, use_norm: bool):
        super().__init__()
        if use_norm:
            self.norm = nn.LayerNorm(4)

    def forward(self, x: Tensor) -> Tensor:
        if hasattr(self, "norm"):
            x = self.norm(x)
        return x


optional_feature = torch.jit.script(OptionalFeature(False))


class ZipModuleLists(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
        self.b = nn.ModuleList([nn.ReLU(), nn.Tanh()])

    def forward(self, x: Tensor) -> Tensor:
        for lin, act in zip(self.a, self.b):
            x = act(lin(x))
        return x


zip_module_lists = torch.jit.script(ZipModuleLists())


class DynamicIndex(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])

    def forward(self, x: Tensor, i: int) -> Tensor:
        return self.layers[i](x)


# error: Expected integer literal for index but got a variable or non-integer
dynamic_index = torch.jit.script(DynamicIndex())


class ModuleListAppend(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.ReLU()])

    def forward(self, x: Tensor) -> Tensor:
        self.layers.append(nn.ReLU())
        return x


# error: 'ModuleList.append' is being compiled since it was called from 'ModuleListAppend.forward'
module_list_append = torch.jit.script(ModuleListAppend())


class HasattrDynamicName(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: Tensor, name: str) -> Tensor:
        if hasattr(self, name):
            return x
        return -x


# error: hasattr's second argument must be a string literal
hasattr_dynamic_name = torch.jit.script(HasattrDynamicName())


class ModuleDictDynamicKey(nn.Module):
    def __init__(self):
        super().__init__()
        self.acts = nn.ModuleDict({"relu": nn.ReLU()})

    def forward(self, x: Tensor, key: str) -> Tensor:
        return self.acts[key](x)


# error: Unable to extract string literal index. ModuleDict indexing is only supported with string literals
module_dict_dynamic_key = torch.jit.script(ModuleDictDynamicKey())


class MixedModuleListCall(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Conv1d(2, 2, 1)])

    def forward(self, x: Tensor) -> List[Tensor]:
        outs = [layer(x) for layer in self.layers]
        return outs


mixed_module_list_call = torch.jit.script(MixedModuleListCall())
