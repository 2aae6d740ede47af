"""Reader of Word documents (.docx): heading styles, Word list numbering, tables.

The archive is checked before anything is parsed: a .docx is a zip, and one with too
many entries, too large an uncompressed size (in total or per entry) or a suspicious
compression ratio is refused as a zip bomb; XML parts holding a DOCTYPE (entities,
external references) are refused, never resolved. python-docx reads paragraphs, styles
and tables; list numbers, which python-docx does not expose, are computed from
``word/numbering.xml`` with lxml — each level's ``w:numFmt`` (decimal, chineseCounting,
chineseLegalSimplified, lowerLetter …), ``w:lvlText`` (``（%1）``) and ``w:start``.
Entries count Word paragraphs (¶) in document order, table cells included.
"""
from __future__ import annotations

import re
import zipfile

from .numbering import MAX_LIST_START, split_marker, word_family, word_number
from .outline import Entry, Marker, Outline, escape, read_limited, refuse

MAX_ENTRIES = 2000
MAX_TOTAL = 64 * 1024 * 1024
MAX_ENTRY = 32 * 1024 * 1024
MAX_RATIO = 200
MAX_COLUMNS = 64      # columns one table cell may span
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def check_archive(path, shown: str) -> None:
    """Refuse what is not a .docx, zip bombs and XML with a DOCTYPE."""
    read_limited(path, shown)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(shown, "not a .docx: the file is not a zip archive (or it is truncated)") \
            from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise refuse(shown, f"the archive has {len(infos)} entries (more than "
                                f"{MAX_ENTRIES}): refused as a zip bomb")
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_ENTRY or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
                raise refuse(shown, f"entry {info.filename} would unpack to "
                                    f"{info.file_size:,} bytes (ratio {ratio:.0f}:1): "
                                    "refused as a zip bomb")
        if total > MAX_TOTAL:
            raise refuse(shown, f"the archive would unpack to {total:,} bytes (more than "
                                f"{MAX_TOTAL:,}): refused as a zip bomb")
        names = {info.filename for info in infos}
        if "word/document.xml" not in names:
            raise refuse(shown, "not a Word document: the archive has no word/document.xml")
        for info in infos:   # every entry: a part may be renamed (the rels name the main part)
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise refuse(shown, f"entry {info.filename} cannot be read ({exc}): the "
                                    "archive is damaged or truncated") from None
            if any(mark.encode(codec) in data for mark in ("<!DOCTYPE", "<!ENTITY")
                   for codec in ("utf-8", "utf-16-le", "utf-16-be")):
                raise refuse(shown, f"entry {info.filename} declares a DOCTYPE (XML entities "
                                    "or external references): refused, never resolved")


def _int(value, default: int) -> int:
    """A number from the XML, or ``default`` when it is missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _list_start(value) -> int:
    """A list level's start value, within 0 … :data:`MAX_LIST_START` (as Word keeps it)."""
    return min(max(_int(value, 1), 0), MAX_LIST_START)


class Numbering:
    """Word list numbering: the label of each numbered paragraph, counted as Word does."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, dict]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.findall(q("abstractNum")):
            abstract[node.get(q("abstractNumId"))] = self._levels(node)
        for num in root.findall(q("num")):
            ident = num.get(q("numId"))
            ref = num.find(q("abstractNumId"))
            levels = {k: dict(v) for k, v in abstract.get(ref.get(q("val")) if ref is not None
                                                          else None, {}).items()}
            for override in num.findall(q("lvlOverride")):
                ilvl = _int(override.get(q("ilvl")), 0)
                start = override.find(q("startOverride"))
                lvl = override.find(q("lvl"))
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
                if start is not None and ilvl in levels:
                    levels[ilvl]["start"] = _list_start(start.get(q("val")))
            self.levels[ident] = levels

    @staticmethod
    def _level(lvl) -> dict:
        def val(tag, default):
            node = lvl.find(q(tag))
            return node.get(q("val"), default) if node is not None else default
        return {"fmt": val("numFmt", "decimal"), "text": val("lvlText", "%1."),
                "start": _list_start(val("start", "1")), "legal": lvl.find(q("isLgl")) is not None}

    def _levels(self, node) -> dict[int, dict]:
        return {_int(lvl.get(q("ilvl")), 0): self._level(lvl) for lvl in node.findall(q("lvl"))}

    def marker(self, num_id: str, ilvl: int) -> Marker | None:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return None
        level = levels[ilvl]
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level["fmt"] in ("bullet", "none"):
            return Marker("•", 0, level["text"], ordered=False) if level["fmt"] == "bullet" \
                else None
        label = level["text"]
        for k in range(9):
            if f"%{k + 1}" in label:
                upper = levels.get(k, level)
                fmt = "decimal" if level["legal"] else upper["fmt"]
                value = counters.get(k, upper["start"])
                label = label.replace(f"%{k + 1}", word_number(fmt, value))
        family = word_family(level["fmt"], level["text"], ilvl)
        return Marker(family, counters[ilvl] - level["start"] + 1, label.strip())


def _style_chain(style):
    seen = 0
    while style is not None and seen < 20:
        yield style
        style = style.base_style
        seen += 1


def _num_pr(paragraph) -> tuple[str, int] | None:
    ppr = paragraph._p.pPr
    sources = [ppr] + [s.element.pPr for s in _style_chain(paragraph.style)]
    num_id, ilvl = None, None
    for pr in sources:
        num_pr = None if pr is None else pr.find(q("numPr"))
        if num_pr is None:
            continue
        num, lvl = num_pr.find(q("numId")), num_pr.find(q("ilvl"))
        if num_id is None and num is not None:
            num_id = num.get(q("val"))
        if ilvl is None and lvl is not None:
            ilvl = _int(lvl.get(q("val")), 0)
    if num_id is None or num_id == "0":
        return None
    return num_id, min(max(ilvl or 0, 0), 8)


def _heading_level(paragraph) -> int | None:
    for style in _style_chain(paragraph.style):
        m = HEADING_STYLE.match(style.name or "") or HEADING_STYLE.match(style.style_id or "")
        if m:
            return int(m.group(1))
        ppr = style.element.pPr
        outline = ppr.find(q("outlineLvl")) if ppr is not None else None
        level = _int(outline.get(q("val")), 9) if outline is not None else 9
        if level < 9:
            return max(level, 0) + 1
    return None


def _inline(paragraph) -> str:
    """The paragraph's text in inline syntax: bold and italic runs, http(s)/mailto links."""
    from docx.text.hyperlink import Hyperlink

    out = []
    parts = list(paragraph.iter_inner_content())
    whole_bold = all(getattr(p, "bold", False) for p in parts if getattr(p, "text", ""))
    for part in parts:
        text = part.text or ""
        if not text:
            continue
        if isinstance(part, Hyperlink):
            url = part.address or ""
            if re.match(r"(https?:|mailto:)", url) and text.strip():
                out.append(f"[{escape(text)}]({url.replace(')', '%29').replace(' ', '%20')})")
            else:
                out.append(escape(text))
            continue
        piece = escape(text)
        if part.bold and not whole_bold and text.strip() == text:
            piece = f"**{piece}**"
        elif part.italic and text.strip() == text:
            piece = f"*{piece}*"
        out.append(piece)
    return "".join(out).strip()


def _table_rows(table, inline) -> list[list[str]]:
    """The cells of a Word table (w:tbl), row by row, in inline syntax, one line per
    paragraph (those of a table nested in a cell included). A cell spanning columns is
    followed by empty cells, the continuation of a cell merged down is empty: each text
    is read once, in its column."""
    rows = []
    for tr in table.iterchildren(q("tr")):
        cells = []
        for tc in tr.iterchildren(q("tc")):
            span = tc.find(f"{q('tcPr')}/{q('gridSpan')}")
            merged = tc.find(f"{q('tcPr')}/{q('vMerge')}")
            below = merged is not None and merged.get(q("val"), "continue") == "continue"
            lines = [] if below else [inline(p) for p in tc.iter(q("p"))]
            cells.append("\n".join(line for line in lines if line))
            columns = _int(span.get(q("val")) if span is not None else None, 1)
            cells += [""] * (min(columns, MAX_COLUMNS) - 1)
        rows.append(cells)
    return [row for row in rows if any(row)]


def read(path, shown: str, encoding: str | None = None) -> Outline:
    """The outline of the Word document at ``path``."""
    check_archive(path, shown)
    import docx
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for damaged packages
        raise refuse(shown, f"not a valid .docx: {type(exc).__name__}: {exc}") from None
    numbering = Numbering(document)
    entries: list[Entry] = []
    counter = 0
    previous = None
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == q("p"):
            counter += 1
            paragraph = Paragraph(child, document)
            text = _inline(paragraph)
            if not text:
                continue
            level = _heading_level(paragraph)
            num = _num_pr(paragraph)
            marker = numbering.marker(*num) if num else None
            if marker is None:
                marker, rest = split_marker(text, previous)
                text = rest.strip() if marker else text
            previous = marker or previous
            kind = "heading" if level else ("item" if marker else "para")
            entries.append(Entry(kind, text, counter, level, marker))
        elif child.tag == q("tbl"):
            rows = _table_rows(child, lambda p: _inline(Paragraph(p, document)))
            if any(any(row) for row in rows):
                entries.append(Entry("table", line=counter + 1, rows=rows))
            counter += sum(1 for _ in child.iter(q("p")))
    if not entries:
        raise refuse(shown, "the document has no text")
    return Outline(shown, "docx", entries, "docx", unit="paragraph")
