"""Resolve stage: number, link and lower a :class:`Project` into a :class:`Document`.

Two passes. The first lowers typed sections into generic sections, paragraphs, lists
and tables, generating every number and registering every id with the text a
reference to it reads as (第十条, Section 10). The second parses the inline text of
every piece, now that references can be resolved in any direction, and gives the
remaining headings readable anchors.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .diagnostics import PolicyError, Report
from .document import (Document, Inline, Item, Link, List, Paragraph, Ref, Section, Table,
                       TocEntry, plain)
from .document import Untranslated as UntranslatedSpan
from .inline import InlineParser
from . import model as m
from .locales import LocaleStyle, locale_style
from .project import Project
from .schema import Text
from .translate import Untranslated, localize


@dataclass
class Target:
    """What a cross-reference to an id produces."""

    ref: str        # e.g. 第一条（一）
    anchor: str


Pieces = list  # Text (inline source), str (generated, literal) or a ready span


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
    style = locale_style(locale)
    localized = localize(project, locale, report if report_translations else None,
                         allow_missing)
    resolver = _Resolver(localized, style, report, locale, binding)
    document = resolver.run()
    if report.has_errors:
        raise PolicyError(report)
    return document


def plain_text_of(project: Project, report: Report | None = None):
    """A function from any source text of ``project`` to its plain text in the binding
    locale, as a reader sees it: variables filled in, references numbered, markup dropped."""
    locale = str(project.policy.locale)
    resolver = _Resolver(project, locale_style(locale), report if report is not None
                         else Report(), locale, locale)
    resolver.run()
    return resolver._plain


def variables_of(policy: m.Policy) -> dict[str, str]:
    """The variables text may use: facts from policy.yaml plus declared `variables`."""
    out = {"org": policy.organisation.short_name, "org_name": policy.organisation.legal_name,
           "address": policy.organisation.address, "app": policy.app.name,
           "email": policy.contact.email}
    if policy.contact.phone:
        out["phone"] = policy.contact.phone
    out.update(policy.variables)
    return {k: str(v) for k, v in out.items()}


def slugify(text: str) -> str:
    """A readable, Unicode-aware anchor: CJK kept, punctuation dropped, spaces → '-'."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in text
                   if c in " -_" or unicodedata.category(c)[0] in "LN")
    return re.sub(r"[\s-]+", "-", text).strip("-") or "section"


class _Resolver:
    def __init__(self, project: Project, style: LocaleStyle, report: Report, locale: str,
                 binding: str):
        self.project = project
        self.locale = locale
        self.binding = binding
        self.untranslated = 0
        self.policy = project.policy
        self.style = style
        self.words = style.words
        self.report = report
        self.targets: dict[str, Target] = {}
        self.parser = InlineParser(variables_of(self.policy), self._ref, report,
                                   base_url=self.policy.base_url)

    # ------------------------------------------------------------------ pass 1: lower

    def run(self) -> Document:
        policy = self.policy
        sections = [self._section(sf.section, (i,))
                    for i, sf in enumerate(self.project.sections, 1)]
        preamble = self._blocks(policy.preamble, ())
        introduction = self._blocks(policy.introduction, ())
        # pass 2: inline text, then anchors for headings without ids
        document = Document(
            locale=self.locale, lang=self.locale, title=self._plain(policy.title),
            version=str(policy.version), last_updated=policy.last_updated.date,
            effective=policy.effective.date,
            organisation=str(policy.organisation.legal_name), words=dict(self.words),
            dates=[(self.words["last_updated"], self.style.format_date(policy.last_updated.date)),
                   (self.words["effective"], self.style.format_date(policy.effective.date))],
            preamble=preamble, contents_title=self._plain(policy.contents)
            if policy.contents else self.words["contents"],
            toc=[], introduction=introduction, sections=sections, fonts=list(self.style.fonts))
        self._parse_all(document)
        document.notices = self._notices()
        self._anchor_headings(document)
        document.toc = [TocEntry(s.number, plain(s.toc_title), s.anchor, s.level)
                        for s in document.sections]
        return document

    def _notices(self) -> list[str]:
        """Which language prevails (non-binding editions) and what marks untranslated text."""
        if self.locale == self.binding:
            return []
        binding = self.words.get(f"lang:{self.binding}", self.binding)
        notices = [self.words["prevails"].replace("{binding}", binding)]
        if self.untranslated:
            notices.append(self.words["untranslated_notice"].replace("{binding}", binding))
        return notices

    def _register(self, ident, ref: str) -> str:
        if ident:
            self.targets[str(ident)] = Target(ref, str(ident))
            return str(ident)
        return ""

    def _section(self, src: m.SectionBase, path: tuple[int, ...]) -> Section:
        number = self.style.section_number(path)
        anchor = self._register(src.id, self.style.section_ref(path))
        section = Section(level=len(path), number=number, title=[src.title], anchor=anchor,
                          toc_title=[src.toc_title or src.title])
        blocks = self._blocks(src.blocks, path)
        children: list[Section] = []
        if isinstance(src, m.DataCollectedSection):
            blocks.append(self._numbered(
                [(f.name, f.id, f.blocks, []) for f in src.features], path, 0))
        elif isinstance(src, m.PermissionsSection):
            blocks.append(self._permissions_table(src.rows))
            blocks += self._blocks(src.after, path)
        elif isinstance(src, m.SdksSection):
            blocks.append(self._numbered(
                [(s.name, s.id, [], self._sdk_details(s)) for s in src.sdks], path, 0))
            blocks += self._blocks(src.after, path)
        elif isinstance(src, m.RightsSection):
            children += [self._right(r, path + (k,)) for k, r in enumerate(src.rights, 1)]
        elif isinstance(src, m.ContactSection):
            blocks += self._contact_channels()
            blocks += self._blocks(src.after, path)
            blocks += self._organisation_lines()
        offset = len(children)
        children += [self._section(child, path + (offset + k,))
                     for k, child in enumerate(src.sections, 1)]
        section.blocks = blocks
        section.children = children
        return section

    def _right(self, right: m.Right, path: tuple[int, ...]) -> Section:
        anchor = self._register(right.id, self.style.section_ref(path))
        return Section(level=len(path), number=self.style.section_number(path),
                       title=[right.title], anchor=anchor, toc_title=[right.title],
                       blocks=self._blocks(right.blocks, path))

    def _blocks(self, blocks: list, path: tuple[int, ...], list_depth: int = 0) -> list:
        out = []
        for block in blocks:
            if isinstance(block, str):
                out.append(Paragraph([block]))
            elif isinstance(block, m.NumberedList):
                out.append(self._numbered([_item(i) for i in block.numbered], path, list_depth))
            elif isinstance(block, m.BulletList):
                ref = self.style.section_ref(path) if path else ""
                out.append(List([Item([text], "", self._register(ident, ref),
                                      self._blocks(sub, path, list_depth + 1))
                                 for text, ident, sub, _ in map(_item, block.bullets)],
                                numbered=False))
            elif isinstance(block, m.Clauses):
                for k, (text, ident, sub, _) in enumerate(map(_item, block.clauses), 1):
                    clause_path = path + (k,)
                    anchor = self._register(ident, self.style.section_ref(clause_path))
                    out.append(Paragraph([text], self.style.section_number(clause_path), anchor))
                    out += self._blocks(sub, path, list_depth + 1)
        return out

    def _numbered(self, items: list[tuple], path: tuple[int, ...], depth: int) -> List:
        out = []
        for n, (text, ident, sub, extra) in enumerate(items, 1):
            label = self.style.list_number(depth, n)
            ref = self.style.item_ref(self.style.section_ref(path), label) if path else label
            out.append(Item([text], label, self._register(ident, ref),
                            extra + self._blocks(sub, path, depth + 1)))
        return List(out, numbered=True)

    def _permissions_table(self, rows: list[m.PermissionRow]) -> Table:
        w = self.words
        body = [[[row.feature], self._joined(row.permissions), [row.purpose],
                 [w["yes"] if row.asked else w["no"]], [w["yes"] if row.can_disable else w["no"]]]
                for row in rows]
        return Table([w["feature"], w["permissions"], w["purpose"], w["asked"], w["can_disable"]],
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

    def _sdk_details(self, sdk: m.Sdk) -> list:
        w = self.words
        out = [Paragraph([sdk.purpose])]
        if sdk.provider:
            out.append(self._labelled(w["sdk_provider"], sdk.provider))
        if sdk.contact:
            out.append(self._labelled(w["sdk_contact"], sdk.contact))
        if sdk.data:
            out.append(self._labelled(w["sdk_data"], *self._joined(sdk.data)))
        if sdk.policy_url:
            out.append(self._labelled(w["sdk_policy"], Link(str(sdk.policy_url),
                                                            (str(sdk.policy_url),))))
        return out

    def _contact_channels(self) -> list:
        w, contact = self.words, self.policy.contact
        out = [self._labelled(w["email"], _mailto(contact.email))]
        if contact.phone:
            phone = [Link("tel:" + re.sub(r"[^0-9+]", "", contact.phone), (str(contact.phone),))]
            if contact.service_hours:
                phone += [w["paren_open"], w["service_hours"], w["colon"], contact.service_hours,
                          w["paren_close"]]
            out.append(self._labelled(w["phone"], *phone))
        if contact.in_app_feedback:
            out.append(self._labelled(w["in_app_feedback"], w["path_open"],
                                      contact.in_app_feedback, w["path_close"]))
        officer = contact.officer
        if officer and (officer.email or officer.phone or officer.name):
            parts: Pieces = []
            for value in (officer.name, officer.email, officer.phone):
                if value:
                    if parts:
                        parts.append(w["list_separator"])
                    parts.append(_mailto(value) if value is officer.email else value)
            out.append(self._labelled(w["officer"], *parts))
        return out

    def _organisation_lines(self) -> list:
        org = self.policy.organisation
        return [self._labelled(self.words["organisation"], org.legal_name),
                self._labelled(self.words["address"], org.address)]

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
                                            self.parser.parse(piece)))
            elif isinstance(piece, Text):
                out.extend(self.parser.parse(piece))
            else:
                out.append(piece)
        return tuple(out)

    def _plain(self, text: Text) -> str:
        return plain(self.parser.parse(text))

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
                    block.rows = [[self._inline(cell) for cell in row] for row in block.rows]
        blocks(document.preamble)
        blocks(document.introduction)
        for section in document.walk():
            section.title = self._inline(section.title)
            section.toc_title = self._inline(section.toc_title)
            blocks(section.blocks)

    def _anchor_headings(self, document: Document) -> None:
        used = set(self.targets)
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


def _item(item) -> tuple:
    """(text, id, nested blocks, extra blocks) of a list item written as text or mapping."""
    if isinstance(item, str):
        return item, None, [], []
    return item.text, item.id, item.blocks, []


def _mailto(address: Text) -> Link:
    return Link("mailto:" + str(address), (str(address),))
