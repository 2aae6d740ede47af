"""The common outline every reader produces: a flat run of entries in reading order.

A reader turns its format into :class:`Entry` objects — headings (with a level when the
format has one), paragraphs, list items and tables — each remembering where it was in
the input (a line of a text, Markdown or HTML file, a paragraph number of a Word file)
and the numbering found on it (:class:`Marker`). Text is already in policyc's inline
syntax: literal characters that the syntax would read as markup are escaped, so what
the input says stays data.
"""
from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field

from ..diagnostics import Loc, PolicyError, Report
from ..files import FileProblem, read_file
from ..inline import SPECIAL

MAX_INPUT_BYTES = 8 * 1024 * 1024
"""Inputs larger than this are refused (the longest published policies are < 1 MiB)."""

def escape(text: str) -> str:
    """``text`` as inline syntax that shows exactly ``text``: every character where the
    inline syntax may start markup (:data:`policyc.inline.SPECIAL`: ``\\ { * [``) is
    escaped with a backslash."""
    return SPECIAL.sub(lambda m: "\\" + m.group(), text)


def plain(inline: str) -> str:
    """The text a reader sees of ``inline``: escapes undone, bold/italic marks and
    link targets removed."""
    out: list[str] = []
    links = 0
    i = 0
    while i < len(inline):
        c = inline[i]
        if c == "\\" and i + 1 < len(inline):
            out.append(inline[i + 1])
            i += 2
            continue
        if c == "*":
            i += 1
            continue
        if c == "]" and links and inline.startswith("](", i):
            close = inline.find(")", i)
            i = close + 1 if close > 0 else i + 1
            links -= 1
            continue
        if c == "[":
            links += 1
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class Marker:
    """Numbering found on an entry: its family (the shape of the label, e.g. ``（一）``
    or ``1.1``), its value within the family and the label as it appeared."""

    family: str
    value: int
    label: str
    ordered: bool = True


@dataclass
class Entry:
    """One heading, paragraph, list item or table of the input."""

    kind: str                      # "heading" | "para" | "item" | "table"
    text: str = ""                 # inline syntax, numbering label removed
    line: int = 0                  # line (text formats) or paragraph number (Word)
    level: int | None = None       # heading level given by the format (h2 → 2)
    marker: Marker | None = None
    rows: list[list[str]] = field(default_factory=list)  # tables: cells in inline syntax

    @property
    def plain(self) -> str:
        return plain(self.text)


@dataclass
class Outline:
    """What a reader found: the entries and how the input was read."""

    path: str                      # the input as shown to the user
    fmt: str                       # "text", "markdown", "html", "docx"
    entries: list[Entry]
    encoding: str = "utf-8"
    unit: str = "line"             # how Entry.line counts: "line" or "paragraph"
    dropped: list[tuple[int, str]] = field(default_factory=list)  # (line, what) left out
    front_matter: dict[str, str] = field(default_factory=dict)  # Markdown YAML front matter

    def where(self, line: int) -> str:
        """``path:line`` (Word: ``path:¶N``, the paragraph number)."""
        return f"{self.path}:{line}" if self.unit == "line" else f"{self.path}:¶{line}"


SAFE_LINK = re.compile(r"(https?://[^\s<>\"]+|mailto:[^\s<>\"]+|tel:[0-9+()\- ]+|"
                       r"#[A-Za-z0-9][A-Za-z0-9_-]*)$")
"""Link targets an import keeps: web, mail and phone addresses, and places on the page
(``#3-1-basic-account-data``, kept when a section takes that anchor)."""


def link(text: str, href: str) -> str:
    """A link in inline syntax when ``href`` is one policyc allows, else just its text."""
    href = href.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{text}]({href})" if text.strip() and SAFE_LINK.match(href) else text


def refuse(path: str, message: str, line: int = 0, col: int = 0) -> PolicyError:
    """The error for input that cannot be imported (raise it)."""
    report = Report()
    report.error(Loc(path, line, col), message)
    return PolicyError(report)


def read_limited(path, shown: str) -> bytes:
    """The bytes of ``path``; too large, missing or unreadable inputs (a FIFO, a device)
    are refused."""
    try:
        data = read_file(path, limit=MAX_INPUT_BYTES)
    except FileProblem as exc:
        if exc.errno == errno.EFBIG:
            raise refuse(shown, f"the file is too large; policyc imports files up to "
                                f"{MAX_INPUT_BYTES:,} bytes") from None
        raise refuse(shown, f"cannot read the file: {exc.strerror or exc}") from None
    if not data.strip():
        raise refuse(shown, "the file is empty")
    return data
