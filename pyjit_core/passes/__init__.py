"""The passes torch runs on a freshly emitted function, one module per pass.

:func:`pyjit_core.passes.pipeline.run_frontend_passes` runs them in torch's
order and turns the emitter's load/store IR into what
``torch.jit.script(...).graph`` prints:

``convert_to_ssa``               ConvertToSSA (+ ``inline_loop_condition``, ``exit_transforms``)
``canonicalize_modified_loops``  CanonicalizeModifiedLoops
``normalize_ops``                NormalizeOps
``lift_closures``                liftClosures
``inline_forked_closures``       inlineForkedClosures
``lower_tuples``                 LowerSimpleTuples
``constant_propagation``         ConstantPropagationImmutableTypes (kernels in ``scalar_kernels``)
``constant_pooling``             ConstantPooling (equality in ``node_hashing``)
``canonicalize_outputs``         CanonicalizeOutputs
``annotate_warns``               AnnotateWarns
``dead_code_elimination``        EliminateDeadCode (writes judged by ``alias_analysis``)

Operator schemas come from :mod:`pyjit_core.schema.registry`; which overload
a node calls is decided by :mod:`pyjit_core.passes.node_schema`.
"""
