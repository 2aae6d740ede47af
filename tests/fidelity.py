"""How much of the reference policy's wording a built artifact reproduces.

Every sentence of the reference (split at 。；！？ and line ends, hand-written numbering
such as 一、 or （三） removed, sentences under four CJK characters ignored) must appear
verbatim in the artifact's text once white space and markup are removed.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

CN_NUM = "一二三四五六七八九十百零"
NUMBERING = re.compile(rf"^(?:[{CN_NUM}]+、|[（(][{CN_NUM}\d]+[)）]|\d+[、.．]|[•·])\s*")
SPLIT = re.compile(r"[。；！？\n]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def squeeze(text: str) -> str:
    """Remove layout: tags, entities, Markdown marks and white space."""
    text = html.unescape(text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("\\", "")
    return re.sub(r"[\s*_#|>`~\-]+", "", text)


def reference_sentences(text: str) -> list[str]:
    out = []
    for raw in SPLIT.split(text):
        sentence = raw.strip()
        while (stripped := NUMBERING.sub("", sentence)) != sentence:
            sentence = stripped
        sentence = squeeze(sentence).strip("，,：:、 ")
        if len(CJK.findall(sentence)) >= 4:
            out.append(sentence)
    return out


def pdf_text(path: Path) -> str:
    """A PDF's text in reading order (text boxes top to bottom, left to right)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    out = []
    for page in extract_pages(str(path), laparams=LAParams(char_margin=0.3, line_margin=0.5)):
        boxes = sorted((el for el in page if isinstance(el, LTTextContainer)),
                       key=lambda b: (-round(b.y1), b.x0))
        out.extend(b.get_text().replace("\n", "") for b in boxes)
    return "".join(out)


def missing_sentences(reference: str, artifact: Path) -> tuple[list[str], int]:
    """The reference sentences the artifact lacks, and how many sentences there are."""
    sentences = reference_sentences(reference)
    body = pdf_text(artifact) if artifact.suffix == ".pdf" else artifact.read_text("utf-8")
    if artifact.suffix == ".md":   # as a reader sees it: links show their text only
        from markdown_it import MarkdownIt
        body = MarkdownIt("commonmark").enable("table").render(body)
    hay = squeeze(body)
    return [s for s in sentences if s not in hay], len(sentences)
