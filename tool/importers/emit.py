"""Write an imported policy as a source folder: policy.yaml, one file per section.

Every string is written as a double-quoted YAML scalar with everything but printable
characters escaped, so no content can become YAML syntax (a key, an alias, a tag, a
comment): what the input said stays data. Keys come from the model, never from the
input. The folder is written next to its destination and renamed into place only once
it is complete and loads without an error.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .structure import Item, ListBlock, Para, Sec, TableBlock


def quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back as exactly ``text``."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif unicodedata.category(ch)[0] in "CZ" and ch != " " or ch in "\u2028\u2029\ufeff":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return quote(str(value))


def dump(value, indent: int = 0) -> list[str]:
    """YAML lines of a value made of dicts (keys in order), lists and scalars."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines += dump(item, indent + 2)
            elif isinstance(item, (dict, list)):
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{key}: {scalar(item)}")
        return lines
    for item in value:
        if isinstance(item, (dict, list)) and item:
            inner = dump(item, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines += inner[1:]
        else:
            lines.append(f"{pad}- {scalar(item) if not isinstance(item, (dict, list)) else '[]'}")
    return lines


EMPHASIS = re.compile(r"(?<!\\)(?:\*+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9]))")


def balanced(text: str) -> str:
    """``text`` whose bold and italic marks all open and close: a mark the inline syntax
    would print as a literal ``*`` or ``_`` (cut-off or crossed bold) drops every mark
    of the text, so the reader sees its words and never a ``**``."""
    if not EMPHASIS.search(text):
        return text
    from ..diagnostics import Report
    from ..document import plain as shown
    from ..inline import InlineParser

    visible = shown(InlineParser({}, lambda ids: None, Report()).parse(text))
    escaped = text.count("\\*") + text.count("\\_")
    if visible.count("*") + visible.count("_") <= escaped:
        return text
    return EMPHASIS.sub("", text)


def blocks_data(blocks: list, depth: int = 0) -> list:
    """Paragraphs, lists and tables as source data. Lists nest at most
    :data:`MAX_LIST_DEPTH` deep: deeper items are written at that depth, in order."""
    out: list = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(balanced(block.text))
        elif isinstance(block, ListBlock) and block.items:
            out.append({block.kind: [i for item in block.items for i in _item(item, depth + 1)],
                        **({"start": block.start} if block.start != 1 and
                           block.kind == "numbered" else {})})
        elif isinstance(block, TableBlock) and len(block.rows) < 2:   # a header alone
            out.append(" ".join(one_line(c) for c in block.rows[0] if plain(c).strip()))
        elif isinstance(block, TableBlock):
            out.append({"table": table_data(block.rows)})
    return out


def table_data(rows: list[list[str]]) -> dict:
    """A table block: its first row is the header, as wide as the widest row (a row may
    not be wider than its header); empty cells at the end of a row are left out."""
    width = max(len(row) for row in rows)
    cells = [[balanced(cell.strip()) for cell in row] for row in rows]
    body = []
    for row in cells[1:]:
        while row and not row[-1]:
            row = row[:-1]
        body.append(row)
    return {"header": cells[0] + [""] * (width - len(cells[0])), "rows": body}


def _item(item: Item, depth: int) -> list:
    """The entries an item is written as: itself with its blocks, or (at the deepest
    list level) its text and then whatever its blocks hold, one entry each."""
    if not item.blocks:
        return [balanced(item.text)]
    if depth < MAX_LIST_DEPTH:
        return [{"text": balanced(item.text), "blocks": blocks_data(item.blocks, depth)}]
    flat = [balanced(item.text)]
    for block in blocks_data(item.blocks, depth):
        if isinstance(block, dict) and "table" in block:   # its rows, a line each
            table = block["table"]
            flat.extend("；".join(cell for cell in row if cell)
                        for row in [table["header"], *table["rows"]] if any(row))
        else:
            flat.extend(next(iter(block.values())) if isinstance(block, dict) else [block])
    return flat


MAX_LIST_DEPTH = 12   # list levels kept (Word has 9); the sources' nesting stays well within load's bound


def section_data(sec: Sec) -> dict:
    out: dict = {"title": balanced(sec.title)}
    if sec.id:
        out["id"] = sec.id
    if sec.anchor:
        out["anchor"] = sec.anchor
    if sec.role:
        out["role"] = sec.role
    if sec.toc_title:
        out["toc_title"] = balanced(sec.toc_title)
    typed = sec.typed or {}
    if typed:
        out["type"] = typed["type"]
    if sec.blocks:
        out["blocks"] = blocks_data(sec.blocks)
    kind = typed.get("type")
    if kind == "permissions":
        out["rows"] = typed["rows"]
    elif kind == "sdks":
        out["sdks"] = typed["sdks"]
    elif kind == "rights":
        if typed.get("layout"):
            out["layout"] = typed["layout"]
        out["rights"] = [{**({"kind": r["kinds"][0]} if len(r["kinds"]) == 1 else
                            {"kinds": r["kinds"]}), "title": r["title"],
                          **({"blocks": blocks_data(r["blocks"])} if r["blocks"] else {})}
                         for r in typed["rights"]]
    if kind == "contact":
        for key in ("channels", "details"):
            if key in typed:
                out[key] = typed[key]
    if typed.get("after"):
        out["after"] = blocks_data(typed["after"])
    if sec.sections:
        out["sections"] = [section_data(s) for s in sec.sections]
    return out


def render_file(data, schema: str | None = None, header: str = "") -> bytes:
    lines = [f"# yaml-language-server: $schema={schema}"] if schema else []
    if header:
        lines += [f"# {line}" if line else "#" for line in header.splitlines()]
    return ("\n".join(lines + dump(data)) + "\n").encode("utf-8")
