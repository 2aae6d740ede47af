"""Joining the outputs of a sharded batch (``policyc merge``).

Each shard's output folder holds some policies' folders and a batch manifest listing
them. Merging checks every listed file against its checksum, copies the policy folders
into one output folder and writes the batch manifest and entry page for all of them, so
the result is what one machine building the whole batch would have written, byte for
byte. Nothing is written when a shard is damaged or two shards disagree.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .batch import MANIFEST_LIMIT, read_manifest, write_batch_root
from .diagnostics import Loc, PolicyError, Report, display_path
from .files import FileProblem, read_file
from .write import MANIFEST, write_files

FILE_LIMIT = 1024 * 1024 * 1024   # bytes of one artifact read back


def merge_outputs(shards: list[Path], out_dir: Path, report: Report) -> list[Path]:
    """Merge the batch outputs ``shards`` into ``out_dir``; returns the files changed.
    Raises PolicyError (with every problem found) when they cannot be merged."""
    files: dict[Path, bytes] = {}
    owner: dict[str, Path] = {}
    names: list[str] = []
    for shard in shards:
        root = read_manifest(shard / MANIFEST)
        if root is None or not isinstance(root.get("policies"), list):
            report.error(Loc(display_path(shard / MANIFEST)),
                         "not the output of a batch build (`policyc build SRC... -o OUT` "
                         "or `--shard K/N`): its manifest.json lists no policies")
            continue
        for policy in root["policies"]:
            name = str(policy.get("name", "")) if isinstance(policy, dict) else ""
            if not _safe_name(name):
                report.error(Loc(display_path(shard / MANIFEST)),
                             f"policy folder name '{name}' is not a plain folder name")
                continue
            _collect_policy(shard, name, files, report)
            if name in owner and not _same_policy(owner[name], shard, name, files):
                report.error(Loc(display_path(shard / name / MANIFEST)),
                             f"policy '{name}' is also in '{display_path(owner[name])}' "
                             "with other content; build each policy in one shard only")
            owner.setdefault(name, shard)
            names.append(name)
    if report.has_errors:
        raise PolicyError(report)
    written = write_files({out_dir / path.relative_to(shard): data
                           for (shard, path), data in _by_destination(files, owner).items()})
    return written + write_batch_root(out_dir, names)


def _collect_policy(shard: Path, name: str, files: dict, report: Report) -> None:
    """Read one policy's manifest and artifacts from a shard, checking each checksum."""
    folder = shard / name
    manifest_path = folder / MANIFEST
    manifest = read_manifest(manifest_path)
    if manifest is None:
        report.error(Loc(display_path(manifest_path)), "missing or not a policyc manifest")
        return
    try:
        files[(shard, manifest_path)] = read_listed_file(manifest_path, shard, MANIFEST_LIMIT)
    except OSError as exc:
        report.error(Loc(display_path(manifest_path)), f"cannot be read: {exc.strerror or exc}")
        return
    for artifact in manifest["artifacts"]:
        rel = str(artifact.get("path", "")) if isinstance(artifact, dict) else ""
        path = folder / rel
        if not rel or rel.startswith("/") or ".." in Path(rel).parts:
            report.error(Loc(display_path(manifest_path)), f"artifact path '{rel}' leaves "
                                                           "the policy's folder")
            continue
        try:
            data = read_listed_file(path, shard)
        except OSError as exc:
            report.error(Loc(display_path(path)), f"listed in the manifest but cannot be read:"
                                                  f" {exc.strerror or exc}")
            continue
        if hashlib.sha256(data).hexdigest() != artifact.get("sha256"):
            report.error(Loc(display_path(path)), "does not match the checksum its manifest "
                                                  "records; build this shard again")
            continue
        files[(shard, path)] = data


def read_listed_file(path: Path, root: Path, limit: int = FILE_LIMIT) -> bytes:
    """A regular file's bytes, bounded; a link, anything but a regular file, or a path
    through a symlinked folder leaving ``root`` is refused."""
    if path.is_symlink():
        raise FileProblem(0, "a symlink, not a regular file")
    return read_file(path, root, limit)


def _same_policy(first: Path, second: Path, name: str, files: dict) -> bool:
    """Whether two shards hold the same bytes for policy ``name``."""
    def content(shard: Path) -> dict:
        return {path.relative_to(shard / name): data for (owner, path), data in files.items()
                if owner == shard and path.is_relative_to(shard / name)}
    return content(first) == content(second)


def _by_destination(files: dict, owner: dict[str, Path]) -> dict:
    """The files to copy: each policy's from the first shard holding it."""
    return {(shard, path): data for (shard, path), data in files.items()
            if owner.get(path.relative_to(shard).parts[0]) == shard}


def _safe_name(name: str) -> bool:
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name \
        and not name.startswith(".")
