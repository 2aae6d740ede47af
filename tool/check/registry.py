"""The rule registry and what rules look at.

A rule is a function from a :class:`Subject` (the loaded policy, indexed for rules) to
:class:`Finding` objects, registered with :func:`rule` together with its stable code,
severity, profile, the article it enforces and its message in English and Chinese.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..diagnostics import Evidence, Loc, Severity
from .. import model as m
from ..project import Project
from ..resolve import variables_of
from ..schema import Model, Text, model_fields
from . import published
from .published import policy_value, subject_names
from .vocabulary import GRANT, NEGATED_RIGHT, RIGHT_WORDS, clauses, names_right

if TYPE_CHECKING:
    from ..document import Document

ALWAYS = "consistency"
"""The profile of rules that run whatever the profiles asked for."""

LANGUAGES = ("en", "zh")
LIST_SEPARATOR = {"en": ", ", "zh": "、"}


EVIDENCE_LENGTH = 200


def sentence_of(text: Text, offset: int = 0) -> Evidence:
    """The sentence of ``text`` around ``offset``, shown as the reader sees it."""
    start = max((text.rfind(stop, 0, offset) for stop in SENTENCE_STOPS), default=-1) + 1
    ends = [i for i in (text.find(stop, offset) for stop in SENTENCE_STOPS) if i >= 0]
    end = min(ends, default=len(text))
    sentence = " ".join(shown(text[start:end + 1]).split())
    if len(sentence) > EVIDENCE_LENGTH:
        sentence = sentence[:EVIDENCE_LENGTH - 1] + "…"
    loc = text.loc_at(start) if start else text.loc
    return Evidence(loc.path, loc.line, sentence)


SENTENCE_STOPS = ("。", "；", ";", "！", "？", "!", "?", ". ", "\n")


@dataclass(frozen=True)
class Finding:
    """One place where a rule is not met, with the values its message names, the
    sentences that show it (``evidence``) or the sections read in full without finding
    what the rule looks for (``searched``). A finding the rule cannot be sure of is for
    ``review``: listed for a person to judge, never a warning."""

    loc: Loc
    values: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    searched: tuple[str, ...] = ()
    review: bool = False

    @classmethod
    def at(cls, loc: Loc, **values: object) -> "Finding":
        """A finding at ``loc``; list values are joined the way the message's language lists,
        and source text is shown as a reader sees it, without inline markup."""
        return cls(loc, {k: tuple(map(shown, v)) if isinstance(v, (list, tuple)) else shown(v)
                         for k, v in values.items()})

    def reading(self, *evidence: Evidence | Text) -> "Finding":
        """The finding with the sentences that show it (texts are cited whole)."""
        cited = tuple(e if isinstance(e, Evidence) else sentence_of(e) for e in evidence)
        return replace(self, evidence=self.evidence + cited)

    def searching(self, sections: Iterable[str]) -> "Finding":
        """The finding with the sections read in full without finding the item."""
        return replace(self, searched=self.searched + tuple(sections))

    def for_review(self) -> "Finding":
        """The finding as an item for a person to judge: the rule cannot tell."""
        return replace(self, review=True)


MARKUP = re.compile(r"\[([^\][]*)\]\([^()]*\)|\*\*\*(.+?)\*\*\*|\*\*(.+?)\*\*|__(.+?)__|"
                    r"\+\+(.+?)\+\+|"
                    r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*|(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?!\w)")


def shown(value: object) -> str:
    """A value for a message: source text loses its inline markup (``**bold**``,
    ``_italic_``, ``++underline++``, links)."""
    text = str(value)
    if any(mark in text for mark in ("*", "_", "++", "](")):
        text = MARKUP.sub(lambda match: next(g for g in match.groups() if g is not None), text)
    return text


@dataclass(frozen=True)
class Rule:
    """A check with a stable code; ``explanation`` says what it requires and why."""

    code: str
    severity: Severity
    profile: str
    article: str
    message: dict[str, str]          # language → template with {names} of the finding
    explanation: str
    check: Callable[["Subject"], Iterable[Finding]]

    def text(self, finding: Finding, language: str) -> str:
        """The message of ``finding`` in ``language`` (en or zh)."""
        separator = LIST_SEPARATOR[language]
        return self.message[language].format_map(
            {k: separator.join(v) if isinstance(v, tuple) else v
             for k, v in finding.values.items()})


RULES: dict[str, Rule] = {}

# A document that only lists third parties is checked as such a list: what the law asks
# of the whole policy (rights, children, storage …) is the policy's business, not the list's.
WHOLE_POLICY_FAMILIES = ("PIPL-", "GBT-", "MIIT-", "GDPR-", "CCPA-", "NDSR-", "APPTYPE-", "FACE-")
WHOLE_POLICY_RULES = {"CONS-SDK-DATA", "CONS-SHARED-NO-RECIPIENT", "APP-NOTICE-NO-PURPOSE",
                      "APP-NOTICE-LENGTH"}  # the first-run notice is the whole policy's
THIRD_PARTY_LIST_RULES = {"PIPL-23-RECIPIENT", "MIIT-SDK-POLICY-LINK", "GDPR-13-RECIPIENTS",
                          "MIIT-SDK-POLICY-HOMEPAGE",
                          "MIIT-15-DAYS", "PIPL-28-SENSITIVE-MARK"}


def applies_to_third_party_list(code: str) -> bool:
    """Whether the rule ``code`` runs on a document that only lists third parties."""
    if code in THIRD_PARTY_LIST_RULES:
        return True
    return not code.startswith(WHOLE_POLICY_FAMILIES) and code not in WHOLE_POLICY_RULES


def rule(code: str, severity: Severity, profile: str, article: str, *, en: str, zh: str,
         explanation: str = ""):
    """Register the decorated check under ``code``; its docstring explains it when
    ``explanation`` is not given."""
    def register(check: Callable[[Subject], Iterable[Finding]]):
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        text = explanation or " ".join((check.__doc__ or "").split())
        RULES[code] = Rule(code, severity, profile, article, {"en": en, "zh": zh}, text, check)
        return check
    return register


# --------------------------------------------------------------------------- the subject


@dataclass
class Subject:
    """The loaded policy as rules see it: typed sections indexed by kind."""

    project: Project
    policy: m.Policy
    sections: list[m.SectionBase]                   # every section and subsection, in order
    features: list[m.Feature]
    rows: list[m.PermissionRow]
    sdks: list[m.Sdk]
    rights: list[m.Right]
    rights_sections: list[m.RightsSection]
    computed: dict = field(default_factory=dict, repr=False)   # memo: all_texts, issues_with_code

    @classmethod
    def of(cls, project: Project) -> "Subject":
        sections = [s for sf in project.sections for s in _walk_sections(sf.section)]
        def each(kind: type, name: str) -> list:
            return [x for s in sections if isinstance(s, kind) for x in getattr(s, name)]
        return cls(project=project, policy=project.policy, sections=sections,
                   features=each(m.DataCollectedSection, "features"),
                   rows=each(m.PermissionsSection, "rows"),
                   sdks=each(m.SdksSection, "sdks"),
                   rights=each(m.RightsSection, "rights"),
                   rights_sections=[s for s in sections if isinstance(s, m.RightsSection)])

    @property
    def policy_loc(self) -> Loc:
        return self.policy.loc

    @property
    def sections_loc(self) -> Loc:
        """Where the list of section files is: the place for a missing section."""
        first = self.policy.sections[0] if self.policy.sections else None
        return first.loc if first is not None else self.policy.loc

    def right_kinds(self) -> set[str]:
        return {kind for r in self.rights for kind in r.all_kinds()}

    def rights_loc(self) -> Loc:
        """Where a missing right belongs: the first rights section, else the section list."""
        return self.rights_sections[0].loc if self.rights_sections else self.sections_loc

    def with_role(self, *roles: str) -> list[m.SectionBase]:
        """The sections (and subsections) of ``roles``, in order: those that declare the
        role, else, for a role no section declares, the top-level sections whose title
        suggests it (each reported as a suggestion by CONS-ROLE-SUGGESTED)."""
        key = ("with_role", roles)
        if key not in self.computed:
            declared = self.declared_roles()
            top = {id(sf.section) for sf in self.project.sections}
            self.computed[key] = [s for s in self.sections
                                  if (roles_of(s, declared) if id(s) in top
                                      else {declared_role(s)}) & set(roles)]
        return self.computed[key]

    def is_third_party_list(self) -> bool:
        """Whether the document only lists third parties (a 第三方信息共享清单 published on
        its own, next to the policy): every top-level section is a section of SDKs."""
        tops = [sf.section for sf in self.project.sections]
        return bool(tops) and all(isinstance(s, m.SdksSection) for s in tops)

    def declared_roles(self) -> set[str]:
        """The roles some section declares (or its type implies), with the roles they
        cover: a list of SDKs is the list of third parties."""
        declared = {declared_role(s) for s in self.sections} - {None}
        return declared | {covered for role in declared for covered in COVERS.get(role, ())}

    def role_loc(self, *roles: str) -> Loc:
        """Where a finding about ``roles`` belongs: the first section of the first of
        ``roles`` that has one, else the section list."""
        for role in roles:
            found = self.with_role(role)
            if found:
                return found[0].loc
        return self.sections_loc

    def role_text(self, *roles: str) -> str:
        """The published wording of the sections of ``roles`` (titles, paragraphs, typed
        content), one string, for rules that look for a statement in prose."""
        key = ("role_text", roles)
        if key not in self.computed:
            self.computed[key] = "\n".join(str(self.read(t)) for s in self.with_role(*roles)
                                            for t in texts(s))
        return self.computed[key]

    def searched(self, *roles: str) -> list[str]:
        """The sections a rule read in full, as a finding lists them (``file “title”``):
        those of ``roles``, or every top-level section when no role is given or no
        section has one of them."""
        sections = self.with_role(*roles) if roles else []
        if not sections:
            sections = [sf.section for sf in self.project.sections]
        root = os.path.dirname(self.policy.loc.path)
        return [section_label(s, root) for s in sections]

    def role_paragraphs(self, *roles: str) -> list[Text]:
        """The paragraphs and list items of the sections of ``roles`` and their
        subsections, in order, headings left out."""
        headings = {id(h) for s in self.sections for h in (s.title, s.toc_title)}
        return [self.read(t) for s in self.with_role(*roles) for t in texts(s)
                if id(t) not in headings]

    def read(self, text: Text) -> Text:
        """``text`` as the reader reads it: its variables filled in ("{app}" → the app's
        name), at the same place; a text without one is returned as it is."""
        if "{" not in text:
            return text
        if "variables" not in self.computed:
            self.computed["variables"] = variables_of(self.policy)
        return ReadText.of(text, self.computed["variables"])

    def print_facts_of(self, binding: Document) -> None:
        """Take the facts the editions print from ``binding``, the binding edition as
        resolved already (else :meth:`published` resolves it)."""
        self.computed[published.published_facts] = set(binding.published)

    def published(self, fact: str) -> bool:
        """Whether ``fact`` ("subject/field", see :mod:`.published`) is printed in the
        editions: a rule is satisfied only by published facts."""
        if published.published_facts not in self.computed:
            self.computed[published.published_facts] = published.published_facts(self.project)
        return fact in self.computed[published.published_facts]

    def features_by_id(self) -> dict[str, m.Feature]:
        return {str(f.id): f for f in self.features if f.id}

    def feature_of(self, row: m.PermissionRow) -> m.Feature | None:
        """The feature a permission row belongs to: by ``feature_id``, else by equal name."""
        if row.feature_id:
            return self.features_by_id().get(str(row.feature_id))
        return next((f for f in self.features if f.name and str(f.name) == str(row.feature)),
                    None)

    def stated(self, fact: str, value: object) -> object:
        """``value`` when the fact it records is published, else None."""
        return value if value and self.published(fact) else None

    def feature_fact(self, feature: m.Feature, name: str) -> object:
        """A feature's field ``name`` as the reader sees it: None when not published."""
        return self.stated(f"{self.subject_name(feature)}/{name}", getattr(feature, name))

    def sdk_fact(self, sdk: m.Sdk, name: str) -> object:
        """An SDK's field ``name`` as the reader sees it: None when not published."""
        return self.stated(f"{self.subject_name(sdk)}/{name}", getattr(sdk, name))

    def subject_name(self, item: m.Feature | m.Sdk) -> str:
        """The subject a feature or third party is published under."""
        if subject_names not in self.computed:
            self.computed[subject_names] = subject_names(self.project)
        return self.computed[subject_names][id(item)]

    def policy_fact(self, dotted: str) -> object:
        """A field of policy.yaml (``storage.region``) as the reader sees it."""
        return self.stated(f"policy/{dotted}", policy_value(self.policy, dotted))

    def retention_of(self, feature: m.Feature) -> str | None:
        """How long the feature's data is kept, as published: its own `retention`, the
        policy-wide `storage.retention`, or a retention clause of the storage section."""
        return (self.feature_fact(feature, "retention") or self.policy_fact("storage.retention")
                or self.retention_clause())

    def retention_clause(self) -> str | None:
        """The first clause of the storage sections that keeps data for a period or until
        a criterion is met."""
        for clause in clauses(self.role_text("storage")):
            if RETENTION.search(clause) and (PERIOD.search(clause) or CRITERION.search(clause)):
                return clause
        return None


# What a section of a role says, read in any section ("roles come from headings and
# content"): a policy imported as one long section still tells of updates, security …
ROLE_CONTENT = {role: re.compile(pattern, re.IGNORECASE) for role, pattern in {
    "updates": r"(本|隐私)(政策|指引|声明|协议|条款).{0,12}(更新|修订|修改|变更)|"
               r"(更新|修订|修改|变更).{0,12}(本|隐私)(政策|指引|声明|协议|条款)|"
               r"(修改|变更|修订|更新)(生效|.{0,10}(通知|公告|提示)您)|"
               r"(update|change|modif|revis)\w*.{0,30}(this|our|the) (privacy )?(policy|notice|"
               r"statement)|(policy|notice|statement).{0,30}(update|change|modif|revis)",
    "security": r"加密|安全措施|安全技术|访问控制|SSL|TLS|去标识化|encrypt|security measures|"
                r"safeguards?\b|secure (servers?|socket)|protect (your|personal)",
    "children": r"儿童|未成年|不满\s*(十四|14)|child|minor|under (the age of )?1[3-8]",
    "contact": r"联系我们|联系方式|contact us|reach us|email us|write to us",
}.items()}


def says(subject: Subject, role: str) -> bool:
    """Whether the policy has a section of ``role`` or says what one would say in any
    sentence (:data:`ROLE_CONTENT`)."""
    if subject.with_role(role):
        return True
    pattern = ROLE_CONTENT[role]
    return any(pattern.search(c) for text in all_texts(subject) for c in clauses(text))


# A notice that defers to another policy ("This Notice … summarizes the most relevant
# portions of the Google Privacy Policy"): what it lacks may stand in the other one.
DEFERS = re.compile(r"(notice|statement|policy|本(政策|指引|规则)).{0,120}(supplements|summari[sz]|in "
                    r"addition to|read (it )?together with|incorporat\w* by reference|"
                    r"(forms?|is) (a )?part of).{0,80}(privacy|policy|notice)|"
                    r"(privacy|policy|notice).{0,40}as supplemented by (this|the present)|"
                    r"(addendum|supplement\w*|annex)\b.{0,120}(GDPR|data protection|your rights)|"
                    r"maintains? a (separate )?privacy (notice|policy)|"
                    r"(是|为).{0,12}隐私政策.{0,6}(的)?(补充|组成部分)|与.{0,20}隐私政策.{0,6}(共同|一并)",
                    re.IGNORECASE)


def defers_to_another_policy(subject: Subject) -> bool:
    """Whether the policy says it supplements or summarises another privacy policy."""
    if "defers" not in subject.computed:
        subject.computed["defers"] = any(DEFERS.search(c) for text in all_texts(subject)
                                         for c in clauses(text))
    return subject.computed["defers"]


PLACEHOLDER = re.compile(r"to be completed|待补充|待填写|TODO|TBD", re.IGNORECASE)


def organisation_address(subject: Subject) -> str | None:
    """The organisation's address as published, None when the sources give none (or
    only an importer's placeholder, "(to be completed)")."""
    address = subject.policy.organisation.address
    return None if not address or PLACEHOLDER.search(str(address)) else str(address)


def situated(address: str | None, region: str, region_zh: str) -> dict[str, str]:
    """The message values that say where the organisation is: outside ``region``, or not
    given (then the finding is for review)."""
    if not address:
        return {"where": "is not given", "where_zh": "未写明"}
    return {"where": f"('{address}') is outside {region}",
            "where_zh": f"（“{address}”）位于{region_zh}"}


def retention_sentences(subject: Subject) -> list[str]:
    """The clauses anywhere in the policy that keep data for a period or until a
    criterion is met."""
    return [c for text in all_texts(subject) for c in clauses(text)
            if RETENTION.search(c) and (PERIOD.search(c) or CRITERION.search(c))
            and KEEPER.search(c)]


VAGUE_PERIOD = re.compile(r"所(必需|必要|需)的.{0,4}(时间|期限|时限)|最短(时间|期限)|法律.{0,8}(规定|要求)的"
                          r"(期限|时间|时限)", re.IGNORECASE)
# Who keeps the data in a retention sentence: the organisation ("we retain", "保存期限"),
# not "other users may have copied or stored the message".
KEEPER = re.compile(r"\bwe\b|\bour\b|\bus\b|我们|本公司|我公司|我行|本行|retention period|保存期限|保留期限|存储期限|"
                    r"储存期限|(is|are|be) (retained|kept|stored|deleted)", re.IGNORECASE)


PLACEHOLDER_NAME = re.compile(r"\{([\w.]+)\}")


class ReadText(Text):
    """A source text with its variables filled in, whose positions still map back to the
    source: a character of the filled-in text is placed where it was written (one of a
    variable's value, at its placeholder)."""

    original: Text
    pieces: tuple[tuple[int, int, bool], ...]     # (start here, start in original, literal)

    @classmethod
    def of(cls, text: Text, known: dict[str, str]) -> Text:
        parts, pieces, at, done = [], [], 0, 0
        for match in PLACEHOLDER_NAME.finditer(text):
            value = known.get(match.group(1))
            if value is None:
                continue
            parts.append(str(text[done:match.start()]))
            pieces.append((at, done, True))
            at += match.start() - done
            parts.append(value)
            pieces.append((at, match.start(), False))
            at += len(value)
            done = match.end()
        if not pieces:
            return text
        parts.append(str(text[done:]))
        pieces.append((at, done, True))
        read = cls("".join(parts), text.loc)
        read.original, read.pieces = text, tuple(pieces)
        return read

    def loc_at(self, offset: int) -> Loc:
        here, there, literal = next(p for p in reversed(self.pieces) if p[0] <= offset)
        return self.original.loc_at(there + (offset - here if literal else 0))
RETENTION = re.compile(r"保存|保留|存储|储存|留存|retain|retention|kept|keep|store", re.I)
PERIOD = re.compile(r"(?<!\d)\d+\s*(个)?\s*(年|月|日|天|小时|周)|"
                    r"(?<![一二三四五六七八九十两])[一二三四五六七八九十两]+\s*(个)?\s*(年|月|日|天|周)|"
                    r"(?<!\d)\d+\s*(years?|months?|days?|weeks?|hours?)\b", re.I)
# "as long as necessary" is no criterion (EDPB transparency guidelines); an expiry, an
# account's life, a statutory retention period are.
CRITERION = re.compile(r"注销|删除|存续|期间|终止|关闭|撤回|届满|直至|until|account|closed|delet|"
                       r"terminat|withdraw|as long as (you|your)|while you|expir|criteri", re.I)
COVERS = {"sdks": ("third_parties",), "third_parties": ("sdks",)}
TYPE_ROLES = {m.DataCollectedSection: "collection", m.PermissionsSection: "permissions",
              m.SdksSection: "sdks", m.RightsSection: "rights", m.ContactSection: "contact"}


def declared_role(section: m.SectionBase) -> str | None:
    """A section's declared role, else the role its type implies (a rights section is
    about rights); a prose section without ``role`` has none."""
    if section.role:
        return str(section.role)
    return TYPE_ROLES.get(type(section))


def roles_of(section: m.SectionBase, declared: set) -> set[str]:
    """A top-level section's roles as rules read them: the declared (or typed) one, and
    those its title suggests that no section of the policy declares ("Changes and
    questions" on a contact section also reads as `updates`)."""
    roles = {declared_role(section)} if declared_role(section) else set()
    if not section.role and section.title is not None:
        roles |= set(roles_from_title(str(section.title))) - declared
    return roles


# Most specific first: "未成年人信息的保护" reads as children before security. A title
# may read as several roles ("我们如何保留、储存和保护您的个人信息" is storage and security).
TITLE_ROLES = (
    ("children", r"儿童|未成年|child|minor"),
    ("transfers", r"跨境|出境|境外|transfer|international|outside"),
    ("cookies", r"cookie|同类技术|tracking"),
    ("sdks", r"sdk"),
    ("sharing", r"共享|转让|公开披露|披露|shar|disclos"),
    ("third_parties", r"第三方|third[- ]part"),
    ("automated_decisions", r"自动化决策|个性化推荐|个性化推送|automated|profiling"),
    ("storage", r"存储|储存|保存|保留|存放地|storage|stor(e|ing)|retention|retain|location of"),
    ("security", r"保护|安全|secur|protect"),
    ("rights", r"权利|权限管理|管理您的|rights|choices|control"),
    ("updates", r"更新|变更|修订|update|change"),
    ("contact", r"联系|contact"),
    ("definitions", r"定义|术语|definition"),
    ("scope", r"适用范围|范围|scope|about this|who we are"),
    ("collection", r"收集|collect"),
    ("use", r"使用|use"),
)
TITLE_PATTERNS = tuple((role, re.compile(pattern, re.IGNORECASE))
                       for role, pattern in TITLE_ROLES)


# A title about children that speaks of protection ("未成年人信息的保护") is not about security.
TITLE_EXCLUDES = {"children": ("security",)}


def roles_from_title(title: str) -> list[str]:
    """The roles a section title reads like, most specific first (see TITLE_ROLES)."""
    roles = [role for role, pattern in TITLE_PATTERNS if pattern.search(title)]
    excluded = {other for role in roles for other in TITLE_EXCLUDES.get(role, ())}
    return [role for role in roles if role not in excluded]


def section_label(section: m.SectionBase, root: str = "") -> str:
    """A section as a finding names it: its file (relative to ``root``, the policy's
    folder) and line, and its title."""
    title = f" “{shown(section.title)}”" if section.title is not None else ""
    path = os.path.relpath(section.loc.path, root) if root else section.loc.path
    return f"{path}:{section.loc.line or 1}{title}"


def named(feature: m.Feature) -> object:
    """A feature as messages name it: its name, else its id."""
    return feature.name or feature.id


def _walk_sections(section: m.SectionBase) -> Iterator[m.SectionBase]:
    yield section
    for child in section.sections:
        yield from _walk_sections(child)


def texts(obj: object) -> Iterator[Text]:
    """Every text written in the sources under a model object or list, in order."""
    if isinstance(obj, Text):
        yield obj
    elif isinstance(obj, list):
        for item in obj:
            yield from texts(item)
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from texts(value)
    elif isinstance(obj, Model):
        for name in model_fields(type(obj)):
            yield from texts(getattr(obj, name))


def all_texts(subject: Subject) -> list[Text]:
    """Every text of policy.yaml and of every section file (collected once per subject)."""
    if all_texts not in subject.computed:
        subject.computed[all_texts] = [
            *map(subject.read, texts(subject.policy)),
            *(subject.read(text) for section_file in subject.project.sections
              for text in texts(section_file.section))]
    return subject.computed[all_texts]


def sentences(subject: Subject, pattern: "re.Pattern[str]") -> list[tuple[Text, str]]:
    """Every (text, clause) of the published text whose clause matches ``pattern``."""
    return [(text, c) for text in all_texts(subject) for c in clauses(text) if pattern.search(c)]


def at_sentences(found: list[tuple[Text, str]], limit: int = 3, **values: object) -> Finding:
    """A finding at the first of ``found`` ((text, clause) pairs) citing up to ``limit``."""
    text, clause = found[0]
    cited = dict.fromkeys(sentence_of(t, t.find(c)) for t, c in found)
    return Finding.at(text.loc_at(text.find(clause)), **values).reading(*list(cited)[:limit])


def mentions(subject: Subject, pattern: "re.Pattern[str]", *roles: str) -> bool:
    """Whether the published text of the sections of ``roles`` (every text when no role
    is given) matches ``pattern``."""
    if roles:
        return bool(pattern.search(subject.role_text(*roles)))
    return any(pattern.search(text) for text in all_texts(subject))




def right_text(subject: Subject, kind: str) -> str:
    """The wording of the rights of ``kind``: title and paragraphs, one string."""
    return "\n".join(str(t) for r in subject.rights if kind in r.all_kinds()
                     for t in texts(r))


def missing_right(subject: Subject, kind: str, name: str, also: tuple[str, ...] = (),
                  said: "re.Pattern[str] | None" = None) -> Iterator[Finding]:
    """A finding at the rights section when no right of ``kind`` (or of the kinds
    ``also``, which include it) is described: typed, named in the rights sections (a
    prose list, a right of another kind that also names it: "查阅和更正"), granted in a
    sentence anywhere ("you can ask us to delete your data"), or, with ``said``, in a
    sentence of the rights section matching it. The finding lists the sections read."""
    kinds = {kind, *also}
    if subject.right_kinds() & kinds:
        return
    rights = subject.role_text("rights")
    if said is not None and any(said.search(text) for text in all_texts(subject)):
        return
    if any(RIGHT_WORDS[k].search(str(s.title)) and RIGHT_TITLE.search(str(s.title))
           for s in subject.sections if s.title is not None
           for k in kinds if k in RIGHT_WORDS):
        return                       # a heading names it: "（一）访问和更正您的个人信息"
    if any(RIGHT_WORDS[k].search(c) and not NEGATED_RIGHT.search(c)
           for k in kinds if k in RIGHT_WORDS for c in clauses(rights)):
        return
    if any(names_right(text, k) and ABOUT_DATA.search(text)
           for text in all_texts(subject) for k in kinds if k in RIGHT_WORDS):
        return
    if any(right_named(c, k) for text in all_texts(subject) for c in clauses(text)
           for k in kinds if k in RIGHT_WORDS):
        return                       # "the right to rectification … cannot be enforced after …"
    if any(RIGHT_WORDS[k].search(text) and not NEGATED_RIGHT.search(text)
           for text in granted_items(subject) for k in kinds if k in RIGHT_WORDS):
        return                       # "You have the right to:" followed by "Object to processing"
    yield Finding.at(subject.rights_loc(), right=name, kind=kind).searching(subject.searched())


def granted_items(subject: Subject) -> list[Text]:
    """The texts that follow a paragraph granting something and ending in a colon ("You
    have the right to:", "您享有以下权利："), up to the next such paragraph: the items of
    the list it introduces, each granted (read in order, however the list is nested)."""
    if granted_items not in subject.computed:
        found: list[Text] = []
        following = 0
        for text in all_texts(subject):
            if text.rstrip().endswith((":", "：")):
                following = LIST_REACH if GRANT.search(text) else 0
            elif following:
                found.append(text)
                following -= 1
        subject.computed[granted_items] = found
    return subject.computed[granted_items]


LIST_REACH = 12      # items read after an introducing paragraph


def right_named(clause: str, kind: str) -> bool:
    """Whether ``clause`` names the right of ``kind`` as a right ("the right to data
    portability", "权利…删除"), whatever it says of it."""
    named = RIGHT_NAME.search(clause)
    return bool(named) and bool(RIGHT_WORDS[kind].search(clause, named.start()))


# A heading about the reader's right, not about what the organisation does ("我们如何删除").
RIGHT_TITLE = re.compile(r"^(?!.*我们如何)(?!.*how we).*(您的|你的|个人信息主体|\byour\b|权|\bright)",
                         re.IGNORECASE)
RIGHT_NAME = re.compile(r"\bright\w* (of|to)\b|权利|有权", re.IGNORECASE)
ABOUT_DATA = re.compile(r"信息|数据|资料|营销|推送|广告|information|data|account|consent|request|"
                        r"profil|marketing|advertis|e-?mails?", re.IGNORECASE)


def features_lacking(subject: Subject, has: Callable[[m.Feature], object]) -> Iterator[Finding]:
    """A finding at every feature for which ``has(feature)`` is empty."""
    for feature in subject.features:
        if not has(feature):
            yield Finding.at(feature.loc, feature=named(feature))


def retention_lacking(subject: Subject, vague_is_unsure: bool = False) -> Iterator[Finding]:
    """A finding at every feature whose retention is not published; for a policy whose
    processing is prose (no features), one finding when no sentence anywhere keeps data
    for a period or until a criterion is met ("we keep your data while your account is
    open"), with the sections read. With ``vague_is_unsure``, a policy that keeps data
    only "for the time the purpose requires" (the words of PIPL Art. 19) is for review."""
    if subject.features:
        for feature in subject.features:
            if not subject.retention_of(feature):
                yield Finding.at(feature.loc, what=f"feature '{shown(named(feature))}'",
                                 what_zh=f"业务功能“{shown(named(feature))}”")
    elif not retention_sentences(subject):
        finding = Finding.at(subject.role_loc("storage"), what="the policy",
                             what_zh="本政策").searching(subject.searched())
        vague = [(t, c) for t in all_texts(subject) for c in clauses(t)
                 if RETENTION.search(c) and KEEPER.search(c) and VAGUE_PERIOD.search(c)]
        yield finding.reading(*at_sentences(vague).evidence).for_review() \
            if vague and vague_is_unsure else finding


def sdks_lacking(subject: Subject, has: Callable[[m.Sdk], object]) -> Iterator[Finding]:
    """A finding at every SDK for which ``has(sdk)`` is empty."""
    for sdk in subject.sdks:
        if not has(sdk):
            yield Finding.at(sdk.loc, sdk=sdk.name)


def issues_with_code(subject: Subject, code: str,
                     compute: Callable[[Project], Iterable]) -> Iterator[Finding]:
    """Findings of ``code`` among the :class:`~policyc.diagnostics.Issue` objects
    ``compute(project)`` returns; each ``compute`` runs once per subject."""
    if compute not in subject.computed:
        subject.computed[compute] = list(compute(subject.project))
    for issue in subject.computed[compute]:
        if issue.code == code:
            yield Finding.at(issue.loc, **issue.values)
