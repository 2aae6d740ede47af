"""Material-change categories: which changes need prominent notice, declared in data.

A policy lists what it counts as a material change (``material_changes`` in
policy.yaml); each category points at the list item that words it (``ref``) or carries
its name per locale (``label``), and says which detected kinds of change (``kinds``) and
which sections' rewording (``sections``) fall under it. Sections of role sharing,
transfers, third parties, scope and rights are material by their role. A policy that
declares none gets the default categories (purposes and data types, ownership,
recipients, rights, contact), worded by policyc in the policy's language. What no comparison of wording can detect (a high-risk impact assessment) is
left to the editors.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Loc, Report
from .. import model as m
from ..project import Project, iter_ids
from ..resolve import plain_text_of
from ..translate import localize
from .changes import Change


@dataclass(frozen=True)
class Category:
    """One kind of material change."""

    id: str
    label: str                     # the policy's wording of it
    kinds: frozenset[str]
    sections: frozenset[str]


DEFAULT_LABELS = {
    "en": {
        "purpose": "the purposes of processing, the types of personal information processed "
                   "or the way it is used change",
        "ownership": "ownership or organisational structure changes (restructuring, "
                     "bankruptcy, merger)",
        "recipients": "the main recipients of shared, transferred or disclosed personal "
                      "information change",
        "rights": "your rights over your personal information, or how you exercise them, "
                  "change",
        "contact": "the department responsible for personal-information security, its "
                   "contact details or the complaint channels change",
    },
    "zh": {
        "purpose": "处理个人信息的目的、处理的个人信息类型、个人信息的使用方式等发生变化",
        "ownership": "所有权结构、组织架构等方面发生重大变化",
        "recipients": "个人信息共享、转让或公开披露的主要对象发生变化",
        "rights": "您参与个人信息处理方面的权利及其行使方式发生重大变化",
        "contact": "负责处理个人信息安全的责任部门、联络方式及投诉渠道发生变化",
    },
}
UNKNOWN_REF = "ref"          # a category's `ref` is no list item's id
UNKNOWN_SECTION = "section"  # one of its `sections` is no section's id
NO_NAME = "name"             # neither `ref` nor `label`
MESSAGES = {
    NO_NAME: "a material change needs `ref` (the list item that words it) or `label`",
    UNKNOWN_REF: "material change `{ref}` must be the id of a list item that words it (in "
                 "the section on updates)",
    UNKNOWN_SECTION: "unknown section id `{section}` in material change `{ref}`",
}
DEFAULT_KINDS = {"purpose": ("purpose", "data_types", "retention"), "ownership": ("ownership",),
                 "recipients": ("recipients",), "rights": ("rights",), "contact": ("contact",)}


def categories_of(project: Project, report: Report | None = None,
                  locale: str | None = None) -> list[Category]:
    """The categories ``project`` declares, or the default ones, labelled in ``locale``
    (default: the binding one; other locales take the label from their translation).

    A ``ref`` or section id that names nothing in the policy is reported as an error.
    """
    policy = project.policy
    locale = locale or str(policy.locale)
    by_role = _sections_by_role(project)
    if not policy.material_changes:
        labels = DEFAULT_LABELS.get(locale.split("-")[0], DEFAULT_LABELS["en"])
        return [Category(key, labels[key], frozenset(kinds),
                         frozenset(by_role.get(key, ()))) for key, kinds in DEFAULT_KINDS.items()]
    report = report if report is not None else Report()
    for kind, loc, values in unknown_refs(project):
        report.error(loc, MESSAGES[kind].format_map(values))
    project = localize(project, locale, None, allow_missing=True)
    items = _item_texts(project)
    plain = plain_text_of(project)
    out, given = [], set()
    for number, entry in enumerate(policy.material_changes, 1):
        ident = str(entry.ref) if entry.ref else f"material-{number}"
        label = _label(entry, locale, str(policy.locale), items, plain) or ident
        sections = {str(s) for s in entry.sections}
        for kind in entry.kinds:      # the first category of a kind takes its role sections
            if kind not in given:
                given.add(kind)
                sections |= set(by_role.get(_KIND_CATEGORY.get(kind, kind), ()))
        out.append(Category(ident, label.rstrip("；;。. "), frozenset(entry.kinds),
                            frozenset(sections)))
    return out


# Sections material by their role: a rewording of them is the change of that category.
MATERIAL_ROLES = {"sharing": "recipients", "transfers": "recipients", "third_parties":
                  "recipients", "rights": "rights", "scope": "purpose"}
_KIND_CATEGORY = {"data_types": "purpose", "retention": "purpose"}


def _sections_by_role(project: Project) -> dict[str, list[str]]:
    """Ids of the sections material by role (sharing, transfers, scope, rights), by
    default category, leaving out those a `material_changes` entry names itself (it
    decides their category)."""
    named = {str(s) for entry in project.policy.material_changes for s in entry.sections}
    out: dict[str, list[str]] = {}

    def walk(section: m.SectionBase) -> None:
        role = str(section.role) if section.role else (
            "rights" if isinstance(section, m.RightsSection) else None)
        if role in MATERIAL_ROLES and section.id and str(section.id) not in named:
            out.setdefault(MATERIAL_ROLES[role], []).append(str(section.id))
        for child in section.sections:
            walk(child)

    for section_file in project.sections:
        walk(section_file.section)
    return out


def _label(entry: m.MaterialChange, locale: str, binding: str, items: dict,
           plain) -> str:
    """A category's name in ``locale``: its own label for the locale (or language), the
    wording of its list item, else its label in the binding locale."""
    labels = {str(k): str(v) for k, v in entry.label.items()}
    for key in (locale, locale.split("-")[0]):
        if key in labels:
            return labels[key]
    if entry.ref and str(entry.ref) in items:
        return plain(items[str(entry.ref)])
    return labels.get(binding) or next(iter(labels.values()), "")


def unknown_refs(project: Project) -> list[tuple[str, Loc, dict[str, str]]]:
    """The ``ref`` and ``sections`` entries of ``material_changes`` that name nothing in
    the policy: (:data:`UNKNOWN_REF` or :data:`UNKNOWN_SECTION`, where, the values its
    message names)."""
    items = _item_texts(project)
    ids = {str(ident) for ident, _ in iter_ids(project)}
    out = []
    for entry in project.policy.material_changes:
        if entry.ref and str(entry.ref) not in items:
            out.append((UNKNOWN_REF, entry.ref.loc, {"ref": str(entry.ref)}))
        name = str(entry.ref) if entry.ref else "/".join(str(v) for v in entry.label.values())
        out += [(UNKNOWN_SECTION, section.loc, {"ref": name, "section": str(section)})
                for section in entry.sections if str(section) not in ids]
        if not entry.ref and not entry.label:
            out.append((NO_NAME, entry.loc, {}))
    return out


def category_of(change: Change, categories: list[Category]) -> Category | None:
    """The first category ``change`` falls under, or None for a minor change."""
    for category in categories:
        if change.kind in category.kinds or category.sections.intersection(change.scope):
            return category
    return None


def _item_texts(project: Project) -> dict[str, m.Text]:
    """The text of every list item that has an id."""
    out: dict[str, m.Text] = {}

    def blocks(items: list) -> None:
        for block in items:
            for item in getattr(block, "numbered", None) or getattr(block, "bullets", None) \
                    or getattr(block, "clauses", None) or ():
                if isinstance(item, m.ListItem):
                    if item.id:
                        out[str(item.id)] = item.text
                    blocks(item.blocks)

    def section(node: m.SectionBase) -> None:
        blocks(node.blocks)
        blocks(getattr(node, "after", None) or [])
        for child in node.sections:
            section(child)

    for section_file in project.sections:
        section(section_file.section)
    return out
