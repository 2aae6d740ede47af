"""Load stage: read source files and parse them into YAML node trees with positions.

Only plain YAML is accepted: no aliases (they allow "billion laughs" files), no
tags (``!!python/object`` and friends), UTF-8 only (a BOM and CRLF line ends are
fine). Problems become diagnostics with ``path:line:col``; nothing raises.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml
from yaml.events import (AliasEvent, MappingStartEvent, ScalarEvent,
                         SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Loc, Report, display_path

try:  # libyaml's parser is ~10x faster; the pure-Python one gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in
                 ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64

SYNTAX_HINTS = {
    "\t": "tabs cannot indent YAML; use spaces",
    "\u3000": "a full-width space (U+3000) cannot indent YAML; use ordinary spaces",
    "：": "a full-width colon '：' does not separate a key from its value; use ':' followed by a space",
}


def mark_loc(path: str, mark) -> Loc:
    """The 1-based location of a PyYAML mark."""
    return Loc(path, mark.line + 1, mark.column + 1)


def node_loc(path: str, node: Node) -> Loc:
    return mark_loc(path, node.start_mark)


def read_text(file: Path, shown: str, report: Report) -> str | None:
    """Read a UTF-8 source file; report a missing, oversized or undecodable one."""
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            report.error(Loc(shown), f"file is larger than {MAX_FILE_BYTES // 1048576} MiB")
            return None
        data = file.read_bytes()
    except FileNotFoundError:
        report.error(Loc(shown), "file not found")
        return None
    except IsADirectoryError:
        report.error(Loc(shown), "is a directory, not a YAML file")
        return None
    except OSError as exc:
        report.error(Loc(shown), f"cannot read file: {exc.strerror}")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
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
        return _compose(loader, shown, report)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = mark_loc(shown, mark) if mark else Loc(shown)
        report.error(loc, _syntax_message(exc, text, mark))
        return None
    except yaml.YAMLError as exc:
        report.error(Loc(shown), f"YAML syntax error: {exc}")
        return None
    finally:
        loader.dispose()


class _Abort(Exception):
    pass


def _compose(loader, shown: str, report: Report) -> Node | None:
    """Build nodes from parser events (the libyaml composer cannot refuse aliases)."""
    loader.get_event()  # StreamStart
    if loader.check_event(StreamEndEvent):
        report.error(Loc(shown, 1, 1), "file is empty")
        return None
    loader.get_event()  # DocumentStart
    try:
        root = _compose_node(loader, shown, report, 0)
    except _Abort:
        return None
    loader.get_event()  # DocumentEnd
    if not loader.check_event(StreamEndEvent):
        event = loader.get_event()
        report.error(mark_loc(shown, event.start_mark),
                     "a second YAML document ('---') is not allowed; one file holds one document")
        return None
    return root


def _compose_node(loader, shown: str, report: Report, depth: int) -> Node:
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
                     f"YAML tag '{tag}' is not allowed; remove it")
        raise _Abort
    if isinstance(event, ScalarEvent):
        if tag is None or tag == "!":
            tag = loader.resolve(ScalarNode, event.value, event.implicit)
        return ScalarNode(_expand(tag), event.value, event.start_mark, event.end_mark,
                          style=event.style)
    if isinstance(event, SequenceStartEvent):
        node = SequenceNode("tag:yaml.org,2002:seq", [], event.start_mark, None,
                            flow_style=event.flow_style)
        while not loader.check_event(yaml.SequenceEndEvent):
            node.value.append(_compose_node(loader, shown, report, depth + 1))
        node.end_mark = loader.get_event().end_mark
        return node
    if isinstance(event, MappingStartEvent):
        node = MappingNode("tag:yaml.org,2002:map", [], event.start_mark, None,
                           flow_style=event.flow_style)
        while not loader.check_event(yaml.MappingEndEvent):
            key = _compose_node(loader, shown, report, depth + 1)
            value = _compose_node(loader, shown, report, depth + 1)
            node.value.append((key, value))
        node.end_mark = loader.get_event().end_mark
        return node
    raise yaml.YAMLError(f"unexpected YAML event {event!r}")  # pragma: no cover


def _expand(tag: str) -> str:
    return "tag:yaml.org,2002:" + tag[2:] if tag.startswith("!!") else tag


def _syntax_message(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    problem = exc.problem or exc.context or "invalid YAML"
    message = f"YAML syntax error: {problem}"
    if exc.context and exc.problem:
        message += f" ({exc.context})"
    if mark is not None:
        lines = text.split("\n")
        line = lines[mark.line] if mark.line < len(lines) else ""
        for char, hint in SYNTAX_HINTS.items():
            if char in line or (char in problem):
                return f"{message}; {hint}"
        if "\"" in problem or "quoted scalar" in problem:
            message += "; a quoted text is missing its closing quote"
    return message


def load_file(file: Path, report: Report, base: Path | None = None) -> tuple[str, Node | None]:
    """Read and parse one YAML file; returns the path as shown to users and the root node."""
    shown = display_path(file, base)
    text = read_text(file, shown, report)
    if text is None:
        return shown, None
    return shown, parse_yaml(text, shown, report)


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (symlinks resolved) lies inside ``root``."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except OSError:
        return False
