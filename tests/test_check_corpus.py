"""The yardstick of `policyc check`: real policies no one here wrote, imported with
`policyc import`, every finding labelled by hand in tests/findings/corpus/<policy>.yaml as a
lawyer would (tp: agrees; fp: the policy says it; debatable), with the omissions a lawyer
flags first. Per profile, at least 90 % of the labelled findings are tp (debatable counts
against), at least 80 % of the omissions are findings, and no more than a fifth of the
findings are new ones no label names yet.

The English policies (Open Terms Archive, ODC-BY) are stored next to the labels and are
checked in every run. The Chinese app policies (CA4P, no licence to copy them) are not
stored: their labels quote the sentences they judge, and they are re-checked when
POLICYC_CORPUS names a folder holding ``zh-apps/`` (the corpus the labels were made on).
"""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from policyc.check import RULES, check_project
from policyc.cli import cli
from policyc.diagnostics import Diagnostic, Report, Severity
from policyc.project import load_project

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "findings" / "corpus"
LABELS = sorted(CORPUS.glob("*.yaml"))
EXTERNAL = os.environ.get("POLICYC_CORPUS")
MINIMUM_PRECISION = 0.9
MINIMUM_RECALL = 0.8
MAXIMUM_UNLABELLED = 0.2      # a share of new findings tolerated until they are labelled
VERDICTS = ("tp", "fp", "debatable")


def labels(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def original(data: dict) -> Path | None:
    """The policy a label file judges: stored (en-web) or in POLICYC_CORPUS (zh-apps)."""
    stored = CORPUS / data["source"]
    if stored.is_file():
        return stored
    if EXTERNAL and (Path(EXTERNAL) / data["source"]).is_file():
        return Path(EXTERNAL) / data["source"]
    return None


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The sources `policyc import` makes of each policy, imported once per run."""
    made: dict[Path, Path] = {}

    def get(path: Path) -> Path:
        if path not in made:
            out = tmp_path_factory.mktemp("corpus") / "src"
            result = CliRunner().invoke(cli, ["import", str(path), "-o", str(out)])
            assert result.exit_code == 0, result.output
            made[path] = out
        return made[path]
    return get


def findings(source: Path, profile: str) -> list[Diagnostic]:
    report = Report()
    check_project(load_project(source, report), report, [profile], "en")
    return [d for d in report.sorted() if d.code in RULES and d.severity >= Severity.WARNING]


def matches(finding: Diagnostic, label: dict) -> bool:
    """A label names a finding by its code and, when several share it, by words of its
    evidence or message (``near``)."""
    if finding.code != label["code"]:
        return False
    near = label.get("near")
    return not near or near in finding.message or any(
        near in e.text.replace("\\", "") for e in finding.evidence)


def judged(found: list[Diagnostic], entries: list[dict]) -> tuple[Counter, list, list]:
    """The verdicts of the findings (``unlabelled`` for a finding no label names), the
    unlabelled findings, and the labels no finding has."""
    unused, verdicts, unlabelled = list(entries), Counter(), []
    for finding in found:
        entry = next((e for e in unused if matches(finding, e)), None)
        if entry is None:
            unlabelled.append(finding)
            verdicts["unlabelled"] += 1
        else:
            unused.remove(entry)
            verdicts[entry["label"]] += 1
    return verdicts, unlabelled, unused


def measure(profile: str, imported) -> dict:
    """Per profile: verdict counts, omissions listed and found, over every policy that can
    be checked here; the problems (unlabelled findings, stale labels) by policy."""
    totals, listed, found_omissions, problems, policies = Counter(), 0, 0, {}, 0
    for path in LABELS:
        data = labels(path)
        if profile not in data["profiles"] or original(data) is None:
            continue
        policies += 1
        entries = data["profiles"][profile]
        found = findings(imported(original(data)), profile)
        verdicts, unlabelled, stale = judged(found, entries["findings"])
        totals.update(verdicts)
        omissions = entries.get("omissions") or []
        listed += len(omissions)
        found_omissions += sum(any(matches(f, o) for f in found) for o in omissions)
        if unlabelled or stale:
            problems[path.stem] = ([d.format() for d in unlabelled],
                                   [e["code"] for e in stale])
    return {"verdicts": totals, "listed": listed, "found": found_omissions,
            "problems": problems, "policies": policies}


PROFILES = sorted({p for path in LABELS for p in labels(path)["profiles"]})


@pytest.mark.parametrize("profile", PROFILES)
def test_a_lawyer_agrees_with_nine_findings_in_ten(profile, imported):
    result = measure(profile, imported)
    if not result["policies"]:
        pytest.skip(f"no {profile} policy here (set POLICYC_CORPUS for zh-apps)")
    verdicts = result["verdicts"]
    labelled = sum(verdicts.values()) - verdicts["unlabelled"]
    precision = verdicts["tp"] / labelled if labelled else 1.0
    assert precision >= MINIMUM_PRECISION, (
        f"{profile}: {verdicts['tp']} of {labelled} findings agreed ({precision:.0%}); "
        f"{dict(verdicts)}; unlabelled or stale: {result['problems']}")
    # findings no one has judged (the importer or a rule changed): label them
    assert verdicts["unlabelled"] <= MAXIMUM_UNLABELLED * sum(verdicts.values()), (
        f"{profile}: {verdicts['unlabelled']} findings have no label: {result['problems']}")


@pytest.mark.parametrize("profile", PROFILES)
def test_most_omissions_a_lawyer_flags_are_found(profile, imported):
    result = measure(profile, imported)
    if not result["listed"]:
        pytest.skip(f"no {profile} omissions here (set POLICYC_CORPUS for zh-apps)")
    recall = result["found"] / result["listed"]
    assert recall >= MINIMUM_RECALL, (
        f"{profile}: {result['found']} of {result['listed']} omissions found ({recall:.0%})")


def test_every_label_is_a_verdict_with_a_reason_about_a_known_rule():
    for path in LABELS:
        data = labels(path)
        assert (CORPUS / data["source"]).is_file() or data["source"].startswith("zh-apps/"), path
        for profile, entries in data["profiles"].items():
            for entry in entries["findings"]:
                assert entry["code"] in RULES and entry["label"] in VERDICTS, (path, entry)
                assert entry.get("reason"), (path, entry)
            for omission in entries.get("omissions") or []:
                assert omission.get("reason") and omission["code"], (path, omission)


def test_the_yardstick_holds_twenty_policies_of_each_kind():
    kinds = Counter(labels(path)["source"].split("/")[0] for path in LABELS)
    assert kinds["en-web"] >= 20 and kinds["zh-apps"] >= 20, kinds
