"""Real policies imported from their published form (tests/fixtures/real/*/original.md):
their build reproduces the published sentences, and the imported sources come close to
the ones written by hand (policy_src/ beside each original).

How close, measured here: the same top-level sections with the same titles, the rights
section typed with the same kinds and layout, the same date line (wording and format),
the same organisation names, address, e-mail and phone, TanCloud's contact section
typed with its details left in its sentences as by hand; what differs is 37signals'
last section (Changes and questions), which the hand-written sources type as contact,
the contents list that 37signals' hand-written sources turn off (`contents_depth: 0`)
and TanCloud's front matter (left out by hand; the import keeps its keys in
`front_matter`).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from fidelity import missing_sentences
from test_import import imported
from policyc import model as m
from policyc.build import build
from policyc.project import load_project

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
POLICIES = {"tancloud": "zh-CN", "basecamp": "en-US"}


@pytest.fixture(scope="module", params=sorted(POLICIES))
def real_import(request, tmp_path_factory):
    """(name, imported sources, their build folder, the import's report)."""
    name = request.param
    tmp = tmp_path_factory.mktemp(f"import-{name}")
    src, report = imported(tmp, REAL / name / "original.md")
    build(src, tmp / "build", ["html", "md"])
    return name, src, tmp / "build", report


def _edition(build_dir: Path) -> Path:
    return next(p for p in build_dir.iterdir() if (p / "privacy-policy.md").is_file())


@pytest.mark.parametrize("ext", ["md", "html"])
def test_published_sentences_are_reproduced(real_import, ext):
    name, _, build_dir, _ = real_import
    original = (REAL / name / "original.md").read_text("utf-8")
    missing, total = missing_sentences(original, _edition(build_dir) / f"privacy-policy.{ext}")
    assert total > 150
    assert 1 - len(missing) / total >= 0.95, (name, len(missing), total, missing)


def _rights(sections):
    for section in sections:
        if isinstance(section, m.RightsSection):
            return [r.kind for r in section.rights], section.layout
    return None


def test_imported_sources_come_close_to_the_hand_written_ones(real_import):
    name, src, _, _ = real_import
    hand = load_project(REAL / name / "policy_src")
    got = load_project(src)
    hand_sections = [f.section for f in hand.sections]
    got_sections = [f.section for f in got.sections]
    assert [str(s.title) for s in got_sections] == [str(s.title) for s in hand_sections]
    kinds, layout = _rights(got_sections)
    hand_kinds, hand_layout = _rights(hand_sections)
    assert kinds == hand_kinds and (layout or "subsections") == (hand_layout or "subsections")
    typed = [type(s).__name__ for s in got_sections]
    hand_typed = [type(s).__name__ for s in hand_sections]
    # every section has the hand-written type; 37signals' last section, "Changes and
    # questions", is typed contact by hand and stays prose (role updates) here
    differing = [h for t, h in zip(typed, hand_typed) if t != h]
    assert differing == ([] if name == "tancloud" else ["ContactSection"]), differing
    for field in ("last_updated", "effective", "version"):
        assert getattr(got.policy, field) == getattr(hand.policy, field), field
    assert got.policy.dates.last_updated == hand.policy.dates.last_updated
    got_org, hand_org = got.policy.organisation, hand.policy.organisation
    assert (got_org.legal_name, got_org.short_name) == (hand_org.legal_name, hand_org.short_name)
    assert got.policy.contact.email == hand.policy.contact.email
    assert got.policy.contact.phone == hand.policy.contact.phone
    assert got_org.address == hand_org.address
    assert got.policy.locale == hand.policy.locale
    assert got.policy.front_matter == hand.policy.front_matter or name == "tancloud"


def test_the_report_names_what_was_recognised(real_import):
    name, _, _, report = real_import
    path = f"{name}/original.md"
    assert f"{path}:1: front matter: its title is the title, its keys go to front_matter" \
        in report
    if name == "tancloud":
        assert f"{path}:305: rights: 7 (access, correct, delete, withdraw_consent, " \
               "cancel_account, copy, requests)" in report
        assert f"{path}:345: （六）获取个人信息副本： runs into its text" in report
        # the original cites 第九条【如何联系我们】 though 如何联系我们 is 十
        assert f"{path}:53: 第九条 names 法律适用与管辖, but the text calls it '如何联系我们'" in report
    else:
        assert f"{path}:113: rights: 10 (explanation, access, correct, delete, complaint, " \
               "restrict, object, portability, automated_decisions, other)" in report
        assert "numbering: none" in report
