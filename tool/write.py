"""Write stage: artifacts land atomically, and the manifest lists what was built.

Each file is written to a temporary file in the same folder, flushed and renamed over
the old one, so readers see either the previous artifact or the new one, never half
of one. A build's files are all staged before the first rename, and the manifest is
renamed last: a build that cannot write one file replaces none. Files in the output
folder that policyc did not write are left alone.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
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
    made: list[Path] = []                               # folders this write created
    temps: list[str] = []                               # every temporary file made
    current: Path | None = None
    try:
        for current, data in files.items():
            remove_stale(current)
            made += _make_parents(current.parent)
            previous = _read(current)
            if previous != data:
                staged.append((current, _stage(current, data, temps), previous))
        for current, tmp, previous in staged:
            with _signals_held():   # a rename and its record are one step
                os.replace(tmp, current)
                replaced.append((current, previous))
    except BaseException as exc:
        _restore(replaced)
        _cleanup(temps)
        for folder in reversed(made):   # a failed build leaves no new empty folders
            try:
                folder.rmdir()
            except OSError:
                pass
        if not isinstance(exc, OSError):
            raise
        report = Report()
        shown = display_path(current) if current is not None else "."
        report.error(Loc(shown, 1, 1), f"cannot write the file: {exc.strerror or exc}")
        raise PolicyError(report) from exc
    finally:
        _cleanup(temps)
    return [path for path, _, _ in staged]


def _cleanup(temps: list[str]) -> None:
    for tmp in temps:
        if os.path.lexists(tmp):
            os.unlink(tmp)


HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM} | ({signal.SIGHUP} if hasattr(signal, "SIGHUP")
                                                   else set())


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Delay Ctrl-C, SIGTERM and SIGHUP until the block is done (a file made or renamed
    and recorded, so that an interruption can always undo it)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    # the mask is read before it is changed, and changed inside the try: a signal handled
    # between the two calls can never leave these signals blocked for good
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; the ones created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    for path in missing:
        path.mkdir(exist_ok=True)
    return missing


def remove_stale(path: Path) -> None:
    """Remove the temporary files of ``path`` a killed build left (``.NAME.XXXXXXXX.tmp``,
    as :func:`_stage` names them); builds into one folder never overlap (see
    :func:`output_lock`), so none is in use."""
    stale = re.compile(re.escape(f".{path.name}.") + r"[A-Za-z0-9_]{8}\.tmp")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if stale.fullmatch(name):
            try:
                os.unlink(path.parent / name)
            except OSError:
                pass


def _restore(replaced: list[tuple[Path, bytes | None]]) -> None:
    """Put back what the files renamed so far held (best effort: the original error wins;
    a second signal waits until it is done)."""
    temps: list[str] = []
    with _signals_held():
        for path, previous in reversed(replaced):
            try:
                if previous is None:
                    path.unlink()
                else:
                    os.replace(_stage(path, previous, temps), path)
            except OSError:
                pass
        _cleanup(temps)


def _read(path: Path) -> bytes | None:
    """What ``path`` holds now (to compare, and to put back on failure); None if nothing."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None  # any other reason it cannot be read stops the write, reported


def _stage(path: Path, data: bytes, temps: list[str]) -> str:
    """A flushed temporary file holding ``data``, in the folder of ``path``, recorded in
    ``temps`` as soon as it exists."""
    with _signals_held():
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temps.append(tmp)
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



@contextlib.contextmanager
def output_lock(out_dir: Path, wait_message) -> Iterator[None]:
    """Hold the lock of the output folder ``out_dir`` (two builds into one folder never
    interleave); when another build holds it, ``wait_message()`` is called and the lock
    is waited for. The lock file lives outside the folder (in the user's cache, or the
    temporary folder), named after the folder's resolved path; the kernel releases it
    when the holder dies, even by SIGKILL."""
    import fcntl

    from .usercache import user_cache_dir

    real = os.path.realpath(out_dir)
    name = hashlib.sha256(os.fsencode(real)).hexdigest()[:32] + ".lock"
    folder = user_cache_dir("locks")
    if folder is None:
        folder = Path(tempfile.gettempdir()) / f"policyc-locks-{os.geteuid()}"
        folder.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(folder / name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            wait_message()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP (what CI time-outs and closed terminals send) stop the build the
    way Ctrl-C does, so the output folder is put back as it was."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    wanted = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {sig: signal.signal(sig, interrupt) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
