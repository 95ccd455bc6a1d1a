"""Operator schemas: the model, torch's schema language, and the bundled torch registry.

``parse_schema(text)`` reads torch's schema syntax; ``str(schema)`` prints it
back exactly as torch does; ``schemas_for("aten::add")`` returns the
overloads of the torch build the snapshot in ``data/`` was generated from
(see ``tools/gen_torch_data.py``).
"""

from pyjit_core.schema.lexer import SchemaParseError
from pyjit_core.schema.model import (
    NO_DEFAULT,
    WILDCARD_SET,
    AliasInfo,
    Argument,
    DeviceLiteral,
    FunctionSchema,
    fake_type,
)
from pyjit_core.schema.parser import parse_operator_name, parse_schema, parse_schema_or_name, parse_schema_type
from pyjit_core.schema.registry import (
    SchemaRegistry,
    builtin_op_for,
    default_registry,
    lookup,
    schemas_for,
    torch_version,
)

__all__ = [
    "NO_DEFAULT",
    "WILDCARD_SET",
    "AliasInfo",
    "Argument",
    "DeviceLiteral",
    "FunctionSchema",
    "SchemaParseError",
    "SchemaRegistry",
    "builtin_op_for",
    "default_registry",
    "fake_type",
    "lookup",
    "parse_operator_name",
    "parse_schema",
    "parse_schema_or_name",
    "parse_schema_type",
    "schemas_for",
    "torch_version",
]
