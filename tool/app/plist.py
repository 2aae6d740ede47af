"""Property lists from a build, read safely: XML (entities refused, see
:mod:`.safexml`) or binary (``bplist00``), with the line of each key and string value
where the format has lines."""
from __future__ import annotations

import plistlib
from dataclasses import dataclass, field

from .safexml import XmlProblem, local_name, parse_xml


class PlistProblem(Exception):
    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


@dataclass
class Plist:
    """A property list's value and where its keys and strings are written."""

    value: object
    binary: bool
    lines: dict[tuple[str, str | None], int] = field(default_factory=dict)

    def line(self, key: str, value: str | None = None) -> int:
        """The line of the string ``value`` under ``key`` (or of ``key`` itself)."""
        return self.lines.get((key, value)) or self.lines.get((key, None), 0)


def read_dictionary(data: bytes, shown: str, report) -> Plist | None:
    """The property list of a build file whose top level must be a dictionary; a file
    that is not is reported at its place and None returned."""
    from ..diagnostics import Loc

    try:
        plist = read_plist(data)
    except PlistProblem as problem:
        report.error(Loc(shown, problem.line), f"cannot read {shown}: {problem}")
        return None
    if not isinstance(plist.value, dict):
        report.error(Loc(shown), f"{shown}: the property list is not a dictionary")
        return None
    return plist


def read_plist(data: bytes) -> Plist:
    """Parse ``data``; raises :class:`PlistProblem` with a reason a user can act on."""
    if data.startswith(b"bplist"):
        try:
            return Plist(plistlib.loads(data, fmt=plistlib.FMT_BINARY), True)
        except Exception as exc:  # plistlib raises several kinds on damaged input
            raise PlistProblem(f"damaged binary property list ({type(exc).__name__})") from None
    try:
        root = parse_xml(data)
    except XmlProblem as problem:
        raise PlistProblem(str(problem), problem.line) from None
    if local_name(root.tag) != "plist":
        raise PlistProblem(f"not a property list (the root element is <{local_name(root.tag)}>)",
                           root.sourceline or 0)
    try:
        value = plistlib.loads(data, fmt=plistlib.FMT_XML)
    except Exception as exc:
        raise PlistProblem(f"invalid property list ({exc})") from None
    return Plist(value, False, _lines(root))


def _lines(root) -> dict[tuple[str, str | None], int]:
    """(key, string) → line, for every <key> and the strings right after it (directly or
    in an <array>), anywhere in the document."""
    lines: dict[tuple[str, str | None], int] = {}
    for key in root.iter("key"):
        name = (key.text or "").strip()
        lines.setdefault((name, None), key.sourceline or 0)
        following = key.getnext()
        if following is None:
            continue
        strings = [following] if following.tag == "string" else (
            list(following.iter("string")) if following.tag == "array" else [])
        for string in strings:
            lines.setdefault((name, (string.text or "").strip()), string.sourceline or 0)
    return lines
