"""Constant propagation folds a tuple of constants into one ``prim::Constant`` whose value is an
IValue tuple: nested tuples, lists, a dict, ``None``, ``torch.device("cpu")``, a 1-tuple ``(7,)``
(typed ``(int)``) and floats in ``IValue::repr`` form (``-0.``)."""
from typing import Dict, List, Optional, Tuple

import torch


def constants(x: torch.Tensor) -> Tuple[Tuple[int, float, str], List[int], List[float], List[str], Dict[str, int],
                                        Optional[int], torch.device, List[bool], Tuple[int], complex]:
    return ((1, 2.5, "a\n\u00e9"), [1, 2], [1.5, -0.0, 1e-7], ["x", "y"], {"k": 1, "j": -2}, None,
            torch.device("cpu"), [True, False], (7,), 0.5j)


def GRAPHS():
    graph = torch.jit.script(constants).graph.copy()
    torch._C._jit_pass_constant_propagation(graph)
    return {"folded": graph}
