"""Watching the sources: every change to what a build reads starts a rebuild.

The folders watched are the ones a build reads: the source folder (policy.yaml, the
sections, ``translations/``), and next to it the project's ``templates/`` and
``archive/`` when they exist. Changes are gathered for a few milliseconds (an editor's
save may touch several files) and then built once.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Callable

from .preview import Preview, State

STEP_MS = 10          # a change is built once no other came for this long
DEBOUNCE_MS = 400     # at most this long is gathered while changes keep coming
RESCAN_MS = 1000      # how often to look for a templates/ or archive/ folder made meanwhile


def watched_folders(root: Path) -> list[Path]:
    """The folders whose files a build of the sources in ``root`` reads."""
    candidates = [root, root.parent / "templates", root.parent / "archive"]
    return [folder for folder in candidates if folder.is_dir()]


def watch(preview: Preview, on_build: Callable[[State, set[str]], None] | None = None,
          stop: threading.Event | None = None,
          first_build: Callable[[], None] | None = None) -> None:
    """Rebuild ``preview`` after every change until ``stop`` is set (or Ctrl-C); call
    ``on_build`` with each new state and the changed paths.

    The folders are watched before ``first_build`` runs, so an edit saved while it builds
    (or right after) is seen. A ``templates/`` or ``archive/`` folder made while watching
    is watched from then on, and so is a source folder replaced by another (removed and
    copied again, ``import --force``), within a second."""
    from watchfiles import Change

    root = preview.root.absolute()
    watch_filter = _Filter(preview.work.resolve())
    pending: set[str] = set()    # changed paths to build once the folders are watched again
    while stop is None or not stop.is_set():
        folders = watched_folders(root)
        identity = _identity(folders)
        watcher = _watcher(folders)
        if first_build is not None:
            first_build()
            first_build = None
        elif pending and folders:
            _rebuild(preview, on_build, pending)
            pending = set()
        if watcher is None:   # nothing to watch (the source folder is being replaced)
            if stop is not None:
                stop.wait(RESCAN_MS / 1000)
            else:
                time.sleep(RESCAN_MS / 1000)
            pending = pending or {str(root)}
            continue
        with watcher:
            while stop is None or not stop.is_set():
                raw = watcher.watch(DEBOUNCE_MS, STEP_MS, RESCAN_MS, stop)
                if raw == "signal":
                    raise KeyboardInterrupt
                if raw == "stop":
                    return
                changes = set() if raw == "timeout" else \
                    {path for change, path in raw if watch_filter(Change(change), path)}
                # a watched folder removed (and perhaps made again, even with its inode
                # number) or a new one to watch: watch the folders as they are now
                if changes & {str(folder) for folder in folders} or \
                        _identity(watched_folders(root)) != identity:
                    pending = changes or {str(root)}
                    break  # then build
                if changes:
                    _rebuild(preview, on_build, changes)


def _watcher(folders: list[Path]):
    """A watcher of ``folders``, watching from now on; None when there is none to watch.
    (watchfiles.watch makes its watcher only once its generator is first asked for
    changes: too late for an edit saved during the first build.)"""
    from watchfiles._rust_notify import RustNotify

    if not folders:
        return None
    try:
        return RustNotify([str(f) for f in folders], False, False, 300, True, False)
    except (OSError, RuntimeError):   # a folder went away while the watcher was made
        return None


def _rebuild(preview: Preview, on_build, changes: set[str]) -> None:
    state = preview.rebuild()
    if on_build is not None:
        on_build(state, changes)


def _identity(folders: list[Path]) -> list[tuple[str, int, int]]:
    """Which folders these are: a folder removed and made again is another one."""
    out = []
    for folder in folders:
        try:
            info = os.stat(folder)
        except OSError:
            continue
        out.append((str(folder), info.st_dev, info.st_ino))
    return out


class _Filter:
    """watchfiles' usual filter (editor swap files, .git, caches), and never the
    preview's own output folder."""

    def __init__(self, skip: Path):
        import watchfiles

        self._default = watchfiles.DefaultFilter()
        self._skip = skip

    def __call__(self, change, path: str) -> bool:
        return self._default(change, path) and not Path(path).is_relative_to(self._skip)
