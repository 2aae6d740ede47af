"""Load and validate stage: a source folder becomes a typed :class:`Project`.

Reads ``policy.yaml`` and every section file it lists, converts them into the models
of :mod:`policyc.model` and checks what a schema cannot: that section paths stay inside
the project, that ids are unique, that the locale is one policyc knows. Every problem
of every file is collected; :class:`~policyc.diagnostics.PolicyError` carries them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import POLICY_FILE
from .diagnostics import Loc, PolicyError, Report, display_path
from .locales import locale_style
from .model import Catalog, Policy, Section
from .files import inside
from .sources import read_source
from .translate import check_locales, load_catalogs


@dataclass
class SectionFile:
    """A top-level section and the file it was read from."""

    path: Path
    shown: str
    section: Section
    matter: str = "body"    # "front" and "back" sections are unnumbered, around the body


@dataclass(eq=False)
class Project:
    """A policy's sources, loaded and validated (compared and hashed by identity)."""

    root: Path                      # the source folder (holding policy.yaml)
    policy: Policy
    sections: list[SectionFile]
    files: list[Path] = field(default_factory=list)   # every source file read
    catalogs: dict[str, Catalog] = field(default_factory=dict)  # locale → its translations

    @property
    def templates_dir(self) -> Path:
        """A project's own templates: ``templates/`` next to the source folder."""
        return self.root.parent / "templates"


def load_project(src: Path | str, report: Report | None = None) -> Project:
    """Load ``src`` (a folder with policy.yaml, or the policy.yaml itself).

    Raises :class:`PolicyError` with every problem found when the sources are invalid.
    """
    report = report if report is not None else Report()
    src = Path(src)
    root = src.parent if src.is_file() else src
    if root.name in ("", ".."):   # `.` or `..`: its parent holds templates/ and archive/
        root = Path(os.path.abspath(root))
    policy_path = root / POLICY_FILE if not src.is_file() else root / src.name
    if not policy_path.exists():
        where = display_path(root)
        report.error(Loc(display_path(policy_path)),
                     f"no {POLICY_FILE} here; is '{where}' a policy source folder?")
        raise PolicyError(report)

    policy = read_source(policy_path, Policy, POLICY_FILE, report, root)[1]
    if policy is None or report.has_errors:
        if policy is not None:  # report the section files' problems too
            load_sections(root, [*policy.front_sections, *policy.sections,
                                 *policy.back_sections], report)
        raise PolicyError(report)
    if locale_style(policy.locale) is None:
        report.error(policy.locale.loc, f"locale '{policy.locale}' is not a language CLDR "
                                        "knows; write a BCP 47 tag such as de, pt-BR or zh-TW")
    check_locales(policy, report)

    sections, files = [], [policy_path]
    for matter, entries in (("front", policy.front_sections), ("body", policy.sections),
                            ("back", policy.back_sections)):
        read, read_files = load_sections(root, entries, report)
        sections += [SectionFile(f.path, f.shown, f.section, matter) for f in read]
        files += read_files
    if not policy.sections:
        report.error(policy.loc, "`sections` lists no section files")
    catalogs, catalog_files = load_catalogs(root, policy, report)
    files += catalog_files
    project = Project(root=root, policy=policy, sections=sections, files=files,
                      catalogs=catalogs)
    if not report.has_errors:
        check_ids(project, report)
    if report.has_errors:
        raise PolicyError(report)
    return project


def load_sections(root: Path, entries: list, report: Report) -> tuple[list[SectionFile],
                                                                        list[Path]]:
    """The section files ``entries`` names, read and converted; and every file read."""
    sections: list[SectionFile] = []
    files: list[Path] = []
    listed: dict[str, Loc] = {}
    for entry in entries:
        path = _section_path(root, entry, report)
        if path is None:
            continue
        real = os.path.realpath(path)
        if real in listed:
            report.error(entry.loc, f"section file '{entry}' is listed twice (first at line "
                                    f"{listed[real].line}); list each file once")
            continue
        listed[real] = entry.loc
        files.append(path)
        shown, section, _ = read_source(path, Section, "section", report, root)
        if section is not None:
            sections.append(SectionFile(path, shown, section))
    return sections, files


def _section_path(root: Path, entry, report: Report) -> Path | None:
    """The file a `sections` entry names, refusing paths that leave the project."""
    raw = Path(str(entry))
    if raw.is_absolute() or ".." in raw.parts:
        report.error(entry.loc, f"section file '{entry}' must be a path inside the source "
                                "folder (no absolute paths, no '..')")
        return None
    path = root / raw
    try:
        exists, is_file = path.exists(), path.is_file()
    except OSError as exc:   # a name longer than the file system allows, a loop …
        shown = entry if len(entry) <= 60 else f"{entry[:60]}… ({len(entry):,} characters)"
        report.error(entry.loc, f"section file '{shown}' cannot be opened: "
                                f"{os.strerror(exc.errno) if exc.errno else exc}")
        return None
    if not exists:
        report.error(entry.loc, f"section file '{entry}' does not exist")
        return None
    if not inside(path, root):
        report.error(entry.loc, f"section file '{entry}' points outside the source folder")
        return None
    if not is_file:
        report.error(entry.loc, f"section file '{entry}' is not a file")
        return None
    return path


def iter_ids(project: Project):
    """Every (id, location) declared in the sources, in order."""
    def walk(obj):
        ident = getattr(obj, "id", None)
        if ident:
            yield ident, ident.loc
        for name in ("sections", "features", "rights", "sdks", "blocks", "numbered",
                     "bullets", "clauses", "after"):
            for child in getattr(obj, name, None) or ():
                if not isinstance(child, str):
                    yield from walk(child)
    for section_file in project.sections:
        yield from walk(section_file.section)


RESERVED_IDS = ("top", "toc-title")   # the page's own anchors (templates/html, templates/pdf)


def check_ids(project: Project, report: Report) -> None:
    """Report ids declared twice, naming both places, and ids the page itself uses."""
    seen: dict[str, Loc] = {}
    for ident, loc in iter_ids(project):
        if ident in RESERVED_IDS:
            report.error(loc, f"id `{ident}` is the page's own anchor (reserved: "
                              f"{', '.join(RESERVED_IDS)}); choose another id")
        elif ident in seen:
            first = seen[ident]
            report.error(loc, f"duplicate id `{ident}` (first declared at "
                              f"{first.path}:{first.line})")
        else:
            seen[ident] = loc
