"""An APK: its binary manifest (Android's compiled XML, "AXML") and the library version
files that Gradle packs into ``META-INF/``.

The archive is untrusted: entries are counted, only the manifest and small version
files are read, each through a bounded read whatever size the archive claims, and an
entry that inflates beyond its limit or by an unreasonable ratio (a zip bomb) is refused.
The AXML parser checks every offset against the chunk it reads.
"""
from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from ..diagnostics import Loc, Report
from . import AppBuild, Evidence, ReadProblem, cannot_read
from .elements import Budget, Element
from .manifest import add_elements

MAX_ENTRIES = 100_000
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_VERSION_FILE_BYTES = 4096
MAX_RATIO = 200                      # inflated / compressed size of one entry
MAX_VERSION_FILES = 2000

RES_STRING_POOL, RES_XML, RES_XML_RESOURCE_MAP = 0x0001, 0x0003, 0x0180
RES_XML_START_ELEMENT, RES_XML_END_ELEMENT = 0x0102, 0x0103
UTF8_FLAG = 0x100
NO_INDEX = 0xFFFFFFFF
TYPE_STRING, TYPE_INT_DEC, TYPE_INT_HEX, TYPE_BOOLEAN = 0x03, 0x10, 0x11, 0x12
ANDROID_ATTRIBUTES = {0x01010003: "name"}   # resource ids of attributes the readers use
ANDROID_NS = "http://schemas.android.com/apk/res/android"
TOOLS_NS = "http://schemas.android.com/tools"


class ApkProblem(ReadProblem):
    """Why an APK or its manifest cannot be read (internal damage is worded in English
    only, after a Chinese lead-in)."""

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en, zh if zh is not None else f"APK 或其二进制清单已损坏：{en}")


def read(stream: BinaryIO, shown: str, app: AppBuild, report: Report) -> None:
    """Read the APK opened as ``stream`` into ``app``."""
    try:
        manifest, versions = _entries(stream)
        elements = parse_axml(manifest)
    except ReadProblem as problem:
        cannot_read(report, shown, problem)
        return
    add_elements(elements, f"{shown}!AndroidManifest.xml", app)
    app.gradle = True   # an APK holds every dependency it was built with
    add_versions(versions, "", shown, app)


def _entries(stream: BinaryIO) -> tuple[bytes, list[tuple[str, str]]]:
    with zip_archive(stream) as (archive, infos):
        info = next((i for i in infos if i.filename == "AndroidManifest.xml"), None)
        if info is None:
            raise ApkProblem("no AndroidManifest.xml in the archive (not an APK?)",
                             "压缩包中没有 AndroidManifest.xml（不是 APK？）")
        return (bounded_read(archive, info, MAX_MANIFEST_BYTES),
                version_files(archive, infos, ""))


@contextmanager
def zip_archive(stream: BinaryIO) -> Iterator[tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]]:
    """The zip archive read from ``stream`` and its entries; more than :data:`MAX_ENTRIES`, or an
    archive that cannot be read (also while the block reads it), is an ApkProblem."""
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise ApkProblem(f"more than {MAX_ENTRIES} entries; refused",
                                 f"条目超过 {MAX_ENTRIES} 个，拒绝读取")
            yield archive, infos
    except ApkProblem:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            NotImplementedError, RuntimeError, ValueError, KeyError) as exc:
        raise ApkProblem(f"not a readable zip archive ({exc})",
                         f"不是可读取的 zip 压缩包（{exc}）") from None


def version_files(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo],
                  root: str) -> list[tuple[str, str]]:
    """The library version files Gradle packs as ``<root>META-INF/<group>_<artifact>.version``
    (small ones only, at most :data:`MAX_VERSION_FILES`), each with the version it holds
    ('' when it holds no single version)."""
    folder = f"{root}META-INF/"
    found = sorted((i for i in infos
                    if i.filename.startswith(folder) and i.filename.endswith(".version")
                    and "/" not in i.filename[len(folder):]
                    and i.file_size <= MAX_VERSION_FILE_BYTES),
                   key=lambda i: i.filename)[:MAX_VERSION_FILES]
    return [(info.filename, _version_text(bounded_read(archive, info, MAX_VERSION_FILE_BYTES)))
            for info in found]


def _version_text(data: bytes) -> str:
    """The version a version file holds: its first line, when it looks like one."""
    text = data.decode("utf-8", "replace").strip().split("\n", 1)[0].strip()
    return text if re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._\-]{0,63}", text) else ""


def add_versions(files: list[tuple[str, str]], root: str, shown: str, app: AppBuild) -> None:
    """Each version file (``<root>META-INF/com.google.firebase_firebase-analytics.version``)
    as evidence of the Gradle library it names, at the version it holds."""
    for name, version in files:
        stem = name[len(f"{root}META-INF/"):-len(".version")]
        group, _, artifact = stem.partition("_")
        if group and artifact:
            app.evidence.append(Evidence("gradle", f"{group}:{artifact}", Loc(f"{shown}!{name}"),
                                         version))


def bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The entry's bytes, refusing more than ``limit`` or a suspicious inflation ratio
    (read in chunks: the sizes in the archive may lie)."""
    if info.file_size > limit:
        raise ApkProblem(f"{info.filename} would inflate to {info.file_size} bytes "
                         f"(limit {limit}); refused as a possible zip bomb",
                         f"{info.filename} 解压后为 {info.file_size} 字节（上限 {limit}），"
                         "疑为 zip 炸弹，拒绝读取")
    ceiling = min(limit, max(info.compress_size, 1) * MAX_RATIO)
    chunks, total = [], 0
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(65536)
            if not chunk:
                break
            total += len(chunk)
            if total > ceiling:
                raise ApkProblem(f"{info.filename} inflates beyond {ceiling} bytes from "
                                 f"{info.compress_size}; refused as a zip bomb",
                                 f"{info.filename} 由 {info.compress_size} 字节解压超过 {ceiling} "
                                 "字节，判定为 zip 炸弹，拒绝读取")
            chunks.append(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------- AXML


def parse_axml(data: bytes, budget: Budget | None = None) -> list[Element]:
    """The elements of a binary XML document, with their source line numbers; raises a
    :class:`ReadProblem` when it is damaged or beyond the bounds of ``budget``."""
    try:
        return _parse_axml(data, Budget() if budget is None else budget)
    except (struct.error, IndexError, ValueError) as exc:  # an offset the checks missed
        raise ApkProblem(f"damaged binary XML ({exc})") from None


def _parse_axml(data: bytes, budget: Budget) -> list[Element]:
    if len(data) < 8:
        raise ApkProblem("AndroidManifest.xml is not binary XML (too short)")
    kind, header_size, size = struct.unpack_from("<HHI", data, 0)
    if kind != RES_XML:
        if data.lstrip()[:1] == b"<":
            raise ApkProblem("AndroidManifest.xml is text XML; an APK holds compiled XML",
                             "AndroidManifest.xml 是文本 XML；APK 中应为编译后的二进制 XML")
        raise ApkProblem("AndroidManifest.xml is not binary XML")
    end = min(size, len(data))
    strings: list[str] = []
    resource_ids: list[int] = []
    elements: list[Element] = []
    stack: list[str] = []
    namespaces = {ANDROID_NS: "android", TOOLS_NS: "tools"}
    offset = header_size
    while offset + 8 <= end:
        kind, header_size, size = struct.unpack_from("<HHI", data, offset)
        if size < 8 or header_size < 8 or header_size > size or offset + size > end:
            raise ApkProblem(f"damaged chunk at byte {offset}")
        chunk = data[offset:offset + size]
        if kind == RES_STRING_POOL:
            strings = _string_pool(chunk, header_size, budget)
        elif kind == RES_XML_RESOURCE_MAP:
            resource_ids = list(struct.unpack_from(f"<{(size - header_size) // 4}I", chunk,
                                                   header_size))
        elif kind == RES_XML_START_ELEMENT:
            budget.element(len(stack) + 1)
            element = _start_element(chunk, header_size, strings, resource_ids, namespaces,
                                     tuple(stack))
            elements.append(budget.attributes(element))
            stack.append(element.tag)
        elif kind == RES_XML_END_ELEMENT and stack:
            stack.pop()
        offset += size
    if not elements:
        raise ApkProblem("AndroidManifest.xml has no elements")
    return elements


def _string(strings: list[str], index: int) -> str:
    if index == NO_INDEX:
        return ""
    if index >= len(strings):
        raise ApkProblem(f"string index {index} out of range")
    return strings[index]


def _string_pool(chunk: bytes, header_size: int, budget: Budget) -> list[str]:
    if len(chunk) < 28:
        raise ApkProblem("damaged string pool")
    count, _styles, flags, strings_start, _ = struct.unpack_from("<IIIII", chunk, 8)
    if header_size + 4 * count > len(chunk) or strings_start > len(chunk):
        raise ApkProblem("damaged string pool")
    offsets = struct.unpack_from(f"<{count}I", chunk, header_size)
    utf8 = bool(flags & UTF8_FLAG)
    out = []
    for position in offsets:
        at = strings_start + position
        if at >= len(chunk):
            raise ApkProblem("string outside its pool")
        out.append(_utf8_string(chunk, at) if utf8 else _utf16_string(chunk, at))
        budget.text(len(out[-1]))
    return out


def _utf8_string(chunk: bytes, at: int) -> str:
    def length(at: int) -> tuple[int, int]:
        first = chunk[at]
        if first & 0x80:
            return ((first & 0x7F) << 8) | chunk[at + 1], at + 2
        return first, at + 1
    try:
        _, at = length(at)           # length in UTF-16 units
        count, at = length(at)       # length in bytes
        if at + count > len(chunk):
            raise ApkProblem("string outside its pool")
        return chunk[at:at + count].decode("utf-8", errors="replace")
    except IndexError:
        raise ApkProblem("string outside its pool") from None


def _utf16_string(chunk: bytes, at: int) -> str:
    if at + 2 > len(chunk):
        raise ApkProblem("string outside its pool")
    count = struct.unpack_from("<H", chunk, at)[0]
    at += 2
    if count & 0x8000:
        if at + 2 > len(chunk):
            raise ApkProblem("string outside its pool")
        count = ((count & 0x7FFF) << 16) | struct.unpack_from("<H", chunk, at)[0]
        at += 2
    if at + 2 * count > len(chunk):
        raise ApkProblem("string outside its pool")
    return chunk[at:at + 2 * count].decode("utf-16-le", errors="replace")


def _start_element(chunk: bytes, header_size: int, strings: list[str], resource_ids: list[int],
                   namespaces: dict[str, str], parents: tuple[str, ...]) -> Element:
    if len(chunk) < header_size + 20:
        raise ApkProblem("damaged element")
    line = struct.unpack_from("<I", chunk, 8)[0]
    _ns, name, attr_start, attr_size, attr_count = struct.unpack_from("<IIHHH", chunk,
                                                                       header_size)
    base = header_size + attr_start
    if attr_size < 20 or base + attr_count * attr_size > len(chunk):
        raise ApkProblem("damaged element attributes")
    attrs: dict[str, str] = {}
    for i in range(attr_count):
        ns, key, raw, _size, _res0, data_type, value = struct.unpack_from(
            "<IIIHBBI", chunk, base + i * attr_size)
        attr = _string(strings, key)
        if key < len(resource_ids) and resource_ids[key] in ANDROID_ATTRIBUTES:
            attr = ANDROID_ATTRIBUTES[resource_ids[key]]
        prefix = namespaces.get(_string(strings, ns), "") if ns != NO_INDEX else ""
        if raw != NO_INDEX:
            text = _string(strings, raw)
        elif data_type == TYPE_STRING:
            text = _string(strings, value)
        elif data_type == TYPE_BOOLEAN:
            text = "true" if value else "false"
        elif data_type in (TYPE_INT_DEC, TYPE_INT_HEX):
            text = str(value)
        else:
            text = f"@0x{value:08x}"
        attrs[f"{prefix}:{attr}" if prefix else attr] = text
    return Element(_string(strings, name), attrs, line, parents)
