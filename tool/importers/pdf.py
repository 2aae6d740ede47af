"""Reader of text PDFs (.pdf), laid out by pdfminer.six.

The text lines of each page are gathered into rows (pieces on one baseline, left to
right: a bullet and its item, the cells of a table row) and read top to bottom. Running
headers and footers — rows in a page's top or bottom band that recur at the same place on
most pages, digits aside — and page numbers are left out. Rows join into paragraphs
until a wider gap, a change of font size or weight, a numbering label, or a short row
ending a sentence; a paragraph cut by a page break is joined again. Lines join with a
space, without one between Chinese characters, and a word hyphenated at a line end is
made whole. Larger type makes headings (levels by size), a short bold row a heading
below them. Rows whose pieces stand a wide gap apart are table rows: columns start where
cells start, lines wrapping inside a cell join it, a table going on over a page break is
one table (its repeated header once). A contents line's page number is left out. One
column of text is assumed: a page set in two columns comes out as a two-column table.

The PDF is laid out in a child process with a memory limit and a time limit, and pages
are counted first: a PDF bomb, a huge or a slow file is refused, never run to exhaustion.
Scanned PDFs (no text layer) and encrypted ones are refused with a message saying so.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from .numbering import split_marker
from .outline import Entry, Outline, escape, read_limited, refuse

MAX_PAGES = 500
MAX_SECONDS = 120           # for laying out the whole file
MAX_MEMORY = 1024 ** 3      # bytes the child process may allocate
CELL_GAP = 0.8              # a gap this many ems wide on a line separates table cells
BAND = 0.12                 # share of the page height where running headers and footers sit
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
SENTENCE_END = re.compile(r"[.!?。！？；;:：)）”」』]$")
PAGE_NUMBER = re.compile(r"(?i)^(?:page\s*)?[-–—]?\s*\d+\s*[-–—]?(?:\s*(?:/|of|de|von)\s*\d+)?$|"
                         r"^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$")
BOLD_FONT = re.compile(r"(?i)bold|black|heavy|semibold|demi|,b\b|-b$")
LEADER = re.compile(r"\s{0,40}[.．·…_]{4,400}\s{0,40}\d{1,6}$")   # bounded: linear
HYPHENS = ("\u00ad", "\u2010")   # soft hyphen, WeasyPrint's and TeX's hyphenation hyphen


@dataclass
class Row:
    """Text on one baseline of a page."""

    text: str
    page: int
    top: float
    bottom: float
    left: float
    right: float
    size: float
    bold: bool
    cells: list[Row] = field(default_factory=list)   # a table row's cells, left to right


def read(path, shown: str, encoding: str | None = None) -> Outline:
    """The outline of the PDF at ``path`` (``encoding`` does not apply to PDFs)."""
    data = read_limited(path, shown)
    if b"%PDF-" not in data[:1024]:
        raise refuse(shown, "not a PDF: the file does not start with %PDF-")
    pages = _laid_out(data, shown)
    rows = _without_running_lines(pages)
    if not any(row.text.strip() for row in rows):
        raise refuse(shown, "the PDF has no text layer (a scan?); policyc imports PDFs whose "
                            "text can be selected — run OCR first, or import the text")
    return Outline(shown, "pdf", _entries(rows), "pdf", unit="paragraph")


def visible_lines(path) -> list[str]:
    """The lines a reader of the PDF at ``path`` sees, in reading order, its running
    headers, footers and page numbers left out, the pieces of a row set apart (a table's
    cells) each a line, a hyphen that splits a word at a line's end dropped: what the import is verified against (no headings, paragraphs or tables
    are recognised here)."""
    shown = str(path)
    rows = _without_running_lines(_laid_out(read_limited(path, shown), shown))
    return [piece.text.rstrip("".join(HYPHENS)) for row in rows
            for piece in (row.cells or [row])]


# ----------------------------------------------------------------------------- layout


def _laid_out(data: bytes, shown: str) -> list[tuple[float, list[Row]]]:
    """(page height, rows) of every page, laid out in a child process within the limits."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_layout_child, args=(data, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(MAX_SECONDS):
            raise refuse(shown, f"laying out the PDF took longer than {MAX_SECONDS} s; "
                                "import its text instead")
        kind, value = receiver.recv()
    except EOFError:   # the child died: out of memory, or killed
        raise refuse(shown, "the PDF could not be read within "
                            f"{MAX_MEMORY // 1024 ** 2} MB of memory") from None
    finally:
        child.kill()
        child.join()
        receiver.close()
    if kind == "error":
        raise refuse(shown, value)
    return value


def _layout_child(data: bytes, sender) -> None:
    """Lay out ``data`` and send ("pages", …) or ("error", message) through ``sender``."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MAX_MEMORY, MAX_MEMORY))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform without limits
        pass
    try:
        sender.send(("pages", _layout(data)))
    except MemoryError:
        sender.send(("error", f"the PDF needs more than {MAX_MEMORY // 1024 ** 2} MB of "
                              "memory to read"))
    except _Refused as exc:
        sender.send(("error", str(exc)))
    except Exception as exc:  # pdfminer raises many types for damaged files
        name = type(exc).__name__
        if "Encrypt" in name or "Password" in name:
            sender.send(("error", "the PDF is encrypted; save an unprotected copy first"))
        else:
            sender.send(("error", f"not a readable PDF: {name}: {exc}"))
    finally:
        sender.close()


class _Refused(Exception):
    """A reason to refuse the PDF, found while laying it out."""


def _layout(data: bytes) -> list[tuple[float, list[Row]]]:
    import io

    from pdfminer.layout import LAParams
    from pdfminer.high_level import extract_pages
    from pdfminer.pdfpage import PDFPage

    count = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    if count > MAX_PAGES:
        raise _Refused(f"the PDF has {count} pages; policyc imports PDFs of up to "
                       f"{MAX_PAGES} pages")
    pages = []
    # lines split at gaps wider than half a character (cells); rows join them again
    laparams = LAParams(char_margin=0.5)
    for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=laparams), 1):
        pages.append((page.height, _rows(_lines(page), number)))
    return pages


def _lines(container) -> list:
    """The text lines under a layout object, depth first."""
    from pdfminer.layout import LTTextLine

    out = []
    for item in container:
        if isinstance(item, LTTextLine):
            out.append(item)
        elif hasattr(item, "__iter__") and not isinstance(item, str):
            out.extend(_lines(item))
    return out


def _rows(lines: list, page: int) -> list[Row]:
    """Lines on one baseline joined left to right, top to bottom."""
    from pdfminer.layout import LTChar

    pieces = []
    for line in lines:
        text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]|\(cid:\d+\)", "", line.get_text()).strip()
        if not text:
            continue
        chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
        size = statistics.median(c.size for c in chars) if chars else line.height
        bold = bool(chars) and sum(bool(BOLD_FONT.search(c.fontname)) for c in chars) \
            >= 0.8 * len(chars)
        pieces.append(Row(text, page, line.y1, line.y0, line.x0, line.x1, size, bold))
    pieces.sort(key=lambda p: (-p.top, p.left))
    rows: list[list[Row]] = []
    for piece in pieces:
        row = rows[-1] if rows else None
        if row and _same_baseline(row[0], piece):
            row.append(piece)
        else:
            rows.append([piece])
    return [_row_of(sorted(row, key=lambda p: p.left)) for row in rows]


def _row_of(pieces: list[Row]) -> Row:
    """The row of pieces on one baseline; pieces a wide gap apart are cells of a table."""
    cells: list[list[Row]] = [[pieces[0]]]
    for before, piece in zip(pieces, pieces[1:]):
        if piece.left - before.right > CELL_GAP * piece.size:
            cells.append([piece])
        else:
            cells[-1].append(piece)
    if len(cells) == 2 and re.fullmatch(r"\d+", cells[1][-1].text):
        return _joined_row(cells[0])    # a line of the contents: its page number left out
    row = _joined_row(pieces)
    if len(cells) > 1:
        row.cells = [_joined_row(cell) for cell in cells]
    return row


def _same_baseline(a: Row, b: Row) -> bool:
    overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
    return overlap > 0.5 * min(a.top - a.bottom, b.top - b.bottom)


def _joined_row(pieces: list[Row]) -> Row:
    text = pieces[0].text
    for before, piece in zip(pieces, pieces[1:]):
        close = piece.left - before.right < 0.2 * piece.size
        text += ("" if close and (CJK.search(text[-1]) or CJK.match(piece.text)) else " ") \
            + piece.text
    first = pieces[0]
    text = LEADER.sub("", text)     # a contents line's dots and page number
    return Row(text, first.page, max(p.top for p in pieces), min(p.bottom for p in pieces),
               first.left, pieces[-1].right, max(p.size for p in pieces),
               all(p.bold for p in pieces))


# ----------------------------------------------------------------------------- running lines


def _without_running_lines(pages: list[tuple[float, list[Row]]]) -> list[Row]:
    """The rows of every page but running headers and footers and page numbers: rows in
    the top or bottom band, set apart from the text by a gap, that recur (digits aside)
    at the same height on most pages."""
    def key(row: Row) -> tuple[str, int]:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", row.text)), round(row.top / 6)

    marginal = [_marginal(rows, height) for height, rows in pages]
    seen: dict[tuple[str, int], int] = {}
    for rows in marginal:
        for k in {key(row) for row in rows}:
            seen[k] = seen.get(k, 0) + 1
    recurring = {k for k, n in seen.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)}
    return [row for (_, rows), apart in zip(pages, marginal) for row in rows
            if not (row in apart and (key(row) in recurring
                                      or PAGE_NUMBER.match(row.text.strip())))]


def _marginal(rows: list[Row], height: float) -> list[Row]:
    """The rows in the page's top or bottom band that a gap sets apart from their
    neighbours: where running headers, footers and page numbers are."""
    out = []
    for k, row in enumerate(rows):
        if not (row.bottom > height * (1 - BAND) or row.top < height * BAND):
            continue
        above = rows[k - 1].bottom - row.top if k else height
        below = row.bottom - rows[k + 1].top if k + 1 < len(rows) else height
        if min(above, below) >= 0.8 * row.size:
            out.append(row)
    return out


# ----------------------------------------------------------------------------- paragraphs


def _entries(rows: list[Row]) -> list[Entry]:
    """Headings, paragraphs, numbered items and tables of the rows, in order."""
    body = _body_size(rows)
    right = max((row.right for row in rows), default=0)
    paragraphs: list[list[Row] | Grid] = []
    for row in _with_tables(rows):
        last = paragraphs[-1] if paragraphs else None
        if isinstance(row, Row) and isinstance(last, list) \
                and _continues(last[-1], row, body, right):
            last.append(row)
        else:
            paragraphs.append([row] if isinstance(row, Row) else row)
    sizes = sorted({round(p[0].size) for p in paragraphs
                    if isinstance(p, list) and _heading_size(p, body)}, reverse=True)
    entries: list[Entry] = []
    previous = None
    for number, paragraph in enumerate(paragraphs, 1):
        if isinstance(paragraph, Grid):
            entries.append(Entry("table", line=number, rows=[
                [escape(_joined_lines(cell)) for cell in row] for row in paragraph.rows]))
            continue
        text = escape(_joined_lines([row.text for row in paragraph]))
        first = paragraph[0]
        level = None
        if _heading_size(paragraph, body):
            level = sizes.index(round(first.size)) + 1
        elif first.bold and len(paragraph) == 1 and len(text) <= 80 \
                and not SENTENCE_END.search(text):
            level = len(sizes) + 1
        if level:
            marker, rest = split_marker(text)
            entries.append(Entry("heading", rest.strip() if marker else text, number, level,
                                 marker))
            continue
        marker, rest = split_marker(text, previous)
        previous = marker or previous
        entries.append(Entry("item" if marker else "para", rest.strip() if marker else text,
                             number, marker=marker))
    return entries


@dataclass
class Grid:
    """A table found on the page: each cell its lines, every row as wide as the table."""

    rows: list[list[list[str]]]
    page: int


def _with_tables(rows: list[Row]) -> list[Row | Grid]:
    """The rows, runs of table rows (rows of cells and the lines that wrap inside their
    cells) replaced by tables; a table going on over a page break is one table, its
    header repeated on the new page left out."""
    out: list[Row | Grid] = []
    k = 0
    while k < len(rows):
        if not rows[k].cells:
            out.append(rows[k])
            k += 1
            continue
        region = [rows[k]]
        k += 1
        while k < len(rows) and _in_table(region, rows[k]):
            region.append(rows[k])
            k += 1
        grid = _grid(region)
        last = out[-1] if out else None
        if isinstance(last, Grid) and last.page + 1 == grid.page \
                and len(last.rows[0]) == len(grid.rows[0]):
            last.rows += grid.rows[1:] if grid.rows[0] == last.rows[0] else grid.rows
            last.page = grid.page
        else:
            out.append(grid)
    return out


def _in_table(region: list[Row], row: Row) -> bool:
    """Whether ``row`` goes on with the table rows of ``region``: close below them, and
    either a row of cells or a line wrapping inside a cell."""
    last = region[-1]
    if row.page != last.page or last.bottom - row.top > 1.6 * row.size:
        return False
    return bool(row.cells) or row.left > region[0].left + row.size \
        or last.bottom - row.top <= 0.5 * row.size


def _grid(region: list[Row]) -> Grid:
    """The table of a run of table rows: columns where cells start, a table row where a
    row has text in the first column after a gap."""
    size = region[0].size
    starts: list[float] = []
    for left in sorted(cell.left for row in region for cell in row.cells or [row]):
        if not starts or left - starts[-1] > 0.5 * size:
            starts.append(left)
    table: list[list[list[str]]] = []
    previous = None
    for row in region:
        cells = row.cells or [row]
        columns = [max(k for k, start in enumerate(starts) if start <= cell.left + 0.5 * size)
                   for cell in cells]
        if not table or (0 in columns and previous.bottom - row.top > 0.5 * size):
            table.append([[] for _ in starts])
        for cell, column in zip(cells, columns):
            table[-1][column].append(cell.text)
        previous = row
    return Grid(table, region[0].page)


def _body_size(rows: list[Row]) -> float:
    """The font size most of the text is set in."""
    weight: dict[float, int] = {}
    for row in rows:
        weight[round(row.size, 1)] = weight.get(round(row.size, 1), 0) + len(row.text)
    return max(weight, key=weight.get) if weight else 0.0


def _heading_size(paragraph: list[Row], body: float) -> bool:
    """Whether a paragraph is a heading by its size: larger type, at most two rows."""
    return paragraph[0].size >= body * 1.15 and len(paragraph) <= 2 \
        and sum(len(row.text) for row in paragraph) <= 120


def _continues(last: Row, row: Row, body: float, right: float) -> bool:
    """Whether ``row`` goes on with the paragraph whose last row is ``last``."""
    if abs(row.size - last.size) > 0.5 or row.bold != last.bold:
        return False
    if split_marker(row.text)[0] is not None:
        return False
    ends_sentence = SENTENCE_END.search(last.text) is not None
    full = last.right >= right - 2 * body
    if row.page != last.page:      # a paragraph cut by the page break goes on
        return full and not ends_sentence
    gap = last.bottom - row.top
    if gap > 0.45 * row.size:
        return False
    return not (ends_sentence and not full)


def _joined_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one text: hyphenated words made whole, no space between
    Chinese characters, a space elsewhere."""
    text = ""
    for line in lines:
        if not text:
            text = line
        elif text.endswith(HYPHENS):
            text = text[:-1] + line
        elif text.endswith("-") and re.search(r"[A-Za-z]-$", text) and line[:1].islower():
            text += line          # a hyphen that stays (e-mail); the word is not split
        elif CJK.search(text[-1]) or CJK.match(line):
            text += line
        else:
            text += " " + line
    return text
