"""A minimal writer of aapt2's protocol-buffer XML, to build test app bundles (.aab)
without the Android SDK.

It writes what bundletool finds in ``<module>/manifest/AndroidManifest.xml``: an
``XmlNode`` holding the root ``XmlElement`` with its namespace declaration, attributes
(namespace URI, name, the value as written, the ``android:name`` resource id), child
nodes and each node's ``SourcePosition`` (field numbers of aapt2's Resources.proto).
"""
from __future__ import annotations

ANDROID_NS = "http://schemas.android.com/apk/res/android"
NAME_ATTR_ID = 0x01010003


def varint(value: int) -> bytes:
    out = b""
    while True:
        byte, value = value & 0x7F, value >> 7
        out += bytes([byte | (0x80 if value else 0)])
        if not value:
            return out


def field(number: int, value: int | bytes | str) -> bytes:
    """One field: an int as a varint, text and messages length-delimited."""
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    data = value.encode("utf-8") if isinstance(value, str) else value
    return varint(number << 3 | 2) + varint(len(data)) + data


def _attribute(name: str, value: str) -> bytes:
    prefix, _, local = name.rpartition(":")
    out = field(1, ANDROID_NS) if prefix == "android" else b""
    out += field(2, local) + field(3, value)
    if name == "android:name":
        out += field(5, NAME_ATTR_ID)
    return out


def proto_xml(elements: list[tuple[int, str, dict[str, str], int]]) -> bytes:
    """The XmlNode of ``elements``: (depth, tag, attributes, line) in document order; the
    first, at depth 0, is the root and declares the android namespace."""
    def node(index: int) -> tuple[bytes, int]:
        depth, tag, attrs, line = elements[index]
        element = field(1, field(1, "android") + field(2, ANDROID_NS)) if depth == 0 else b""
        element += field(3, tag)
        element += b"".join(field(4, _attribute(k, v)) for k, v in attrs.items())
        following = index + 1
        while following < len(elements) and elements[following][0] > depth:
            child, following = node(following)
            element += field(5, child)
        return field(1, element) + field(3, field(1, line) + field(2, 5)), following

    return node(0)[0]
