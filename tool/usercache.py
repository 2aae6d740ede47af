"""The user's cache folder, where policyc keeps what it can reuse between runs."""
from __future__ import annotations

import os
from pathlib import Path


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
