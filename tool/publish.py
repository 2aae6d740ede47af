"""Publishing a build (``policyc publish``): the files its manifest lists, and nothing else.

A CI job uploads a folder to a web host (GitHub Pages, GitLab Pages). The output folder
may hold more than the build wrote — files of an earlier build, or what other tools put
there — so the folder uploaded is made anew from the manifest: the manifest itself, the
manifests of a batch's policies, and every artifact, each checked against its checksum.
"""
from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from .batch import read_manifest
from .diagnostics import Loc, PolicyError, Report, display_path
from .merge import read_listed_file
from .write import MANIFEST, write_files


def listed_files(out_dir: Path, report: Report) -> dict[str, str | None]:
    """The files the manifest of ``out_dir`` lists, relative to it, with the checksum it
    records for each (None for the manifests themselves); problems go to ``report``."""
    where = Loc(display_path(out_dir / MANIFEST))
    manifest = read_manifest(out_dir / MANIFEST)
    if manifest is None:
        report.error(where, "missing or not a policyc manifest; build into this folder first "
                            "(`policyc build SRC -o OUT`)")
        return {}
    listed: dict[str, str | None] = {MANIFEST: None}
    policies = manifest.get("policies")
    for policy in policies if isinstance(policies, list) else ():
        listed[str(policy.get("manifest", "")) if isinstance(policy, dict) else ""] = None
    for artifact in manifest["artifacts"]:
        entry = artifact if isinstance(artifact, dict) else {}
        listed[str(entry.get("path", ""))] = str(entry.get("sha256", ""))
    for path in [p for p in listed if not _inside(p)]:
        report.error(where, f"listed path '{path}' leaves the output folder")
        del listed[path]
    return listed


def _inside(path: str) -> bool:
    """Whether a listed path names a file inside the folder (relative, no '..')."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and "\\" not in path and \
        ".." not in parts and "." not in parts


def publish(out_dir: Path, dest: Path, report: Report) -> list[str]:
    """Copy the files the manifest of ``out_dir`` lists into ``dest`` (absent or empty);
    returns their paths. Raises PolicyError, writing nothing, when a file is missing, is
    not a regular file, or does not match its checksum."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        report.error(Loc(display_path(dest)), "exists and is not empty; publish into a new "
                                               "folder, so it holds the build and nothing else")
        raise PolicyError(report)
    files: dict[Path, bytes] = {}
    root = out_dir.resolve()
    for rel, checksum in listed_files(out_dir, report).items():
        source = out_dir / rel
        try:
            if not source.resolve().is_relative_to(root):   # through a linked folder
                raise OSError(0, "it lies outside the output folder")
            data = read_listed_file(source, root)
        except OSError as exc:
            report.error(Loc(display_path(source)), "listed in the manifest but cannot be "
                                                    f"read: {exc.strerror or exc}")
            continue
        if checksum is not None and hashlib.sha256(data).hexdigest() != checksum:
            report.error(Loc(display_path(source)), "does not match the checksum its manifest "
                                                    "records; build again")
            continue
        files[dest / rel] = data
    if report.has_errors:
        raise PolicyError(report)
    write_files(files)
    return sorted(path.relative_to(dest).as_posix() for path in files)
