"""Property lists from a build, read safely: XML (entities refused, see
:mod:`.safexml`) or binary (``bplist00``), with the line of each key and string value
where the format has lines."""
from __future__ import annotations

import plistlib
from dataclasses import dataclass, field

from . import Problem, ReadProblem, cannot_read
from .safexml import XmlProblem, local_name, parse_xml


class PlistProblem(ReadProblem):
    """Why a file cannot be read as a property list."""


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
    except ReadProblem as problem:
        cannot_read(report, shown, problem)
        return None
    if not isinstance(plist.value, dict):
        report.error(Loc(shown), Problem(f"{shown}: the property list is not a dictionary",
                                         f"{shown}：属性列表的顶层不是字典"))
        return None
    return plist


def read_plist(data: bytes) -> Plist:
    """Parse ``data``; raises :class:`PlistProblem` with a reason a user can act on."""
    if data.startswith(b"bplist"):
        try:
            return Plist(plistlib.loads(data, fmt=plistlib.FMT_BINARY), True)
        except Exception as exc:  # plistlib raises several kinds on damaged input
            raise PlistProblem(f"damaged binary property list ({type(exc).__name__})",
                               f"二进制属性列表已损坏（{type(exc).__name__}）") from None
    try:
        root = parse_xml(data)
    except XmlProblem:
        raise
    tag = local_name(root.tag)
    if tag != "plist":
        raise PlistProblem(f"not a property list (the root element is <{tag}>)",
                           f"不是属性列表（根元素是 <{tag}>）", root.sourceline or 0)
    try:
        value = plistlib.loads(data, fmt=plistlib.FMT_XML)
    except Exception as exc:
        raise PlistProblem(f"invalid property list ({exc})", f"属性列表无效（{exc}）") from None
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
