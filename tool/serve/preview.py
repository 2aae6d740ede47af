"""The builds behind the live preview: a private output folder, the last good build and
what the latest build reported.

:class:`Preview` runs :func:`policyc.build.build` in this process, so the modules,
compiled templates and parsed sources stay loaded between rebuilds. HTML and Markdown
(with the lists, changes and archive pages) are rebuilt on every change; PDFs only when
one is asked for (:meth:`Preview.pdf`), so a text edit never waits for WeasyPrint. A
build that fails writes nothing, so the folder keeps the last good build while
:attr:`Preview.state` lists what is wrong.
"""
from __future__ import annotations

import json
import os
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..build import ARTIFACT_STEM, build
from ..diagnostics import Diagnostic, Loc, PolicyError, Report, Severity, display_path
from ..files import read_file
from ..write import MANIFEST

FAST_FORMATS = ["html", "md"]
EXCERPT_LINES = 2          # source lines shown before an error's line


@dataclass(frozen=True)
class Served:
    """One file the preview serves: where it is on disk and what the manifest says."""

    path: Path
    format: str
    locale: str
    sha256: str


@dataclass(frozen=True)
class State:
    """What the pages are told: the build they should show and what is wrong now.

    ``generation`` names the last good build ('' before there is one); it changes only
    when a build changes an artifact, and a page whose own file kept its digest stays
    as it is.
    """

    generation: str = ""         # (warnings: every finding that is not an error)
    digests: dict[str, str] = field(default_factory=dict)   # URL path → digest of its file
    errors: tuple[Diagnostic, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    building: bool = False
    seconds: float = 0.0

    def as_json(self) -> str:
        """The state as the pages' script reads it: ASCII JSON, so no character of a
        message (U+2028, a lone CR) can end a line of the event that carries it."""
        return json.dumps({"generation": self.generation, "digests": self.digests,
                           "errors": [_diagnostic_json(d, excerpt=True) for d in self.errors],
                           "warnings": [_diagnostic_json(d) for d in self.warnings],
                           "building": self.building, "ms": round(self.seconds * 1000)})


@dataclass
class Site:
    """The last good build: the files it serves by URL path, and the manifest's facts."""

    files: dict[str, Served] = field(default_factory=dict)
    policy: dict = field(default_factory=dict)

    def digests(self) -> dict[str, str]:
        """Each served file's digest (shortened), by URL path without the leading '/'."""
        return {path: served.sha256[:16] for path, served in self.files.items()}


class Preview:
    """The sources in ``src`` built into ``work`` (a private folder) on demand."""

    def __init__(self, src: Path, work: Path, allow_missing: bool = False):
        self.src = Path(src)
        self.work = Path(work)
        self.allow_missing = allow_missing
        self.site_dir = self.work / "site"
        self.pdf_dir = self.work / "pdf"
        self.site = Site()
        self.state = State()
        self.changed = threading.Condition()      # notified on every new state
        self.version = 0                          # counts the states published
        self._builds = 0
        self._artifacts: tuple = ()
        self._instance = f"{os.getpid():x}{time.time_ns() % 0xFFFFFF:x}"
        self._woken = False
        self._pdf_lock = threading.Lock()
        self._pdf_files: dict[str, Path] = {}

    @property
    def root(self) -> Path:
        """The source folder (holding policy.yaml)."""
        return self.src.parent if self.src.is_file() else self.src

    def rebuild(self) -> State:
        """Build HTML and Markdown; publish the new state and return it."""
        self._publish(building=True)
        start = time.perf_counter()
        report = Report()
        try:
            result = build(self.src, self.site_dir, FAST_FORMATS, report,
                           allow_missing=self.allow_missing)
        except PolicyError as exc:
            report = exc.report
            result = None
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the preview
            traceback.print_exc()
            report.error(Loc(display_path(self.root)),
                         f"internal error (a bug in policyc): {type(exc).__name__}: {exc}")
            result = None
        if result is not None:
            artifacts = tuple((artifact.path, artifact.sha256) for artifact in result.artifacts)
            if artifacts != self._artifacts:
                self._artifacts = artifacts
                self.site = self._read_site()
                self._builds += 1
        generation = f"{self._instance}-{self._builds}" if self._builds else ""
        diagnostics = report.sorted()
        return self._publish(
            generation=generation, building=False, digests=self.site.digests(),
            seconds=time.perf_counter() - start,
            errors=tuple(d for d in diagnostics if d.severity is Severity.ERROR),
            warnings=tuple(d for d in diagnostics if d.severity is not Severity.ERROR))

    def pdf_paths(self) -> list[str]:
        """The URL paths of the PDFs the current build would have, one per HTML edition."""
        pdfs = [path[:-len(".html")] + ".pdf" for path, served in self.site.files.items()
                if served.format in ("html", "archived-html")
                and path.endswith(f"/{ARTIFACT_STEM}.html")]
        return sorted(pdfs)

    def pdf(self, path: str) -> Path | None:
        """The PDF at URL path ``path``, built now from the current sources if needed;
        when they are broken, the PDF of the last sources that built (None if none)."""
        if path not in self.pdf_paths():
            return None
        with self._pdf_lock:
            report = Report()
            try:
                result = build(self.src, self.pdf_dir, ["pdf"], report,
                               allow_missing=self.allow_missing)
                self._pdf_files = {artifact.path: self.pdf_dir / artifact.path
                                   for artifact in result.artifacts
                                   if artifact.path.endswith(".pdf")}
            except PolicyError:
                pass  # the state already shows the errors; keep the last good PDFs
            except Exception:  # noqa: BLE001 - a bug must not stop the preview
                traceback.print_exc()
            return self._pdf_files.get(path)

    def snapshot(self) -> tuple[int, State]:
        """The newest state and its version number."""
        with self.changed:
            return self.version, self.state

    def wait(self, version: int, timeout: float) -> tuple[int, State]:
        """The first state newer than ``version``, or the current one after ``timeout``
        (or after :meth:`wake`)."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != version or self._woken, timeout)
            return self.version, self.state

    def wake(self) -> None:
        """Release every :meth:`wait` (the server is stopping)."""
        with self.changed:
            self._woken = True
            self.changed.notify_all()

    def _publish(self, **changes) -> State:
        with self.changed:
            self.state = replace(self.state, **changes)
            self.version += 1
            self.changed.notify_all()
            return self.state

    def _read_site(self) -> Site:
        manifest = json.loads((self.site_dir / MANIFEST).read_text(encoding="utf-8"))
        files = {artifact["path"]: Served(self.site_dir / artifact["path"], artifact["format"],
                                          artifact["locale"], artifact["sha256"])
                 for artifact in manifest["artifacts"]}
        return Site(files, manifest.get("policy", {}))


def _diagnostic_json(diagnostic: Diagnostic, excerpt: bool = False) -> dict:
    """A diagnostic for the overlay; errors carry the source lines they point at."""
    out = {"where": str(diagnostic.loc), "severity": str(diagnostic.severity),
           "message": diagnostic.message, "code": diagnostic.code}
    if excerpt:
        out["excerpt"] = source_excerpt(diagnostic.loc)
        out["col"] = diagnostic.loc.col
    return out


def source_excerpt(loc: Loc) -> list[list]:
    """The line ``loc`` points at and the lines before it, as [number, text] pairs
    (empty when the file cannot be read or the line is not known)."""
    if not loc.line:
        return []
    try:
        lines = read_file(loc.path).decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []
    first = max(1, loc.line - EXCERPT_LINES)
    # a line past the end (an error at the end of the file) is shown empty
    return [[number, lines[number - 1] if number <= len(lines) else ""]
            for number in range(first, loc.line + 1) if number <= len(lines) + 1]
