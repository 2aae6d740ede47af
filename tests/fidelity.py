"""How much of a published policy's wording a built artifact reproduces.

Every sentence of the reference (split at 。；！？, at line ends and at . ! ? ; followed by
white space; Markdown front matter, link targets and hand-written numbering such as 一、,
（三）, 1.2 or (a) removed; sentences under four CJK characters and under four words
ignored) must appear verbatim in the text a reader of the artifact sees, once white space
and markup are removed. The artifact's text is read the way a reader gets it: Markdown
rendered by a CommonMark renderer, HTML parsed, PDF text extracted in reading order.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

CN_NUM = "一二三四五六七八九十百零"
NUMBERING = re.compile(
    rf"^(?:[{CN_NUM}]+、|[（(][{CN_NUM}\d]+[)）]|\d+(?:\.\d+)+\.?\s|\d+[、.．)]|[•·]"
    r"|[（(][a-zA-Z]{1,4}[)）]|[a-zA-Z][.)](?=\s|[\u4e00-\u9fff]))\s*"
)
SPLIT = re.compile(r"[。；！？\n]|(?<=[.!?;])\s+")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
MD_LINK = re.compile(r"!?\[((?:\\.|[^\]\\])*)\]\([^)]*\)")   # [text](target), \] inside
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def squeeze(text: str) -> str:
    """Remove layout: tags, entities, Markdown marks and white space."""
    text = html.unescape(text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("\\", "")
    return re.sub(r"[\s*_#|>`~\-]+", "", text)


def plain_markdown(text: str) -> str:
    """A Markdown source as prose: front matter dropped, links reduced to their text."""
    text = FRONT_MATTER.sub("", text)
    return AUTOLINK.sub(r"\1", MD_LINK.sub(r"\1", text))


def reference_sentences(text: str) -> list[str]:
    """The sentences of a published text (Markdown or plain), numbering and markup removed."""
    out = []
    for raw in SPLIT.split(plain_markdown(text)):
        sentence = raw.strip().lstrip("#>*-+ ")
        while (stripped := NUMBERING.sub("", sentence)) != sentence:
            sentence = stripped
        words = len(WORD.findall(sentence))
        sentence = squeeze(sentence).strip("，,：:、 .;")
        if len(CJK.findall(sentence)) >= 4 or words >= 4:
            out.append(sentence)
    return out


def pdf_text(path: Path) -> str:
    """A PDF's text in reading order, blocks repeated on most pages (header, footer) dropped."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    pages = []
    for page in extract_pages(str(path), laparams=LAParams(char_margin=0.3, line_margin=0.5)):
        boxes = sorted((el for el in page if isinstance(el, LTTextContainer)),
                       key=lambda b: (-round(b.y1), b.x0))
        pages.append([b.get_text() for b in boxes])

    def mask(block: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", block))

    counts: dict[str, int] = {}
    for blocks in pages:
        for masked in {mask(b) for b in blocks}:
            counts[masked] = counts.get(masked, 0) + 1
    running = {m for m, n in counts.items() if len(pages) >= 3 and n >= len(pages) / 2}
    return "".join(b.replace("\n", "") for blocks in pages for b in blocks
                   if mask(b) not in running)


def html_body_text(markup: str) -> str:
    """The text of an HTML page's body as a browser shows it (no head, style or script)."""
    import lxml.html

    root = lxml.html.document_fromstring(markup)
    for node in root.xpath("//head|//style|//script"):
        node.drop_tree()
    return root.text_content()


def markdown_html(source: str) -> str:
    """A Markdown file rendered as CommonMark with tables, its front matter left out."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(FRONT_MATTER.sub("", source))


def artifact_text(artifact: Path) -> str:
    """What a reader of the artifact reads: rendered Markdown, parsed HTML or PDF text."""
    if artifact.suffix == ".pdf":
        return pdf_text(artifact)
    body = artifact.read_text("utf-8")
    if artifact.suffix == ".md":
        body = markdown_html(body)
    return html_body_text(body)


def missing_sentences(reference: str, artifact: Path) -> tuple[list[str], int]:
    """The reference sentences the artifact lacks, and how many sentences there are."""
    sentences = reference_sentences(reference)
    hay = squeeze(artifact_text(artifact))
    return [s for s in sentences if s not in hay], len(sentences)


BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "caption",
          "title", "figcaption", "a"}
NESTED = {"p", "li", "ul", "ol", "dl", "div", "section", "table", "nav", "header", "footer",
          "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "td", "th"}
NUMBERED_AS_WRITTEN = {"h1", "h2", "h3", "h4", "h5", "h6", "nav"}


def shown_texts(markup: str, numbers_in_text: bool = False) -> list[str]:
    """Each text block a reader sees on an HTML page (title, headings, paragraphs, items,
    cells, contents entries), without nested blocks; the generated number of a list item or
    clause is left out, a heading's or contents entry's number kept. ``numbers_in_text``:
    the numbers are plain text (Markdown), not ``<span class="num">``."""
    import lxml.html

    root = lxml.html.document_fromstring(markup)
    for node in root.xpath("//style|//script"):
        node.drop_tree()

    def own_text(el, keep_numbers: bool) -> str:
        parts = [el.text or ""]
        for child in el:
            if not isinstance(child.tag, str):
                parts.append(child.tail or "")
                continue
            if child.tag not in NESTED:
                is_number = "num" in (child.get("class") or "").split()
                if keep_numbers or not is_number:
                    parts.append(own_text(child, keep_numbers))
            parts.append(child.tail or "")
        return "".join(parts)

    out = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in BLOCKS:
            continue
        if el.tag == "a" and el.getparent() is not None and el.getparent().tag != "li":
            continue     # a link inside a paragraph is part of the paragraph's text
        keep = el.tag in NUMBERED_AS_WRITTEN or any(
            a.tag in NUMBERED_AS_WRITTEN for a in el.iterancestors())
        text = own_text(el, keep).strip()
        if numbers_in_text and not keep:
            text = NUMBERING.sub("", text)
        if squeeze(text):
            out.append(text)
    return out


def pdf_outline(path: Path) -> list[str]:
    """The titles of a PDF's outline (bookmarks), depth first."""
    import pikepdf

    def walk(items) -> list[str]:
        return [t for item in items for t in (str(item.title), *walk(item.children))]

    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        return walk(outline.root)


def texts_not_in(reference: str, artifact: Path) -> list[str]:
    """The text blocks of an HTML or Markdown artifact (the outline entries of a PDF) that
    the reference does not contain."""
    hay = squeeze(AUTOLINK.sub(r"\1", MD_LINK.sub(r"\1", reference)))
    if artifact.suffix == ".pdf":
        return [t for t in pdf_outline(artifact) if squeeze(t) not in hay]
    body = artifact.read_text("utf-8")
    if artifact.suffix == ".md":
        return [t for t in shown_texts(markdown_html(body), numbers_in_text=True)
                if squeeze(t) not in hay]
    return [t for t in shown_texts(body) if squeeze(t) not in hay]
