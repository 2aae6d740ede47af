"""An Android App Bundle (``.aab``, what Google Play takes): the manifest of each module
and the library version files Gradle packs into it.

A bundle is a zip archive with one folder per module (``base/`` and any feature
modules). A module's manifest is ``<module>/manifest/AndroidManifest.xml`` in aapt2's
protocol-buffer form (the ``XmlNode``, ``XmlElement``, ``XmlNamespace`` and
``XmlAttribute`` messages of aapt2's ``Resources.proto``), and files bound for the root
of the app's APKs sit under ``<module>/root/``, library versions in
``<module>/root/META-INF/*.version``. The archive is read as an APK is (entries counted,
bounded reads, zip bombs refused); the protocol-buffer reader is policyc's own and reads
only what a manifest needs, every length checked against the message holding it and the
element nesting bounded.
"""
from __future__ import annotations

from typing import BinaryIO

from ..diagnostics import Report
from . import AppBuild, ReadProblem, cannot_read
from .apk import (ANDROID_NS, MAX_MANIFEST_BYTES, TOOLS_NS, ApkProblem, add_versions,
                  bounded_read, version_files, zip_archive)
from .elements import Budget, Element
from .manifest import add_elements

MANIFEST = "manifest/AndroidManifest.xml"   # inside each module's folder
MAX_MODULES = 200
VARINT, FIXED64, LENGTH, FIXED32 = 0, 1, 2, 5   # protocol-buffer wire types
EMPTY = memoryview(b"")


class BundleProblem(ApkProblem):
    """Why a bundle or a module's manifest cannot be read."""

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en, zh if zh is not None else
                         f"应用包（AAB）或其清单已损坏：{en}")


def read(stream: BinaryIO, shown: str, app: AppBuild, report: Report) -> None:
    """Read the bundle opened as ``stream`` into ``app``: every module's manifest and
    versions."""
    budget = Budget()   # one for the whole bundle, whatever number of modules
    try:
        modules = _modules(stream, budget)
    except ReadProblem as problem:
        cannot_read(report, shown, problem)
        return
    for module, manifest, versions in modules:
        name = f"{module}/{MANIFEST}"
        try:
            elements = parse_proto_xml(manifest, budget)
        except ReadProblem as problem:
            cannot_read(report, f"{shown}!{name}", problem)
            continue
        add_elements(elements, f"{shown}!{name}", app)
        add_versions(versions, f"{module}/root/", shown, app)
        app.gradle = True   # a bundle holds every dependency it was built with


def _modules(stream: BinaryIO, budget: Budget) -> list[tuple[str, bytes, list[tuple[str, str]]]]:
    """Each module's name, manifest bytes and version files, ``base`` first; the manifests
    together within ``budget``."""
    with zip_archive(stream) as (archive, infos):
        manifests = [i for i in infos if i.filename.count("/") == 2
                     and i.filename.endswith("/" + MANIFEST)]
        if not manifests:
            raise BundleProblem(
                "no base/manifest/AndroidManifest.xml in the archive (not an app bundle?)",
                "压缩包中没有 base/manifest/AndroidManifest.xml（不是 Android 应用包？）")
        if len(manifests) > MAX_MODULES:
            raise BundleProblem(f"more than {MAX_MODULES} modules; refused",
                                f"模块超过 {MAX_MODULES} 个，拒绝读取")
        manifests.sort(key=lambda i: (i.filename != f"base/{MANIFEST}", i.filename))
        out = []
        for info in manifests:
            module = info.filename.split("/", 1)[0]
            manifest = bounded_read(archive, info, MAX_MANIFEST_BYTES)
            budget.read(len(manifest))
            out.append((module, manifest, version_files(archive, infos, f"{module}/root/")))
        return out


# --------------------------------------------------------------------- protocol buffers


def _fields(data: memoryview) -> list[tuple[int, int, int | memoryview]]:
    """The fields of one message: (number, wire type, value), a varint as an int and a
    length-delimited field as a view of its bytes (never a copy); fixed-width fields are
    skipped."""
    fields: list[tuple[int, int, int | memoryview]] = []
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise BundleProblem(f"field number 0 at byte {at}")
        if wire == VARINT:
            value, at = _varint(data, at)
            fields.append((number, wire, value))
        elif wire == LENGTH:
            size, at = _varint(data, at)
            if at + size > len(data):
                raise BundleProblem(f"a field of {size} bytes at byte {at} runs past its "
                                    f"message ({len(data)} bytes)")
            fields.append((number, wire, data[at:at + size]))
            at += size
        elif wire in (FIXED64, FIXED32):
            at += 8 if wire == FIXED64 else 4
            if at > len(data):
                raise BundleProblem("a fixed-size field runs past its message")
        else:
            raise BundleProblem(f"unsupported wire type {wire} at byte {at}")
    return fields


def _varint(data: memoryview, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data):
            raise BundleProblem("a number runs past its message")
        if shift > 63:
            raise BundleProblem(f"a number longer than 10 bytes at byte {at}")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def _text(value: int | memoryview) -> str:
    if not isinstance(value, memoryview):
        raise BundleProblem("a number where text belongs")
    return bytes(value).decode("utf-8", errors="replace")


def _message(value: int | memoryview) -> memoryview:
    if not isinstance(value, memoryview):
        raise BundleProblem("a number where a message belongs")
    return value



def _first(fields, number: int, default=None):
    return next((value for n, _, value in fields if n == number), default)


def parse_proto_xml(data: bytes, budget: Budget | None = None) -> list[Element]:
    """The elements of a manifest in aapt2's protocol-buffer XML, in document order,
    with their source lines; raises a :class:`ReadProblem` when it is damaged or beyond
    the bounds of ``budget``."""
    budget = Budget() if budget is None else budget
    if data.lstrip()[:1] == b"<":
        raise BundleProblem(
            "the manifest is text XML; a bundle holds aapt2's protocol-buffer XML",
            "清单为文本 XML；应用包中应为 aapt2 的 protobuf 格式 XML")
    elements: list[Element] = []
    # (node bytes, parent tags, namespace URI → prefix in scope), taken in document order
    pending = [(memoryview(data), (), {ANDROID_NS: "android", TOOLS_NS: "tools"})]
    while pending:
        node, parents, namespaces = pending.pop()
        fields = _fields(node)
        element = _first(fields, 1)
        if element is None:
            continue   # a text node
        budget.element(len(parents) + 1)
        source = _fields(_message(_first(fields, 3, EMPTY)))
        line = _first(source, 1, 0)
        element_fields = _fields(_message(element))
        namespaces = dict(namespaces)
        for _, _, declaration in (f for f in element_fields if f[0] == 1):
            declared = _fields(_message(declaration))
            namespaces[_text(_first(declared, 2, EMPTY))] = _text(_first(declared, 1, EMPTY))
        tag = _text(_first(element_fields, 3, EMPTY))
        attrs = dict(_attribute(_fields(_message(v)), namespaces)
                     for n, _, v in element_fields if n == 4)
        elements.append(budget.attributes(
            Element(tag, attrs, line if isinstance(line, int) else 0, parents)))
        children = [_message(v) for n, _, v in element_fields if n == 5]
        pending.extend((child, (*parents, tag), namespaces) for child in reversed(children))
    if not elements:
        raise BundleProblem("the manifest has no elements", "清单中没有元素")
    return elements


def _attribute(fields, namespaces: dict[str, str]) -> tuple[str, str]:
    """An attribute's name (with its namespace prefix) and its value as written; a
    compiled value (a reference, a number) when the text is not kept."""
    name = _text(_first(fields, 2, EMPTY))
    prefix = namespaces.get(_text(_first(fields, 1, EMPTY)), "")
    value = _first(fields, 3)
    if value is not None:
        text = _text(value)
    else:
        item = _fields(_message(_first(fields, 6, EMPTY)))
        text = _compiled(item)
    return (f"{prefix}:{name}" if prefix else name), text


def _compiled(item) -> str:
    """The text of an aapt2 ``Item``: a string's value, a reference by its id, a
    primitive's data."""
    string = _first(item, 2)
    if string is not None:
        return _text(_first(_fields(_message(string)), 1, EMPTY))
    reference = _first(item, 1)
    if reference is not None:
        ref_id = _first(_fields(_message(reference)), 2, 0)
        return f"@0x{ref_id:08x}" if isinstance(ref_id, int) else ""
    primitive = _first(item, 7)
    if primitive is not None:
        data = _first(_fields(_message(primitive)), 2, 0)
        return str(data) if isinstance(data, int) else ""
    return ""
