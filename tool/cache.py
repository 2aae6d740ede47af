"""Incremental builds: an artifact is rendered again only when something it depends on changed.

Each artifact's cache key is a digest of everything its bytes are a function of:

* the resolved document of its locale (so every source file, every translation and
  every build option that reaches the document is covered, and nothing else is),
* the template files of its format (``templates/pdf/print.css`` affects only the PDF),
* the format and the output path,
* policyc's version and the digest of its own code (:func:`policyc.usercache.code_digest`),
* for the PDF: the versions of WeasyPrint and pydyf, and the installed fonts (the
  fontconfig font list with each file's size and mtime).

The keys and the checksum of what was written are kept outside the output folder (which
holds only what is published), in the user's cache folder, one sealed JSON entry per
output folder (``policyc/builds/<digest of its absolute path>.json``, see
:mod:`policyc.usercache`). The entry is untrusted data: one that is damaged, of the wrong
shape or not sealed by this user's key is ignored. A cached artifact is reused only when its key matches and the file on
disk still has the recorded checksum; anything else renders it again, so a stale or
edited artifact never survives a build. Computing a key never imports WeasyPrint.

A whole build has a key too, computed before any source is parsed (:func:`inputs_digest`):
every file of the source folder (translations included), of the ``archive/`` folder and
of the template folders in effect, the git tags the history is read from, the build
options, the working and output folders, policyc's code and, when PDFs are built, the
PDF toolchain. When it equals the key of the last successful build and every file that
build listed still has its checksum, the build is up to date: :meth:`BuildCache.replay`
returns its artifacts and its warnings, and nothing is loaded, rendered or written.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.util
import json
import os
import subprocess
from collections.abc import Callable
from enum import Enum
from functools import lru_cache
from typing import Any
from pathlib import Path

from .diagnostics import Diagnostic, Evidence, Loc, Severity
from .files import inside, read_file, walk
from .usercache import code_digest, read_sealed, user_cache_dir, write_sealed

LEGACY_CACHE_FILE = ".policyc-cache.json"   # where older versions kept the state: removed
CACHE_FORMAT = 4
MAX_STATE_BYTES = 64 * 1024 * 1024
MAX_ARTIFACT_BYTES = 1024 * 1024 * 1024
PDF_LIBRARIES = ("weasyprint", "pydyf")


class Uncacheable(TypeError):
    """A document holds a value whose content cannot be digested; render it every time."""


def _canonical(value, out: list[str]) -> None:
    """Append a stable text form of ``value`` (dataclasses, containers, plain values)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(f"{type(value).__qualname__}(")
        for field in dataclasses.fields(value):
            out.append(f"{field.name}=")
            _canonical(getattr(value, field.name), out)
            out.append(",")
        out.append(")")
    elif isinstance(value, (list, tuple)):
        out.append(f"{type(value).__name__}[")
        for item in value:
            _canonical(item, out)
            out.append(",")
        out.append("]")
    elif isinstance(value, (set, frozenset)):
        _canonical(sorted(value, key=repr), out)
    elif isinstance(value, dict):
        out.append("{")
        for key in sorted(value, key=repr):
            out.append(f"{key!r}:")
            _canonical(value[key], out)
            out.append(",")
        out.append("}")
    elif isinstance(value, (str, int, float, bool, type(None), dt.date, Enum)):
        out.append(f"{type(value).__name__}:{value!r}")
    else:
        raise Uncacheable(f"cannot digest a {type(value).__name__}")


def document_digest(document) -> str | None:
    """A digest of a resolved document's whole content; None when it holds a value that
    cannot be digested (its artifacts are then rendered every time)."""
    out: list[str] = []
    try:
        _canonical(document, out)
    except Uncacheable:
        return None
    return hashlib.sha256("".join(out).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def pdf_toolchain() -> str:
    """Versions of the PDF libraries and the installed fonts, without importing them."""
    return f"{library_versions(PDF_LIBRARIES)};fonts:{fonts_digest()}"


@lru_cache(maxsize=1)
def docx_toolchain() -> str:
    """The python-docx (its package template) and lxml versions the Word files come from."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("python-docx", "lxml"):
        try:
            found.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}==absent")
    return ",".join(found)


def library_versions(names: tuple[str, ...]) -> str:
    """``name==version`` of installed distributions, read from their metadata folders."""
    found = []
    for name in names:
        spec = importlib.util.find_spec(name)
        version = "absent"
        if spec is not None and spec.origin:
            site = Path(spec.origin).parent.parent
            infos = sorted(site.glob(f"{name}-*.dist-info"))
            version = infos[-1].name[len(name) + 1:-len(".dist-info")] if infos else "unknown"
        found.append(f"{name}=={version}")
    return ",".join(found)


def fonts_digest() -> str:
    """A digest of every font fontconfig offers: file, size and mtime (a new, removed or
    updated font can change how the PDF is laid out)."""
    import shutil  # PDF builds only

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return "no-fontconfig"
    listing = subprocess.run([fc_list, "--format", "%{file}\n"], capture_output=True,
                             text=True, check=False).stdout
    digest = hashlib.sha256()
    for name in sorted(set(listing.split("\n")) - {""}):
        try:
            stat = os.stat(name)
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{name}\0missing\n".encode())
    return digest.hexdigest()


def folder_digest(folder: Path, skip: Path | None = None, boundary: Path | None = None) -> str:
    """A digest of every file (name, bytes) and symlink (name, target) under ``folder``,
    symlinked folders inside ``boundary`` (default ``folder``; the project holding it)
    followed (their files are read as the build reads them), each real folder once, the
    subtree ``skip`` left out; a link leaving ``boundary`` digests by its target's name,
    never entered or read; folders
    that do not exist digest as absent. Files that are not regular (FIFOs, devices)
    digest by name and kind, never read."""
    digest = hashlib.sha256()
    if not folder.is_dir():
        return "absent"
    skip_real = os.path.realpath(skip) if skip is not None else None
    boundary = folder if boundary is None else boundary
    for top, dirs, files in walk(folder, boundary):
        dirs[:] = [d for d in dirs if os.path.realpath(os.path.join(top, d)) != skip_real]
        for name in files + [d for d in dirs if os.path.islink(os.path.join(top, d))]:
            path = os.path.join(top, name)
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                digest.update(f"link\0{rel}\0{os.readlink(path)}\n".encode("utf-8", "replace"))
                if not inside(path, boundary):
                    continue
            if os.path.isfile(path):
                _add_file(digest, f"file\0{rel}", path)
            elif not os.path.isdir(path) and os.path.lexists(path):
                digest.update(f"special\0{rel}\n".encode("utf-8", "replace"))
    return digest.hexdigest()


def git_tags_state(folder: Path) -> str:
    """Every tag of the repository holding ``folder`` with the object it points at (the
    recorded editions read from git); "no-git" outside a repository. (Which repository
    that is follows from ``folder``, part of the build's key.)"""
    try:
        run = subprocess.run(["git", "for-each-ref", "--format=%(objectname) %(refname)",
                              "refs/tags"], cwd=folder, capture_output=True, timeout=60,
                             env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except (OSError, subprocess.TimeoutExpired):
        return "no-git"
    if run.returncode != 0:
        return "no-git"
    return hashlib.sha256(run.stdout).hexdigest()


def inputs_digest(src: Path, out_dir: Path, options: dict) -> str | None:
    """The key of a whole build of ``src`` into ``out_dir`` with ``options`` (formats,
    locales, allow_missing), computed without reading the sources as YAML; None when
    ``src`` is no source folder (the build then reports why)."""
    from .render import default_templates_dir

    src = Path(src)
    root = src.parent if src.is_file() else src
    if not root.is_dir():
        return None
    root = root.resolve()
    out = Path(out_dir).resolve()
    parts = [f"src:{src.resolve()}", f"out:{out}", f"cwd:{os.getcwd()}",
             f"options:{json.dumps(options, sort_keys=True)}",
             f"policyc:{code_digest()}", f"sources:{folder_digest(root, skip=out)}",
             f"archive:{folder_digest(root.parent / 'archive', out, root.parent)}",
             f"templates:{folder_digest(root.parent / 'templates', out, root.parent)}",
             f"shipped:{folder_digest(default_templates_dir())}",
             f"git:{git_tags_state(root)}"]
    if "pdf" in options.get("formats", ()):
        parts.append(f"pdf:{pdf_toolchain()}")
    if "docx" in options.get("formats", ()):
        parts.append(f"docx:{docx_toolchain()}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def read_paths_digest(paths: list[str]) -> str:
    """A digest of files and folders a build read outside the folders of
    :func:`inputs_digest` (the app's build, see :func:`policyc.app.match.read_paths`): each
    path's kind, and the name and bytes of every file under it that the app readers read."""
    from .app import build_files

    digest = hashlib.sha256()
    for name in paths:
        path = Path(name)
        if path.is_dir():
            kind, files = "folder", build_files(path)
        else:
            kind, files = ("file", [path]) if path.is_file() else ("absent", [])
        digest.update(f"{kind}\0{name}\n".encode("utf-8", "replace"))
        for file in files:
            _add_file(digest, str(file), file)
    return digest.hexdigest()


def _add_file(digest, label: str, path: str | Path) -> None:
    """``label``, then the size and bytes of the file at ``path`` (or why it cannot be
    read) into ``digest``."""
    try:
        data = read_file(path, limit=MAX_ARTIFACT_BYTES)
    except OSError as exc:
        data = f"unreadable:{exc}".encode("utf-8", "replace")
    digest.update(f"{label}\0{len(data)}\0".encode("utf-8", "replace"))
    digest.update(data)


def artifact_key(document: str | None, fmt: str, templates,
                 template_folders: tuple[str, ...] | None, rel_path: str) -> str | None:
    """The cache key of one artifact of the document whose :func:`document_digest` is
    ``document``; None when that is None."""
    if document is None:
        return None
    parts = [f"format:{fmt}", f"path:{rel_path}", f"document:{document}",
             f"templates:{templates.digest(template_folders)}",
             f"policyc:{code_digest()}"]
    if fmt == "pdf":
        parts.append(f"pdf:{pdf_toolchain()}")
    if fmt == "docx":
        parts.append(f"docx:{docx_toolchain()}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


class BuildCache:
    """The cache state of one output folder: each artifact's key and checksum."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.folder = user_cache_dir("builds")
        self.name = hashlib.sha256(os.fsencode(os.path.realpath(self.out_dir))).hexdigest() + ".json"
        self.entries: dict[str, dict[str, str]] = {}
        self.last_build: dict = {}
        self.reused: list[str] = []
        data = None if self.folder is None else read_sealed(self.folder, self.name,
                                                             MAX_STATE_BYTES)
        try:
            state = json.loads(data) if data is not None else {}
        except (ValueError, RecursionError):
            state = {}
        if isinstance(state, dict) and state.get("format") == CACHE_FORMAT:
            artifacts = state.get("artifacts")
            if isinstance(artifacts, dict):
                self.entries = {path: entry for path, entry in artifacts.items()
                                if isinstance(entry, dict)
                                and isinstance(entry.get("key"), str)
                                and isinstance(entry.get("sha256"), str)}
            if isinstance(state.get("last_build"), dict):
                self.last_build = state["last_build"]
        self._saved = (dict(self.entries), dict(self.last_build))

    def _read(self, rel_path: str) -> bytes:
        """An artifact's bytes as on disk (a regular file inside the output folder)."""
        return read_file(self.out_dir / rel_path, self.out_dir, MAX_ARTIFACT_BYTES)

    def replay(self, inputs: str | None, manifest: str) -> tuple[list[dict], list[Diagnostic]] | None:
        """The artifacts (as listed in the manifest) and the diagnostics of the last
        successful build when it had the key ``inputs`` and the manifest and every artifact
        it lists still have their recorded checksums; else None."""
        last = self.last_build
        if inputs is None or last.get("inputs") != inputs:
            return None
        try:
            read = last.get("read", [])
            if read and read_paths_digest(read) != last.get("read_sha256"):
                return None   # the app's build changed
            data = self._read(manifest)
            if hashlib.sha256(data).hexdigest() != last.get("manifest_sha256"):
                return None
            listed = {artifact["path"]: artifact for artifact in json.loads(data)["artifacts"]}
            artifacts = [listed[path] for path in last["order"]]
            for artifact in artifacts:
                if hashlib.sha256(self._read(artifact["path"])).hexdigest() != artifact["sha256"]:
                    return None
            diagnostics = [recorded_diagnostic(d) for d in last["diagnostics"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None   # anything unexpected in the recorded state: build normally
        return artifacts, diagnostics

    def record_build(self, inputs: str | None, manifest: bytes, order: list[str],
                     diagnostics: list[Diagnostic], read: tuple[list[str], str] = ([], "")
                     ) -> None:
        """Remember a successful build: its key, its manifest, the order in which it
        produced its artifacts, what it reported, and ``read``: the paths it read outside
        the folders of ``inputs`` with their :func:`read_paths_digest` (taken before
        reading them)."""
        if inputs is None:
            self.last_build = {}
            return
        self.last_build = {
            "inputs": inputs, "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
            "read": read[0], "read_sha256": read[1], "order": order,
            "diagnostics": [{"loc": list(d.loc), "severity": int(d.severity),
                             "message": d.message, "code": d.code,
                             "evidence": [[e.file, e.line, e.text] for e in d.evidence],
                             "searched": list(d.searched)} for d in diagnostics]}

    def fetch(self, rel_path: str, key: str | None) -> bytes | None:
        """The artifact's bytes on disk if they were built from ``key`` and are intact."""
        entry = self.entries.get(rel_path)
        if key is None or entry is None or entry.get("key") != key:
            return None
        try:
            data = self._read(rel_path)
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            return None
        self.reused.append(rel_path)
        return data

    def store(self, rel_path: str, key: str | None, data: bytes) -> None:
        """Remember that ``data`` is the artifact built from ``key``."""
        if key is None:
            self.entries.pop(rel_path, None)
        else:
            self.entries[rel_path] = {"key": key, "sha256": hashlib.sha256(data).hexdigest()}

    def save(self) -> None:
        """Keep the new state (after the build's files are written), when it changed."""
        if self.folder is None or (self.entries, self.last_build) == self._saved:
            return
        state = {"format": CACHE_FORMAT, "artifacts": dict(sorted(self.entries.items())),
                 "last_build": self.last_build}
        # one line: json's C encoder, several times faster than its indenting one
        write_sealed(self.folder, self.name,
                     (json.dumps(state, separators=(",", ":")) + "\n").encode("utf-8"))


def recorded_diagnostic(recorded: dict) -> Diagnostic:
    """A diagnostic as :meth:`BuildCache.record_build` wrote it, with its evidence; the
    state is untrusted: a value of the wrong type raises TypeError (ValueError for an
    unknown severity)."""
    path, line, col = checked(recorded["loc"], list)
    evidence = []
    for item in checked(recorded["evidence"], list):
        file, number, text = checked(item, list)
        evidence.append(Evidence(*strings(file), *counts(number), *strings(text)))
    return Diagnostic(Loc(*strings(path), *counts(line, col)), Severity(recorded["severity"]),
                      *strings(recorded["message"], recorded["code"]), tuple(evidence),
                      tuple(strings(*checked(recorded["searched"], list))))


def checked(value: object, kind: type) -> Any:
    """``value`` when it is a ``kind`` (never a bool for int), else TypeError."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{kind.__name__} expected")
    return value


def strings(*values: object) -> list[str]:
    return [checked(value, str) for value in values]


def counts(*values: object) -> list[int]:
    """Line and column numbers: non-negative ints."""
    if any(checked(value, int) < 0 for value in values):
        raise TypeError("negative count")
    return list(values)


def render_cached(cache: BuildCache | None, rel_path: str, key: str | None,
                  render: Callable[[], bytes]) -> bytes:
    """The artifact at ``rel_path``: reused from the output folder when ``key`` matches,
    else rendered by ``render`` and remembered."""
    if cache is None:
        return render()
    data = cache.fetch(rel_path, key)
    if data is None:
        data = render()
        cache.store(rel_path, key, data)
    return data
