"""The 39 common types of app of 《常见类型移动互联网应用程序必要个人信息范围规定》 (2021) and
the necessary personal information of each, read from ``check/data/app_types.yaml``.

A plain data reader with no dependency on the rest of policyc, so that the source format
(:mod:`policyc.model`) can offer the type names and the checks can compare data with them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "check" / "data" / "app_types.yaml"


@dataclass(frozen=True)
class AppType:
    """One type of app: its number in Art. 5, name, basic function service and necessary
    personal information (empty: the basic function needs none)."""

    number: int
    name: str
    service: str
    necessary: tuple[str, ...]


@cache
def app_types() -> dict[str, AppType]:
    """Name → type, in the regulation's order."""
    entries = yaml.safe_load(DATA.read_text(encoding="utf-8"))["types"]
    return {e["name"]: AppType(int(e["number"]), e["name"], e["service"], tuple(e["necessary"]))
            for e in entries}


NAMES: tuple[str, ...] = tuple(app_types())
