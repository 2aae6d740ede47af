"""Version rules: changed content gets a new version and a new last-updated date.

The sources are compared with the newest recorded edition (``archive/`` folder or git
tag, see :mod:`.snapshots`). When the content differs but ``version`` or
``last_updated`` still says what the recorded edition said, readers and the archive
could not tell the two apart. Without a recorded edition there is nothing to find.
"""
from __future__ import annotations

from ..diagnostics import Diagnostic, Issue, Report, Severity, display_path
from ..project import Project
from .compare import compare
from .material import (MESSAGES as MATERIAL_MESSAGES, NO_NAME, UNKNOWN_REF, UNKNOWN_SECTION,
                       unknown_refs)
from .snapshots import Snapshot, recorded_snapshots

NOT_BUMPED = "VERSION-NOT-BUMPED"
DATE_NOT_BUMPED = "VERSION-DATE-NOT-BUMPED"
MATERIAL_REF = "VERSION-MATERIAL-REF"
MATERIAL_SECTION = "VERSION-MATERIAL-SECTION"
MATERIAL_NAME = "VERSION-MATERIAL-NAME"

MESSAGES = {
    NOT_BUMPED: "the content changed since version {version} was recorded ({source}: "
                "{count} changes) but `version` is still {version}",
    DATE_NOT_BUMPED: "the content changed since version {recorded} was recorded ({source}) "
                     "but `last_updated` is still {date}",
    MATERIAL_REF: MATERIAL_MESSAGES[UNKNOWN_REF],
    MATERIAL_SECTION: MATERIAL_MESSAGES[UNKNOWN_SECTION],
    MATERIAL_NAME: MATERIAL_MESSAGES[NO_NAME],
}


def version_issues(project: Project) -> list[Issue]:
    """Changed content without a new version or last-updated date, compared with the
    newest recorded edition."""
    recorded = recorded_snapshots(project, Report())
    if not recorded:
        return []
    last = recorded[-1]
    comparison = compare(last, Snapshot(project, display_path(project.root)), Report())
    if not comparison.changes:
        return []
    policy, before = project.policy, last.project.policy
    values = {"source": last.source, "count": str(len(comparison.changes))}
    out = []
    if str(policy.version) == str(before.version):
        out.append(Issue(NOT_BUMPED, policy.version.loc,
                                {**values, "version": str(policy.version)}))
    if policy.last_updated and before.last_updated and \
            str(policy.last_updated) <= str(before.last_updated):
        out.append(Issue(DATE_NOT_BUMPED, policy.last_updated.loc,
                                {**values, "recorded": str(before.version),
                                 "date": str(policy.last_updated)}))
    return out


def material_ref_issues(project: Project) -> list[Issue]:
    """`material_changes` entries whose `ref` or `sections` name nothing in the policy."""
    codes = {UNKNOWN_REF: MATERIAL_REF, UNKNOWN_SECTION: MATERIAL_SECTION,
             NO_NAME: MATERIAL_NAME}
    return [Issue(codes[kind], loc, values) for kind, loc, values in unknown_refs(project)]


def version_diagnostics(project: Project) -> list[Diagnostic]:
    """The findings of :func:`version_issues` as warnings, with English messages."""
    return [Diagnostic(issue.loc, Severity.WARNING, issue.worded(MESSAGES), issue.code)
            for issue in version_issues(project)]
