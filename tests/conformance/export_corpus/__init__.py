"""Export-readiness corpus: one file per case, each a ``Model`` with ``example_inputs()``.

A case may define ``build()`` to make the model exported (default: ``Model()``),
and ``dynamic_shapes()`` to export it with those dynamic shapes.
``tests/conformance/export_side.py`` records what ``torch.export.export`` does with
each, in both modes; the file name's prefix names the reason the case exercises.
"""
