"""The site around the editions: the entry page ``index.html`` and ``sitemap.xml``.

The entry page lists every edition of the policy with its formats, the MIIT lists, the
changes and archive pages; a small inline script sends the reader to the edition in the
first language of ``navigator.languages`` that the policy has, and the plain list is
what shows without script (or with ``?all``). It loads nothing from anywhere.

With a base URL (``base_url:`` in policy.yaml or ``build --base-url``), ``sitemap.xml``
lists every HTML page with its absolute address, the language alternates of each
edition and the date of the last update. A batch of policies gets one entry page
listing them (:func:`batch_index`).
"""
from __future__ import annotations

import json
from html import escape as html_escape
from dataclasses import dataclass, field
from urllib.parse import quote

from markupsafe import Markup

from . import Templates

INDEX = "index.html"
SITEMAP = "sitemap.xml"
TEMPLATE = "site/index.html.j2"
BATCH_TEMPLATE = "site/batch.html.j2"
STYLESHEET = "site/site.css"
TEMPLATE_DIRS = ("site",)

EDITION_FORMATS = ("html", "pdf", "md", "docx")
PAGE_ORDER = ("changes.html", "archive.html", "collected-data-list.html",
              "third-party-sharing-list.html", "collected-data-list.csv",
              "third-party-sharing-list.csv", "changes.md", "changes.docx", "archive.md")


def labels(lang: str) -> dict[str, str]:
    """The entry page's words in ``lang`` (its message catalog's ``site:`` messages): what
    each artifact is, by the format the manifest gives it; English without a catalog."""
    from ..locales import messages

    return {key[5:]: value for key, value in messages(lang).items() if key.startswith("site:")}


@dataclass
class SiteLink:
    label: str
    href: str
    format: str


@dataclass
class SiteEdition:
    """One locale's edition as the entry page lists it."""

    locale: str
    lang: str
    language: str            # the language's name in that language
    title: str
    href: str                # the HTML edition, when built ('' otherwise)
    editions: list[SiteLink] = field(default_factory=list)   # the policy in each format
    pages: list[SiteLink] = field(default_factory=list)      # lists, changes, archive


def site_editions(documents: list, artifacts: list) -> list[SiteEdition]:
    """The entry page's view of each document (one per locale) and its artifacts."""
    by_locale: dict[str, list] = {}
    for artifact in artifacts:
        if not artifact.format.startswith("archived-"):
            by_locale.setdefault(artifact.locale, []).append(artifact)
    out = []
    for document in documents:
        words = labels(document.lang)
        mine = sorted(by_locale.get(document.locale, []), key=lambda a: a.path)
        formats = {a.format: a for a in mine}
        editions = [SiteLink(words[f], formats[f].path, f) for f in EDITION_FORMATS
                    if f in formats]
        others = sorted((a for a in mine if a.format not in EDITION_FORMATS),
                        key=lambda a: (PAGE_ORDER.index(a.format) if a.format in PAGE_ORDER
                                       else len(PAGE_ORDER), a.path))
        pages = [SiteLink(words.get(a.format, a.path.rsplit("/", 1)[-1]), a.path, a.format)
                 for a in others]
        name = next((e.name for e in document.editions if e.current), document.lang)
        out.append(SiteEdition(document.locale, document.lang, name, document.title,
                               formats["html"].path if "html" in formats else "",
                               editions, pages))
    return out


def index_page(documents: list, artifacts: list, templates: Templates) -> bytes:
    """The entry page of one policy's build."""
    editions = site_editions(documents, artifacts)
    first = documents[0]
    choices = [{"lang": e.lang.lower(), "href": e.href} for e in editions if e.href]
    return _render(templates, TEMPLATE, lang=first.lang, title=first.title,
                   version=first.version, words=labels(first.lang), editions=editions,
                   choices=_script_json(choices))


@dataclass
class SitePolicy:
    """One policy of a batch, as the batch's entry page lists it."""

    name: str
    title: str
    version: str
    locales: list[str]
    href: str


def batch_index(policies: list[SitePolicy], templates: Templates) -> bytes:
    """The entry page of a batch: every policy, linking to its own entry page."""
    return _render(templates, BATCH_TEMPLATE, lang="en", words=labels("en"),
                   policies=policies)


def sitemap(base_url: str, documents: list, artifacts: list) -> bytes:
    """sitemap.xml: every HTML page at its absolute address; each edition with the
    other languages' editions as alternates."""
    alternates = [(d.lang, _absolute(base_url, f"{d.locale}/")) for d in documents]
    updated = documents[0].last_updated
    lastmod = f"<lastmod>{updated.isoformat()}</lastmod>" if updated else ""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    edition_paths = {f"{d.locale}/": d for d in documents}
    pages = sorted({a.path for a in artifacts if a.path.endswith(".html")} | {INDEX})
    for path in pages:
        lines.append(f"<url><loc>{xml_escape(_absolute(base_url, path))}</loc>{lastmod}")
        folder, _, name = path.rpartition("/")
        if f"{folder}/" in edition_paths and len(documents) > 1:
            for lang, prefix in alternates:
                lines.append(f'<xhtml:link rel="alternate" hreflang="{xml_escape(lang)}" '
                             f'href="{xml_escape(prefix + name)}"/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def normalise_base_url(url: str) -> str:
    """``url`` ending in '/'; raises ValueError unless it is an absolute http(s) address."""
    if not url.startswith(("https://", "http://")) or len(url.split("/")) < 3 or \
            not url.split("/")[2] or any(c.isspace() for c in url):
        raise ValueError(f"'{url}' is not an absolute http or https address")
    return url if url.endswith("/") else url + "/"


def xml_escape(text: str) -> str:
    """Text escaped for an XML element or attribute (xml.sax.saxutils would import
    urllib.request, 20 ms of every build)."""
    return html_escape(text, quote=True)


def _absolute(base_url: str, path: str) -> str:
    return base_url + quote(path)


def _script_json(value) -> Markup:
    """JSON that can stand inside <script>: no '</script>' or '<!--' can be formed."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _render(templates: Templates, template: str, **context) -> bytes:
    env = templates.environment(autoescape=True)
    css = Markup(templates.read(STYLESHEET))
    return env.get_template(template).render(css=css, **context).encode("utf-8")
