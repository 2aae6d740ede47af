"""Redlines: the wording before and after, with deletions and insertions marked.

Text is compared in tokens: a run of Latin letters and digits (an e-mail address or a
version number stays whole) is one token, any other character — each Chinese
character, each punctuation mark — is one token of its own. A short stretch of common
text between two edits is folded into them, so a rewritten clause reads as one
deletion and one insertion rather than a scatter of single characters.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from markupsafe import Markup, escape

from ..render.markdown import escape_md

TOKEN = re.compile(r"[A-Za-z0-9]+(?:[._@+/:%-][A-Za-z0-9]+)*|\s+|.", re.S)
FOLD = 2            # common text this short (in characters) between two edits is folded

Segment = tuple[str, str, str]   # ("=", text, text) unchanged, ("~", old, new) edited


def tokens(text: str) -> list[str]:
    """The tokens a redline compares."""
    return TOKEN.findall(text)


def redline(old: str | None, new: str | None) -> list[Segment]:
    """The segments that turn ``old`` into ``new``; None is empty text."""
    a, b = tokens(old or ""), tokens(new or "")
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        raw.append(("=", before, after) if tag == "equal" else ("~", before, after))
    out: list[Segment] = []
    for k, segment in enumerate(raw):
        between_edits = 0 < k < len(raw) - 1 and out and out[-1][0] == "~"
        if segment[0] == "=" and between_edits and (len(segment[1]) <= FOLD
                                                     or not segment[1].strip()):
            segment = ("~", segment[1], segment[1])
        if segment[0] == "~" and out and out[-1][0] == "~":
            segment = ("~", out[-1][1] + segment[1], out[-1][2] + segment[2])
            out.pop()
        out.append(segment)
    return out


def redline_html(old: str | None, new: str | None) -> Markup:
    """The redline as HTML: ``<del>`` and ``<ins>``, every piece of text escaped."""
    out = []
    for kind, before, after in redline(old, new):
        if kind == "=":
            out.append(escape(after))
            continue
        if before:
            out.append(Markup("<del>%s</del>") % before)
        if after:
            out.append(Markup("<ins>%s</ins>") % after)
    return Markup("").join(out).replace("\n", Markup("<br>\n"))


def redline_markdown(old: str | None, new: str | None) -> str:
    """The redline as Markdown, one convention throughout: ``<del>deleted</del>`` and
    ``<ins>inserted</ins>`` (inline HTML, which CommonMark and GitHub render as such
    wherever it stands; ``**`` would read as emphasis), the wording escaped."""
    out = []
    for kind, before, after in redline(old, new):
        if kind == "=":
            out.append(escape_md(after))
            continue
        if before:
            out.append(f"<del>{escape_md(before)}</del>")
        if after:
            out.append(f"<ins>{escape_md(after)}</ins>")
    return "".join(out)


def redline_text(old: str | None, new: str | None) -> str:
    """The redline for a terminal, as wdiff writes it: ``[-deleted-]{+inserted+}``."""
    out = []
    for kind, before, after in redline(old, new):
        if kind == "=":
            out.append(after)
            continue
        if before:
            out.append(f"[-{before}-]")
        if after:
            out.append(f"{{+{after}+}}")
    return "".join(out)
