# pyjit's summary of torch.nn's common layers, for when torch's own sources cannot be found.
#
# Read by pyjit_core.frontend.modules (never imported or run). Each class stands in for the
# torch class of the same name: `__module__` names where torch defines it (so types come out as
# `__torch__.torch.nn.modules.linear.Linear`), `__init__` sets the same parameters, buffers,
# constants and attributes in the same order as torch 2.x does (the interpreter runs it), and the
# class annotations give the same attribute types. Method bodies written as `...` are signatures
# only: pyjit type-checks calls against them but does not pretend to know their graphs. Written for
# pyjit from torch's documented behaviour; keep it small and regenerate nothing from it.

import math
from typing import Dict, List, Optional, Tuple

import torch
from torch import Tensor
from torch.nn import Module, Parameter


def _tuple(x, n):
    if isinstance(x, (tuple, list)):
        return tuple(x)
    return (x,) * n


# --- torch.nn.modules.linear -------------------------------------------------------------


class Identity(Module):
    __module__ = "torch.nn.modules.linear"

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    __module__ = "torch.nn.modules.linear"
    __constants__ = ["in_features", "out_features"]
    in_features: int
    out_features: int
    weight: Tensor

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(torch.empty((out_features, in_features)))
        if bias:
            self.bias = Parameter(torch.empty(out_features))
        else:
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor: ...


class Bilinear(Module):
    __module__ = "torch.nn.modules.linear"
    __constants__ = ["in1_features", "in2_features", "out_features"]
    in1_features: int
    in2_features: int
    out_features: int
    weight: Tensor

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = Parameter(torch.empty((out_features, in1_features, in2_features)))
        if bias:
            self.bias = Parameter(torch.empty(out_features))
        else:
            self.register_parameter("bias", None)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor: ...


# --- torch.nn.modules.conv -----------------------------------------------------------------


class _ConvNd(Module):
    __module__ = "torch.nn.modules.conv"
    __constants__ = ["stride", "padding", "dilation", "groups", "padding_mode", "output_padding", "in_channels",
                     "out_channels", "kernel_size"]
    __annotations__ = {"bias": Optional[Tensor]}
    in_channels: int
    _reversed_padding_repeated_twice: List[int]
    out_channels: int
    transposed: bool
    groups: int
    padding_mode: str
    weight: Tensor

    def __init__(self, n, in_channels, out_channels, kernel_size, stride, padding, dilation, transposed,
                 output_padding, groups, bias, padding_mode):
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _tuple(kernel_size, n)
        self.stride = _tuple(stride, n)
        self.padding = padding if isinstance(padding, str) else _tuple(padding, n)
        self.dilation = _tuple(dilation, n)
        self.transposed = transposed
        self.output_padding = _tuple(output_padding, n)
        self.groups = groups
        self.padding_mode = padding_mode
        if isinstance(self.padding, str):
            self._reversed_padding_repeated_twice = [0, 0] * n
        else:
            self._reversed_padding_repeated_twice = [p for p in reversed(self.padding) for _ in range(2)]
        if transposed:
            self.weight = Parameter(torch.empty((in_channels, out_channels // groups) + self.kernel_size))
        else:
            self.weight = Parameter(torch.empty((out_channels, in_channels // groups) + self.kernel_size))
        if bias:
            self.bias = Parameter(torch.empty(out_channels))
        else:
            self.register_parameter("bias", None)


class Conv1d(_ConvNd):
    __module__ = "torch.nn.modules.conv"

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None):
        super().__init__(1, in_channels, out_channels, kernel_size, stride, padding, dilation, False, 0, groups,
                         bias, padding_mode)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Optional[Tensor]) -> Tensor: ...

    def forward(self, input: Tensor) -> Tensor: ...


class Conv2d(_ConvNd):
    __module__ = "torch.nn.modules.conv"

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None):
        super().__init__(2, in_channels, out_channels, kernel_size, stride, padding, dilation, False, 0, groups,
                         bias, padding_mode)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Optional[Tensor]) -> Tensor: ...

    def forward(self, input: Tensor) -> Tensor: ...


class Conv3d(_ConvNd):
    __module__ = "torch.nn.modules.conv"

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None):
        super().__init__(3, in_channels, out_channels, kernel_size, stride, padding, dilation, False, 0, groups,
                         bias, padding_mode)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Optional[Tensor]) -> Tensor: ...

    def forward(self, input: Tensor) -> Tensor: ...


class ConvTranspose2d(_ConvNd):
    __module__ = "torch.nn.modules.conv"

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, output_padding=0,
                 groups: int = 1, bias: bool = True, dilation=1, padding_mode: str = "zeros", device=None,
                 dtype=None):
        super().__init__(2, in_channels, out_channels, kernel_size, stride, padding, dilation, True, output_padding,
                         groups, bias, padding_mode)

    def forward(self, input: Tensor, output_size: Optional[List[int]] = None) -> Tensor: ...


# --- torch.nn.modules.batchnorm / normalization -----------------------------------------------


class _NormBase(Module):
    __module__ = "torch.nn.modules.batchnorm"
    __constants__ = ["track_running_stats", "momentum", "eps", "num_features", "affine"]
    num_features: int
    eps: float
    momentum: Optional[float]
    affine: bool
    track_running_stats: bool

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: Optional[float] = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = Parameter(torch.empty(num_features))
            self.bias = Parameter(torch.empty(num_features))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", torch.zeros(num_features))
            self.register_buffer("running_var", torch.ones(num_features))
            self.register_buffer("num_batches_tracked", torch.tensor(0))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def _check_input_dim(self, input: Tensor) -> None: ...

    def forward(self, input: Tensor) -> Tensor: ...


class BatchNorm1d(_NormBase):
    __module__ = "torch.nn.modules.batchnorm"


class BatchNorm2d(_NormBase):
    __module__ = "torch.nn.modules.batchnorm"


class BatchNorm3d(_NormBase):
    __module__ = "torch.nn.modules.batchnorm"


class LayerNorm(Module):
    __module__ = "torch.nn.modules.normalization"
    __constants__ = ["normalized_shape", "eps", "elementwise_affine"]
    normalized_shape: Tuple[int, ...]
    eps: float
    elementwise_affine: bool

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True, bias: bool = True,
                 device=None, dtype=None):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(torch.empty(self.normalized_shape))
            if bias:
                self.bias = Parameter(torch.empty(self.normalized_shape))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor: ...


class GroupNorm(Module):
    __module__ = "torch.nn.modules.normalization"
    __constants__ = ["num_groups", "num_channels", "eps", "affine"]
    num_groups: int
    num_channels: int
    eps: float
    affine: bool

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True, device=None,
                 dtype=None):
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError("num_channels must be divisible by num_groups")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        if affine:
            self.weight = Parameter(torch.empty(num_channels))
            self.bias = Parameter(torch.empty(num_channels))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor: ...


# --- torch.nn.modules.dropout ----------------------------------------------------------------


class _DropoutNd(Module):
    __module__ = "torch.nn.modules.dropout"
    __constants__ = ["p", "inplace"]
    p: float
    inplace: bool

    def __init__(self, p: float = 0.5, inplace: bool = False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor: ...


class Dropout(_DropoutNd):
    __module__ = "torch.nn.modules.dropout"


class Dropout1d(_DropoutNd):
    __module__ = "torch.nn.modules.dropout"


class Dropout2d(_DropoutNd):
    __module__ = "torch.nn.modules.dropout"


# --- torch.nn.modules.activation -------------------------------------------------------------


class _Inplace(Module):
    __module__ = "torch.nn.modules.activation"
    __constants__ = ["inplace"]
    inplace: bool

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor: ...


class ReLU(_Inplace):
    __module__ = "torch.nn.modules.activation"


class SiLU(_Inplace):
    __module__ = "torch.nn.modules.activation"


class Hardswish(_Inplace):
    __module__ = "torch.nn.modules.activation"


class Hardsigmoid(_Inplace):
    __module__ = "torch.nn.modules.activation"


class Mish(_Inplace):
    __module__ = "torch.nn.modules.activation"


class _Plain(Module):
    __module__ = "torch.nn.modules.activation"

    def forward(self, input: Tensor) -> Tensor: ...


class Sigmoid(_Plain):
    __module__ = "torch.nn.modules.activation"


class Tanh(_Plain):
    __module__ = "torch.nn.modules.activation"


class LeakyReLU(Module):
    __module__ = "torch.nn.modules.activation"
    __constants__ = ["inplace", "negative_slope"]
    inplace: bool
    negative_slope: float

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor: ...


class GELU(Module):
    __module__ = "torch.nn.modules.activation"
    __constants__ = ["approximate"]
    approximate: str

    def __init__(self, approximate: str = "none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor: ...


class ELU(Module):
    __module__ = "torch.nn.modules.activation"
    __constants__ = ["alpha", "inplace"]
    alpha: float
    inplace: bool

    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor: ...


class Softmax(Module):
    __module__ = "torch.nn.modules.activation"
    __constants__ = ["dim"]
    dim: Optional[int]

    def __init__(self, dim: Optional[int] = None):
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor: ...


class LogSoftmax(Softmax):
    __module__ = "torch.nn.modules.activation"


class MultiheadAttention(Module):
    __module__ = "torch.nn.modules.activation"
    __constants__ = ["batch_first"]
    bias_k: Optional[Tensor]
    bias_v: Optional[Tensor]

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if not self._qkv_same_embed_dim:
            self.q_proj_weight = Parameter(torch.empty((embed_dim, embed_dim)))
            self.k_proj_weight = Parameter(torch.empty((embed_dim, self.kdim)))
            self.v_proj_weight = Parameter(torch.empty((embed_dim, self.vdim)))
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = Parameter(torch.empty((3 * embed_dim, embed_dim)))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(torch.empty(3 * embed_dim))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias)
        if add_bias_kv:
            self.bias_k = Parameter(torch.empty((1, 1, embed_dim)))
            self.bias_v = Parameter(torch.empty((1, 1, embed_dim)))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Optional[Tensor] = None,
                need_weights: bool = True, attn_mask: Optional[Tensor] = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> Tuple[Tensor, Optional[Tensor]]: ...


# --- torch.nn.modules.sparse / pooling / flatten ---------------------------------------------------


class Embedding(Module):
    __module__ = "torch.nn.modules.sparse"
    __constants__ = ["num_embeddings", "embedding_dim", "padding_idx", "max_norm", "norm_type",
                     "scale_grad_by_freq", "sparse"]
    num_embeddings: int
    embedding_dim: int
    padding_idx: Optional[int]
    max_norm: Optional[float]
    norm_type: float
    scale_grad_by_freq: bool
    weight: Tensor
    freeze: bool
    sparse: bool

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: Optional[int] = None,
                 max_norm: Optional[float] = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight=None, _freeze: bool = False, device=None, dtype=None):
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        if padding_idx is not None and padding_idx < 0:
            padding_idx = num_embeddings + padding_idx
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.weight = Parameter(torch.empty((num_embeddings, embedding_dim)))
        self.sparse = sparse

    def forward(self, input: Tensor) -> Tensor: ...


class _MaxPoolNd(Module):
    __module__ = "torch.nn.modules.pooling"
    __constants__ = ["kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"]
    return_indices: bool
    ceil_mode: bool

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices: bool = False,
                 ceil_mode: bool = False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input: Tensor) -> Tensor: ...


class MaxPool1d(_MaxPoolNd):
    __module__ = "torch.nn.modules.pooling"


class MaxPool2d(_MaxPoolNd):
    __module__ = "torch.nn.modules.pooling"


class AvgPool2d(Module):
    __module__ = "torch.nn.modules.pooling"
    __constants__ = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"]
    ceil_mode: bool
    count_include_pad: bool

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override: Optional[int] = None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor: ...


class _AdaptivePool(Module):
    __module__ = "torch.nn.modules.pooling"
    __constants__ = ["output_size"]
    output_size: object

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor: ...


class AdaptiveAvgPool1d(_AdaptivePool):
    __module__ = "torch.nn.modules.pooling"


class AdaptiveAvgPool2d(_AdaptivePool):
    __module__ = "torch.nn.modules.pooling"


class Flatten(Module):
    __module__ = "torch.nn.modules.flatten"
    __constants__ = ["start_dim", "end_dim"]
    start_dim: int
    end_dim: int

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor: ...


# --- torch.nn.modules.rnn (the Tensor overloads only) --------------------------------------------


class RNNBase(Module):
    __module__ = "torch.nn.modules.rnn"
    __constants__ = ["mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
                     "bidirectional", "proj_size"]
    __jit_unused_properties__ = ["all_weights"]
    mode: str
    input_size: int
    hidden_size: int
    num_layers: int
    bias: bool
    batch_first: bool
    dropout: float
    bidirectional: bool
    proj_size: int

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None):
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        gates = {"LSTM": 4, "GRU": 3}.get(mode, 1)
        directions = 2 if bidirectional else 1
        names = []
        for layer in range(num_layers):
            for direction in range(directions):
                suffix = "_reverse" if direction == 1 else ""
                size_in = input_size if layer == 0 else hidden_size * directions
                layer_names = [f"weight_ih_l{layer}{suffix}", f"weight_hh_l{layer}{suffix}"]
                setattr(self, layer_names[0], Parameter(torch.empty((gates * hidden_size, size_in))))
                setattr(self, layer_names[1], Parameter(torch.empty((gates * hidden_size, hidden_size))))
                if bias:
                    layer_names += [f"bias_ih_l{layer}{suffix}", f"bias_hh_l{layer}{suffix}"]
                    setattr(self, layer_names[2], Parameter(torch.empty(gates * hidden_size)))
                    setattr(self, layer_names[3], Parameter(torch.empty(gates * hidden_size)))
                names.extend(layer_names)
        self._flat_weights_names = names
        self._all_weights = [names]
        self._flat_weights = [getattr(self, n) for n in names]


class RNN(RNNBase):
    __module__ = "torch.nn.modules.rnn"

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None):
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional)
        self.nonlinearity = nonlinearity

    @torch.jit._overload_method
    def forward(self, input: Tensor, hx: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]: ...

    def forward(self, input, hx=None): ...


class GRU(RNNBase):
    __module__ = "torch.nn.modules.rnn"

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, device=None,
                 dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)

    @torch.jit._overload_method
    def forward(self, input: Tensor, hx: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]: ...

    def forward(self, input, hx=None): ...


class LSTM(RNNBase):
    __module__ = "torch.nn.modules.rnn"

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size)

    @torch.jit._overload_method
    def forward(self, input: Tensor, hx: Optional[Tuple[Tensor, Tensor]] = None
                ) -> Tuple[Tensor, Tuple[Tensor, Tensor]]: ...

    def forward(self, input, hx=None): ...


# --- torch.nn.modules.container ---------------------------------------------------------------
# The containers' construction and mutation are modelled by pyjit itself; only forward is here.


class Sequential(Module):
    __module__ = "torch.nn.modules.container"

    def forward(self, input):
        for module in self:
            input = module(input)
        return input


class ModuleList(Module):
    __module__ = "torch.nn.modules.container"


class ModuleDict(Module):
    __module__ = "torch.nn.modules.container"


class ParameterList(Module):
    __module__ = "torch.nn.modules.container"


class ParameterDict(Module):
    __module__ = "torch.nn.modules.container"
