"""Comparing two editions: the changes, their categories and the outcome."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..diagnostics import Report
from .changes import Change, describe, where_text
from .differ import Side, diff_projects
from .snapshots import Snapshot
from .material import Category, categories_of, category_of, with_reason

Outcome = Literal["none", "minor", "material"]


@dataclass
class Comparison:
    """What changed from ``old`` to ``new``, each change with its category (None: minor);
    ``unpublished``: changes of facts neither edition prints (never material)."""

    old: Snapshot
    new: Snapshot
    changes: list[tuple[Change, Category | None]]
    categories: list[Category]
    unpublished: list[Change] = field(default_factory=list)

    @property
    def material(self) -> bool:
        return any(category is not None for _, category in self.changes)

    @property
    def outcome(self) -> Outcome:
        """none, minor (changes, none of them material) or material."""
        if not self.changes:
            return "none"
        return "material" if self.material else "minor"

    def grouped(self) -> list[tuple[Category | None, list[Change]]]:
        """Changes by category, in the order the policy lists them; minor ones last."""
        groups: list[tuple[Category | None, list[Change]]] = []
        for category in [*self.categories, None]:
            members = [c for c, cat in self.changes if cat is category]
            if members:
                groups.append((category, members))
        return groups

    def to_json(self, locale: str = "en") -> dict:
        """The comparison as JSON data for CI."""
        def edition(e: Snapshot) -> dict:
            policy = e.project.policy
            return {"source": e.source, "version": e.version,
                    "last_updated": str(policy.last_updated), "effective": e.effective}
        return {
            "old": edition(self.old), "new": edition(self.new),
            "outcome": self.outcome, "changed": bool(self.changes), "material": self.material,
            "categories": [{"id": c.id, "label": c.label, "kinds": sorted(c.kinds),
                            "sections": sorted(c.sections),
                            "changes": sum(cat is c for _, cat in self.changes)}
                           for c in self.categories],
            "changes": [dict(change_json(change, locale),
                             category=category.id if category else None,
                             material=category is not None,
                             reason={"class": change.reason.label, "kind": change.reason.kind,
                                     "words": list(change.reason.words)}
                             if category is not None and change.reason else None)
                        for change, category in self.changes],
            "unpublished": [change_json(change, locale) for change in self.unpublished],
        }


def change_json(change: Change, locale: str = "en") -> dict:
    """One change as JSON data: what it is, where, and the wording on each side."""
    def place(loc) -> str | None:
        return str(loc) if loc.path else None
    where = change.where
    return {"summary": describe(change, locale), "key": change.key, "kind": change.kind,
            "target": change.target, "field": change.field or None,
            "detail": change.detail or None,
            "where": (where.heading or where_text(where, locale)) if where else None,
            "location": {"old": place(change.old_loc), "new": place(change.loc)},
            "old": change.old if change.old is not None else "",
            "new": change.new if change.new is not None else "",
            "links": [{"old": a, "new": b} for a, b in change.links] or None,
            "values": change.values or None}


def compare(old: Snapshot, new: Snapshot, report: Report | None = None) -> Comparison:
    """Compare two editions; the new edition's material-change categories classify, by
    what each change says. A change of a fact neither edition prints is unpublished."""
    categories = categories_of(new.project, report)
    before, after = Side.of(old.project, old.relabel), Side.of(new.project, new.relabel)
    printed = before.published | after.published | {"policy/title"}  # the heading
    changes, unpublished = [], []
    for change in diff_projects(before, after):
        if change.fact and change.fact not in printed:
            unpublished.append(change)
        else:
            change = with_reason(change, before.text, after.text)
            changes.append((change, category_of(change, categories)))
    return Comparison(old, new, changes, categories, unpublished)
