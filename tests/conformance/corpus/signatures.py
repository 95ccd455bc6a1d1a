"""Function signatures: annotations, defaults, type comments, return types."""

from typing import Dict, List, Optional, Tuple

import torch
from torch import Tensor


@torch.jit.script
def unannotated_is_tensor(x, y):
    return x + y


@torch.jit.script
def mixed_annotations(x: Tensor, scale: float, steps: int, name: str, verbose: bool) -> Tensor:
    if verbose:
        print(name, steps)
    return x * scale


@torch.jit.script
def with_defaults(x: Tensor, alpha: float = 0.5, k: int = 2) -> Tensor:
    return x * alpha + k


@torch.jit.script
def optional_default(x: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    if bias is not None:
        x = x + bias
    return x


@torch.jit.script
def container_params(xs: List[Tensor], table: Dict[str, int], pair: Tuple[int, float]) -> int:
    return len(xs) + len(table) + pair[0]


@torch.jit.script
def pep585_generics(xs: list[int], d: dict[str, float], t: tuple[int, int]) -> list[int]:
    out = [t[0], t[1]]
    for x in xs:
        out.append(x)
    return out


@torch.jit.script
def type_comment(x, n):
    # type: (Tensor, int) -> Tensor
    return x.repeat(n)


@torch.jit.script
def returns_tuple(x: Tensor) -> Tuple[Tensor, int]:
    return x.relu(), x.dim()


@torch.jit.script
def returns_none(xs: List[int]) -> None:
    xs.append(1)


@torch.jit.script
def inferred_return(a: int, b: int):
    return a // b, a % b


@torch.jit.script
def optional_return(x: Tensor, k: int) -> Optional[Tensor]:
    if k > 0:
        return x
    return None


@torch.jit.script
def pep604_optional(x: Tensor, scale: float | None = None) -> Tensor:
    if scale is None:
        return x
    return x * scale


@torch.jit.script
def device_and_dtype(x: Tensor, device: torch.device, dtype: torch.dtype) -> Tensor:
    return x.to(device=device, dtype=dtype)


def _plain(x):
    return x * 2


scripted_plain = torch.jit.script(_plain)


# error: Unknown type name 'Shape'
@torch.jit.script
def unknown_annotation(x: Tensor, shape: "Shape") -> Tensor:
    return x


# error: Compiled functions can't take variable number of arguments or use keyword-only arguments with defaults
@torch.jit.script
def star_args(x: Tensor, *rest: Tensor) -> Tensor:
    return x


# error: Compiled functions can't take variable number of arguments or use keyword-only arguments with defaults
@torch.jit.script
def star_kwargs(x: Tensor, **options: int) -> Tensor:
    return x


# error: Compiled functions can't take variable number of arguments or use keyword-only arguments with defaults
@torch.jit.script
def keyword_only_default(x: Tensor, *, scale: float = 1.0) -> Tensor:
    return x * scale


# error: Return value was annotated as having type str but is actually of type Tensor
@torch.jit.script
def wrong_return_annotation(x: Tensor) -> str:
    return x + 1


# error: Expected a default value of type Tensor (inferred) on parameter "bias"
@torch.jit.script
def default_wrong_type(x, bias=0):
    return x + bias


# error: Unknown type constructor
@torch.jit.script
def unknown_generic(x: Tensor, seen: set[int]) -> Tensor:
    return x


# error: Number of type annotations (1) did not match the number of function parameters (2)
@torch.jit.script
def type_comment_count(x, n):
    # type: (Tensor) -> Tensor
    return x


# error: Return value was annotated as having type Optional[Tensor] but is actually of type int
@torch.jit.script
def optional_return_wrong(x: Tensor) -> Optional[Tensor]:
    return 0


@torch.jit.script
def tensor_returned_as_int(x: Tensor) -> int:
    return x.sum()


# error: Unknown type name 'Sequence[int]'
@torch.jit.script
def unsupported_typing_name(xs: "Sequence[int]") -> int:
    return len(xs)
