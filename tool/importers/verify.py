"""The verifier of an import: the page the written sources build shows every sentence of
the input.

It reads the input's text on its own (not through the readers) and the visible text of
the HTML page built in memory from the sources, and compares them sentence by sentence,
with numbering labels, white space and markup set aside. It compares texts, never
structures, and shares no code with the recognisers: what one of them gets wrong, it
sees as a sentence missing from the page.
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from pathlib import Path

SENTENCE_END = re.compile(r"[。；！？\n|]|(?<=[.!?;])\s+")     # | between table cells
CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{2,}")
CN = "一二三四五六七八九十百零〇"
LABEL = re.compile(
    rf"^(?:第[{CN}\d]+[条章节]|[{CN}]+[、．.]|[（(]\s*[{CN}\d]{{1,3}}\s*[)）][、．.]?|"
    r"\d{1,3}(?:[.．]\d{1,3})+[.．、]?|\d{1,3}[、.．)）]|[（(][a-zA-Z]{1,4}[)）]|"
    r"[a-zA-Z][.)）](?=\s|[\u4e00-\u9fff])|[①-⑳]|[•·●○▪■□◆◇▶►–—-])\s*")
# a bracket inside the words only as a bracketed pair ([a [b] c](…)), so no character can be
# read two ways, and words and address bounded: the search stays linear on any line
MD_LINK = re.compile(r"!?\[((?:\\.|\[[^\[\]\\]{0,500}\]|[^\[\]\\]){0,300})\]"
                     r"\(\s*(?:[^()\s]|\([^()]{0,500}\)){0,2000}(?:\s+\"[^\"]{0,500}\")?\)")
LAYOUT = re.compile(r"[\s*_#|>`~\\\u200b\ufeff\u00ad-]+")
TRIM = "，,：:、 .;"
CHROME = re.compile(r"cookie|consent|banner|breadcrumb|(^|[-_ ])(nav|menu|footer|header)"
                    r"([-_ ]|$)", re.I)


@dataclass
class Verification:
    """What of the input's sentences the page shows."""

    total: int = 0
    lost: list[tuple[int, str]] = field(default_factory=list)   # (input line, sentence)

    @property
    def kept(self) -> int:
        return self.total - len(self.lost)


def squeeze(text: str) -> str:
    """Wording only: markup, escapes and white space removed."""
    return LAYOUT.sub("", html_lib.unescape(text))


def sentences(lines: list[tuple[int, str]]) -> list[tuple[int, str, str, str]]:
    """(line, sentence as written, its wording, the wording of its whole line with link
    syntax kept) of every sentence of four CJK characters or four words and more: a
    sentence is on the page when its wording is, or its line is as written (link syntax
    that is not a link stays text)."""
    out = []
    for number, written in lines:
        line = written
        while (reduced := MD_LINK.sub(r"\1", line)) != line:     # images inside links
            line = reduced
        line = re.sub(r"<((?:https?|mailto):[^>\s]+)>", r"\1", line)
        for raw in SENTENCE_END.split(line):
            text = re.sub(r"\*\*|__", "", raw).strip().lstrip("#>*+_ \t")
            text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)      # Markdown escapes
            while True:
                unlabelled = LABEL.sub("", text.lstrip("*_ "))
                if unlabelled == text:
                    break
                text = unlabelled
            wording = squeeze(text).strip(TRIM)
            if len(CJK.findall(wording)) >= 4 or len(WORD.findall(text)) >= 4:
                out.append((number, raw.strip(), wording, squeeze(written)))
    return out


def input_lines(path: Path, encoding: str) -> list[tuple[int, str]]:
    """The input's visible text as (line, text): a text or Markdown file as written, a
    page's body without navigation, banners and footers, a Word file's paragraphs, a PDF's
    lines without its running headers and footers."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        texts = [p.text for p in document.paragraphs]
        texts += [cell.text for table in document.tables for row in table.rows
                  for cell in row.cells]
        return list(enumerate(texts, 1))
    if suffix == ".pdf":
        from .pdf import visible_lines

        return list(enumerate(visible_lines(path), 1))
    text = path.read_bytes().decode(encoding, errors="replace")
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", "", text)     # reported by the reader
    if suffix in (".html", ".htm"):
        return _page_lines(text)
    text = re.sub(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", lambda m: "\n" * m.group()
                  .count("\n"), text, flags=re.S)              # Markdown front matter
    if suffix in (".md", ".markdown"):
        return _markdown_lines(text)
    text = re.sub(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", lambda m: "\n" * m.group()
                  .count("\n"), text, flags=re.S | re.I)    # never shown by a browser
    out: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        before = out[-1][1] if out else ""
        if before.count("[") > before.count("]") and "](" in line or \
                before.rfind("](") > before.rfind(")"):     # a link written over two lines
            out[-1] = (out[-1][0], before + line)
        else:
            out.append((number, line))
    return out


def _markdown_lines(text: str) -> list[tuple[int, str]]:
    """The text a reader of the Markdown file sees (rendered as CommonMark with tables),
    by line: each paragraph, heading, item or cell; code blocks line by line."""
    from markdown_it import MarkdownIt

    out = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        line = token.map[0] + 1 if token.map else 0
        if token.type in ("fence", "code_block"):
            out += [(line + k, code) for k, code in enumerate(token.content.splitlines(), 1)]
        elif token.type == "html_block":
            out.append((line, re.sub(r"<[^>]*>", " ", re.sub(
                r"<(script|style)\b.*?</\1\s*>", "", token.content, flags=re.S | re.I))))
        elif token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline", "image"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            out.append((line, "".join(parts)))
    return out


def _page_lines(text: str) -> list[tuple[int, str]]:
    import lxml.html

    root = lxml.html.document_fromstring(text.encode("utf-8"))
    for element in list(root.iter("script", "style", "noscript", "template", "nav", "header",
                                  "footer", "aside", "form", "button", "head")):
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marks = f"{element.get('id', '')} {element.get('class', '')} {element.get('role', '')}"
        if element.tag not in ("body", "main", "article") and CHROME.search(marks):
            element.drop_tree()
    out = []
    for element in root.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th",
                             "dt", "dd", "blockquote", "pre", "caption"):
        if any(a.tag in ("p", "li", "td", "th", "dd") for a in element.iterancestors()):
            continue
        out.append((element.sourceline or 0, element.text_content()))
    return out


def page_text(out_dir: Path) -> str:
    """The visible text of the HTML page the sources in ``out_dir`` build (in memory)."""
    import lxml.html

    from ..diagnostics import Report
    from ..project import load_project
    from ..render import Templates, renderer
    from ..resolve import resolve

    report = Report()
    project = load_project(out_dir, report)
    document = resolve(project, report, str(project.policy.locale))
    page = renderer("html").render(document, Templates(project.templates_dir))
    root = lxml.html.document_fromstring(page)
    body = root.find("body")
    for element in list(body.iter("script", "style", "template")):
        element.drop_tree()
    return body.text_content()


def verify(path: Path, encoding: str, out_dir: Path) -> Verification:
    """The input's sentences, and those the page built from ``out_dir`` does not show."""
    seen = squeeze(page_text(out_dir))
    found = sentences(input_lines(path, encoding))
    return Verification(len(found), [(line, raw) for line, raw, wording, whole in found
                                     if wording not in seen and whole not in seen])
