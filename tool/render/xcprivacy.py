"""PrivacyInfo.xcprivacy draft: the data types the policy's features collect, with their
purposes and whether they are linked to the user, as an XML property list. Tracking,
tracking domains and required-reason APIs depend on the code, not the policy: the draft
declares no tracking and lists none, for the developer to complete."""
from __future__ import annotations

import plistlib

from ..app.facts import AppFacts


def manifest(facts: AppFacts) -> dict:
    types: dict[str, dict] = {}
    for use in facts.data:
        entry = types.setdefault(use.kind.xcprivacy, {
            "NSPrivacyCollectedDataType": use.kind.xcprivacy,
            "NSPrivacyCollectedDataTypeLinked": False,
            "NSPrivacyCollectedDataTypeTracking": False,
            "NSPrivacyCollectedDataTypePurposes": []})
        entry["NSPrivacyCollectedDataTypeLinked"] |= use.linked
        entry["NSPrivacyCollectedDataTypePurposes"] = sorted(
            set(entry["NSPrivacyCollectedDataTypePurposes"]) | set(use.purposes("xcprivacy")))
    return {"NSPrivacyTracking": False, "NSPrivacyTrackingDomains": [],
            "NSPrivacyCollectedDataTypes": [types[k] for k in sorted(types)],
            "NSPrivacyAccessedAPITypes": []}


def render(facts: AppFacts) -> bytes:
    return plistlib.dumps(manifest(facts), fmt=plistlib.FMT_XML, sort_keys=True)
