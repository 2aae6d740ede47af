"""AndroidManifest.xml (a module's source manifest or the merged one of a build):
requested permissions, and the components and meta-data that show embedded SDKs."""
from __future__ import annotations

from typing import Iterable

from ..diagnostics import Loc, Report
from . import AppBuild, Evidence, Requested, cannot_read
from .elements import Element
from .safexml import XmlProblem, local_name, parse_xml

ANDROID_NS = "http://schemas.android.com/apk/res/android"
TOOLS_NS = "http://schemas.android.com/tools"
PERMISSION_TAGS = {"uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m"}
COMPONENT_TAGS = {"activity", "activity-alias", "service", "receiver", "provider"}


def read(data: bytes, shown: str, app: AppBuild, report: Report) -> None:
    """Read a manifest in XML form into ``app``."""
    try:
        root = parse_xml(data)
    except XmlProblem as problem:
        cannot_read(report, shown, problem)
        return
    if local_name(root.tag) != "manifest":
        tag = local_name(root.tag)
        cannot_read(report, shown, XmlProblem(
            f"not an Android manifest (the root element is <{tag}>, not <manifest>)",
            f"不是 Android 清单文件（根元素是 <{tag}>，不是 <manifest>）", root.sourceline or 0))
        return
    add_elements(xml_elements(root), shown, app)


def xml_elements(root) -> Iterable[Element]:
    """The elements of an lxml tree, attributes named with android:/tools: prefixes."""
    def walk(element, parents: tuple[str, ...]):
        tag = local_name(element.tag)
        if not tag:
            return
        attrs = {}
        for key, value in element.attrib.items():
            if key.startswith("{" + ANDROID_NS + "}"):
                attrs["android:" + key.split("}", 1)[1]] = value
            elif key.startswith("{" + TOOLS_NS + "}"):
                attrs["tools:" + key.split("}", 1)[1]] = value
            elif not key.startswith("{"):
                attrs[key] = value
        yield Element(tag, attrs, element.sourceline or 0, parents)
        for child in element:
            yield from walk(child, parents + (tag,))
    yield from walk(root, ())


def add_elements(elements: Iterable[Element], shown: str, app: AppBuild) -> None:
    """Add what a manifest's elements say to ``app`` (shared by the XML and APK readers)."""
    app.android = True
    package = ""
    for element in elements:
        name = element.attrs.get("android:name", "").strip()
        loc = Loc(shown, element.line, 1 if element.line else 0)
        if element.tag == "manifest":
            package = element.attrs.get("package", "")
        elif element.tag in PERMISSION_TAGS and element.parents == ("manifest",):
            if name and element.attrs.get("tools:node") != "remove":
                app.permissions.append(Requested(name, loc))
        elif element.tag in COMPONENT_TAGS and "application" in element.parents and name:
            if name.startswith(".") and package:
                name = package + name
            app.evidence.append(Evidence("package", name, loc))
        elif element.tag == "meta-data" and element.parents[-1:] == ("application",) and name:
            app.evidence.append(Evidence("meta", name, loc))
