"""Gradle builds: dependency coordinates and plugins of build.gradle / build.gradle.kts,
and the libraries and plugins of version catalogs (gradle/libs.versions.toml).

Build scripts are programs; policyc does not run them. It reads the declarations that
name a dependency literally — ``implementation 'g:a:v'``, ``implementation("g:a:v")``,
``implementation group: 'g', name: 'a'``, ``implementation(libs.some.lib)``,
``id 'plugin'`` / ``id("plugin")``, ``apply plugin: 'plugin'``, ``alias(libs.plugins.x)``.
"""
from __future__ import annotations

import re
import tomllib

from ..diagnostics import Loc, Report
from . import AppBuild, Evidence, Problem, ReadProblem, cannot_read, decode

CONFIGURATION = r"\b(?:[a-z][A-Za-z0-9]*)?(?:implementation|Implementation|api|Api|compileOnly|CompileOnly|runtimeOnly|RuntimeOnly|kapt|ksp|annotationProcessor|compile|classpath)\b"
_COORDINATE = re.compile(
    CONFIGURATION + r"\s*\(?\s*(?:(?:platform|enforcedPlatform)\s*\(\s*)?[\"']"
    r"(?P<group>[A-Za-z0-9_.\-]+):(?P<artifact>[A-Za-z0-9_.\-]+)(?::(?P<version>[^\"'\s]*))?[\"']")
_MAP_NOTATION = re.compile(
    CONFIGURATION + r"\s*\(?\s*group\s*[:=]\s*[\"'](?P<group>[^\"']+)[\"']\s*,\s*"
    r"name\s*[:=]\s*[\"'](?P<artifact>[^\"']+)[\"']"
    r"(?:\s*,\s*version\s*[:=]\s*[\"'](?P<version>[^\"']+)[\"'])?")
_CATALOG_REF = re.compile(CONFIGURATION + r"\s*\(?\s*(?:(?:platform|enforcedPlatform)\s*\(\s*)?"
                          r"libs\.(?P<alias>[A-Za-z0-9_.]+?)(?:\.get\(\))?\b(?![.\w])")
_PLUGIN_ID = re.compile(r"(?:\bid\s*\(?\s*|apply\s+plugin\s*:\s*|apply\s*\(\s*plugin\s*=\s*)"
                        r"[\"'](?P<id>[A-Za-z0-9_.\-]+)[\"']")
_PLUGIN_ALIAS = re.compile(r"\balias\s*\(\s*libs\.plugins\.(?P<alias>[A-Za-z0-9_.]+)\s*\)")
_COMMENTS = re.compile(r"//[^\n]*|/\*(?:.*?\*/|.*\Z)|(\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')",
                       re.DOTALL)  # an unclosed /* comment runs to the end


def catalog_alias(name: str) -> str:
    """A catalog alias as build files reach it: ``wechat-sdk`` and ``wechat_sdk`` are
    both ``libs.wechat.sdk``."""
    return re.sub(r"[-_.]", ".", name).lower()


def _without_comments(text: str) -> str:
    """``text`` with comments blanked out, keeping every line break and offset."""
    def blank(match: re.Match) -> str:
        if match.group(1):
            return match.group(1)  # a string literal: kept as written
        return re.sub(r"[^\n]", " ", match.group(0))
    return _COMMENTS.sub(blank, text)


def _loc(shown: str, text: str, offset: int) -> Loc:
    line = text.count("\n", 0, offset) + 1
    return Loc(shown, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def read_build_file(data: bytes, shown: str, app: AppBuild, report: Report) -> None:
    """Read a build.gradle or build.gradle.kts into ``app``."""
    text = decode(data, shown, report)
    if text is None:
        return
    app.gradle = True
    code = _without_comments(text)
    found: list[tuple[int, Evidence]] = []
    for pattern in (_COORDINATE, _MAP_NOTATION):
        for match in pattern.finditer(code):
            found.append((match.start(), Evidence(
                "gradle", f"{match['group']}:{match['artifact']}",
                _loc(shown, text, match.start()), exact_version(match["version"]))))
    for match in _PLUGIN_ID.finditer(code):
        found.append((match.start(), Evidence("plugin", match["id"],
                                              _loc(shown, text, match.start()))))
    for match in _CATALOG_REF.finditer(code):
        alias = match["alias"]
        if not alias.startswith(("plugins.", "versions.", "bundles.")):
            app.catalog_refs.append((catalog_alias(alias), _loc(shown, text, match.start())))
    for match in _PLUGIN_ALIAS.finditer(code):
        app.catalog_refs.append(("plugins." + catalog_alias(match["alias"]),
                                 _loc(shown, text, match.start())))
    app.evidence.extend(evidence for _, evidence in sorted(found, key=lambda f: f[0]))


def read_catalog(data: bytes, shown: str, app: AppBuild, report: Report) -> None:
    """Read a version catalog (``[libraries]`` and ``[plugins]``) into ``app``."""
    text = decode(data, shown, report)
    if text is None:
        return
    try:
        catalog = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        cannot_read(report, shown, ReadProblem(str(exc), f"TOML 格式错误：{exc}", line))
        return
    app.gradle = True
    lines = text.splitlines()
    for table, prefix in (("libraries", ""), ("plugins", "plugins.")):
        entries = catalog.get(table)
        if not isinstance(entries, dict):
            continue
        for alias, spec in entries.items():
            value = _library(spec) if table == "libraries" else _plugin(spec)
            if value is None:
                report.error(Loc(shown, _line_of(lines, alias)), Problem(
                    f"{shown}: cannot tell which {table[:-1]} `{alias}` is",
                    f"{shown}：无法识别 `{alias}` 是哪个{'依赖库' if table == 'libraries' else '插件'}"))
                continue
            kind = "gradle" if table == "libraries" else "plugin"
            app.catalog[prefix + catalog_alias(alias)] = Evidence(
                kind, value, Loc(shown, _line_of(lines, alias), 1),
                _catalog_version(spec, catalog.get("versions")))


def _library(spec) -> str | None:
    if isinstance(spec, str):
        parts = spec.split(":")
        return f"{parts[0]}:{parts[1]}" if len(parts) >= 2 else None
    if isinstance(spec, dict):
        if isinstance(spec.get("module"), str) and ":" in spec["module"]:
            return spec["module"]
        if isinstance(spec.get("group"), str) and isinstance(spec.get("name"), str):
            return f"{spec['group']}:{spec['name']}"
    return None


def exact_version(text: str | None) -> str:
    """A version as the build pins it (``6.8.0``); '' for none, a variable (``$v``,
    ``${v}``), a range (``1.+``, ``[1.0,2.0)``) or a label (``latest.release``), which name
    no single version."""
    if not text or not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._\-]*", text) \
            or not re.search(r"\d", text):     # latest.release, a property name
        return ""
    return text


def _catalog_version(spec, versions) -> str:
    """The version of a catalog entry: ``g:a:v``, ``version = "v"``, ``version.ref`` into
    ``[versions]``, or a rich version's ``strictly`` / ``require``."""
    if isinstance(spec, str):
        parts = spec.split(":")
        return exact_version(parts[2]) if len(parts) >= 3 else ""
    if not isinstance(spec, dict):
        return ""
    version = spec.get("version")
    if isinstance(version, dict):
        ref = version.get("ref")
        if isinstance(ref, str) and isinstance(versions, dict):
            version = versions.get(ref)
        if isinstance(version, dict):
            version = version.get("strictly") or version.get("require")
    return exact_version(version) if isinstance(version, str) else ""


def _plugin(spec) -> str | None:
    if isinstance(spec, str):
        return spec.split(":")[0]
    if isinstance(spec, dict) and isinstance(spec.get("id"), str):
        return spec["id"]
    return None


def _line_of(lines: list[str], alias: str) -> int:
    pattern = re.compile(r"\s*[\"']?" + re.escape(alias) + r"[\"']?\s*=")
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), 0)
