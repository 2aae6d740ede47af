"""Write stage: artifacts land atomically, and the manifest lists what was built.

Each file is written to a temporary file in the same folder, flushed and renamed over
the old one, so readers see either the previous artifact or the new one, never half
of one. Files in the output folder that policyc did not write are left alone.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

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
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True


def manifest_bytes(artifacts: list[Artifact], policy: dict) -> bytes:
    """The manifest: the policy's version and dates, and every artifact with its checksum."""
    data = {
        "generator": "policyc",
        "policy": policy,
        "artifacts": [a.__dict__ for a in sorted(artifacts, key=lambda a: a.path)],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_manifest(out_dir: Path) -> dict | None:
    """The manifest of an output folder, or None when there is none (or it is unreadable)."""
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
