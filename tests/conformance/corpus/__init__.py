"""The conformance corpus: TorchScript as users write it, accepted and rejected.

Imported as the package ``corpus`` (see ``tests/conformance/corpus_roots.py``).
"""
