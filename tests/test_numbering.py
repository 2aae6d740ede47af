"""Numbers and cross-references are generated from structure, in each locale's style."""
from __future__ import annotations

import re

import pytest

from conftest import write_policy
from policyc.build import build
from policyc.locales import chinese_number, latin_letter, roman

NESTED = """\
title: Scope
id: scope
blocks:
  - numbered:
      - first
      - text: second
        id: second-item
        blocks:
          - numbered: [inner one, inner two]
  - clauses:
      - text: a clause
        id: the-clause
sections:
  - title: Details
    id: details
    sections:
      - title: Deeper
        blocks:
          - See {ref:contact-us}, {ref:details}, {ref:second-item} and {ref:the-clause}.
"""
CONTACT = """\
title: Contact us
id: contact-us
type: contact
"""


def _built_md(tmp_path, locale: str) -> str:
    src = write_policy(tmp_path / "src", {"a.yaml": NESTED, "b.yaml": CONTACT}, locale=locale)
    build(src, tmp_path / "out", ["md"])
    return (tmp_path / "out" / locale / "privacy-policy.md").read_text("utf-8")


@pytest.mark.parametrize("n, expected", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"),
                                         (21, "二十一"), (99, "九十九"), (100, "一百"),
                                         (105, "一百零五"), (110, "一百一十")])
def test_chinese_numbers(n, expected):
    assert chinese_number(n) == expected


def test_letters_and_roman_numerals():
    assert [latin_letter(n) for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert [roman(n) for n in (1, 4, 9, 14, 40)] == ["i", "iv", "ix", "xiv", "xl"]


def test_english_numbering_style(tmp_path):
    md = _built_md(tmp_path, "en")
    headings = re.findall(r"^#+ (.+)$", md, re.M)
    assert headings[1:] == ["1. Scope", "1.1 Details", "1.1.1 Deeper", "2. Contact us"]
    assert "(a) first" in md and "(b) second" in md
    assert "(i) inner one" in md and "(ii) inner two" in md
    assert "1.1 a clause" in md
    assert "See Section 2, Section 1.1, Section 1(b) and Section 1.1." in md


def test_chinese_numbering_style(tmp_path):
    md = _built_md(tmp_path, "zh-CN")
    headings = re.findall(r"^#+ (.+)$", md, re.M)
    assert headings[1:] == ["一、Scope", "（一）Details", "1、Deeper", "二、Contact us"]
    assert "1、first" in md and "2、second" in md
    assert "（1）inner one" in md and "（2）inner two" in md
    assert "（一）a clause" in md
    assert "See 第二条, 第一条（一）, 第一条第2项 and 第一条（一）." in md
