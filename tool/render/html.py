"""HTML renderer: one self-contained page (inline CSS, no external requests)."""
from __future__ import annotations

from markupsafe import Markup, escape

from ..document import Document, Emph, Inline, Link, Ref, Strong, Underline, Untranslated, plain
from . import Templates

EXTENSION = "html"
TEMPLATE = "html/policy.html.j2"
STYLESHEET = "html/style.css"
TEMPLATE_DIRS = ("html",)   # the template folders this format reads (cache keys)


def inline_html(spans: Inline) -> Markup:
    """Inline spans as HTML; every piece of source text is escaped."""
    out = []
    for span in spans:
        if isinstance(span, str):
            out.append(escape(span))
        elif isinstance(span, Strong):
            out.append(Markup("<strong>%s</strong>") % inline_html(span.children))
        elif isinstance(span, Emph):
            out.append(Markup("<em>%s</em>") % inline_html(span.children))
        elif isinstance(span, Underline):
            out.append(Markup("<u>%s</u>") % inline_html(span.children))
        elif isinstance(span, Link):
            out.append(Markup('<a href="%s">%s</a>') % (span.href, inline_html(span.children)))
        elif isinstance(span, Ref):
            out.append(Markup('<a class="xref" href="#%s">%s</a>') % (span.anchor, span.text))
        elif isinstance(span, Untranslated):
            out.append(Markup('<span class="untranslated" lang="%s">%s</span>'
                              '<small class="untranslated-mark">[%s]</small>')
                       % (span.lang, inline_html(span.children), span.note))
    return Markup("").join(out)


def cell_html(spans: Inline) -> Markup:
    """A table cell's inline spans as HTML, each line break of its text a ``<br>``."""
    return inline_html(spans).replace("\n", Markup("<br>\n"))


def render_page(document: Document, templates: Templates, template: str,
                stylesheets: list[str], **context) -> str:
    """The HTML text of ``document`` through ``template`` with the given stylesheets inlined."""
    env = templates.environment(autoescape=True)
    env.filters["inline"] = inline_html
    env.filters["plain"] = plain
    env.filters["cell"] = cell_html
    css = "\n".join(templates.read(name) for name in stylesheets)
    return env.get_template(template).render(doc=document, css=Markup(css), **context)


def render(document: Document, templates: Templates) -> bytes:
    """The HTML edition of ``document``."""
    return render_page(document, templates, TEMPLATE, [STYLESHEET]).encode("utf-8")
