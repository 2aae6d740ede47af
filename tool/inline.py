"""Inline text: a small, safe markup language for the text fields of a policy.

Syntax (a subset of Markdown plus two additions):

* ``**bold**``, ``*italic*``, ``[link text](https://…)`` (http, https, mailto, tel only);
* ``{name}``: a declared variable, e.g. ``{app}`` or ``{email}``;
* ``{ref:id}`` / ``{ref:id1,id2}``: a cross-reference, rendered as the generated number
  of its target (第十条, Section 10);
* ``\\`` escapes the next character.

Anything else, HTML and ``{{ … }}`` included, is plain text: it is never evaluated and
every renderer escapes it.
"""
from __future__ import annotations

import re
from typing import Callable

from .diagnostics import Loc, Report
from .document import Emph, Inline, Link, Ref, Span, Strong
from .schema import Text, Url

PLACEHOLDER = re.compile(r"\{(ref:)?([A-Za-z][A-Za-z0-9_.-]*(?:\s*,\s*[A-Za-z][A-Za-z0-9_-]*)*)\}")
LINK = re.compile(r"\[([^\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")  # target: one level of (…)
SPECIAL = re.compile(r"[\\{*\[]")   # where markup may start: \ { * [


class InlineParser:
    """Parses text fields into spans, resolving variables and cross-references."""

    def __init__(self, variables: dict[str, str], resolve_ref: Callable[[list[str]], Ref | None],
                 report: Report):
        self.variables = variables
        self.resolve_ref = resolve_ref
        self.report = report

    def parse(self, text: Text | str) -> Inline:
        """Spans of ``text``; unknown variables, ids and unsafe links are reported."""
        return tuple(_merge(self._parse(text, 0, len(text))))

    def _parse(self, text: str, start: int, end: int) -> list[Span]:
        out: list[Span] = []
        i = start
        buf: list[str] = []
        while i < end:
            special = SPECIAL.search(text, i, end)
            if special is None:
                buf.append(text[i:end])
                break
            buf.append(text[i:special.start()])
            i = special.start()
            c = text[i]
            if c == "\\" and i + 1 < end:
                buf.append(text[i + 1])
                i += 2
                continue
            if c == "{":
                m = PLACEHOLDER.match(text, i, end)
                if m:
                    out.append("".join(buf))
                    buf = []
                    out.extend(self._placeholder(text, m))
                    i = m.end()
                    continue
            if c == "*":
                double = text.startswith("**", i)
                marker = "**" if double else "*"
                close = text.find(marker, i + len(marker), end)
                if double is False and close == i + 1:
                    close = -1
                if close > i + len(marker) and not text[i + len(marker)].isspace():
                    out.append("".join(buf))
                    buf = []
                    inner = tuple(_merge(self._parse(text, i + len(marker), close)))
                    out.append(Strong(inner) if double else Emph(inner))
                    i = close + len(marker)
                    continue
            if c == "[":
                m = LINK.match(text, i, end)
                if m:
                    out.append("".join(buf))
                    buf = []
                    out.append(self._link(text, m))
                    i = m.end()
                    continue
            buf.append(c)
            i += 1
        out.append("".join(buf))
        return out

    def _placeholder(self, text: str, m: re.Match) -> list[Span]:
        if m.group(1):
            ids = {part.start(): part.group() for part in re.finditer(r"[^,\s]+", m.group(2))}
            ref = self.resolve_ref(list(ids.values()))
            if ref is None:
                for offset, ident in ids.items():  # each unknown id at its own column
                    if self.resolve_ref([ident]) is None:
                        self.report.error(_loc(text, m.start(2) + offset),
                                          f"unknown id `{ident}` in cross-reference "
                                          f"{m.group(0)}")
                return [m.group(0)]
            return [ref]
        name = m.group(2)
        if name in self.variables:
            return [self.variables[name]]
        known = ", ".join(sorted(self.variables))
        self.report.error(_loc(text, m.start()), f"unknown variable `{{{name}}}`; declared variables: {known}"
                               " (declare more under `variables:` in policy.yaml, or write \\{ "
                               "for a literal brace)")
        return [m.group(0)]

    def _link(self, text: str, m: re.Match) -> Span:
        href = m.group(2)
        problem = Url.problem(href)
        if problem:
            self.report.error(_loc(text, m.start(2)), f"link target '{href}' is not allowed: only http, https, "
                                   "mailto and tel links")
            return m.group(0)
        return Link(href, tuple(_merge(self._parse(text, m.start(1), m.end(1)))))


def _loc(text: Text | str, offset: int) -> Loc:
    """Where character ``offset`` of ``text`` is in its source file."""
    return text.loc_at(offset) if isinstance(text, Text) else Loc("<text>")


def _merge(spans: list[Span]):
    """Join adjacent strings and drop empty ones."""
    buf = ""
    for span in spans:
        if isinstance(span, str):
            buf += span
            continue
        if buf:
            yield buf
            buf = ""
        yield span
    if buf:
        yield buf
