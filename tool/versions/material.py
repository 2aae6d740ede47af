"""Material-change categories: which changes need prominent notice, declared in data.

A policy lists what it counts as a material change (``material_changes`` in
policy.yaml); each category points at the list item that words it (``ref``) or carries
its name per locale (``label``), and says which kinds of change (``kinds``) fall under
it. A change of typed content has its kind (an SDK added: recipients); a change of
wording has the kind :mod:`.content` reads in the new words (a new purpose, data type,
recipient …), and none when it only fixes spelling, punctuation, spacing or links.
Rewording of the sections a category names (``sections``) falls under it when it says
something material, whatever the kind. A section's role never makes a change material
by itself. A policy that declares none gets the default categories (purposes and data
types, ownership, recipients, rights, contact), worded by policyc in the policy's
language. What no comparison of wording can detect (a high-risk impact assessment) is
left to the editors.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..diagnostics import Loc, Report
from .. import model as m
from ..project import Project, iter_ids
from ..resolve import plain_text_of
from ..translate import localize
from .changes import WORDING, Change, Reason
from .content import RIGHTS_LABEL, is_trivial, reason_of


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
KIND_LABELS = {"purpose": "purpose", "data_types": "type of personal information",
               "retention": "retention period", "recipients": "recipient or transfer",
               "ownership": "controller", "rights": RIGHTS_LABEL, "contact": "contact"}
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
    for number, entry in enumerate(policy.material_changes, 1):
        ident = str(entry.ref) if entry.ref else f"material-{number}"
        label = _label(entry, locale, str(policy.locale), items, plain) or ident
        sections = {str(s) for s in entry.sections}
        out.append(Category(ident, label.rstrip("；;。. "), frozenset(entry.kinds),
                            frozenset(sections)))
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
    """The first category ``change`` falls under, or None for a minor change: by the kind
    its reason names, else by the section it is in; without a reason, none."""
    if change.reason is None:
        return None
    for category in categories:
        if change.reason.kind in category.kinds:
            return category
    for category in categories:
        if category.sections.intersection(change.scope):
            return category
    return None


def with_reason(change: Change, old_edition: str = "", new_edition: str = "") -> Change:
    """``change`` with the reason it is material, if any: a change of typed content by
    its kind and what changed; one of wording by what the new words say (``old_edition``
    and ``new_edition``: the text of each edition, see :func:`.content.reason_of`)."""
    if change.key == "right.reworded":
        return replace(change, reason=reason_of(change.old, change.new))
    if change.kind != WORDING:
        if _narrows(change) or (change.old and change.new
                                and is_trivial(change.old, change.new)):
            return change
        words = tuple(w for w in (change.target, change.detail, change.new, change.values)
                      if w)
        return replace(change, reason=Reason(change.kind, KIND_LABELS.get(change.kind,
                                                                          change.kind), words))
    if change.key.startswith("section.moved") or change.links and change.old == change.new:
        return change
    old, new = change.old, change.new
    if change.key.startswith(("section.added", "section.removed")) and change.target:
        # a heading names a topic; what the section says is in its body
        old, new = (_body(text, change.target) for text in (old, new))
    return replace(change, reason=reason_of(old, new, old_edition, new_edition))


def _narrows(change: Change) -> bool:
    """A typed change that only takes processing away (an SDK, a data type, a feature
    removed) or gives a right: never material by itself."""
    if change.key == "right.added":
        return True
    return change.kind in ("purpose", "data_types", "recipients", "retention") \
        and change.key.endswith(("removed", "removed_untitled"))


def _body(text: str | None, title: str) -> str | None:
    """A section's wording without its title line (the title alone when it has no body)."""
    if text is None:
        return None
    first, _, rest = text.partition("\n")
    return rest if first == title and rest else text


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
