"""Readers of existing policies (text, Markdown, HTML, Word, PDF) that write policy sources.

:func:`import_policy` is what ``policyc import`` runs: one reader per input format
(:mod:`.text`, :mod:`.markdown`, :mod:`.html`, :mod:`.docx`, :mod:`.pdf`) turns the file into the
common :class:`~.outline.Outline`; :mod:`.structure` finds sections and lists in it,
:mod:`.facts` the title, dates, names and contact channels, :mod:`.typed` the
permissions table, SDKs, rights and contact section, :mod:`.references` ids, roles and
cross-references, and :mod:`.emit` writes the source folder, which is checked to load
before it replaces anything. Last, :mod:`.verify` builds the page from the sources and
finds every sentence of the input on it (or says which are missing).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..chars import describe, first_forbidden
from ..diagnostics import Loc, PolicyError, Report, display_path
from .facts import complete_facts, default_title, detect_locale, front_matter, use_variables
from .numbering import numbering_found
from .outline import Outline, escape, plain, refuse
from .references import assign_ids, link_references, page_links, prune_ids
from .structure import Note, Sec, build as build_structure
from .typed import type_sections
from .verify import Verification, verify

READERS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}


@dataclass
class Draft:
    """An imported policy: the facts for policy.yaml and the typed sections."""

    locale: str
    policy: dict
    sections: list[Sec]
    notes: list[Note] = field(default_factory=list)
    had_contents: bool = False     # the input had its own contents list


@dataclass
class ImportResult:
    """What an import produced: where, from what, and the notes of its report."""

    out_dir: Path
    outline: Outline
    draft: Draft
    files: list[Path] = field(default_factory=list)
    verification: Verification | None = None


def read_outline(path: Path, encoding: str | None = None) -> Outline:
    """The outline of ``path``, read by the reader of its suffix."""
    shown = display_path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        hint = "; save it as .docx or as text first" if path.suffix.lower() in (
            ".doc", ".rtf", ".odt", ".pages", ".wps") else ""
        raise refuse(shown, f"cannot import '{path.suffix or path.name}' files; policyc "
                            f"imports {known}{hint}")
    if not path.is_file():
        raise refuse(shown, "no such file")
    import importlib

    module = importlib.import_module(f".{reader}", __package__)
    outline = module.read(path, shown, encoding)
    _check_characters(outline)
    return outline


def _check_characters(outline: Outline) -> None:
    """Refuse an input whose text holds a character no source may hold (a C1 control in
    a Word file, a noncharacter), where it is; the sources could not load otherwise."""
    for entry in outline.entries:
        for text in (entry.text, *(cell for row in entry.rows for cell in row)):
            found = first_forbidden(text)
            if found:
                where = f"paragraph {entry.line}" if outline.unit == "paragraph" else \
                    f"line {entry.line}"
                raise refuse(outline.path, f"{describe(found.group())} in the text "
                                           f"({where}); remove it from the input",
                             entry.line if outline.unit == "line" else 0)


def draft_policy(outline: Outline, locale: str | None = None, lists: bool = True) -> Draft:
    """The policy found in ``outline``: policy.yaml facts and typed sections (without
    ``lists``, permissions, SDKs and rights stay prose and references stay text)."""
    locale = locale or detect_locale(outline)
    structure = build_structure(outline.entries)
    notes = list(structure.notes)
    notes += [Note("prose", line, what) for line, what in outline.dropped]
    policy = front_matter(structure, locale, notes)
    sections = structure.sections
    if not sections:
        notes.append(Note("check", 1, "no headings or numbered section titles found: the "
                                      "whole text is one section"))
        sections = [Sec(policy.get("title", escape(default_title(locale))), 1,
                        blocks=policy.pop("preamble") + policy.pop("introduction"))]
        policy["preamble"], policy["introduction"] = [], []
    facts: dict = {}
    type_sections(sections, facts, notes, lists=lists)
    full = "\n".join(e.plain for e in outline.entries) + "\n" + "\n".join(
        "\n".join("".join(plain(c) for c in row) for row in e.rows) for e in outline.entries
        if e.kind == "table")
    complete_facts(policy, facts, full, locale, notes)
    numbering = numbering_found(sections, locale)
    if numbering:
        policy["numbering"] = numbering
        notes.append(Note("typed", 0, f"numbering: {numbering}"))
    assign_ids(sections, notes)
    if lists:
        link_references(sections, notes)
    prune_ids(sections)
    page_links(sections, policy, notes)
    use_variables(sections, policy, notes)
    if outline.front_matter:
        policy["front_matter"] = dict(outline.front_matter)
    for n, sec in enumerate(sections, 1):
        sec.file = f"sections/{n:02d}-{sec.id}.yaml"
        notes.append(Note("section", sec.line, f"{sec.label + ' ' if sec.label else ''}"
                                               f"{plain(sec.title)} → {sec.file}"))
    return Draft(locale, policy, sections, notes, had_contents=bool(structure.toc))


def policy_data(draft: Draft) -> dict:
    from .emit import blocks_data

    p = draft.policy
    out: dict = {"title": p["title"], "locale": draft.locale}
    for key in ("version", "last_updated", "effective", "dates", "numbering", "labels"):
        if p.get(key):
            out[key] = p[key]
    if p.get("front_matter"):
        out["front_matter"] = p["front_matter"]
    if p.get("organisation"):
        out["organisation"] = p["organisation"]
    if p.get("app"):
        out["app"] = p["app"]
    contact = p.get("contact", {})
    order = ("email", "phone", "service_hours", "in_app_feedback", "response_days", "officer")
    if any(k in contact for k in order):
        out["contact"] = {k: contact[k] for k in order if k in contact}
    if p.get("preamble"):
        out["preamble"] = blocks_data(p["preamble"])
    if p.get("contents"):
        out["contents"] = p["contents"]
    if not draft.had_contents:      # the input has no contents list: the page has none
        out["contents_depth"] = 0
    if p.get("introduction"):
        out["introduction"] = blocks_data(p["introduction"])
    out["sections"] = [s.file for s in draft.sections]
    return out


def source_files(draft: Draft) -> dict[str, bytes]:
    """Every file of the source folder, by path relative to it."""
    from ..model import source_schemas
    from .emit import render_file, section_data

    files = {"policy.yaml": render_file(policy_data(draft), "schema/policy.schema.json",
                                        "Imported by policyc import; check the report's notes.")}
    for sec in draft.sections:
        files[sec.file] = render_file(section_data(sec),
                                               "../schema/section.schema.json")
    for name, data in source_schemas().items():
        files[f"schema/{name}"] = data
    return files


def import_policy(path: Path, out_dir: Path, locale: str | None = None,
                  encoding: str | None = None, force: bool = False) -> ImportResult:
    """Read ``path`` and write its policy sources to ``out_dir``.

    Raises :class:`PolicyError` for input that cannot be imported, an existing
    ``out_dir`` without ``force``, or sources that would not load; nothing is written then.
    """
    out_dir = Path(out_dir)
    remove_stale_staging(out_dir.absolute().parent, out_dir.name)
    if out_dir.exists() and not force:
        raise refuse(display_path(out_dir), "the folder exists; choose another with -o or "
                                            "replace it with --force")
    outline = read_outline(Path(path), encoding)
    draft = draft_policy(outline, locale)
    files = _write(draft, out_dir)
    checked = verify(Path(path), outline.encoding, out_dir)
    if checked.lost and (_has_typed_lists(draft.sections) or
                         any(b"{ref:" in data for data in files.values())):
        # a typed form or a reference that does not print the input's text: prose
        prose = draft_policy(outline, locale, lists=False)
        prose_files = _write(prose, out_dir)
        prose_checked = verify(Path(path), outline.encoding, out_dir)
        if len(prose_checked.lost) < len(checked.lost):
            prose.notes.append(Note("check", 0, "typed permissions, SDKs and rights or "
                                                "cross-references did not print the input's "
                                                "text: they stay prose"))
            draft, files, checked = prose, prose_files, prose_checked
        else:
            _write(draft, out_dir)
    return ImportResult(out_dir, outline, draft, [out_dir / rel for rel in files], checked)


def _has_typed_lists(sections: list[Sec]) -> bool:
    return any(s.typed and s.typed["type"] != "contact" or _has_typed_lists(s.sections)
               for s in sections)


def _write(draft: Draft, out_dir: Path) -> dict[str, bytes]:
    """Write the source folder of ``draft`` (replacing ``out_dir``); its files."""
    files = source_files(draft)
    try:
        _write_folder(files, out_dir)
    except OSError as exc:
        raise refuse(display_path(out_dir), f"cannot write the sources: "
                                            f"{exc.strerror or exc}") from None
    return files


def _write_folder(files: dict[str, bytes], out_dir: Path) -> None:
    """Stage ``files`` next to ``out_dir``, check they load, then rename them into place."""
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out_dir.name), dir=parent))
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _check_loads(staging, out_dir)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=_staging_prefix(out_dir.name), dir=parent))
            os.replace(out_dir, old / "previous")
            try:
                os.replace(staging, out_dir)
            except OSError:
                os.replace(old / "previous", out_dir)
                raise
            finally:
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staging_prefix(name: str) -> str:
    """How this process names its staging folders next to the folder ``name``."""
    return f".{name}.import-{os.getpid()}-"


def remove_stale_staging(parent: Path, name: str) -> None:
    """Remove the staging folders in ``parent`` for ``name`` left by imports whose process
    no longer runs (killed before they could clean up); a live one's is left alone. An
    import killed while it swapped the folders leaves the previous ``name`` in its
    staging folder: that is put back first."""
    pattern = re.compile(re.escape(f".{name}.import-") + r"(\d+)-[A-Za-z0-9_]{8}")
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for entry in names:
        found = pattern.fullmatch(entry)
        if found and not _running(int(found.group(1))):
            previous = parent / entry / "previous"
            if previous.is_dir() and not os.path.lexists(parent / name):
                os.replace(previous, parent / name)
            shutil.rmtree(parent / entry, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists (one of another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def _check_loads(staging: Path, out_dir: Path) -> None:
    """The written sources load without errors (else the import has a bug: say where)."""
    from ..project import load_project

    report = Report()
    try:
        load_project(staging, report)
    except PolicyError:
        pass
    if report.has_errors:
        shown = display_path(staging)
        fixed = Report()
        for d in report.errors:
            where = d.loc.path.replace(shown, display_path(out_dir), 1)
            fixed.error(Loc(where, d.loc.line, d.loc.col),
                        f"the imported sources do not load (a bug in policyc import): "
                        f"{d.message}")
        raise PolicyError(fixed)
