"""Reader of HTML policies (.html, .htm), parsed by lxml.html.

Scripts, styles, forms, frames and embedded objects are dropped before anything is read
(they are never executed, and nothing of them reaches the sources). Headings give sections their levels, lists keep their nesting, tables
their cells, ``<br>`` separates paragraphs, and the numbers typed in paragraphs are read
as in a text. Footers, asides, navigation outside ``<main>``/``<article>`` and headers
without the page title are page furniture and left out. Entity declarations (a DOCTYPE with an internal subset) are refused.
"""
from __future__ import annotations

import re

from .numbering import split_marker
from .outline import Entry, Marker, Outline, escape, link, read_limited, refuse
from .text import check_text, decode

DROP = {"script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
        "embed", "applet", "svg", "math", "form", "button", "input", "select", "textarea",
        "canvas", "video", "audio", "head", "link", "meta"}
CHROME = {"nav", "header", "footer", "aside"}
HEADINGS = {f"h{k}": k for k in range(1, 7)}
BLOCKS = {"p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li",
          "table", "dl", "dt", "dd", "figure", "figcaption", "address", "center", "body",
          "tr", "td", "th", "thead", "tbody", "tfoot", *HEADINGS, "hr", *CHROME}
MAX_COLUMNS = 64      # columns one table cell may span
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


def decode_html(data: bytes, shown: str, encoding: str | None) -> tuple[str, str]:
    if not encoding:
        declared = META_CHARSET.search(data[:4096])
        if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            name = declared.group(1).decode("ascii").lower()
            encoding = "gb18030" if name in ("gb2312", "gbk", "gb18030") else name
    return decode(data, shown, encoding)


class _Reader:
    def __init__(self):
        self.entries: list[Entry] = []
        self.lists: list[list] = []
        self.previous = None

    def block(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in HEADINGS:
            text = _inline(element)
            if text:
                marker, rest = split_marker(text)
                self.entries.append(Entry("heading", rest.strip() if marker else text,
                                          element.sourceline or 0, HEADINGS[tag], marker))
            return
        if tag == "table":
            self.table(element)
            return
        if tag in ("ul", "ol"):
            start = int(element.get("start", "1")) if (element.get("start") or "1").isdigit() \
                else 1
            self.lists.append([tag == "ol", start, len(self.lists) + 1])
            for child in element:
                self.block(child)
            self.lists.pop()
            return
        self.mixed(element, [tag == "li" and bool(self.lists)])

    def mixed(self, element, first: list[bool]) -> None:
        """Inline runs of ``element`` become paragraphs (the first one the list item while
        ``first[0]``); block children are read in order between them."""
        run: list = []

        def flush():
            for piece in _split_breaks(run):
                self.paragraph(piece, element.sourceline or 0, first)
            run.clear()

        if element.text:
            run.append(escape(element.text))
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in BLOCKS:
                flush()
                if tag == "p" and first[0]:
                    self.mixed(child, first)
                else:
                    self.block(child)
            elif tag == "br":
                run.append("\n")
            else:
                run.append(_inline(child, keep_breaks=True))
            if child.tail:
                run.append(escape(child.tail))
        flush()

    def table(self, element) -> None:
        """A table of data: its caption a paragraph, then its rows (a cell spanning
        columns followed by empty cells). A table laying out a page (one column, or
        headings inside) is read as the blocks of its cells."""
        rows = element.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        cells = [tr.xpath("./td|./th") for tr in rows]
        if max(map(len, cells), default=0) < 2 or element.xpath(".//h1|.//h2|.//h3|.//h4|"
                                                                    ".//h5|.//h6"):
            for cell in (cell for row in cells for cell in row):
                self.block(cell)
            return
        caption = element.find("caption")
        if caption is not None:
            self.paragraph(_inline(caption), caption.sourceline or 0, [False])
        texts = []
        for row in cells:
            texts.append([])
            for cell in row:
                span = int(cell.get("colspan")) if (cell.get("colspan") or "").isdigit() else 1
                texts[-1] += [_cell(cell)] + [""] * (min(span, MAX_COLUMNS) - 1)
        texts = [row for row in texts if any(row)]
        if texts:
            self.entries.append(Entry("table", line=element.sourceline or 0, rows=texts))

    def paragraph(self, text: str, line: int, first: list[bool]) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            return
        if first[0]:
            first[0] = False
            ordered, value, depth = self.lists[-1]
            self.lists[-1][1] += 1
            family = ("1." if depth == 1 else f"list:ol{depth}") if ordered else \
                ("•" if depth == 1 else f"list:ul{depth}")
            typed, rest = split_marker(text)
            marker = typed if typed and typed.ordered and rest.strip() else Marker(
                family, value if ordered else 0, f"{value}." if ordered else "•", ordered)
            self.entries.append(Entry("item", rest.strip() or text, line, marker=marker))
            self.previous = marker
            return
        marker, rest = split_marker(text, self.previous)
        self.previous = marker or self.previous
        self.entries.append(Entry("item" if marker else "para",
                                  rest.strip() if marker else text, line, marker=marker))


def table_entries(markup: str, line: int) -> list[Entry]:
    """The entries of an HTML table written in another format (a Markdown file's raw HTML
    block starting at ``line``): its caption and its table, or its cells' blocks."""
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  recover=True)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):
        return []
    for element in list(root.iter(*DROP)):
        element.drop_tree()
    reader = _Reader()
    for table in root.iter("table"):
        if not any(a.tag == "table" for a in table.iterancestors()):
            reader.table(table)
    for entry in reader.entries:
        entry.line += line - 1
    return reader.entries


def _cell(cell) -> str:
    """A table cell's text; its paragraphs, list items and line breaks on lines of their own."""
    return "\n".join(line for line in _block_lines(cell) if line)


def _block_lines(element) -> list[str]:
    out, run = [], [escape(element.text or "")]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("p", "div", "li", "ul", "ol", "table", "thead", "tbody", "tfoot", "tr", "td",
                   "th", "caption"):
            out.append("".join(run))
            run = []
            out.extend(_block_lines(child))
        elif tag == "br":
            out.append("".join(run))
            run = []
        else:
            run.append(_inline(child))
        run.append(escape(child.tail or ""))
    out.append("".join(run))
    return [re.sub(r"\s+", " ", line).strip() for line in out]


def _split_breaks(run: list[str]) -> list[str]:
    return "".join(run).split("\n")


def _inline(element, keep_breaks: bool = False) -> str:
    """Inline syntax of ``element``'s content: bold, italic and safe links kept."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        return "\n" if keep_breaks else " "
    inner = escape(element.text or "")
    for child in element:
        inner += _inline(child, keep_breaks)
        inner += escape(child.tail or "")
    if not keep_breaks:
        inner = inner.replace("\n", " ")
    if tag in ("strong", "b") and inner.strip() and inner.strip() == inner:
        return f"**{inner}**"
    if tag in ("em", "i") and inner.strip() and inner.strip() == inner:
        return f"*{inner}*"
    if tag == "a" and element.get("href"):
        return link(inner, element.get("href"))
    return inner


def _drop_chrome(body) -> None:
    """Page furniture around the policy: footers, asides, navigation outside the main
    content (a table of contents inside it stays), headers without the page's title."""
    has_main = body.find(".//main") is not None or body.find(".//article") is not None

    def inside_main(element) -> bool:
        return any(a.tag in ("main", "article") for a in element.iterancestors())

    for element in list(body.iter("footer", "aside", "nav", "header", "div", "ul", "section")):
        if element.getparent() is None:
            continue
        tag = element.tag
        navigation = tag == "nav" or element.get("role") == "navigation"
        if tag in ("footer", "aside") or (navigation and has_main and not inside_main(element)) \
                or (tag == "header" and element.find(".//h1") is None and not inside_main(element)):
            element.drop_tree()


def read(path, shown: str, encoding: str | None = None) -> Outline:
    """The outline of the HTML file at ``path``."""
    import lxml.html
    from lxml import etree

    text, used = decode_html(read_limited(path, shown), shown, encoding)
    text, controls = check_text(text, shown)
    declaration = re.search(r"<!ENTITY", text, re.I)
    if declaration:
        line = text.count("\n", 0, declaration.start()) + 1
        raise refuse(shown, "the page declares XML entities (<!ENTITY …>): refused, never "
                            "resolved", line, declaration.start() - text.rfind("\n", 0,
                                                                              declaration.start()))
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise refuse(shown, f"cannot read the HTML: {exc}") from None
    for error in parser.error_log:   # libxml2 drops what lies deeper, silently otherwise
        if "Excessive depth" in error.message:
            raise refuse(shown, "elements nested more than 255 deep: refused (what lies "
                                "deeper would be lost)", error.line, error.column)
    dropped = []
    for element in list(root.iter(*DROP)):
        if element.tag != "head":
            dropped.append((element.sourceline or 0, f"<{element.tag}>"))
        element.drop_tree()
    content = root.find("body") if root.find("body") is not None else root
    _drop_chrome(content)
    reader = _Reader()
    reader.block(content)
    kinds = {}
    for line, what in dropped:
        kinds.setdefault(what, line)
    notes = [(line, f"{what} dropped (never run, not imported)") for what, line in kinds.items()]
    return Outline(shown, "html", reader.entries, used, dropped=controls + notes)
