"""Readers of existing policies (text, Markdown, HTML, Word) that write policy sources.

:func:`import_policy` is what ``policyc import`` runs: one reader per input format
(:mod:`.text`, :mod:`.markdown`, :mod:`.html`, :mod:`.docx`) turns the file into the
common :class:`~.outline.Outline`; :mod:`.structure` finds sections and lists in it,
:mod:`.recognise` the typed parts and facts, and :mod:`.emit` writes the source folder,
which is checked to load before it replaces anything.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Loc, PolicyError, Report, display_path
from .outline import Outline, escape, plain, refuse
from .recognise import (EMAIL, Draft, app_name, assign_ids, front_matter, link_references,
                        numbering_found, prune_ids, short_name, type_sections,
                        use_variables)
from .structure import Note, Sec, build as build_structure

READERS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".html": "html", ".htm": "html", ".docx": "docx"}
PLACEHOLDER = {"zh-CN": "（待补充）", "en": "(to be completed)"}
LEGAL_NAME = re.compile(r"[\u4e00-\u9fff（）()]{4,40}?(?:股份有限公司|有限责任公司|有限公司|集团)|"
                        r"[A-Z0-9][\w&.,' -]{1,60}? (?:Ltd|Limited|Inc|LLC|GmbH|Corp|Corporation|"
                        r"S\.A|B\.V|AG|PLC|plc)\b\.?")

ADDRESS = re.compile(r"(?:联系地址|注册地址|办公地址|通讯地址|地址|住所)(?:为|是)?[：:]\s*"
                     r"(?P<zh>[^。；;\n]{4,60})|(?P<us>\b\d{1,6} [A-Z0-9][\w.#-]*(?: [\w.#-]+)*"
                     r"(?:, [\w.# -]+?)*, [A-Z]{2} \d{5}(?:-\d{4})?(?: USA| United States)?)")
DEFINED_NAME = re.compile(r"(?:下称|以下简称|简称|hereinafter(?: referred to as)?|together,)\s*"
                          r"[“\"「'‘]\s*([^”\"」'’]{2,30}?)\s*[”\"」'’]", re.I)
GENERIC_NAMES = {"我们", "本政策", "用户", "您", "本公司", "公司", "we", "us", "you", "our",
                 "the company", "company", "this policy", "policy", "services", "service"}


@dataclass
class ImportResult:
    """What an import produced: where, from what, and the notes of its report."""

    out_dir: Path
    outline: Outline
    draft: Draft
    files: list[Path] = field(default_factory=list)


def read_outline(path: Path, encoding: str | None = None) -> Outline:
    """The outline of ``path``, read by the reader of its suffix."""
    shown = display_path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        hint = "; save it as .docx or as text first" if path.suffix.lower() in (
            ".doc", ".rtf", ".odt", ".pdf", ".pages", ".wps") else ""
        raise refuse(shown, f"cannot import '{path.suffix or path.name}' files; policyc "
                            f"imports {known}{hint}")
    if not path.is_file():
        raise refuse(shown, "no such file")
    import importlib

    module = importlib.import_module(f".{reader}", __package__)
    return module.read(path, shown, encoding)


def detect_locale(outline: Outline) -> str:
    """zh-CN for Chinese text; English otherwise, en-US when it writes US dates
    (April 20, 2023) or a US address."""
    text = "\n".join(e.plain for e in outline.entries[:400])
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    words = len(re.findall(r"[A-Za-z]{2,}", text))
    if cjk >= words:
        return "zh-CN"
    us_date = re.search(r"\b(January|February|March|April|May|June|July|August|September|"
                        r"October|November|December) \d{1,2}, \d{4}", text)
    us_address = ADDRESS.search(text)
    return "en-US" if us_date or (us_address and us_address.group("us")) else "en"


def draft_policy(outline: Outline, locale: str | None = None) -> Draft:
    """The policy found in ``outline``: policy.yaml facts and typed sections."""
    locale = locale or detect_locale(outline)
    structure = build_structure(outline.entries)
    notes = list(structure.notes)
    notes += [Note("prose", line, what) for line, what in outline.dropped]
    policy = front_matter(structure, locale, notes)
    sections = structure.sections
    if not sections:
        notes.append(Note("check", 1, "no headings or numbered section titles found: the "
                                      "whole text is one section"))
        sections = [Sec(policy.get("title", escape(_default_title(locale))), 1,
                        blocks=policy.pop("preamble") + policy.pop("introduction"))]
        policy["preamble"], policy["introduction"] = [], []
    facts: dict = {}
    type_sections(sections, facts, notes)
    full = "\n".join(e.plain for e in outline.entries) + "\n" + "\n".join(
        "\n".join("".join(plain(c) for c in row) for row in e.rows) for e in outline.entries
        if e.kind == "table")
    _complete_facts(policy, facts, full, locale, notes)
    numbering = numbering_found(sections, locale)
    if numbering:
        policy["numbering"] = numbering
        notes.append(Note("typed", 0, f"numbering: {numbering}"))
    assign_ids(sections, notes)
    link_references(sections, notes)
    prune_ids(sections)
    use_variables(sections, policy, notes)
    if outline.front_matter:
        policy["front_matter"] = dict(outline.front_matter)
    for n, sec in enumerate(sections, 1):
        sec.file = f"sections/{n:02d}-{sec.id}.yaml"
        notes.append(Note("section", sec.line, f"{sec.label + ' ' if sec.label else ''}"
                                               f"{plain(sec.title)} → {sec.file}"))
    return Draft(locale, policy, sections, notes)


def _default_title(locale: str) -> str:
    return "隐私政策" if locale.startswith("zh") else "Privacy Policy"


def _complete_facts(policy: dict, facts: dict, full: str, locale: str,
                    notes: list[Note]) -> None:
    placeholder = PLACEHOLDER["zh-CN" if locale.startswith("zh") else "en"]
    policy.setdefault("title", escape(_default_title(locale)))
    if "last_updated" not in policy:
        if "effective" in policy:
            policy["last_updated"] = policy["effective"]
        else:
            policy["last_updated"] = dt.date.today()
            notes.append(Note("check", 0, "no date of last update found: last_updated set to "
                                          f"today ({policy['last_updated'].isoformat()})"))
    contact = facts.get("contact", {})
    if "email" not in contact:
        found = EMAIL.search(full)
        if found:
            contact["email"] = found.group()
            notes.append(Note("typed", 0, f"contact: email {found.group()} (first address "
                                          "in the text)"))
    if not contact:
        contact["email"] = "privacy@example.com"
        notes.append(Note("check", 0, "no e-mail address or other contact channel found: "
                                      "policy.yaml has privacy@example.com; replace it"))
    org = facts.get("organisation", {})
    if "legal_name" not in org:
        names = _company_names(full)
        if names:
            org["legal_name"] = names[0]
            notes.append(Note("typed", 0, f"organisation: {org['legal_name']} (the company "
                                          "name the text names most)"))
        else:
            org["legal_name"] = placeholder
            notes.append(Note("check", 0, f"no company name found: organisation.legal_name "
                                          f"is {placeholder}"))
    defined = [m.group(1).strip() for m in DEFINED_NAME.finditer(full)
               if m.group(1).strip().lower() not in GENERIC_NAMES]
    if defined and org["legal_name"] != placeholder:
        org["short_name"] = defined[0]
        notes.append(Note("typed", 0, f"organisation: short name {defined[0]} (the text "
                                      "defines it)"))
    else:
        org["short_name"] = short_name(org["legal_name"], full) if org["legal_name"] != \
            placeholder else placeholder
    if "address" not in org:
        found = ADDRESS.search(full)
        if found:
            org["address"] = (found.group("zh") or found.group("us")).strip()
            notes.append(Note("typed", 0, f"organisation: address {org['address']} (the "
                                          "address the text gives)"))
    if "address" not in org:
        org["address"] = placeholder
        notes.append(Note("check", 0, f"no address found: organisation.address is "
                                      f"{placeholder}"))
    app = app_name(full, org["short_name"])
    policy.update({"organisation": {k: org[k] for k in ("legal_name", "short_name",
                                                        "address")}, "contact": contact})
    if app:
        policy["app"] = {"name": app}


def _company_names(text: str) -> list[str]:
    """Company names in ``text``, the most often named first: of each match, the longest
    tail that occurs as often as any (我们不会与X有限公司 → X有限公司)."""
    scores: dict[str, tuple[int, int]] = {}
    for m in LEGAL_NAME.finditer(text):
        name = m.group().strip()
        tails = [name[k:] for k in range(0, max(1, len(name) - 5))]
        best = max(tails, key=lambda t: (text.count(t), len(t))).strip()
        scores[best] = (text.count(best), len(best))
    return sorted(scores, key=lambda n: scores[n], reverse=True)


def policy_data(draft: Draft) -> dict:
    from .emit import blocks_data

    p = draft.policy
    out: dict = {"title": p["title"], "locale": draft.locale}
    for key in ("version", "last_updated", "effective", "dates", "numbering"):
        if p.get(key):
            out[key] = p[key]
    if p.get("front_matter"):
        out["front_matter"] = p["front_matter"]
    out["organisation"] = p["organisation"]
    if p.get("app"):
        out["app"] = p["app"]
    contact = p["contact"]
    order = ("email", "phone", "service_hours", "in_app_feedback", "response_days", "officer")
    out["contact"] = {k: contact[k] for k in order if k in contact}
    if p.get("preamble"):
        out["preamble"] = blocks_data(p["preamble"])
    if p.get("contents"):
        out["contents"] = p["contents"]
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
    if out_dir.exists() and not force:
        raise refuse(display_path(out_dir), "the folder exists; choose another with -o or "
                                            "replace it with --force")
    outline = read_outline(Path(path), encoding)
    draft = draft_policy(outline, locale)
    files = source_files(draft)
    try:
        _write_folder(files, out_dir)
    except OSError as exc:
        raise refuse(display_path(out_dir), f"cannot write the sources: "
                                            f"{exc.strerror or exc}") from None
    return ImportResult(out_dir, outline, draft, [out_dir / rel for rel in files])


def _write_folder(files: dict[str, bytes], out_dir: Path) -> None:
    """Stage ``files`` next to ``out_dir``, check they load, then rename them into place."""
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _check_loads(staging, out_dir)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=parent))
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
