"""What ``build`` adds for versions: the changes page and the archive of editions.

For each locale built:

* ``<locale>/changes.html`` and ``changes.md``: the current version against the
  previous recorded one, changes grouped by material-change category, with redlines
  (or a page saying this is the first version); with ``docx`` among the formats, also
  ``changes.docx``, the edition with each change as a Word tracked change;
* ``<locale>/archive.html`` and ``archive.md``: every version, newest first, with its
  effective and last-updated dates;
* ``archive/<version>/<locale>/privacy-policy.<ext>``: each edition in each format
  built, the current one included, so every version keeps a permanent address.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..cache import BuildCache, artifact_key, document_digest
from ..diagnostics import PolicyError, Report, display_path
from ..document import Document
from ..locales import locale_style
from ..project import Project
from ..render import ARTIFACT_STEM, Templates, artifact_path, render_artifact, renderer
from ..render.html import render_page
from ..render.markdown import escape_md
from ..resolve import resolve
from .changes import Change, describe, reason_text
from .compare import Comparison, compare
from .material import categories_of
from .messages import messages
from .redline import redline_html, redline_markdown
from .snapshots import Snapshot, previous_snapshot, recorded_snapshots

PAGE_FORMATS = {"html": ("changes/changes.html.j2", "archive/index.html.j2"),
                "md": ("changes/changes.md.j2", "archive/index.md.j2")}
STYLESHEETS = ["html/style.css", "changes/changes.css"]
ADDED, REMOVED = ("added", "added_collects"), ("removed",)


@dataclass(frozen=True)
class ExtraArtifact:
    """A file ``build`` writes besides the editions: a path in the output folder, the
    format named in the manifest, the locale and the bytes."""

    path: str
    format: str
    locale: str
    data: bytes


@dataclass
class ChangeView:
    summary: str
    mark: str                    # added, removed or changed
    html: Markup | None          # redline
    markdown: str | None
    links: list[tuple[str, str]] # link targets changed under the same words, old → new
    reason: str = ""             # why it is material: its class and the words


@dataclass
class GroupView:
    title: str
    material: bool
    changes: list[ChangeView]


@dataclass
class VersionView:
    version: str
    effective: str
    last_updated: str
    folder: str                  # archive/<folder>/<locale>/
    current: bool
    order: tuple                 # effective date, then version number


def version_folder(version: str) -> str:
    """A version as a folder name: letters, digits, '.', '-' and '_' only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", version).strip(".-") or "unversioned"


def version_artifacts(project: Project, documents: list[Document],
                      rendered: dict[str, dict[str, bytes]], templates: Templates,
                      report: Report, cache: BuildCache | None = None,
                      pool=None) -> list[ExtraArtifact]:
    """The changes pages, archive index pages and archived editions of every document.

    ``rendered`` maps each document's locale to its artifacts by format. Recorded
    editions that cannot be read or rendered are skipped with a warning; with a
    ``cache``, an archived edition whose inputs are unchanged is not rendered again; with
    a ``pool`` (:class:`~policyc.render.pool.PdfPool`), archived PDFs are rendered by its
    workers, and their ``data`` is pending until taken.
    """
    recorded = recorded_snapshots(project, report)
    current = Snapshot(project, display_path(project.root))
    previous = previous_snapshot(project, recorded)
    comparison = compare(previous, current, Report()) if previous else None
    past = [s for s in recorded if s.version != current.version]
    if not _folders_distinct([*past, current], current, report):
        return []
    out: list[ExtraArtifact] = []
    for document in documents:
        locale, formats = document.locale, rendered[document.locale]
        out += _archived(past, current, document, formats, templates, report, cache, pool)
        versions = [_version_view(s, locale, s is current) for s in [*past, current]]
        versions.sort(key=lambda v: v.order, reverse=True)
        for fmt, (changes_template, index_template) in PAGE_FORMATS.items():
            if fmt not in formats:
                continue
            out.append(ExtraArtifact(f"{locale}/changes.{fmt}", f"changes.{fmt}", locale,
                                     _changes_page(fmt, changes_template, document, comparison,
                                                   templates)))
            out.append(ExtraArtifact(f"{locale}/archive.{fmt}", f"archive.{fmt}", locale,
                                     _index_page(fmt, index_template, document, versions,
                                                 templates)))
        if "docx" in formats and comparison is not None:
            redline = _changes_docx(comparison, locale, report)
            if redline is not None:
                out.append(ExtraArtifact(f"{locale}/changes.docx", "changes.docx", locale,
                                         redline))
    return out


def _changes_docx(comparison: Comparison, locale: str, report: Report) -> bytes | None:
    """The edition in ``locale`` with every change since the previous version as a Word
    tracked change (what ``policyc diff --format docx`` writes); None when the previous
    version has no such edition, or (with a warning) when it cannot be resolved in it."""
    from .redline_docx import UndeclaredLocaleError, redline_docx

    try:
        return redline_docx(comparison, locale)
    except UndeclaredLocaleError:
        return None   # nothing to mark up against
    except PolicyError as exc:
        for diagnostic in exc.report.errors:
            report.warning(diagnostic.loc, f"{locale}/changes.docx not written: "
                                           f"{diagnostic.message}")
        return None


MAX_VERSION_FOLDER = 200   # characters of archive/<version>/ (file systems allow 255 bytes)


def _folders_distinct(snapshots: list[Snapshot], current: Snapshot, report: Report) -> bool:
    """Report versions whose archive folders would be the same (``1.0`` and ``1.0!``) or
    too long a name; True when there is none."""
    seen: dict[str, Snapshot] = {}
    ok = True
    for snapshot in snapshots:
        version = snapshot.project.policy.version
        loc = version.loc if version is not None else snapshot.project.policy.loc
        where = loc if snapshot is current else snapshot.relabel(loc)
        folder = version_folder(snapshot.version)
        if len(folder) > MAX_VERSION_FOLDER:
            report.error(where, f"version is {len(snapshot.version):,} characters long; its "
                                f"archive folder name may have at most {MAX_VERSION_FOLDER}")
            ok = False
        elif folder in seen:
            report.error(where, f"versions '{seen[folder].version}' and '{snapshot.version}' "
                                f"would share the folder archive/{folder}/; make them differ "
                                "in letters, digits, '.', '-' or '_'")
            ok = False
        seen.setdefault(folder, snapshot)
    return ok


def _archived(past: list[Snapshot], current: Snapshot, current_document: Document,
              formats: dict[str, bytes], templates: Templates, report: Report,
              cache: BuildCache | None, pool=None) -> list[ExtraArtifact]:
    """Every edition in every format built, under archive/<version>/<locale>/; archived
    PDFs claim the archival standard (PDF/A-3b unless policy.yaml says otherwise)."""
    locale = current_document.locale
    archived_pdf = current.project.policy.pdf.archived
    out = [_edition_artifact(current, locale, fmt, data) for fmt, data in formats.items()
           if fmt != "pdf" or current_document.pdf_variant == archived_pdf]
    if "pdf" in formats and current_document.pdf_variant != archived_pdf:
        # the archived copy of the current edition keeps the archival standard
        document = current_document.in_standard(archived_pdf)
        out.append(_rendered_edition(current, document, "pdf", templates, cache, pool))
    for snapshot in past:
        inner = Report()
        try:
            document = resolve(snapshot.project, inner, locale=locale, allow_missing=True)
            document.pdf_variant = archived_pdf
            out += [_rendered_edition(snapshot, document, fmt, templates, cache, pool)
                    for fmt in formats]
        except PolicyError:
            first = inner.errors[0] if inner.errors else None
            report.warning(snapshot.relabel(first.loc) if first else current.project.policy.loc,
                           f"recorded edition {snapshot.version} ({snapshot.source}) skipped in "
                           f"{locale}: " + (first.message if first else "it cannot be built"))
    return out


def _rendered_edition(snapshot: Snapshot, document: Document, fmt: str, templates: Templates,
                      cache: BuildCache | None, pool=None) -> ExtraArtifact:
    """An archived edition rendered (or, when its cache key matches, reused)."""
    path = _edition_path(snapshot, document.locale, fmt)
    key = None if cache is None else artifact_key(
        document_digest(document), fmt, templates,
        getattr(renderer(fmt), "TEMPLATE_DIRS", None), path)
    data = render_artifact(fmt, document, templates, cache, path, key, pool)
    return ExtraArtifact(path, f"archived-{fmt}", document.locale, data)


def _edition_path(snapshot: Snapshot, locale: str, fmt: str) -> str:
    return artifact_path(Path("archive", version_folder(snapshot.version)), locale,
                         fmt).as_posix()


def _edition_artifact(snapshot: Snapshot, locale: str, fmt: str, data: bytes) -> ExtraArtifact:
    return ExtraArtifact(_edition_path(snapshot, locale, fmt), f"archived-{fmt}", locale, data)


def _version_view(snapshot: Snapshot, locale: str, current: bool) -> VersionView:
    policy = snapshot.project.policy
    style = locale_style(locale)
    return VersionView(snapshot.version, style.format_date((policy.effective or policy.last_updated).date),
                       style.format_date(policy.last_updated.date),
                       version_folder(snapshot.version), current, snapshot.order())


def _groups(comparison: Comparison, locale: str) -> list[GroupView]:
    words = messages(locale)
    labels = {c.id: c.label for c in categories_of(comparison.new.project, locale=locale)}
    groups = []
    for category, changes in comparison.grouped():
        title = labels[category.id] if category else words["page.minor"]
        groups.append(GroupView(title, category is not None,
                                [_change_view(c, locale, category is not None)
                                 for c in changes]))
    return groups


def _change_view(change: Change, locale: str, material: bool = False) -> ChangeView:
    mark = "added" if change.key.endswith(ADDED) else \
        "removed" if change.key.endswith(REMOVED) else "changed"
    has_text = (change.old is not None or change.new is not None) \
        and not (change.links and change.old == change.new)
    return ChangeView(describe(change, locale), mark,
                      redline_html(change.old, change.new) if has_text else None,
                      redline_markdown(change.old, change.new) if has_text else None,
                      list(change.links),
                      reason_text(change, locale) if material else "")


def _changes_page(fmt: str, template: str, document: Document,
                  comparison: Comparison | None, templates: Templates) -> bytes:
    locale = document.locale
    words = messages(locale)
    style = locale_style(locale)
    context: dict = {"words": words, "groups": [], "intro": "", "previous": None,
                     "stem": ARTIFACT_STEM}
    if comparison is not None:
        old, new = comparison.old.project.policy, comparison.new.project.policy
        context.update(
            groups=_groups(comparison, locale),
            previous=version_folder(comparison.old.version),
            intro=words["page.compared"].format(
                new=new.version, old=old.version,
                new_date=style.format_date((new.effective or new.last_updated).date),
                old_date=style.format_date((old.effective or old.last_updated).date)),
            unchanged=words["page.none"].format(old=old.version))
    return _render(fmt, template, document, templates, context)


def _index_page(fmt: str, template: str, document: Document, versions: list[VersionView],
                templates: Templates) -> bytes:
    context = {"words": messages(document.locale), "versions": versions, "stem": ARTIFACT_STEM}
    return _render(fmt, template, document, templates, context)


def _render(fmt: str, template: str, document: Document, templates: Templates,
            context: dict) -> bytes:
    if fmt == "html":
        return render_page(document, templates, template, STYLESHEETS, **context).encode("utf-8")
    env = templates.environment(autoescape=False)
    env.filters["md"] = escape_md
    text = env.get_template(template).render(doc=document, **context)
    return (re.sub(r"\n{3,}", "\n\n", text).strip() + "\n").encode("utf-8")
