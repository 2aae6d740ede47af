"""PrivacyInfo.xcprivacy: the app's privacy manifest — whether it tracks, its tracking
domains and the data types it collects."""
from __future__ import annotations

from ..diagnostics import Loc, Report
from . import AppBuild, CollectedType, TrackingDomain
from .plist import read_dictionary

TYPE_KEY = "NSPrivacyCollectedDataType"


def read(data: bytes, shown: str, app: AppBuild, report: Report) -> None:
    """Read a privacy manifest into ``app``."""
    plist = read_dictionary(data, shown, report)
    if plist is None:
        return
    manifest = plist.value

    def loc(key: str, value: str | None = None) -> Loc:
        line = plist.line(key, value)
        return Loc(shown, line, 1 if line else 0)

    domains = manifest.get("NSPrivacyTrackingDomains") or []
    for domain in domains if isinstance(domains, list) else []:
        if isinstance(domain, str) and domain.strip():
            app.domains.append(TrackingDomain(domain.strip().lower(),
                                              loc("NSPrivacyTrackingDomains", domain.strip())))
    collected = manifest.get("NSPrivacyCollectedDataTypes") or []
    for entry in collected if isinstance(collected, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get(TYPE_KEY), str):
            continue
        purposes = entry.get("NSPrivacyCollectedDataTypePurposes") or []
        app.collected.append(CollectedType(
            entry[TYPE_KEY], bool(entry.get("NSPrivacyCollectedDataTypeLinked")),
            bool(entry.get("NSPrivacyCollectedDataTypeTracking")),
            tuple(p for p in purposes if isinstance(p, str)) if isinstance(purposes, list) else (),
            loc(TYPE_KEY, entry[TYPE_KEY])))
