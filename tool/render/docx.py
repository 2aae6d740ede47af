"""DOCX renderer: the edition as a Word document that reviewers can comment on and edit.

Headings use Word's styles Heading 1…9 and carry the generated numbers as text (一、,
（一）, 1.1); lists are real Word lists (``numbering.xml``) whose numbers Word generates
the same as the other formats show — a list whose labels Word cannot reproduce keeps
them as text. The permissions table repeats its header row on every page; links are
hyperlinks, cross-references link to the heading's bookmark. Runs get the locale's
Latin and East Asian fonts and languages, so Word does not draw Chinese with a Latin
font. The page is the edition's paper (A4; Letter for en-US), the footer numbers the
pages, a contents field lists the sections, and the package carries the title, author,
language and version. The same document always gives the same bytes: the zip entries
and the properties are dated by the edition, never by the clock.

Text goes into the XML through lxml, which escapes it; nothing is concatenated into
markup. :class:`Writer` also writes tracked changes and comments, for the redline of
:mod:`policyc.versions.redline_docx`.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from lxml import etree

from .. import __version__
from ..chars import writable
from ..document import (Document, Emph, Inline, Link, List, Paragraph, Ref, Section,
                        Strong, Table, Untranslated)
from ..locales import chinese_number, roman

if TYPE_CHECKING:
    from . import Templates

EXTENSION = "docx"
TEMPLATE_DIRS: tuple[str, ...] = ()   # no templates: the styles are set here (cache keys)

AUTHOR = "policyc"
TWIPS_PER_CM = 567
PAPER = {"A4": (11906, 16838), "A5": (8391, 11906), "Letter": (12240, 15840),
         "Legal": (12240, 20160)}   # width, height in twips
MARGIN = int(2.5 * TWIPS_PER_CM)
LABEL_WIDTH = 630   # twips a list number such as （10） takes before the text; a nested
                    # item's number stands where its parent's text starts
CJK_FONT_HINTS = ("CJK", " SC", " TC", "Hei", "Song", "YaHei", "PingFang", "Han Sans", "Kai")
DEFAULT_CJK_FONT = "Noto Sans CJK SC"
DEFAULT_LATIN_FONT = "Calibri"
WINDOWS_CJK_FONTS = ("Microsoft YaHei", "DengXian", "SimSun", "SimHei", "Microsoft JhengHei",
                     "PMingLiU", "Yu Gothic", "MS Gothic", "Malgun Gothic")
WINDOWS_CJK_DEFAULT = {"86": "Microsoft YaHei", "88": "Microsoft JhengHei", "80": "Yu Gothic",
                       "81": "Malgun Gothic"}   # by character set: GB2312, Big5, JIS, Hangul
EAST_ASIAN = ("zh", "ja", "ko")      # languages whose text Word sets in the East Asian font
HYPERLINK_COLOR = "0563C1"
LIST_FORMATS = ("decimal", "lowerLetter", "lowerRoman", "upperLetter", "upperRoman",
                "chineseCounting")
LABEL = re.compile(r"^(\D*?)(\d+|[A-Za-z]+|[一二三四五六七八九十百零]+)(\D*)$")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
LINE_BREAK = re.compile(r"(?<![ \t])[ \t]*\n\s*")   # a run of blanks tried once: linear
# settings.xml is a sequence: what may follow trackRevisions and updateFields there
TRACK_REVISIONS_BEFORE = ("doNotTrackMoves", "doNotTrackFormatting", "documentProtection",
                          "autoFormatOverride", "styleLockTheme", "styleLockQFSet",
                          "defaultTabStop", "autoHyphenation", "characterSpacingControl",
                          "savePreviewPicture", "compat", "rsids", "themeFontLang",
                          "clrSchemeMapping", "shapeDefaults", "decimalSymbol", "listSeparator")
UPDATE_FIELDS_BEFORE = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars",
                        "rsids", "mathPr", "themeFontLang", "clrSchemeMapping",
                        "doNotAutoCompressPictures", "shapeDefaults", "decimalSymbol",
                        "listSeparator")

Mark = str
"""How a piece of the redline reads: "" unchanged, "ins" inserted, "del" deleted."""


@dataclass(frozen=True)
class Run:
    """Text with one formatting: bold, italic, a link (external ``href`` or a heading's
    ``anchor``), a language other than the document's."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""
    anchor: str = ""
    lang: str = ""
    underline: bool = False


Piece = tuple[Run, Mark]


@dataclass
class Revision:
    """How an element of the redline changed: ``mark`` "ins"/"del" when the whole element
    was inserted or deleted; else ``pieces`` (or, for a table row, ``cells``) are its text
    with the inserted and deleted runs marked."""

    mark: Mark = ""
    pieces: list[Piece] | None = None
    cells: list[list[Piece]] | None = None


@dataclass
class Tracking:
    """Who and when tracked changes and comments are dated."""

    author: str
    date: dt.date


def runs_of(spans: Inline, bold: bool = False, italic: bool = False, href: str = "",
            lang: str = "", underline: bool = False) -> list[Run]:
    """The runs of inline spans, formatting inherited from the enclosing spans. A span
    type this module does not know is read through its children (an ``Underline`` span
    underlines them), so no text is ever dropped."""
    out: list[Run] = []
    for span in spans:
        if isinstance(span, str):
            if span:
                out.append(Run(span, bold, italic, href, "", lang, underline))
        elif isinstance(span, Strong):
            out += runs_of(span.children, True, italic, href, lang, underline)
        elif isinstance(span, Emph):
            out += runs_of(span.children, bold, True, href, lang, underline)
        elif isinstance(span, Link):
            out += runs_of(span.children, bold, italic, span.href, lang, underline)
        elif isinstance(span, Ref):
            out.append(Run(span.text, bold, italic, "", span.anchor, lang, underline))
        elif isinstance(span, Untranslated):
            out += runs_of(span.children, bold, italic, href, span.lang, underline)
            out.append(Run(f" [{span.note}]", bold, True, href, "", lang, underline))
        else:
            out += runs_of(span.children, bold, italic, href, lang,
                           underline or type(span).__name__ == "Underline")
    return out


def pieces_of(spans: Inline, mark: Mark = "") -> list[Piece]:
    return [(run, mark) for run in runs_of(spans)]


def paper_of(document: Document) -> str:
    """The edition's paper (policy.yaml ``paper``, else the locale's: Letter for en-US)."""
    return document.paper if document.paper in PAPER else "A4"


def fonts_of(document: Document) -> tuple[str, str]:
    """(Latin font, East Asian font) from the locale's font stack; a Chinese edition whose
    stack names no Latin font uses its CJK font for both."""
    named = [f for f in document.fonts if f not in ("serif", "sans-serif")]
    cjk = next((f for f in named if any(h in f for h in CJK_FONT_HINTS)), DEFAULT_CJK_FONT)
    latin = next((f for f in named if not any(h in f for h in CJK_FONT_HINTS)), None)
    if latin is None:
        latin = cjk if document.lang.startswith(EAST_ASIAN) else DEFAULT_LATIN_FONT
    return latin, cjk


def format_number(n: int, fmt: str) -> str:
    """What Word shows for list number ``n`` in numbering format ``fmt``."""
    if fmt == "decimal":
        return str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)   # Word: y, z, aa, bb
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return roman(n) if fmt == "lowerRoman" else roman(n).upper()
    return chinese_number(n)


def list_format(labels: list[str]) -> tuple[str, str] | None:
    """(numFmt, lvlText) with which Word numbers a list 1, 2, 3 … exactly as ``labels``
    (None when no Word format does)."""
    if not labels:
        return None
    found = LABEL.match(labels[0].strip())
    if not found:
        return None
    prefix, _, suffix = found.groups()
    if "%" in prefix + suffix:
        return None
    for fmt in LIST_FORMATS:
        if all(label.strip() == f"{prefix}{format_number(n, fmt)}{suffix}"
               for n, label in enumerate(labels, 1)):
            return fmt, f"{prefix}%1{suffix}"
    return None


class Writer:
    """A Word document being written: paragraphs, lists, tables, tracked changes."""

    def __init__(self, document: Document, tracking: Tracking | None = None):
        self.source = document
        self.tracking = tracking
        self.word = docx.Document()
        self.body = self.word.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))
        self.next_id = 1
        self.bookmarks: dict[str, str] = {}
        self.elements: dict[int, list] = {}      # id(element of the Document) → w:p / w:tr
        self._comment_styles_added = False
        self._placed: set[str] = set()           # bookmarks written
        self._pending: tuple[str, Section] | None = None   # headingless section's bookmark
        self._style_ids: dict[str, str] = {}
        self._numbering: list | None = None     # next abstractNumId, next numId, first w:num
        self.latin, self.cjk = fonts_of(document)
        for anchor in anchors_of(document):
            self.bookmarks.setdefault(anchor, f"_pc{len(self.bookmarks) + 1}")
        self._styles()
        self._font_table()
        self._page()
        self._properties()
        self._drop_template_leftovers()

    # ------------------------------------------------------------------ package set-up

    def _el(self, tag: str, parent=None, **attrs):
        """A new element ``tag`` (w:p …) with w: attributes, appended to ``parent``."""
        element = self.body.makeelement(_clark(tag), {_clark(f"w:{k}"): str(v)
                                                      for k, v in attrs.items()})
        if parent is not None:
            parent.append(element)
        return element

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id - 1)

    def _styles(self) -> None:
        styles = self.word.styles
        root = styles.element
        for fonts in root.iter(qn("w:rFonts")):    # theme fonts would win over ours
            for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                fonts.attrib.pop(qn(f"w:{name}"), None)
        defaults = root.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        for child in rpr.findall(qn("w:rFonts")) + rpr.findall(qn("w:lang")):
            rpr.remove(child)
        east_asian = self.source.lang.startswith(EAST_ASIAN)
        fonts = self._el("w:rFonts", ascii=self.latin, hAnsi=self.latin, eastAsia=self.cjk,
                         cs=self.latin)
        if east_asian:
            fonts.set(qn("w:hint"), "eastAsia")   # “” and … in the CJK font
        rpr.insert(0, fonts)
        self._el("w:lang", rpr, val=self.source.lang,
                 eastAsia=self.source.lang if east_asian else "zh-CN")
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = RGBColor.from_string(HYPERLINK_COLOR)
        link.font.underline = True
        for level in range(1, 10):     # Word's built-in names: "toc 1" …
            toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            toc.base_style = styles["Normal"]
            ppr = toc.element.get_or_add_pPr()
            tabs = self._el("w:tabs", ppr)
            self._el("w:tab", tabs, val="right", leader="dot", pos=self._text_width())
            self._el("w:spacing", ppr, after=60)
            if level > 1:
                self._el("w:ind", ppr, left=LABEL_WIDTH * (level - 1))
        self._setting("updateFields", UPDATE_FIELDS_BEFORE)   # page numbers of the contents
        zoom = self.word.settings.element.find(qn("w:zoom"))
        if zoom is not None and zoom.get(qn("w:percent")) is None:
            zoom.set(qn("w:percent"), "100")      # required by the schema

    def _font_table(self) -> None:
        """fontTable.xml entries for the two fonts: their character sets and, for the East
        Asian one, the stack's Windows font as ``altName``, so a Word without the font
        substitutes a Chinese font, not a Latin one."""
        part = next(rel.target_part for rel in self.word.part.rels.values()
                    if rel.reltype.endswith("/fontTable"))
        root = etree.fromstring(part.blob)
        for font in root.findall(qn("w:font")):
            if font.get(qn("w:name")) in (self.latin, self.cjk):
                root.remove(font)
        region = self.source.lang.split("-")[-1].upper()
        charset = {"ja": "80", "ko": "81"}.get(self.source.lang[:2],
                                              "88" if region in ("TW", "HK", "MO", "HANT")
                                              else "86")
        alternative = next((f for f in self.source.fonts if f in WINDOWS_CJK_FONTS),
                           WINDOWS_CJK_DEFAULT[charset])
        entries = [] if self.latin == self.cjk else [(self.latin, "", "00")]
        for name, alt, code in entries + [(self.cjk, alternative, charset)]:
            font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
            if alt and alt != name:
                etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
            etree.SubElement(font, qn("w:charset"), {qn("w:val"): code})
            etree.SubElement(font, qn("w:family"), {qn("w:val"): "swiss"})
            etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)

    def _text_width(self) -> int:
        return PAPER[paper_of(self.source)][0] - 2 * MARGIN

    def _page(self) -> None:
        section = self.word.sections[0]
        width, height = PAPER[paper_of(self.source)]
        section.page_width, section.page_height = Twips(width), Twips(height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Twips(MARGIN))
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pieces = re.split(r"(\{pages?\})", self.source.words.get("page_footer", "{page}"))
        for piece in pieces:
            if piece in ("{page}", "{pages}"):
                self._field(footer._p, "PAGE" if piece == "{page}" else "NUMPAGES", "1")
            elif piece:
                self._run(footer._p, Run(piece))

    def _properties(self) -> None:
        doc = self.source
        props = self.word.core_properties
        props.title = writable(doc.title)
        props.author = writable(doc.organisation)
        props.last_modified_by = AUTHOR
        props.language = doc.lang
        props.version = doc.version
        props.revision = 1
        props.subject = writable(doc.title)
        props.keywords = ""
        props.comments = f"{doc.words.get('version', 'Version')} {doc.version}" \
            if doc.version else ""
        created = doc.effective or doc.last_updated
        if created:
            props.created = dt.datetime.combine(created, dt.time())
        if doc.last_updated:
            props.modified = dt.datetime.combine(doc.last_updated, dt.time())
        app = self.word.part.package.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            "extended-properties")
        root = etree.fromstring(app.blob)
        ns = root.nsmap[None]
        for child in list(root):
            name = etree.QName(child).localname
            if name in ("Application", "AppVersion", "Company", "TitlesOfParts",
                        "HeadingPairs"):
                root.remove(child)
        etree.SubElement(root, f"{{{ns}}}Application").text = f"policyc {__version__}"
        etree.SubElement(root, f"{{{ns}}}Company").text = writable(doc.organisation)
        app._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                   standalone=True)

    def _drop_template_leftovers(self) -> None:
        """The template's thumbnail (a blank page) and its Word 2010 copy of the styles
        (stylesWithEffects, which would keep the theme fonts removed from styles.xml)."""
        for rels, kind in ((self.word.part.package.rels, "/thumbnail"),
                           (self.word.part.rels, "/stylesWithEffects")):
            for rid in [r for r, rel in rels.items() if rel.reltype.endswith(kind)]:
                del rels[rid]

    # ------------------------------------------------------------------ runs

    def _rpr(self, run: Run, parent):
        rpr = self._el("w:rPr")
        if run.href or run.anchor:
            self._el("w:rStyle", rpr, val="Hyperlink")
        if run.bold:
            self._el("w:b", rpr)
        if run.italic:
            self._el("w:i", rpr)
        if run.underline:
            self._el("w:u", rpr, val="single")
        if run.lang:
            lang = self._el("w:lang", rpr, val=run.lang)
            if run.lang.startswith(EAST_ASIAN):
                lang.set(qn("w:eastAsia"), run.lang)
        if len(rpr):
            parent.append(rpr)

    def _run(self, parent, run: Run, deleted: bool = False, breaks: bool = False):
        """A w:r holding ``run``'s text (w:delText when deleted). A line break in the
        sources is a space, as in the HTML page (a w:br with ``breaks``); a tab is a w:tab."""
        r = self._el("w:r", parent)
        self._rpr(run, r)
        text = LINE_BREAK.sub("\n" if breaks else " ", run.text)
        for piece in re.split(r"(\t|\n)", text):
            if piece in ("\t", "\n"):
                self._el("w:tab" if piece == "\t" else "w:br", r)
                continue
            if piece:
                t = self._el("w:delText" if deleted else "w:t", r)
                t.text = writable(piece)
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return r

    def _revision(self, kind: Mark, parent):
        """A w:ins or w:del with this document's author and date."""
        assert self.tracking is not None, "tracked changes need a Tracking"
        return self._el(f"w:{kind}", parent, id=self._id(), author=self.tracking.author,
                        date=f"{self.tracking.date.isoformat()}T00:00:00Z")

    def _link(self, parent, run: Run):
        """The parent a run goes in: a w:hyperlink for links, else ``parent`` itself."""
        if run.href and not run.href.startswith("#"):
            rid = self.word.part.relate_to(
                run.href, "http://schemas.openxmlformats.org/officeDocument/2006/"
                          "relationships/hyperlink", is_external=True)
            link = self._el("w:hyperlink", parent)
            link.set(qn("r:id"), rid)
            return link
        anchor = run.anchor or run.href[1:]
        if anchor in self.bookmarks:
            return self._el("w:hyperlink", parent, anchor=self.bookmarks[anchor])
        return parent

    def pieces(self, p, pieces: list[Piece], breaks: bool = False) -> None:
        """Append runs to paragraph ``p``; neighbouring inserted (deleted) runs go in one
        w:ins (w:del), a link's in one inside its w:hyperlink. With ``breaks`` (a table
        cell) a line break of the text is a w:br, else a space."""
        wrapper, wrapped = None, ""
        for run, mark in pieces:
            if run.href or run.anchor:   # w:hyperlink holds the w:ins, never the reverse
                parent = self._link(p, run)
                if mark:
                    parent = self._revision(mark, parent)
                wrapper, wrapped = None, ""
            elif mark:
                if mark != wrapped:
                    wrapper, wrapped = self._revision(mark, p), mark
                parent = wrapper
            else:
                parent, wrapper, wrapped = p, None, ""
            self._run(parent, run, deleted=mark == "del", breaks=breaks)

    def _field(self, p, instruction: str, result: str) -> None:
        """A complex field (PAGE, NUMPAGES, PAGEREF …) with its cached result."""
        self._el("w:fldChar", self._el("w:r", p), fldCharType="begin")
        instr = self._el("w:instrText", self._el("w:r", p))
        instr.text = f" {instruction} "
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        self._el("w:fldChar", self._el("w:r", p), fldCharType="separate")
        if result:
            self._run(p, Run(result))
        self._el("w:fldChar", self._el("w:r", p), fldCharType="end")

    # ------------------------------------------------------------------ paragraphs

    def paragraph(self, pieces: list[Piece], style: str = "", mark: Mark = "",
                  numbering: tuple[int, int] | None = None, indent: int = 0,
                  hanging: int = 0, keep_next: bool = False, bookmark: str = "",
                  key: object = None):
        """A paragraph: ``numbering`` is (numId, ilvl); ``mark`` marks the paragraph mark
        itself as inserted or deleted (a whole paragraph added or removed)."""
        p = self._el("w:p")
        self.sect_pr.addprevious(p)
        ppr = self._el("w:pPr", p)
        if style:
            self._el("w:pStyle", ppr, val=self._style_id(style))
        if keep_next:
            self._el("w:keepNext", ppr)
        if numbering:
            num_pr = self._el("w:numPr", ppr)
            self._el("w:ilvl", num_pr, val=numbering[1])
            self._el("w:numId", num_pr, val=numbering[0])
        if indent or hanging:
            ind = self._el("w:ind", ppr, left=indent)
            if hanging:
                ind.set(qn("w:hanging"), str(hanging))
        if mark:
            self._revision(mark, self._el("w:rPr", ppr))
        if not len(ppr):
            p.remove(ppr)
        if self._pending is not None:   # the first paragraph of a headingless section
            (pending, section), self._pending = self._pending, None
            self.elements.setdefault(id(section), []).append(p)
            if pending and pending not in self._placed:
                ident = self._id()
                self._placed.add(pending)
                self._el("w:bookmarkStart", p, id=ident, name=pending)
                self._el("w:bookmarkEnd", p, id=ident)
        if bookmark in self._placed:   # a removed element sharing a kept one's id
            bookmark = ""
        if bookmark:
            self._placed.add(bookmark)
            ident = self._id()
            self._el("w:bookmarkStart", p, id=ident, name=bookmark)
        self.pieces(p, pieces)
        if bookmark:
            self._el("w:bookmarkEnd", p, id=ident)
        if key is not None:
            self.elements.setdefault(id(key), []).append(p)
        return p

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.word.styles[name].style_id
        return self._style_ids[name]

    def list_numbering(self, labels: list[str], numbered: bool, depth: int) -> int | None:
        """A new Word list (w:num over its own w:abstractNum) numbering items as ``labels``
        at nesting ``depth``; None when Word cannot show these labels."""
        if numbered:
            found = list_format(labels)
            if found is None:
                return None
            fmt, text = found
        else:
            fmt, text = "bullet", "•"
        numbering = self.word.part.numbering_part.element
        if self._numbering is None:     # after the template's own lists
            self._numbering = [
                1 + max((int(a.get(qn("w:abstractNumId")))
                         for a in numbering.findall(qn("w:abstractNum"))), default=-1),
                1 + max((int(n.get(qn("w:numId")))
                         for n in numbering.findall(qn("w:num"))), default=0),
                numbering.find(qn("w:num"))]
        abstract_id, num_id, first_num = self._numbering
        abstract = self._el("w:abstractNum", abstractNumId=abstract_id)
        self._el("w:multiLevelType", abstract, val="singleLevel")
        lvl = self._el("w:lvl", abstract, ilvl=0)
        self._el("w:start", lvl, val=1)
        self._el("w:numFmt", lvl, val=fmt)
        self._el("w:lvlText", lvl, val=text)
        self._el("w:lvlJc", lvl, val="left")
        ppr = self._el("w:pPr", lvl)
        self._el("w:ind", ppr, left=LABEL_WIDTH * (depth + 1), hanging=LABEL_WIDTH)
        if first_num is not None:     # every w:abstractNum comes before every w:num
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num = self._el("w:num", numbering, numId=num_id)
        self._numbering[:2] = [abstract_id + 1, num_id + 1]
        self._el("w:abstractNumId", num, val=abstract_id)
        return num_id

    def heading(self, section: Section, revision: Revision | None = None) -> None:
        """A section's heading: style Heading <level>, the number, the title, a bookmark.
        A section without a heading (its number and title run in its first paragraph)
        gives its bookmark to that paragraph."""
        if not section.heading:
            self._pending = (self.bookmarks.get(section.anchor, ""), section)
            return
        mark = revision.mark if revision else ""
        number = [(Run(section.number), mark)] if section.number else []   # front/back: none
        title = revision.pieces if revision and revision.pieces is not None \
            else pieces_of(section.title, mark)
        self.paragraph(number + title, f"Heading {min(section.level, 9)}", mark,
                       keep_next=True, bookmark=self.bookmarks.get(section.anchor, ""),
                       key=section)

    def table(self, table: Table, revisions: dict[int, Revision]) -> None:
        """A table whose header row repeats on every page; rows may be tracked changes."""
        whole = revisions.get(id(table))     # a table added or removed: its header too
        mark = whole.mark if whole else ""
        if table.caption:
            self.paragraph(pieces_of(table.caption, mark), "Caption", mark, keep_next=True)
        t = self._el("w:tbl")
        self.sect_pr.addprevious(t)
        tpr = self._el("w:tblPr", t)
        self._el("w:tblStyle", tpr, val=self._style_id("Table Grid"))
        self._el("w:tblW", tpr, w=self._text_width(), type="dxa")
        self._el("w:tblLayout", tpr, type="fixed")
        total = sum(table.widths) or len(table.header)
        widths = [self._text_width() * (w if table.widths else 1) // total
                  for w in (table.widths or [1] * len(table.header))]
        grid = self._el("w:tblGrid", t)
        for width in widths:
            self._el("w:gridCol", grid, w=width)
        self._row(t, [[(run, mark) for run in runs_of(cell, bold=True)]
                      for cell in table.header], widths, header=True, mark=mark)
        for row in table.rows:
            revision = revisions.get(id(row))
            mark = revision.mark if revision else ""
            cells = revision.cells if revision and revision.cells is not None \
                else [pieces_of(cell, mark) for cell in row]
            tr = self._row(t, cells, widths, mark=mark)
            self.elements.setdefault(id(row), []).append(tr)

    def _row(self, t, cells: list[list[Piece]], widths: list[int], header: bool = False,
             mark: Mark = ""):
        tr = self._el("w:tr", t)
        trpr = self._el("w:trPr", tr)
        self._el("w:cantSplit", trpr)
        if header:
            self._el("w:tblHeader", trpr)
        if mark:
            self._revision(mark, trpr)
        for pieces, width in zip(cells, widths):
            tc = self._el("w:tc", tr)
            tcpr = self._el("w:tcPr", tc)
            self._el("w:tcW", tcpr, w=width, type="dxa")
            p = self._el("w:p", tc)
            if mark:
                self._revision(mark, self._el("w:rPr", self._el("w:pPr", p)))
            self.pieces(p, pieces, breaks=True)
        return tr

    def contents(self, document: Document) -> None:
        """The contents: a TOC field over the headings it lists, its entries written in
        already (each links to its heading; Word fills in the page numbers when it
        updates fields). Nothing when the policy asks for no contents."""
        entries = document.toc or []
        if not entries:
            return
        self.paragraph([(Run(document.contents_title, bold=True), "")], keep_next=True)
        depth = max(entry.level for entry in entries)
        for k, entry in enumerate(entries):
            p = self._el("w:p")
            self.sect_pr.addprevious(p)
            self._el("w:pStyle", self._el("w:pPr", p),
                     val=self._style_id(f"toc {min(entry.level, 9)}"))
            if k == 0:
                self._el("w:fldChar", self._el("w:r", p), fldCharType="begin")
                instr = self._el("w:instrText", self._el("w:r", p))
                instr.text = f' TOC \\o "1-{depth}" \\h \\z \\u '
                instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                self._el("w:fldChar", self._el("w:r", p), fldCharType="separate")
            bookmark = self.bookmarks.get(entry.anchor, "")
            link = self._el("w:hyperlink", p, anchor=bookmark) if bookmark else p
            self._run(link, Run(entry.number + entry.title))
            self._el("w:tab", self._el("w:r", link))
            if bookmark:
                self._field(link, f"PAGEREF {bookmark} \\h", "")
            if k == len(entries) - 1:
                self._el("w:fldChar", self._el("w:r", p), fldCharType="end")

    def comment(self, element, text: str, author: str = AUTHOR) -> None:
        """A Word comment on the whole of paragraph (or table row) ``element``, dated as
        the changes. Its range and reference stand at paragraph level, outside any
        tracked change, so accepting or rejecting text never removes the comment."""
        paragraphs = list(element.iter(qn("w:p"))) if element.tag == qn("w:tr") \
            else [element]
        first, last = paragraphs[0], paragraphs[-1]
        if not self._comment_styles_added:
            self._comment_styles()
        comment = self.word.comments.add_comment(text=text, author=author, initials="pc")
        if self.tracking is not None:
            comment._element.set(qn("w:date"),
                                 f"{self.tracking.date.isoformat()}T00:00:00Z")
        ident = str(comment.comment_id)
        ppr = first.find(qn("w:pPr"))
        first.insert(0 if ppr is None else first.index(ppr) + 1,
                     self._el("w:commentRangeStart", id=ident))
        self._el("w:commentRangeEnd", last, id=ident)
        reference = self._el("w:r", last)
        self._el("w:rStyle", self._el("w:rPr", reference), val="CommentReference")
        self._el("w:commentReference", reference, id=ident)

    def _comment_styles(self) -> None:
        """Word's styles for comments: "annotation reference" and "annotation text"."""
        self._comment_styles_added = True
        styles = self.word.styles
        reference = styles.add_style("annotation reference", WD_STYLE_TYPE.CHARACTER)
        reference.style_id = "CommentReference"
        reference.font.size = Pt(8)
        text = styles.add_style("annotation text", WD_STYLE_TYPE.PARAGRAPH)
        text.style_id = "CommentText"
        text.base_style = styles["Normal"]

    def first_paragraph(self):
        return self.body.find(qn("w:p"))

    def track_revisions(self) -> None:
        """Track the reviewer's own edits too."""
        self._setting("trackRevisions", TRACK_REVISIONS_BEFORE)

    def _setting(self, name: str, before: tuple[str, ...]) -> None:
        """A true setting in settings.xml, at its place in the schema's sequence."""
        settings = self.word.settings.element
        element = self._el(f"w:{name}", val="true")
        later = next((c for c in settings if c.tag.rsplit("}", 1)[-1] in before), None)
        if later is None:
            settings.append(element)
        else:
            later.addprevious(element)

    # ------------------------------------------------------------------ output

    def to_bytes(self) -> bytes:
        """The package, zipped with fixed entry dates and attributes (same bytes every time)."""
        raw = io.BytesIO()
        self.word.save(raw)
        day = self.source.last_updated
        stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0) if day else ZIP_EPOCH
        out = io.BytesIO()
        with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
            for name in src.namelist():
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                dst.writestr(info, src.read(name), compresslevel=9)
        return out.getvalue()


def anchors_of(document: Document) -> list[str]:
    """Every anchor a link or cross-reference may point at: sections, list items and
    clauses with an id, in document order."""
    out: list[str] = []

    def blocks(items: list) -> None:
        for block in items:
            if isinstance(block, Paragraph) and block.anchor:
                out.append(block.anchor)
            elif isinstance(block, List):
                for item in block.items:
                    if item.anchor:
                        out.append(item.anchor)
                    blocks(item.blocks)

    blocks(document.preamble)
    blocks(document.introduction)
    for section in document.walk():
        if section.anchor:
            out.append(section.anchor)
        blocks(section.blocks)
        blocks(section.after)
    return out


@lru_cache(maxsize=None)
def _clark(tag: str) -> str:
    """w:p → {http://…/main}p."""
    return qn(tag)


# ----------------------------------------------------------------------------- the walk


@dataclass
class Review:
    """Tracked changes to draw over a document: the revision of each element (keyed by
    ``id()`` of the Document's section, paragraph, item or table row)."""

    tracking: Tracking
    revisions: dict[int, Revision] = field(default_factory=dict)
    dates: list[list[Piece]] | None = None   # the date lines under the title, marked
    title: list[Piece] | None = None


def write_blocks(writer: Writer, blocks: list, revisions: dict[int, Revision],
                 depth: int = 0) -> None:
    """Paragraphs, lists and tables, nested list items indented one level deeper."""
    for block in blocks:
        if isinstance(block, Table):
            writer.table(block, revisions)
        elif isinstance(block, List):
            _list(writer, block, revisions, depth)
        elif isinstance(block, Paragraph):
            revision = revisions.get(id(block))
            mark = revision.mark if revision else ""
            text = revision.pieces if revision and revision.pieces is not None \
                else pieces_of(block.content, mark)
            label = [(Run(block.label), mark)] if block.label else []
            writer.paragraph(label + text, mark=mark, indent=LABEL_WIDTH * depth,
                             bookmark=writer.bookmarks.get(block.anchor, ""), key=block)


def _list(writer: Writer, block: List, revisions: dict[int, Revision], depth: int) -> None:
    shown = [item.label for item in block.items   # a list removed whole: its own labels
             if getattr(revisions.get(id(item)), "mark", "") != "del"] \
        or [item.label for item in block.items]
    num_id = writer.list_numbering(shown, block.numbered, depth)
    for item in block.items:
        revision = revisions.get(id(item))
        mark = revision.mark if revision else ""
        text = revision.pieces if revision and revision.pieces is not None \
            else pieces_of(item.content, mark)
        if num_id is None:   # labels as text, hanging
            label = [(Run(item.label.rstrip() + "\t"), mark)] if item.label else []
            writer.paragraph(label + text, mark=mark, indent=LABEL_WIDTH * (depth + 1),
                             hanging=LABEL_WIDTH,
                             bookmark=writer.bookmarks.get(item.anchor, ""), key=item)
        else:
            writer.paragraph(text, "List Paragraph", mark, numbering=(num_id, 0),
                             indent=LABEL_WIDTH * (depth + 1), hanging=LABEL_WIDTH,
                             bookmark=writer.bookmarks.get(item.anchor, ""), key=item)
        write_blocks(writer, item.blocks, revisions, depth + 1)


def write_document(document: Document, review: Review | None = None) -> Writer:
    """The whole edition, in the order of the HTML page: title, dates, notices, preamble,
    contents, introduction, sections."""
    writer = Writer(document, review.tracking if review else None)
    revisions = review.revisions if review else {}
    writer.paragraph(review.title if review and review.title is not None
                     else [(Run(document.title), "")], "Title")
    dates = review.dates if review and review.dates is not None else \
        [pieces_of(line) for line in document.date_lines]
    for line in dates:
        writer.paragraph(line)
    for notice in document.notices:
        writer.paragraph([(Run(notice, italic=True), "")])
    write_blocks(writer, document.preamble, revisions)
    writer.contents(document)
    write_blocks(writer, document.introduction, revisions)

    def section(s: Section) -> None:
        writer.heading(s, revisions.get(id(s)))
        write_blocks(writer, s.blocks, revisions)
        for child in s.children:
            section(child)
        write_blocks(writer, s.after, revisions)

    for s in document.sections:
        section(s)
    return writer


def render(document: Document, templates: Templates | None = None) -> bytes:
    """The DOCX edition of ``document``."""
    return write_document(document).to_bytes()
