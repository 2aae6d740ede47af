"""The one reader of every file policyc reads: sources, catalogs, archived editions and
templates.

A file is read only when it is a regular file (not a FIFO, a device or a folder), lies
inside its root once symlinks are resolved, and holds at most a given number of bytes,
counted while reading (``st_size`` of ``/dev/zero`` or a growing file says nothing).
Opening never blocks: a FIFO is refused, not waited on.
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

MAX_FILE_BYTES = 4 * 1024 * 1024


class FileProblem(OSError):
    """Why a file cannot be read, worded for the user (``str(problem)``)."""


def inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path`` (symlinks resolved) lies inside ``root``."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def open_file(path: Path | str, root: Path | str | None = None,
              limit: int = MAX_FILE_BYTES) -> BinaryIO:
    """``path`` opened for reading in binary, once it is known to be a regular file inside
    ``root`` of at most ``limit`` bytes by its size (for a reader that seeks, such as a zip
    archive's; :func:`read_file` also counts while reading). Raises :class:`FileProblem`."""
    fd = _open_regular(path, root)
    try:
        size = os.fstat(fd).st_size
    except OSError as exc:
        os.close(fd)
        raise FileProblem(exc.errno, f"cannot read file: {exc.strerror}") from None
    if size > limit:
        os.close(fd)
        raise FileProblem(errno.EFBIG, f"file is larger than {_size(limit)}")
    return os.fdopen(fd, "rb")


def read_file(path: Path | str, root: Path | str | None = None,
              limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``; raises :class:`FileProblem` saying why it cannot be read."""
    fd = _open_regular(path, root)
    try:
        if os.fstat(fd).st_size > limit:   # refused unread; a growing file is counted below
            raise FileProblem(errno.EFBIG, f"file is larger than {_size(limit)}")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise FileProblem(errno.EFBIG, f"file is larger than {_size(limit)}")
    except FileProblem:
        raise
    except OSError as exc:
        raise FileProblem(exc.errno, f"cannot read file: {exc.strerror}") from None
    finally:
        os.close(fd)


def _open_regular(path: Path | str, root: Path | str | None) -> int:
    """A descriptor of ``path`` opened without blocking, once it is known to be a regular
    file inside ``root``."""
    if root is not None and not inside(path, root):
        raise FileProblem(errno.EACCES, "points outside its folder (a symlink or '..' "
                                        "leaving it)")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileProblem(errno.ENOENT, "file not found") from None
    except IsADirectoryError:
        raise FileProblem(errno.EISDIR, "is a directory, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise FileProblem(exc.errno, "file name too long for the file system") from None
        raise FileProblem(exc.errno, f"cannot read file: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise FileProblem(errno.EISDIR, "is a directory, not a file")
        if not stat.S_ISREG(mode):
            raise FileProblem(errno.EINVAL, "is not a regular file (a FIFO, socket or device)")
    except OSError as exc:
        os.close(fd)
        if isinstance(exc, FileProblem):
            raise
        raise FileProblem(exc.errno, f"cannot read file: {exc.strerror}") from None
    return fd


def _size(limit: int) -> str:
    return f"{limit // 1048576} MiB" if limit % 1048576 == 0 else f"{limit:,} bytes"


def walk(folder: Path | str, boundary: Path | str | None = None
         ) -> Iterator[tuple[str, list[str], list[str]]]:
    """:func:`os.walk` of ``folder`` (top, sorted folder names, sorted file names) that
    follows a symlinked folder only when its target lies inside ``boundary`` (default:
    ``folder``; e.g. the project holding it), and reaches each real folder once (a link
    such as ``assets -> /`` is listed, never entered). The caller may prune the folder
    names it is given, as with :func:`os.walk`."""
    root = os.path.realpath(folder if boundary is None else boundary)
    seen: set[str] = set()
    for top, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen or not Path(real).is_relative_to(root):
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        files.sort()
        yield top, dirs, files
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(top, d))
                   or inside(os.path.join(top, d), root)]
