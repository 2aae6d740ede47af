"""`policyc diff` on real version histories: imported with `policyc import`, compared, and
measured against the original texts (tests/bench/diff_versions.py).

Every sentence one version has and the other has not must be quoted by some change (at
least 95 %); no change may read the same on both sides without a changed link (at most
5 %); the material flags must agree with a reviewer's labels
(tests/fixtures/versions/labels/).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.diff_versions import label_agreement, measure_service, sentences

CORPUS = Path(__file__).resolve().parent / "fixtures" / "versions" / "corpus"


@pytest.fixture(scope="module")
def bandcamp(tmp_path_factory):
    return measure_service(CORPUS / "Bandcamp", tmp_path_factory.mktemp("imported"))


def test_every_differing_sentence_is_quoted_by_a_change(bandcamp):
    differing = sum(pair.differing for pair in bandcamp)
    missing = [text for pair in bandcamp for text in pair.missing]
    assert differing >= 10
    assert len(missing) <= 0.05 * differing, missing


def test_no_change_reads_the_same_on_both_sides(bandcamp):
    changes = [c for pair in bandcamp for c in pair.changes]
    same = [c for c in changes if c["old"] and c["old"] == c["new"] and not c["links"]]
    assert changes and len(same) <= 0.05 * len(changes), same


def test_material_flags_agree_with_a_reviewers_labels(bandcamp):
    labelled = sum(pair.labelled for pair in bandcamp)
    agreed = sum(pair.agreed for pair in bandcamp)
    assert labelled == 6
    assert agreed >= 5, [d for pair in bandcamp for d in pair.disagreements]


def test_each_material_change_names_its_class_and_words(bandcamp):
    material = [c for pair in bandcamp for c in pair.changes if c["material"]]
    assert material
    for change in material:
        assert change["reason"]["class"] and change["reason"]["words"], change
    renamed = next(c for c in material if c["summary"] == "organisation legal name changed")
    assert renamed["reason"]["words"] == ["Bandcamp Ventures LLC"]


def test_the_measure_itself_reads_markdown_as_a_reader_does():
    found = sentences("# 1. Scope\n\n**Bold** words [with a link](https://x.example). "
                      "Second sentence here.\n\n| a cell | another cell |\n|---|---|\n")
    assert set(found.values()) == {"Scope", "Bold words with a link.", "Second sentence here.",
                                   "a cell", "another cell"}
    found = sentences("一、提示条款\n（六）直播服务\n1、我们会收集信息。您可以拒绝。\n")
    assert set(found.values()) == {"提示条款", "直播服务", "我们会收集信息。", "您可以拒绝。"}


def test_a_label_that_no_change_quotes_is_a_disagreement():
    from bench.diff_versions import Pair

    pair = Pair("x", "a", "b", [{"old": "one", "new": "two", "material": True}])
    label_agreement(pair, [{"pair": "a b", "text": "two", "material": True},
                           {"pair": "a b", "text": "three", "material": False}])
    assert (pair.labelled, pair.agreed) == (2, 1)
