"""Structural diff: two editions of a policy compared as data, not as lines.

Typed content is matched by identity wherever it sits: SDKs by id or name, features
by id or name, permission rows by feature id or feature, data items by name, rights
by id, title or kind, policy.yaml facts by key. Sections are matched under their parent
by content: by id when the two sections with that id also read alike (an id given by
position, as import writes them, names another section once one is inserted), else by
title, else by the likeness of their text; their paragraphs, list items and clauses are
aligned by wording, so an inserted paragraph is one addition, not a cascade of
rewordings. Wording is compared as a reader sees it: variables filled in, markup
dropped, white space collapsed; a link whose words stay but whose target changes is a
change of its ``links``. Numbers are generated, so renumbering alone is never a change.
"""
from __future__ import annotations

import dataclasses
import re
from functools import cached_property, lru_cache
from collections import Counter
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any, Callable, Iterable, Literal, Sequence, get_args, get_origin

from ..diagnostics import Loc, Report
from ..document import (Emph, Link, Paragraph, Strong, Table, Underline, Untranslated,
                        List as DocList, plain as plain_spans)
from ..locales import LocaleStyle
from .. import model as m
from ..project import Project
from ..resolve import Reading, edition_style, reading_of
from ..schema import model_fields, model_hints
from .changes import WORDING, Change, Where

# Which kind of change a field of a typed item is; other fields are wording.
SDK_KINDS = {"purpose": "purpose", "provider": "recipients", "method": "purpose",
             "scenario": "purpose"}
FEATURE_KINDS = {"purpose": "purpose", "retention": "retention", "method": "purpose",
                 "legal_basis": "purpose"}
DATA_ITEM_KINDS = {"purpose": "purpose", "sensitive": "data_types", "category": "data_types"}
ROW_KINDS = {"purpose": "purpose", "asked": "rights", "can_disable": "rights"}
# policy.yaml facts, by dotted key; the longest matching prefix decides.
POLICY_KINDS = {"contact": "contact", "organisation.legal_name": "ownership",
                "organisation.short_name": "ownership", "organisation.address": "contact",
                "storage.region": "retention", "storage.retention": "retention",
                "storage.cross_border": "recipients", "children": "rights",
                "gdpr.dpo": "contact", "gdpr.representative": "contact",
                "gdpr.supervisory_authority": "rights"}
# policy.yaml keys that are not content (metadata, translations, file lists, how the
# editions are laid out) or are compared on their own (variables, text blocks): a changes
# page never quotes them as policy text.
POLICY_NOT_FACTS = {"locale", "locales", "version", "last_updated", "effective", "variables",
                    "preamble", "introduction", "sections", "front_sections", "back_sections",
                    "material_changes", "numbering", "paper", "dates", "labels",
                    "front_matter", "contents_depth", "miit_lists"}
SIMILAR = 0.5       # wording at least this similar is the same paragraph, reworded
WORD = re.compile(r"[^\W_]+", re.U)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Place:
    """Where an edition prints a section: its path of printed numbers (None when it is
    unnumbered) and its heading path as printed (1. Scope › 1.2 Children)."""

    path: tuple[int, ...] | None
    heading: str


@dataclass
class Side:
    """One edition as the differ sees it."""

    project: Project
    reading: Reading
    style: LocaleStyle
    relabel: Callable[[Loc], Loc]        # loc in a temporary copy → loc the user recognises
    places: dict[int, Place] = field(default_factory=dict)   # id of a model section → place

    @classmethod
    def of(cls, project: Project, relabel: Callable[[Loc], Loc] = lambda loc: loc) -> "Side":
        locale = str(project.policy.locale)
        side = cls(project, reading_of(project), edition_style(project, locale, Report()),
                   relabel)
        side.places = _places(project, side.reading)
        return side

    @cached_property
    def text(self) -> str:
        """Everything the edition prints, as plain text."""
        document = self.reading.document
        out = [document.title]

        def blocks(items: list) -> None:
            for block in items:
                if isinstance(block, Paragraph):
                    out.append(plain_spans(block.content))
                elif isinstance(block, DocList):
                    for item in block.items:
                        out.append(plain_spans(item.content))
                        blocks(item.blocks)
                elif isinstance(block, Table):
                    out.extend(plain_spans(cell) for row in block.rows for cell in row)

        blocks(document.preamble)
        blocks(document.introduction)
        for section in document.walk():
            out.append(plain_spans(section.title))
            blocks(section.blocks)
            blocks(section.after)
        return "\n".join(out)

    @property
    def published(self) -> set[str]:
        """The facts this edition prints (``subject/field``, see Document.published)."""
        return self.reading.document.published

    def plain(self, text: Any) -> str:
        """Source text as a reader sees it: variables filled in, markup dropped, white
        space collapsed."""
        return " ".join(plain_spans(self.reading.parse(text)).split()) if text is not None \
            else ""

    def links(self, text: Any) -> tuple[str, ...]:
        """The targets of the links in source text, in order."""
        return tuple(_hrefs(self.reading.parse(text))) if text is not None else ()

    def basis(self, value: Any) -> str | None:
        """A legal basis as the edition words it (订立、履行合同所必需, consent)."""
        return value and self.style.words.get(f"basis_{value}", str(value))

    def show(self, value: Any) -> str | None:
        """A field value as plain text, for the redline."""
        if value is None:
            return None
        if isinstance(value, bool):
            return self.style.words["yes" if value else "no"]
        if isinstance(value, list):           # an empty list is no wording at all
            return self.style.words["list_separator"].join(self.show(v) or ""
                                                           for v in value) or None
        if isinstance(value, str):
            return self.plain(value)
        if isinstance(value, m.SdkLink):
            return f"{self.plain(value.text or value.title)}: {value.url}"
        if isinstance(value, m.SdkData):
            return self.plain(value.name)
        return str(value)


@dataclass
class _Unit:
    """A paragraph, list item or clause: the unit wording is compared in."""

    where: Where
    text: str                 # as a reader sees it
    links: tuple[str, ...]    # the targets of its links
    ident: str
    loc: Loc

    @property
    def key(self) -> str:
        """What is compared: the wording without white space, and the link targets."""
        return unspaced(self.text) + "\x00" + "\x01".join(self.links)


def diff_projects(old: Side, new: Side) -> list[Change]:
    """Every change from ``old`` to ``new``, in the order of the new edition."""
    differ = _Differ(old, new)
    differ.run()
    return differ.changes


Pairs = list[tuple[int, int]]


def match(olds: Sequence, news: Sequence,
          keys: Iterable[Callable[[Any], Any]]) -> tuple[Pairs, list[int], list[int]]:
    """Pair items of two lists by the first key that identifies them (None: no key).

    Returns the (old index, new index) pairs in new order, the unpaired old indices
    and the unpaired new indices.
    """
    old_left, new_left = list(range(len(olds))), list(range(len(news)))
    pairs: list[tuple[int, int]] = []
    for key in keys:
        index: dict[Any, list[int]] = {}
        for i in old_left:
            k = key(olds[i])
            if k is not None:
                index.setdefault(k, []).append(i)
        for j in list(new_left):
            k = key(news[j])
            if k is not None and index.get(k):
                i = index[k].pop(0)
                pairs.append((i, j))
                old_left.remove(i)
                new_left.remove(j)
    return sorted(pairs, key=lambda p: p[1]), old_left, new_left


def _moved(pairs: list[tuple[int, int]]) -> set[int]:
    """New indices of pairs out of their old order (outside a longest increasing run)."""
    olds = [i for i, _ in pairs]
    best: list[list[int]] = []   # best[k]: a longest increasing run ending at k, as positions
    for k, value in enumerate(olds):
        run = max((best[p] for p in range(k) if olds[p] < value), key=len, default=[])
        best.append(run + [k])
    keep = set(max(best, key=len, default=[]))
    return {pairs[k][1] for k in range(len(pairs)) if k not in keep}


def _ident(obj) -> str | None:
    return str(obj.id) if getattr(obj, "id", None) else None


def _name(obj) -> str:
    return str(obj.name)


def unspaced(text: str) -> str:
    """Wording without its white space: spacing alone is never a change."""
    return "".join(text.split())


def _similarity(a: str, b: str) -> float:
    """How alike two texts read, 0 to 1: the share of words (of Chinese text, characters)
    they have in common."""
    x, y = _words(a), _words(b)
    total = sum(x.values()) + sum(y.values())
    return 2 * sum((x & y).values()) / total if total else float(a == b)


@lru_cache(maxsize=4096)
def _words(text: str) -> Counter:
    out: Counter = Counter()
    for word in WORD.findall(text.lower()):
        if CJK.search(word):
            out.update(word)
        else:
            out[word] += 1
    return out


def _hrefs(spans) -> list[str]:
    out = []
    for span in spans:
        if isinstance(span, Link):
            out.append(span.href)
        if isinstance(span, (Link, Strong, Emph, Underline, Untranslated)):
            out += _hrefs(span.children)
    return out


def _link_changes(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The targets that changed, old against new ('' for a link added or removed)."""
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            a, b = list(old[i1:i2]), list(new[j1:j2])
            width = max(len(a), len(b))
            out += zip(a + [""] * (width - len(a)), b + [""] * (width - len(b)))
    return tuple(out)


def _places(project: Project, reading: Reading) -> dict[int, Place]:
    """Each section's printed number path and heading path, read off the resolved
    document (unnumbered front and back sections are not counted)."""
    out: dict[int, Place] = {}

    def walk(src: m.SectionBase, printed, path: tuple[int, ...] | None, above: str) -> None:
        title = " ".join(plain_spans(printed.title).split()) if printed.heading else ""
        number = printed.number.strip()
        gap = "" if not number or ord(number[-1]) > 0x2E80 else " "   # 三、标题 / 1. Title
        heading = f"{number}{gap}{title}".strip()
        heading = f"{above} › {heading}" if above and heading else above or heading
        out[id(src)] = Place(path if printed.number else None, heading)
        offset = len(printed.children) - len(src.sections)
        for k, (child, shown) in enumerate(zip(src.sections, printed.children[offset:]), 1):
            walk(child, shown, path + (offset + k,) if path else None, heading)

    count = 0
    for section_file, printed in zip(project.sections, reading.document.sections):
        numbered = section_file.matter == "body" and section_file.section.title is not None
        count += numbered
        walk(section_file.section, printed, (count,) if numbered else None, "")
    return out


class _Differ:
    def __init__(self, old: Side, new: Side):
        self.old, self.new = old, new
        self.changes: list[Change] = []
        # sections unpaired under their parent: (section, scope, the other edition's loc)
        self.left_old: list[tuple[m.SectionBase, tuple[str, ...], Loc]] = []
        self.left_new: list[tuple[m.SectionBase, tuple[str, ...], Loc]] = []
        self.homes: dict[int, m.SectionBase] = {}   # id of an SDK, feature … → its section

    def add(self, key: str, kind: str = WORDING, **values) -> None:
        """Record a change; one whose wording reads the same in both editions (white
        space, markup) and whose links are the same is none."""
        loc, old_loc = values.pop("loc", Loc("")), values.pop("old_loc", Loc(""))
        side, item = values.pop("of", (None, None))   # the edition and item it is about
        if item is not None and "where" not in values and id(item) in self.homes:
            values["where"] = self._where(side, self.homes[id(item)])
        old, new = values.get("old"), values.get("new")
        if old is not None and new is not None and unspaced(old) == unspaced(new) \
                and not values.get("links") and not values.get("values"):
            return
        self.changes.append(Change(key, kind, loc=self.new.relabel(loc),
                                   old_loc=self.old.relabel(old_loc), **values))

    def run(self) -> None:
        old, new = self.old.project, self.new.project
        self._facts(old.policy, new.policy)
        self._variables(old.policy, new.policy)
        for area in ("preamble", "introduction"):
            base = Where("paragraph", area=area)
            self._texts(self._units(self.old, getattr(old.policy, area), (), base),
                        self._units(self.new, getattr(new.policy, area), (), base),
                        (), new.policy.loc, old.policy.loc)
        self._section_lists([sf.section for sf in old.sections],
                            [sf.section for sf in new.sections], (), new.policy.loc,
                            old.policy.loc)
        self._rehome()
        olds, news = _typed(old, self.homes), _typed(new, self.homes)
        self._sdks(olds["sdk"], news["sdk"], new.policy.loc)
        self._features(olds["feature"], news["feature"], new.policy.loc)
        self._rows(olds["row"], news["row"], new.policy.loc)
        self._rights(olds["right"], news["right"], new.policy.loc)

    # ------------------------------------------------------------------ policy.yaml

    def _facts(self, old: m.Policy, new: m.Policy) -> None:
        before, after = _flatten(old), _flatten(new)
        contact = next((sf.section for sf in self.new.project.sections
                        if isinstance(sf.section, m.ContactSection)), None)
        for key in list(dict.fromkeys([*after, *before])):
            a, b = before.get(key), after.get(key)
            if a == b:
                continue
            group, _, rest = key.partition(".")
            if group in ("contact", "organisation"):
                message, field = f"{group}.field", rest
            else:
                message, field = "policy.field", "app" if key == "app.name" else key
            kind = next((POLICY_KINDS[p] for p in sorted(POLICY_KINDS, key=len, reverse=True)
                         if key == p or key.startswith(p + ".")), WORDING)
            where = self._where(self.new, contact) if contact is not None \
                and group in ("contact", "organisation") else None
            self.add(message, kind, field=field, fact=f"policy/{key}", where=where,
                     **self._before_after(a, b), loc=getattr(b, "loc", None) or new.loc,
                     old_loc=getattr(a, "loc", None) or old.loc)

    def _variables(self, old: m.Policy, new: m.Policy) -> None:
        """Changed variables, as facts: where the text prints one, the wording around it
        is the change a reader sees."""
        for name in dict.fromkeys([*new.variables, *old.variables]):
            a, b = old.variables.get(name), new.variables.get(name)
            if a == b:
                continue
            key = "variable.added" if a is None else "variable.removed" if b is None \
                else "variable.field"
            self.add(key, target=str(name), old=a and str(a), new=b and str(b),
                     fact=f"variable/{name}", loc=getattr(b, "loc", None) or new.loc,
                     old_loc=getattr(a, "loc", None) or old.loc)

    # ------------------------------------------------------------------ sections

    def _where(self, side: Side, section: m.SectionBase, old: m.SectionBase | None = None
               ) -> Where:
        """The place of a section as ``side`` prints it; with ``old``, its old number too
        when it changed."""
        place = side.places.get(id(section), Place(None, ""))
        where = Where("section", heading=place.heading)
        if place.path:
            where = replace(where, number=_short_number(side.style, place.path),
                            ref=side.style.section_ref(place.path))
        before = self.old.places.get(id(old)) if old is not None else None
        if before and before.path and before.path != place.path:
            where = replace(where, old_number=_short_number(self.old.style, before.path),
                            old_ref=self.old.style.section_ref(before.path))
        return where

    def _section_lists(self, olds: list[m.SectionBase], news: list[m.SectionBase],
                       scope: tuple[str, ...], parent_loc: Loc, old_parent_loc: Loc) -> None:
        pairs, removed, added = self._match_sections(olds, news)
        self.left_old += [(olds[i], scope, parent_loc) for i in removed]
        self.left_new += [(news[j], scope, old_parent_loc) for j in added]
        moved = _moved(pairs)
        for i, j in pairs:
            old, new = olds[i], news[j]
            if j in moved:
                self.add(self._titled("section.moved", self.new, new),
                         target=self.new.plain(new.title),
                         where=self._where(self.new, new, old), scope=scope + _ids(new),
                         loc=new.loc, old_loc=old.loc)
            self._section(old, new, scope + _ids(new))

    def _rehome(self) -> None:
        """Sections left unpaired under their parents, paired across the outline by
        their text: a section moved under another heading (or out of one) is a move;
        the others are removed or added."""
        while self.left_old or self.left_new:
            olds, news = self.left_old, self.left_new
            self.left_old, self.left_new = [], []
            old_texts = [self._section_text(self.old, s) for s, _, _ in olds]
            new_texts = [self._section_text(self.new, s) for s, _, _ in news]
            scored = sorted((-_similarity(a, b), i, j) for i, a in enumerate(old_texts)
                            for j, b in enumerate(new_texts))
            paired_old: dict[int, int] = {}
            paired_new: set[int] = set()
            for score, i, j in scored:
                if -score >= SIMILAR and i not in paired_old and j not in paired_new:
                    paired_old[i] = j
                    paired_new.add(j)
            for i, (section, scope, parent_loc) in enumerate(olds):
                if i not in paired_old:
                    self.add(self._titled("section.removed", self.old, section),
                             target=self.old.plain(section.title),
                             where=self._where(self.old, section), scope=scope + _ids(section),
                             old=old_texts[i], loc=parent_loc, old_loc=section.loc)
            for j, (section, scope, old_parent_loc) in enumerate(news):
                if j not in paired_new:
                    self.add(self._titled("section.added", self.new, section),
                             target=self.new.plain(section.title),
                             where=self._where(self.new, section), scope=scope + _ids(section),
                             new=new_texts[j], loc=section.loc, old_loc=old_parent_loc)
            for i, j in sorted(paired_old.items(), key=lambda p: p[1]):
                (old, _, _), (new, scope, _) = olds[i], news[j]
                self.add(self._titled("section.moved", self.new, new),
                         target=self.new.plain(new.title),
                         where=self._where(self.new, new, old), scope=scope + _ids(new),
                         loc=new.loc, old_loc=old.loc)
                self._section(old, new, scope + _ids(new))

    @staticmethod
    def _titled(key: str, side: Side, section: m.SectionBase) -> str:
        """The message key of a section change: one that names its title besides its
        number, or (unnumbered: its place is its title; untitled) one that does not."""
        place = side.places.get(id(section))
        return key if section.title and place and place.path else f"{key}_untitled"

    def _match_sections(self, olds: list[m.SectionBase], news: list[m.SectionBase]
                        ) -> tuple[Pairs, list[int], list[int]]:
        """Sections of two editions paired by content: same id and title; same title;
        same id where they read alike; else the most alike texts."""
        old_texts = [self._section_text(self.old, s) for s in olds]
        new_texts = [self._section_text(self.new, s) for s in news]
        old_titles = [self.old.plain(s.title) or None for s in olds]
        new_titles = [self.new.plain(s.title) or None for s in news]

        def alike(i: int, j: int) -> bool:
            return max(_similarity(old_titles[i] or "", new_titles[j] or ""),
                       _similarity(old_texts[i], new_texts[j])) >= SIMILAR

        pairs, old_left, new_left = [], list(range(len(olds))), list(range(len(news)))
        passes: list[Callable[[int, int], bool]] = [
            lambda i, j: _ident(olds[i]) is not None and _ident(olds[i]) == _ident(news[j])
            and old_titles[i] == new_titles[j],
            lambda i, j: old_titles[i] is not None and old_titles[i] == new_titles[j],
            lambda i, j: _ident(olds[i]) is not None and _ident(olds[i]) == _ident(news[j])
            and alike(i, j)]
        for same in passes:
            for j in list(new_left):
                i = next((i for i in old_left if same(i, j)), None)
                if i is not None:
                    pairs.append((i, j))
                    old_left.remove(i)
                    new_left.remove(j)
        scored = sorted((max(_similarity(old_titles[i] or "", new_titles[j] or "") * 0.5
                             + _similarity(old_texts[i], new_texts[j]) * 0.5,
                             _similarity(old_texts[i], new_texts[j])), i, j)
                        for i in old_left for j in new_left)
        for score, i, j in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
            if score >= SIMILAR and i in old_left and j in new_left:
                pairs.append((i, j))
                old_left.remove(i)
                new_left.remove(j)
        return sorted(pairs, key=lambda p: p[1]), old_left, new_left

    def _section(self, old: m.SectionBase, new: m.SectionBase, scope: tuple[str, ...]) -> None:
        where = self._where(self.new, new, old)
        old_where = self._where(self.old, old)
        if self.old.plain(old.title) != self.new.plain(new.title):
            self.add("section.renamed", where=where, scope=scope, old=self.old.plain(old.title),
                     new=self.new.plain(new.title), loc=new.title.loc if new.title else new.loc,
                     old_loc=old.title.loc if old.title else old.loc)
        old_path, new_path = (side.places[id(s)].path or () if id(s) in side.places else ()
                              for side, s in ((self.old, old), (self.new, new)))
        for attr, kind in (("blocks", "paragraph"), ("after", "after")):
            self._texts(self._units(self.old, getattr(old, attr, []), old_path,
                                    replace(old_where, kind=kind)),
                        self._units(self.new, getattr(new, attr, []), new_path,
                                    replace(where, kind=kind)),
                        scope, new.loc, old.loc)
        self._section_lists(list(old.sections), list(new.sections), scope, new.loc, old.loc)

    def _section_text(self, side: Side, section: m.SectionBase) -> str:
        """A section's wording as a reader sees it: title, paragraphs, subsections."""
        lines = [side.plain(section.title)] if section.title else []
        lines += [u.text for u in self._units(side, section.blocks, (), Where("paragraph"))]
        lines += [self._section_text(side, child) for child in section.sections]
        lines += [u.text for u in self._units(side, getattr(section, "after", None) or [], (),
                                              Where("paragraph"))]
        return "\n".join(line for line in lines if line)

    # ------------------------------------------------------------------ wording

    def _units(self, side: Side, blocks: list, path: tuple[int, ...], base: Where,
               depth: int = 0, prefix: str = "") -> list[_Unit]:
        """The paragraphs, items and clauses of ``blocks``, each with its place; those
        a reader sees nothing of are left out."""
        out: list[_Unit] = []
        paragraphs = 0
        style = side.style
        for block in blocks:
            if isinstance(block, m.Paragraph):   # a paragraph with `emphasis`
                block = block.text
            if isinstance(block, str):
                paragraphs += 1
                where = replace(base, kind="item", n=prefix) if prefix \
                    else replace(base, n=str(paragraphs))
                out.append(_Unit(where, side.plain(block), side.links(block), "", block.loc))
                continue
            if isinstance(block, m.Table):   # its caption and each row read as a paragraph
                for line, loc in _table_lines(block.table):
                    paragraphs += 1
                    out.append(_Unit(replace(base, n=str(paragraphs)), side.plain(line),
                                     side.links(line), "", loc or block.loc))
                continue
            items = getattr(block, "numbered", None) or getattr(block, "bullets", None) \
                or getattr(block, "clauses", None) or []
            for k, item in enumerate(items, 1):
                text, ident, nested = (item, "", []) if isinstance(item, str) \
                    else (item.text, str(item.id or ""), item.blocks)
                if isinstance(block, m.Clauses):
                    kind, label = "clause", style.section_number(path + (k,)).strip()
                elif isinstance(block, m.NumberedList):
                    kind, label = "item", prefix + style.list_number(depth, k).strip().rstrip("、.")
                else:
                    kind, label = "item", f"{prefix}{'.' if prefix else ''}{k}"
                out.append(_Unit(replace(base, kind=kind, n=label), side.plain(text),
                                 side.links(text), ident, text.loc))
                out += self._units(side, nested, path, base, depth + 1, label)
        return [u for u in out if u.text or u.links]

    def _texts(self, olds: list[_Unit], news: list[_Unit], scope: tuple[str, ...],
               parent_loc: Loc, old_parent_loc: Loc) -> None:
        matcher = SequenceMatcher(None, [u.key for u in olds], [u.key for u in news],
                                  autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            paired = _pair_similar(olds[i1:i2], news[j1:j2])
            paired_old = {id(a) for a, _ in paired}
            paired_new = {id(b): a for a, b in paired}
            for unit in olds[i1:i2]:
                if id(unit) not in paired_old:
                    self.add("text.removed", where=unit.where, scope=scope, old=unit.text,
                             loc=parent_loc, old_loc=unit.loc)
            for unit in news[j1:j2]:
                before = paired_new.get(id(unit))
                if before is None:
                    self.add("text.added", where=unit.where, scope=scope, new=unit.text,
                             loc=unit.loc, old_loc=old_parent_loc)
                elif unspaced(before.text) != unspaced(unit.text):
                    self.add("text.reworded", where=unit.where, scope=scope, old=before.text,
                             new=unit.text, links=_link_changes(before.links, unit.links),
                             loc=unit.loc, old_loc=before.loc)
                elif before.links != unit.links:
                    self.add("text.relinked", where=unit.where, scope=scope, old=before.text,
                             new=unit.text, links=_link_changes(before.links, unit.links),
                             loc=unit.loc, old_loc=before.loc)

    def _blocks_text(self, side: Side, blocks: list) -> str:
        return "\n".join(u.text for u in self._units(side, blocks, (), Where("paragraph")))

    def _blocks_links(self, side: Side, blocks: list) -> tuple[str, ...]:
        return tuple(h for u in self._units(side, blocks, (), Where("paragraph"))
                     for h in u.links)

    # ------------------------------------------------------------------ typed content

    def _fields(self, old, new, skip: set[str], kinds: dict[str, str], key: str, target: str,
                scope: tuple[str, ...], detail: str = "", subject: str = "",
                home: Any = None, fact: str = "") -> None:
        for name in model_fields(type(new)):
            if name in skip:
                continue
            a, b = getattr(old, name), getattr(new, name)
            if a != b:
                setting = _is_setting(model_hints(type(new))[name])
                if name == "legal_basis":      # shown as the editions word it
                    a, b = self.old.basis(a), self.new.basis(b)
                self.add(key, kinds.get(name, WORDING), target=target, field=name,
                         detail=detail, scope=scope, **self._before_after(a, b, setting),
                         fact=fact or (f"{subject}/{name}" if subject else ""),
                         loc=getattr(b, "loc", None) or new.loc,
                         old_loc=getattr(a, "loc", None) or old.loc,
                         of=(self.new, new if home is None else home))

    def _before_after(self, a: Any, b: Any, setting: bool = False) -> dict[str, str | None]:
        """A changed field for the change: wording as ``old``/``new`` (quoted in the
        redline), any other value (a legal basis, yes/no, a number) as ``values``, so
        the changes page never quotes a setting as if it were policy text."""
        wording = (str, list, type(None))
        if not setting and isinstance(a, wording) and isinstance(b, wording):
            return {"old": self.old.show(a), "new": self.new.show(b)}
        shown = [self.old.show(a) or "—", self.new.show(b) or "—"]
        return {"values": " → ".join(shown)}

    def _listed(self, old: list, new: list, key: str, kind: str, target: str,
                scope: tuple[str, ...], loc: Loc, home: Any = None) -> None:
        """Texts added to or removed from a list (data, permissions), one change each."""
        before, after = [str(x) for x in old], [str(x) for x in new]
        for text in new:
            if str(text) not in before:
                self.add(f"{key}_added", kind, target=target, detail=self.new.plain(text),
                         scope=scope, loc=text.loc, of=(self.new, home))
        for text in old:
            if str(text) not in after:
                self.add(f"{key}_removed", kind, target=target, detail=self.old.plain(text),
                         scope=scope, loc=loc, old_loc=text.loc, of=(self.new, home))

    def _joined(self, side: Side, texts: list) -> str:
        return side.style.words["list_separator"].join(side.plain(t) for t in texts)

    def _added_removed(self, subject: str, kind: str, olds: list, news: list,
                       removed: list[int], added: list[int], collects: Callable,
                       parent_loc: Loc) -> None:
        for j in added:
            item, scope = news[j]
            listed = collects(item)
            key = f"{subject}.added_collects" if listed else f"{subject}.added"
            self.add(key, kind, target=self.new.plain(_label(item)),
                     detail=self._joined(self.new, listed), scope=scope,
                     new=self._item_text(self.new, item), loc=item.loc, of=(self.new, item))
        for i in removed:
            item, scope = olds[i]
            self.add(f"{subject}.removed", kind, target=self.old.plain(_label(item)),
                     scope=scope, old=self._item_text(self.old, item), loc=parent_loc,
                     old_loc=item.loc, of=(self.old, item))

    def _item_text(self, side: Side, item) -> str | None:
        """The wording of an SDK, feature or right that has a description: its name and
        description, as printed; None for one without."""
        blocks = getattr(item, "blocks", None)
        if not blocks:
            return None
        return "\n".join(t for t in (side.plain(_label(item)), self._blocks_text(side, blocks))
                         if t)

    def _renamed(self, subject: str, old, new, scope: tuple[str, ...]) -> None:
        if _label(old) != _label(new):
            self.add(f"{subject}.renamed", target=self.new.plain(_label(new)),
                     detail=self.old.plain(_label(old)), scope=scope,
                     old=self.old.plain(_label(old)), new=self.new.plain(_label(new)),
                     loc=_label(new).loc, old_loc=_label(old).loc, of=(self.new, new))

    def _sdks(self, olds: list, news: list, loc: Loc) -> None:
        pairs, removed, added = match([s for s, _ in olds], [s for s, _ in news],
                                      (_ident, _name))
        self._added_removed("sdk", "recipients", olds, news, removed, added,
                            lambda sdk: m.data_names(sdk.data), loc)
        for i, j in pairs:
            (old, _), (new, scope) = olds[i], news[j]
            target = self.new.plain(new.name)
            self._renamed("sdk", old, new, scope)
            self._fields(old, new, {"name", "id", "data", "permissions"}, SDK_KINDS, "sdk.field",
                         target, scope, subject=f"sdk:{new.id or new.name}")
            self._listed(m.data_names(old.data), m.data_names(new.data), "sdk.data",
                         "data_types", target, scope, new.loc, new)
            self._listed(old.permissions, new.permissions, "sdk.permission", "data_types", target,
                         scope, new.loc, new)

    def _features(self, olds: list, news: list, loc: Loc) -> None:
        pairs, removed, added = match([f for f, _ in olds], [f for f, _ in news],
                                      (_ident, _name))
        self._added_removed("feature", "data_types", olds, news, removed, added,
                            lambda feature: [d.name for d in feature.data], loc)
        for i, j in pairs:
            (old, _), (new, scope) = olds[i], news[j]
            target = self.new.plain(new.name)
            self._renamed("feature", old, new, scope)
            self._fields(old, new, {"name", "id", "blocks", "data", "permissions"},
                         FEATURE_KINDS, "feature.field", target, scope,
                         subject=f"feature:{new.id or new.name}")
            self._reworded("feature.reworded", WORDING, old, new, target, scope)
            self._data_items(old, new, target, scope)
            self._listed(old.permissions, new.permissions, "feature.permission", "data_types",
                         target, scope, new.loc, new)

    def _data_items(self, old: m.Feature, new: m.Feature, target: str,
                    scope: tuple[str, ...]) -> None:
        pairs, removed, added = match(old.data, new.data, (_name,))
        for j in added:
            self.add("feature.data_added", "data_types", target=target,
                     detail=self.new.plain(new.data[j].name), scope=scope, loc=new.data[j].loc,
                     of=(self.new, new))
        for i in removed:
            self.add("feature.data_removed", "data_types", target=target,
                     detail=self.old.plain(old.data[i].name), scope=scope, loc=new.loc,
                     old_loc=old.data[i].loc, of=(self.new, new))
        for i, j in pairs:
            self._fields(old.data[i], new.data[j], {"name"}, DATA_ITEM_KINDS,
                         "feature.data_field", target, scope,
                         detail=self.new.plain(new.data[j].name),
                         fact=f"feature:{new.id or new.name}/data", home=new)

    def _rows(self, olds: list, news: list, loc: Loc) -> None:
        pairs, removed, added = match(
            [r for r, _ in olds], [r for r, _ in news],
            (lambda r: str(r.feature_id) if r.feature_id else None, lambda r: str(r.feature)))
        self._added_removed("permission", "data_types", olds, news, removed, added,
                            lambda row: row.permissions, loc)
        for i, j in pairs:
            (old, _), (new, scope) = olds[i], news[j]
            target = self.new.plain(new.feature)
            self._renamed("permission", old, new, scope)
            self._fields(old, new, {"feature", "feature_id", "permissions"}, ROW_KINDS,
                         "permission.field", target, scope,
                         subject=f"row:{new.feature_id or new.feature}")
            self._listed(old.permissions, new.permissions, "permission.permission",
                         "data_types", target, scope, new.loc, new)

    def _rights(self, olds: list, news: list, loc: Loc) -> None:
        pairs, removed, added = match([r for r, _ in olds], [r for r, _ in news],
                                      (_ident, lambda r: str(r.title), lambda r: str(r.kind)))
        self._added_removed("right", "rights", olds, news, removed, added, lambda r: [], loc)
        for i, j in pairs:
            (old, _), (new, scope) = olds[i], news[j]
            target = self.new.plain(new.title)
            self._renamed("right", old, new, scope)
            self._reworded("right.reworded", "rights", old, new, target, scope)

    def _reworded(self, key: str, kind: str, old, new, target: str,
                  scope: tuple[str, ...]) -> None:
        """The description of a feature or right, when a reader sees it changed."""
        before, after = self._blocks_text(self.old, old.blocks), \
            self._blocks_text(self.new, new.blocks)
        links = _link_changes(self._blocks_links(self.old, old.blocks),
                              self._blocks_links(self.new, new.blocks))
        if before != after or links:
            self.add(key, kind, target=target, scope=scope, old=before, new=after,
                     links=links if before == after else (), loc=new.loc, old_loc=old.loc,
                     of=(self.new, new))


def _is_setting(hint: Any) -> bool:
    """Whether a field holds a value chosen from a list (legal_basis, kind), a flag or a
    number rather than wording."""
    args = [a for a in get_args(hint) if a is not type(None)] or [hint]
    return any(get_origin(a) is Literal or a in (bool, int) for a in args)


def _label(item) -> Any:
    """The name an item is shown by: an SDK's or feature's name, a row's feature, a right's
    title."""
    for attr in ("name", "feature", "title", "kind"):  # untitled rights: their kind
        value = getattr(item, attr, None)
        if value is not None:
            return value
    return ""  # a feature without name


def _pair_similar(olds: list[_Unit], news: list[_Unit]) -> list[tuple[_Unit, _Unit]]:
    """Pair units of a replaced run: same id, else similar enough wording, in order."""
    pairs: list[tuple[_Unit, _Unit]] = []
    start = 0
    for old in olds:
        for k in range(start, len(news)):
            new = news[k]
            same_id = old.ident and old.ident == new.ident
            if same_id or (not (old.ident and new.ident)
                           and _similarity(old.text, new.text) >= SIMILAR):
                pairs.append((old, new))
                start = k + 1
                break
    return pairs


def _short_number(style: LocaleStyle, path: tuple[int, ...]) -> str:
    """三（二） for zh-CN, 3.2 for en: each level's number, without punctuation."""
    out = ""
    for depth in range(1, len(path) + 1):
        label = style.section_number(path[:depth]).strip().rstrip("、.")
        out = label if out and label.startswith(out + ".") else out + label
    return out


def _ids(section: m.SectionBase) -> tuple[str, ...]:
    return (str(section.id),) if section.id else ()


def _typed(project: Project, homes: dict[int, m.SectionBase]
           ) -> dict[str, list[tuple[Any, tuple[str, ...]]]]:
    """SDKs, features, permission rows and rights anywhere in the policy, with their scope;
    ``homes`` gets the section each is in."""
    out: dict[str, list] = {"sdk": [], "feature": [], "row": [], "right": []}

    def walk(section: m.SectionBase, scope: tuple[str, ...]) -> None:
        scope = scope + _ids(section)
        for kind, attr in (("sdk", "sdks"), ("feature", "features"), ("row", "rows"),
                           ("right", "rights")):
            items = getattr(section, attr, None) or ()
            out[kind] += [(item, scope) for item in items]
            homes.update((id(item), section) for item in items)
        for child in section.sections:
            walk(child, scope)

    for section_file in project.sections:
        walk(section_file.section, ())
    return out


def _flatten(obj, prefix: str = "") -> dict[str, Any]:
    """The facts of policy.yaml as dotted keys (contact.officer.email) and values."""
    out: dict[str, Any] = {}
    for name in model_fields(type(obj)):
        if not prefix and name in POLICY_NOT_FACTS:
            continue
        value = getattr(obj, name)
        if dataclasses.is_dataclass(value):
            out.update(_flatten(value, f"{prefix}{name}."))
        elif value is not None:
            out[prefix + name] = value
    return out


def _table_lines(table: m.TableContent) -> list[tuple[str, Loc | None]]:
    """A table's caption and rows (header first), a row's cells joined by " | ", each with
    where it was written."""
    lines = [(str(table.caption), table.caption.loc)] if table.caption else []
    return lines + [(" | ".join(str(cell) for cell in row), row[0].loc if row else None)
                    for row in (table.header, *table.rows)]
