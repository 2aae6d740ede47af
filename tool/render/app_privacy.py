"""app-privacy-details.json: the App Store Connect App Privacy answers in the format
fastlane's ``upload_app_privacy_details_to_app_store`` reads: one entry per data
category with its purposes and protections (linked to the user or not), or one
``DATA_NOT_COLLECTED`` entry."""
from __future__ import annotations

import json

from ..app.facts import AppFacts


def entries(facts: AppFacts) -> list[dict]:
    categories: dict[str, dict] = {}
    for use in facts.data:
        entry = categories.setdefault(use.kind.apple, {"category": use.kind.apple,
                                                       "purposes": set(), "linked": False})
        entry["purposes"].update(use.purposes("apple"))
        entry["linked"] = entry["linked"] or use.linked
    if not categories:
        return [{"data_protections": ["DATA_NOT_COLLECTED"]}]
    return [{"category": c["category"], "purposes": sorted(c["purposes"]),
             "data_protections": ["DATA_LINKED_TO_YOU" if c["linked"] else "DATA_NOT_LINKED_TO_YOU"]}
            for _, c in sorted(categories.items())]


def render(facts: AppFacts) -> bytes:
    return (json.dumps(entries(facts), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
