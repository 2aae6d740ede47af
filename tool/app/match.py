"""The policy set against the app's build: which permissions and SDKs each side names.

:func:`app_check` reads the build paths of policy.yaml (``app.build``) and those given
on the command line, and indexes the policy's permission wordings (resolved through the
permission table), its SDKs (through the catalogue) and its data items, for the rules
of :mod:`policyc.check.app`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import model as m
from ..diagnostics import Diagnostic, Loc, Report
from . import AppBuild, Evidence, read_app
from .catalogue import load_catalogue
from .tables import Catalogue, CatalogueSdk, PermissionTable, covered, short_name


@dataclass
class PolicyPermission:
    """A permission the policy names: the text that names it and the permissions meant."""

    text: m.Text
    names: frozenset[str]


@dataclass
class AppCheck:
    build: AppBuild
    problems: list[Diagnostic]
    table: PermissionTable
    catalogue: Catalogue
    declared: list[PolicyPermission] = field(default_factory=list)
    in_build: dict[str, tuple[CatalogueSdk, Evidence]] = field(default_factory=dict)
    policy_sdks: list[tuple[m.Sdk, CatalogueSdk | None]] = field(default_factory=list)

    def declared_names(self) -> set[str]:
        """Every permission the policy declares, with those Android split it into."""
        return set(covered({name for entry in self.declared for name in entry.names}))

    def requested_names(self) -> set[str]:
        """Every permission the app requests, with those Android split it into."""
        return set(covered({short_name(r.name) for r in self.build.permissions}))

    def listed_sdk_ids(self) -> set[str]:
        return {sdk.id for _, sdk in self.policy_sdks if sdk is not None}


def build_paths(policy: m.Policy, root: Path, extra: list[Path]) -> list[tuple[Path, Loc | None]]:
    """The build paths to read: policy.yaml's ``app.build`` (relative to it), then ``extra``."""
    app = getattr(policy, "app", None)
    paths: list[tuple[Path, Loc | None]] = [(root / str(p), p.loc)
                                           for p in (app.build if app is not None else ())]
    return paths + [(Path(p), None) for p in extra]


def read_paths(project) -> list[Path]:
    """Every file or folder an app check of ``project`` reads besides its sources:
    policy.yaml's ``app.build`` and ``app.sdk_catalogue`` (relative to it)."""
    app = getattr(project.policy, "app", None)
    paths = [path for path, _ in build_paths(project.policy, project.root, [])]
    if app is not None and app.sdk_catalogue:
        paths.append(project.root / str(app.sdk_catalogue))
    return paths


def app_check(project, extra: list[Path], features: list[m.Feature],
              rows: list[m.PermissionRow], sdks: list[m.Sdk]) -> AppCheck | None:
    """Everything the app rules need, or None when no build is named."""
    policy = project.policy
    paths = build_paths(policy, project.root, extra)
    if not paths:
        return None
    report = Report()
    build = read_app(paths, report)
    app = getattr(policy, "app", None)
    aliases = [(str(a.wording), [str(n) for n in a.android])
               for a in (app.permission_aliases if app is not None else ())]
    table = PermissionTable(aliases)
    catalogue_path = (project.root / str(app.sdk_catalogue)
                      if app is not None and app.sdk_catalogue else None)
    catalogue = load_catalogue(catalogue_path, report)
    check = AppCheck(build, report.sorted(), table, catalogue)
    for row in rows:
        for name in row.android:
            check.declared.append(PolicyPermission(name, frozenset([short_name(str(name))])))
        for wording in row.permissions:
            check.declared.append(PolicyPermission(wording, table.resolve(wording)))
    for owner in (*features, *sdks):
        for wording in owner.permissions:
            check.declared.append(PolicyPermission(wording, table.resolve(wording)))
    for evidence in sorted(build.sdk_evidence(), key=lambda e: (e.loc.path, e.loc.line)):
        sdk = catalogue.identify(evidence.kind, evidence.value)
        if sdk is not None and sdk.id not in check.in_build:
            check.in_build[sdk.id] = (sdk, evidence)
    check.policy_sdks = [(sdk, catalogue.listed_as(str(sdk.id or ""), str(sdk.name),
                                                   str(sdk.provider or ""))) for sdk in sdks]
    return check
