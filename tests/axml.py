"""A minimal writer of Android binary XML (AXML), to build test APKs without the SDK.

It writes what aapt2 writes for a manifest: a UTF-16 string pool, the resource map
that gives ``android:name`` its attribute id, namespace and element chunks with source
line numbers, and string-typed attribute values.
"""
from __future__ import annotations

import struct

ANDROID_NS = "http://schemas.android.com/apk/res/android"
NAME_ATTR_ID = 0x01010003


def _string_pool(strings: list[str]) -> bytes:
    offsets, data = [], b""
    for text in strings:
        offsets.append(len(data))
        encoded = text.encode("utf-16-le")
        data += struct.pack("<H", len(text)) + encoded + b"\0\0"
    data += b"\0" * (-len(data) % 4)
    header_size = 28
    strings_start = header_size + 4 * len(strings)
    body = struct.pack(f"<{len(strings)}I", *offsets) + data
    return struct.pack("<HHIIIIII", 0x0001, header_size, header_size + len(body),
                       len(strings), 0, 0, strings_start, 0) + body


def axml(elements: list[tuple[int, str, dict[str, str], int]]) -> bytes:
    """Binary XML of ``elements``: (depth, tag, attributes, line) in document order;
    attributes named ``android:x`` are in the Android namespace."""
    strings = ["name", ANDROID_NS, "android"]
    def index(text: str) -> int:
        if text not in strings:
            strings.append(text)
        return strings.index(text)
    chunks = [struct.pack("<HHIIIII", 0x0100, 16, 24, 1, 0xFFFFFFFF, index("android"),
                          index(ANDROID_NS))]
    stack: list[tuple[int, str, int]] = []
    def close(depth: int) -> None:
        while stack and stack[-1][0] >= depth:
            _, tag, line = stack.pop()
            chunks.append(struct.pack("<HHIIIII", 0x0103, 16, 24, line, 0xFFFFFFFF,
                                      0xFFFFFFFF, index(tag)))
    for depth, tag, attrs, line in elements:
        close(depth)
        attributes = b""
        for key, value in attrs.items():
            ns = index(ANDROID_NS) if key.startswith("android:") else 0xFFFFFFFF
            name = 0 if key == "android:name" else index(key.split(":")[-1])
            attributes += struct.pack("<IIIHBBI", ns, name, index(value), 8, 0, 0x03,
                                      index(value))
        body = struct.pack("<IIHHHHHH", 0xFFFFFFFF, index(tag), 20, 20, len(attrs), 0, 0, 0)
        chunk = body + attributes
        chunks.append(struct.pack("<HHIII", 0x0102, 16, 16 + len(chunk), line, 0xFFFFFFFF)
                      + chunk)
        stack.append((depth, tag, line))
    close(0)
    pool = _string_pool(strings)
    resource_map = struct.pack("<HHII", 0x0180, 8, 12, NAME_ATTR_ID)
    body = pool + resource_map + b"".join(chunks)
    return struct.pack("<HHI", 0x0003, 8, 8 + len(body)) + body
