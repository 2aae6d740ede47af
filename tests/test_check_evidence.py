"""What `policyc check` shows with each finding (the sentences it read, or the sections it
searched), what it leaves to a person (the review list), and how it reads prose: rights in
a list, a DPO in a sentence, negations and conditions."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyc.check import RULES, check_project
from policyc.cli import cli
from policyc.diagnostics import Report, Severity
from policyc.project import load_project

ROOT = Path(__file__).resolve().parent.parent
COMPLIANT = ROOT / "tests" / "fixtures" / "compliant"
REAL = sorted((ROOT / "tests" / "fixtures" / "real").glob("*/policy_src"))
BASECAMP = ROOT / "tests" / "fixtures" / "real" / "basecamp" / "policy_src"
CONTACT = "sections/09-changes-and-questions.yaml"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def checked(src: Path, profiles: list[str]) -> Report:
    report = Report()
    check_project(load_project(src, report), report, profiles, "en")
    return report


def codes(report: Report) -> set[str]:
    return {d.code for d in report.diagnostics if d.severity >= Severity.WARNING}


@pytest.fixture
def basecamp(tmp_path) -> Path:
    dest = tmp_path / "basecamp"
    shutil.copytree(BASECAMP, dest)
    return dest


def append(folder: Path, file: str, paragraph: str) -> None:
    """Add a paragraph at the end of the first blocks list of a section file."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    match = re.search(r"blocks:\n( *)- ", text)
    assert match, file
    item = f"{match.group(1)}- {json.dumps(paragraph, ensure_ascii=False)}\n"
    path.write_text(text[:match.end(1) - len(match.group(1))] + item
                    + text[match.end(1) - len(match.group(1)):], encoding="utf-8")


@pytest.mark.parametrize("src", REAL, ids=lambda p: p.parent.name)
def test_every_finding_on_a_real_policy_shows_what_it_read(src):
    report = checked(src, ["pipl", "gdpr", "ccpa"])
    assert report.diagnostics
    for finding in report.diagnostics + report.review:
        assert finding.evidence or finding.searched, finding.format()
        for evidence in finding.evidence:
            lines = Path(evidence.file).read_text(encoding="utf-8").split("\n")
            assert evidence.text and 0 < evidence.line <= len(lines)
        for section in finding.searched:
            assert (src / section.split(":")[0]).is_file(), section
        assert "None" not in finding.message


def test_json_and_text_carry_the_evidence():
    data = json.loads(run("check", str(BASECAMP), "-p", "gdpr", "-f", "json").stdout)
    representative = next(f for f in data["findings"] if f["code"] == "GDPR-27-REPRESENTATIVE")
    assert representative["searched"] and representative["evidence"] == []
    assert any(s.startswith(CONTACT) for s in representative["searched"])
    text = run("check", str(BASECAMP), "-p", "gdpr", "--lang", "en").stderr.split("\n")
    at = next(i for i, line in enumerate(text) if "[GDPR-27-REPRESENTATIVE]" in line)
    assert text[at + 1].startswith("    searched: ") and CONTACT in text[at + 1]


def test_a_dpo_in_a_sentence_is_read(basecamp):
    # no sign of systematic monitoring: whether a DPO is needed is for review
    report = checked(basecamp, ["gdpr"])
    assert "GDPR-13-DPO" not in codes(report) and "GDPR-13-DPO" in {d.code for d in report.review}
    append(basecamp, "sections/01-what-we-collect-and-why.yaml",
           "We share your data with advertising partners to show you interest-based ads.")
    report = checked(basecamp, ["gdpr"])
    dpo = next(d for d in report.diagnostics if d.code == "GDPR-13-DPO")
    assert "interest-based ads" in dpo.evidence[0].text and dpo.searched
    append(basecamp, CONTACT, "You can contact our Data Protection Officer at dpo[at]example[dot]com.")
    report = checked(basecamp, ["gdpr"])
    assert "GDPR-13-DPO" not in codes(report) | {d.code for d in report.review}


def test_a_rule_that_cannot_tell_puts_the_item_on_the_review_list(basecamp):
    append(basecamp, CONTACT, "We have appointed a Data Protection Officer.")
    report = checked(basecamp, ["gdpr"])
    assert "GDPR-13-DPO" not in codes(report)
    review = [d for d in report.review if d.code == "GDPR-13-DPO"]
    assert review and "appointed a Data Protection Officer" in review[0].evidence[0].text
    result = run("check", str(basecamp), "-p", "gdpr", "--lang", "en", "--review")
    assert re.search(r": review: the contact of the data protection officer .*\[GDPR-13-DPO\]",
                     result.stderr)
    count = len(report.sorted_review())
    assert re.search(rf", {count} to review \(profiles: gdpr\)$", result.stderr.strip())
    plain = run("check", str(basecamp), "-p", "gdpr", "--lang", "en").stderr
    assert ": review: " not in plain and f"{count} to review" in plain
    data = json.loads(run("check", str(basecamp), "-p", "gdpr", "-f", "json", "--review").stdout)
    assert data["summary"]["review"] == count == len(data["review"])
    assert "GDPR-13-DPO" in {item["code"] for item in data["review"]}


def test_rights_named_in_a_prose_list_are_rights(basecamp):
    append(basecamp, "sections/03-your-rights-with-respect-to-your-informa.yaml",
           "You may withdraw your consent at any time.")
    assert "GDPR-7-WITHDRAW" not in codes(checked(basecamp, ["gdpr"]))


def test_a_right_denied_is_not_a_right(basecamp):
    append(basecamp, "sections/03-your-rights-with-respect-to-your-informa.yaml",
           "You cannot withdraw your consent once given.")
    assert "GDPR-7-WITHDRAW" in codes(checked(basecamp, ["gdpr"]))


def test_a_negation_is_not_marketing(tmp_path):
    src = tmp_path / "compliant"
    shutil.copytree(COMPLIANT, src)
    append(src, "sections/01-collection.yaml", "我们不会向您发送营销短信。")
    assert "GDPR-21-4-MARKETING" not in codes(checked(src, ["gdpr"]))
    append(src, "sections/01-collection.yaml", "我们会用手机号码向您发送营销短信。")
    # consent can be withdrawn (撤回同意): marketing on consent may be stopped so — for review
    report = checked(src, ["gdpr"])
    assert "GDPR-21-4-MARKETING" not in codes(report)
    assert "GDPR-21-4-MARKETING" in {d.code for d in report.review}
    # a policy that grants no withdrawal: the marketing sentence is shown as the evidence
    found = [d for d in checked(BASECAMP, ["gdpr"]).diagnostics
             if d.code == "GDPR-21-4-MARKETING"]
    assert found and "we will send you our newsletter" in found[0].evidence[0].text


def test_sensitive_data_is_found_by_meaning_without_the_word(tmp_path):
    src = tmp_path / "compliant"
    shutil.copytree(COMPLIANT, src)
    path = src / "sections/01-collection.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("单独征得", "征得"), "utf-8")
    append(src, "sections/01-collection.yaml", "注册时我们会收集您的身份证号码和人脸图像。")
    report = checked(src, ["pipl"])
    assert "PIPL-29-SEPARATE-CONSENT" in codes(report)


def test_consent_by_continued_use_is_found(tmp_path):
    src = tmp_path / "compliant"
    shutil.copytree(COMPLIANT, src)
    assert "PIPL-14-CONTINUED-USE" not in codes(checked(src, ["pipl"]))
    append(src, "sections/08-updates.yaml", "您继续使用我们的服务，即视为您同意更新后的本政策。")
    found = [d for d in checked(src, ["pipl"]).diagnostics if d.code == "PIPL-14-CONTINUED-USE"]
    assert found and "即视为您同意" in found[0].evidence[0].text


def test_ccpa_holds_only_a_policy_that_addresses_california(tmp_path):
    src = tmp_path / "compliant"
    shutil.copytree(COMPLIANT, src)
    assert not codes(checked(src, ["ccpa"]))
    report = checked(BASECAMP, ["ccpa"])      # "California residents …"
    assert {c for c in codes(report)} <= {c for c in RULES if c.startswith("CCPA-")}
    assert "CCPA-OPT-OUT-LINK" not in codes(report)   # "opting out of sale" is there


def test_fail_on_gates_only_the_codes_named(tmp_path):
    assert run("check", str(BASECAMP), "-p", "gdpr").exit_code == 0
    assert run("check", str(BASECAMP), "-p", "gdpr", "--fail-on", "GDPR-7-WITHDRAW").exit_code == 1
    assert run("check", str(BASECAMP), "-p", "gdpr", "--fail-on", "GDPR-7*").exit_code == 1
    assert run("check", str(BASECAMP), "-p", "gdpr", "--fail-on", "GDPR-13-DPO").exit_code == 0
    assert run("check", str(BASECAMP), "-p", "gdpr", "--fail-on", "PIPL-").exit_code == 0


def test_silence_on_automated_decisions_is_a_warning_only_with_signs_of_profiling(tmp_path):
    src = tmp_path / "compliant"
    shutil.copytree(COMPLIANT, src)
    path = src / "sections/01-collection.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "我们不进行自动化决策，也不对您进行用户画像。", ""), "utf-8")
    report = checked(src, ["gdpr"])
    assert "GDPR-13-2F-AUTOMATED" not in codes(report)
    assert [d.code for d in report.review] == ["GDPR-13-2F-AUTOMATED"]
    append(src, "sections/01-collection.yaml", "We show you ads based on your interests.")
    found = [d for d in checked(src, ["gdpr"]).diagnostics if d.code == "GDPR-13-2F-AUTOMATED"]
    assert found and found[0].evidence[0].text == "We show you ads based on your interests."


def test_a_notice_that_supplements_another_policy_leaves_what_it_lacks_for_review(basecamp):
    before = checked(basecamp, ["gdpr"])
    missing = {d.code for d in before.diagnostics if d.searched}
    assert missing
    append(basecamp, CONTACT, "This notice supplements the Example Privacy Policy, which "
                              "describes our practices in general.")
    after = checked(basecamp, ["gdpr"])
    assert not missing & {d.code for d in after.diagnostics}
    assert missing <= {d.code for d in after.review}


def test_ccpa_items_are_for_review_when_the_california_notice_is_elsewhere(tmp_path):
    src = tmp_path / "compliant"
    shutil.copytree(COMPLIANT, src)
    append(src, "sections/01-collection.yaml",
           "If you are a California resident, please see our [CCPA Notice](https://qinghe.test/ccpa).")
    report = checked(src, ["ccpa"])
    assert not codes(report)
    assert {"CCPA-CATEGORIES", "CCPA-NON-DISCRIMINATION"} <= {d.code for d in report.review}
