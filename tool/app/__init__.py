"""Readers of an app's build (Android and iOS), and what policyc checks against it.

Each kind of input has one reader module: :mod:`.manifest` (AndroidManifest.xml, source
or merged), :mod:`.apk` (an APK's binary manifest), :mod:`.aab` (an app bundle's
manifests), :mod:`.gradle` (build.gradle,
build.gradle.kts, version catalogs), :mod:`.podfile` (Podfile, Podfile.lock),
:mod:`.infoplist` (Info.plist) and :mod:`.xcprivacy` (PrivacyInfo.xcprivacy). Each adds
what it finds to one :class:`AppBuild`, every fact with the place it was read, and
reports a file it cannot read as an error instead of raising. A folder is searched for
these files.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..diagnostics import Loc, Report, display_path
from ..files import FileProblem, open_file
from ..files import read_file as read_user_file

MAX_FILE_BYTES = 16 * 1024 * 1024        # text inputs (manifests, Gradle, plists)
MAX_ARCHIVE_BYTES = 4 * 1024 ** 3        # an APK or app bundle (its entries are bounded too)
MAX_FOLDER_ENTRIES = 50_000              # a folder search stops after this many entries
# the files the readers read, as messages name them
BUILD_FILE_NAMES = ("AndroidManifest.xml", "*.apk", "*.aab", "build.gradle(.kts)",
                    "*.versions.toml", "Podfile(.lock)", "Info.plist", "*.xcprivacy")
SKIPPED_FOLDERS = {".git", ".gradle", ".idea", "build", "node_modules", "Pods",
                   "DerivedData", "Carthage", ".svn", "__pycache__"}


class Problem(str):
    """A reader's message, in English, with its Chinese wording in ``zh``."""

    zh: str

    def __new__(cls, en: str, zh: str | None = None):
        obj = super().__new__(cls, en)
        obj.zh = zh if zh is not None else en
        return obj


class ReadProblem(Exception):
    """Why a file cannot be read: the reason in English and Chinese, and the line where
    it shows (0: the whole file)."""

    def __init__(self, en: str, zh: str | None = None, line: int = 0):
        super().__init__(en)
        self.zh = zh if zh is not None else en
        self.line = line


def cannot_read(report: Report, shown: str, problem: ReadProblem) -> None:
    """Report that ``shown`` cannot be read, and why."""
    report.error(Loc(shown, problem.line),
                 Problem(f"cannot read {shown}: {problem}", f"无法读取 {shown}：{problem.zh}"))


@dataclass(frozen=True)
class Requested:
    """An Android permission the app requests (``uses-permission``)."""

    name: str                 # as written, e.g. android.permission.CAMERA
    loc: Loc


@dataclass(frozen=True)
class Evidence:
    """A trace of a third-party SDK in the build."""

    kind: str                 # gradle (group:artifact), package (class), pod, meta, plugin
    value: str
    loc: Loc
    version: str = ""         # the version the build names (Gradle, catalog, lock, APK)


@dataclass(frozen=True)
class UsageDescription:
    """An iOS purpose string: ``NSCameraUsageDescription`` and its sentence."""

    key: str
    text: str
    loc: Loc


@dataclass(frozen=True)
class CollectedType:
    """A data type declared in PrivacyInfo.xcprivacy."""

    type: str
    linked: bool
    tracking: bool
    purposes: tuple[str, ...]
    loc: Loc


@dataclass(frozen=True)
class TrackingDomain:
    domain: str
    loc: Loc


@dataclass
class AppBuild:
    """Everything read from an app's build files."""

    files: list[str] = field(default_factory=list)        # shown paths, in reading order
    android: bool = False      # a manifest or APK was read: requested permissions are known
    ios_pods: bool = False     # a Podfile (or its lock) was read
    gradle: bool = False       # a Gradle build file or an APK was read: dependencies are known
    permissions: list[Requested] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    usage: list[UsageDescription] = field(default_factory=list)
    collected: list[CollectedType] = field(default_factory=list)
    domains: list[TrackingDomain] = field(default_factory=list)
    catalog: dict[str, Evidence] = field(default_factory=dict)    # alias → library
    catalog_refs: list[tuple[str, Loc]] = field(default_factory=list)

    def sdk_evidence(self) -> list[Evidence]:
        """The SDK traces, version-catalog libraries resolved: those a build file uses
        (at the build file's line), or every library when no build file uses any."""
        out = list(self.evidence)
        if self.catalog_refs:
            for alias, loc in self.catalog_refs:
                library = self.catalog.get(alias)
                if library is not None:
                    out.append(replace(library, loc=loc))
        else:
            out.extend(self.catalog.values())
        return out


def reader_for(path: Path):
    """The reader function for a build file, by its name; None for other files."""
    from . import aab, apk, gradle, infoplist, manifest, podfile, xcprivacy

    name = path.name
    if name == "AndroidManifest.xml":
        return manifest.read
    if name.endswith(".apk"):
        return apk.read
    if name.endswith(".aab"):
        return aab.read
    if name in ("build.gradle", "build.gradle.kts"):
        return gradle.read_build_file
    if name.endswith(".versions.toml"):
        return gradle.read_catalog
    if name in ("Podfile", "Podfile.lock"):
        return podfile.read
    if name == "Info.plist":
        return infoplist.read
    if name.endswith(".xcprivacy"):
        return xcprivacy.read
    return None


def build_files(folder: Path) -> list[Path]:
    """The build files in ``folder`` and below, in sorted order; build outputs, caches
    and dependency folders are skipped."""
    found: list[Path] = []
    seen = 0
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
        seen += len(dirs) + len(files)
        if seen > MAX_FOLDER_ENTRIES:
            break
        for name in sorted(files):
            path = Path(root) / name
            if reader_for(path) is not None:
                found.append(path)
    return found


def read_app(paths: list[tuple[Path, Loc | None]], report: Report) -> AppBuild:
    """Read every build file of ``paths`` (files or folders; each with the place that
    names it, for a missing path) into one :class:`AppBuild`; problems go to ``report``."""
    app = AppBuild()
    for path, named_at in paths:
        shown = display_path(path)
        where = named_at or Loc(shown)
        if path.is_dir():
            files = build_files(path)
            if not files:
                report.error(where, Problem(
                    f"{shown}: no app build files found ({', '.join(BUILD_FILE_NAMES)})",
                    f"{shown}：未找到应用构建文件（{'、'.join(BUILD_FILE_NAMES)}）"))
            for file in files:
                read_file(file, app, report, path)
        elif os.path.lexists(path):
            if reader_for(path) is None:
                report.error(where, Problem(
                    f"{shown}: not an app build file policyc reads "
                    f"({', '.join(BUILD_FILE_NAMES)})",
                    f"{shown}：不是 policyc 能读取的应用构建文件（{'、'.join(BUILD_FILE_NAMES)}）"))
            else:
                read_file(path, app, report)
        else:
            report.error(where, Problem(f"app build path not found: {shown}",
                                        f"找不到应用构建路径：{shown}"))
    return app


def read_file(path: Path, app: AppBuild, report: Report, root: Path | None = None) -> None:
    """Read one build file into ``app``; a file that cannot be read (not a regular file,
    a symlink leaving ``root`` (the folder searched; else the file's own folder), too
    large) is an error."""
    shown = display_path(path)
    reader = reader_for(path)
    if shown in app.files or reader is None:
        return
    app.files.append(shown)
    folder = path.parent if root is None else root
    try:
        if path.name.endswith((".apk", ".aab")):   # archives: read entry by entry, bounded
            with open_file(path, folder, MAX_ARCHIVE_BYTES) as stream:
                reader(stream, shown, app, report)
            return
        data = read_user_file(path, folder, MAX_FILE_BYTES)
    except FileProblem as problem:
        cannot_read(report, shown, ReadProblem(str(problem.strerror or problem),
                                               _zh_file_problem(problem)))
        return
    reader(data, shown, app, report)


def _zh_file_problem(problem: FileProblem) -> str:
    return {errno.EFBIG: "文件过大，拒绝读取", errno.EACCES: "指向其文件夹之外（符号链接或 '..'）",
            errno.EINVAL: "不是普通文件（FIFO、套接字或设备）", errno.ENOENT: "找不到文件",
            errno.EISDIR: "是文件夹，不是文件"}.get(problem.errno, str(problem.strerror))


def decode(data: bytes, shown: str, report: Report) -> str | None:
    """Text of a build file (UTF-8, a BOM allowed); an error when it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(Loc(shown), Problem(f"{shown} is not UTF-8 text (byte {exc.start})",
                                         f"{shown} 不是 UTF-8 文本（第 {exc.start} 字节）"))
        return None
