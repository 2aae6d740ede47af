"""Info.plist: the purpose strings iOS shows when the app asks for a protected resource
(``NSCameraUsageDescription`` …)."""
from __future__ import annotations

import re

from ..diagnostics import Loc, Report
from . import AppBuild, UsageDescription
from .plist import read_dictionary

USAGE_KEY = re.compile(r"^(NS\w+UsageDescription|NFCReaderUsageDescription)$")


def read(data: bytes, shown: str, app: AppBuild, report: Report) -> None:
    """Read an Info.plist into ``app``."""
    plist = read_dictionary(data, shown, report)
    if plist is None:
        return
    for key, value in plist.value.items():
        if isinstance(key, str) and USAGE_KEY.match(key):
            line = plist.line(key)
            app.usage.append(UsageDescription(key, str(value), Loc(shown, line, 1 if line else 0)))
