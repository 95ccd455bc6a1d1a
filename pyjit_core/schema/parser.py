"""Text → :class:`FunctionSchema`, following torch's schema language.

torch: torch/csrc/jit/frontend/function_schema_parser.cpp (declarations,
arguments, default values) and schema_type_parser.cpp (types and alias
annotations). Behaviour, including torch's quirks, follows torch 2.13:

* ``ScalarType``, ``Layout``, ``MemoryFormat`` and ``SymInt`` are checked as
  ``int`` but keep their spelling for printing;
  ``DeviceIndex`` and ``ConstQuantizerPtr`` simply are ``int``.
* Inside tuples, ``Dict``, ``Union``, ``Future``, ``Await`` and ``RRef`` the
  written spelling and any alias annotation are dropped, as torch drops them.
* A lower-case name that is no known type is a type variable (``t``, ``tVal``)
  unless ``allow_typevars`` is false.
* ``int[2] stride=1`` stores ``(1, 1)``; an optional list's default is a single
  constant (``int[2]? x=1`` stores ``1``), as in torch.
* Unions and optionals come out as torch's UnionType/OptionalType build them
  (``Union(int, None)`` is ``int?``, ``Scalar??`` is ``Union(Scalar)?``).
* Any ``__torch__.torch.classes.<ns>.<Name>`` is accepted as a class type;
  torch additionally requires the class to be registered.
* ``PyObject`` is read as the PyObject type. torch prints it for types
  registered at run time with ``torch._C._register_opaque_type`` but does
  not parse it; such dotted opaque names are unknown here and read as type
  variables, as torch reads them when they are not registered.
* Alias sets keep their written order. torch keeps them in a hash set and, in
  practice, prints them reversed, so ``torch._C.parse_schema("...Tensor(a|b)")``
  prints ``Tensor(b|a)``; keeping the written order is what lets the schemas
  torch prints re-print identically.

Every error is a :class:`SchemaParseError` carrying the column.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from typing import Final

from pyjit_core.ir import types as T
from pyjit_core.schema.lexer import (
    ARROW,
    DOTS,
    EOF,
    FALSE,
    IDENT,
    NEWLINE,
    NONE,
    NONE_TYPE,
    NUMBER,
    STRING,
    TRUE,
    SchemaParseError,
    Token,
    tokenize,
)
from pyjit_core.schema.model import (
    NO_DEFAULT,
    WILDCARD_SET,
    AliasInfo,
    Argument,
    DeviceLiteral,
    FunctionSchema,
    fake_type,
)

#: Base type names and the type each denotes (torch: SchemaTypeParser::parseBaseType).
BASE_TYPES: Final[dict[str, T.JitType]] = {
    "Generator": T.GeneratorType(),
    "ScalarType": T.ScalarTypeType(),
    "Layout": T.LayoutType(),
    "MemoryFormat": T.MemoryFormatType(),
    "Storage": T.StorageType(),
    "QScheme": T.QSchemeType(),
    "Quantizer": T.QuantizerType(),
    "ConstQuantizerPtr": T.IntType(),
    "Device": T.DeviceObjType(),
    "DeviceIndex": T.IntType(),
    "Stream": T.StreamObjType(),
    "Scalar": T.NumberType(),
    "str": T.StringType(),
    "float": T.FloatType(),
    "complex": T.ComplexType(),
    "int": T.IntType(),
    "SymInt": T.SymIntType(),
    "bool": T.BoolType(),
    "SymBool": T.SymBoolType(),
    "None": T.NoneType(),
    "NoneType": T.NoneType(),
    "Capsule": T.CapsuleType(),
    "Any": T.AnyType(),
    "AnyClassType": T.AnyClassType(),
    "AnyEnumType": T.AnyEnumType(),
    # torch 2.13 prints this for operators whose types were registered as
    # opaque Python types, but cannot read it back; pyjit reads it.
    "PyObject": T.PyObjectType(),
}

#: Enum-like default spellings and the integer torch stores for each
#: (torch: SchemaParser::parseSingleConstant): ScalarType Float, ComplexFloat
#: and Long; Layout Strided; Reduction Mean; MemoryFormat Contiguous.
ENUM_DEFAULTS: Final[dict[str, int]] = {
    "float": 6,
    "complex": 9,
    "long": 4,
    "strided": 0,
    "Mean": 1,
    "contiguous_format": 0,
}

UNKNOWN_TYPE_MESSAGE: Final = (
    "unknown type specifier. Common valid schema types include Tensor, SymInt, int, float, "
    "bool, Scalar; for a full list, please see "
    "https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/README.md#func "
)

#: Device types c10::Device accepts at the start of a device string.
DEVICE_TYPES: Final = (
    "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga",
    "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone",
)
_DEVICE = re.compile(r"([A-Za-z_]+)(?::(?:0|[1-9][0-9]*))?")
_DECIMAL_PREFIX = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_HEX_PREFIX = re.compile(r"([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?)")
_INT_PREFIX = re.compile(r"[+-]?\d+")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


#: What the text from the ``(`` on parsed to, for the schemas that parsed: about half of torch's
#: overloads repeat another's arguments and returns exactly (``add.Tensor`` and ``sub.Tensor``),
#: and the parse of that part does not depend on the name before it.
_SIGNATURES: dict[tuple[str, bool], tuple[tuple[Argument, ...], tuple[Argument, ...], bool, bool]] = {}
_SIGNATURES_LIMIT = 16_384
#: A name part that tokenizes the same alone as before its ``(`` (no comment, string or newline).
_PLAIN_HEAD = re.compile(r"[A-Za-z0-9_:. \t]*")


def parse_schema(text: str, *, allow_typevars: bool = True) -> FunctionSchema:
    """Parse one schema. torch: torch::jit::parseSchema."""
    paren = text.find("(")
    key = (text[paren:], allow_typevars) if paren > 0 and _PLAIN_HEAD.fullmatch(text, 0, paren) else None
    known = _SIGNATURES.get(key) if key is not None else None
    if known is not None:
        name = _parsed_name(text[:paren])
        if name is not None:
            return FunctionSchema(name[0], name[1], *known)
    parser = SchemaParser(text, allow_typevars=allow_typevars)
    result = parser.parse_exactly_one_declaration()
    if not isinstance(result, FunctionSchema):
        raise parser.error_at(parser.cur, "Tried to parse a function schema but only the operator name was given")
    if key is not None:
        if len(_SIGNATURES) >= _SIGNATURES_LIMIT:
            _SIGNATURES.clear()
        _SIGNATURES[key] = (result.arguments, result.returns, result.is_vararg, result.is_varret)
    return result


def _parsed_name(head: str) -> tuple[str, str] | None:
    """The operator name ``head`` (the text before the ``(``) gives, as the whole schema's parse
    reads it; None when it is not a name alone (the whole parse then says what is wrong)."""
    try:
        parser = SchemaParser(head)
        name = parser.parse_name()
    except SchemaParseError:
        return None
    return name if parser.cur.kind == EOF else None


def parse_schema_or_name(text: str, *, allow_typevars: bool = True) -> FunctionSchema | tuple[str, str]:
    """A schema, or ``(name, overload_name)`` when the text has no argument list.

    torch: torch::jit::parseSchemaOrName.
    """
    return SchemaParser(text, allow_typevars=allow_typevars).parse_exactly_one_declaration()


def parse_operator_name(text: str) -> tuple[str, str]:
    """``aten::add.Tensor`` → ``("aten::add", "Tensor")``. torch: torch::jit::parseName."""
    parser = SchemaParser(text)
    result = parser.parse_exactly_one_declaration()
    if isinstance(result, FunctionSchema):
        raise parser.error_at(parser.tokens[0], "Tried to parse an operator name but function schema was given")
    return result


def parse_schema_type(text: str, *, allow_typevars: bool = True) -> T.JitType:
    """One schema type (``Tensor?[]``, ``Dict(str, t)``), as written (the real type)."""
    parser = SchemaParser(text, allow_typevars=allow_typevars)
    _, real, _ = parser.parse_fake_and_real_type()
    parser.expect(EOF)
    return real


class SchemaParser:
    """Recursive descent over one schema's tokens. Methods named ``parse_x``
    raise on a mismatch; ``parse_optional_x`` return ``None`` instead."""

    def __init__(self, text: str, *, allow_typevars: bool = True) -> None:
        self.source = text
        self.tokens = tokenize(text)
        self.index = 0
        #: The token at ``index`` (kept in step by :meth:`next`).
        self.cur: Token = self.tokens[0]
        self.allow_typevars = allow_typevars
        # Names for the anonymous sets of `Tensor!`: `$0`, `$1`, ... per schema.
        self.next_alias_id = 0

    # --- token plumbing -------------------------------------------------------

    def lookahead(self) -> Token:
        return self.tokens[min(self.index + 1, len(self.tokens) - 1)]

    def next(self) -> Token:
        token = self.cur
        if token.kind != EOF:
            self.index += 1
            self.cur = self.tokens[self.index]
        return token

    def next_if(self, kind: str) -> Token | None:
        token = self.cur
        if token.kind == kind:
            if kind != EOF:
                self.index += 1
                self.cur = self.tokens[self.index]
            return token
        return None

    def expect(self, kind: str) -> Token:
        """torch: Lexer::expect, with its message."""
        if self.cur.kind != kind:
            raise self.error_at(self.cur, f"expected {kind} but found '{self.cur.kind}' here")
        return self.next()

    def error_at(self, token: Token, message: str) -> SchemaParseError:
        return SchemaParseError(message, self.source, token.start, token.end)

    def parse_list(self, begin: str | None, separator: str, end: str | None, item: Callable[[], None]) -> None:
        """``begin item (separator item)* end``; an empty list is allowed. torch: parseList."""
        if begin is not None:
            self.expect(begin)
        if end is None or self.cur.kind != end:
            item()
            while self.next_if(separator):
                item()
        if end is not None:
            self.expect(end)

    # --- declarations -----------------------------------------------------------

    def parse_name(self) -> tuple[str, str]:
        """``ns::name.overload`` → ``("ns::name", "overload")``. torch: SchemaParser::parseName."""
        name = self.expect(IDENT).text
        if self.next_if(":"):
            self.expect(":")
            name = f"{name}::{self.expect(IDENT).text}"
        overload = ""
        if self.next_if("."):
            token = self.expect(IDENT)
            overload = token.text
            # `default` names the overload packet's default in torch.ops, and
            # dunder names are Python attributes, so neither may be an overload.
            if overload == "default" or overload.startswith("__"):
                raise self.error_at(token, f"{overload} is not a legal overload name for aten operators")
        return name, overload

    def parse_exactly_one_declaration(self) -> FunctionSchema | tuple[str, str]:
        """One declaration, then at most a newline. torch: SchemaParser::parseExactlyOneDeclaration."""
        result = self.parse_declaration()
        self.next_if(NEWLINE)
        self.expect(EOF)
        return result

    def parse_declaration(self) -> FunctionSchema | tuple[str, str]:
        """torch: SchemaParser::parseDeclaration."""
        name, overload = self.parse_name()
        if self.cur.kind != "(":
            return name, overload

        arguments: list[Argument] = []
        argument_starts: list[Token] = []
        state = {"kwarg_only": False, "is_vararg": False}

        def parse_one_argument() -> None:
            if state["is_vararg"]:
                raise self.error_at(self.cur, "... must be the last element of the argument list")
            if self.next_if("*"):
                state["kwarg_only"] = True
            elif self.next_if(DOTS):
                state["is_vararg"] = True
            else:
                argument_starts.append(self.cur)
                arguments.append(self.parse_argument(is_return=False, kwarg_only=state["kwarg_only"]))

        self.parse_list("(", ",", ")", parse_one_argument)
        is_vararg = state["is_vararg"]
        if is_vararg and any(a.has_default_value for a in arguments):
            raise self.error_at(self.cur, "schemas with vararg (...) can't have default value args")

        self.expect(ARROW)
        returns: list[Argument] = []
        is_varret = False
        if self.next_if(DOTS):
            is_varret = True
        elif self.cur.kind == "(":
            varret = {"seen": False}

            def parse_one_return() -> None:
                if varret["seen"]:
                    raise self.error_at(self.cur, "... must be the last element of the return list")
                if self.next_if(DOTS):
                    varret["seen"] = True
                else:
                    returns.append(self.parse_argument(is_return=True, kwarg_only=False))

            self.parse_list("(", ",", ")", parse_one_return)
            is_varret = varret["seen"]
        else:
            returns.append(self.parse_argument(is_return=True, kwarg_only=False))
        schema = FunctionSchema(name, overload, tuple(arguments), tuple(returns), is_vararg, is_varret)
        self.check_defaults_come_last(schema, argument_starts)
        return schema

    def check_defaults_come_last(self, schema: FunctionSchema, starts: list[Token]) -> None:
        """A positional argument without a default may not follow one with a
        default; lists are exempt, as torch serialized them that way.
        torch: FunctionSchema::checkSchema."""
        seen_default = False
        for argument, start in zip(schema.arguments, starts, strict=False):
            if argument.has_default_value:
                seen_default = True
            elif seen_default and not argument.kwarg_only and not isinstance(argument.type, T.ListType):
                raise self.error_at(start, "Non-default positional argument follows default argument. "
                                           f"Parameter {argument.name} in {schema}")

    def parse_argument(self, *, is_return: bool, kwarg_only: bool) -> Argument:
        """``Type(alias)[N](alias)? name=default``. torch: SchemaParser::parseArgument."""
        fake, real, alias = self.parse_fake_and_real_type()
        size: int | None = None
        if self.next_if("["):
            # A fixed size (`int[2]`) is only allowed here, at the argument level.
            fake, real = T.ListType(fake), T.ListType(real)
            size = self._to_int64(self.expect(NUMBER))
            self.expect("]")
            alias = self._wrap_container_alias(self.parse_optional_alias_annotation(), alias)
            if self.cur.kind == "?":
                fake, real = self._make_optional(fake, real)

        default: object = NO_DEFAULT
        if is_return:
            name = self.next().text if self.cur.kind == IDENT else ""
        else:
            name = self.expect(IDENT).text
            if self.next_if("="):
                default = self.parse_default_value(fake, size)
        return Argument(name, fake, real, size, default, (not is_return) and kwarg_only, alias)

    # --- types ------------------------------------------------------------------

    def parse_type(self) -> tuple[T.JitType, AliasInfo | None]:
        """The checked (fake) type and its alias annotation. torch: SchemaTypeParser::parseType."""
        fake, _, alias = self.parse_fake_and_real_type()
        return fake, alias

    def parse_fake_and_real_type(self) -> tuple[T.JitType, T.JitType, AliasInfo | None]:
        """torch: SchemaTypeParser::parseFakeAndRealType."""
        alias: AliasInfo | None = None
        fake: T.JitType
        real: T.JitType
        cur = self.cur
        if cur.kind == "(":
            elements: list[T.JitType] = []
            # torch never attaches the elements' alias annotations to a tuple.
            self.parse_list("(", ",", ")", lambda: elements.append(self.parse_type()[0]))
            fake = real = T.TupleType(tuple(elements))
        elif cur.kind == IDENT and cur.text in ("Future", "Await", "RRef"):
            self.next()
            self.expect("(")
            element = self.parse_type()[0]
            self.expect(")")
            wrapper = {"Future": T.FutureType, "Await": T.AwaitType, "RRef": T.RRefType}[cur.text]
            fake = real = wrapper(element)
        elif cur.kind == IDENT and cur.text == "Tensor":
            self.next()
            fake = real = T.TensorType.get()
            alias = self.parse_optional_alias_annotation()
        elif cur.kind == IDENT and cur.text == "Dict":
            self.next()
            self.expect("(")
            key = self.parse_type()[0]
            self.expect(",")
            value = self.parse_type()[0]
            self.expect(")")
            alias = self.parse_optional_alias_annotation()
            fake = real = T.DictType(key, value)
        elif cur.kind == IDENT and cur.text == "Union":
            self.next()
            fake = real = self.parse_union_members(cur)
            alias = self.parse_optional_alias_annotation()
        elif cur.kind == IDENT and cur.text == "__torch__":
            fake = real = self.parse_custom_class()
        else:
            real = self.parse_base_type()
            fake = fake_type(real)
            alias = self.parse_optional_alias_annotation()

        while True:
            if self.cur.kind == "[" and self.lookahead().kind == "]":
                self.next()
                self.next()
                fake, real = T.ListType(fake), T.ListType(real)
                alias = self._wrap_container_alias(self.parse_optional_alias_annotation(), alias)
            elif self.cur.kind == "?":
                fake, real = self._make_optional(fake, real)
            else:
                return fake, real, alias

    def parse_union_members(self, union_token: Token) -> T.JitType:
        """``Union(A, B, ...)`` after the ``Union`` keyword. torch: UnionType::create."""
        self.expect("(")
        members = [self.parse_type()[0]]
        while self.cur.kind != ")":
            self.expect(",")
            members.append(self.parse_type()[0])
        self.expect(")")
        union = make_torch_union(members)
        if union is None:
            # torch fails an internal assert here.
            raise self.error_at(union_token, f"Union of the single type {T.make_union(members).str()}: "
                                             "use the type itself")
        return union

    def parse_custom_class(self) -> T.JitType:
        """``__torch__.torch.classes.<ns>.<Name>``: a TorchBind class."""
        self.expect(IDENT)
        self.expect(".")
        for expected in ("torch", "classes"):
            token = self.expect(IDENT)
            if token.text != expected:
                raise self.error_at(token, f"Expected classes namespace but got {token.text}")
            self.expect(".")
        namespace = self.expect(IDENT).text
        self.expect(".")
        name = self.expect(IDENT).text
        return T.ClassType(f"__torch__.torch.classes.{namespace}.{name}")

    def parse_base_type(self) -> T.JitType:
        """A named type: ``int``, ``Scalar``, ``None``, or a type variable. torch: parseBaseType."""
        token = self.cur
        if not (self.next_if(NONE) or self.next_if(NONE_TYPE)):
            self.expect(IDENT)
        text = token.text
        # Dotted names are read whole, as torch reads opaque type names.
        end = token.end
        while self.cur.kind == "." and self.lookahead().kind == IDENT:
            self.next()
            part = self.next()
            text, end = f"{text}.{part.text}", part.end
        known = BASE_TYPES.get(text)
        if known is not None:
            return known
        if self.allow_typevars and text[:1].islower():
            return T.VarType(text)
        if text == "double":
            message = ("Use `float` instead of `double` in an operator's schema string. "
                       "`float` in schema corresponds to the double type in C++")
        elif text == "int64_t":
            message = ("Use `SymInt` or `int` instead of `int64_t` in an operator's schema string. "
                       "`SymInt` corresponds to c10::SymInt in C++ while `int` in schema corresponds "
                       "to the int64_t type in C++.")
        else:
            message = UNKNOWN_TYPE_MESSAGE
        raise SchemaParseError(message, self.source, token.start, end)

    def parse_optional_alias_annotation(self) -> AliasInfo | None:
        """``(a)``, ``(a!)``, ``(a -> b|*)``, or ``!`` for a fresh written set.

        torch: SchemaTypeParser::parseAliasAnnotation.
        """
        if self.next_if("("):
            before = self._parse_alias_sets()
            is_write = self.next_if("!") is not None
            after = self._parse_alias_sets() if self.next_if(ARROW) else before
            self.expect(")")
            return AliasInfo(before, after, is_write)
        if self.next_if("!"):
            name = f"${self.next_alias_id}"
            self.next_alias_id += 1
            # torch leaves the after-set empty here, so it prints `($0! -> )`.
            return AliasInfo((name,), (), True)
        return None

    def _parse_alias_sets(self) -> tuple[str, ...]:
        sets: list[str] = []

        def parse_one_set() -> None:
            if self.next_if("*"):
                sets.append(WILDCARD_SET)
            elif WILDCARD_SET not in sets:
                sets.append(self.expect(IDENT).text)
            # After a wildcard torch ignores further names without consuming them.

        self.parse_list(None, "|", None, parse_one_set)
        return tuple(dict.fromkeys(sets))

    def _make_optional(self, fake: T.JitType, real: T.JitType) -> tuple[T.JitType, T.JitType]:
        """Both types made optional by the ``?`` at the cursor, which this consumes."""
        question = self.expect("?")
        made = make_torch_optional(fake), make_torch_optional(real)
        if made[0] is None or made[1] is None:
            # torch builds Optional[T] as Union[T, None], which fails when T absorbs None.
            raise self.error_at(question, f"{fake.str()}? is not a type: {fake.str()} already holds None")
        return made

    @staticmethod
    def _wrap_container_alias(container: AliasInfo | None, element: AliasInfo | None) -> AliasInfo | None:
        """Attach an element's alias annotation to its list: ``Tensor(a!)[]``."""
        if element is None:
            return container
        if container is None:
            container = AliasInfo(is_write=element.is_write)
        return AliasInfo(container.before_sets, container.after_sets, container.is_write,
                         (*container.contained_types, element))

    # --- default values -----------------------------------------------------------

    def parse_default_value(self, checked_type: T.JitType, size: int | None) -> object:
        """The value after ``=``, read according to the checked type. torch: parseDefaultValue."""
        token = self.cur
        if isinstance(checked_type, (T.TensorType, T.GeneratorType, T.QuantizerType)):
            self.expect(NONE)
            return None
        if isinstance(checked_type, (T.StringType, T.OptionalType, T.NumberType, T.IntType,
                                     T.BoolType, T.FloatType, T.ComplexType)):
            return self.parse_single_constant(checked_type)
        if isinstance(checked_type, T.DeviceObjType):
            literal = self.expect(STRING)
            return self._to_device(literal)
        if isinstance(checked_type, T.ListType):
            element = checked_type.element
            if token.kind == IDENT:
                # torch reads a name here as a tensor default, which must be None:
                # this always fails, with torch's "expected None" message.
                self.expect(NONE)
            if size is not None and token.kind != "[":
                value = self.parse_single_constant(element)
                return self._convert_list(element, token, [value] * size)
            return self.parse_constant_list(element)
        raise self.error_at(token, "unexpected type, file a bug report")

    def parse_constant_list(self, element: T.JitType) -> tuple:
        """``[1, 2]``: a list default. torch: SchemaParser::parseConstantList."""
        open_token = self.expect("[")
        values: list[object] = []
        if self.cur.kind != "]":
            values.append(self.parse_single_constant(element))
            while self.next_if(","):
                values.append(self.parse_single_constant(element))
        self.expect("]")
        return self._convert_list(element, open_token, values)

    def parse_single_constant(self, checked_type: T.JitType) -> object:
        """One literal: ``True``, ``None``, a string, an enum-like name, or a number.

        torch: SchemaParser::parseSingleConstant. The literal decides the
        value's kind (``float? f=1`` holds the int ``1``), except that a
        ``float`` type reads every number as a float and a ``complex`` type
        reads it as imaginary.
        """
        token = self.cur
        if token.kind == TRUE:
            self.next()
            return True
        if token.kind == FALSE:
            self.next()
            return False
        if token.kind == NONE:
            self.next()
            return None
        if token.kind == STRING:
            self.next()
            return self._unquote(token)
        if token.kind == IDENT:
            self.next()
            if token.text in ENUM_DEFAULTS:
                return ENUM_DEFAULTS[token.text]
            raise self.error_at(token, "invalid numeric default value")
        negative = self.next_if("-") is not None
        number = self.expect(NUMBER)
        text = ("-" if negative else "") + number.text
        if isinstance(checked_type, T.ComplexType) or "j" in text:
            return complex(0.0, self._to_double(number, text[:-1]))
        if isinstance(checked_type, T.FloatType) or "." in text or "e" in text:
            return self._to_double(number, text)
        return self._to_int64(number, text)

    def _convert_list(self, element: T.JitType, at: Token, values: list[object]) -> tuple:
        """torch: SchemaParser::convertToList; elements must already be of the element kind."""
        kinds: dict[type[T.JitType], tuple[type, str]] = {
            T.ComplexType: (complex, "ComplexDouble"),
            T.FloatType: (float, "Double"),
            T.IntType: (int, "Int"),
            T.BoolType: (bool, "Bool"),
        }
        expected = kinds.get(type(element))
        if expected is None:
            raise self.error_at(at, "lists are only supported for float, int and complex types")
        python_type, torch_name = expected
        for value in values:
            if type(value) is not python_type:
                raise self.error_at(at, f"Expected {torch_name} in the list default but got {_ivalue_kind(value)}")
        return tuple(values)

    # --- literals -------------------------------------------------------------------

    def _unquote(self, token: Token) -> str:
        """A string literal's value. torch: parseStringLiteral (no \\x or \\u escapes)."""
        raw = token.text
        quote_len = 3 if raw[:3] in ("'''", '"""') else 1
        body = raw[quote_len:len(raw) - quote_len]
        out: list[str] = []
        i = 0
        while i < len(body):
            char = body[i]
            if char != "\\":
                out.append(char)
                i += 1
                continue
            escaped = body[i + 1] if i + 1 < len(body) else ""
            simple = {"\\": "\\", "'": "'", '"': '"', "\n": "\n", "a": "\a", "b": "\b",
                      "f": "\f", "n": "\n", "v": "\v", "t": "\t"}
            if escaped in simple:
                out.append(simple[escaped])
                i += 2
            elif escaped == "x":
                raise self.error_at(token, "unsupported hex specifier")
            elif escaped in ("u", "U"):
                raise self.error_at(token, "unsupported unicode specifier")
            else:
                digits = body[i + 1:i + 4]
                if len(digits) == 3 and all(d in "01234567" for d in digits) and int(digits, 8) < 256:
                    out.append(chr(int(digits, 8)))
                    i += 4
                else:
                    raise self.error_at(token, " ill formed octal specifier")
        return "".join(out)

    def _to_device(self, literal: Token) -> DeviceLiteral:
        """A ``Device`` default, checked as c10::Device checks its string."""
        text = self._unquote(literal)
        if not text:
            raise self.error_at(literal, "Device string must not be empty")
        found = _DEVICE.fullmatch(text)
        if found is None:
            raise self.error_at(literal, f"Invalid device string: '{text}'")
        if found.group(1) not in DEVICE_TYPES:
            raise self.error_at(literal, f"Expected one of {', '.join(DEVICE_TYPES)} device type "
                                         f"at start of device string: {text}")
        return DeviceLiteral(text)

    def _to_double(self, token: Token, text: str) -> float:
        """torch: c10::stod -- the longest numeric prefix (decimal or hex), and
        an error when the value overflows or underflows a double."""
        hexadecimal = _HEX_PREFIX.match(text)
        if hexadecimal is not None:
            sign, body = hexadecimal.groups()
            value = float.fromhex(sign + "0x" + body)
            mantissa = body.lower().partition("p")[0]
        else:
            decimal = _DECIMAL_PREFIX.match(text)
            if decimal is None:
                raise self.error_at(token, f"invalid number {text!r}")
            value = float(decimal.group())
            mantissa = decimal.group().lower().partition("e")[0]
        nonzero = any(digit not in "0.+-x" for digit in mantissa)
        if math.isinf(value) or (nonzero and abs(value) < sys.float_info.min):
            raise self.error_at(token, f"{text} is out of range for a float (stod)")
        return value

    def _to_int64(self, token: Token, text: str | None = None) -> int:
        """torch: c10::stoll, which reads the longest integer prefix."""
        text = token.text if text is None else text
        found = _INT_PREFIX.match(text)
        if found is None:
            raise self.error_at(token, f"invalid integer {text!r}")
        value = int(found.group())
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise self.error_at(token, f"integer {text} does not fit in 64 bits")
        return value


# --- unions as torch builds them ----------------------------------------------------------
#
# torch stores a union's members flattened, deduplicated and sorted by kind,
# with Scalar expanded into int, float and complex. pyjit's union model keeps
# Scalar as one member, so "torch's member count" counts Scalar as three.

_NUMBER_PARTS = (T.IntType(), T.FloatType(), T.ComplexType())


def _torch_union_members(types: list[T.JitType]) -> list[T.JitType]:
    # torch never merges None into another member (`Any?` stays `Any?`), so
    # take the Nones out before unifying the rest.
    holds_none = False
    others: list[T.JitType] = []

    def add(t: T.JitType) -> None:
        nonlocal holds_none
        if isinstance(t, T.NoneType):
            holds_none = True
        elif isinstance(t, T.OptionalType):
            add(t.element)
            holds_none = True
        elif isinstance(t, T.UnionType):
            for member in t.members:
                add(member)
        else:
            others.append(t)

    for t in types:
        add(t)
    members: list[T.JitType] = []
    if others:
        flat = T.make_union(others)
        members = list(flat.members) if isinstance(flat, T.UnionType) else [flat]
    if holds_none:
        members = sorted([*members, T.NoneType()], key=lambda m: m.kind)
    if all(part in members for part in _NUMBER_PARTS):
        members = [m for m in members if m not in _NUMBER_PARTS] + [T.NumberType()]
        members.sort(key=lambda m: m.kind)
    return members


def _torch_member_count(members: list[T.JitType]) -> int:
    return len(members) + (2 if T.NumberType() in members else 0)


def make_torch_union(types: list[T.JitType]) -> T.JitType | None:
    """The type torch's UnionType::create makes of these members, or ``None``
    where torch fails its one-member assertion. ``Union(Scalar, None)`` and
    ``Union(int, None)`` come back as optionals, as in torch."""
    members = _torch_union_members(types)
    count = _torch_member_count(members)
    if count == 1:
        return None
    if T.NoneType() in members:
        rest = [m for m in members if not isinstance(m, T.NoneType)]
        if count == 2 or (count == 4 and rest == [T.NumberType()]):
            return T.OptionalType(rest[0])
    return T.UnionType(tuple(members))


def make_torch_optional(inner: T.JitType) -> T.JitType | None:
    """``inner?`` as torch's OptionalType constructor builds it, or ``None``
    where torch fails (``None?``). ``int??`` is ``int?``; ``Scalar??`` is
    ``Union(Scalar)?``; ``Union(Tensor, int, None)?`` is ``Union(Tensor, int)?``."""
    if not isinstance(inner, (T.OptionalType, T.UnionType, T.NoneType)):
        return T.OptionalType(inner)  # the common case: nothing to flatten
    members = _torch_union_members([inner, T.NoneType()])
    count = _torch_member_count(members)
    if count == 1:
        return None
    rest = [m for m in members if not isinstance(m, T.NoneType)]
    if count == 2:
        return T.OptionalType(rest[0])
    if inner == T.NumberType() or (isinstance(inner, T.UnionType) and inner.members == (T.NumberType(),)):
        return T.OptionalType(T.NumberType())
    contained = make_torch_union(rest) if len(rest) > 1 or rest == [T.NumberType()] else rest[0]
    return T.OptionalType(contained)


def _ivalue_kind(value: object) -> str:
    for python_type, name in ((bool, "Bool"), (int, "Int"), (float, "Double"), (complex, "ComplexDouble"),
                              (str, "String"), (type(None), "None")):
        if isinstance(value, python_type):
            return name
    return type(value).__name__
