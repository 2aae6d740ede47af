"""Comparing two editions: the changes, their categories and the outcome."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..diagnostics import Report
from .changes import Change, describe
from .differ import Side, diff_projects
from .snapshots import Snapshot
from .material import Category, categories_of, category_of

Outcome = Literal["none", "minor", "material"]


@dataclass
class Comparison:
    """What changed from ``old`` to ``new``, each change with its category (None: minor)."""

    old: Snapshot
    new: Snapshot
    changes: list[tuple[Change, Category | None]]
    categories: list[Category]

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
            "changes": [{"summary": describe(change, locale), "key": change.key,
                         "kind": change.kind, "category": category.id if category else None,
                         "material": category is not None, "target": change.target,
                         "field": change.field or None, "detail": change.detail or None,
                         "location": str(change.loc) if change.loc.path else None,
                         "old": change.old, "new": change.new}
                        for change, category in self.changes],
        }


def compare(old: Snapshot, new: Snapshot, report: Report | None = None) -> Comparison:
    """Compare two editions; the new edition's material-change categories classify."""
    categories = categories_of(new.project, report)
    changes = diff_projects(Side.of(old.project, old.relabel), Side.of(new.project, new.relabel))
    return Comparison(old, new, [(c, category_of(c, categories)) for c in changes], categories)
