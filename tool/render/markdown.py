"""Markdown renderer: GitHub-flavoured Markdown that renders the same on GitHub and GitLab.

Text is escaped so that nothing in the sources turns into markup (HTML, list markers,
table pipes); bold and italic fall back to ``<strong>``/``<em>`` where CommonMark's
emphasis rules would not open or close ``**`` next to CJK punctuation. Links are
inline HTML (``<a href="…">words</a>``), as GitHub, GitLab and pandoc render them, so
that a sentence holding a link reads as one run of text in the file too; links to
sections use the heading slugs GitHub generates.
"""
from __future__ import annotations

import re
import unicodedata
from html import escape as html_escape
from urllib.parse import quote

from ..document import (Document, Emph, Inline, Link, Ref, Strong, Underline, Untranslated, plain,
                        Paragraph, List)
from . import Templates

EXTENSION = "md"
TEMPLATE = "markdown/policy.md.j2"
TEMPLATE_DIRS = ("markdown",)   # the template folders this format reads (cache keys)

# CommonMark's inline syntax characters; "!" before a link (an image), "#" after a space
# (a heading's closing sequence), "&" before an entity.
ESCAPED = re.compile(r"([\\`*_\[\]<|~]|&(?=#?\w+;)|!(?=\[|$)|(?<!\S)#)")
LINE_ENDING = re.compile(r"(?<![ \t])[ \t]*(?:\r\n?|\n)\s*")    # CommonMark ends a line at LF, CR, CRLF
# what a link's address keeps as written (as CommonMark renderers do); the rest is %-encoded
URL_SAFE = "%;/?:@&=+$,-_.!~*'()#"
# where GitHub's autolinks start (an address's "@", a URL's ":", "www."): escaped in a
# link's words, which would otherwise become a second link inside the first
AUTOLINK_START = re.compile(r"[@:]|(?<=www)\.", re.IGNORECASE)
LINE_START = re.compile(r"^([>+=-])|^(\d+)([.)])(?=[ \t]|$)")


def escape_md(text: str, line_break: str = " ") -> str:
    """Escape Markdown-significant characters so the text comes out literally, on one
    line (a line break in a source text is ``line_break``: a space, or a table cell's
    ``<br>``)."""
    text = ESCAPED.sub(r"\\\1", text)
    return LINE_ENDING.sub(line_break, text)


def escape_line_start(line: str) -> str:
    """Escape what would make a paragraph line a heading, list, quote, rule or code block:
    leading white space (four spaces start code) is dropped, a leading ``>``, ``+``,
    ``=`` or ``-`` and the ``.``/``)`` of ``1.``/``1)`` get a backslash."""
    line = line.lstrip(" \t")
    return LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1)
                          else m.group(2) + "\\" + m.group(3), line, count=1)


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _emphasis(inner: str, marker: str, tag: str, before: str, after: str) -> str:
    """``**inner**`` when CommonMark would see the delimiters, else an HTML tag."""
    if not inner:
        return ""
    first, last = inner[0], inner[-1]
    opens = not first.isspace() and (not _is_punct(first) or not before
                                     or before.isspace() or _is_punct(before))
    closes = not last.isspace() and (not _is_punct(last) or not after
                                     or after.isspace() or _is_punct(after))
    if opens and closes:
        return f"{marker}{inner}{marker}"
    return f"<{tag}>{inner}</{tag}>"


class _InlineWriter:
    def __init__(self, slugs: dict[str, str], line_break: str = " "):
        self.slugs = slugs   # anchor → GitHub's heading slug, for links inside the policy
        self.line_break = line_break   # what a line break in the text becomes
        self.in_link = False

    def __call__(self, spans: Inline) -> str:
        parts = [self._span(span) for span in spans]
        following = [""] * len(spans)   # first character of the text after each span
        nxt = ""
        for k in range(len(spans) - 1, -1, -1):
            following[k] = nxt
            nxt = parts[k][:1] or nxt
        out: list[str] = []
        before = ""
        for k, span in enumerate(spans):
            if isinstance(span, (Strong, Emph)):
                inner = self(span.children)
                marker, tag = ("**", "strong") if isinstance(span, Strong) else ("*", "em")
                parts[k] = _emphasis(inner, marker, tag, before, following[k])
            out.append(parts[k])
            before = parts[k][-1:] or before
        return "".join(out)

    def _span(self, span) -> str:
        if isinstance(span, str):
            text = escape_md(span, self.line_break)
            return AUTOLINK_START.sub(r"\\\g<0>", text) if self.in_link else text
        if isinstance(span, Underline):
            return f"<ins>{self(span.children)}</ins>"
        if isinstance(span, Link):
            href = span.href
            if href.startswith("#"):   # a section: the slug GitHub gives its heading
                href = "#" + self.slugs.get(href[1:], href[1:])
            self.in_link = True
            try:
                words = self(span.children)
            finally:
                self.in_link = False
            return f'<a href="{html_escape(quote(href, safe=URL_SAFE))}">{words}</a>'
        if isinstance(span, Ref):
            return escape_md(span.text)  # plain text: the number reads the same everywhere
        if isinstance(span, Untranslated):
            return f'<span lang="{span.lang}">{self(span.children)}</span> ' \
                   f"\\[{escape_md(span.note)}\\]"
        return ""  # Strong/Emph are written by __call__, which knows their neighbours


def github_slugs(document: Document) -> dict[str, str]:
    """Anchor of every section and item → the slug GitHub gives the heading that holds it."""
    used: dict[str, int] = {}
    out: dict[str, str] = {}

    def slug(text: str) -> str:
        base = re.sub(r"[^\w\- ]", "", text.strip().lower(), flags=re.UNICODE).replace(" ", "-")
        n = used.get(base, 0)
        used[base] = n + 1
        return base if n == 0 else f"{base}-{n}"

    def items(blocks, target):
        for block in blocks:
            if isinstance(block, Paragraph) and block.anchor:
                out[block.anchor] = target
            elif isinstance(block, List):
                for item in block.items:
                    if item.anchor:
                        out[item.anchor] = target
                    items(item.blocks, target)

    heading = slug(document.title)
    for section in document.walk():
        if section.heading:  # else it runs in under the heading before it
            heading = slug(section.number + plain(section.title))
        out[section.anchor] = heading
        items(section.blocks, heading)
        items(section.after, heading)
    return out


def front_matter_yaml(document: Document) -> str:
    """The edition's front matter as YAML lines: every value a double-quoted string, so
    nothing in it is read as YAML syntax (or closes the block)."""
    def quoted(text: str) -> str:
        return '"' + "".join(c if c not in '"\\' and c.isprintable() else
                             f"\\u{ord(c):04x}" if not c.isprintable() else "\\" + c
                             for c in text) + '"'
    return "\n".join(f"{key}: {quoted(value)}" for key, value in document.front_matter.items())


def render(document: Document, templates: Templates) -> bytes:
    """The Markdown edition of ``document``."""
    slugs = github_slugs(document)
    env = templates.environment(autoescape=False)
    env.filters["inline"] = _InlineWriter(slugs)
    env.filters["cell"] = _InlineWriter(slugs, line_break="<br>")   # a table cell's lines
    env.filters["md"] = escape_md
    env.filters["line"] = escape_line_start
    text = env.get_template(TEMPLATE).render(doc=document, slugs=slugs,
                                             front_matter=front_matter_yaml(document))
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text.encode("utf-8")
