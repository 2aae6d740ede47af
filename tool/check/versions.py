"""Version rules: changed content has a new version and date; material-change categories
point at real ids.

The comparison itself lives in :mod:`policyc.versions.rules`; these rules make it part
of ``policyc check``. They find nothing when no edition is recorded (no ``archive/``
folder, no git tag).
"""
from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ..versions.rules import (DATE_NOT_BUMPED, MATERIAL_NAME, MATERIAL_REF, MATERIAL_SECTION,
                              MESSAGES, NOT_BUMPED, material_ref_issues, version_issues)
from .registry import ALWAYS, Finding, Subject, issues_with_code, rule

ARTICLE = "PIPL Art. 17(2); GB/T 35273-2020 Appendix D (version and update date)"


def _issues(subject: Subject, code: str) -> Iterator[Finding]:
    return issues_with_code(subject, code, version_issues)


@rule(NOT_BUMPED, Severity.WARNING, ALWAYS, ARTICLE, en=MESSAGES[NOT_BUMPED],
      zh="自 {version} 版存档（{source}）以来内容已有 {count} 处变更，但 `version` 仍为 {version}")
def version_not_bumped(subject: Subject) -> Iterator[Finding]:
    """When the content differs from the newest recorded edition (archive/ folder or git
    tag), `version` must differ too: the archive and the readers tell editions apart by
    their version. `policyc diff` lists what changed."""
    return _issues(subject, NOT_BUMPED)


@rule(DATE_NOT_BUMPED, Severity.WARNING, ALWAYS, ARTICLE, en=MESSAGES[DATE_NOT_BUMPED],
      zh="自 {recorded} 版存档（{source}）以来内容已有变更，但 `last_updated` 仍为 {date}")
def date_not_bumped(subject: Subject) -> Iterator[Finding]:
    """When the content differs from the newest recorded edition, `last_updated` must be
    later than that edition's: it is the date readers see under the title."""
    return _issues(subject, DATE_NOT_BUMPED)


@rule(MATERIAL_REF, Severity.ERROR, ALWAYS, "policyc source format",
      en=MESSAGES[MATERIAL_REF],
      zh="重大变更类别 `{ref}` 须为说明该类变更的列表项的 id（通常在说明本政策如何更新的一节）")
def material_ref(subject: Subject) -> Iterator[Finding]:
    """Each entry of `material_changes` names, with `ref`, the list item that words the
    kind of change (usually in the section on updates); a `ref` that is no list item's
    id leaves the category without its wording."""
    return issues_with_code(subject, MATERIAL_REF, material_ref_issues)


@rule(MATERIAL_SECTION, Severity.ERROR, ALWAYS, "policyc source format",
      en=MESSAGES[MATERIAL_SECTION], zh="重大变更类别 `{ref}` 所列的章节 id `{section}` 不存在")
def material_section(subject: Subject) -> Iterator[Finding]:
    """The `sections` of a `material_changes` entry are ids of sections whose rewording
    counts as that kind of change; an id that names nothing would leave changes
    unclassified."""
    return issues_with_code(subject, MATERIAL_SECTION, material_ref_issues)


@rule(MATERIAL_NAME, Severity.ERROR, ALWAYS, "policyc source format",
      en=MESSAGES[MATERIAL_NAME], zh="重大变更类别须有 `ref`（说明该类变更的列表项）或 `label`（各语言的名称）")
def material_name(subject: Subject) -> Iterator[Finding]:
    """A `material_changes` entry is named in changelogs and on the changes page: by
    the list item its `ref` points at, or by its `label` per locale (`{zh-CN: 共享对象变化,
    en: Change of recipients}`) when the policy words it nowhere."""
    return issues_with_code(subject, MATERIAL_NAME, material_ref_issues)
