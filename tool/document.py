"""The resolved document: what every renderer draws.

The resolve stage lowers typed sections (features, permission tables, SDKs, rights,
contact details) into this small vocabulary of numbered sections, paragraphs, lists
and tables, with inline text already split into spans and every number and
cross-reference filled in. Renderers know nothing about privacy policies.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Union

# ----------------------------------------------------------------------------- inline


@dataclass(frozen=True)
class Strong:
    children: tuple[Span, ...]


@dataclass(frozen=True)
class Emph:
    children: tuple[Span, ...]


@dataclass(frozen=True)
class Underline:
    """Underlined text (``++key clause++``): <u> in HTML and PDF, <ins> in Markdown."""

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


Span = Union[str, Strong, Emph, Underline, Link, Ref, Untranslated]
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
    header: list[Inline]     # one cell per column
    rows: list[list[Inline]]     # each as wide as the header
    widths: list[int] = field(default_factory=list)   # relative column widths
    caption: Inline = ()     # printed above the table; () for none


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
    after: list[Block] = field(default_factory=list)    # printed after the subsections
    matter: str = "body"     # "front" / "back": unnumbered sections around the body
    heading: bool = True     # False: no heading; its number and title run in its first block


@dataclass
class TocEntry:
    number: str
    title: str
    anchor: str
    level: int


@dataclass
class ListTable:
    """A list published beside the policy (the MIIT lists): plain-text cells and links."""

    stem: str                # file name without extension, e.g. collected-data-list
    title: str
    columns: tuple[str, ...]
    rows: list[list]         # each cell a str or a Link
    app: str = ""            # the app's name, shown before the title
    meta: str = ""           # organisation · version · effective date


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
    version: str             # "" when the policy states none
    last_updated: dt.date
    effective: dt.date | None
    organisation: str
    words: dict[str, str]    # fixed words of the locale (table headers, labels …)
    dates: list[tuple[str, str]]     # (label, formatted date or version) under the title
    preamble: list[Block]
    contents_title: str
    toc: list[TocEntry]
    introduction: list[Block]
    sections: list[Section]
    fonts: list[str]         # font families, in order of preference
    notices: list[str] = field(default_factory=list)   # generated lines under the dates
    title_anchor: str = "top"   # the title's anchor: GitHub's slug of the title
    editions: list[Edition] = field(default_factory=list)   # every locale's edition
    paper: str = "A4"        # the PDF's page size: A4, A5, Letter, Legal
    front_matter: dict[str, str] = field(default_factory=dict)  # Markdown YAML front matter
    # Every structured fact this edition prints, as "subject/field": subject is
    # feature:<id or name>, sdk:<id or name>, right:<kind>, row:<feature id or name> or
    # policy; field is the model's field name or dotted path (policy/storage.region).
    published: set[str] = field(default_factory=set)
    # The lines under the title as printed (the policy may word them: `dates:`), one per
    # entry of `dates`, in the same order.
    date_lines: list[Inline] = field(default_factory=list)
    lists: list[ListTable] = field(default_factory=list)   # the MIIT lists, when published
    pdf_variant: str = "pdf/ua-1"    # the standard the PDF claims (WeasyPrint's variant name)
    # standards of copies written from the same layout (the archived PDF/A of an edition)
    pdf_copies: tuple[str, ...] = ()
    base_url: str = ""       # where the site is published ('' when not declared), ends in /

    def in_standard(self, variant: str) -> Document:
        """This document's PDF copy in the standard ``variant`` (see ``pdf_copies``)."""
        return replace(self, pdf_variant=variant, pdf_copies=())

    def walk(self):
        """All sections, depth first."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))
