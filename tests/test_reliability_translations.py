"""A translation is never published for a text it was not written for."""
from __future__ import annotations

import lxml.html
from click.testing import CliRunner

from policyc.cli import cli

from conftest import write_policy

FIRST = "我们收集您的电子邮箱地址，用于登录您的账户。"
SECOND = "我们保存您的个人信息，直到您注销账户为止。"
INSERTED = "如您是未满十四周岁的未成年人，请在监护人的陪同下阅读本政策。"
CATALOG = f"""\
locale: en
texts:
  - at: s/blocks/1
    source: {FIRST}
    text: We collect your e-mail address to sign you in.
  - at: s/blocks/2
    source: {SECOND}
    text: We keep your personal information until you close your account.
"""


def english_paragraphs(tmp_path, blocks: list[str]) -> tuple[list[str], str]:
    section = "id: s\ntitle: 收集\nblocks:\n" + "".join(f"  - {b}\n" for b in blocks)
    src = write_policy(tmp_path / "src", {"s.yaml": section}, locale="zh-CN")
    policy = src / "policy.yaml"
    policy.write_text(policy.read_text("utf-8") + "locales: [zh-CN, en]\n", "utf-8")
    (src / "translations").mkdir()
    (src / "translations" / "en.yaml").write_text(CATALOG + "  - at: s/title\n    source: 收集\n"
                                                  "    text: Collection\n", "utf-8")
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"), "-f",
                                      "html", "--allow-missing"])
    assert result.exit_code == 0, result.output
    page = lxml.html.parse(str(tmp_path / "out" / "en" / "privacy-policy.html")).getroot()
    known = ("We collect", "We keep", "我们", INSERTED)
    return [p.text_content() for p in page.iter("p")
            if any(k in p.text_content() for k in known)], result.stderr


def test_an_inserted_paragraph_does_not_inherit_the_translation_it_pushed_along(tmp_path):
    reworded = FIRST.replace("登录您的账户", "登录您的账户和发送通知")
    shown, stderr = english_paragraphs(tmp_path, [INSERTED, reworded, SECOND])
    assert INSERTED in shown[0] and "We collect" not in shown[0]
    # stale: never shown as current; the new binding wording stands in its place, marked
    assert reworded in shown[1] and "not translated" in shown[1]
    assert shown[2] == "We keep your personal information until you close your account."
    assert "I18N-STALE" in stderr and "I18N-MISSING" in stderr


def test_an_unchanged_policy_keeps_every_translation(tmp_path):
    shown, _ = english_paragraphs(tmp_path, [FIRST, SECOND])
    assert shown == ["We collect your e-mail address to sign you in.",
                     "We keep your personal information until you close your account."]


def test_a_text_error_is_reported_once_at_its_column_for_all_editions(tmp_path):
    section = f"id: s\ntitle: 收集\nblocks:\n  - 新段落包含{{nosuch}}变量。\n  - {FIRST}\n"
    src = write_policy(tmp_path / "src", {"s.yaml": section}, locale="zh-CN")
    policy = src / "policy.yaml"
    policy.write_text(policy.read_text("utf-8") + "locales: [zh-CN, en]\n", "utf-8")
    (src / "translations").mkdir()
    (src / "translations" / "en.yaml").write_text(CATALOG, "utf-8")
    for extra in ([], ["--allow-missing"]):
        result = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"),
                                          "-f", "html", *extra])
        errors = [e for e in result.stderr.splitlines() if "unknown variable" in e]
        assert len(errors) == 1, result.stderr
        assert errors[0].split(": error:")[0].endswith("s.yaml:4:10")
