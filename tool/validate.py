"""Validate stage: YAML node trees become the typed models of :mod:`policyc.model`.

:class:`Reader` follows the models' type hints (see :mod:`policyc.schema` for the
conventions they follow) and reports every problem with its ``path:line:col``: unknown
keys with a "did you mean" hint, missing keys, wrong types, duplicate keys.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import types
from typing import Any, Literal, Union, get_args, get_origin

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Loc, Report
from .schema import (YAML_BOOL_FALSE, YAML_BOOL_TRUE, Id, Text, is_required, model_fields,
                     model_hints)

MAX_INT_DIGITS = 9   # whole numbers are days and ages: larger ones are mistakes


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
            if node.tag.endswith(":null") and tp.allow_empty:
                return tp("", self.loc(node), "")
            if node.tag.endswith(":null"):
                self.error(node, f"`{what}` is empty; write a {tp.describe}")
                return None
        value = node.value
        if tp.describe == "text" and not tp.allow_empty and not value.strip():
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
            self.error(node, f"`{what}` must be a whole number, not '{_shorten(node.value)}'")
            return None
        if len(node.value.strip().lstrip("0")) > MAX_INT_DIGITS:
            self.error(node, f"`{what}` is too large: a whole number of at most {MAX_INT_DIGITS} "
                             "digits")
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
            if name not in values and is_required(f):
                if name not in written:  # else its bad value or its typo was reported
                    self.error(node, f"missing required key `{name}` in {_model_name(cls)}")
                values[name] = None
        model = cls(loc=self.loc(node), **values)
        if hasattr(model, "problems"):
            for loc, message in model.problems():
                self.failed = True
                self.report.error(loc, message)
        return model

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
            if not isinstance(type_node, ScalarNode):
                self.error(type_node, f"`type` of {what} must be one word, one of "
                                      f"{', '.join(by_type)}")
                return None
            chosen = by_type.get(type_node.value)
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


def _all_fields(models) -> set[str]:
    return {name for m in models for name in model_fields(m)}


def _closest(word: str, choices) -> str | None:
    """The choice ``word`` is most likely a typo of, if any is close enough."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _did_you_mean(word: str, choices) -> str:
    close = _closest(word, choices)
    return f"; did you mean `{close}`?" if close else ""


def _shorten(value: str, limit: int = 40) -> str:
    """``value`` for a message: at most ``limit`` characters."""
    return value if len(value) <= limit else f"{value[:limit]}… ({len(value):,} characters)"


def _model_name(cls: type) -> str:
    return getattr(cls, "NAME", cls.__name__)
