"""Translation rules: every declared locale's wording matches the binding text.

The matching itself lives in :mod:`policyc.translate` (the build reports the same
issues); these rules make the issues part of ``policyc check``. They run with every
profile and find nothing in a policy published in one locale only.
"""
from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ..translate import MESSAGES, MISSING, MOVED, NO_CATALOG, STALE, UNUSED, project_issues
from .registry import ALWAYS, Finding, Subject, issues_with_code, rule

ARTICLE = "policyc translations (policy.yaml `locales`, translations/<locale>.yaml)"


def _issues(subject: Subject, code: str) -> Iterator[Finding]:
    return issues_with_code(subject, code, project_issues)


@rule(STALE, Severity.ERROR, ALWAYS, ARTICLE, en=MESSAGES[STALE],
      zh="`{path}` 的 {locale} 译文已过时：{binding} 原文已由“{old}”改为“{new}”（见 {source}）；"
         "请更新译文及其 `source`")
def stale(subject: Subject) -> Iterator[Finding]:
    """A translation records the binding wording it translates (`source`). When the
    binding text has changed since, the translation may no longer say what the binding
    text says, and is never published as current: update the translation, then copy the
    new wording into `source` (`--allow-stale`, or `translations: {stale: show}` in
    policy.yaml, publishes the new binding wording in its place, marked as not yet
    translated)."""
    return _issues(subject, STALE)


@rule(MISSING, Severity.ERROR, ALWAYS, ARTICLE, en=MESSAGES[MISSING],
      zh="`{path}` 缺少 {locale} 译文（请添加到 {catalog}）")
def missing(subject: Subject) -> Iterator[Finding]:
    """Every text of the binding sources has a translation in each declared locale;
    an edition with gaps would mix languages (`--allow-stale` makes this a warning
    and shows the binding wording, marked)."""
    return _issues(subject, MISSING)


@rule(NO_CATALOG, Severity.ERROR, ALWAYS, ARTICLE, en=MESSAGES[NO_CATALOG],
      zh="语言 “{locale}” 没有译文：{catalog} 不存在，全部 {total} 段文字均缺少译文")
def no_catalog(subject: Subject) -> Iterator[Finding]:
    """Each locale listed in `locales` besides the binding one needs its catalog,
    translations/<locale>.yaml."""
    return _issues(subject, NO_CATALOG)


@rule(MOVED, Severity.WARNING, ALWAYS, ARTICLE, en=MESSAGES[MOVED],
      zh="此译文登记在 `{at}` 下，但其原文现在位于 `{path}`；请将 `at` 改为 `{path}`")
def moved(subject: Subject) -> Iterator[Finding]:
    """A translation whose text moved (a paragraph was inserted before it) is still
    found by its wording; its `at` should name the new place."""
    return _issues(subject, MOVED)


@rule(UNUSED, Severity.WARNING, ALWAYS, ARTICLE, en=MESSAGES[UNUSED],
      zh="`{at}` 不对应任何原文；请删除此译文")
def unused(subject: Subject) -> Iterator[Finding]:
    """A translation whose place and wording match no text of the sources translates
    something that was removed."""
    return _issues(subject, UNUSED)
