"""Watching the sources: every change to what a build reads starts a rebuild.

The folders watched are the ones a build reads: the source folder (policy.yaml, the
sections, ``translations/``), and next to it the project's ``templates/`` and
``archive/`` when they exist. Changes are gathered for a few milliseconds (an editor's
save may touch several files) and then built once.
"""
from __future__ import annotations

import threading
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
          stop: threading.Event | None = None) -> None:
    """Rebuild ``preview`` after every change until ``stop`` is set (or Ctrl-C); call
    ``on_build`` with each new state and the changed paths. A ``templates/`` or
    ``archive/`` folder made while watching is watched from then on (within a second)."""
    import watchfiles

    root = preview.root.resolve()
    watch_filter = _Filter(preview.work.resolve())
    while stop is None or not stop.is_set():
        folders = watched_folders(root)
        for changes in watchfiles.watch(*folders, debounce=DEBOUNCE_MS, step=STEP_MS,
                                        stop_event=stop, rust_timeout=RESCAN_MS,
                                        yield_on_timeout=True, watch_filter=watch_filter):
            if watched_folders(root) != folders:
                changes = changes or {(None, str(folder)) for folder in
                                      set(watched_folders(root)) - set(folders)}
            if changes:
                state = preview.rebuild()
                if on_build is not None:
                    on_build(state, {path for _, path in changes})
            if watched_folders(root) != folders:
                break  # watch the new folders too


class _Filter:
    """watchfiles' usual filter (editor swap files, .git, caches), and never the
    preview's own output folder."""

    def __init__(self, skip: Path):
        import watchfiles

        self._default = watchfiles.DefaultFilter()
        self._skip = skip

    def __call__(self, change, path: str) -> bool:
        return self._default(change, path) and not Path(path).is_relative_to(self._skip)
