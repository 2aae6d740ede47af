"""Check stage: what a policy lacks or gets inconsistent, rule by rule, with the article.

Rules live in one module per family — :mod:`.consistency` (always on), :mod:`.pipl`,
:mod:`.gbt35273` and :mod:`.miit` (profile ``pipl``), :mod:`.gdpr` (profile ``gdpr``),
:mod:`.ccpa` (profile ``ccpa``, for policies addressing California residents) —
and register themselves in :data:`RULES`. :func:`check_project` runs the rules of the
chosen profiles and adds one diagnostic per finding, with the rule's code.
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from ..diagnostics import Diagnostic, Report
from ..project import Project
# importing a family registers its rules
from . import (app, ccpa, consistency, gbt35273, gdpr, i18n, miit, pipl, roles,  # noqa: F401
               versions)
from .registry import (ALWAYS, LANGUAGES, RULES, Evidence, Finding, Rule, Subject,
                       applies_to_third_party_list, defers_to_another_policy)
from . import cn2025  # noqa: F401  (after pipl: it reads PIPL-28's findings)

if TYPE_CHECKING:
    from ..document import Document

PROFILES = ("pipl", "gdpr", "ccpa")
__all__ = ["ALWAYS", "PROFILES", "RULES", "Evidence", "Finding", "Rule", "check_project",
           "default_profiles", "find_rule", "gating", "message_language"]


def default_profiles(locale: str) -> list[str]:
    """The profile a policy in ``locale`` is checked against: pipl for Chinese, else gdpr."""
    return ["pipl"] if locale.lower().startswith("zh") else ["gdpr"]


def message_language(locale: str) -> str:
    """The language of messages for a policy locale: zh for Chinese, else en."""
    return "zh" if locale.lower().startswith("zh") else "en"


def check_project(project: Project, report: Report, profiles: list[str] | None = None,
                  language: str | None = None, app_paths: list | None = None,
                  binding: Document | None = None) -> list[tuple[Rule, Finding]]:
    """Run the consistency rules and those of ``profiles`` (default: by locale).

    Each finding is added to ``report`` with its code and a message in ``language``
    (default: the policy's); the (rule, finding) pairs are returned too. ``app_paths``
    are app build files or folders checked against the policy besides ``app.build``.
    ``binding`` is the binding edition when the caller has resolved it already: the
    facts it prints are taken from it instead of resolving it again.
    """
    locale = str(project.policy.locale)
    wanted = {ALWAYS, *(profiles or default_profiles(locale))}
    language = language or message_language(locale)
    if language not in LANGUAGES:
        raise ValueError(f"unknown message language {language!r}")
    subject = Subject.of(project)
    only_list = subject.is_third_party_list()
    subject.computed[app.APP_PATHS] = list(app_paths or ())
    if binding is not None:
        subject.print_facts_of(binding)
    found: list[tuple[Rule, Finding]] = []
    for rule in RULES.values():
        if rule.profile not in wanted or only_list and not applies_to_third_party_list(
                rule.code):
            continue
        for finding in rule.check(subject):
            finding = with_evidence(finding)
            if finding.searched and defers_to_another_policy(subject):
                finding = finding.for_review()     # the item may stand in the other policy
            diagnostic = Diagnostic(finding.loc, rule.severity, rule.text(finding, language),
                                    rule.code, finding.evidence, finding.searched)
            if finding.review:
                report.review.append(diagnostic)
                continue
            found.append((rule, finding))
            report.diagnostics.append(diagnostic)
    return found


def with_evidence(finding: Finding) -> Finding:
    """``finding`` as shown: a rule that gave neither the sentences it read nor the
    sections it searched is shown with the source line it points at."""
    if finding.evidence or finding.searched:
        return finding
    line = source_line(finding.loc)
    return finding.reading(Evidence(finding.loc.path, finding.loc.line, line)) if line \
        else finding


def source_line(loc) -> str:
    """The line ``loc`` points at, stripped ("" when it cannot be read)."""
    try:
        lines = Path(loc.path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[loc.line - 1].strip() if 0 < loc.line <= len(lines) else ""


def gating(codes: Iterable[str]) -> Callable[[str], bool]:
    """Whether a rule code is one of ``codes`` (any case), or begins with one that ends
    in ``-`` or ``*`` (``PIPL-``, ``GDPR-13*``: a family)."""
    wanted = [c.strip().upper() for c in codes if c.strip()]
    def gates(code: str) -> bool:
        return any(code == w or (w.endswith(("-", "*")) and code.startswith(w.rstrip("*")))
                   for w in wanted)
    return gates


def find_rule(code: str) -> tuple[Rule | None, list[str]]:
    """The rule with ``code`` (any case), or None and the closest codes."""
    rule = RULES.get(code.upper())
    if rule is not None:
        return rule, []
    return None, difflib.get_close_matches(code.upper(), list(RULES), n=3, cutoff=0.5)
