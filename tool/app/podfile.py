"""CocoaPods: the pods a Podfile declares (``pod 'AMapLocation'``) or its lock records."""
from __future__ import annotations

import re

from ..diagnostics import Loc, Report
from . import AppBuild, Evidence, decode

_POD = re.compile(r"^[ \t]*pod\s+[\"'](?P<name>[^\"'/\s]+)(?:/[^\"']*)?[\"']", re.MULTILINE)
_LOCKED = re.compile(r"^  - \"?(?P<name>[^\s\"/(]+)(?:/[^\s\"(]*)?\"?"
                     r"(?: \((?:= )?(?P<version>[0-9A-Za-z._\-]+)\)|:|$)", re.MULTILINE)


def read(data: bytes, shown: str, app: AppBuild, report: Report) -> None:
    """Read a Podfile or Podfile.lock into ``app``."""
    text = decode(data, shown, report)
    if text is None:
        return
    app.ios_pods = True
    if shown.endswith(".lock"):
        end = text.find("\n\n")
        text_part, pattern = (text if end < 0 else text[:end]), _LOCKED
    else:
        text_part, pattern = text, _POD
    seen: set[str] = set()
    for match in pattern.finditer(text_part):
        name = match["name"]
        if name in seen:
            continue
        seen.add(name)
        line = text.count("\n", 0, match.start("name")) + 1
        version = match.groupdict().get("version") or ""
        app.evidence.append(Evidence("pod", name, Loc(shown, line, 1), version))
