"""A manifest element as the readers see it, whatever the file format it came from."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Element:
    """One XML element: its name, attributes (``android:name``, ``package`` …), source
    line and the names of the elements it sits in, outermost first."""

    tag: str
    attrs: dict[str, str]
    line: int
    parents: tuple[str, ...]
