"""Precision of `policyc check` on real policies: every finding is labelled by hand in
tests/findings/<policy>.yaml (true: the policy lacks what it says; false: it does not),
precision per profile is at least 90 %, and the omissions a reader sees at once are found."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policyc.check import RULES, check_project
from policyc.diagnostics import Diagnostic, Report, Severity
from policyc.project import load_project

ROOT = Path(__file__).resolve().parent.parent
LABELS = sorted((ROOT / "tests" / "findings").glob("*.yaml"))
MINIMUM_PRECISION = 0.9


def labels(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def findings(source: Path, profile: str) -> list[Diagnostic]:
    """The check findings (warnings and errors of the rules) under one profile."""
    report = Report()
    check_project(load_project(source, report), report, [profile], "en")
    return [d for d in report.sorted() if d.code in RULES and d.severity >= Severity.WARNING]


def line_text(finding: Diagnostic) -> str:
    return Path(finding.loc.path).read_text(encoding="utf-8").split("\n")[finding.loc.line - 1]


def is_labelled_by(finding: Diagnostic, label: dict, source: Path) -> bool:
    return (finding.code == label["code"]
            and Path(finding.loc.path).resolve() == (source / label["file"]).resolve()
            and label["near"] in line_text(finding))


def pair(found: list[Diagnostic], entries: list[dict], source: Path):
    """Each finding with the first unused entry that identifies it; what is left over."""
    unused = list(entries)
    pairs, unlabelled = [], []
    for finding in found:
        entry = next((e for e in unused if is_labelled_by(finding, e, source)), None)
        if entry is None:
            unlabelled.append(finding)
        else:
            unused.remove(entry)
            pairs.append((finding, entry))
    return pairs, unlabelled, unused


CASES = [(path, profile) for path in LABELS for profile in labels(path)["profiles"]]


def case_id(case) -> str:
    return f"{case[0].stem}-{case[1]}"


@pytest.mark.parametrize("path, profile", CASES, ids=[case_id(c) for c in CASES])
def test_every_finding_is_labelled_and_precision_reaches_90_percent(path, profile):
    data = labels(path)
    source = ROOT / data["source"]
    entries = data["profiles"][profile]["findings"]
    pairs, unlabelled, stale = pair(findings(source, profile), entries, source)
    assert not unlabelled, "findings without a label: " + "; ".join(
        d.format() for d in unlabelled)
    assert not stale, f"labels of findings that no longer occur: {stale}"
    assert all(isinstance(e["label"], bool) for e in entries)
    assert all(e.get("omission") for e in entries if e["label"]), \
        "a true finding names its omission"
    true = sum(entry["label"] for _, entry in pairs)
    precision = true / len(pairs) if pairs else 1.0
    assert precision >= MINIMUM_PRECISION, f"{path.stem} under {profile}: {precision:.0%}"


@pytest.mark.parametrize("path, profile", CASES, ids=[case_id(c) for c in CASES])
def test_the_obvious_omissions_are_found(path, profile):
    data = labels(path)
    source = ROOT / data["source"]
    omissions = data["profiles"][profile].get("omissions", [])
    found = findings(source, profile)
    missed = [o for o in omissions if not any(is_labelled_by(d, o, source) for d in found)]
    assert not missed, f"omissions not reported: {missed}"


def test_each_real_policy_and_the_reference_are_labelled():
    real = ROOT / "tests" / "fixtures" / "real"
    encoded = sorted(p.parent.relative_to(ROOT).as_posix()
                     for p in real.glob("*/policy_src/policy.yaml"))
    sources = {labels(path)["source"] for path in LABELS}
    assert "policy_src" in sources
    assert set(encoded) <= sources, encoded
