"""Write stage: artifacts land atomically, and the manifest lists what was built.

Each file is written to a temporary file in the same folder, flushed and renamed over
the old one, so readers see either the previous artifact or the new one, never half
of one. A build's files are all staged before the first rename, and the manifest is
renamed last: a build that cannot write one file replaces none. Files in the output
folder that policyc did not write are left alone.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Loc, PolicyError, Report, display_path

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Artifact:
    """One built file, as listed in the manifest."""

    path: str          # relative to the output folder, with '/'
    format: str
    locale: str
    bytes: int
    sha256: str

    @classmethod
    def of(cls, out_dir: Path, path: Path, fmt: str, locale: str, data: bytes) -> "Artifact":
        return cls(path.relative_to(out_dir).as_posix(), fmt, locale, len(data),
                   hashlib.sha256(data).hexdigest())


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; returns False (and writes nothing) when unchanged."""
    return bool(write_files({path: data}))


def write_files(files: dict[Path, bytes]) -> list[Path]:
    """Write several files as one step; returns the paths whose bytes changed.

    Every changed file is first written in full to a temporary file next to it; only
    when all are staged are they renamed over the old files, in the given order (put
    the manifest last). If staging or a rename fails, or the build is interrupted, the
    files already renamed get their previous bytes back and no temporary file is left.
    A file that cannot be written is reported as a :class:`PolicyError` at its path.
    """
    staged: list[tuple[Path, str, bytes | None]] = []   # path, temporary file, old bytes
    replaced: list[tuple[Path, bytes | None]] = []
    current: Path | None = None
    try:
        for current, data in files.items():
            previous = _read(current)
            if previous != data:
                staged.append((current, _stage(current, data), previous))
        for current, tmp, previous in staged:
            os.replace(tmp, current)
            replaced.append((current, previous))
    except BaseException as exc:
        _restore(replaced)
        if not isinstance(exc, OSError):
            raise
        report = Report()
        shown = display_path(current) if current is not None else "."
        report.error(Loc(shown, 1, 1), f"cannot write the file: {exc.strerror or exc}")
        raise PolicyError(report) from exc
    finally:
        for _, tmp, _ in staged:
            if os.path.lexists(tmp):
                os.unlink(tmp)
    return [path for path, _, _ in staged]


def _restore(replaced: list[tuple[Path, bytes | None]]) -> None:
    """Put back what the files renamed so far held (best effort: the original error wins)."""
    for path, previous in reversed(replaced):
        try:
            if previous is None:
                path.unlink()
            else:
                tmp = _stage(path, previous)
                try:
                    os.replace(tmp, path)
                except OSError:
                    os.unlink(tmp)
                    raise
        except OSError:
            pass


def _read(path: Path) -> bytes | None:
    """What ``path`` holds now (to compare, and to put back on failure); None if nothing."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None  # any other reason it cannot be read stops the write, reported


def _stage(path: Path, data: bytes) -> str:
    """A flushed temporary file holding ``data``, in the folder of ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def manifest_bytes(artifacts: list[Artifact], policy: dict) -> bytes:
    """The manifest: the policy's version and dates, and every artifact with its checksum."""
    data = {
        "generator": "policyc",
        "policy": policy,
        "artifacts": [a.__dict__ for a in sorted(artifacts, key=lambda a: a.path)],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

