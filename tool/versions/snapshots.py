"""Snapshots: a policy's sources as they were at some version.

A snapshot is read from a source folder, or from a git revision of one — the files
are taken with ``git archive`` into a temporary folder, so the work tree, the index
and HEAD are never touched. The recorded history of a policy is

* the ``archive/`` folder next to its source folder: one subfolder per past edition,
  each a complete source folder (``archive/1.0/policy.yaml``); and
* the git tags of the repository that hold the source folder.

When both record the same version, the archive folder wins: it is what the editors
filed on purpose, and it stays available in a copy of the sources without git history.
"""
from __future__ import annotations

import io
import os
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..diagnostics import Diagnostic, Loc, PolicyError, Report, Severity, display_path
from ..project import POLICY_FILE, Project, load_project

ARCHIVE_DIR = "archive"
GIT_TIMEOUT = 60


class SnapshotError(Exception):
    """An edition cannot be found: neither a source folder nor a git revision of one."""


@dataclass
class Snapshot:
    """A loaded edition and where it came from."""

    project: Project
    source: str                                  # as shown: a folder, v1.0, archive/1.0
    relabel: Callable[[Loc], Loc] = field(default=lambda loc: loc)

    @property
    def version(self) -> str:
        policy = self.project.policy  # without a version, an edition is named by its date
        return str(policy.version or policy.last_updated)

    @property
    def effective(self) -> str:
        policy = self.project.policy
        return str(policy.effective or policy.last_updated)

    def order(self) -> tuple:
        """Sort key: effective date, then version number."""
        return (self.effective, version_key(self.version))


def version_key(version: str) -> tuple:
    """1.10 after 1.9: numbers compare as numbers, other parts as text."""
    return tuple((0, len(part.lstrip("0")), part.lstrip("0")) if part.isdigit() else (1, 0, part)
                 for part in re.findall(r"\d+|[^\d.\-]+", version))


def load_snapshot(spec: str, default_src: Path | str = "policy_src",
                 report: Report | None = None) -> Snapshot:
    """The edition ``spec`` names: a source folder (or its policy.yaml), ``REV`` (the
    source folder ``default_src`` at that git revision) or ``REV:PATH``.

    Raises SnapshotError when ``spec`` names neither, PolicyError when its sources are
    invalid.
    """
    report = report if report is not None else Report()
    if Path(spec).exists():
        return Snapshot(load_project(spec, report), display_path(spec))
    rev, _, path = spec.partition(":")
    folder = Path(path or default_src)
    if folder.name == "policy.yaml":   # REV:policy_src/policy.yaml names its folder
        folder = folder.parent
    repo = git_toplevel(folder if folder.exists() else Path.cwd())
    if repo is None or not rev or not _is_revision(repo, rev):
        raise SnapshotError(f"'{spec}' is neither a source folder nor a git revision")
    return from_git(repo, rev, _repo_path(repo, folder), report)


def from_git(repo: Path, rev: str, rel: str, report: Report) -> Snapshot:
    """The source folder ``rel`` (relative to the repository) at revision ``rev``."""
    shown = f"{rev}:{rel}"
    archive = _git(repo, "archive", "--format=tar", rev, "--", rel)
    if archive is None:
        raise SnapshotError(f"'{rel}' does not exist at git revision {rev}")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="policyc-edition-") as tmp:
        _extract(archive, Path(tmp))
        root = Path(tmp) / rel
        prefix = display_path(root)

        def relabel(loc: Loc) -> Loc:
            if loc.path.startswith(prefix):
                return loc._replace(path=shown + loc.path[len(prefix):].replace(os.sep, "/"))
            return loc

        inner = Report()
        try:
            project = load_project(root, inner)
        finally:
            report.extend(_relabelled(inner.diagnostics, relabel, (tmp, shown)))
    return Snapshot(project, rev, relabel)


def _extract(archive: bytes, dest: Path) -> None:
    """Unpack the regular files and folders of a tar archive, none outside ``dest``."""
    import tarfile   # only git snapshots are archives (6 ms of every check otherwise)

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            target = dest / member.name
            if not (member.isfile() or member.isdir()) or \
                    not os.path.realpath(target).startswith(os.path.realpath(dest) + os.sep):
                continue
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            target.write_bytes(source.read() if source else b"")


_RECORDED: "weakref.WeakKeyDictionary[Project, tuple[list[Snapshot], list[Diagnostic]]]" = \
    weakref.WeakKeyDictionary()


def recorded_snapshots(project: Project, report: Report) -> list[Snapshot]:
    """The recorded editions of ``project``, oldest first, one per version.

    Editions that cannot be read are skipped with a warning: an old edition written for
    an older source format must not stop today's build.
    """
    if project not in _RECORDED:  # the check and the build's pages both ask: read once
        found = Report()
        by_version: dict[str, Snapshot] = {}
        for edition in _tagged(project, found) + _archived(project, found):
            by_version[edition.version] = edition      # archive folder last: it wins
        _RECORDED[project] = (sorted(by_version.values(), key=Snapshot.order),
                              found.diagnostics)
    snapshots, diagnostics = _RECORDED[project]
    report.extend(diagnostics)
    return list(snapshots)


def previous_snapshot(project: Project, editions: list[Snapshot]) -> Snapshot | None:
    """The newest recorded edition with a version other than the current one."""
    current = str(project.policy.version or project.policy.last_updated)
    older = [e for e in editions if e.version != current]
    return older[-1] if older else None


def _archived(project: Project, report: Report) -> list[Snapshot]:
    folder = project.root.parent / ARCHIVE_DIR
    out = []
    if folder.is_dir():
        for entry in sorted(folder.iterdir()):
            if (entry / POLICY_FILE).is_file():
                edition = _quietly(lambda r, e=entry: Snapshot(load_project(e, r),
                                                              display_path(e)), report)
                if edition is not None:
                    out.append(edition)
    return out


def _tagged(project: Project, report: Report) -> list[Snapshot]:
    # the tags first: most repositories have none, and then git runs once
    listing = _git(project.root, "for-each-ref", "--sort=creatordate",
                   "--format=%(refname:short)", "refs/tags")
    tags = (listing or b"").decode("utf-8", "replace").split()
    repo = git_toplevel(project.root) if tags else None
    if repo is None:
        return []
    rel = _repo_path(repo, project.root)
    out = []
    for tag in tags:
        if _git(repo, "cat-file", "-e", f"{tag}:{rel}/{POLICY_FILE}") is None:
            continue
        edition = _quietly(lambda r, t=tag: from_git(repo, t, rel, r), report)
        if edition is not None:
            out.append(edition)
    return out


def _quietly(load: Callable[[Report], Snapshot], report: Report) -> Snapshot | None:
    """Load a recorded edition; its errors become warnings and it is skipped."""
    inner = Report()
    try:
        return load(inner)
    except (PolicyError, SnapshotError) as exc:
        found = inner.errors or [Diagnostic(Loc(""), Severity.ERROR, str(exc))]
        for diagnostic in found:
            report.warning(diagnostic.loc, "recorded edition skipped: " + diagnostic.message)
        return None


def _relabelled(diagnostics: list[Diagnostic], relabel: Callable[[Loc], Loc],
                temporary: tuple[str, str] | None = None):
    """The diagnostics at their shown places; ``temporary`` (folder, shown name): a
    temporary folder named in a message is shown as the revision it holds."""
    for diagnostic in diagnostics:
        message = diagnostic.message
        if temporary is not None:
            rev = temporary[1].split(":")[0] + ":"
            for folder in (display_path(temporary[0]), temporary[0]):
                message = message.replace(folder + os.sep, rev).replace(folder, rev)
        yield Diagnostic(relabel(diagnostic.loc), diagnostic.severity, message, diagnostic.code)


# ----------------------------------------------------------------------------- git


def git_toplevel(path: Path) -> Path | None:
    """The work tree of the git repository holding ``path``, or None."""
    start = path if path.is_dir() else path.parent
    out = _git(start, "rev-parse", "--show-toplevel")
    return Path(out.decode().strip()) if out else None


def _is_revision(repo: Path, rev: str) -> bool:
    return not rev.startswith("-") and \
        _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}") is not None


def _repo_path(repo: Path, folder: Path) -> str:
    """``folder`` relative to the repository, with '/'."""
    return Path(os.path.relpath(os.path.realpath(folder), os.path.realpath(repo))).as_posix()


def _git(cwd: Path, *args: str) -> bytes | None:
    """The output of a read-only git command, or None when it fails or git is missing."""
    import subprocess

    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True,
                              timeout=GIT_TIMEOUT, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
