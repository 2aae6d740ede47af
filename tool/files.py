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
from pathlib import Path

MAX_FILE_BYTES = 4 * 1024 * 1024


class FileProblem(OSError):
    """Why a file cannot be read, worded for the user (``str(problem)``)."""


def inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path`` (symlinks resolved) lies inside ``root``."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def read_file(path: Path | str, root: Path | str | None = None,
              limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``; raises :class:`FileProblem` saying why it cannot be read."""
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


def _size(limit: int) -> str:
    return f"{limit // 1048576} MiB" if limit % 1048576 == 0 else f"{limit:,} bytes"
