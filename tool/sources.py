"""One source file in, its typed model out: load (YAML) then validate (schema).

A file that reads without a single diagnostic is kept, as its model, in the user's
cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``, then ``policyc/sources/``), as
Python keeps compiled modules: the next run that reads the same bytes under the same
displayed path, with the same policyc code, takes the model from there instead of
parsing YAML (which it then does not even import). A file with any problem is parsed
every time, so its diagnostics are always reported. Anything wrong with the cache (no
folder, a damaged entry) only means parsing again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, TypeVar

from .diagnostics import Report, display_path
from .usercache import code_digest, user_cache_dir

T = TypeVar("T")
KEEP_ENTRIES = 512        # the cache is pruned back to this many files, oldest first
MAX_CACHED_BYTES = 1024 * 1024   # larger files are parsed every time


def read_source(path: Path, model: type[T], what: str,
                report: Report) -> tuple[str, T | None, bool]:
    """The path as shown to users, the model of type ``model`` read from ``path`` and
    whether it validated.

    Problems are added to ``report`` (``what`` names the file's role in messages). The
    model is None when the file cannot be parsed; when it does not validate, it is what
    could be read (its other problems are still worth reporting).
    """
    shown = display_path(path)
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_CACHED_BYTES else None
    except OSError:
        data = None
    folder = user_cache_dir("sources") if data is not None else None
    key = None if folder is None else _key(data, shown, model, what)
    cached = None if key is None else _fetch(folder / key)
    if cached is not None:
        return shown, cached, True

    from .load import load_bytes, load_path
    from .validate import Reader

    before = len(report.diagnostics)
    # the bytes the key was made from, or (too big, unreadable) the loader's own reading
    node = load_bytes(data, shown, report) if data is not None else load_path(path, shown, report)
    if node is None:
        return shown, None, False
    reader = Reader(shown, report)
    value = reader.read(model, node, what)
    if value is not None and not reader.failed and len(report.diagnostics) == before:
        _store(folder, key, value)
    return shown, value, not reader.failed


def _key(data: bytes, shown: str, model: type, what: str) -> str:
    digest = hashlib.sha256(f"{code_digest()}\0{model.__qualname__}\0{what}\0{shown}\0"
                            .encode("utf-8"))
    digest.update(data)
    return digest.hexdigest()


def _fetch(entry: Path) -> Any:
    try:
        with open(entry, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # none yet, or a damaged one: parse again (and store it anew)
        return None


def _store(folder: Path | None, key: str | None, value: Any) -> None:
    if folder is None or key is None:  # no cache folder
        return
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    try:
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, folder / key)
        _prune(folder)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        tmp.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Remove the oldest entries beyond :data:`KEEP_ENTRIES`."""
    entries = [entry for entry in os.scandir(folder) if not entry.name.startswith(".")]
    if len(entries) <= KEEP_ENTRIES:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[:len(entries) - KEEP_ENTRIES]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass
