"""The source format's building blocks, and its JSON Schema: one definition, two uses.

The source format is written once, as dataclasses in :mod:`policyc.model`, built from
the text types and conventions defined here. Their type hints drive both

* :class:`policyc.validate.Reader`, which turns YAML node trees into model instances
  and reports every problem with its ``path:line:col``; and
* :func:`json_schema`, the JSON Schema that editors use to complete and validate keys.

Conventions a model follows: ``@dataclass(kw_only=True)`` subclassing :class:`Model`;
field metadata ``doc`` describes the key; a union of models is told apart by a
``TAG = ("type", "rights")`` class attribute (the value of the key ``type``) or
``TAG = ("key", "numbered")`` (the presence of a key).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

from .diagnostics import Loc

YAML_BOOL_TRUE = {"true", "yes", "on", "是", "y"}
YAML_BOOL_FALSE = {"false", "no", "off", "否", "n"}


class Text(str):
    """A string from the sources that remembers where it was written.

    ``loc`` is the position of its first character; ``style`` is its YAML style (''
    plain, '|' literal, '>' folded, "'" or '"' quoted). ``source`` is the scalar as
    written in the file, starting at ``origin``, so positions inside the value can be
    mapped back to a line and column even across folded lines (see :meth:`loc_at`).
    """

    loc: Loc
    style: str | None
    source: str
    origin: Loc
    pattern: typing.ClassVar[str | None] = None
    describe: typing.ClassVar[str] = "text"
    allow_empty: typing.ClassVar[bool] = False   # whether "" is a value (a table's empty cell)

    def __new__(cls, value: str, loc: Loc = Loc(""), style: str | None = None,
                source: str = "", origin: Loc | None = None):
        obj = super().__new__(cls, value)
        obj.loc = loc
        obj.style = style
        obj.source = source
        obj.origin = loc if origin is None else origin
        return obj

    def __reduce__(self):
        return (type(self), (str(self), self.loc, self.style, self.source, self.origin))

    @classmethod
    def problem(cls, value: str) -> str | None:
        """Why ``value`` is not acceptable for this kind of text, or None."""
        if cls.pattern and not re.fullmatch(cls.pattern, value):
            return f"'{value}' is not a valid {cls.describe}"
        return None

    def loc_at(self, offset: int) -> Loc:
        """The source position of character ``offset`` of this text.

        The value is aligned with its source: equal characters match, a run of
        whitespace matches a run of whitespace (folded lines, indentation), and source
        characters with no counterpart (quotes, escapes, a block header) are skipped.
        Without a source, the position of the text itself is returned.
        """
        if not self.source or not self.origin.line:
            return self.loc
        index = _source_index(self.source, str(self), self.style or "", offset)
        if index is None:
            return self.loc
        return _advance(self.origin, self.source[:index])


class Id(Text):
    """An identifier for cross-references: letters, digits, '-' and '_'."""

    pattern = r"[A-Za-z][A-Za-z0-9_-]*"
    describe = "id (letters, digits, '-' and '_', starting with a letter)"


class IsoDate(Text):
    """A calendar date written as YYYY-MM-DD."""

    describe = "date (YYYY-MM-DD)"

    @classmethod
    def problem(cls, value: str) -> str | None:
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            return f"'{value}' is not a date; write it as YYYY-MM-DD"
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return f"'{value}' is not a date; write it as YYYY-MM-DD"
        return None

    @property
    def date(self) -> _dt.date:
        return _dt.date.fromisoformat(self)


class Url(Text):
    """A link target: http, https, mailto or tel."""

    describe = "link (http, https, mailto or tel)"
    pattern = r"(https?://[^\s<>\"]+|mailto:[^\s<>\"]+|tel:[0-9+()\- ]+)"


class Email(Text):
    describe = "e-mail address"
    pattern = r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+"


class LocaleTag(Text):
    describe = "locale tag such as zh-CN or en"
    pattern = r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2}|-\d{3})?"


@dataclass(kw_only=True)
class Model:
    """Base of every source model: remembers where it was written."""

    loc: Loc = field(default=Loc(""), compare=False, repr=False,
                     metadata={"internal": True})


def doc(text: str, default: Any = dataclasses.MISSING, factory: Any = dataclasses.MISSING):
    """A model field with a description for editors and the JSON Schema."""
    if factory is not dataclasses.MISSING:
        return field(default_factory=factory, metadata={"doc": text})
    return field(default=default, metadata={"doc": text})


def _source_index(source: str, value: str, style: str, offset: int) -> int | None:
    """Index in ``source`` of character ``offset`` of ``value``; None when they diverge."""
    i = 0
    if style in ("|", ">"):
        i = source.find("\n") + 1  # content starts on the line after the header
    elif style in ("'", '"'):
        i = 1
    if source.startswith(value[:offset + 1], i):
        return i + offset  # written as it reads: no escapes or folded lines before it
    j = 0
    while j < offset:
        if value[j].isspace():
            while j < len(value) and value[j].isspace():
                j += 1
            if j > offset:
                break
            while i < len(source) and source[i].isspace():
                i += 1
            continue
        found = source.find(value[j], i)
        if found < 0:
            return None
        i, j = found + 1, j + 1
    if j == offset and offset < len(value) and not value[offset].isspace():
        found = source.find(value[offset], i)
        return None if found < 0 else found
    return i


def _advance(origin: Loc, before: str) -> Loc:
    """The position reached after writing ``before`` from ``origin``."""
    newlines = before.count("\n")
    if not newlines:
        return Loc(origin.path, origin.line, origin.col + len(before))
    return Loc(origin.path, origin.line + newlines, len(before) - before.rfind("\n"))


def is_required(f: dataclasses.Field) -> bool:
    """Whether a model field must be written (it has no default)."""
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


_FIELDS: dict[type, dict[str, dataclasses.Field]] = {}
_HINTS: dict[type, dict[str, Any]] = {}


def model_fields(cls: type) -> dict[str, dataclasses.Field]:
    """The fields of a model that are written in YAML, in declaration order."""
    if cls not in _FIELDS:
        _FIELDS[cls] = {f.name: f for f in dataclasses.fields(cls)
                        if not f.metadata.get("internal")}
    return _FIELDS[cls]


def model_hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


# --------------------------------------------------------------------------- JSON Schema

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(root: Any, title: str, description: str = "") -> dict:
    """The JSON Schema (draft 2020-12) of a model or union of models, with shared
    definitions in ``$defs``."""
    defs: dict[str, dict] = {}
    if not description and dataclasses.is_dataclass(root):
        description = (root.__doc__ or "").strip()
    schema = {"$schema": SCHEMA_DIALECT, "title": title, "description": description}
    schema.update(_schema(root, defs))
    schema["$defs"] = dict(sorted(defs.items()))
    return schema


def _schema(tp: Any, defs: dict) -> dict:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        out = [_schema(o, defs) for o in options]
        if type(None) in get_args(tp):
            out.append({"type": "null"})
        return out[0] if len(out) == 1 else {"oneOf": out}
    if origin is Literal:
        return {"enum": list(get_args(tp))}
    if origin is list:
        return {"type": "array", "items": _schema(get_args(tp)[0], defs)}
    if origin is dict:
        return {"type": "object", "propertyNames": {"pattern": f"^{Id.pattern}$"},
                "additionalProperties": _schema(get_args(tp)[1], defs)}
    if isinstance(tp, type) and issubclass(tp, Text):
        wording = tp is Text or tp.allow_empty    # wording (a number reads as text too)
        out = {"type": ["string", "number"]} if wording else {"type": "string"}
        if tp.allow_empty:
            out["type"].append("null")   # an empty cell
        if tp is IsoDate:
            out = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        elif tp.pattern:
            out["pattern"] = f"^{tp.pattern}$"
        out["description"] = tp.describe
        return out
    if tp is bool:
        return {"anyOf": [{"type": "boolean"},
                          {"enum": sorted(YAML_BOOL_TRUE | YAML_BOOL_FALSE)}]}
    if tp is int:
        return {"type": "integer", "minimum": 0}
    if dataclasses.is_dataclass(tp):
        name = tp.__name__  # a URI-safe name for "$ref"
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            defs[name] = _model_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"unsupported model type {tp!r}")  # pragma: no cover


def _model_schema(cls: type, defs: dict) -> dict:
    hints = model_hints(cls)
    props = {}
    for name, f in model_fields(cls).items():
        prop = _schema(hints[name], defs)
        if f.metadata.get("doc"):
            prop = {**prop, "description": f.metadata["doc"]} if "$ref" not in prop \
                else {"allOf": [prop], "description": f.metadata["doc"]}
        props[name] = prop
    tag = getattr(cls, "TAG", None)
    required = [n for n, f in model_fields(cls).items() if is_required(f)]
    if tag and tag[0] == "type":
        props["type"] = {"const": tag[1], "description": "kind of section"}
        if not getattr(cls, "TAG_DEFAULT", False):
            required.insert(0, "type")
    if tag and tag[0] == "key" and tag[1] not in required:
        required.insert(0, tag[1])
    out = {"type": "object", "description": (cls.__doc__ or "").strip(),
           "properties": props, "additionalProperties": False}
    if required:
        out["required"] = required
    return out
