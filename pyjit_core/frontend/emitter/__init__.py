"""Statements and expressions -> IR, as torch's ``to_ir`` (ir_emitter.cpp) emits them.

One :class:`FunctionEmitter` lowers one function definition into its
``GraphFunction``'s graph: formal arguments, the body, an implicit ``None``
return, then the passes (:func:`pyjit_core.passes.pipeline.run_frontend_passes`).
The structure follows the C++ closely -- method for method -- because node
order, value names and error wording all fall out of it. ``to_ir`` is one
struct in torch; here it is one class composed of a part per job, each part a
mixin over the shared state, so sugared values still call any ``emit_*``
method on the emitter they are given:

``base``          :class:`EmitterBase`: the shared state (environment and def stacks, loop
                  status, pooled constants), the ``globals`` table, helpers sugared values call
``expressions``   names, operators, constants, displays, comprehensions
``calls``         calls, the special forms (``annotate``, ``getattr``, ``range``, ``zip``,
                  ``list()``, ``dict()``...), closures, ``fork``
``indexing``      tensor and tuple indexing and slicing
``refinement``    conditions and what they prove: ``is None``, ``isinstance``, ``hasattr``,
                  ``and``/``or``, if-expressions, branches decided statically
``assignments``   ``=`` and ``op=`` to variables, tuples, attributes, subscripts
``statements``    blocks with error recovery, ``if``, loops, ``with``, ``return``, ``raise``,
                  ``assert``, ``del``
``function``      :class:`FunctionEmitter`: the parts composed; a definition from its formal
                  arguments to its return

Each part imports only parts listed above it; they call one another through
``self``.
"""

from .function import FunctionEmitter

__all__ = ["FunctionEmitter"]
