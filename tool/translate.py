"""Translations: one structure, wording per locale, and translations that notice stale sources.

The wording of the binding locale (``locale`` in policy.yaml) is written in the section
files. Every other locale listed under ``locales`` has a catalog,
``translations/<locale>.yaml``, with one entry per text: its place in the sources
(``at``), the binding wording it translates (``source``) and the translation (``text``).
Structure, tables, SDK data, contact details and ids are shared; only wording differs.

A place is a structural path that mirrors the YAML keys, with 1-based list indices, and
starts at the nearest enclosing id: ``collection/title``, ``register/blocks/2``,
``use/blocks/1/numbered/2/text``, ``policy.yaml/contact/in_app_feedback``. A top-level
section without an id starts at its file: ``sections/02-use.yaml/title``.

A source text is matched to a catalog entry in three passes:

1. same place and same wording: translated;
2. same wording at another place (a paragraph was inserted or moved): translated, and
   the entry is reported as filed under an outdated place;
3. an entry at the same place with other wording: stale (the source changed since the
   translation was made); no entry at all: missing.

Wording is compared with runs of white space collapsed. Entries matching no source
text are reported as unused.
"""
from __future__ import annotations

import copy
import dataclasses
import difflib
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, Protocol, get_args, get_origin

from .diagnostics import Diagnostic, Issue, Loc, Report, Severity, display_path
from .locales import locale_style
from . import model as m
from .schema import Text, model_fields, model_hints
from .sources import read_source


class Project(Protocol):
    """What translations read of a loaded project (:class:`policyc.project.Project`)."""

    root: Path
    policy: m.Policy
    sections: list
    catalogs: dict[str, m.Catalog]

CATALOG_DIR = "translations"

# Text fields that are facts written the same in every locale, not wording.
NOT_WORDING = {(m.Policy, "version"), (m.Policy, "sections"), (m.Contact, "phone"),
               (m.Officer, "phone")}

State = Literal["translated", "stale", "missing"]


class Untranslated(Text):
    """Binding wording shown in another locale's edition because its translation is missing."""

    lang: str

    def __new__(cls, text: Text, lang: str):
        # the source and its origin too: a problem in the text is reported at its own
        # column, the same diagnostic as in the binding edition (so reported once)
        obj = super().__new__(cls, str(text), text.loc, text.style, getattr(text, "source", ""),
                              getattr(text, "origin", None))
        obj.lang = lang
        return obj

    def __reduce__(self):
        return (type(self), (Text(str(self), self.loc, self.style, self.source, self.origin),
                             self.lang))


# --------------------------------------------------------------------------- places


@dataclass
class Slot:
    """One translatable text of the binding sources and where it sits in the model."""

    path: str
    text: Text
    holder: object        # the list, dict or model object holding the text
    key: int | str        # index, dict key or attribute name

    def replace(self, value: Text) -> None:
        """Put ``value`` where this text was."""
        if isinstance(self.holder, (list, dict)):
            self.holder[self.key] = value
        else:
            setattr(self.holder, str(self.key), value)


def text_slots(project: Project) -> list[Slot]:
    """Every translatable text of ``project``, in document order, with its place."""
    slots: list[Slot] = []
    _walk_model(project.policy, "policy.yaml", slots)
    for section_file in project.sections:
        entry = section_file.path.relative_to(project.root).as_posix()
        _walk_model(section_file.section, entry, slots)
    return slots


def _walk_model(obj, path: str, slots: list[Slot]) -> None:
    ident = getattr(obj, "id", None)
    base = str(ident) if ident else path
    for name in _wording_fields(type(obj)):
        _walk_value(getattr(obj, name), f"{base}/{name}", obj, name, slots)


@lru_cache(maxsize=None)
def _wording_fields(cls: type) -> tuple[str, ...]:
    """The fields of a model class that may hold wording (not fixed choices)."""
    hints = model_hints(cls)
    return tuple(name for name in model_fields(cls)
                 if (cls, name) not in NOT_WORDING and not _is_choice(hints[name]))


def _walk_value(value, path: str, holder, key, slots: list[Slot]) -> None:
    if type(value) is Text or type(value) is m.Cell and value.strip():
        # other subclasses (Id, Url, Email, dates, tags) are not wording; nor an empty cell
        slots.append(Slot(path, value, holder, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk_value(item, f"{path}/{index + 1}", value, index, slots)
    elif isinstance(value, dict):
        for name, item in value.items():
            _walk_value(item, f"{path}/{name}", value, name, slots)
    elif dataclasses.is_dataclass(value):
        _walk_model(value, path, slots)


def _is_choice(hint) -> bool:
    """Whether a field holds one of fixed values (a Literal), not wording."""
    if get_origin(hint) is Literal:
        return True
    return any(_is_choice(arg) for arg in get_args(hint))


# --------------------------------------------------------------------------- catalogs


def catalog_path(root: Path, locale: str) -> Path:
    """Where the catalog of ``locale`` lives in the source folder ``root``."""
    return root / CATALOG_DIR / f"{locale}.yaml"


def declared_locales(policy: m.Policy) -> list[str]:
    """The locales the policy is published in, in declared order (default: the binding one)."""
    return [str(tag) for tag in policy.locales] or [str(policy.locale)]


def check_locales(policy: m.Policy, report: Report) -> None:
    """Report unsupported, repeated or incomplete `locales` declarations."""
    seen: set[str] = set()
    for tag in policy.locales:
        if tag in seen:
            report.error(tag.loc, f"locale '{tag}' is listed twice in `locales`")
        seen.add(str(tag))
        if locale_style(tag) is None:
            report.error(tag.loc, f"locale '{tag}' is not supported; policyc knows zh-CN and en")
    if policy.locales and str(policy.locale) not in seen:
        report.error(policy.locales[0].loc, f"`locales` must include the binding locale "
                                            f"'{policy.locale}' (set by `locale`)")


def load_catalogs(root: Path, policy: m.Policy,
                  report: Report) -> tuple[dict[str, m.Catalog], list[Path]]:
    """The catalogs of the non-binding locales that have one, and the files read."""
    catalogs: dict[str, m.Catalog] = {}
    files: list[Path] = []
    for locale in declared_locales(policy):
        path = catalog_path(root, locale)
        if locale == policy.locale or not path.exists():
            continue
        files.append(path)
        catalog = _read_catalog(path, locale, report)
        if catalog is not None:
            catalogs[locale] = catalog
    declared = declared_locales(policy)
    for path in sorted((root / CATALOG_DIR).glob("*.yaml")):
        if path.stem == policy.locale:
            report.warning(Loc(display_path(path), 1, 1), f"this catalog is for the binding "
                           f"locale '{path.stem}', whose wording is the section files': it is "
                           "not read; remove it")
        elif path.stem not in declared:
            report.warning(Loc(display_path(path), 1, 1), f"locale '{path.stem}' is not declared "
                           f"in policy.yaml, so this catalog is not read; add it to `locales` "
                           f"({', '.join(declared)})")
    return catalogs, files


def _read_catalog(path: Path, locale: str, report: Report) -> m.Catalog | None:
    _, catalog, valid = read_source(path, m.Catalog, "translation catalog", report,
                                    path.parent.parent)
    if catalog is None or not valid:
        return None
    if catalog.locale != locale:
        report.error(catalog.locale.loc, f"this catalog says locale '{catalog.locale}' but its "
                                         f"file name is for '{locale}'")
    first: dict[str, m.TranslatedText] = {}
    for entry in catalog.texts:
        if entry.at in first:
            report.error(entry.at.loc, f"`{entry.at}` is translated twice (first at line "
                                       f"{first[entry.at].at.loc.line})")
        first.setdefault(str(entry.at), entry)
    return catalog


# --------------------------------------------------------------------------- matching


@dataclass
class Match:
    """The translation state of one source text in one locale."""

    slot: Slot
    state: State
    entry: m.TranslatedText | None = None
    moved: bool = False   # matched by wording, filed under another place


@dataclass
class LocaleStatus:
    """How far the catalog of one locale is from the binding sources."""

    locale: str
    binding: str
    catalog: str                      # the catalog file as shown to users
    has_catalog: bool
    matches: list[Match] = field(default_factory=list)
    unused: list[m.TranslatedText] = field(default_factory=list)

    def count(self, state: State) -> int:
        return sum(1 for match in self.matches if match.state == state)

    def counts(self) -> dict[str, int]:
        """translated / stale / missing / unused / total, for reports."""
        return {"translated": self.count("translated"), "stale": self.count("stale"),
                "missing": self.count("missing"), "unused": len(self.unused),
                "total": len(self.matches)}


def same_wording(a: str, b: str) -> bool:
    """Whether two texts have the same wording, ignoring how lines were wrapped."""
    return " ".join(a.split()) == " ".join(b.split())


def locale_status(project: Project, locale: str) -> LocaleStatus:
    """Match every source text of ``project`` with the catalog of ``locale``."""
    catalog = project.catalogs.get(locale)
    entries = catalog.texts if catalog else []
    status = LocaleStatus(locale, str(project.policy.locale),
                          display_path(catalog_path(project.root, locale)),
                          catalog is not None)
    slots = text_slots(project)
    by_place: dict[str, m.TranslatedText] = {}
    for entry in entries:
        by_place.setdefault(str(entry.at), entry)
    used: set[int] = set()
    matches: list[Match | None] = [None] * len(slots)

    for k, slot in enumerate(slots):
        entry = by_place.get(slot.path)
        if entry is not None and same_wording(entry.source, slot.text):
            matches[k] = Match(slot, "translated", entry)
            used.add(id(entry))

    by_wording: dict[str, list[m.TranslatedText]] = defaultdict(list)
    for entry in entries:
        if id(entry) not in used:
            by_wording[" ".join(entry.source.split())].append(entry)
    for k, slot in enumerate(slots):
        if matches[k] is not None:
            continue
        candidates = [e for e in by_wording[" ".join(slot.text.split())] if id(e) not in used]
        if candidates:
            entry = max(candidates, key=lambda e: _shared_prefix(str(e.at), slot.path))
            matches[k] = Match(slot, "translated", entry, moved=True)
            used.add(id(entry))

    for k, entry in _reworded(slots, matches, [e for e in entries if id(e) not in used]):
        matches[k] = Match(slots[k], "stale", entry)
        used.add(id(entry))
    for k, slot in enumerate(slots):
        if matches[k] is None:
            matches[k] = Match(slot, "missing")
    status.matches = [match for match in matches if match is not None]
    status.unused = [entry for entry in entries if id(entry) not in used]
    return status


STALE_SIMILARITY = 0.6   # share of the wording a reworded text keeps from the old one
STALE_REACH = 5          # how many places a reworded text may have moved in its list


def _reworded(slots: list[Slot], matches: list[Match | None],
              entries: list[m.TranslatedText]) -> list[tuple[int, m.TranslatedText]]:
    """Pairs (slot index, entry) of texts reworded since their translation: the entry is
    at the slot's own field (a title), or its old wording resembles the slot's new one and
    it sits at the slot's place or near it in the same list. A translation is never given to a text it was not written for (an
    inserted paragraph does not inherit the translation of the one it pushed along)."""
    open_slots: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for k, slot in enumerate(slots):
        if matches[k] is None:
            parent, index = _place(slot.path)
            open_slots[parent].append((index, k))
    pairs = []
    for entry in entries:
        parent, index = _place(str(entry.at))
        for slot_index, k in open_slots.get(parent, ()):
            if abs(slot_index - index) > STALE_REACH:
                continue
            if str(entry.at) == slots[k].path and not _in_a_list(slots[k].path):
                # a field outside any list (a title, a contact line): nothing can have
                # been pushed into its place, so its translation is this text's, stale
                pairs.append((-1.0, False, k, id(entry), entry))
                continue
            old, new = " ".join(entry.source.split()), " ".join(slots[k].text.split())
            matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
            if matcher.real_quick_ratio() < STALE_SIMILARITY or matcher.quick_ratio() < STALE_SIMILARITY:
                continue
            ratio = matcher.ratio()
            if ratio >= STALE_SIMILARITY:
                pairs.append((-ratio, slot_index != index, k, id(entry), entry))
    chosen, taken = [], set()
    for _, _, k, key, entry in sorted(pairs, key=lambda p: p[:4]):
        if k not in taken and key not in taken:
            chosen.append((k, entry))
            taken.update((k, key))
    return chosen


def _in_a_list(path: str) -> bool:
    """Whether a place is in a list, or in an item of one (``a/blocks/3/text``)."""
    return any(part.isdigit() for part in path.split("/"))


def _place(path: str) -> tuple[str, int]:
    """A place's list and its position in it (``a/blocks/3`` → ``a/blocks``, 3)."""
    parent, _, last = path.rpartition("/")
    return (parent, int(last)) if last.isdigit() and len(last) < 7 else (path, 0)


def _shared_prefix(a: str, b: str) -> int:
    """How many leading path segments two places share."""
    n = 0
    for x, y in zip(a.split("/"), b.split("/")):
        if x != y:
            break
        n += 1
    return n


# --------------------------------------------------------------------------- findings

STALE = "I18N-STALE"
MISSING = "I18N-MISSING"
NO_CATALOG = "I18N-NO-CATALOG"
MOVED = "I18N-MOVED"
UNUSED = "I18N-UNUSED"

MESSAGES: dict[str, str] = {
    STALE: "stale translation of `{path}`: the {binding} wording changed from “{old}” to "
           "“{new}” (at {source}); update the translation and its `source`",
    MISSING: "missing {locale} translation of `{path}` (add it to {catalog})",
    NO_CATALOG: "locale '{locale}' has no translations: {catalog} does not exist, so all "
                "{total} texts are missing",
    MOVED: "this translation is filed under `{at}` but its source is now `{path}`; change "
           "`at` to `{path}`",
    UNUSED: "`{at}` translates no text of the sources; remove it",
}
"""The English message of each kind of translation issue (``{names}`` of its values)."""


def status_issues(status: LocaleStatus, locales_loc: Loc) -> list[Issue]:
    """The issues of one locale: stale, missing, misfiled and unused translations."""
    common = {"locale": status.locale, "binding": status.binding, "catalog": status.catalog}
    if not status.has_catalog:
        return [Issue(NO_CATALOG, locales_loc, {**common, "total": str(len(status.matches))})]
    out: list[Issue] = []
    for match in status.matches:
        entry, values = match.entry, {**common, "path": match.slot.path}
        if match.state == "missing":
            out.append(Issue(MISSING, match.slot.text.loc, values))
        elif match.state == "stale":
            old, new = change_excerpt(entry.source, match.slot.text)
            out.append(Issue(STALE, entry.text.loc, {**values, "old": old, "new": new,
                                                     "source": str(match.slot.text.loc)}))
        elif match.moved:
            out.append(Issue(MOVED, entry.at.loc, {**values, "at": str(entry.at)}))
    out += [Issue(UNUSED, entry.at.loc, {**common, "at": str(entry.at)})
            for entry in status.unused]
    return out


def project_issues(project: Project) -> list[Issue]:
    """The translation issues of every non-binding locale of ``project``."""
    out: list[Issue] = []
    for locale in declared_locales(project.policy):
        if locale != project.policy.locale:
            out += status_issues(locale_status(project, locale), _locale_loc(project, locale))
    return out


def severity_of(code: str, allow_missing: bool = False) -> Severity:
    """Missing translations are errors (warnings with ``allow_missing``); the rest warnings."""
    if code in (MISSING, NO_CATALOG) and not allow_missing:
        return Severity.ERROR
    return Severity.WARNING


def tolerate_missing(report: Report) -> None:
    """Make the missing-translation errors in ``report`` warnings (``--allow-missing``)."""
    report.diagnostics = [dataclasses.replace(d, severity=Severity.WARNING)
                          if d.code in (MISSING, NO_CATALOG) else d for d in report.diagnostics]


def _diagnostics(issues: list[Issue], allow_missing: bool) -> list[Diagnostic]:
    return [Diagnostic(issue.loc, severity_of(issue.code, allow_missing), issue.worded(MESSAGES),
                       issue.code) for issue in issues]


def change_excerpt(old: str, new: str, context: int = 24, limit: int = 120) -> tuple[str, str]:
    """Old and new wording; long texts are cut to the changed part with some context."""
    old, new = " ".join(old.split()), " ".join(new.split())
    if len(old) <= limit and len(new) <= limit:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    begin = max(0, start - context)

    def cut(text: str) -> str:
        stop = min(len(text), len(text) - end + context)
        return ("…" if begin else "") + text[begin:stop] + ("…" if stop < len(text) else "")
    return cut(old), cut(new)


def _locale_loc(project: Project, locale: str) -> Loc:
    return next((tag.loc for tag in project.policy.locales if tag == locale),
                project.policy.locale.loc)


# --------------------------------------------------------------------------- wording


_EDITIONS: "weakref.WeakKeyDictionary[Project, dict]" = weakref.WeakKeyDictionary()
"""Per loaded project, the editions :func:`localize` already made: (status, project)."""


def _copy_structure(obj):
    """A copy of the models, lists and mappings of ``obj``; texts and other values are shared.

    Texts are immutable, so sharing them is safe and much cheaper than a deep copy.
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        clone = copy.copy(obj)
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, (list, dict)) or dataclasses.is_dataclass(value):
                setattr(clone, f.name, _copy_structure(value))
        return clone
    if isinstance(obj, list):
        return [_copy_structure(item) for item in obj]
    if isinstance(obj, dict):
        return {key: _copy_structure(value) for key, value in obj.items()}
    return obj


def localize(project: Project, locale: str, report: Report | None,
             allow_missing: bool = False) -> Project:
    """A copy of ``project`` whose wording is that of ``locale``.

    A missing translation keeps the binding wording, marked as :class:`Untranslated`.
    With a ``report``, stale and missing translations are reported there; a missing one
    is an error unless ``allow_missing``.
    """
    if locale == project.policy.locale:
        return project
    editions = _EDITIONS.setdefault(project, {})
    if locale not in editions:
        status = locale_status(project, locale)
        localized = _copy_structure(project)
        for slot, match in zip(text_slots(localized), status.matches):
            if match.entry is not None:
                slot.replace(match.entry.text)
            else:
                slot.replace(Untranslated(slot.text, status.binding))
        editions[locale] = status, localized
    status, localized = editions[locale]
    if report is not None:
        report.extend(_diagnostics(status_issues(status, _locale_loc(project, locale)),
                                   allow_missing))
    return localized
