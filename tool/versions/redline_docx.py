"""The redline as Word tracked changes: the new edition, every change since the old one
marked as an insertion or deletion a reviewer can accept or reject.

Both editions are resolved in one locale (the new edition's binding one unless asked
otherwise) and compared as documents, the way a reader sees them: sections by title (by
anchor where the two read alike), paragraphs, list items and clauses by wording, table rows by their first cell, list
items' nested blocks within their item. Reworded text is marked word by word (in
Chinese, character by character) with the redline of :mod:`.redline`; added and
removed paragraphs, sections, table rows and SDKs are whole insertions and deletions.
Generated numbers are never a change: headings and lists show the new edition's
numbers, and a cross-reference counts as the same text while it points at the same
place. Spacing is no change either: text is compared without its white space (a double
space become single is not marked), while a link whose words stay but whose
target changes is marked, its words deleted with the old target and inserted with the
new. Accepting every change gives the new edition's text; rejecting every change gives
the old one's (up to such white space).

Every material change of the comparison gets a Word comment naming its category and
why it is material, on the text it concerns; so does a change the edition does not print (a fact only the
checks read), so no change goes unseen.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any, Callable, Sequence

from ..document import Document, Inline, Item, List, Paragraph, Section, Table
from ..render.docx import (AUTHOR, Piece, Review, Revision, Run, Tracking, Writer,
                           pieces_of, runs_of, write_document)
from ..resolve import resolve
from ..translate import declared_locales
from .changes import Change, describe, reason_text
from .compare import Comparison
from .material import Category
from .differ import SIMILAR
from .redline import redline

REF_KEYS = 0xF0000        # cross-references compare as one character of Plane 15 each
LINK_KEYS = 0x100000      # a character of a link's words, per target: one of Plane 16


# The first line of a comment: a material change's category, or a change not in the text.
COMMENT_WORDS = {
    "zh": {"material": "重大变更", "unprinted": "变更（正文未显示）"},
    "en": {"material": "Material change", "unprinted": "Change not shown in the text"},
}


class UndeclaredLocaleError(ValueError):
    """The redline was asked for in a locale one of the editions does not declare."""


@dataclass
class Spot:
    """An element of the redline a comment can be put on, with what it says."""

    element: Any            # the Document's section, paragraph, item or table row
    scope: tuple[str, ...]  # anchors of the sections it is in, outermost first
    text: str               # its wording, old and new
    changed: bool


def redline_docx(comparison: Comparison, locale: str | None = None) -> bytes:
    """The new edition of ``comparison`` (in ``locale``, default: its binding locale) with
    every change as a tracked change, and a comment on each material change naming its
    category. Raises UndeclaredLocaleError when an edition has no such locale, PolicyError
    when one cannot be resolved in it (missing translations)."""
    locale = locale or str(comparison.new.project.policy.locale)
    for side in (comparison.old, comparison.new):
        if locale not in declared_locales(side.project.policy):
            raise UndeclaredLocaleError(
                f"{side.source} has no '{locale}' edition; it declares "
                f"{', '.join(declared_locales(side.project.policy))}")
    old = resolve(comparison.old.project, locale=locale)
    new = resolve(comparison.new.project, locale=locale)
    return Redliner(old, new, comparison.changes).writer().to_bytes()


class Redliner:
    """Lays the old document over the new one and writes the marked document; ``changes``
    (the comparison's, with their categories) get their comments."""

    def __init__(self, old: Document, new: Document,
                 changes: list[tuple[Change, Category | None]] = ()):
        self.old, self.new = old, new
        self.changes = list(changes)
        self.locale = new.locale
        self.revisions: dict[int, Revision] = {}
        self.spots: list[Spot] = []
        self.ref_keys: dict[str, str] = {}
        self.link_keys: dict[tuple[str, str], str] = {}
        self.scope: tuple[str, ...] = ()

    # ------------------------------------------------------------------ text

    def _atoms(self, spans: Inline) -> list[tuple[str, Run]]:
        """Characters with their formatting; a cross-reference is one character, the same
        for every reference to one anchor; a character of a link's words stands for
        itself under that target only."""
        out: list[tuple[str, Run]] = []
        for run in runs_of(spans):
            if run.anchor:
                out.append((self._ref_key(run.anchor), run))
            else:
                out += [(self._link_key(char, run.href) if run.href and not char.isspace()
                         else char,
                         Run(char, run.bold, run.italic, run.href, "", run.lang,
                             run.underline)) for char in run.text]
        return out

    def _ref_key(self, anchor: str) -> str:
        return self.ref_keys.setdefault(anchor, chr(REF_KEYS + len(self.ref_keys)))

    def _link_key(self, char: str, href: str) -> str:
        return self.link_keys.setdefault((char, href), chr(LINK_KEYS + len(self.link_keys)))

    def key(self, spans: Inline) -> str:
        """What is compared: the text as a reader sees it (without white space), each
        cross-reference as its anchor's character, then the targets of its links."""
        runs = runs_of(spans)
        text = "".join(self._ref_key(run.anchor) if run.anchor else run.text for run in runs)
        return "".join(text.split()) + "".join(f"\x00{run.href}" for run in runs if run.href)

    def reworded(self, old: Inline, new: Inline) -> list[Piece]:
        """The new wording with the redline's deletions and insertions marked, each piece
        keeping its own formatting."""
        a, b = self._atoms(old), self._atoms(new)
        out: list[Piece] = []
        i = j = 0
        for kind, before, after in redline("".join(k for k, _ in a), "".join(k for k, _ in b)):
            if kind == "=" or not (before.strip() or after.strip()):   # spacing: unmarked
                out += [(run, "") for _, run in b[j:j + len(after)]]
            else:
                out += [(run, "del") for _, run in a[i:i + len(before)]]
                out += [(run, "ins") for _, run in b[j:j + len(after)]]
            i, j = i + len(before), j + len(after)
        return _joined(out)

    def _similar(self, a: str, b: str) -> bool:
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        return matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR

    def _spot(self, element, text: str, changed: bool) -> None:
        self.spots.append(Spot(element, self.scope, text, changed))

    # ------------------------------------------------------------------ whole elements

    def _whole(self, element, mark: str) -> None:
        """Mark a section, block, item or row, and everything in it, inserted or deleted."""
        self.revisions[id(element)] = Revision(mark)
        if isinstance(element, Section):
            outer = self.scope
            self.scope = outer + ((element.anchor,) if element.anchor else ())
            self._spot(element, element.number + self._plain(element.title), True)
            for block in element.blocks:
                self._whole(block, mark)
            for child in element.children:
                self._whole(child, mark)
            for block in element.after:
                self._whole(block, mark)
            self.scope = outer
        elif isinstance(element, List):
            for item in element.items:
                self._whole(item, mark)
        elif isinstance(element, Item):
            self._spot(element, element.label + self._plain(element.content), True)
            for block in element.blocks:
                self._whole(block, mark)
        elif isinstance(element, Table):
            for row in element.rows:
                self._whole(row, mark)
        elif isinstance(element, Paragraph):
            self._spot(element, element.label + self._plain(element.content), True)
        elif isinstance(element, list):     # a table row
            self._spot(element, " ".join(self._plain(cell) for cell in element), True)

    def _text(self, section: Section) -> str:
        """A section's wording, for telling whether two sections read alike."""
        parts = [self.key(block.content) for block in section.blocks
                 if isinstance(block, Paragraph)]
        parts += [self.key(item.content) for block in section.blocks
                  if isinstance(block, List) for item in block.items]
        return "\n".join(parts + [self.key(child.title) for child in section.children])

    @staticmethod
    def _plain(spans: Inline) -> str:
        return "".join(run.text for run in runs_of(spans))

    # ------------------------------------------------------------------ sections

    def sections(self, olds: list[Section], news: list[Section]) -> list[Section]:
        """Sections laid over each other by their title; when the titles differ, by their
        anchor if the two read alike (an anchor given by position names another section
        once one is inserted), else by a similar title."""
        def similar(a: Section, b: Section) -> bool:
            return self._similar(self.key(a.title), self.key(b.title)) or (
                a.anchor == b.anchor and self._similar(self._text(a), self._text(b)))

        out = []
        for old, new in merge(olds, news, lambda s: self.key(s.title), similar):
            if old is None or new is None:
                self._whole(new or old, "ins" if old is None else "del")
                out.append(new or old)
                continue
            outer = self.scope
            self.scope = outer + ((new.anchor,) if new.anchor else ())
            merged = replace(new)
            changed = self.key(old.title) != self.key(new.title)
            if changed:
                self.revisions[id(merged)] = Revision(pieces=self.reworded(old.title, new.title))
            self._spot(merged, new.number + self._plain(old.title) + self._plain(new.title),
                       changed)
            merged.blocks = self.blocks(old.blocks, new.blocks)
            merged.children = self.sections(old.children, new.children)
            merged.after = self.blocks(old.after, new.after)
            self.scope = outer
            out.append(merged)
        return out

    # ------------------------------------------------------------------ blocks

    def _block_key(self, block) -> str:
        if isinstance(block, Paragraph):
            return "P" + self.key(block.content)
        if isinstance(block, List):
            return "L" + "\x1e".join(self.key(item.content) for item in block.items)
        return "T" + "\x1e".join(self.key(cell) for cell in block.header)

    def _blocks_similar(self, a, b) -> bool:
        if type(a) is not type(b):
            return False
        if isinstance(a, Paragraph):
            return self._similar(self.key(a.content), self.key(b.content))
        if isinstance(a, List):
            return a.numbered == b.numbered
        return a.header == b.header

    def blocks(self, olds: list, news: list) -> list:
        out = []
        for old, new in merge(olds, news, self._block_key, self._blocks_similar):
            if old is None or new is None:
                self._whole(new or old, "ins" if old is None else "del")
                out.append(new or old)
            elif isinstance(new, Paragraph):
                out.append(self._paragraph(old, new))
            elif isinstance(new, List):
                out.append(List(self._items(old.items, new.items), new.numbered))
            else:
                out.append(Table(new.header, self._rows(old.rows, new.rows), new.widths,
                                 new.caption))
        return out

    def _paragraph(self, old: Paragraph, new: Paragraph) -> Paragraph:
        changed = self.key(old.content) != self.key(new.content)
        if not changed:
            self._spot(new, new.label + self._plain(new.content), False)
            return new
        merged = replace(new)
        self.revisions[id(merged)] = Revision(pieces=self.reworded(old.content, new.content))
        self._spot(merged, new.label + self._plain(old.content) + self._plain(new.content), True)
        return merged

    def _items(self, olds: list[Item], news: list[Item]) -> list[Item]:
        out = []
        for old, new in merge(olds, news, lambda item: self.key(item.content),
                              lambda a, b: self._similar(self.key(a.content),
                                                         self.key(b.content))):
            if old is None or new is None:
                self._whole(new or old, "ins" if old is None else "del")
                out.append(new or old)
                continue
            merged = replace(new)
            changed = self.key(old.content) != self.key(new.content)
            if changed:
                self.revisions[id(merged)] = Revision(pieces=self.reworded(old.content,
                                                                           new.content))
            self._spot(merged, new.label + self._plain(old.content) + self._plain(new.content),
                       changed)
            merged.blocks = self.blocks(old.blocks, new.blocks)
            out.append(merged)
        return out

    def _rows(self, olds: list[list], news: list[list]) -> list[list]:
        def row_key(row) -> str:
            return "\x1f".join(self.key(cell) for cell in row)

        def similar(a, b) -> bool:
            return (bool(a) and bool(b) and self.key(a[0]) == self.key(b[0])) \
                or self._similar(row_key(a), row_key(b))

        out = []
        for old, new in merge(olds, news, row_key, similar):
            if old is None or new is None:
                self._whole(new or old, "ins" if old is None else "del")
                out.append(new or old)
            elif row_key(old) == row_key(new):
                self._spot(new, " ".join(self._plain(cell) for cell in new), False)
                out.append(new)
            else:
                merged = list(new)
                self.revisions[id(merged)] = Revision(cells=[
                    self.reworded(a, b) for a, b in zip(old, new)])
                self._spot(merged, " ".join(self._plain(c) for c in old + new), True)
                out.append(merged)
        return out

    # ------------------------------------------------------------------ the document

    def _lines(self, olds: list[Inline], news: list[Inline]) -> list[list[Piece]]:
        """The lines under the title (dates, version), old against new."""
        out = []
        for old, new in merge(olds, news, self.key, lambda a, b: True):
            if old is None or new is None:
                out.append(pieces_of(new or old, "ins" if old is None else "del"))
            else:
                out.append(self.reworded(old, new))
        return out

    def merged(self) -> tuple[Document, Review]:
        """The new document with the old one's removed elements in place, and the marks."""
        old, new = self.old, self.new
        document = replace(
            new,
            preamble=self.blocks(old.preamble, new.preamble),
            introduction=self.blocks(old.introduction, new.introduction),
            sections=self.sections(old.sections, new.sections))
        review = Review(Tracking(AUTHOR, new.last_updated), self.revisions)
        review.dates = self._lines(old.date_lines, new.date_lines)
        if old.title != new.title:
            review.title = self.reworded((old.title,), (new.title,))
        return document, review

    def writer(self) -> Writer:
        document, review = self.merged()
        writer = write_document(document, review)
        writer.track_revisions()
        words = COMMENT_WORDS.get(self.locale.split("-")[0], COMMENT_WORDS["en"])
        colon = self.new.words.get("colon", ": ")
        for change, category in self.changes:
            spot, shown = self._spot_of(change)
            if category is None and shown:
                continue
            head = f"{words['material']}{colon}{category.label}" if category \
                else words["unprinted"]
            elements = writer.elements.get(id(spot.element)) if spot else None
            why = f"\n{reason_text(change, self.locale)}" if category and change.reason else ""
            writer.comment(elements[0] if elements else writer.first_paragraph(),
                           f"{head}\n{describe(change, self.locale)}{why}")
        return writer

    def _spot_of(self, change: Change) -> tuple[Spot | None, bool]:
        """Where a change shows, and whether the edition shows it as a tracked change: a
        changed element of its section that holds its wording or names what changed; else
        the element it names (a feature whose unprinted data changed); else its section;
        None for a fact of the whole policy that the edition does not print."""
        inner = next((s for s in reversed(change.scope)
                      if any(s in spot.scope for spot in self.spots)), None)
        spots = [s for s in self.spots if inner is None or inner in s.scope]
        names = [t for t in (change.target, change.detail) if t]
        wording = [t for t in (change.new, change.old) if t] + names
        for wanted in (lambda s: s.changed and any(t in s.text for t in wording),
                       lambda s: any(t in s.text for t in names),
                       lambda s: s.changed and inner is not None,
                       lambda s: inner is not None):
            found = next((s for s in spots if wanted(s)), None)
            if found is not None:
                return found, found.changed
        return None, False


Pair = tuple[Any, Any]


def merge(olds: Sequence, news: Sequence, key: Callable[[Any], Any],
          similar: Callable[[Any, Any], bool]) -> list[Pair]:
    """Two lists laid over each other, in the new order: (old, new) for the same element
    (equal keys, or similar within a replaced run), (None, new) added, (old, None)
    removed; a removal comes before the additions that follow it."""
    matcher = SequenceMatcher(None, [key(o) for o in olds], [key(n) for n in news],
                              autojunk=False)
    out: list[Pair] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += list(zip(olds[i1:i2], news[j1:j2]))
            continue
        pairs: dict[int, int] = {}
        start = i1
        for j in range(j1, j2):
            i = next((i for i in range(start, i2) if similar(olds[i], news[j])), None)
            if i is not None:
                pairs[j] = i
                start = i + 1
        emitted = i1
        for j in range(j1, j2):
            upto = pairs.get(j, next((pairs[k] for k in range(j, j2) if k in pairs), i2))
            out += [(olds[i], None) for i in range(emitted, upto)]
            emitted = max(emitted, upto)
            if j in pairs:
                out.append((olds[pairs[j]], news[j]))
                emitted = pairs[j] + 1
            else:
                out.append((None, news[j]))
        out += [(olds[i], None) for i in range(emitted, i2)]
    return out


def _joined(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring pieces of the same formatting and mark as one run (a cross-reference
    stays a run of its own)."""
    out: list[Piece] = []
    for run, mark in pieces:
        if out and out[-1][1] == mark and not run.anchor and not out[-1][0].anchor \
                and replace(out[-1][0], text="") == replace(run, text=""):
            out[-1] = (replace(out[-1][0], text=out[-1][0].text + run.text), mark)
        else:
            out.append((run, mark))
    return out


__all__ = ["Redliner", "merge", "redline_docx"]
