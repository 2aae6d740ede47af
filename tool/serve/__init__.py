"""The live preview (``policyc serve``): build, serve, watch, rebuild, tell the pages.

:mod:`.preview` runs the builds into a private folder and keeps the last good one,
:mod:`.server` serves it over HTTP with a script that reloads the pages and shows the
errors, :mod:`.watch` rebuilds on every change. :func:`serve` puts them together.
"""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Callable

from .preview import Preview, State
from .server import PreviewServer
from .watch import watch


def serve(src: Path, host: str, port: int, allow_missing: bool = False,
          on_ready: Callable[[str, State], None] | None = None,
          on_build: Callable[[State, set[str]], None] | None = None,
          stop: threading.Event | None = None) -> None:
    """Serve a live preview of the sources in ``src`` at ``host``:``port`` until ``stop``
    is set or Ctrl-C (KeyboardInterrupt, raised to the caller).

    The socket is bound first (an ``OSError`` when it cannot be), then the sources are
    built and ``on_ready`` gets the URL and the first state; ``on_build`` gets each
    later state and the paths whose change caused it. The private output folder
    (:func:`work_parent`) is removed on return.
    """
    with tempfile.TemporaryDirectory(prefix="policyc-serve-", dir=work_parent()) as work:
        preview = Preview(Path(src), Path(work), allow_missing)
        server = PreviewServer((host, port), preview)
        def first_build() -> None:   # once the sources are watched
            state = preview.rebuild()
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                             name="policyc-serve", daemon=True).start()
            if on_ready is not None:
                on_ready(server.url, state)

        try:
            watch(preview, on_build, stop, first_build)
        finally:
            server.close()


def work_parent() -> str | None:
    """Where the private output folder goes: ``$TMPDIR`` when set, else memory
    (``/dev/shm``) when the system offers it, so writes that the build makes durable
    cost nothing; else the system's temporary folder."""
    if os.environ.get("TMPDIR"):
        return None
    memory = "/dev/shm"
    return memory if os.path.isdir(memory) and os.access(memory, os.W_OK | os.X_OK) else None
