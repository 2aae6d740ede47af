"""The resolved document: what every renderer draws.

The resolve stage lowers typed sections (features, permission tables, SDKs, rights,
contact details) into this small vocabulary of numbered sections, paragraphs, lists
and tables, with inline text already split into spans and every number and
cross-reference filled in. Renderers know nothing about privacy policies.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Union

# ----------------------------------------------------------------------------- inline


@dataclass(frozen=True)
class Strong:
    children: tuple[Span, ...]


@dataclass(frozen=True)
class Emph:
    children: tuple[Span, ...]


@dataclass(frozen=True)
class Link:
    """A link to an external target (http, https, mailto, tel)."""

    href: str
    children: tuple[Span, ...]


@dataclass(frozen=True)
class Ref:
    """A cross-reference: generated text such as 第十条 pointing at one or more anchors."""

    text: str
    anchor: str


@dataclass(frozen=True)
class Untranslated:
    """Binding wording shown because its translation is missing; ``note`` says so visibly."""

    lang: str
    note: str
    children: tuple[Span, ...]


Span = Union[str, Strong, Emph, Link, Ref, Untranslated]
Inline = tuple[Span, ...]


def plain(spans: Inline) -> str:
    """The text of inline spans without markup."""
    out = []
    for span in spans:
        if isinstance(span, str):
            out.append(span)
        elif isinstance(span, Ref):
            out.append(span.text)
        else:
            out.append(plain(span.children))
    return "".join(out)

# ----------------------------------------------------------------------------- blocks


@dataclass
class Paragraph:
    content: Inline
    label: str = ""          # generated number of a clause, e.g. （一）
    anchor: str = ""


@dataclass
class Item:
    content: Inline
    label: str = ""          # generated number, e.g. 1、 or (a); empty in bulleted lists
    anchor: str = ""
    blocks: list[Block] = field(default_factory=list)


@dataclass
class List:
    items: list[Item]
    numbered: bool


@dataclass
class Table:
    header: list[str]
    rows: list[list[Inline]]
    widths: list[int] = field(default_factory=list)   # relative column widths


Block = Union[Paragraph, List, Table]


@dataclass
class Section:
    level: int               # 1 for top-level sections
    number: str              # generated, e.g. 一、 or 1.
    title: Inline
    anchor: str
    toc_title: Inline
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


@dataclass
class TocEntry:
    number: str
    title: str
    anchor: str
    level: int


@dataclass
class Edition:
    """The policy in one locale, for language switchers and alternate links."""

    lang: str                # BCP 47 tag, e.g. en
    name: str                # the language's name in that language, e.g. English
    href: str                # path of the artifact without extension, relative to this one
    current: bool
    url: str = ""            # the HTML edition's absolute address ('' without a base URL)


@dataclass
class Document:
    """A resolved policy in one locale."""

    locale: str
    lang: str                # BCP 47 for <html lang>
    title: str
    version: str
    last_updated: dt.date
    effective: dt.date
    organisation: str
    words: dict[str, str]    # fixed words of the locale (table headers, labels …)
    dates: list[tuple[str, str]]     # (label, formatted date) lines under the title
    preamble: list[Block]
    contents_title: str
    toc: list[TocEntry]
    introduction: list[Block]
    sections: list[Section]
    fonts: list[str]         # font families, in order of preference
    notices: list[str] = field(default_factory=list)   # generated lines under the dates
    editions: list[Edition] = field(default_factory=list)   # every locale's edition
    pdf_variant: str = "pdf/ua-1"    # the standard the PDF claims (WeasyPrint's variant name)
    base_url: str = ""       # where the site is published ('' when not declared), ends in /

    def walk(self):
        """All sections, depth first."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))
