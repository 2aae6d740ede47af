"""Published facts: the structured facts an edition prints, as the rules see them.

A rule is satisfied only by a fact the reader sees. Each fact is named
``"subject/field"``: ``feature:<id or name>/purpose``, ``sdk:<id or name>/provider``,
``policy/storage.region`` … The resolved :class:`~policyc.document.Document` of the
binding edition records what it prints in ``Document.published`` (in its own text, a
fact line or the MIIT lists); every recorded fact missing from it is reported by
``CONS-FACT-UNPUBLISHED``.
"""
from __future__ import annotations

from typing import Iterator

from .. import model as m
from ..diagnostics import Report
from ..project import Project
from ..resolve import resolve, subjects

FEATURE_FIELDS = ("purpose", "data", "retention", "on_expiry", "method", "legal_basis",
                  "frequency")
SDK_FIELDS = ("package", "version", "function", "provider", "contact", "purpose", "scenario",
              "method", "data", "permissions", "policy_url", "links")
POLICY_FIELDS = ("storage.region", "storage.retention", "storage.cross_border",
                 "children.age", "children.guardian_consent", "children.rules",
                 "gdpr.representative", "gdpr.dpo", "gdpr.supervisory_authority",
                 "contact.officer")


def subject_names(project: Project) -> dict[int, str]:
    """The subject each feature and third party is published under (``feature:register``,
    ``sdk:微信SDK``, ``feature:3``), by the object's identity: the names the resolved
    document uses."""
    return subjects(project, project)


def policy_value(policy: m.Policy, dotted: str) -> object:
    """The value of a dotted field of policy.yaml, None when a part is absent."""
    value: object = policy
    for part in dotted.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def recorded_facts(project: Project) -> Iterator[tuple[str, object]]:
    """("subject/field", value) of every structured fact the sources record."""
    sections = [s for sf in project.sections for s in _walk(sf.section)]
    names = subject_names(project)
    for feature in (f for s in sections if isinstance(s, m.DataCollectedSection)
                    for f in s.features):
        for name in FEATURE_FIELDS:
            value = getattr(feature, name)
            if value:
                yield f"{names[id(feature)]}/{name}", value
    for sdk in (x for s in sections if isinstance(s, m.SdksSection) for x in s.sdks):
        for name in SDK_FIELDS:
            value = getattr(sdk, name)
            if value:
                yield f"{names[id(sdk)]}/{name}", value
    for dotted in POLICY_FIELDS:
        value = policy_value(project.policy, dotted)
        if value is not None and value != "":
            yield f"policy/{dotted}", value


def fact_loc(project: Project, fact: str, value: object):
    """Where a recorded fact is written: its value's place, else the place of the
    object holding it (``children`` for ``children.age``)."""
    loc = getattr(value, "loc", None)
    if loc is None and isinstance(value, list) and value:
        loc = getattr(value[0], "loc", None)
    if loc is None and fact.startswith("policy/"):
        parent = policy_value(project.policy, fact[len("policy/"):].rsplit(".", 1)[0])
        loc = getattr(parent, "loc", None)
    return loc if loc is not None else project.policy.loc


def _walk(section: m.SectionBase) -> Iterator[m.SectionBase]:
    yield section
    for child in section.sections:
        yield from _walk(child)


def published_facts(project: Project) -> set[str]:
    """The facts the binding edition prints, as its resolved document records them."""
    return set(resolve(project, Report(), report_translations=False).published)
