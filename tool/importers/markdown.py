"""Reader of Markdown policies (.md), parsed as CommonMark (with tables) by markdown-it-py.

Headings give sections their levels; a single top heading is the title. Lists keep
their nesting; the numbers typed inside paragraphs (1、 / （一）) are read as in a text.
Raw HTML is dropped (reported), never carried into the sources.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

from .html import table_entries
from .numbering import split_marker
from .outline import Entry, Marker, Outline, escape, link, read_limited
from .text import check_text, decode

CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")


def inline_text(token) -> str:
    """The inline syntax of an ``inline`` token's children."""
    out: list[str] = []
    links: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(escape(child.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append("" if out and CJK_END.search(out[-1]) else " ")
        elif kind in ("strong_open", "strong_close"):
            out.append("**")
        elif kind in ("em_open", "em_close"):
            out.append("*")
        elif kind == "link_open":
            links.append(child.attrs.get("href", ""))
            out.append("\0")
        elif kind == "link_close" and links:
            href = links.pop()
            start = len(out) - 1 - out[::-1].index("\0")
            text = "".join(out[start + 1:])
            out[start:] = [link(text, str(href))]
        elif kind == "image":
            out.append(escape(child.content or ""))
    text = "".join(out).replace("\0", "")
    return text.replace("****", "").strip()   # an empty bold run


BREAK_TAG = re.compile(r"<br\s*/?>", re.I)
CELL_BULLET = re.compile(r"^\s*[*+-]\s+")


def cell_text(token) -> str:
    """A table cell's inline syntax: each ``<br>`` a line break (GFM cells have no other),
    the bullet that starts a line of a list written in the cell (``<br>*   item``) left
    out, as a list's bullet is, blank lines dropped."""
    lines: list[list] = [[]]
    for child in token.children or []:
        if child.type == "html_inline" and BREAK_TAG.fullmatch(child.content.strip()):
            lines.append([])
        else:
            lines[-1].append(child)
    out = []
    for children in lines:
        if children and children[0].type == "text":
            first = children[0].copy()
            first.content = CELL_BULLET.sub("", first.content)
            children = [first, *children[1:]]
        text = inline_text(SimpleNamespace(children=children))
        if text:
            out.append(text)
    return "\n".join(out)


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


FRONT_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*?)[ \t]*$")


def _front_matter(text: str, entries: list[Entry], dropped: list,
                  settings: dict[str, str]) -> str:
    """Take a YAML front matter block (Jekyll, Docusaurus) out of the text: its ``title``
    is the first paragraph, its one-line ``key: value`` entries go to ``settings`` (the
    Markdown edition writes them back). The lines are blanked, so line numbers stay
    those of the file. The block is read line by line, never as YAML."""
    m = FRONT_MATTER.match(text)
    if not m:
        return text
    for number, line in enumerate(m.group(1).splitlines(), 2):
        key = FRONT_KEY.match(line)
        if not key or not key.group(2):
            continue
        value = key.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        settings[key.group(1)] = value
        if key.group(1) == "title":
            entries.append(Entry("para", escape(value.strip()), number))
    dropped.append((1, "front matter: its title is the title, its keys go to front_matter"))
    return "\n" * m.group(0).count("\n") + text[m.end():]


def read(path, shown: str, encoding: str | None = None) -> Outline:
    """The outline of the Markdown file at ``path``."""
    from markdown_it import MarkdownIt

    text, used = decode(read_limited(path, shown), shown, encoding)
    check_text(text, shown)
    entries: list[Entry] = []
    dropped: list[tuple[int, str]] = []
    settings: dict[str, str] = {}
    text = _front_matter(text, entries, dropped, settings)
    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse(text)
    lists: list[list] = []           # [ordered, next value, depth] per open list
    in_item_first = False
    row: list[str] | None = None
    table: Entry | None = None
    previous = None
    pending_heading = None
    for k, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 0
        kind = token.type
        if kind == "heading_open":
            pending_heading = (int(token.tag[1]), line)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1)) if kind == "ordered_list_open" else 0
            lists.append([kind == "ordered_list_open", start, len(lists) + 1])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            in_item_first = True
        elif kind == "table_open":
            table = Entry("table", line=line)
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and table is not None and row is not None:
            table.rows.append(row)
        elif kind == "table_close" and table is not None:
            entries.append(table)
            table = None
        elif kind == "html_block" and token.content.lstrip()[:6].lower() == "<table":
            entries += table_entries(token.content, line)
        elif kind in ("html_block", "html_inline"):
            dropped.append((line, "raw HTML dropped (never run, not imported)"))
        elif kind == "inline":
            content = inline_text(token)
            if row is not None and table is not None and tokens[k - 1].type in ("th_open",
                                                                                 "td_open"):
                row.append(cell_text(token))
                continue
            if not content:
                continue
            if pending_heading:
                marker, rest = split_marker(content)
                entries.append(Entry("heading", rest.strip() if marker else content,
                                     pending_heading[1], pending_heading[0], marker))
                pending_heading = None
                continue
            if in_item_first and lists:
                in_item_first = False
                ordered, value, depth = lists[-1]
                lists[-1][1] += 1
                family = ("1." if depth == 1 else f"list:ol{depth}") if ordered else "•"
                if not ordered and depth > 1:
                    family = f"list:ul{depth}"
                typed, rest = split_marker(content)
                marker = typed if typed and typed.ordered and rest.strip() else Marker(
                    family, value if ordered else 0, f"{value}." if ordered else "•", ordered)
                entries.append(Entry("item", rest.strip() or content, line, marker=marker))
                previous = marker
                continue
            marker, rest = split_marker(content, previous)
            previous = marker or previous
            entries.append(Entry("item" if marker else "para", rest.strip() if marker else
                                 content, line, marker=marker))
    return Outline(shown, "markdown", entries, used, dropped=dropped, front_matter=settings)
