"""dtype and device values: constants, attribute reads and comparisons."""
import torch


def convert(x: torch.Tensor) -> torch.Tensor:
    if x.dtype == torch.float32:
        x = x.to(torch.float16)
    dev = x.device
    if dev == torch.device("cpu"):
        x = x.to(dtype=torch.bfloat16, device=dev)
    y = x.to(memory_format=torch.contiguous_format)
    return y.to(torch.int8).to(torch.bool).to(torch.complex64)


SCRIPT = convert
