"""Diagnostics: one type, one catalog of codes."""

from .catalog import CATALOG, Rule, rule
from .model import Applicability, Diagnostic, Edit, Fix, RelatedLocation, Severity, TextRange

__all__ = ["CATALOG", "Applicability", "Diagnostic", "Edit", "Fix", "RelatedLocation", "Rule", "Severity", "TextRange",
           "rule"]
