"""The function emitter: the parts composed, and a definition from its arguments to its return.

torch: to_ir's constructor, emitDef, emitFormalArguments, emitOutput,
handleMaybeNoReturn (ir_emitter.cpp).
"""

from __future__ import annotations

from ...ir import types as T
from ...ir.graph import Block
from ...ir.symbols import kinds
from ...passes.pipeline import run_frontend_passes
from ...schema.model import Argument, FunctionSchema
from .. import tree as t
from ..environment import meaningful_name
from ..errors import CompileError, Poisoned
from ..sugared import SimpleValue
from .assignments import AssignmentEmitter
from .calls import CallEmitter
from .expressions import ExpressionEmitter
from .indexing import IndexingEmitter
from .refinement import RefinementEmitter
from .statements import StatementEmitter


class FunctionEmitter(StatementEmitter, AssignmentEmitter, RefinementEmitter, ExpressionEmitter, CallEmitter,
                      IndexingEmitter):
    """torch: to_ir. Lowers one function definition into its ``GraphFunction``'s
    graph; the parts it is made of are listed in :mod:`pyjit_core.frontend.emitter`."""

    def run(self) -> None:
        """Emit the whole function and run torch's passes on its graph."""
        self.push_frame(self.graph.block, starts_def=True)
        d = self.definition
        self.recovered.extend(d.build_errors)
        if self.self_class is not None and not d.params:
            raise CompileError("methods must have a self argument", d.range)
        try:
            self.fn.schema = self.emit_def(d, self.graph.block)
        except CompileError as e:
            if self.recovered:
                self.recovered.append(e)
            else:
                raise
        except Poisoned:
            pass
        if self.recovered:
            first, *rest = self.recovered
            first.also.extend(rest)
            raise first

        run_frontend_passes(self.graph)
        # torch applies the Python defaults only once the body has compiled.
        self.fn.schema = self.type_parser.with_defaults(d, self.fn.schema, self.self_class is not None)

    # --- definitions ------------------------------------------------------------------

    def handle_maybe_no_return(self, d: t.Def, block: Block) -> None:
        decl_ret = self.def_stack[-1].declared_return_type
        if self.recovered:
            # Statements were skipped: whether all paths return is unknown.
            if self.def_stack[-1].merged_return_type is None:
                self.def_stack[-1].merged_return_type = decl_ret if decl_ret is not None else T.NoneT
            return
        if id(block) not in self.exit_blocks:
            if decl_ret is not None and decl_ret != T.NoneT:
                raise CompileError("Function was not annotated as having type None, but does not return along "
                                   "all paths", d.range, code="PJ221")
            with self.graph.inserting_before(block.return_node):
                self.emit_Return(t.Return(d.range, t.NoneLiteral(d.range)))
        elif self.def_stack[-1].merged_return_type is None:
            self.def_stack[-1].merged_return_type = decl_ret if decl_ret is not None else T.NoneT

    def emit_def(self, d: t.Def, block: Block):
        schema = self.type_parser.parse_schema_from_def(d, self.self_class is not None, self.fn)
        if len(schema.returns) == 1:
            self.def_stack[-1].declared_return_type = schema.returns[0].type
        arguments = self.emit_formal_arguments(d, schema, block)
        self.emit_statements(d.body)
        self.handle_maybe_no_return(d, block)
        returns = [self.emit_output(d.range, block)]

        return FunctionSchema(d.name, "", tuple(arguments), tuple(Argument("", r.type) for r in returns))

    def emit_formal_arguments(self, d: t.Def, schema, block: Block):
        params = list(d.params)
        arguments = []
        if self.self_class is not None:
            p = params.pop(0)
            v = block.add_input().set_debug_name(p.name)
            v.set_type(self.self_class.type)
            sugared = self.self_sugared(v) if self.self_sugared is not None else SimpleValue(v)
            self.env.set_sugared_var(p.range, p.name, sugared, None)
            arguments.append(Argument(p.name, v.type))
        for p, arg in zip(params, schema.arguments, strict=False):
            v = block.add_input()

            if meaningful_name(p.name):
                v.set_debug_name(p.name)
            arguments.append(arg)
            v.set_type(arg.type)
            self.env.set_var(p.range, p.name, v)
        return arguments

    def emit_output(self, range, block: Block):
        ret_type = self.def_stack[-1].merged_return_type
        assert ret_type is not None
        g = self.graph
        placeholder = g.insert_node(g.create(kinds.Uninitialized))
        placeholder.output().set_type(ret_type)
        block.register_output(placeholder.output())
        return placeholder.output()
