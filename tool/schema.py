"""Typed models from YAML nodes, and their JSON Schema: one definition, two uses.

The source format is written once, as dataclasses in :mod:`policyc.model`. This
module reads their type hints to

* convert a YAML node tree into model instances, reporting every problem (unknown
  keys with a "did you mean" hint, missing keys, wrong types, duplicate keys) with
  its ``path:line:col``; and
* export the JSON Schema that editors use to complete and validate keys.

Conventions a model follows: ``@dataclass(kw_only=True)`` subclassing :class:`Model`;
field metadata ``doc`` describes the key; a union of models is told apart by a
``TAG = ("type", "rights")`` class attribute (the value of the key ``type``) or
``TAG = ("key", "numbered")`` (the presence of a key).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import json
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Loc, Report

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


# --------------------------------------------------------------------------- reading

class Reader:
    """Converts YAML nodes of one file into models, collecting diagnostics."""

    def __init__(self, path: str, report: Report):
        self.path = path
        self.report = report
        self.failed = False

    def loc(self, node: Node) -> Loc:
        return Loc(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: Node, message: str) -> None:
        self.failed = True
        self.report.error(self.loc(node), message)

    def read(self, tp: Any, node: Node, what: str) -> Any:
        """Convert ``node`` to type ``tp``; ``what`` names the key for messages."""
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            return self._read_union(tp, node, what)
        if origin is Literal:
            return self._read_literal(tp, node, what)
        if origin is list:
            return self._read_list(get_args(tp)[0], node, what)
        if origin is dict:
            return self._read_dict(get_args(tp)[1], node, what)
        if isinstance(tp, type) and issubclass(tp, Text):
            return self._read_text(tp, node, what)
        if tp is bool:
            return self._read_bool(node, what)
        if tp is int:
            return self._read_int(node, what)
        if dataclasses.is_dataclass(tp):
            return self._read_model(tp, node, what)
        raise TypeError(f"unsupported model type {tp!r}")  # pragma: no cover

    def _expect_scalar(self, node: Node, what: str, expected: str) -> bool:
        if isinstance(node, ScalarNode):
            return True
        found = "a list" if isinstance(node, SequenceNode) else "a mapping (key: value)"
        self.error(node, f"`{what}` must be {expected}, not {found}")
        return False

    def _read_text(self, tp: type[Text], node: Node, what: str) -> Text | None:
        if not self._expect_scalar(node, what, tp.describe):
            return None
        if node.style is None or node.style == "":
            if node.tag.endswith(":bool"):
                self.error(node, f"`{what}`: {node.value} is read as yes/no, not as text; "
                                 f"put it in quotes (\"{node.value}\") if you mean the text")
                return None
            if node.tag.endswith(":null"):
                self.error(node, f"`{what}` is empty; write a {tp.describe}")
                return None
        value = node.value
        if tp.describe == "text" and not value.strip():
            self.error(node, f"`{what}` is empty; write a {tp.describe}")
            return None
        problem = tp.problem(value)
        if problem:
            self.error(node, f"`{what}`: {problem}")
            return None
        origin = self.loc(node)
        text = tp(value, origin, node.style or "", getattr(node, "source", ""))
        if text.style in ("|", ">"):
            text.loc = text.loc_at(0)  # block scalars start on the line after `|` or `>`
        return text

    def _read_bool(self, node: Node, what: str) -> bool | None:
        if not self._expect_scalar(node, what, "yes or no"):
            return None
        value = node.value.strip().lower()
        if value in YAML_BOOL_TRUE:
            return True
        if value in YAML_BOOL_FALSE:
            return False
        self.error(node, f"`{what}` must be yes or no (true/false, 是/否), not '{node.value}'")
        return None

    def _read_int(self, node: Node, what: str) -> int | None:
        if not self._expect_scalar(node, what, "a whole number"):
            return None
        if not re.fullmatch(r"[0-9]+", node.value.strip()):
            self.error(node, f"`{what}` must be a whole number, not '{node.value}'")
            return None
        return int(node.value)

    def _read_literal(self, tp: Any, node: Node, what: str) -> str | None:
        if not self._expect_scalar(node, what, "one of " + ", ".join(get_args(tp))):
            return None
        choices = get_args(tp)
        if node.value in choices:
            return Text(node.value, self.loc(node), node.style or "")
        self.error(node, f"`{what}` must be one of {', '.join(choices)}, not '{node.value}'"
                   + _did_you_mean(node.value, choices))
        return None

    def _read_list(self, item_tp: Any, node: Node, what: str) -> list:
        if not isinstance(node, SequenceNode):
            if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
                return []
            self.error(node, f"`{what}` must be a list (lines starting with '- ')")
            return []
        items = [self.read(item_tp, child, what) for child in node.value]
        return [item for item in items if item is not None]

    def _read_dict(self, value_tp: Any, node: Node, what: str) -> dict:
        if not isinstance(node, MappingNode):
            if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
                return {}
            self.error(node, f"`{what}` must be a mapping of names to values")
            return {}
        out: dict[Text, Any] = {}
        for key_node, value_node in self._pairs(node):
            key = self._read_text(Id, key_node, f"{what} name")
            if key is None:
                continue
            value = self.read(value_tp, value_node, f"{what}.{key}")
            if value is not None:
                out[key] = value
        return out

    def _pairs(self, node: MappingNode) -> list[tuple[Node, Node]]:
        """The key/value pairs of a mapping; reports duplicate and non-text keys."""
        seen: dict[str, Node] = {}
        pairs = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, "a key must be a plain name, not a list or mapping")
                continue
            if key_node.value == "<<":
                self.error(key_node, "merge keys ('<<') are not supported; write the keys out")
                continue
            first = seen.get(key_node.value)
            if first is not None:
                self.error(key_node, f"duplicate key `{key_node.value}` (first defined at line "
                                     f"{first.start_mark.line + 1}); YAML would silently keep "
                                     "only the last one")
                continue
            seen[key_node.value] = key_node
            pairs.append((key_node, value_node))
        return pairs

    def _read_model(self, cls: type, node: Node, what: str) -> Any:
        if not isinstance(node, MappingNode):
            if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
                self.error(node, f"`{what}` is empty")
            else:
                self.error(node, f"`{what}` must be a mapping (key: value lines)")
            return None
        fields = model_fields(cls)
        hints = model_hints(cls)
        values: dict[str, Any] = {}
        written: set[str] = set()  # keys present (or suggested for a typo) in the source
        for key_node, value_node in self._pairs(node):
            name = key_node.value
            if name == "type" and getattr(cls, "TAG", ("",))[0] == "type":
                continue
            if name not in fields:
                suggestion = _closest(name, list(fields))
                self.error(key_node, f"unknown key `{name}` in {_model_name(cls)}"
                           + (f"; did you mean `{suggestion}`?" if suggestion else ""))
                if suggestion:
                    written.add(suggestion)
                continue
            written.add(name)
            value = self.read(hints[name], value_node, name)
            if value is not None:
                values[name] = value
        for name, f in fields.items():
            if name not in values and _required(f):
                if name not in written:  # else its bad value or its typo was reported
                    self.error(node, f"missing required key `{name}` in {_model_name(cls)}")
                values[name] = None
        return cls(loc=self.loc(node), **values)

    def _read_union(self, tp: Any, node: Node, what: str) -> Any:
        options = [a for a in get_args(tp) if a is not type(None)]
        if type(None) in get_args(tp) and isinstance(node, ScalarNode) \
                and node.tag.endswith(":null"):
            return None
        texts = [o for o in options if isinstance(o, type) and issubclass(o, Text)]
        models = [o for o in options if dataclasses.is_dataclass(o)]
        if isinstance(node, ScalarNode) and texts:
            return self._read_text(texts[0], node, what)
        if len(options) == 1:
            return self.read(options[0], node, what)
        if not isinstance(node, MappingNode) or not models:
            kinds = " or ".join(["text"] * bool(texts) + ["a mapping"] * bool(models))
            self.error(node, f"`{what}` must be {kinds}")
            return None
        chosen = models[0] if len(models) == 1 else self._choose_model(models, node, what)
        return None if chosen is None else self._read_model(chosen, node, what)

    def _choose_model(self, models: list[type], node: MappingNode, what: str) -> type | None:
        keys = {k.value: v for k, v in node.value if isinstance(k, ScalarNode)}
        by_type = {m.TAG[1]: m for m in models if m.TAG[0] == "type"}
        by_key = {m.TAG[1]: m for m in models if m.TAG[0] == "key"}
        if by_type:
            type_node = keys.get("type")
            if type_node is None:
                default = [m for m in by_type.values() if getattr(m, "TAG_DEFAULT", False)]
                if default:
                    return default[0]
                self.error(node, f"`{what}` needs a `type`: one of {', '.join(by_type)}")
                return None
            chosen = by_type.get(getattr(type_node, "value", None))
            if chosen is None:
                value = getattr(type_node, "value", "")
                self.error(type_node, f"unknown {what} type '{value}'; expected one of "
                           f"{', '.join(by_type)}" + _did_you_mean(str(value), list(by_type)))
            return chosen
        present = [k for k in by_key if k in keys]
        if len(present) == 1:
            return by_key[present[0]]
        if not present:
            unknown = next((k for k in keys if k not in _all_fields(by_key.values())), None)
            hint = _did_you_mean(unknown, list(by_key)) if unknown else ""
            self.error(node, f"`{what}` must be text or a mapping with one of the keys "
                       f"{', '.join(by_key)}" + hint)
        else:
            self.error(node, f"`{what}` has both {present[0]} and {present[1]}; use one per item")
        return None


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


def _all_fields(models) -> set[str]:
    return {name for m in models for name in model_fields(m)}


def _closest(word: str, choices) -> str | None:
    """The choice ``word`` is most likely a typo of, if any is close enough."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _did_you_mean(word: str, choices) -> str:
    close = _closest(word, choices)
    return f"; did you mean `{close}`?" if close else ""


def _model_name(cls: type) -> str:
    return getattr(cls, "NAME", cls.__name__)


def _required(f: dataclasses.Field) -> bool:
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


def source_schemas() -> dict[str, bytes]:
    """The schema files editors use: ``policy.schema.json``, ``section.schema.json`` and
    ``translation.schema.json`` (for ``translations/<locale>.yaml``).

    Deterministic bytes (key order follows the models), so committed copies can be
    compared with freshly generated ones.
    """
    from .model import Catalog, Policy, Section  # the models import this module

    schemas = {
        "policy.schema.json": json_schema(Policy, "policy.yaml",
                                          "The facts about a privacy policy and its ordered "
                                          "list of section files (policyc)."),
        "section.schema.json": json_schema(Section, "policyc section file",
                                           "One top-level section of a privacy policy "
                                           "(policyc); `type` selects the structured kind."),
        "translation.schema.json": json_schema(Catalog, "policyc translation catalog"),
    }
    return {name: (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            for name, schema in schemas.items()}


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
        out = {"type": ["string", "number"]} if tp is Text else {"type": "string"}
        if tp is IsoDate:
            out = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        elif tp.pattern:
            out["pattern"] = f"^{tp.pattern}$"
        out["description"] = tp.describe if tp is not Text else "text"
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
    required = [n for n, f in model_fields(cls).items() if _required(f)]
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
