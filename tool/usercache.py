"""What policyc keeps between runs, and why none of it is trusted.

Kept results live in the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``, then
``policyc/``). CI systems restore that folder across branches, and anyone who can write
it could otherwise change what policyc publishes, so every entry is sealed: it starts
with an HMAC-SHA256 of its name and content under a key that lives *outside* the cache
folder (``$XDG_STATE_HOME/policyc/cache-key`` or ``~/.local/state/policyc/cache-key``,
32 random bytes, mode 0600, created on first use). An entry is used only when its seal
verifies; an entry that is missing, too large, not a regular file, unreadable or
unsealed is a miss. Without a key (it cannot be created or read) every lookup misses.
Results are keyed by the digest of policyc's own code as well.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import stat
from functools import lru_cache
from pathlib import Path

from . import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
KEY_BYTES = 32
TAG_BYTES = hashlib.sha256().digest_size


def user_cache_dir(name: str) -> Path | None:
    """``policyc/<name>`` in ``$XDG_CACHE_HOME`` (default ``~/.cache``), created; None when
    it cannot be (a read-only home) or no cache key exists: callers then work without a
    cache."""
    if cache_key() is None:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "policyc" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def key_path() -> Path:
    """Where the cache key is kept: the user's state folder, never the cache folder."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                              "state")
    return Path(base) / "policyc" / "cache-key"


@lru_cache(maxsize=4)
def _cache_key(path: str) -> bytes | None:
    target = Path(path)
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not target.exists():
            tmp = target.with_name(f".cache-key.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                os.write(fd, os.urandom(KEY_BYTES))
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(tmp, target)   # fails if another process made one meanwhile
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        try:
            info = os.fstat(fd)
            if (not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077
                    or info.st_uid != os.geteuid()):
                return None   # shared with others: not a secret
            key = os.read(fd, KEY_BYTES + 1)
        finally:
            os.close(fd)
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


def cache_key() -> bytes | None:
    """The key that seals cache entries; None when there is none (caching is then off)."""
    return _cache_key(str(key_path()))


def _tag(key: bytes, name: str, data: bytes) -> bytes:
    return hmac.new(key, name.encode("utf-8") + b"\0" + data, hashlib.sha256).digest()


def seal(name: str, data: bytes) -> bytes | None:
    """``data`` with the seal that ties it to the entry ``name``; None without a key."""
    key = cache_key()
    return None if key is None else _tag(key, name, data) + data


def unseal(name: str, blob: bytes | None) -> bytes | None:
    """The content of the sealed entry ``name``, or None when its seal does not verify."""
    key = cache_key()
    if key is None or blob is None or len(blob) < TAG_BYTES:
        return None
    tag, data = blob[:TAG_BYTES], blob[TAG_BYTES:]
    return data if hmac.compare_digest(tag, _tag(key, name, data)) else None


def read_entry(path: Path, limit: int) -> bytes | None:
    """The bytes of the regular file ``path`` if it holds at most ``limit`` bytes; None for
    anything else (missing, a symlink, a FIFO or device, larger, unreadable). The size is
    counted while reading, never taken from ``st_size``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        return None
    except OSError:
        return None
    finally:
        os.close(fd)


def read_sealed(folder: Path, name: str, limit: int) -> bytes | None:
    """The verified content of entry ``name`` of ``folder`` (see :func:`read_entry`)."""
    return unseal(f"{folder.name}/{name}", read_entry(folder / name, limit + TAG_BYTES))


def write_sealed(folder: Path, name: str, data: bytes) -> None:
    """Store ``data`` as the sealed entry ``name`` of ``folder``, atomically; failures
    (a read-only or full disk) only cost the next run time."""
    blob = seal(f"{folder.name}/{name}", data)
    if blob is None:
        return
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        try:
            view = memoryview(blob)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, folder / name)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


@lru_cache(maxsize=1)
def code_digest() -> str:
    """policyc's version and a digest of the size and mtime of each of its modules and
    message catalogs (as Python decides whether a compiled module is stale, without
    reading them)."""
    digest = hashlib.sha256()
    for module in sorted([*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.po")]):
        info = module.stat()
        digest.update(f"{module.relative_to(PACKAGE_DIR).as_posix()}\0{info.st_size}\0"
                      f"{info.st_mtime_ns}\n".encode("utf-8"))
    return f"{__version__}:{digest.hexdigest()}"
