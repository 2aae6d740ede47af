"""Resolve stage: number, link and lower a :class:`Project` into a :class:`Document`.

Two passes. The first lowers typed sections into generic sections, paragraphs, lists
and tables, generating every number (in the edition's `numbering`) and registering every
id with the text a reference to it reads as (第十条, Section 10, “Contact us”). It prints
each structured fact — a feature's purpose, a third party's provider, storage region … —
as a line, unless the editor's text places it with a placeholder ({purpose},
{storage.region}), and records every fact printed in ``Document.published``. The second
pass parses the inline text of every piece, now that references can be resolved in any
direction, and gives the remaining headings readable anchors; then the MIIT lists are
built (:mod:`policyc.annexes`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Callable

from .diagnostics import PolicyError, Report
from .document import (Document, Emph, Inline, Item, Link, List, Paragraph, Ref, Section, Strong,
                       Table, TocEntry, Underline, plain)
from .document import Untranslated as UntranslatedSpan
from .annexes import miit_lists, wanted
from .inline import PLACEHOLDER, InlineParser
from . import model as m
from .locales import MONTHS as MONTH_NAMES
from .locales import PAPER_SIZES, PRESETS, LocaleStyle, counter_label, locale_style
from .project import Project
from .schema import Text
from .translate import Untranslated, localize


@dataclass
class Target:
    """What a cross-reference to an id produces."""

    ref: str        # e.g. 第一条（一）
    anchor: str


Pieces = list  # Text (inline source), str (generated, literal) or a ready span

# Facts of policy.yaml that print as lines where they belong, unless text places them with
# a placeholder such as {storage.region}: (model attribute, field); the line's label is
# the word "<attribute>_<field>" (storage_region).
POLICY_FACTS = (("storage", "region"), ("storage", "retention"), ("storage", "cross_border"),
                ("children", "age"), ("children", "guardian_consent"), ("children", "rules"),
                ("gdpr", "representative"), ("gdpr", "dpo"), ("gdpr", "supervisory_authority"))
# A feature's facts, printed as lines labelled "feature_<field>" unless its text places them.
FEATURE_FACTS = ("purpose", "data", "method", "retention", "on_expiry", "legal_basis",
                 "frequency")
# A third party's facts printed as labelled lines "sdk_<field>", in this order.
SDK_FACTS = ("purpose", "package", "version", "function", "provider", "contact", "scenario",
             "method")
# Variables that print a fact of policy.yaml: variable → published field.
VARIABLE_FACTS = {"org": "organisation.short_name", "org_name": "organisation.legal_name",
                  "address": "organisation.address", "app": "app.name",
                  "email": "contact.email", "phone": "contact.phone",
                  "postal_address": "contact.postal_address"}
# Where unplaced policy facts go: the roles (or ids) of their sections, by model attribute.
FACT_HOME = {"storage": ("storage", "transfers"), "children": ("children",),
             "gdpr": ("contact",)}


def resolve(project: Project, report: Report | None = None, locale: str | None = None,
            allow_missing: bool = False, report_translations: bool = True) -> Document:
    """The document of ``project`` in ``locale`` (default: the binding one).

    The wording of a non-binding locale comes from its catalog; a missing translation is
    an error unless ``allow_missing``, which shows the binding wording, marked. Stale and
    missing translations are reported unless ``report_translations`` is False (the
    caller ran the I18N check rules). Raises PolicyError on unresolved text.
    """
    report = report if report is not None else Report()
    locale = locale or str(project.policy.locale)
    binding = str(project.policy.locale)
    style = edition_style(project, locale, report)
    localized = localize(project, locale, report if report_translations else None,
                         allow_missing)
    resolver = _Resolver(localized, style, report, locale, binding)
    resolver.subjects = subjects(project, localized)
    document = resolver.run()
    catalog = project.catalogs.get(locale)
    front_matter = catalog.front_matter if catalog and catalog.front_matter is not None \
        else project.policy.front_matter
    document.front_matter = {str(k): str(v) for k, v in front_matter.items()}
    if report.has_errors:
        raise PolicyError(report)
    return document


def edition_style(project: Project, locale: str, report: Report) -> LocaleStyle:
    """The conventions of one edition: the locale's, with the numbering and paper the
    policy (or the locale's catalog) declares."""
    style = locale_style(locale)
    catalog = project.catalogs.get(locale)
    policy = project.policy
    numbering = catalog.numbering if catalog and catalog.numbering is not None \
        else policy.numbering
    paper = (catalog.paper if catalog and catalog.paper else None) or policy.paper
    if paper:
        style = replace(style, paper=str(paper))
    cite = policy.labels.get("section_ref")
    if cite is not None:  # the policy words its references itself: §{n}
        style = replace(style, words={**style.words, "section_ref": str(cite)})
        if numbering is None:
            return style.numbered(*PRESETS[style.numbering], name="")
    if numbering is None:
        return style
    if isinstance(numbering, m.Numbering):
        default_sections, default_lists = PRESETS[style.numbering]
        sections = _levels(numbering.sections, report) or default_sections
        lists = _levels(numbering.lists, report) or default_lists
        return style.numbered(sections, lists)
    name = str(numbering)
    if name not in PRESETS:
        report.error(numbering.loc, f"`numbering: {name}` names no style; write zh, decimal or "
                                    "none, or a mapping with `sections` and `lists` levels")
        return style
    if name == style.numbering:
        return style
    return style.numbered(*PRESETS[name], name=name)


def _levels(tokens: list, report: Report) -> tuple[str, ...]:
    for token in tokens:
        if str(token) in PRESETS and str(token) != "none":
            report.error(token.loc, f"`{token}` is a numbering style for the whole policy; a "
                                    "level is written as its first number looks, e.g. 1. or (a)")
    return tuple(str(t) for t in tokens)


def subjects(binding: Project, localized: Project) -> dict[int, str]:
    """The subject under which Document.published records each feature, third party and
    permission row of ``localized`` (a translation of ``binding``): named by id, else by
    the binding wording, else by position, so every edition names it the same."""
    out: dict[int, str] = {}
    count = {"feature": 0, "sdk": 0, "row": 0}

    def walk(src, dst):
        for kind, name, ident in (("feature", "features", "name"), ("sdk", "sdks", "name"),
                                  ("row", "rows", "feature")):
            for a, b in zip(getattr(src, name, None) or (), getattr(dst, name, None) or ()):
                count[kind] += 1
                key = (a.feature_id if kind == "row" else a.id) or getattr(a, ident) \
                    or count[kind]
                out[id(b)] = f"{kind}:{key}"
        for a, b in zip(src.sections, dst.sections):
            walk(a, b)
    for a, b in zip(binding.sections, localized.sections):
        walk(a.section, b.section)
    return out


def plain_text_of(project: Project, report: Report | None = None):
    """A function from any source text of ``project`` to its plain text in the binding
    locale, as a reader sees it: variables filled in, references numbered, markup dropped."""
    locale = str(project.policy.locale)
    report = report if report is not None else Report()
    resolver = _Resolver(project, edition_style(project, locale, Report()), report, locale,
                         locale)
    resolver.run()
    return resolver._plain


@dataclass(frozen=True)
class Reading:
    """An edition as a reader sees it: the resolved document in the binding locale, its
    parser of source text (variables filled in, references numbered)."""

    document: Document
    parse: Callable[[Text | None], Inline]


def reading_of(project: Project, report: Report | None = None) -> Reading:
    """``project`` resolved in its binding locale, with the parser of its source text."""
    locale = str(project.policy.locale)
    report = report if report is not None else Report()
    resolver = _Resolver(project, edition_style(project, locale, Report()), report, locale,
                         locale)
    document = resolver.run()
    return Reading(document, lambda text: resolver.parser.parse(text) if text is not None
                   else ())


def variables_of(policy: m.Policy) -> dict[str, str]:
    """The variables text may use: facts from policy.yaml plus declared `variables`.

    Facts are also named by their place: ``{storage.region}``, ``{contact.complaint}``,
    ``{gdpr.supervisory_authority}``, ``{children.age}``."""
    out = {"org": policy.organisation.short_name, "org_name": policy.organisation.legal_name}
    if policy.organisation.address:
        out["address"] = policy.organisation.address
    if policy.app:
        out["app"] = policy.app.name
    contact = policy.contact
    for name in ("email", "phone", "postal_address", "postcode", "complaint", "web_form",
                 "service_hours", "in_app_feedback"):
        value = getattr(contact, name)
        if value:
            out[f"contact.{name}"] = value
            if name in ("email", "phone", "postal_address"):
                out[name] = value
    for attr, name in POLICY_FACTS:
        holder = getattr(policy, attr)
        value = getattr(holder, name) if holder else None
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            out[f"{attr}.{name}"] = value
    out.update(policy.variables)
    return {k: str(v) for k, v in out.items()}


def slugify(text: str) -> str:
    """A readable, Unicode-aware anchor: CJK kept, punctuation dropped, spaces → '-'."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in text
                   if c in " -_" or unicodedata.category(c)[0] in "LN")
    return re.sub(r"[\s-]+", "-", text).strip("-") or "section"


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces → '-'."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower(), flags=re.UNICODE).replace(" ", "-")


class _Recording(dict):
    """Variables that remember which of them text used (so which facts were printed)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.used: set[str] = set()

    def __getitem__(self, key):
        self.used.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        if key in self:
            self.used.add(key)
        return super().get(key, default)


def placeholders(*texts) -> set[str]:
    """The variable names written in ``texts`` (nested blocks and list items included)."""
    out: set[str] = set()
    stack = list(texts)
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            out.update(match.group(2) for match in PLACEHOLDER.finditer(value)
                       if not match.group(1))
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, m.Paragraph):
            stack.append(value.text)
        elif isinstance(value, m.ListItem):
            stack += [value.text, value.blocks]
        elif isinstance(value, (m.NumberedList, m.BulletList, m.Clauses)):
            stack += [value.numbered if isinstance(value, m.NumberedList) else
                      value.bullets if isinstance(value, m.BulletList) else value.clauses]
        elif isinstance(value, m.Table):
            stack += [value.table.caption, value.table.header, value.table.rows]
    return out


@dataclass
class _Continue:
    """Where numbered lists and clauses of a section's `after` go on counting."""

    items: int = 0
    clauses: int = 0
    used: set = field(default_factory=set)


class _Resolver:
    def __init__(self, project: Project, style: LocaleStyle, report: Report, locale: str,
                 binding: str):
        self.project = project
        self.locale = locale
        self.binding = binding
        self.untranslated = 0
        self.policy = project.policy
        self.style = style
        self.report = report
        self.words = self._words()
        self.targets: dict[str, Target] = {}
        self.published: set[str] = set()
        self.variables = _Recording(variables_of(self.policy))
        self.parser = InlineParser(self.variables, self._ref, report,
                                   base_url=self.policy.base_url)
        self.quiet = InlineParser(self.variables, lambda ids: Ref("", ""), Report(),
                                  base_url=self.policy.base_url)
        self.slugs: set[str] = set()
        self.placed = placeholders(*self._all_texts())
        self.local_values: dict[int, dict] = {}   # id of a text → its entity's facts
        self.cites: dict[tuple, str] = {}         # path → how the section being lowered is cited
        self.subjects: dict[int, str] = {}        # id of an entity → its subject in `published`

    def _words(self) -> dict[str, str]:
        """The locale's fixed words, with the policy's own `labels`."""
        words = dict(self.style.words)
        if self.binding.startswith("zh"):  # a policy under Chinese law: its terms
            words.update({key[:-5]: value for key, value in words.items()
                          if key.endswith("_pipl")})
        for key, value in self.policy.labels.items():
            if key not in words:
                close = [w for w in words if w.startswith(str(key).split("_")[0])]
                self.report.error(key.loc, f"`labels` has no `{key}`; labels are "
                                  + ", ".join(sorted(close or words)[:12]))
                continue
            words[str(key)] = str(value)
        return words

    def _all_texts(self):
        policy = self.policy
        yield policy.preamble
        yield policy.introduction
        for sf in self.project.sections:
            yield from _section_texts(sf.section)

    # ------------------------------------------------------------------ pass 1: lower

    def run(self) -> Document:
        policy = self.policy
        sections, number = [], 0
        for sf in self.project.sections:
            if sf.matter == "body" and sf.section.title is not None:
                number += 1
                sections.append(self._section(sf.section, (number,)))
            else:
                sections.append(self._section(sf.section, (0,), numbered=False))
            sections[-1].matter = sf.matter
        preamble = self._blocks(policy.preamble, ())
        introduction = self._blocks(policy.introduction, ())
        self._place_policy_facts(sections)
        dates, date_lines = self._dates()
        # pass 2: inline text, then anchors for headings without ids
        document = Document(
            locale=self.locale, lang=self.locale, title=self._plain(policy.title),
            version=str(policy.version or ""), last_updated=policy.last_updated.date,
            effective=policy.effective.date if policy.effective else None,
            organisation=str(policy.organisation.legal_name), words=dict(self.words),
            dates=dates,
            preamble=preamble, contents_title=self._plain(policy.contents)
            if policy.contents else self.words["contents"],
            toc=[], introduction=introduction, sections=sections, fonts=list(self.style.fonts),
            paper=self.style.paper if self.style.paper in PAPER_SIZES else "A4")
        document.date_lines = [self._inline(line) for line in date_lines]
        self._parse_all(document)
        document.notices = self._notices()
        self._anchor_headings(document)
        depth = policy.contents_depth
        document.toc = [TocEntry(s.number, plain(s.toc_title), s.anchor, s.level)
                        for s in document.walk() if s.level <= depth and s.heading]
        title_slug = github_slug(document.title)
        if title_slug and title_slug not in {s.anchor for s in document.walk()}:
            document.title_anchor = title_slug
        self.published |= {f"policy/{VARIABLE_FACTS.get(name, name)}"
                           for name in self.variables.used}
        document.published = self.published
        if wanted(policy):
            document.lists = miit_lists([sf.section for sf in self.project.sections], document,
                                        dict(self.variables), self._date_of)
        return document

    def _date_of(self, day) -> str:
        return self._date(day, self.policy.dates.format if self.policy.dates else None)

    def _dates(self) -> tuple[list[tuple[str, str]], list[Pieces]]:
        """The lines under the title: (label, date) pairs, and each line as printed."""
        policy = self.policy
        wording = policy.dates or m.DateLines()
        pairs, lines = [], []
        chosen = wording.lines
        for name in ("version", "last_updated", "effective") if chosen is None else chosen:
            value, line = getattr(policy, name), getattr(wording, name)
            if value is None or (chosen is None and name == "version" and not line):
                continue  # not given, or (version) not asked for
            shown = str(value) if name == "version" else self._date(value.date, wording.format)
            self.published.add(f"policy/{name}")
            pairs.append((self.words.get(name, name), shown))
            if line:  # the policy's wording, with {date} or {version} where the value goes
                self.local_values[id(line)] = {"version" if name == "version" else "date": shown}
                lines.append([line])
            else:
                lines.append([self.words[name], self.words["colon"], shown])
        return pairs, lines

    def _date(self, day, pattern) -> str:
        if not pattern:
            return self.style.format_date(day)
        tokens = {"YYYY": f"{day.year:04d}", "MMMM": MONTH_NAMES[day.month - 1],
                  "MM": f"{day.month:02d}", "M": str(day.month), "DD": f"{day.day:02d}",
                  "D": str(day.day)}
        return re.sub("YYYY|MMMM|MM|M|DD|D", lambda t: tokens[t.group()], str(pattern))

    def _notices(self) -> list[str]:
        """Which language prevails (non-binding editions) and what marks untranslated text."""
        if self.locale == self.binding:
            return []
        binding = self.words.get(f"lang:{self.binding}", self.binding)
        notices = [self.words["prevails"].replace("{binding}", binding)]
        if self.untranslated:
            notices.append(self.words["untranslated_notice"].replace("{binding}", binding))
        return notices

    def _register(self, ident, ref: str, anchor: str = "") -> str:
        if ident:
            self.targets[str(ident)] = Target(ref, anchor or str(ident))
            return anchor or str(ident)
        return anchor

    def _heading(self, title: Text, ident, path: tuple[int, ...], numbered: bool) -> tuple:
        """(number, anchor) of a heading: numbered headings cite their number, unnumbered
        ones their title and take the anchor GitHub gives their title."""
        number = self.style.section_number(path) if numbered else ""
        if number:
            self.cites[path] = self.style.section_ref(path)
            return number, self._register(ident, self.cites[path])
        title_text = plain(self.quiet.parse(title))
        base, anchor, n = github_slug(title_text) or "section", "", 0
        anchor = base
        while anchor in self.slugs:
            n += 1
            anchor = f"{base}-{n}"
        self.slugs.add(anchor)
        ref = self.words["title_ref"].replace("{title}", title_text)
        self.cites[path] = ref
        return "", self._register(ident, ref, anchor)

    def _section(self, src: m.SectionBase, path: tuple[int, ...], numbered: bool = True
                 ) -> Section:
        if src.title is None:  # no heading: cited and linked as the section around it
            number, anchor = "", self._register(src.id, self.cites.get(path[:-1], ""))
            self.cites[path] = self.cites.get(path[:-1], "")
        else:
            number, anchor = self._heading(src.title, src.id, path, numbered)
        section = Section(level=len(path), number=number, title=[src.title or ""],
                          anchor=anchor, toc_title=[src.toc_title or src.title or ""],
                          heading=src.title is not None)
        blocks = self._blocks(src.blocks, path)
        children: list[Section] = []
        after = _Continue()
        if isinstance(src, m.DataCollectedSection):
            blocks += self._entries(src.layout, [self._feature(f) for f in src.features],
                                    path)
            after.items = len(src.features) if src.layout in (None, "numbered") else 0
        elif isinstance(src, m.PermissionsSection):
            blocks.append(self._permissions_table(src.rows))
        elif isinstance(src, m.SdksSection):
            blocks += self._entries(src.layout, [self._sdk(s) for s in src.sdks], path)
            after.items = len(src.sdks) if src.layout in (None, "numbered") else 0
        elif isinstance(src, m.RightsSection):
            layout = src.layout or ("subsections" if all(r.title for r in src.rights)
                                    else "clauses")
            bullets = []
            for k, right in enumerate(src.rights, 1):
                if layout == "subsections" and (right.run_in or not right.title):
                    children.append(self._run_in_right(right, path + (k,), numbered, path))
                elif layout == "subsections":
                    children.append(self._right(right, path + (k,), numbered))
                elif layout != "bullets":
                    blocks += self._clause(right, path + (k,), numbered, path)
                else:
                    first, rest = _split_first(right.blocks)
                    bullets.append(Item(self._run_in(right.title, first), "",
                                        self._register(right.id, self.cites.get(path, "")),
                                        self._blocks(rest, path, 1)))
                self.published |= {f"right:{right.kind}/kind",
                                   *([f"right:{right.kind}/title"] if right.title else [])}
            if bullets:
                blocks.append(List(bullets, numbered=False))
            after.clauses = len(src.rights) if layout != "bullets" else 0
        elif isinstance(src, m.ContactSection):
            blocks += self._contact_lines(src.channels, CHANNEL_ORDER)
        offset = len(children) if children else after.clauses if after.clauses else 0
        children += [self._section(child, path + (offset + k,), numbered)
                     for k, child in enumerate(src.sections, 1)]
        closing = self._blocks(src.after, path, cont=after)
        if isinstance(src, m.ContactSection):
            closing += self._contact_lines(src.details, DETAIL_ORDER)
        if children:
            section.after = closing  # printed after the subsections
        else:
            blocks += closing
        section.blocks = blocks
        section.children = children
        return section

    def _right(self, right: m.Right, path: tuple[int, ...], numbered: bool) -> Section:
        number, anchor = self._heading(right.title, right.id, path, numbered)
        return Section(level=len(path), number=number,
                       title=[right.title], anchor=anchor, toc_title=[right.title],
                       blocks=self._blocks(right.blocks, path))

    def _run_in_right(self, right: m.Right, path: tuple[int, ...], numbered: bool,
                      parent: tuple[int, ...]) -> Section:
        """A right among subsections printed as a numbered paragraph, without a heading."""
        blocks = self._clause(right, path, numbered, parent)
        anchor = blocks[0].anchor or f"{self.cites.get(parent, 'section')}-{path[-1]}"
        blocks[0].anchor = ""
        return Section(level=len(path), number=blocks[0].label, title=[right.title or ""],
                       anchor=anchor, toc_title=[right.title or ""], blocks=blocks,
                       heading=False)

    def _clause(self, right: m.Right, clause_path: tuple[int, ...], numbered: bool,
                path: tuple[int, ...]) -> list:
        """A right as a numbered paragraph: its title run in, its first block, the rest."""
        label = self.style.section_number(clause_path) if numbered else ""
        anchor = self._register(right.id, self.style.section_ref(clause_path))
        first, rest = _split_first(right.blocks)
        return [Paragraph(self._run_in(right.title, first), label, anchor),
                *self._blocks(rest, path)]

    def _blocks(self, blocks: list, path: tuple[int, ...], list_depth: int = 0,
                cont: _Continue | None = None) -> list:
        out = []
        for block in blocks:
            if isinstance(block, str):
                out.append(Paragraph([block]))
            elif isinstance(block, m.Paragraph):
                out.append(Paragraph(_emphasised([block.text], block.emphasis)))
            elif isinstance(block, m.NumberedList):
                start = 0
                if cont and "items" not in cont.used and list_depth == 0:
                    start, _ = cont.items, cont.used.add("items")
                out.append(self._numbered([self._item(i, block.emphasis)
                                           for i in block.numbered], path,
                                          list_depth, start, block.style))
            elif isinstance(block, m.BulletList):
                ref = self.cites.get(path, "") if path else ""
                out.append(List([Item(text, "", self._register(ident, ref),
                                      self._blocks(sub, path, list_depth + 1))
                                 for text, ident, sub, *_ in
                                 (self._item(i, block.emphasis) for i in block.bullets)],
                                numbered=False))
            elif isinstance(block, m.Clauses):
                start = 0
                if cont and "clauses" not in cont.used:
                    start, _ = cont.clauses, cont.used.add("clauses")
                for k, (text, ident, sub, *_) in enumerate(
                        (self._item(i, block.emphasis) for i in block.clauses), start + 1):
                    clause_path = path + (k,)
                    anchor = self._register(ident, self.style.section_ref(clause_path))
                    out.append(Paragraph(text, self.style.section_number(clause_path), anchor))
                    out += self._blocks(sub, path, list_depth)  # lists start as in a section
            elif isinstance(block, m.Table):
                out.append(_table(block.table))
        return out

    def _entries(self, layout: str | None, entries: list[tuple], path: tuple[int, ...]
                 ) -> list:
        """Features or third parties as a numbered list, a bulleted one, or paragraphs."""
        numbered = self._numbered(entries, path, 0)
        if layout in (None, "numbered"):
            return [numbered]
        for item in numbered.items:
            item.label = ""
            if item.anchor in self.targets:  # cited as the section that lists them
                self.targets[item.anchor].ref = self.cites.get(path, "")
        if layout == "bullets":
            numbered.numbered = False
            return [numbered]
        return [block for item in numbered.items  # paragraphs: each entry's lines in a row
                for block in (Paragraph(item.content, "", item.anchor), *item.blocks)]

    def _item(self, item, emphasis: bool = False) -> tuple:
        """(text, id, nested blocks, generated blocks) of a list item: text or a mapping;
        bold when the item or its list (``emphasis``) is key content."""
        if isinstance(item, str):
            return _emphasised([item], emphasis), None, [], []
        return (_emphasised(self._run_in(item.title, [item.text]), emphasis or item.emphasis),
                item.id, item.blocks, [])

    def _run_in(self, title, content: Pieces) -> Pieces:
        """``content`` after a bold run-in ``title`` (获取个人信息副本：…, Right to Know. …)."""
        if not title:
            return content
        return [RunIn(title), self.words["run_in"], *content]

    def _numbered(self, items: list[tuple], path: tuple[int, ...], depth: int,
                  start: int = 0, style: str | None = None) -> List:
        out = []
        for n, (text, ident, sub, generated) in enumerate(items, start + 1):
            label = counter_label(style, (n,)) if style else self.style.list_number(depth, n)
            ref = self.style.item_ref(self.cites.get(path, ""), label) if path else label
            out.append(Item(text, label, self._register(ident, ref),
                            self._blocks(sub, path, depth + 1) + generated))
        return List(out, numbered=True)

    # ------------------------------------------------------------------ facts

    def _fact(self, key: str, *value) -> Paragraph:
        """The line printing one fact: the label (``key`` in the words) and the value, or
        the wording the policy gives with ``{value}`` where the value goes."""
        wording = self.words[key]
        if "{value}" in wording:
            head, _, tail = wording.partition("{value}")
            return Paragraph([p for p in (head, *value, tail) if p != ""])
        return Paragraph([wording, self.words["colon"], *value])

    def _feature(self, feature: m.Feature) -> tuple:
        """(content, id, blocks, fact lines) of a feature's list item."""
        subject = self.subjects.get(id(feature)) or f"feature:{feature.id or feature.name}"
        content, body = ([feature.name], feature.blocks) if feature.name \
            else _split_first(feature.blocks)
        if feature.name:
            self.published.add(f"{subject}/name")
        placed = placeholders(feature.blocks, feature.name)
        values = {"purpose": feature.purpose, "method": feature.method,
                  "retention": feature.retention, "on_expiry": feature.on_expiry,
                  "frequency": feature.frequency,
                  "legal_basis": feature.legal_basis and self.words.get(
                      f"basis_{feature.legal_basis}", str(feature.legal_basis)),
                  "data": self._data_text(feature.data) if feature.data else None,
                  "permissions": self._joined(feature.permissions) if feature.permissions
                  else None}
        lines = []
        for name in FEATURE_FACTS:
            if values[name] is None:
                continue
            self.published.add(f"{subject}/{name}")
            if name not in placed:
                lines.append(self._fact(f"feature_{name}", *_pieces(values[name])))
        if "permissions" in placed and feature.permissions:
            self.published.add(f"{subject}/permissions")
        self._local(feature.blocks, values)
        return content, feature.id, body, lines

    def _local(self, blocks, values: dict) -> None:
        """Let the text of a feature or third party place its own facts: ``{purpose}``."""
        values = {k: v for k, v in values.items() if v is not None}
        for text in _texts_in(blocks):
            self.local_values[id(text)] = values

    def _parse_local(self, text: Text) -> Inline:
        """Spans of a text inside a feature or third party, whose facts it may place."""
        values = {name: " ".join(plain(self._inline(_pieces(value))).split())
                  for name, value in self.local_values[id(text)].items()}
        variables = _Recording({**self.variables, **values})
        spans = InlineParser(variables, self._ref, self.report,
                             base_url=self.policy.base_url).parse(text)
        self.variables.used |= variables.used - set(values)
        return spans

    def _data_text(self, items: list[m.DataItem]) -> Pieces:
        out: Pieces = []
        for k, item in enumerate(items):
            if k:
                out.append(self.words["list_separator"])
            out.append(item.name)
            if item.sensitive:
                out.append(self.words["sensitive_mark"])
        return out

    def _sdk(self, sdk: m.Sdk) -> tuple:
        """(content, id, blocks, fact lines) of a third party's list item."""
        w = self.words
        subject = self.subjects.get(id(sdk)) or f"sdk:{sdk.id or sdk.name}"
        self.published.add(f"{subject}/name")
        placed = placeholders(sdk.blocks)
        details: list = []
        values = {"purpose": sdk.purpose, "provider": sdk.provider, "contact": sdk.contact,
                  "scenario": sdk.scenario, "method": sdk.method, "package": sdk.package,
                  "version": sdk.version, "function": sdk.function,
                  "permissions": self._joined(sdk.permissions) if sdk.permissions else None,
                  "data": self._joined(m.data_names(sdk.data)) if sdk.data else None}
        for name in SDK_FACTS:
            if values[name] is None:
                continue
            self.published.add(f"{subject}/{name}")
            if name not in placed:
                details.append(self._fact(f"sdk_{name}", values[name]))
        if sdk.data:
            self.published.add(f"{subject}/data")
            if "data" not in placed:
                if all(isinstance(d, str) for d in sdk.data):
                    details.append(self._fact("sdk_data", *self._joined(sdk.data)))
                else:
                    details.append(self._fact("sdk_data", ""))
                    details.append(self._sdk_data_list(sdk.data))
        if sdk.permissions:
            self.published.add(f"{subject}/permissions")
            if "permissions" not in placed:
                details.append(self._fact("sdk_permissions", *self._joined(sdk.permissions)))
        if sdk.policy_url:
            self.published |= {f"{subject}/policy_url", f"{subject}/links"}
            details.append(self._fact("sdk_policy", Link(str(sdk.policy_url),
                                                         (str(sdk.policy_url),))))
        for link in sdk.links:
            self.published.add(f"{subject}/links")
            details.append(Paragraph([link.title, w["colon"],
                                      Link(str(link.url), (link.text or str(link.url),))]))
        self._local(sdk.blocks, values)
        head, _, tail = w["sdk_name"].partition("{value}")
        return [p for p in (head, sdk.name, tail) if p], sdk.id, sdk.blocks, details

    def _sdk_data_list(self, entries: list) -> List:
        items = []
        for entry in entries:
            if isinstance(entry, m.SdkData):
                content: Pieces = [entry.name]
                if entry.sensitive:
                    content.append(self.words["sensitive_mark"])
                if entry.purpose:
                    content += [self.words["paren_open"], entry.purpose,
                                self.words["paren_close"]]
                sub = [self._sdk_data_list(entry.items)] if entry.items else []
                items.append(Item(content, "", "", sub))
            else:
                items.append(Item([entry]))
        return List(items, numbered=False)

    def _place_policy_facts(self, sections: list[Section]) -> None:
        """Print each fact of policy.yaml that no text places, in the section it belongs to
        (by `role`, else by id: storage, children, contact; else the contact section, else
        the last)."""
        homes: dict[str, Section] = {}
        for section, src in zip(_walk_sections(sections), self._sources()):
            for key in (getattr(src, "role", None), section.anchor):
                if key:
                    homes.setdefault(str(key), section)
        contact = next((s for s, sf in zip(sections, self.project.sections)
                        if isinstance(sf.section, m.ContactSection)), None)
        for attr, name in POLICY_FACTS:
            holder = getattr(self.policy, attr)
            value = getattr(holder, name) if holder else None
            if value is None:
                continue
            self.published.add(f"policy/{attr}.{name}")
            if f"{attr}.{name}" in self.placed:
                continue
            home = next((homes[h] for h in FACT_HOME[attr] if h in homes), None) \
                or contact or sections[-1]
            home.blocks.append(self._fact(f"{attr}_{name}", *_pieces(self._value(value))))

    def _sources(self):
        """The source sections, in the order :func:`_walk_sections` gives their results."""
        def walk(section):
            yield section
            if isinstance(section, m.RightsSection) and (section.layout or (
                    "subsections" if all(r.title for r in section.rights) else "clauses")) \
                    == "subsections":
                yield from (r for r in section.rights if r.title)
            for child in section.sections:
                yield from walk(child)
        for sf in self.project.sections:
            yield from walk(sf.section)

    def _value(self, value):
        w = self.words
        if isinstance(value, bool):
            return w["yes"] if value else w["no"]
        if isinstance(value, int):
            return str(value)
        if isinstance(value, m.Officer):
            return self._officer(value)
        return value

    def _officer(self, officer: m.Officer) -> Pieces:
        parts: Pieces = []
        for value in (officer.name, officer.email, officer.phone):
            if value:
                if parts:
                    parts.append(self.words["list_separator"])
                parts.append(_mailto(value) if value is officer.email else value)
        return parts

    # ------------------------------------------------------------------ tables, contact

    def _permissions_table(self, rows: list[m.PermissionRow]) -> Table:
        """The permissions table; a frequency column when some row gives its frequency."""
        w = self.words
        frequency = any(row.frequency for row in rows)
        body = [[[row.feature], self._joined(row.permissions), [row.purpose],
                 *([[row.frequency or w["none"]]] if frequency else []),
                 [w["yes"] if row.asked else w["no"]], [w["yes"] if row.can_disable else w["no"]]]
                for row in rows]
        for row in rows:
            subject = self.subjects.get(id(row)) or f"row:{row.feature_id or row.feature}"
            self.published |= {f"{subject}/{name}" for name in
                               ("feature", "permissions", "purpose", "asked", "can_disable",
                                *(("frequency",) if row.frequency else ()))}
        if frequency:
            return Table([[w[name]] for name in ("feature", "permissions", "purpose",
                                                 "frequency", "asked", "can_disable")],
                         body, widths=[14, 28, 22, 16, 10, 10])
        return Table([[w[name]] for name in ("feature", "permissions", "purpose", "asked",
                                             "can_disable")],
                     body, widths=[16, 34, 26, 12, 12])

    def _joined(self, texts: list) -> Pieces:
        if not texts:
            return [self.words["none"]]
        out: Pieces = []
        for k, text in enumerate(texts):
            if k:
                out.append(self.words["list_separator"])
            out.append(text)
        return out

    def _labelled(self, label: str, *pieces) -> Paragraph:
        return Paragraph([label, self.words["colon"], *pieces])

    def _contact_lines(self, chosen: list | None, default: tuple) -> list:
        w, contact, org = self.words, self.policy.contact, self.policy.organisation
        out = []
        for name in (default if chosen is None else chosen):
            value = getattr(contact, name, None) if name not in ("organisation", "address") \
                else None
            if name == "email" and contact.email:
                out.append(self._labelled(w["email"], _mailto(contact.email)))
            elif name == "phone" and contact.phone:
                phone = [Link("tel:" + re.sub(r"[^0-9+]", "", contact.phone),
                              (str(contact.phone),))]
                if contact.service_hours:
                    phone += [w["paren_open"], w["service_hours"], w["colon"],
                              contact.service_hours, w["paren_close"]]
                    self.published.add("policy/contact.service_hours")
                out.append(self._labelled(w["phone"], *phone))
            elif name == "in_app_feedback" and contact.in_app_feedback:
                out.append(self._labelled(w["in_app_feedback"], w["path_open"],
                                          contact.in_app_feedback, w["path_close"]))
            elif name == "officer" and value and (value.email or value.phone or value.name):
                out.append(self._labelled(w["officer"], *self._officer(value)))
            elif name == "web_form" and value:
                out.append(self._labelled(w["web_form"], Link(str(value), (str(value),))))
            elif name in ("postal_address", "complaint", "postcode") and value:
                out.append(self._labelled(w[name], value))
            elif name == "organisation":
                out.append(self._labelled(w["organisation"], org.legal_name))
                self.published.add("policy/organisation.legal_name")
                continue
            elif name == "address":
                if org.address:
                    out.append(self._labelled(w["address"], org.address))
                    self.published.add("policy/organisation.address")
                continue
            else:
                continue
            self.published.add(f"policy/contact.{name}")
        return out

    # ------------------------------------------------------------------ pass 2: inline

    def _ref(self, ids: list[str]) -> Ref | None:
        targets = [self.targets.get(i) for i in ids]
        if not targets or any(t is None for t in targets):
            return None
        text = self.style.ref_join(targets[0].ref, [t.ref for t in targets[1:]])
        return Ref(text, targets[0].anchor)

    def _inline(self, pieces: Pieces) -> Inline:
        out = []
        for piece in pieces:
            if isinstance(piece, Untranslated):
                self.untranslated += 1
                out.append(UntranslatedSpan(piece.lang, self.words["untranslated"],
                                            self._parse_local(piece)
                                            if id(piece) in self.local_values
                                            else self.parser.parse(piece)))
            elif isinstance(piece, Text):
                out.extend(self._parse_local(piece) if id(piece) in self.local_values
                           else self.parser.parse(piece))
            elif isinstance(piece, RunIn):
                out.append(Strong(self._inline([piece.title])))
            elif isinstance(piece, Emphasis):
                out.append(Strong(_unbold(self._inline(piece.pieces))))
            else:
                out.append(piece)
        return tuple(out)

    def _plain(self, text: Text | m.SdkData | None) -> str:
        """The plain text of a source text (of a data item: its name; of none: '')."""
        if isinstance(text, m.SdkData):
            text = text.name
        return plain(self.parser.parse(text)) if text is not None else ""

    def _parse_all(self, document: Document) -> None:
        def blocks(items):
            for block in items:
                if isinstance(block, Paragraph):
                    block.content = self._inline(block.content)
                elif isinstance(block, List):
                    for item in block.items:
                        item.content = self._inline(item.content)
                        blocks(item.blocks)
                elif isinstance(block, Table):
                    block.caption = self._inline(block.caption)
                    block.header = [self._inline(cell) for cell in block.header]
                    block.rows = [[self._inline(cell) for cell in row] for row in block.rows]
        blocks(document.preamble)
        blocks(document.introduction)
        for section in document.walk():
            section.title = self._inline(section.title)
            section.toc_title = self._inline(section.toc_title)
            blocks(section.blocks)

    def _anchor_headings(self, document: Document) -> None:
        used = set(self.targets) | self.slugs
        for section in document.walk():
            if section.anchor:
                continue
            base = slugify(plain(section.title))
            anchor, n = base, 1
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            used.add(anchor)
            section.anchor = anchor


CHANNEL_ORDER = ("email", "phone", "in_app_feedback", "officer", "postal_address", "web_form",
                 "complaint")
DETAIL_ORDER = ("organisation", "address", "postcode")


def _section_texts(section):
    yield section.title, section.blocks, section.after
    for name in ("features", "sdks", "rights"):
        for entry in getattr(section, name, None) or ():
            yield entry.blocks
    for child in section.sections:
        yield from _section_texts(child)


def _texts_in(blocks):
    """Every text of ``blocks``, list items and nested blocks included."""
    for block in blocks:
        if isinstance(block, str):
            yield block
        elif isinstance(block, m.Paragraph):
            yield block.text
        elif isinstance(block, m.ListItem):
            yield block.text
            yield from _texts_in(block.blocks)
        elif isinstance(block, (m.NumberedList, m.BulletList, m.Clauses)):
            yield from _texts_in(block.numbered if isinstance(block, m.NumberedList) else
                                 block.bullets if isinstance(block, m.BulletList)
                                 else block.clauses)
        elif isinstance(block, m.Table):
            table = block.table
            yield from (text for text in (table.caption, *table.header, *sum(table.rows, []))
                        if text)


def _walk_sections(sections: list[Section]):
    for section in sections:
        yield section
        yield from _walk_sections(section.children)


def _table(table: m.TableContent) -> Table:
    """A table of the sources as the document's: every row as wide as the header."""
    width = len(table.header)
    return Table([[cell] for cell in table.header],
                 [[[cell] for cell in row] + [[]] * (width - len(row)) for row in table.rows],
                 caption=[table.caption] if table.caption else [])


def _split_first(blocks: list) -> tuple[Pieces, list]:
    """The first paragraph of ``blocks`` as an item's text, and the rest."""
    if blocks and isinstance(blocks[0], str):
        return [blocks[0]], list(blocks[1:])
    return [], list(blocks)


def _pieces(value) -> Pieces:
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class RunIn:
    """A run-in title, printed bold before its text."""

    title: Text


@dataclass(frozen=True)
class Emphasis:
    """Key content (``emphasis: yes``), printed bold as a whole."""

    pieces: tuple


def _emphasised(pieces: Pieces, emphasis: bool) -> Pieces:
    """``pieces`` as one bold run when ``emphasis``, else unchanged."""
    return [Emphasis(tuple(pieces))] if emphasis else pieces


def _unbold(spans: Inline) -> Inline:
    """``spans`` without their own bold (inside bold text it would only close it early)."""
    out: list = []
    for span in spans:
        if isinstance(span, Strong):
            out.extend(_unbold(span.children))
        elif isinstance(span, (Emph, Underline, Link, UntranslatedSpan)):
            out.append(replace(span, children=_unbold(span.children)))
        else:
            out.append(span)
    return tuple(out)


def _mailto(address: Text) -> Link:
    return Link("mailto:" + str(address), (str(address),))
