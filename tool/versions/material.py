"""Material-change categories: which changes need prominent notice, declared in data.

A policy lists what it counts as a material change (``material_changes`` in
policy.yaml); each category points at the list item that words it (``ref``) and says
which detected kinds of change (``kinds``) and which sections' rewording (``sections``)
fall under it. A policy that declares none gets the default categories (purposes and
data types, ownership, recipients, rights, contact), worded by policyc in the policy's
language. What no comparison of wording can detect (a high-risk impact assessment) is
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
MESSAGES = {
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
    if not policy.material_changes:
        labels = DEFAULT_LABELS.get(locale.split("-")[0], DEFAULT_LABELS["en"])
        return [Category(key, labels[key], frozenset(kinds), frozenset())
                for key, kinds in DEFAULT_KINDS.items()]
    report = report if report is not None else Report()
    for kind, loc, values in unknown_refs(project):
        report.error(loc, MESSAGES[kind].format_map(values))
    project = localize(project, locale, None, allow_missing=True)
    items = _item_texts(project)
    plain = plain_text_of(project)
    out = []
    for entry in policy.material_changes:
        label = plain(items[str(entry.ref)]) if str(entry.ref) in items else str(entry.ref)
        out.append(Category(str(entry.ref), label.rstrip("；;。. "), frozenset(entry.kinds),
                            frozenset(str(s) for s in entry.sections)))
    return out


def unknown_refs(project: Project) -> list[tuple[str, Loc, dict[str, str]]]:
    """The ``ref`` and ``sections`` entries of ``material_changes`` that name nothing in
    the policy: (:data:`UNKNOWN_REF` or :data:`UNKNOWN_SECTION`, where, the values its
    message names)."""
    items = _item_texts(project)
    ids = {str(ident) for ident, _ in iter_ids(project)}
    out = []
    for entry in project.policy.material_changes:
        if str(entry.ref) not in items:
            out.append((UNKNOWN_REF, entry.ref.loc, {"ref": str(entry.ref)}))
        out += [(UNKNOWN_SECTION, section.loc, {"ref": str(entry.ref), "section": str(section)})
                for section in entry.sections if str(section) not in ids]
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
