"""Inline text: a small, safe markup language for the text fields of a policy.

Syntax (a subset of Markdown plus three additions):

* ``**bold**`` or ``__bold__``, ``*italic*`` or ``_italic_``, ``***bold italic***``;
* ``++underlined++`` (key clauses; CommonMark has no meaning for ``++``, so it reads as
  written in any other Markdown tool);
* ``[link text](target)``: an http, https, mailto or tel URL; a relative path such as
  ``/cookies`` resolved against ``base_url`` in policy.yaml; ``#anchor`` (a place on the
  page itself, kept as written); ``{ref:id}`` (a link to a section or item of the policy). Variables may be part of a target:
  ``[{email}](mailto:{email})``;
* ``{name}``: a declared variable, e.g. ``{app}`` or ``{email}``;
* ``{ref:id}`` / ``{ref:id1,id2}``: a cross-reference, rendered as the generated number
  of its target (第十条, Section 10);
* ``\\`` escapes the next character.

``*`` and ``++`` open when the next character is not a space and close when the previous
one is not (so they work next to Chinese punctuation: ``**重要：**内容``); ``_`` and ``++``
do not open or close inside a word (``snake_case``, ``C++``). Anything else, HTML and
``{{ … }}`` included, is plain text: it is never evaluated and every renderer escapes it.

The parser makes one pass over the text and keeps a stack of open delimiters and one of
open brackets (the CommonMark algorithm, with its "openers bottom" so that an unmatched
run is searched only once): its time is linear in the length of the text, whatever it holds.
"""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Callable

from .diagnostics import Loc, Report
from .document import Emph, Inline, Link, Ref, Span, Strong, Underline, plain
from .schema import Text, Url

PLACEHOLDER = re.compile(r"\{(ref:)?([A-Za-z][A-Za-z0-9_.-]*(?:\s*,\s*[A-Za-z][A-Za-z0-9_-]*)*)\}")
SPECIAL = re.compile(r"[\\{*_+\[\]]")   # where markup may start or end
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
FRAGMENT = re.compile(r"#[\w-]+")
MAX_DEPTH = 16                         # spans inside spans; deeper markup is an error


@dataclass(slots=True)
class _Delim:
    """A run of ``*``, ``_`` or ``+`` that may still open a span."""

    char: str
    count: int
    can_open: bool
    can_close: bool
    length: int = 0          # of the run as written (CommonMark's "rule of 3")


@dataclass(slots=True)
class _Bracket:
    """An ``[`` that may still start a link; ``delims``: the delimiter stack below it."""

    node: int
    delims: int


class InlineParser:
    """Parses text fields into spans, resolving variables and cross-references."""

    def __init__(self, variables: dict[str, str], resolve_ref: Callable[[list[str]], Ref | None],
                 report: Report, base_url: str | None = None):
        self.variables = variables
        self.resolve_ref = resolve_ref
        self.report = report
        self.base_url = base_url

    def parse(self, text: Text | str) -> Inline:
        """Spans of ``text``; unknown variables, ids and unsafe links are reported."""
        return _Pass(self, text).run()

    # -------------------------------------------------------------- placeholders, links

    def placeholder(self, text: str, m: re.Match) -> Span:
        """The value of a ``{name}`` or ``{ref:…}`` match (reported and kept if unknown)."""
        if m.group(1):
            return self._ref(text, m) or m.group(0)
        name = m.group(2)
        if name in self.variables:
            return self.variables[name]
        known = ", ".join(sorted(self.variables))
        self.report.error(_loc(text, m.start()), f"unknown variable `{{{name}}}`; declared variables: {known}"
                               " (declare more under `variables:` in policy.yaml, or write \\{ "
                               "for a literal brace)")
        return m.group(0)

    def _ref(self, text: str, m: re.Match) -> Ref | None:
        ids = {part.start(): part.group() for part in re.finditer(r"[^,\s]+", m.group(2))}
        ref = self.resolve_ref(list(ids.values()))
        if ref is None:
            for offset, ident in ids.items():  # each unknown id at its own column
                if self.resolve_ref([ident]) is None:
                    self.report.error(_loc(text, m.start(2) + offset),
                                      f"unknown id `{ident}` in cross-reference {m.group(0)}")
        return ref

    def href(self, text: str, start: int, end: int) -> str | None:
        """The URL of the link target ``text[start:end]``, or None (reported) when not allowed."""
        target = text[start:end]
        whole = PLACEHOLDER.fullmatch(target)
        if whole and whole.group(1):
            ref = self._ref(text, PLACEHOLDER.match(text, start, end))
            return None if ref is None else "#" + ref.anchor
        failed = False

        def value(m: re.Match) -> str:
            nonlocal failed
            if m.group(1):
                self.report.error(_loc(text, start + m.start()), f"a cross-reference is a whole link "
                                  f"target: write [text]({m.group(0)}) without anything around it")
                failed = True
                return m.group(0)
            span = self.placeholder(text, PLACEHOLDER.match(text, start + m.start(),
                                                            start + m.end()))
            failed = failed or span == m.group(0)
            return span

        href = PLACEHOLDER.sub(value, target)
        if failed:
            return None
        if FRAGMENT.fullmatch(href):
            return href   # a place on the page itself (an anchor or a heading's slug)
        if not SCHEME.match(href) and not href.startswith(("//", "\\", "/\\")):
            if not self.base_url:
                self.report.error(_loc(text, start), f"relative link target '{href}' needs "
                                  "`base_url` in policy.yaml (the address it is relative to), "
                                  "or write the full https:// address")
                return None
            href = urllib.parse.urljoin(self.base_url, href)
        if Url.problem(href):
            self.report.error(_loc(text, start), f"link target '{href}' is not allowed: only "
                              "http, https, mailto and tel links")
            return None
        return href


class _Pass:
    """One parse of one text: the nodes so far and the two stacks."""

    def __init__(self, parser: InlineParser, text: str):
        self.parser = parser
        self.text = text
        self.nodes: list = []                    # str, spans, _Delim, _Bracket
        self.delims: list[tuple[_Delim, int]] = []   # open delimiters and their node index
        self.bottom: dict[tuple, int] = {}       # per kind of closer: no opener below this
        self.brackets: list[_Bracket] = []
        self.depth: dict[int, int] = {}          # id(span) → nesting depth
        self.too_deep = False

    def run(self) -> Inline:
        text, n, i, nodes = self.text, len(self.text), 0, self.nodes
        buf: list[str] = []
        while i < n:
            special = SPECIAL.search(text, i)
            if special is None:
                buf.append(text[i:])
                break
            j = special.start()
            buf.append(text[i:j])
            c = text[j]
            i = j + 1
            if c == "\\":
                if i < n:
                    buf.append(text[i])
                    i += 1
                else:
                    buf.append(c)
                continue
            if c == "{":
                m = PLACEHOLDER.match(text, j)
                if m is None:
                    buf.append(c)
                    continue
                self._flush(buf)
                self.nodes.append(self.parser.placeholder(text, m))
                i = m.end()
                continue
            if c == "[":
                if buf:
                    nodes.append("".join(buf))
                    buf.clear()
                bracket = _Bracket(len(nodes), len(self.delims))
                self.brackets.append(bracket)
                nodes.append(bracket)
                continue
            if c == "]":
                end = self._target_end(j + 1)
                if self.brackets and end is not None:
                    self._flush(buf)
                    self._link(self.brackets.pop(), j + 2, end)
                    i = end + 1
                    continue
                if self.brackets:
                    self.brackets.pop()  # its "[" stays literal text
                buf.append(c)
                continue
            k = j
            while k < n and text[k] == c:
                k += 1
            i = k
            if c == "+" and k - j < 2:
                buf.append(c)
                continue
            self._flush(buf)
            self._delimiter(c, k - j, text[j - 1] if j else " ", text[k] if k < n else " ", k)
        self._flush(buf)
        return _finish(self.nodes)

    def _flush(self, buf: list[str]) -> None:
        if buf:
            self.nodes.append("".join(buf))
            buf.clear()

    # -------------------------------------------------------------- emphasis

    def _delimiter(self, char: str, count: int, before: str, after: str, end: int) -> None:
        open_ = not after.isspace()
        close = not before.isspace()
        if char == "_":
            open_ = open_ and not before.isalnum()
            close = close and not after.isalnum()
        elif char == "+":
            open_ = open_ and not (before.isascii() and before.isalnum())
            close = close and not (after.isascii() and after.isalnum())
        delim = _Delim(char, count, open_, close, count)
        if close:
            self._close(delim, end)
        if delim.count and open_:
            self.delims.append((delim, len(self.nodes)))
        self.nodes.append(delim)

    def _close(self, closer: _Delim, end: int) -> None:
        """Match ``closer`` with the nearest opener of its character, as often as it can."""
        if self.too_deep:   # reported: the rest of the text stays literal
            return
        key = (closer.char, closer.can_open, closer.length % 3)
        while closer.count >= (2 if closer.char == "+" else 1):
            k = len(self.delims) - 1
            floor = self.bottom.get(key, 0)
            while k >= floor and not self._matches(self.delims[k][0], closer):
                k -= 1
            if k < floor:
                self.bottom[key] = len(self.delims)
                return
            opener, node = self.delims[k]
            use = 2 if closer.char == "+" or (opener.count >= 2 and closer.count >= 2) else 1
            opener.count -= use
            closer.count -= use
            kind = Underline if closer.char == "+" else Strong if use == 2 else Emph
            self._wrap(node + 1, kind, end)
            del self.delims[k + (opener.count > 0):]   # what lay between can no longer match
            self._clamp()

    @staticmethod
    def _matches(opener: _Delim, closer: _Delim) -> bool:
        """Whether ``closer`` may close ``opener`` (same character; CommonMark's rule of 3)."""
        if opener.char != closer.char or opener.count < (2 if closer.char == "+" else 1):
            return False
        if (opener.can_close or closer.can_open) and (opener.length + closer.length) % 3 == 0:
            return opener.length % 3 == 0 and closer.length % 3 == 0
        return True

    def _wrap(self, first: int, kind, end: int) -> None:
        """Make nodes ``first…`` the children of a new ``kind`` span."""
        children = _finish(self.nodes[first:])
        depth = self._depth(children)
        if depth > MAX_DEPTH:
            self.parser.report.error(_loc(self.text, end), "inline markup nested more than "
                                     f"{MAX_DEPTH} levels deep; write it flatter")
            self.too_deep = True
            children, depth = (plain(children),), 1
        span = kind(children)
        self.depth[id(span)] = depth
        del self.nodes[first:]
        self.nodes.append(span)
        while self.brackets and self.brackets[-1].node >= first:
            self.brackets.pop()   # a "[" inside the span can no longer start a link

    def _depth(self, children: Inline) -> int:
        """Nesting depth of a span holding ``children``."""
        return 1 + max((self.depth.get(id(c), 0) for c in children if not isinstance(c, str)),
                       default=0)

    def _clamp(self) -> None:
        for char, floor in self.bottom.items():
            self.bottom[char] = min(floor, len(self.delims))

    # -------------------------------------------------------------- links

    def _target_end(self, i: int) -> int | None:
        """Index of the ``)`` closing a link target ``(…)`` that starts at ``i``, or None."""
        text = self.text
        if not text.startswith("(", i):
            return None
        depth, k = 0, i + 1
        while k < len(text):
            c = text[k]
            if c.isspace():
                return None
            if c == "(":
                if depth:
                    return None   # one level of (…) inside a target
                depth = 1
            elif c == ")":
                if not depth:
                    return k if k > i + 1 else None
                depth = 0
            k += 1
        return None

    def _link(self, bracket: _Bracket, start: int, end: int) -> None:
        del self.delims[bracket.delims:]   # unmatched delimiters in the link text stay literal
        self._clamp()
        children = tuple(c.text if isinstance(c, Ref) else c  # no link inside a link
                         for c in _finish(self.nodes[bracket.node + 1:]))
        href = self.parser.href(self.text, start, end)
        del self.nodes[bracket.node:]
        if href is None:   # reported: the link shows as written
            self.nodes.extend(("[",) + children + ("](" + self.text[start:end] + ")",))
            return
        link = Link(href, children)
        self.depth[id(link)] = self._depth(children)
        self.nodes.append(link)
        self.brackets.clear()   # links do not nest: earlier "[" are plain text


def _finish(nodes: list) -> Inline:
    """Spans of parse nodes: leftover delimiters and brackets as text, adjacent text joined."""
    out: list[Span] = []
    buf: list[str] = []
    for node in nodes:
        if isinstance(node, _Delim):
            buf.append(node.char * node.count)
        elif isinstance(node, _Bracket):
            buf.append("[")
        elif isinstance(node, str):
            buf.append(node)
        else:
            if buf:
                out.append("".join(buf))
                buf = []
            out.append(node)
    joined = "".join(buf)
    if joined:
        out.append(joined)
    return tuple(s for s in out if s != "")


def _loc(text: Text | str, offset: int) -> Loc:
    """Where character ``offset`` of ``text`` is in its source file."""
    return text.loc_at(offset) if isinstance(text, Text) else Loc("<text>")
