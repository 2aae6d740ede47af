"""The whole pipeline: load → validate → resolve → render → write.

:func:`build` is what ``policyc build`` runs. Every format is rendered in memory first;
only when all succeed are the artifacts and the manifest written, so a failing build
leaves the previous ``build/`` as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Loc, PolicyError, Report, display_path
from .document import Document
from .project import POLICY_FILE, Project, load_project
from .render import FORMATS, Templates, renderer
from .resolve import resolve
from .write import MANIFEST, Artifact, manifest_bytes, write_atomic

ARTIFACT_STEM = "privacy-policy"


@dataclass
class BuildResult:
    """What a build produced."""

    out_dir: Path
    artifacts: list[Artifact] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)     # files whose bytes changed


def artifact_path(out_dir: Path, locale: str, fmt: str) -> Path:
    """Where the artifact of one locale and format goes."""
    return out_dir / locale / f"{ARTIFACT_STEM}.{renderer_extension(fmt)}"


def renderer_extension(fmt: str) -> str:
    return {"html": "html", "md": "md", "pdf": "pdf"}.get(fmt, fmt)


def render_all(document: Document, formats: list[str], templates: Templates,
               report: Report, where: Loc) -> dict[str, bytes]:
    """Render ``document`` in every format; failures are reported at ``where``."""
    out: dict[str, bytes] = {}
    for fmt in formats:
        try:
            out[fmt] = renderer(fmt).render(document, templates)
        except Exception as exc:  # a renderer's own error class, or a template error
            if type(exc).__name__ not in ("RenderError", "TemplateError", "TemplateSyntaxError",
                                          "UndefinedError", "TemplateNotFound"):
                raise
            report.error(where, f"cannot build the {fmt.upper()} edition: {exc}")
    return out


def build(src: Path | str = "policy_src", out_dir: Path | str = "build",
          formats: list[str] | None = None, report: Report | None = None) -> BuildResult:
    """Compile the policy in ``src`` into ``out_dir``; raises PolicyError on any error."""
    report = report if report is not None else Report()
    formats = list(dict.fromkeys(formats or FORMATS))
    out_dir = Path(out_dir)
    project: Project = load_project(src, report)
    document = resolve(project, report)
    templates = Templates(project.templates_dir)
    where = Loc(display_path(project.root / POLICY_FILE))
    rendered = render_all(document, formats, templates, report, where)
    if report.has_errors:
        raise PolicyError(report)

    result = BuildResult(out_dir)
    for fmt, data in rendered.items():
        path = artifact_path(out_dir, document.locale, fmt)
        if write_atomic(path, data):
            result.written.append(path)
        result.artifacts.append(Artifact.of(out_dir, path, fmt, document.locale, data))
    policy = {"title": document.title, "version": document.version,
              "last_updated": document.last_updated.isoformat(),
              "effective": document.effective.isoformat(), "locales": [document.locale]}
    if write_atomic(out_dir / MANIFEST, manifest_bytes(result.artifacts, policy)):
        result.written.append(out_dir / MANIFEST)
    return result
