"""Subscripts to IR: tensor indexing and slicing, tuple indexing and slicing.

torch: to_ir::emitSubscript, emitSliceOp, emitIntAndSliceIndexing,
emitMultidimSlicing, emitBasicSlice, emitTupleIndex, emitTupleSlice
(ir_emitter.cpp). Subscripted assignment is in :mod:`.assignments`.
"""

from __future__ import annotations

from ...ir import types as T
from ...ir.constants import constant_value, insert_constant
from ...ir.graph import Value
from ...ir.symbols import aten, kinds
from .. import tree as t
from ..errors import CompileError
from ..matching import convertible_to_list
from ..named_value import NamedValue
from ..sugared import SimpleValue, SliceValue, SugaredValue, create_list, emit_builtin_call, insert_op
from .base import INT64_MAX, EmitterBase


class IndexingEmitter(EmitterBase):
    """Subscripts: tensor indexing and slicing, tuple indexing and slicing."""

    def emit_slice_op(self, loc, sliceable: Value, dim: Value | None, start, end, step) -> Value:
        g = self.graph
        args = [NamedValue.of(sliceable, "self", loc)]
        if dim is not None:
            args.append(NamedValue.of(dim))
        if isinstance(sliceable.type, T.TupleType):
            return self.emit_tuple_slice(loc, args[0], [start, end, step])
        # torch 2.x: a missing bound is None (the schemas take int?), a missing step is 1.
        if step is None:
            step = insert_constant(g, 1, loc)
        if start is None:
            start = insert_constant(g, None)
        if end is None:
            end = insert_constant(g, None)
        args += [NamedValue.of(start, "start", loc), NamedValue.of(end, "end", loc), NamedValue.of(step, "step", loc)]
        return emit_builtin_call(loc, g, aten("slice"), args, [])

    def emit_slice(self, loc, input: Value, dim: Value | None, s: t.SliceExpr) -> Value:
        start = self.emit_expr(s.start) if s.start is not None else None
        end = self.emit_expr(s.end) if s.end is not None else None
        step = self.emit_expr(s.step) if s.step is not None else None
        return self.emit_slice_op(loc, input, dim, start, end, step)

    def emit_int_and_slice_indexing(self, loc, sliceable: Value, subscript_exprs: list[t.Expr]):
        g = self.graph
        tensor_indices: list[Value | None] = []
        dims = [0] * len(subscript_exprs)
        exprs: list[Value | None] = [None] * len(subscript_exprs)

        def handle(expr: t.Expr, idx: int, dim: int, reverse: bool = False) -> int:
            dims[idx] = dim
            if isinstance(expr, t.SliceExpr):
                return dim - 1 if reverse else dim + 1
            sv = self.emit_sugared_expr(expr, 1)
            if isinstance(sv, SliceValue):
                return dim - 1 if reverse else dim + 1
            hint = T.NoneT if isinstance(expr, t.NoneLiteral) else None
            index = sv.as_value(expr.range, self) if hint is None else self.emit_expr(expr, hint)
            if isinstance(index.type, T.ListType):
                index = insert_op(g, aten("tensor"), [NamedValue.of(index)], [NamedValue.of_constant(4, "dtype")])
            exprs[idx] = index
            if T.is_subtype(index.type, T.NoneT):
                return dim if reverse else dim + 1
            if isinstance(index.type, T.IntType):
                return dim - 1 if reverse else dim
            if T.is_subtype(index.type, T.OptionalType(T.Tensor)):
                if reverse:
                    raise CompileError("Ellipses followed by tensor indexing is currently not supported", loc)
                return dim + 1
            raise CompileError(f"Unsupported operation: indexing tensor with unsupported index type "
                               f"'{index.type.annotation_str()}'. Only ints, slices, lists and tensors are supported",
                               loc, code="PJ223")

        idx = 0
        dim = 0
        while idx < len(subscript_exprs):
            if isinstance(subscript_exprs[idx], t.Dots):
                break
            dim = handle(subscript_exprs[idx], idx, dim)
            idx += 1
        rdim = -1
        rev = len(subscript_exprs) - 1
        while rev > idx:
            if isinstance(subscript_exprs[rev], t.Dots):
                raise CompileError("An index can only have a single ellipsis ('...')", loc)
            rdim = handle(subscript_exprs[rev], rev, rdim, True)
            rev -= 1
        for i, e in enumerate(exprs):
            if e is None:
                sub = subscript_exprs[i]
                if isinstance(sub, t.SliceExpr):
                    sliceable = self.emit_slice(loc, sliceable, insert_constant(g, dims[i], loc), sub)
                    continue
                if isinstance(sub, t.Dots):
                    continue
                sv = self.emit_sugared_expr(sub, 1)
                if isinstance(sv, SliceValue):
                    sliceable = self.emit_slice_op(loc, sliceable, insert_constant(g, dims[i], loc),
                                                   sv.start, sv.stop, sv.step)
                continue
            if T.is_subtype(e.type, T.NoneT):
                dim = NamedValue.of(insert_constant(g, dims[i], loc))
                sliceable = emit_builtin_call(loc, g, aten("unsqueeze"), [NamedValue.of(sliceable), dim])
            elif isinstance(e.type, T.IntType):
                dim = NamedValue.of(insert_constant(g, dims[i], loc))
                sliceable = emit_builtin_call(loc, g, aten("select"), [NamedValue.of(sliceable), dim, NamedValue.of(e)])
            elif T.is_subtype(e.type, T.OptionalType(T.Tensor)):
                if len(tensor_indices) < dims[i] + 1:
                    tensor_indices.extend([None] * (dims[i] + 1 - len(tensor_indices)))
                tensor_indices[dims[i]] = e
        for k, index in enumerate(tensor_indices):
            if index is None:
                none = g.insert_node(g.create(kinds.Constant))
                none.output().set_type(T.NoneT)
                tensor_indices[k] = none.output()
        return sliceable, tensor_indices

    def emit_multidim_slicing(self, loc, sliceable: Value, subscript_exprs) -> Value:
        if not T.is_subtype(sliceable.type, T.Tensor):
            raise CompileError("Unsupported operation: attempted to use multidimensional indexing on a non-tensor type",
                               loc, code="PJ223")
        sliceable, tensor_indices = self.emit_int_and_slice_indexing(loc, sliceable, subscript_exprs)
        if not tensor_indices:
            return sliceable
        g = self.graph
        index = g.insert_node(create_list(g, T.OptionalType(T.Tensor), tensor_indices)).output()
        return emit_builtin_call(loc, g, aten("index"), [NamedValue.of(sliceable), NamedValue.of(index)])

    def emit_basic_slice(self, loc, sliceable: Value, subscript_exprs) -> Value:
        s = subscript_exprs[0]
        dim = insert_constant(self.graph, 0, loc) if T.is_subtype(sliceable.type, T.Tensor) else None
        return self.emit_slice(loc, sliceable, dim, s)

    @staticmethod
    def get_adj_tuple_index(loc, tuple_type: T.TupleType, index: int, allow_out_of_bounds: bool) -> int:
        n = len(tuple_type.elements)
        adj = n + index if index < 0 else index
        if not allow_out_of_bounds and not 0 <= adj < n:
            raise CompileError(f"Tuple index out of range. Tuple is length {n} and index is {index}", loc, code="PJ223")
        return adj

    def emit_tuple_index(self, loc, tuple_val: Value, idx_val: Value) -> Value:
        g = self.graph
        tt = tuple_val.type
        if not isinstance(idx_val.type, T.IntType):
            raise CompileError("tuple index must be an integer", loc, code="PJ223")
        idx = constant_value(idx_val, None) if idx_val.node.kind is kinds.Constant else None
        if idx is None:
            if not tt.elements or not convertible_to_list(tt, T.ListType(tt.elements[0])):
                raise CompileError(f"Cannot index into a {tt.annotation_str()} with a non-integer literal because we "
                                   "cannot resolve the output type", loc, code="PJ223")
            out_type = tt.elements[0]
        else:
            out_type = tt.elements[self.get_adj_tuple_index(loc, tt, idx, False)]
        n = g.insert_node(g.create(kinds.TupleIndex, [tuple_val, idx_val]))
        n.output().set_type(out_type)
        return n.output()

    def emit_tuple_slice(self, loc, tuple_val: NamedValue, args: list) -> Value:
        g = self.graph
        tv = tuple_val.value(g)
        tt = tv.type
        n = len(tt.elements)
        beg_v, end_v, step_v = args
        step = 1
        if step_v is not None:
            step = constant_value(step_v, None)
            if not isinstance(step, int):
                raise CompileError("Step size should always be an integer", loc)
        beg = end = INT64_MAX
        if beg_v is not None:
            beg = self.get_adj_tuple_index(loc, tt, self._slice_ind(beg_v, loc), True)
        if end_v is not None:
            end = self.get_adj_tuple_index(loc, tt, self._slice_ind(end_v, loc), True)
        start, _stop, num = _slice_indices_adjust(n, beg, end, step)
        # torch 2.x emits the slice as one TupleIndex per element, then a tuple.
        values = []
        for i in range(num):
            index = start + i * step
            idx = insert_constant(g, index)
            node = g.insert_node(g.create(kinds.TupleIndex, [tv, idx]))
            node.output().set_type(tt.elements[index])
            values.append(node.output())
        return g.insert_node(g.create_tuple(values)).output()

    @staticmethod
    def _slice_ind(v: Value, loc) -> int:
        value = constant_value(v, None) if v.node.kind is kinds.Constant else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise CompileError("tuple slice indices must be integer constants", loc)

    def emit_subscript(self, subscript: t.Subscript, type_hint=None) -> SugaredValue:
        sv = self.emit_sugared_expr(subscript.value, 1)
        exprs = subscript.subscript_exprs
        range = subscript.range
        val_range = subscript.value.range
        if len(exprs) != 1:
            return SimpleValue(self.emit_multidim_slicing(range, sv.as_value(val_range, self), exprs))
        if isinstance(exprs[0], t.SliceExpr):
            if sv.kind() == "module":
                tup = sv.as_tuple_value(val_range, self).as_value(val_range, self)
                s = exprs[0]
                begin = self.emit_expr(s.start) if s.start is not None else insert_constant(self.graph, 0, val_range)
                end = self.emit_expr(s.end) if s.end is not None else None
                return SimpleValue(self.emit_tuple_slice(val_range, NamedValue.of(tup), [begin, end, None]))
            return SimpleValue(self.emit_basic_slice(range, sv.as_value(val_range, self), exprs))
        sliceable = sv.as_value(val_range, self)
        subscript_sv = self.emit_sugared_expr(exprs[0], 1)
        if isinstance(subscript_sv, SliceValue):
            dim = insert_constant(self.graph, 0, val_range) if T.is_subtype(sliceable.type, T.Tensor) else None
            return SimpleValue(self.emit_slice_op(val_range, sliceable, dim, subscript_sv.start, subscript_sv.stop,
                                                  subscript_sv.step))
        idx = subscript_sv.as_value(val_range, self)
        if isinstance(sliceable.type, T.TupleType):
            return SimpleValue(self.emit_tuple_index(range, sv.as_value(val_range, self), idx))
        if T.is_subtype(sliceable.type, T.Tensor):
            return SimpleValue(self.emit_multidim_slicing(range, sliceable, exprs))
        return sv.getitem(range, self, idx, type_hint)


def _slice_indices_adjust(length: int, start: int, stop: int, step: int) -> tuple[int, int, int]:
    """torch: slice_indices_adjust (CPython's PySlice_AdjustIndices)."""
    if step == 0:
        raise ValueError("slice step cannot be zero")
    big = INT64_MAX
    if start == big:
        start = 0 if step > 0 else big
    if stop == big and step < 0:
        stop = -big - 1
    if start < 0:
        start += length
        if start < 0:
            start = -1 if step < 0 else 0
    elif start >= length:
        start = length - 1 if step < 0 else length
    if stop < 0:
        stop += length
        if stop < 0:
            stop = -1 if step < 0 else 0
    elif stop >= length:
        stop = length - 1 if step < 0 else length
    if step < 0:
        num = (start - stop - 1) // (-step) + 1 if stop < start else 0
    else:
        num = (stop - start - 1) // step + 1 if start < stop else 0
    return start, stop, num
