"""One source file in, its typed model out: load (YAML) then validate (schema).

A file that reads without a single diagnostic is kept, as its model, in the user's
cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``, then ``policyc/sources/``), as
Python keeps compiled modules: the next run that reads the same bytes under the same
displayed path, with the same policyc code, takes the model from there instead of
parsing YAML (which it then does not even import). A file with any problem is parsed
every time, so its diagnostics are always reported. Entries are sealed (see
:mod:`policyc.usercache`): one whose seal does not verify is never unpickled, and the
unpickler builds only policyc's own model classes and plain values. Anything wrong with
the cache (no folder, a damaged or foreign entry) only means parsing again.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Any, TypeVar

from .diagnostics import Loc, Report, display_path
from .files import FileProblem, read_file
from .usercache import code_digest, read_sealed, user_cache_dir, write_sealed

T = TypeVar("T")
KEEP_ENTRIES = 512        # the cache is pruned back to this many files, oldest first,
                          # once it holds a quarter more (pruning reads every file's age)
MAX_CACHED_BYTES = 1024 * 1024   # larger files are parsed every time


def read_source(path: Path, model: type[T], what: str, report: Report,
                root: Path | None = None) -> tuple[str, T | None, bool]:
    """The path as shown to users, the model of type ``model`` read from ``path`` and
    whether it validated.

    The file is read through :func:`policyc.files.read_file` and must lie inside ``root``
    (default: its own folder). Problems are added to ``report`` (``what`` names the file's
    role in messages). The model is None when the file cannot be parsed; when it does not
    validate, it is what could be read (its other problems are still worth reporting).
    """
    shown = display_path(path)
    try:
        data = read_file(path, path.parent if root is None else root)
    except FileProblem as problem:
        report.error(Loc(shown, 1, 1), problem.strerror)
        return shown, None, False
    folder = user_cache_dir("sources") if len(data) <= MAX_CACHED_BYTES else None
    key = None if folder is None else _key(data, shown, model, what)
    cached = None if key is None else _fetch(folder, key)
    if cached is not None:
        return shown, cached, True

    from .load import load_bytes
    from .validate import Reader

    before = len(report.diagnostics)
    node = load_bytes(data, shown, report)
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


class _ModelUnpickler(pickle.Unpickler):
    """Builds policyc's classes and plain values only (a second wall behind the seal)."""

    PLAIN = {("builtins", "set"), ("builtins", "frozenset"), ("datetime", "date"),
             ("copyreg", "_reconstructor"), ("builtins", "object")}

    def find_class(self, module: str, name: str):
        if (module, name) in self.PLAIN or (module.startswith("policyc.")
                                             and not name.startswith("_")):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a source model")


def _fetch(folder: Path, key: str) -> Any:
    data = read_sealed(folder, key, 16 * MAX_CACHED_BYTES)
    if data is None:
        return None
    try:
        return _ModelUnpickler(io.BytesIO(data)).load()
    except Exception:  # a policyc version whose classes differ: parse again
        return None


def _store(folder: Path | None, key: str | None, value: Any) -> None:
    if folder is None or key is None:  # no cache folder
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    write_sealed(folder, key, data)
    _prune(folder)


def _prune(folder: Path) -> None:
    """Remove the oldest entries beyond :data:`KEEP_ENTRIES` once there are a quarter more
    (so that a run storing many files does not read every entry's age for each). Other
    builds (a batch's workers) prune the same folder at the same time: an entry gone
    meanwhile is skipped."""
    try:
        names = [entry.name for entry in os.scandir(folder) if not entry.name.startswith(".")]
    except OSError:
        return
    if len(names) <= KEEP_ENTRIES + KEEP_ENTRIES // 4:
        return
    ages = {}
    for name in names:
        try:
            ages[name] = os.stat(folder / name, follow_symlinks=False).st_mtime_ns
        except OSError:
            continue   # removed by another build since the folder was listed
    for name in sorted(ages, key=ages.get)[:len(ages) - KEEP_ENTRIES]:
        try:
            os.unlink(folder / name)
        except OSError:
            pass
