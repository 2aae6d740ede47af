"""Reader of plain-text policies (.txt): the numbering typed in the text is the structure.

The bytes are decoded as UTF-8 (with or without a BOM), UTF-16 (with a BOM) or, for
other files, the encoding charset-normalizer detects (GB18030 for GBK/GB2312, its
superset); ``--encoding`` overrides. Every non-empty line is an entry; a group of short
lines between blank lines whose words are a known table header (业务功能 / 对应权限 /
使用目的 …, SDK名称 …, Feature / Permission / Purpose) starts a table whose rows are the
following groups of as many lines, and lines of tab-separated cells are table rows; so
are tables written with pipes under a ``---|---`` delimiter row (Markdown copied as text).
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from .numbering import split_marker, typed_glyph
from .outline import Entry, Outline, escape, link, read_limited, refuse

HEADER_WORDS = re.compile(
    r"^(业务功能|功能|业务场景|对应权限|权限|权限名称|所需权限|使用目的|目的|用途|是否询问|"
    r"是否提示|可否关闭|是否可关闭|是否可以关闭|SDK\s*名称|第三方(名称|SDK)?|SDK|使用场景|"
    r"收集(的)?个人信息(类型|字段)?|个人信息(类型|字段)|第三方主体|提供方|公司名称|"
    r"隐私政策(链接)?|官网链接|处理方式|共享方式|Feature|Function|Permissions?|Purpose|"
    r"Asked|Ask(ed)? first|Can be (disabled|turned off)|Optional|SDK name|Provider|"
    r"Data( collected)?|Privacy policy)$", re.I)
CHINESE_ENCODINGS = {"gb2312", "gbk", "gb18030", "hz", "hz_gb_2312", "cp936"}
# the encodings a text file, web page or --encoding may name, by Python's codec name:
# Unicode, the Chinese, Japanese and Korean ones, and the single-byte code pages (never
# a transform such as rot13, base64 or zlib, nor punycode, idna or the escape codecs)
TEXT_ENCODINGS = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                  "utf-32-le", "utf-32-be", "ascii", "gb18030", "gbk", "gb2312", "hz",
                  "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp",
                  "euc_jis_2004", "shift_jis_2004", "iso2022_jp", "euc_kr", "cp949",
                  "johab", "tis-620", "koi8-r", "koi8-u", "koi8-t", "kz1048", "ptcp154"}
SINGLE_BYTE = re.compile(r"(?:iso8859-\d{1,2}|cp\d{3,4}|mac-[a-z]{4,10})")


def text_codec(name: str, shown: str) -> str:
    """The Python codec of the text encoding ``name``; anything else is refused."""
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):
        raise refuse(shown, f"unknown encoding '{name}'") from None
    if codec not in TEXT_ENCODINGS and not SINGLE_BYTE.fullmatch(codec):
        raise refuse(shown, f"'{name}' is not a text encoding policyc reads (use utf-8, "
                            "gb18030, big5, shift_jis, a code page such as cp1252 …)")
    return codec


def decode(data: bytes, shown: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read in; binary, truncated or
    undecodable input is refused with the byte offset of the problem."""
    if encoding:
        return _strict(data, text_codec(encoding, shown), shown), encoding
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, name, shown), name
    if b"\x00" in data:
        raise refuse(shown, f"binary data (a NUL byte at byte {data.index(0)}); "
                            "policyc imports text, Markdown, HTML and .docx files")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            raise refuse(shown, f"the file ends inside a UTF-8 character at byte "
                                f"{exc.start} (truncated?)") from None
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise refuse(shown, "cannot tell the text's encoding (binary data?); give it with "
                            "--encoding, e.g. --encoding gb18030")
    name = "gb18030" if best.encoding.lower() in CHINESE_ENCODINGS else best.encoding
    return _strict(data, text_codec(name, shown), shown), name


def _strict(data: bytes, encoding: str, shown: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise refuse(shown, f"not valid {encoding} at byte {exc.start}: {exc.reason}; give "
                            "the right encoding with --encoding") from None


def check_text(text: str, shown: str) -> tuple[str, list[tuple[int, str]]]:
    """``text`` without the stray control characters a copied page may hold, and a note
    (line, what) for each dropped one; text full of them (binary data read as text) is
    refused."""
    found = [(number, col, ch) for number, line in enumerate(text.splitlines(), 1)
             for col, ch in enumerate(line, 1)
             if unicodedata.category(ch) == "Cc" and ch not in "\t\x0c"]
    if not found:
        return text, []
    if len(found) > 8 or len(found) > 1 and len(found) > len(text) / 100:
        number, col, ch = found[0]
        raise refuse(shown, f"control character U+{ord(ch):04X} in the text (binary "
                            "data?)", number, col)
    drop = {ch for _, _, ch in found}
    cleaned = "".join(ch for ch in text if ch not in drop or ch in "\n\r")
    return cleaned, [(number, f"control character U+{ord(ch):04X} at column {col} dropped")
                     for number, col, ch in found]


def read(path, shown: str, encoding: str | None = None) -> Outline:
    """The outline of the text file at ``path``."""
    text, used = decode(read_limited(path, shown), shown, encoding)
    text, dropped = check_text(text, shown)
    return Outline(shown, "text", entries_of(text.splitlines()), used, dropped=dropped)


MARKUP = re.compile(r"\*\*|__|\]\(|<(?:https?|mailto):|(?<![\w*])[*_](?=\S)|"
                    r"\\[!-/:-@\[-`{-~]")
ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def inline(line: str) -> str:
    """A line of text as inline syntax. Text copied from a page often keeps the page's
    Markdown (``**bold**``, ``[text](url)``, ``<https://…>``): that markup is read as
    markup, so the reader sees bold text and links; a ``**`` left unmatched is dropped."""
    if not MARKUP.search(line):
        return escape(line)
    from markdown_it import MarkdownIt

    from .markdown import inline_text

    tokens = MarkdownIt("commonmark").parseInline(line)
    return inline_text(tokens[0], html_as_text=True) if tokens else escape(line)


def _join_open_markup(group: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines of a group joined where a ``**`` opened on one line closes on the next, or a
    link's words run on to the next line (``[《协议》\n](https://…)``)."""
    out: list[tuple[int, str]] = []
    for number, line in group:
        before = out[-1][1] if out else ""
        open_link = before.count("[") > before.count("]") and "](" in line or \
            before.rfind("](") > before.rfind(")")        # its target runs on
        if out and (before.count("**") % 2 and line.count("**") % 2 or open_link):
            before = out[-1][1]
            gap = "" if re.search(r"[\u3000-\u9fff\uff00-\uffef*_]$", before) else " "
            out[-1] = (out[-1][0], before + gap + line)
            continue
        out.append((number, line))
    return out


def clean(line: str) -> str:
    return line.replace("\u3000", " ").replace("\u00a0", " ").strip(" \t\ufeff\x0c")


def entries_of(lines: list[str]) -> list[Entry]:
    """Entries of the lines of a text: paragraphs with their typed numbering, tables."""
    lines, tables = _pipe_tables(lines)
    groups: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, 1):
        line = clean(raw)
        if line:
            current.append((number, line))
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    groups = [_join_open_markup(group) for group in groups]
    entries: list[Entry] = []
    previous = None
    g = 0
    while g < len(groups):
        group = groups[g]
        table, used = _cell_table(groups, g)
        if table is not None:
            entries.append(table)
            g += used
            continue
        i = 0
        while i < len(group):
            number, line = group[i]
            if "\t" in line and i + 1 < len(group) and "\t" in group[i + 1][1]:
                rows = []
                while i < len(group) and "\t" in group[i][1]:
                    rows.append([escape(c.strip()) for c in re.split(r"\t+", group[i][1])])
                    i += 1
                entries.append(Entry("table", line=number, rows=rows))
                continue
            heading = ATX.match(line)
            if heading:     # a page's Markdown heading kept in the copied text
                marker, rest = split_marker(_unwrapped(heading.group(2)))
                entries.append(Entry("heading", inline(rest.strip() if marker else
                                                       heading.group(2)), number,
                                     len(heading.group(1)), marker))
                i += 1
                continue
            marker, rest = split_marker(_unwrapped(line), previous)
            if typed_glyph(marker):
                marker = None
            previous = marker or previous
            entries.append(Entry("item" if marker else "para",
                                 inline(rest.strip() if marker else line), number,
                                 marker=marker))
            i += 1
        g += 1
    return sorted(entries + tables, key=lambda e: e.line)


def _unwrapped(line: str) -> str:
    """A line wholly in bold (``**一、引言**``) without its bold marks, a number escaped as
    Markdown does (``1\\.``) unescaped: its numbering is read as on any line."""
    line = re.sub(r"^\s*[_*]{1,3}(?=\d{1,3}\\?[.)、])", "", line)   # _2\.根据…_
    line = re.sub(r"^(\s*\d{1,3})\\([.)])", r"\1\2", line)
    if re.fullmatch(r"\*\*.+\*\*[ \t]*", line) and line.count("**") % 2 == 0:
        return re.sub(r"\s{0,40}\*\*\s{0,40}", lambda m: " " if m.start() and
                      m.end() < len(line) and " " in m.group() else "", line).strip()
    return line


def _cell_table(groups: list[list[tuple[int, str]]], g: int) -> tuple[Entry | None, int]:
    """A table written one cell per line, rows between blank lines, starting at group ``g``."""
    header = groups[g]
    width = len(header)
    if not 3 <= width <= 10 or sum(bool(HEADER_WORDS.match(c)) for _, c in header) < 3:
        return None, 0
    rows = [[escape(c) for _, c in header]]
    k = g + 1
    while k < len(groups) and len(groups[k]) == width:
        rows.append([escape(c) for _, c in groups[k]])
        k += 1
    if len(rows) < 2:
        return None, 0
    return Entry("table", line=header[0][0], rows=rows), k - g


CELL_LINK = re.compile(r"\[([^\][]*)\]\(((?:https?|mailto):[^)\s]*(?:\n[^)\s]+)*)\)|"
                       r"<((?:https?|mailto):[^>\s]+)>")
DELIMITER = re.compile(r"^\s*+\|?\s*+:?-{3,}:?\s*+(?:\|\s*+:?-{3,}:?\s*+)+\|?\s*$")  # possessive: linear
BULLET = re.compile(r"^\s*[*+-]\s+")


def _pipe_tables(lines: list[str]) -> tuple[list[str], list[Entry]]:
    """Tables written with pipes (a page's table copied as Markdown), told by the delimiter
    row under their header (``---|---|---``): either one row a line (``a | b | c``) or
    one cell a line, cells between lines holding only ``|``, rows between blank lines (a
    row with fewer cells than the header ends in empty ones).
    The lines of each table are blanked; rows that do not fit the header stay text."""
    lines = list(lines)
    tables = []
    for k, line in enumerate(lines):
        if not DELIMITER.match(line):
            continue
        width = line.strip().strip("|").count("|") + 1
        found = _row_lines(lines, k, width) or _cell_lines(lines, k, width)
        if found:
            start, end, rows = found
            tables.append(Entry("table", line=start + 1, rows=rows))
            lines[start:end] = [""] * (end - start)
    return lines, tables


def _split_row(line: str) -> list[str]:
    """The cells of ``a | b | c`` (or ``| a | b |``), as inline syntax."""
    line = BULLET.sub("", clean(line))
    cells = line.split("|")
    if line.startswith("|") and line.endswith("|") and len(cells) > 2:
        cells = cells[1:-1]
    return [_cell_text(cell) for cell in cells]


def _cell_text(text: str) -> str:
    """A cell's text as inline syntax: the bold that wraps it all (a header cell's, as
    Markdown copied it) and empty bold runs left out, Markdown links (``[text](url)``,
    ``<url>``, an address cut by a line break made whole) kept as links."""
    text = "\n".join(clean(line) for line in re.sub(r"\*\*\s*\*\*", " ", text).split("\n"))
    bold = re.fullmatch(r"\*\*([^*]+)\*\*", text)
    text = bold.group(1) if bold else text
    out, end = [], 0
    for found in CELL_LINK.finditer(text):
        out.append(escape(text[end:found.start()]))
        words, href = found.group(1, 2) if found.group(2) else (found.group(3),) * 2
        out.append(link(escape(words.replace("\n", "")), href.replace("\n", "")))
        end = found.end()
    return "".join(out) + escape(text[end:])


def _row_lines(lines: list[str], k: int, width: int):
    """(first line, end, rows) of a table a row a line around the delimiter at ``k``; a line
    without a pipe after a row ending in an empty cell fills that cell."""
    if k == 0 or len(_split_row(lines[k - 1])) != width:
        return None
    rows = [_split_row(lines[k - 1])]
    i = k + 1
    while i < len(lines) and clean(lines[i]):
        if "|" in lines[i] and len(_split_row(lines[i])) == width:
            rows.append(_split_row(lines[i]))
        elif "|" not in lines[i] and len(rows) > 1 and not rows[-1][-1]:
            rows[-1][-1] = _cell_text(lines[i])
        else:
            break
        i += 1
    return (k - 1, i, rows) if len(rows) > 1 else None


def _cell_lines(lines: list[str], k: int, width: int):
    """(first line, end, rows) of a table a cell a line around the delimiter at ``k``."""
    def group(start: int, step: int) -> tuple[list[int], int]:
        i = start
        while 0 <= i < len(lines) and not clean(lines[i]):
            i += step
        taken = []
        while 0 <= i < len(lines) and clean(lines[i]) and not DELIMITER.match(lines[i]):
            taken.append(i)
            i += step
        return sorted(taken), i

    def cells(numbers: list[int], least: int) -> list[str] | None:
        """The cells of a group, if it has ``least`` to ``width`` of them."""
        out: list[list[str]] = [[]]
        for n in numbers:
            if clean(lines[n]) == "|":
                out.append([])
            else:
                out[-1].append(lines[n])
        return [_cell_text("\n".join(c)) for c in out] \
            if least <= len(out) <= width and all(out) else None

    header = group(k - 1, -1)[0][-(2 * width - 1):]    # one line a header cell
    first = cells(header, width)
    if first is None:
        return None

    def text_after_row(numbers: list[int]) -> tuple[list[int], int | None]:
        """A row's lines, and where the text after the table begins when it follows the
        last cell without a blank line: at a numbered or bold line past the cell's first."""
        bars = [n for n in numbers if clean(lines[n]) == "|"]
        last = numbers.index(bars[-1]) + 1 if bars else 0
        for j in range(last + 1, len(numbers)):
            text = clean(lines[numbers[j]])
            if text.startswith("**") or split_marker(text)[0] is not None:
                return numbers[:j], numbers[j]
        return numbers, None

    rows, end, i = [first], k + 1, k + 1
    while True:
        numbers, after = group(i, 1)
        numbers, cut = text_after_row(numbers)
        row = cells(numbers, 2) if numbers else None   # a row may end early
        following = next((line for line in lines[after:] if clean(line)), "")
        if row is None or (cut is None and DELIMITER.match(following)):
            break       # (a group followed by a delimiter heads the next table)
        rows.append(row)
        end = i = after if cut is None else cut
        if cut is not None:
            break       # the text after the table starts without a blank line
    return (header[0], end, rows) if len(rows) > 1 else None

