"""The characters a text may hold: one definition for validation and every writer.

A text holds what XML 1.0 can carry (so HTML, the Word files, the app's XML and the PDF
can write it), what UTF-8 can encode (Markdown, JSON, CSV) and nothing a reader cannot
see: tab, line feed and carriage return, and every character except the C0 and C1
controls, DEL, the UTF-16 surrogates and the Unicode noncharacters (U+FDD0…U+FDEF and
the last two code points of every plane, U+FFFE and U+FFFF among them).
"""
from __future__ import annotations

import re

_NONCHARACTERS = "".join(chr(plane << 16 | last) for plane in range(17) for last in (0xFFFE, 0xFFFF))
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                       + _NONCHARACTERS + "]")
REPLACEMENT = "\ufffd"


def first_forbidden(text: str) -> re.Match | None:
    """The first character of ``text`` a text may not hold, or None."""
    return FORBIDDEN.search(text)


def describe(char: str) -> str:
    """What a forbidden character is, for a message: ``control character U+0085``."""
    code = ord(char)
    kind = ("control character" if code <= 0x9F else
            "lone surrogate" if 0xD800 <= code <= 0xDFFF else "noncharacter")
    return f"{kind} U+{code:04X}"


def writable(text: str) -> str:
    """``text`` as a writer may put it in any format: a character no text may hold (which
    validation refuses in sources) becomes U+FFFD instead of breaking the file."""
    return FORBIDDEN.sub(REPLACEMENT, text)
