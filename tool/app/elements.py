"""A manifest element as the readers see it, whatever the file format it came from."""
from __future__ import annotations

from dataclasses import dataclass

from . import ReadProblem


@dataclass(frozen=True)
class Element:
    """One XML element: its name, attributes (``android:name``, ``package`` …), source
    line and the names of the elements it sits in, outermost first."""

    tag: str
    attrs: dict[str, str]
    line: int
    parents: tuple[str, ...]


# The bounds of every binary manifest reader (APK and app bundle alike): how deep elements
# nest, how many there are, and how much text (tags, attribute names and values, strings
# decoded from a pool) they expand to, for one archive whatever number of manifests it holds.
MAX_DEPTH = 64                       # a manifest nests five deep
MAX_ELEMENTS = 100_000               # a large merged manifest holds a few thousand
MAX_TEXT_CHARS = 16 * 1024 * 1024    # every string decoded or referenced, counted each time
MAX_MANIFEST_BYTES = 16 * 1024 * 1024   # manifest bytes read from one archive in total


class LimitProblem(ReadProblem):
    """A binary manifest beyond one of the bounds (refused as damaged or hostile)."""


class Budget:
    """What one archive's manifests may still expand to; each reader draws on it and the
    first draw beyond a bound raises :class:`LimitProblem`."""

    def __init__(self) -> None:
        self.elements = 0
        self.chars = 0
        self.bytes = 0

    def element(self, depth: int) -> None:
        """One more element, ``depth`` elements deep."""
        if depth > MAX_DEPTH:
            raise LimitProblem(f"elements nested deeper than {MAX_DEPTH}",
                               f"元素嵌套超过 {MAX_DEPTH} 层，拒绝读取")
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise LimitProblem(f"more than {MAX_ELEMENTS:,} elements; refused",
                               f"元素超过 {MAX_ELEMENTS:,} 个，拒绝读取")

    def text(self, count: int) -> None:
        """``count`` more characters decoded or referenced."""
        self.chars += count
        if self.chars > MAX_TEXT_CHARS:
            raise LimitProblem(f"the manifest's text expands beyond {MAX_TEXT_CHARS:,} "
                               "characters (strings referenced over and over); refused",
                               f"清单文本展开超过 {MAX_TEXT_CHARS:,} 个字符（字符串被反复引用），拒绝读取")

    def read(self, count: int) -> None:
        """``count`` more bytes of manifests read from the archive."""
        self.bytes += count
        if self.bytes > MAX_MANIFEST_BYTES:
            raise LimitProblem(f"its manifests hold more than {MAX_MANIFEST_BYTES:,} bytes "
                               "together; refused",
                               f"清单合计超过 {MAX_MANIFEST_BYTES:,} 字节，拒绝读取")

    def attributes(self, element: Element) -> Element:
        """``element``, its tag, attribute names and values counted as text."""
        self.text(len(element.tag) + sum(len(k) + len(v) for k, v in element.attrs.items()))
        return element
