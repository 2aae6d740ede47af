"""Load stage: read source files and parse them into YAML node trees with positions.

Only plain YAML is accepted: no aliases (they allow "billion laughs" files), no
tags (``!!python/object`` and friends), UTF-8 only (a BOM and CRLF line ends are
fine). Problems become diagnostics with ``path:line:col``; nothing raises.
"""
from __future__ import annotations

import re

import yaml
from yaml.events import (AliasEvent, MappingStartEvent, ScalarEvent,
                         SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .chars import describe, first_forbidden
from .diagnostics import Loc, Report

try:  # libyaml's parser is ~10x faster; the pure-Python one gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in
                 ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
MAX_DEPTH = 64

# Usual causes of a syntax error: a pattern whose match ends at the culprit, and advice.
SYNTAX_HINTS = [
    (re.compile(r"^[ \u3000]*\t"), "tabs cannot indent YAML; use spaces"),
    (re.compile(r"^[ \t]*\u3000"),
     "a full-width space (U+3000) cannot indent YAML; use ordinary spaces"),
    (re.compile(r"^[ \t]*(?:- )?[A-Za-z_][\w-]*[ \t]*："),
     "a full-width colon '：' does not separate a key from its value; use ':' followed by a "
     "space"),
]


class SourceScalar(ScalarNode):
    """A scalar node that keeps the source text it was written as.

    ``source`` runs from the scalar's first character (a quote, a block indicator
    such as ``|``, or the text itself) to its end, so a position inside the value can be
    mapped back to a line and column (see :meth:`policyc.schema.Text.loc_at`).
    """

    def __init__(self, tag: str, value: str, start_mark, end_mark, style: str | None,
                 source: str):
        super().__init__(tag, value, start_mark, end_mark, style=style)
        self.source = source


def mark_loc(path: str, mark) -> Loc:
    """The 1-based location of a PyYAML mark."""
    return Loc(path, mark.line + 1, mark.column + 1)


def decode_text(data: bytes, shown: str, report: Report) -> str | None:
    """A source file's bytes as text (UTF-8, BOM and CRLF allowed); reports other encodings."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        report.error(Loc(shown, line, col),
                     f"file is not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                     "cannot be decoded; save the file as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, shown: str, report: Report) -> Node | None:
    """Parse one YAML document into a node tree, reporting syntax errors and forbidden features."""
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#")
                               for line in text.splitlines()):
        report.error(Loc(shown, 1, 1), "file is empty")
        return None
    loader = _Loader(text)
    try:
        return _compose(loader, text, shown, report)
    except yaml.MarkedYAMLError as exc:
        mark = _error_mark(exc)
        loc = mark_loc(shown, mark) if mark else Loc(shown, 1, 1)
        culprit = _culprit(exc, text, mark)
        if culprit is not None:
            loc = Loc(shown, *culprit)
        report.error(loc, _syntax_message(exc, text, mark))
        return None
    except yaml.reader.ReaderError as exc:
        report.error(_offset_loc(shown, text, exc.position),
                     f"the character U+{exc.character:04X} is not allowed in YAML; remove it")
        return None
    except yaml.YAMLError as exc:
        report.error(Loc(shown, 1, 1), "YAML syntax error: " + " ".join(str(exc).split()))
        return None
    finally:
        loader.dispose()


def _offset_loc(shown: str, text: str, offset: int) -> Loc:
    """The 1-based location of character ``offset`` of ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return Loc(shown, text.count("\n", 0, offset) + 1, offset - line_start + 1)


class _Abort(Exception):
    pass


def _compose(loader, text: str, shown: str, report: Report) -> Node | None:
    """Build nodes from parser events (the libyaml composer cannot refuse aliases)."""
    loader.get_event()  # StreamStart
    if loader.check_event(StreamEndEvent):
        report.error(Loc(shown, 1, 1), "file is empty")
        return None
    loader.get_event()  # DocumentStart
    try:
        root = _compose_node(loader, text, shown, report, 0)
    except _Abort:
        return None
    loader.get_event()  # DocumentEnd
    if not loader.check_event(StreamEndEvent):
        event = loader.get_event()
        report.error(mark_loc(shown, event.start_mark),
                     "a second YAML document ('---') is not allowed; one file holds one document")
        return None
    return root


def _compose_node(loader, text: str, shown: str, report: Report, depth: int) -> Node:
    event = loader.get_event()
    if isinstance(event, AliasEvent):
        report.error(mark_loc(shown, event.start_mark),
                     f"YAML aliases (*{event.anchor}) are not supported; write the value out")
        raise _Abort
    if depth > MAX_DEPTH:
        report.error(mark_loc(shown, event.start_mark), f"nesting deeper than {MAX_DEPTH} levels")
        raise _Abort
    tag = getattr(event, "tag", None)
    if tag is not None and tag != "!" and _expand(tag) not in STANDARD_TAGS:
        report.error(mark_loc(shown, event.start_mark),
                     f"YAML tag '{_shorten(tag)}' is not allowed; remove it")
        raise _Abort
    if isinstance(event, ScalarEvent):
        if tag is None or tag == "!":
            tag = loader.resolve(ScalarNode, event.value, event.implicit)
        source = text[event.start_mark.index:event.end_mark.index]
        forbidden = first_forbidden(event.value)
        if forbidden:
            report.error(mark_loc(shown, event.start_mark),
                         f"{describe(forbidden.group())} in this text (written as an escape "
                         "such as \\0, \\a, \\e or \\uFFFF); no document can hold it: "
                         "remove it")
        return SourceScalar(_expand(tag), event.value, event.start_mark, event.end_mark,
                            event.style, source)
    if isinstance(event, SequenceStartEvent):
        node = SequenceNode("tag:yaml.org,2002:seq", [], event.start_mark, None,
                            flow_style=event.flow_style)
        while not loader.check_event(yaml.SequenceEndEvent):
            node.value.append(_compose_node(loader, text, shown, report, depth + 1))
        node.end_mark = loader.get_event().end_mark
        return node
    if isinstance(event, MappingStartEvent):
        node = MappingNode("tag:yaml.org,2002:map", [], event.start_mark, None,
                           flow_style=event.flow_style)
        while not loader.check_event(yaml.MappingEndEvent):
            key = _compose_node(loader, text, shown, report, depth + 1)
            value = _compose_node(loader, text, shown, report, depth + 1)
            node.value.append((key, value))
        node.end_mark = loader.get_event().end_mark
        return node
    raise yaml.YAMLError(f"unexpected YAML event {event!r}")  # pragma: no cover


def _expand(tag: str) -> str:
    return "tag:yaml.org,2002:" + tag[2:] if tag.startswith("!!") else tag


def _shorten(tag: str) -> str:
    """A tag as it is usually written: ``!!python/object`` rather than its URI."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def _unclosed_quote(exc: yaml.MarkedYAMLError) -> bool:
    return bool(exc.context and "quoted scalar" in exc.context
                and exc.problem and "end of stream" in exc.problem)


def _error_mark(exc: yaml.MarkedYAMLError):
    """Where to point for a syntax error: an unclosed quote at its opening quote."""
    if _unclosed_quote(exc) and exc.context_mark is not None:
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def _syntax_message(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    """A syntax error in words: what, where its construct started, and a likely cause."""
    if _unclosed_quote(exc):
        return "YAML syntax error: this quoted text is never closed; add the closing quote"
    problem = exc.problem or exc.context or "invalid YAML"
    message = f"YAML syntax error: {problem}"
    if exc.context and exc.problem:
        opened = exc.context_mark
        started = ""
        if opened is not None and mark is not None and opened.line != mark.line:
            started = f" started at line {opened.line + 1}"
        message += f" ({exc.context}{started})"
    hint = _syntax_hint(exc, text, mark)
    return f"{message}; {hint}" if hint else message


def _spanned_lines(exc: yaml.MarkedYAMLError, text: str, mark) -> list[tuple[int, str]]:
    """(0-based number, text) of the lines from the construct's start (or the line
    before the error, whose text may run on) to the error."""
    first = exc.context_mark.line if exc.context_mark is not None else mark.line
    first = max(0, min(first, mark.line - 1))
    return list(enumerate(text.split("\n")[first:mark.line + 1], start=first))


def _culprit(exc: yaml.MarkedYAMLError, text: str, mark) -> tuple[int, int] | None:
    """The 1-based line and column of a character that explains the error (a tab, '：')."""
    if mark is None:
        return None
    for pattern, _ in SYNTAX_HINTS:
        for number, line in _spanned_lines(exc, text, mark):
            match = pattern.match(line)
            if match:
                return number + 1, match.end()
    return None


def _syntax_hint(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    """Advice for the usual causes, looking at the lines the error spans."""
    if mark is None:
        return ""
    for pattern, hint in SYNTAX_HINTS:
        if any(pattern.match(line) for _, line in _spanned_lines(exc, text, mark)):
            return hint
    if "mapping values are not allowed" in (exc.problem or ""):
        return ("check this line's indentation against the line above, and put a text "
                "that contains ': ' in quotes")
    return ""


def load_bytes(data: bytes, shown: str, report: Report) -> Node | None:
    """Parse the bytes of a source file, as read, into a node tree."""
    text = decode_text(data, shown, report)
    return None if text is None else parse_yaml(text, shown, report)
