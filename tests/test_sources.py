"""Parsed source files are kept between runs, and never at the cost of a diagnostic."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from policyc import load, sources
from policyc.check import check_project
from policyc.diagnostics import PolicyError, Report
from policyc.project import load_project
from policyc.resolve import resolve


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The files YAML-parsed from now on, by their shown path."""
    seen: list[str] = []
    real = load.load_bytes

    def recording(data, shown, report):
        seen.append(shown)
        return real(data, shown, report)
    monkeypatch.setattr(load, "load_bytes", recording)
    return seen


def _findings(project) -> list[str]:
    report = Report()
    check_project(project, report)
    return [d.format() for d in report.sorted()]


def test_a_second_load_reads_no_yaml_and_gives_the_same_policy(src_copy, cache_home, parses):
    first = load_project(src_copy)
    files = len(parses)
    assert files == len(first.files) == 12     # policy.yaml, 10 sections, en.yaml
    second = load_project(src_copy)
    assert len(parses) == files                # nothing parsed again
    assert len(list((cache_home / "policyc" / "sources").iterdir())) == files
    # same content, same positions: the same document and the same findings at the same lines
    assert repr(resolve(second, Report(), "en")) == repr(resolve(first, Report(), "en"))
    assert _findings(second) == _findings(first) and _findings(first)


def test_a_changed_file_is_parsed_again(src_copy, cache_home, parses):
    load_project(src_copy)
    contact = src_copy / "sections" / "10-contact.yaml"
    contact.write_text(contact.read_text("utf-8").replace("如何联系我们", "联系我们"), "utf-8")
    parses.clear()
    project = load_project(src_copy)
    assert [Path(p).name for p in parses] == ["10-contact.yaml"]
    assert resolve(project, Report(), "zh-CN").sections[-1].title == ("联系我们",)


def test_a_file_with_problems_is_reported_on_every_run(src_copy, cache_home):
    policy = src_copy / "policy.yaml"
    policy.write_text(policy.read_text("utf-8") + "colour: blue\n", "utf-8")
    for _ in range(2):
        with pytest.raises(PolicyError) as raised:
            load_project(src_copy)
        assert any("colour" in d.message for d in raised.value.report.errors)
    cached = list((cache_home / "policyc" / "sources").iterdir())
    assert len(cached) == 10      # the sections (read for their own problems), not policy.yaml


def test_a_damaged_or_unwritable_cache_only_means_parsing_again(src_copy, cache_home, parses):
    expected = _findings(load_project(src_copy))
    for entry in (cache_home / "policyc" / "sources").iterdir():
        entry.write_bytes(b"not a pickle")
    parses.clear()
    assert _findings(load_project(src_copy)) == expected
    assert len(parses) == 12
    os.environ["XDG_CACHE_HOME"] = str(src_copy / "policy.yaml")   # a file: no folder there
    assert _findings(load_project(src_copy)) == expected


def test_the_cache_keeps_a_bounded_number_of_entries(src_copy, cache_home, monkeypatch):
    """Past a quarter more than KEEP_ENTRIES, the oldest go until KEEP_ENTRIES are left."""
    monkeypatch.setattr(sources, "KEEP_ENTRIES", 16)   # pruned when 21 are there
    folder = cache_home / "policyc" / "sources"
    contact = src_copy / "sections" / "10-contact.yaml"
    text = contact.read_text("utf-8")
    counts, later = [], set()
    for n in range(10):   # 12 files, then one more entry per edit
        contact.write_text(text + f"# edit {n}\n", "utf-8")
        before = {p.name for p in folder.iterdir()} if folder.exists() else set()
        load_project(src_copy)
        counts.append(len(list(folder.iterdir())))
        if n:
            later |= {p.name for p in folder.iterdir()} - before
    assert counts == [12, 13, 14, 15, 16, 17, 18, 19, 20, 16]
    assert later <= {p.name for p in folder.iterdir()}   # the oldest went, the edits stay


def test_pruning_skips_entries_another_build_removed_meanwhile(tmp_path, monkeypatch):
    """A batch's workers prune the same cache folder at once (a race found by make bench)."""
    import os

    from policyc import sources

    monkeypatch.setattr(sources, "KEEP_ENTRIES", 3)
    for n in range(6):
        (tmp_path / f"entry{n}").write_bytes(b"x")
        os.utime(tmp_path / f"entry{n}", ns=(n * 10**9, n * 10**9))
    real_scandir = os.scandir

    def scandir(path):
        listed = list(real_scandir(path))
        os.unlink(tmp_path / "entry2")   # another build removes it after the listing
        return iter(listed)

    monkeypatch.setattr(sources.os, "scandir", scandir)
    sources._prune(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry3", "entry4", "entry5"]
