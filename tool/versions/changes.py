"""What a change is, where it is, and how it is phrased.

A :class:`Change` records one difference between two editions in terms of the policy's
own data (an SDK, a permission row, a contact channel, a paragraph of a section), the
kind of change it is for the material-change categories, and the wording before and
after for the redline. :func:`describe` phrases it in a locale.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Loc
from .messages import field_name, messages

WORDING = "wording"
"""The kind of a change that only rewords text; sections may still make it material."""


@dataclass(frozen=True)
class Where:
    """A place in the text: a section, or a paragraph, list item or clause in it.

    ``area`` names text outside the sections (``preamble``, ``introduction``);
    ``number`` is the short section number (三（二）, 3.2) and ``ref`` the locale's
    reference to it (第三条（二）, Section 3.2), ``old_number`` and ``old_ref`` the same
    in the old edition when they differ; ``n`` the paragraph ordinal or item label.
    """

    kind: str                # section | paragraph | item | clause | after
    number: str = ""
    ref: str = ""
    n: str = ""
    area: str = ""
    old_number: str = ""     # the section's number in the old edition, when it moved
    old_ref: str = ""
    heading: str = ""        # the section's heading path as printed: 1. Scope › 1.2 Children


@dataclass(frozen=True)
class Reason:
    """Why a change is material: its class (a new purpose, a sensitive data type …), the
    kind of change that class is (model.ChangeKind) and the words that make it so."""

    kind: str
    label: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    """One difference between two editions."""

    key: str                 # message key, e.g. sdk.added, text.reworded
    kind: str = WORDING      # purpose, data_types, recipients, … (model.ChangeKind) or wording
    target: str = ""         # what changed, e.g. the SDK's name
    field: str = ""          # which field of it, e.g. purpose
    detail: str = ""         # e.g. the data an SDK collects, a former name
    where: Where | None = None
    scope: tuple[str, ...] = ()   # ids of the sections it is in, outermost first
    old: str | None = None   # wording before (plain text), for the redline
    new: str | None = None   # wording after
    values: str = ""         # a value that is no wording, before → after (contract → consent)
    loc: Loc = Loc("")       # where the new edition says it (or would, for a removal)
    old_loc: Loc = Loc("")   # where the old edition says it (or would, for an addition)
    links: tuple[tuple[str, str], ...] = ()   # link targets changed, old → new
    fact: str = ""           # the fact it changes (subject/field of Document.published)
    reason: Reason | None = None   # why it is material, by what the new wording says


def where_text(where: Where, locale: str) -> str:
    """A place phrased in ``locale``: section 三 paragraph 2 / 第三条第2段."""
    words = messages(locale)
    if where.area:
        section = words[f"where.{where.area}"]
    elif not where.number:
        title = where.heading.rsplit(" › ", 1)[-1]
        section = words["where.titled"].format(title=title) if title else words["where.untitled"]
    elif where.old_number and where.old_number != where.number:
        section = words["where.renumbered"].format(number=where.number, ref=where.ref,
                                                   old_number=where.old_number,
                                                   old_ref=where.old_ref)
    else:
        section = words["where.section"].format(number=where.number, ref=where.ref)
    if where.kind == "section":
        return section
    return words[f"where.{where.kind}"].format(section=section, n=where.n, label=where.n)


def describe(change: Change, locale: str = "en") -> str:
    """The changelog line of ``change`` in ``locale``."""
    line = messages(locale)[change.key].format(
        target=change.target, detail=change.detail,
        field=field_name(change.field, locale) if change.field else "",
        where=where_text(change.where, locale) if change.where else "")
    if change.values:
        line += messages(locale)["values"].format(values=change.values)
    return line


def reason_text(change: Change, locale: str = "en") -> str:
    """Why ``change`` is material, in ``locale``: its class and the words that make it so."""
    if change.reason is None:
        return ""
    words = messages(locale)
    label = words.get(f"reason.{change.reason.label}", change.reason.label)
    quoted = words["list_separator"].join(words["quoted"].format(w) for w in change.reason.words)
    return words["because"].format(reason=label + (words["colon"] + quoted if quoted else ""))
