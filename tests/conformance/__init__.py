"""Conformance against real torch 2.13.0 (tests skip when torch is missing)."""
