"""Renderer of the two MIIT lists of an edition (built by :mod:`policyc.annexes` into the
resolved Document): each as an HTML page (``templates/lists/list.html.j2``) and as CSV
(UTF-8 with a byte-order mark and CRLF line ends, as spreadsheet programs expect; a cell
that a spreadsheet would read as a formula is prefixed with ``'``).
"""
from __future__ import annotations

import csv
import io

from ..document import Document, Link, ListTable
from . import Templates

TEMPLATE = "lists/list.html.j2"
STYLESHEET = "lists/lists.css"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_lists(document: Document, templates: Templates) -> dict[str, bytes]:
    """File name → bytes of the edition's lists, HTML and CSV (none when it has none)."""
    if not document.lists:
        return {}
    env = templates.environment(autoescape=True)
    template = env.get_template(TEMPLATE)
    css = templates.read(STYLESHEET)
    out: dict[str, bytes] = {}
    for table in document.lists:
        html = template.render(doc=document, table=table, css=css)
        out[f"{table.stem}.html"] = html.encode("utf-8")
        out[f"{table.stem}.csv"] = csv_bytes(table)
    return out


def csv_bytes(table: ListTable) -> bytes:
    """The list as CSV: header row, then one row per entry; formulas are neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(cell) -> str:
    text = cell.href if isinstance(cell, Link) else cell
    return "'" + text if text.startswith(FORMULA_START) else text
