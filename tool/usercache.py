"""What policyc keeps between runs: the user's cache folder, and the digest of policyc's
own code that every kept result is keyed by."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from . import __version__

PACKAGE_DIR = Path(__file__).resolve().parent


def user_cache_dir(name: str) -> Path | None:
    """``policyc/<name>`` in ``$XDG_CACHE_HOME`` (default ``~/.cache``), created; None when
    it cannot be (a read-only home): callers then work without a cache."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "policyc" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


@lru_cache(maxsize=1)
def code_digest() -> str:
    """policyc's version and a digest of the size and mtime of each of its modules (as
    Python decides whether a compiled module is stale, without reading them)."""
    digest = hashlib.sha256()
    for module in sorted(PACKAGE_DIR.rglob("*.py")):
        stat = module.stat()
        digest.update(f"{module.relative_to(PACKAGE_DIR).as_posix()}\0{stat.st_size}\0"
                      f"{stat.st_mtime_ns}\n".encode("utf-8"))
    return f"{__version__}:{digest.hexdigest()}"
