"""PDF renderer: A4 through WeasyPrint, fonts embedded, outline from headings.

The PDF claims the standard the document asks for (``Document.pdf_variant``): PDF/UA-1 by
default — tagged, with its language, title shown in the window, headings, tables and
links in the structure tree — or PDF/A-3b for archived editions.

The page is the HTML edition's markup with a print stylesheet (page numbers, a table
of contents with page references). The renderer fetches nothing: any URL the layout
asks for that is not inline data is a build error. Glyphs that no installed font has
(which would print as empty boxes) are a build error naming the characters.
"""
from __future__ import annotations

import gc
import io
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass

from markupsafe import Markup

from ..diagnostics import Loc, display_path
from ..files import FileProblem, read_file
from ..document import Document
from . import Templates
from .html import render_page
from .weasyprint_import import import_weasyprint

EXTENSION = "pdf"
TEMPLATE = "pdf/policy.html.j2"
STYLESHEETS = ["html/style.css", "pdf/print.css"]
TEMPLATE_DIRS = ("pdf", "html")   # extends the HTML page (cache keys)


class RenderError(Exception):
    """The PDF cannot be made as asked (missing glyphs, a forbidden fetch); ``loc`` is
    where the cause is written, when that is known."""

    def __init__(self, message: str, loc: Loc | None = None, chars: str = ""):
        super().__init__(message)
        self.loc = loc
        self.chars = chars   # the characters no font has, when that is the cause

    def __reduce__(self):  # raised in a worker process (build -j N), reported in the build
        return (type(self), (str(self), self.loc, self.chars))


def _css_string(text: str) -> str:
    """A CSS string literal; quotes, backslashes and '<' (no </style>) are escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    return f'"{escaped}"'


def page_footer_css(template: str) -> str:
    """CSS ``content`` for a footer such as '第 {page} 页 / 共 {pages} 页'."""
    parts = []
    for piece in re.split(r"(\{pages?\})", template):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def font_stack_css(fonts: list[str]) -> str:
    return ", ".join(f if f in ("serif", "sans-serif") else _css_string(f) for f in fonts)


class _MissingGlyphs(logging.Handler):
    """Collects the characters WeasyPrint drew as .notdef (tofu)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.chars: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if ".notdef glyph" in str(record.msg) and record.args:
            self.chars.add(str(record.args[0]))


@contextmanager
def _capture_missing_glyphs():
    logger = logging.getLogger("weasyprint")
    handler = _MissingGlyphs()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class NoNetworkFetcher(URLFetcher):
        """Allows inline ``data:`` URLs only; anything else stops the build."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            error = FatalURLFetchingError(f"the PDF may not fetch '{url}'")
            error.url = url
            raise error

    return NoNetworkFetcher, FatalURLFetchingError


def _written_at(templates: Templates, url: str) -> Loc | None:
    """Where a template or stylesheet in effect writes ``url`` (WeasyPrint only says
    which URL it was asked to fetch); None when none does literally."""
    for path in templates.files() if url else ():
        if path.suffix not in (".j2", ".css", ".html"):
            continue
        try:
            text = read_file(path).decode("utf-8", errors="replace")
        except FileProblem:
            continue
        found = text.find(url)
        if found >= 0:
            line_start = text.rfind("\n", 0, found) + 1
            return Loc(display_path(path), text.count("\n", 0, found) + 1, found - line_start + 1)
    return None


def _link_descriptions(document: Document) -> dict[str, str]:
    """What each link target is, for the links' alternate text (PDF/UA): a section's
    number and title for an anchor, the linked words for an external address."""
    from ..document import Link, plain

    described = {section.anchor: f"{section.number}{plain(section.title)}".strip()
                 for section in document.walk()}

    def visit(spans) -> None:
        for span in spans:
            if isinstance(span, Link):
                described.setdefault(span.href, f"{plain(span.children)} ({span.href})")
            children = getattr(span, "children", None)
            if children:
                visit(children)

    def blocks(items) -> None:
        for block in items:
            visit(getattr(block, "content", ()))
            visit(getattr(block, "caption", ()))
            for row in (getattr(block, "header", ()), *getattr(block, "rows", ())):
                for cell in row:
                    visit(cell)
            blocks(getattr(block, "items", ()))
            blocks(getattr(block, "blocks", ()))

    blocks(document.preamble)
    blocks(document.introduction)
    for section in document.walk():
        visit(section.title)
        blocks(section.blocks)
    return described


def _accessibility_finisher(described: dict[str, str]):
    """Completes what WeasyPrint's tags leave to the author: header cells say they head
    their column (``/Scope``), and a link's alternate text names its target (as
    ``described``) instead of repeating an anchor id."""
    import pydyf

    def finish(_laid_out, pdf) -> None:
        for obj in pdf.objects:
            if not isinstance(obj, pydyf.Dictionary):
                continue
            if obj.get("Type") == "/StructElem" and obj.get("S") == "/TH":
                attributes = obj.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                attributes.setdefault("Scope", "/Column")  # policyc's tables head columns
            elif obj.get("Subtype") == "/Link" and "Contents" in obj:
                target = _pdf_string_text(obj["Contents"])
                if target in described:
                    obj["Contents"] = pydyf.String(described[target])

    return finish


def _pdf_string_text(value) -> str:
    """The text of a pydyf String (or anything else, as text)."""
    return str(getattr(value, "string", value))


# PDFs written from another document's layout (an edition's copies in other standards),
# by the digest of the document each is for, until the render that asks for it.
_COPIES: dict[str, bytes] = {}


def render(document: Document, templates: Templates) -> bytes:
    """The PDF edition of ``document``; raises :class:`RenderError` when it cannot be exact.
    Its copies in the standards of ``document.pdf_copies`` are written from the same
    layout and kept for the render of :meth:`Document.in_standard` that asks for them."""
    key = copy_key(document)
    if key in _COPIES:
        return _COPIES.pop(key)
    written = render_standards(document, templates)
    for variant in document.pdf_copies:
        copy = copy_key(document.in_standard(variant))
        if copy is not None:
            _COPIES[copy] = written[variant]
    return written[document.pdf_variant]


def copy_key(document: Document) -> str | None:
    from ..cache import document_digest

    return document_digest(document)


@dataclass(frozen=True)
class PdfPage:
    """What WeasyPrint lays out for a document, made where the build runs (the PDF's HTML
    from the templates): a PDF worker needs neither Jinja nor the document."""

    html: str
    link_descriptions: dict[str, str]   # a link target → its alternate text
    variants: tuple[str, ...]            # the standards to write, the document's own first
    font_package: str = "fonts-noto-core"   # the Debian package of the edition's fonts


def pdf_page(document: Document, templates: Templates) -> PdfPage:
    """The page of ``document``'s PDF, in its standard and in each of ``pdf_copies``."""
    html = render_page(document, templates, TEMPLATE, STYLESHEETS,
                       page_footer=Markup(page_footer_css(document.words["page_footer"])),
                       font_stack=Markup(font_stack_css(document.fonts)), lean_markup=True)
    return PdfPage(html, _link_descriptions(document),
                   tuple(dict.fromkeys((document.pdf_variant, *document.pdf_copies))),
                   document.font_package)


def render_standards(document: Document, templates: Templates) -> dict[str, bytes]:
    """The PDF of ``document`` in its standard and in each of ``document.pdf_copies``,
    from one layout (the pages are the same; the standards differ in metadata)."""
    return write_standards(pdf_page(document, templates), templates)


def write_standards(page: PdfPage, templates: Templates) -> dict[str, bytes]:
    """``page`` laid out once and written in each of its standards."""
    weasyprint = import_weasyprint()
    fetcher_cls, fatal = _fetcher_class()
    written: dict[str, bytes] = {}
    # Layout leaves its discarded boxes in reference cycles (a million objects for a
    # 360-page policy); freeing them before the PDF is written keeps the peak at the
    # layout's own size instead of layout plus writing. Freezing what exists before the
    # layout keeps that collection to the layout's objects (10 ms, not 50, on the reference).
    gc.freeze()
    with _capture_missing_glyphs() as missing:
        try:
            laid_out = weasyprint.HTML(
                string=page.html, base_url="about:blank",
                url_fetcher=fetcher_cls(allowed_protocols=("data",))).render(pdf_tags=True)
            gc.collect()
            for variant in page.variants:
                out = io.BytesIO()
                laid_out.write_pdf(out, pdf_tags=True, uncompressed_pdf=False,
                                   pdf_variant=variant,
                                   finisher=_accessibility_finisher(page.link_descriptions))
                written[variant] = out.getvalue()
        except fatal as exc:
            raise RenderError(str(exc), _written_at(templates, getattr(exc, "url", ""))) from None
        finally:
            gc.unfreeze()
    if missing.chars:
        listed = " ".join(f"'{c}' (U+{ord(c):04X})" for c in sorted(missing.chars))
        package = page.font_package
        raise RenderError(f"no installed font has a glyph for {listed}; install a font that "
                          f"covers them (Debian package {package}; for Chinese, Japanese "
                          "and Korean fonts-noto-cjk)",
                          chars="".join(sorted(missing.chars)))
    return written
