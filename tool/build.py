"""The whole pipeline: load → validate → resolve → render → write.

:func:`build` is what ``policyc build`` runs. Every format is rendered in memory first;
only when all succeed are the artifacts and the manifest written, so a failing build
leaves the previous ``build/`` as it was.
"""
from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import (LEGACY_CACHE_FILE, BuildCache, artifact_key, document_digest, inputs_digest,
                    read_paths_digest)
from .diagnostics import Diagnostic, Loc, PolicyError, Report, Severity, display_path
from .render import (ARTIFACT_STEM, DEFAULT_FORMATS, Templates, artifact_path, render_artifact,
                     renderer)
from .write import (MANIFEST, Artifact, manifest_bytes, output_lock, remove_stale,
                    signals_interrupt, write_files)

if TYPE_CHECKING:
    from .document import Document, Edition
    from .project import Project
    from .render.pool import Pending, PdfPool

@dataclass
class BuildResult:
    """What a build produced."""

    out_dir: Path
    artifacts: list[Artifact] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)     # files whose bytes changed


def _written_in(chars: str, sources: list[Path]) -> dict[str, Loc]:
    """Where each of ``chars`` is first written in ``sources`` (those found): in the first
    text (YAML scalar) holding it, at the character when written as itself, else at the
    start of that text (written as an escape such as ``\\uE000``)."""
    from .files import FileProblem, read_file
    from .load import load_bytes

    found: dict[str, Loc] = {}
    for path in sources:
        try:
            node = load_bytes(read_file(path), display_path(path), Report())
        except FileProblem:
            continue
        for scalar in _scalars(node):
            for char in chars:
                if char not in found and char in scalar.value:
                    found[char] = _char_loc(display_path(path), scalar, char)
    return found


def _scalars(node) -> Iterator:
    """The scalar nodes of a YAML node tree, in document order."""
    pending = [node] if node is not None else []
    while pending:
        node = pending.pop()
        if isinstance(node.value, str):
            yield node
        elif isinstance(node.value, list):
            children = [item for pair in node.value for item in
                        (pair if isinstance(pair, tuple) else (pair,))]
            pending.extend(reversed(children))


def _char_loc(shown: str, scalar, char: str) -> Loc:
    """Where ``char`` of ``scalar`` is written (the scalar's start when only an escape
    stands for it)."""
    line, col = scalar.start_mark.line + 1, scalar.start_mark.column + 1
    at = getattr(scalar, "source", "").find(char)
    if at < 0:
        return Loc(shown, line, col)
    before = scalar.source[:at]
    if "\n" in before:
        return Loc(shown, line + before.count("\n"), at - before.rfind("\n"))
    return Loc(shown, line, col + at)


def render_all(document: Document, formats: list[str], templates: Templates,
               report: Report, where: Loc, cache: BuildCache | None = None,
               sources: list[Path] = (), pool: PdfPool | None = None
               ) -> dict[str, bytes | Pending]:
    """Render ``document`` in every format; failures are reported in the template that
    failed, else at ``where``. With a ``cache``, artifacts whose inputs are unchanged are
    taken from the output folder instead of being rendered; with a ``pool``, PDFs are
    rendered by its workers (:class:`~policyc.render.pool.Pending` until settled)."""
    out: dict[str, bytes | Pending] = {}
    digest = None if cache is None else document_digest(document)
    for fmt in formats:
        with reported_render_errors(report, where, fmt, sources):
            out[fmt] = render_cached_format(document, digest, fmt, templates, cache, pool)
    return out


def render_cached_format(document: Document, digest: str | None, fmt: str,
                         templates: Templates, cache: BuildCache | None,
                         pool: PdfPool | None = None) -> bytes | Pending:
    """One format of ``document`` (whose :func:`~policyc.cache.document_digest` is
    ``digest``), rendered or, when its cache key matches, reused."""
    rel_path = artifact_path(Path(), document.locale, fmt).as_posix()
    key = None if cache is None else artifact_key(
        digest, fmt, templates, getattr(renderer(fmt), "TEMPLATE_DIRS", None), rel_path)
    return render_artifact(fmt, document, templates, cache, rel_path, key, pool)


SOURCE_RULE_ARTICLES = ("policyc source format", "—")


def compliance_as_warnings(findings: Report) -> list[Diagnostic]:
    """The checks' ``findings`` for a build: those of a rule about the sources (their
    format, a translation catalog, an unreadable app build) keep their severity, every
    compliance finding is at most a warning."""
    from .check.registry import RULES

    out = []
    for d in findings.diagnostics:
        rule = RULES.get(d.code)
        source = rule is None or rule.article in SOURCE_RULE_ARTICLES or \
            d.code.startswith("I18N-")
        out.append(d if source or d.severity <= Severity.WARNING else
                   dataclasses.replace(d, severity=Severity.WARNING))
    return out


@contextmanager
def reported_render_errors(report: Report, where: Loc, fmt: str, sources: list[Path] = ()):
    """Turns a renderer's or a template's error into a diagnostic: a missing glyph where
    a text of ``sources`` holds the character, else in the template that failed, else at
    ``where``. Anything else is a bug and propagates."""
    try:
        yield
    except Exception as exc:  # a renderer's own error class, or a template error
        loc = _template_loc(exc)
        if loc is None and type(exc).__name__ not in (
                "RenderError", "TemplateError", "TemplateSyntaxError", "UndefinedError",
                "TemplateNotFound"):
            raise
        places = _written_in(getattr(exc, "chars", ""), sources)
        for char, place in places.items():   # each character where a text holds it
            report.error(place, f"cannot build the {fmt.upper()} edition: no installed font "
                                f"has a glyph for '{char}' (U+{ord(char):04X}); install a "
                                "font that covers it, or write another character")
        if not places:
            report.error(loc or where, f"cannot build the {fmt.upper()} edition: {exc}")


def _template_loc(exc: Exception) -> Loc | None:
    """The template line an error comes from: where a renderer says, a syntax error's
    own, or the innermost template frame of the traceback (Jinja maps template code to
    template lines)."""
    if isinstance(getattr(exc, "loc", None), Loc):
        return exc.loc
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if isinstance(filename, str) and isinstance(lineno, int):
        return Loc(display_path(filename), lineno, 1)
    import traceback  # only when a render fails

    frames = traceback.extract_tb(exc.__traceback__)
    templates = [f for f in frames if f.filename.endswith(".j2")]
    if not templates or (frames[-1] is not templates[-1]
                         and type(exc).__name__ != "UndefinedError"):
        return None  # raised by Python code (a bug), not by the template itself
    return Loc(display_path(templates[-1].filename), templates[-1].lineno or 1, 1)


def site_files(documents: list[Document], artifacts: list[Artifact], templates: Templates,
               base_url: str) -> dict[str, bytes]:
    """index.html, the entry page listing every artifact built, and with a base URL
    sitemap.xml."""
    from .render.site import INDEX, SITEMAP, index_page, sitemap

    files = {INDEX: index_page(documents, artifacts, templates)}
    if base_url:
        files[SITEMAP] = sitemap(base_url, documents, artifacts)
    return files


class UndeclaredLocaleError(ValueError):
    """A locale was asked for that policy.yaml does not declare."""


def editions(project: Project, current: str, base_url: str = "") -> list[Edition]:
    """Every declared locale's edition, as linked from the edition of ``current``, named by
    its language in that language (CLDR): Deutsch, 中文; two locales of one language are
    told apart by their regions or scripts (British English, 繁體中文), else by their tags.
    With a ``base_url``, each also has its absolute address."""
    from .document import Edition
    from .locales import language_name
    from .translate import declared_locales

    tags = declared_locales(project.policy)
    names = [language_name(tag, tag, specific=False) for tag in tags]
    names = [language_name(tag, tag) if names.count(name) > 1 else name
             for tag, name in zip(tags, names)]
    return [Edition(tag, name if names.count(name) == 1 else f"{name} ({tag})",
                    f"../{tag}/{ARTIFACT_STEM}", tag == current,
                    f"{base_url}{tag}/{ARTIFACT_STEM}.html" if base_url else "")
            for tag, name in zip(tags, names)]


def translation_states(project: Project, documents: list[Document]) -> dict[str, dict]:
    """Per translated edition built: how many texts are translated, stale and missing, and
    its state: current, or showing the binding wording (marked) for the stale and missing."""
    from .translate import locale_status

    out = {}
    for document in documents:
        if document.locale == str(project.policy.locale):
            continue
        counts = locale_status(project, document.locale).counts()
        behind = counts["stale"] + counts["missing"]
        out[document.locale] = {"state": "current" if not behind else "binding wording shown",
                                **{k: counts[k] for k in ("translated", "stale", "missing")}}
    return out


def site_base_url(project: Project, base_url: str | None, report: Report) -> str:
    """The address the site is published at (``--base-url``, else policy.yaml's
    ``base_url``), ending in '/'; '' when neither gives one."""
    from .render.site import normalise_base_url

    if base_url is not None:
        return normalise_base_url(base_url)  # a usage error: the command checks it first
    declared = project.policy.base_url
    if not declared:
        return ""
    try:
        return normalise_base_url(str(declared))
    except ValueError as exc:
        report.error(declared.loc, f"base_url: {exc}")
        return ""


def selected_locales(project: Project, locales: list[str] | None) -> list[str]:
    """The locales to build, in declared order; raises UndeclaredLocaleError on others."""
    from .translate import declared_locales

    declared = declared_locales(project.policy)
    unknown = [tag for tag in locales or () if tag not in declared]
    if unknown:
        raise UndeclaredLocaleError(f"locale '{unknown[0]}' is not declared in policy.yaml; "
                                    f"declared: {', '.join(declared)}")
    return [tag for tag in declared if not locales or tag in locales]


class OutputFolderError(ValueError):
    """The output folder would overlap the sources: a usage error, nothing is written."""


def check_output_folder(src: Path, out_dir: Path) -> None:
    """Raise OutputFolderError when ``out_dir`` is, or is inside or above, the source
    folder of ``src`` or the archive and templates folders next to it."""
    root = Path(os.path.realpath(src.parent if src.is_file() else src))
    out = Path(os.path.realpath(out_dir))
    for folder in (root, root.parent / "archive", root.parent / "templates"):
        if out == folder or out.is_relative_to(folder) or (
                folder.exists() and folder.is_relative_to(out)):
            raise OutputFolderError(
                f"the output folder '{display_path(out_dir) or '.'}' overlaps "
                f"'{display_path(folder)}': building there would overwrite or publish "
                "sources; choose a folder outside them (the default is build/)")


def build(src: Path | str = "policy_src", out_dir: Path | str = "build",
          formats: list[str] | None = None, report: Report | None = None,
          locales: list[str] | None = None, allow_missing: bool = False,
          base_url: str | None = None, jobs: int = 1, force: bool = False) -> BuildResult:
    """Compile the policy in ``src`` into ``out_dir``, one edition per locale (see
    :func:`build_locked`). Only one build writes into a folder at a time: a second one
    waits for the first, saying so. SIGTERM and SIGHUP interrupt it as Ctrl-C does,
    leaving the output folder as it was. Raises OutputFolderError when ``out_dir``
    overlaps the sources, or holds files but no manifest of policyc (unless ``force``).

    Afterwards the folder holds the files its new manifest lists: those of an earlier
    build that this one does not make are removed (files policyc never listed are not
    touched)."""
    check_output_folder(Path(src), Path(out_dir))

    def waiting() -> None:
        print(f"policyc: waiting for another build into {display_path(out_dir)} to finish",
              file=sys.stderr, flush=True)

    with signals_interrupt(), output_lock(Path(out_dir), waiting):
        earlier = built_before(Path(out_dir), force)
        result = build_locked(src, out_dir, formats, report, locales, allow_missing, base_url,
                              jobs)
        remove_unlisted(Path(out_dir), earlier, {a.path for a in result.artifacts})
        return result


def built_before(out_dir: Path, force: bool) -> set[str]:
    """The files the manifest in ``out_dir`` lists (what the last build made there).
    Raises OutputFolderError when the folder holds files but no manifest of policyc:
    a build there would mix its files with others' (``force`` allows it)."""
    from .batch import read_manifest

    try:
        entries = [name for name in os.listdir(out_dir) if not name.endswith(".tmp")]
    except FileNotFoundError:
        return set()
    except OSError:
        return set()   # not a folder, unreadable: writing reports it
    manifest = read_manifest(out_dir / MANIFEST)
    if manifest is None:
        if entries and not force:
            raise OutputFolderError(
                f"the output folder '{display_path(out_dir) or '.'}' holds files policyc did "
                f"not build (it has no {MANIFEST} of policyc); build into a new or empty "
                "folder, or pass --force to build there anyway (its files are kept)")
        return set()
    return {str(a["path"]) for a in manifest["artifacts"]
            if isinstance(a, dict) and isinstance(a.get("path"), str)}


def remove_unlisted(out_dir: Path, earlier: set[str], listed: set[str]) -> None:
    """Remove the files of ``earlier`` (an earlier manifest's) that ``listed`` (the new
    one's) does not name, and the folders this empties; never a path leaving
    ``out_dir``."""
    from .files import inside

    for rel in sorted(earlier - listed - {MANIFEST}):
        path = out_dir / rel
        if Path(rel).is_absolute() or ".." in Path(rel).parts or \
                not inside(path.parent, out_dir):
            continue
        try:
            if path.is_symlink() or path.is_file():
                path.unlink()
        except OSError:
            continue
        folder = path.parent
        while folder != out_dir and folder.is_relative_to(out_dir):
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def build_locked(src: Path | str = "policy_src", out_dir: Path | str = "build",
                 formats: list[str] | None = None, report: Report | None = None,
                 locales: list[str] | None = None, allow_missing: bool = False,
                 base_url: str | None = None, jobs: int = 1) -> BuildResult:
    """Compile the policy in ``src`` into ``out_dir``, one edition per locale.

    ``locales`` limits the build to some declared locales (default: all);
    ``allow_missing`` builds editions with missing translations, showing the binding
    wording marked as untranslated; ``base_url`` (else policy.yaml's) is where the site
    is published: canonical and hreflang links, sitemap.xml; ``jobs`` above 1 renders
    the PDFs (editions and archived editions) in that many worker processes. Raises
    PolicyError on any error.

    When nothing the build reads has changed since the last successful build into
    ``out_dir`` (see :func:`policyc.cache.inputs_digest`), that build's artifacts and
    warnings are returned without loading, rendering or writing anything.
    """
    report = report if report is not None else Report()
    formats = list(dict.fromkeys(formats or DEFAULT_FORMATS))
    out_dir = Path(out_dir)
    cache = BuildCache(out_dir)
    inputs = inputs_digest(Path(src), out_dir, {"formats": formats, "locales": locales,
                                                "allow_missing": allow_missing,
                                                "base_url": base_url})
    replayed = cache.replay(inputs, MANIFEST)
    if replayed is not None:
        listed, diagnostics = replayed
        for path in [MANIFEST] + [artifact["path"] for artifact in listed]:
            remove_stale(out_dir / path)   # what a killed build may have left
        report.extend(diagnostics)
        return BuildResult(out_dir, [Artifact(**artifact) for artifact in listed])
    first_diagnostic = len(report.diagnostics)
    # PDF workers start now and import WeasyPrint while this process loads and checks
    workers = nullcontext()
    if jobs > 1 and "pdf" in formats:
        from .render.pool import PdfPool
        workers = PdfPool(jobs)
    with workers as pool:
        from .app.artifacts import app_artifacts
        from .app.match import read_paths as app_read_paths
        from .check import check_project
        from .project import POLICY_FILE, load_project
        from .render.lists import render_lists
        from .resolve import resolve
        from .translate import shows_stale, tolerate_missing
        from .versions.pages import version_artifacts

        project: Project = load_project(src, report)
        allow_missing = allow_missing or shows_stale(project.policy)
        # what the checks read outside the sources (the app's build), digested before
        read_paths = [str(path) for path in app_read_paths(project)]
        read = (read_paths, read_paths_digest(read_paths) if read_paths else "")
        site_url = site_base_url(project, base_url, report)
        documents: list[Document] = []
        for locale in selected_locales(project, locales):
            try:
                document = resolve(project, report, locale, allow_missing,
                                   report_translations=False)
            except PolicyError:
                continue  # keep collecting the other locales' errors
            document.editions = editions(project, locale, site_url)
            document.pdf_variant = project.policy.pdf.variant
            # its archived copy (archive/<version>/) comes from the same layout
            document.pdf_copies = tuple({project.policy.pdf.archived} - {document.pdf_variant})
            document.base_url = site_url
            documents.append(document)
        if report.has_errors:
            raise PolicyError(report)
        # Once the text resolves: the checks run; a compliance finding is a warning (it
        # never stops a build), a source error found by a check (a missing translation,
        # an unknown id) does.
        findings = Report()
        check_project(project, findings, binding=next(
            (d for d in documents if d.locale == str(project.policy.locale)), None))
        report.extend(compliance_as_warnings(findings))
        if allow_missing:  # the check reported stale and missing translations (I18N-*)
            tolerate_missing(report)
        if report.has_errors:
            raise PolicyError(report)
        templates = Templates(project.templates_dir)
        where = Loc(display_path(project.root / POLICY_FILE))
        rendered: dict[str, dict[str, bytes | Pending]] = {d.locale: {} for d in documents}
        # with workers, every edition's PDF goes to them first; the rest is rendered meanwhile
        for share in ([[f for f in formats if f == "pdf"], [f for f in formats if f != "pdf"]]
                      if pool else [formats]):
            for document in documents:
                rendered[document.locale].update(render_all(
                    document, share, templates, report, where, cache, project.files, pool))
        if report.has_errors:
            raise PolicyError(report)
        built: list[tuple[Path, str, str, bytes | Pending]] = [
            (artifact_path(out_dir, locale, fmt), fmt, locale, data)
            for locale, outputs in rendered.items() for fmt, data in outputs.items()]
        for document in documents:  # the two MIIT lists, built with every format
            built += [(out_dir / document.locale / name, name, document.locale, data)
                      for name, data in render_lists(document, templates).items()]
        built += [(out_dir / app.path, app.format, app.locale, app.data)  # store forms, notice
                  for app in app_artifacts(project, documents, templates)]
        # changes pages, archive index, archived editions
        built += [(out_dir / extra.path, extra.format, extra.locale, extra.data) for extra in
                  version_artifacts(project, documents, rendered, templates, report, cache,
                                    pool)]
        if report.has_errors:   # e.g. two versions sharing one archive folder
            raise PolicyError(report)
        result = BuildResult(out_dir)
        files: dict[Path, bytes] = {}
        for path, fmt, locale, data in built:
            with reported_render_errors(report, where, fmt, project.files):
                files[path] = data if isinstance(data, bytes) else data.result()
                result.artifacts.append(Artifact.of(out_dir, path, fmt, locale, files[path]))
        if report.has_errors:
            raise PolicyError(report)
    for name, data in site_files(documents, result.artifacts, templates, site_url).items():
        path = out_dir / name   # the entry page and, with a base URL, the sitemap
        files[path] = data
        result.artifacts.append(Artifact.of(out_dir, path, name.rsplit(".", 1)[0], "", data))
    first = documents[0]
    policy = {"title": first.title, "version": first.version,
              "last_updated": first.last_updated.isoformat() if first.last_updated else None,
              "effective": first.effective.isoformat() if first.effective else None,
              "locales": [document.locale for document in documents],
              "translations": translation_states(project, documents)}
    manifest = manifest_bytes(result.artifacts, policy)
    cache.record_build(inputs, manifest, [artifact.path for artifact in result.artifacts],
                       report.diagnostics[first_diagnostic:], read)
    files[out_dir / MANIFEST] = manifest  # renamed last
    result.written = write_files(files)
    cache.save()
    (out_dir / LEGACY_CACHE_FILE).unlink(missing_ok=True)   # build/ holds only what is published
    return result
