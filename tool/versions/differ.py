"""Structural diff: two editions of a policy compared as data, not as lines.

Typed content is matched by identity wherever it sits: SDKs by id or name, features
by id or name, permission rows by feature id or feature, data items by name, rights
by id, title or kind, policy.yaml facts by key. Sections are matched by id or title
under their parent, and their paragraphs, list items and clauses are aligned by
wording, so an inserted paragraph is one addition, not a cascade of rewordings.
Numbers are generated, so renumbering alone is never a change.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any, Callable, Iterable, Literal, Sequence, get_args, get_origin

from ..diagnostics import Loc
from ..locales import LocaleStyle, locale_style
from .. import model as m
from ..project import Project
from ..resolve import plain_text_of
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


@dataclass
class Side:
    """One edition as the differ sees it."""

    project: Project
    plain: Callable[[str], str]          # source text → what a reader sees
    style: LocaleStyle
    relabel: Callable[[Loc], Loc]        # loc in a temporary copy → loc the user recognises

    @classmethod
    def of(cls, project: Project, relabel: Callable[[Loc], Loc] = lambda loc: loc) -> "Side":
        return cls(project, plain_text_of(project), locale_style(project.policy.locale),
                   relabel)

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
    source: str
    ident: str
    loc: Loc


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


def _similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= SIMILAR else 0.0


class _Differ:
    def __init__(self, old: Side, new: Side):
        self.old, self.new = old, new
        self.changes: list[Change] = []

    def add(self, key: str, kind: str = WORDING, **values) -> None:
        loc = values.pop("loc", Loc(""))
        self.changes.append(Change(key, kind, loc=self.new.relabel(loc), **values))

    def run(self) -> None:
        old, new = self.old.project, self.new.project
        self._facts(old.policy, new.policy)
        self._variables(old.policy, new.policy)
        for area in ("preamble", "introduction"):
            base = Where("paragraph", area=area)
            self._texts(self._units(getattr(old.policy, area), self.old.style, (), base),
                        self._units(getattr(new.policy, area), self.new.style, (), base),
                        (), new.policy.loc)
        self._section_lists([(sf.section, (k,)) for k, sf in enumerate(old.sections, 1)],
                            [(sf.section, (k,)) for k, sf in enumerate(new.sections, 1)],
                            (), new.policy.loc)
        olds, news = _typed(old), _typed(new)
        self._sdks(olds["sdk"], news["sdk"], new.policy.loc)
        self._features(olds["feature"], news["feature"], new.policy.loc)
        self._rows(olds["row"], news["row"], new.policy.loc)
        self._rights(olds["right"], news["right"], new.policy.loc)

    # ------------------------------------------------------------------ policy.yaml

    def _facts(self, old: m.Policy, new: m.Policy) -> None:
        before, after = _flatten(old), _flatten(new)
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
            self.add(message, kind, field=field, **self._before_after(a, b),
                     loc=getattr(b, "loc", None) or new.loc)

    def _variables(self, old: m.Policy, new: m.Policy) -> None:
        for name in dict.fromkeys([*new.variables, *old.variables]):
            a, b = old.variables.get(name), new.variables.get(name)
            if a == b:
                continue
            key = "variable.added" if a is None else "variable.removed" if b is None \
                else "variable.field"
            self.add(key, target=str(name), old=a and str(a), new=b and str(b),
                     loc=getattr(b, "loc", None) or new.loc)

    # ------------------------------------------------------------------ sections

    def _where(self, side: Side, path: tuple[int, ...], old_path: tuple[int, ...] = ()) -> Where:
        """The place of a section; with ``old_path``, its old number too when it changed."""
        where = Where("section", _short_number(side.style, path), side.style.section_ref(path))
        if old_path and old_path != path:
            where = replace(where, old_number=_short_number(self.old.style, old_path),
                            old_ref=self.old.style.section_ref(old_path))
        return where

    def _section_lists(self, olds: list[tuple[m.SectionBase, tuple]],
                       news: list[tuple[m.SectionBase, tuple]], scope: tuple[str, ...],
                       parent_loc: Loc) -> None:
        pairs, removed, added = match([s for s, _ in olds], [s for s, _ in news],
                                      (_ident, lambda s: str(s.title)))
        for i in removed:
            section, path = olds[i]
            self.add(_titled("section.removed", section), target=self.old.plain(section.title),
                     where=self._where(self.old, path), scope=scope + _ids(section),
                     old=self._section_text(self.old, section), loc=parent_loc)
        for j in added:
            section, path = news[j]
            self.add(_titled("section.added", section), target=self.new.plain(section.title),
                     where=self._where(self.new, path), scope=scope + _ids(section),
                     new=self._section_text(self.new, section), loc=section.loc)
        moved = _moved(pairs)
        for i, j in pairs:
            (old, old_path), (new, new_path) = olds[i], news[j]
            if j in moved:
                self.add(_titled("section.moved", new), target=self.new.plain(new.title),
                         where=self._where(self.new, new_path, old_path),
                         scope=scope + _ids(new), loc=new.loc)
            self._section(old, old_path, new, new_path, scope + _ids(new))

    def _section(self, old: m.SectionBase, old_path: tuple, new: m.SectionBase,
                 new_path: tuple, scope: tuple[str, ...]) -> None:
        where = self._where(self.new, new_path, old_path)
        if old.title != new.title:
            self.add("section.renamed", where=where, scope=scope, old=self.old.plain(old.title),
                     new=self.new.plain(new.title), loc=new.title.loc)
        for attr, kind in (("blocks", "paragraph"), ("after", "after")):
            self._texts(self._units(getattr(old, attr, []), self.old.style, old_path,
                                    replace(self._where(self.old, old_path), kind=kind)),
                        self._units(getattr(new, attr, []), self.new.style, new_path,
                                    replace(where, kind=kind)),
                        scope, new.loc)
        self._section_lists(_children(old, old_path), _children(new, new_path), scope, new.loc)

    def _section_text(self, side: Side, section: m.SectionBase) -> str:
        units = self._units(section.blocks, side.style, (), Where("paragraph"))
        lines = [side.plain(section.title)] if section.title else []
        return "\n".join(lines + [side.plain(u.source) for u in units])

    # ------------------------------------------------------------------ wording

    def _units(self, blocks: list, style: LocaleStyle, path: tuple[int, ...], base: Where,
               depth: int = 0, prefix: str = "") -> list[_Unit]:
        """The paragraphs, items and clauses of ``blocks``, each with its place."""
        out: list[_Unit] = []
        paragraphs = 0
        for block in blocks:
            if isinstance(block, str):
                paragraphs += 1
                where = replace(base, kind="item", n=prefix) if prefix \
                    else replace(base, n=str(paragraphs))
                out.append(_Unit(where, str(block), "", block.loc))
                continue
            if isinstance(block, m.Table):   # its caption and each row read as a paragraph
                for line, loc in _table_lines(block.table):
                    paragraphs += 1
                    out.append(_Unit(replace(base, n=str(paragraphs)), line, "", loc or block.loc))
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
                out.append(_Unit(replace(base, kind=kind, n=label), str(text), ident, text.loc))
                out += self._units(nested, style, path, base, depth + 1, label)
        return out

    def _texts(self, olds: list[_Unit], news: list[_Unit], scope: tuple[str, ...],
               parent_loc: Loc) -> None:
        matcher = SequenceMatcher(None, [u.source for u in olds], [u.source for u in news],
                                  autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            paired = _pair_similar(olds[i1:i2], news[j1:j2])
            paired_old = {id(a) for a, _ in paired}
            paired_new = {id(b): a for a, b in paired}
            for unit in olds[i1:i2]:
                if id(unit) not in paired_old:
                    self.add("text.removed", where=unit.where, scope=scope,
                             old=self.old.plain(unit.source), loc=parent_loc)
            for unit in news[j1:j2]:
                before = paired_new.get(id(unit))
                if before is None:
                    self.add("text.added", where=unit.where, scope=scope,
                             new=self.new.plain(unit.source), loc=unit.loc)
                elif before.source != unit.source:
                    self.add("text.reworded", where=unit.where, scope=scope,
                             old=self.old.plain(before.source), new=self.new.plain(unit.source),
                             loc=unit.loc)

    def _blocks_text(self, side: Side, blocks: list) -> str:
        return "\n".join(side.plain(u.source)
                         for u in self._units(blocks, side.style, (), Where("paragraph")))

    # ------------------------------------------------------------------ typed content

    def _fields(self, old, new, skip: set[str], kinds: dict[str, str], key: str, target: str,
                scope: tuple[str, ...], detail: str = "") -> None:
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
                         loc=getattr(b, "loc", None) or new.loc)

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
                scope: tuple[str, ...], loc: Loc) -> None:
        """Texts added to or removed from a list (data, permissions), one change each."""
        before, after = [str(x) for x in old], [str(x) for x in new]
        for text in new:
            if str(text) not in before:
                self.add(f"{key}_added", kind, target=target, detail=self.new.plain(text),
                         scope=scope, loc=text.loc)
        for text in old:
            if str(text) not in after:
                self.add(f"{key}_removed", kind, target=target, detail=self.old.plain(text),
                         scope=scope, loc=loc)

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
                     detail=self._joined(self.new, listed), scope=scope, loc=item.loc)
        for i in removed:
            item, scope = olds[i]
            self.add(f"{subject}.removed", kind, target=self.old.plain(_label(item)),
                     scope=scope, loc=parent_loc)

    def _renamed(self, subject: str, old, new, scope: tuple[str, ...]) -> None:
        if _label(old) != _label(new):
            self.add(f"{subject}.renamed", target=self.new.plain(_label(new)),
                     detail=self.old.plain(_label(old)), scope=scope,
                     old=self.old.plain(_label(old)), new=self.new.plain(_label(new)),
                     loc=_label(new).loc)

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
                         target, scope)
            self._listed(m.data_names(old.data), m.data_names(new.data), "sdk.data",
                         "data_types", target, scope, new.loc)
            self._listed(old.permissions, new.permissions, "sdk.permission", "data_types", target,
                         scope, new.loc)

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
                         FEATURE_KINDS, "feature.field", target, scope)
            if old.blocks != new.blocks:
                self.add("feature.reworded", target=target, scope=scope,
                         old=self._blocks_text(self.old, old.blocks),
                         new=self._blocks_text(self.new, new.blocks), loc=new.loc)
            self._data_items(old, new, target, scope)
            self._listed(old.permissions, new.permissions, "feature.permission", "data_types",
                         target, scope, new.loc)

    def _data_items(self, old: m.Feature, new: m.Feature, target: str,
                    scope: tuple[str, ...]) -> None:
        pairs, removed, added = match(old.data, new.data, (_name,))
        for j in added:
            self.add("feature.data_added", "data_types", target=target,
                     detail=self.new.plain(new.data[j].name), scope=scope, loc=new.data[j].loc)
        for i in removed:
            self.add("feature.data_removed", "data_types", target=target,
                     detail=self.old.plain(old.data[i].name), scope=scope, loc=new.loc)
        for i, j in pairs:
            self._fields(old.data[i], new.data[j], {"name"}, DATA_ITEM_KINDS,
                         "feature.data_field", target, scope,
                         detail=self.new.plain(new.data[j].name))

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
                         "permission.field", target, scope)
            self._listed(old.permissions, new.permissions, "permission.permission",
                         "data_types", target, scope, new.loc)

    def _rights(self, olds: list, news: list, loc: Loc) -> None:
        pairs, removed, added = match([r for r, _ in olds], [r for r, _ in news],
                                      (_ident, lambda r: str(r.title), lambda r: str(r.kind)))
        self._added_removed("right", "rights", olds, news, removed, added, lambda r: [], loc)
        for i, j in pairs:
            (old, _), (new, scope) = olds[i], news[j]
            target = self.new.plain(new.title)
            self._renamed("right", old, new, scope)
            if old.blocks != new.blocks or old.kind != new.kind:
                self.add("right.reworded", "rights", target=target, scope=scope,
                         old=self._blocks_text(self.old, old.blocks),
                         new=self._blocks_text(self.new, new.blocks), loc=new.loc)


def _titled(key: str, section: m.SectionBase) -> str:
    """The message key of a section change: its own for a section without a title."""
    return key if section.title else f"{key}_untitled"


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
                           and _similarity(old.source, new.source) >= SIMILAR):
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


def _children(section: m.SectionBase, path: tuple[int, ...]) -> list[tuple[m.SectionBase, tuple]]:
    """Subsections with their numbers (a rights section numbers its rights first)."""
    offset = len(section.rights) if isinstance(section, m.RightsSection) else 0
    return [(child, path + (offset + k,)) for k, child in enumerate(section.sections, 1)]


def _typed(project: Project) -> dict[str, list[tuple[Any, tuple[str, ...]]]]:
    """SDKs, features, permission rows and rights anywhere in the policy, with their scope."""
    out: dict[str, list] = {"sdk": [], "feature": [], "row": [], "right": []}

    def walk(section: m.SectionBase, scope: tuple[str, ...]) -> None:
        scope = scope + _ids(section)
        for kind, attr in (("sdk", "sdks"), ("feature", "features"), ("row", "rows"),
                           ("right", "rights")):
            out[kind] += [(item, scope) for item in getattr(section, attr, None) or ()]
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
