"""`policyc import` keeps every sentence, invents nothing, and proves it: the verifier,
facts only from statements and only as whole words, structure as the input shows it."""
from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
import yaml
from click.testing import CliRunner

from policyc.build import build
from policyc.cli import cli
from policyc.importers.facts import substitute

CORPUS = Path(__file__).resolve().parent / "corpus"


def run_import(source: Path, out: Path, *options: str):
    return CliRunner().invoke(cli, ["import", str(source), "-o", str(out), *options])


def page(src: Path, out: Path, locale: str):
    """The built HTML page of ``src``: (its visible text, its root element)."""
    build(src, out, ["html"])
    root = lxml.html.fromstring((out / locale / "privacy-policy.html").read_bytes())
    for node in root.xpath("//style|//script"):
        node.drop_tree()
    return root.xpath("string(//body)"), root


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


ZH = """隐私政策
一、我们收集的信息
我们收集您的手机号码，用于注册和登录。
二、如何联系我们
如有问题，请与我们联系。
"""


def test_a_lost_sentence_is_an_error_naming_its_line_and_the_sources_are_written(
        tmp_path, monkeypatch):
    source = write(tmp_path, "p.txt", ZH)
    from policyc.importers import structure

    original = structure.build

    def losing(entries):       # a recogniser that drops a paragraph
        found = original(entries)
        found.sections[0].blocks.clear()
        return found

    monkeypatch.setattr(structure, "build", losing)
    monkeypatch.setattr("policyc.importers.build_structure", losing)
    result = run_import(source, tmp_path / "src")
    assert result.exit_code == 1
    assert f"{source}:3:1: error: not on the page: 我们收集您的手机号码，用于注册和登录" in \
        result.stderr
    assert "kept 4 of 5 sentences" in result.stdout
    assert (tmp_path / "src" / "policy.yaml").is_file()


def test_the_verifier_counts_every_sentence(tmp_path):
    result = run_import(write(tmp_path, "p.txt", ZH), tmp_path / "src")
    assert result.exit_code == 0, result.stderr
    assert "kept 5 of 5 sentences on the page" in result.stdout


def test_nothing_the_input_does_not_say(tmp_path):
    src = tmp_path / "src"
    assert run_import(write(tmp_path, "p.txt", ZH), src).exit_code == 0
    policy = yaml.safe_load((src / "policy.yaml").read_text("utf-8"))
    assert not {"last_updated", "contact", "organisation", "app"} & set(policy)
    text, root = page(src, tmp_path / "out", "zh-CN")
    assert not re.search(r"\d{4}\s*年|日期|待补充|example\.com|目录", text), text
    assert root.xpath("//nav[contains(@class, 'toc')]") == []


def test_a_stated_date_prints_in_the_inputs_wording(tmp_path):
    src = tmp_path / "src"
    source = write(tmp_path, "p.txt", ZH.replace("隐私政策\n", "隐私政策\n更新日期：2023年5月1日\n"))
    assert run_import(source, src).exit_code == 0
    text, _ = page(src, tmp_path / "out", "zh-CN")
    assert "更新日期：2023年5月1日" in text and "最近更新日期" not in text


def test_a_stray_control_character_is_dropped_and_reported(tmp_path):
    source = tmp_path / "p.txt"
    source.write_bytes(ZH.replace("注册", "注\x05册").encode("utf-8"))
    result = run_import(source, tmp_path / "src")
    assert result.exit_code == 0, result.stderr
    assert "control character U+0005" in result.stdout
    text, _ = page(tmp_path / "src", tmp_path / "out", "zh-CN")
    assert "用于注册和登录" in text and "\x05" not in text


@pytest.mark.parametrize("text, value, expected", [
    ("Acme Corporation", "ration", "Acme Corporation"),
    ("write to help@coolapk.com", "p@coolapk.com", "write to help@coolapk.com"),
    ("北京火山引擎科技有限公司", "火山引擎科技有限公司", "北京火山引擎科技有限公司"),
    ("由火山引擎科技有限公司提供", "火山引擎科技有限公司", "由{org_name}提供"),
    ("mail p@coolapk.com.", "p@coolapk.com", "mail {org_name}."),
    ("[us](mailto:p@coolapk.com)", "p@coolapk.com", "[us](mailto:p@coolapk.com)"),
])
def test_a_fact_replaces_only_a_whole_word(text, value, expected):
    assert substitute(text, [("org_name", value)], {"org_name": 0}) == expected


def test_facts_come_only_from_statements(tmp_path):
    source = write(tmp_path, "p.txt", """隐私政策
北京示例科技有限公司（以下简称“示例”）提供本应用。我们的合作方上海其他信息技术有限公司也会处理数据。
一、我们收集的信息
示例APP收集您的设备信息。由北京示例科技有限公司负责。
二、如何联系我们
电子邮箱：help@example.org
""")
    src = tmp_path / "src"
    assert run_import(source, src).exit_code == 0
    policy = yaml.safe_load((src / "policy.yaml").read_text("utf-8"))
    assert policy["organisation"] == {"legal_name": "北京示例科技有限公司", "short_name": "示例"}
    assert policy["contact"] == {"email": "help@example.org"}
    assert "app" not in policy                       # 示例APP is a fragment, not a statement
    sources = "".join(p.read_text("utf-8") for p in (src / "sections").glob("*.yaml"))
    assert "由{org_name}负责" in sources


def _facts(policy: dict) -> list[tuple[list[str], str]]:
    found = []
    for path in (["organisation", "legal_name"], ["organisation", "address"],
                 ["contact", "email"], ["contact", "phone"]):
        holder = policy
        for key in path:
            holder = holder.get(key, {}) if isinstance(holder, dict) else {}
        if isinstance(holder, str):
            found.append((path, holder))
    return found


@pytest.mark.parametrize("policy", sorted(CORPUS.glob("*/*.*")), ids=lambda p: p.stem)
def test_a_changed_fact_changes_the_page_only_where_it_was_printed(tmp_path, policy):
    """Property over the real policies: for every fact import found, a new value changes
    the page exactly where the old one was printed."""
    if policy.suffix not in (".md", ".txt"):
        pytest.skip("not a policy")
    locale = "zh-CN" if policy.parent.name == "zh-apps" else "en"
    src = tmp_path / "src"
    assert run_import(policy, src, "--locale", locale).exit_code == 0
    text = (src / "policy.yaml").read_text("utf-8")
    facts = _facts(yaml.safe_load(text))
    if not facts:
        pytest.skip("no fact stated")
    before, _ = page(src, tmp_path / "before", locale)
    for n, (path, value) in enumerate(facts):
        marker = f"ZQX{n}QZX@example.net" if path[-1] == "email" else f"ZQX{n}QZX"
        written = yaml.safe_load(text)
        written[path[0]][path[1]] = marker
        (src / "policy.yaml").write_text(yaml.safe_dump(written, allow_unicode=True), "utf-8")
        after, _ = page(src, tmp_path / f"after{n}", locale)
        assert after.replace(marker, value) == before, path
    (src / "policy.yaml").write_text(text, "utf-8")


def test_headings_links_and_numbering_as_the_input_shows_them(tmp_path):
    source = write(tmp_path, "p.md", """# Privacy Policy

Read [our terms](https://example.org/terms) or <https://example.org/help>, and
[the data we keep](#3-1-basic-account-data).

**1. Scope**

We apply this policy to the whole service.

We do these things:

4. We keep your account safe.
5. We answer your questions.

## 3.1 Basic account data

We keep your **name** and your e-mail address.
""")
    src = tmp_path / "src"
    result = run_import(source, src, "--locale", "en")
    assert result.exit_code == 0, result.stderr
    text, root = page(src, tmp_path / "out", "en")
    assert "**" not in text
    hrefs = root.xpath("//a/@href")
    assert {"https://example.org/terms", "https://example.org/help",
            "#3-1-basic-account-data"} <= set(hrefs)
    assert root.xpath("//*[@id='3-1-basic-account-data']//text()")
    labels = [e.text_content() for e in root.xpath("//li//span[@class='num']")]
    assert [label.strip() for label in labels] == ["4.", "5."]
    headings = [" ".join(h.text_content().split()) for h in root.xpath("//main//h2|//main//h3")]
    assert any(h.endswith("Scope") for h in headings) and \
        any(h.endswith("Basic account data") for h in headings)
    assert root.xpath("//strong[text()='name']")


def test_text_copied_with_its_markdown_reads_as_markup(tmp_path):
    source = write(tmp_path, "p.txt", """# 示例隐私政策
 **一、** **我们收集的信息**
我们收集您的 **
手机号码** ，详见[《用户协议》](https://example.org/terms)与<https://example.org/p>。
**二、如何联系我们**
如有问题请与我们联系。
""")
    src = tmp_path / "src"
    result = run_import(source, src)
    assert result.exit_code == 0, result.stderr
    text, root = page(src, tmp_path / "out", "zh-CN")
    assert "**" not in text and "](" not in text
    assert root.xpath("//strong[contains(text(), '手机号码')]")
    assert {"https://example.org/terms", "https://example.org/p"} <= set(root.xpath("//a/@href"))
    headings = [" ".join(h.text_content().split()) for h in root.xpath("//main//h2")]
    assert len(headings) == 2 and headings[0].endswith("我们收集的信息") and \
        headings[1].endswith("如何联系我们")


def test_numbers_and_bullets_print_as_the_input_wrote_them(tmp_path):
    source = write(tmp_path, "p.txt", """用户协议
第1条 服务条款的确认
1\\. 本协议由您与我们订立。
第2条 用户行为
● 您不得发布违法信息。
● 您应妥善保管账号。
""")
    src = tmp_path / "src"
    result = run_import(source, src)
    assert result.exit_code == 0, result.stderr
    text, _ = page(src, tmp_path / "out", "zh-CN")
    squeezed = re.sub(r"\s+", "", text)
    for written in ("第1条服务条款的确认", "第2条用户行为", "●您不得发布违法信息。",
                    "●您应妥善保管账号。"):
        assert written in squeezed, written
