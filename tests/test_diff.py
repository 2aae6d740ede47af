"""`policyc diff`: changes in terms of the policy's data, material or minor, with redlines.

Each case under tests/fixtures/versions/ holds the files that differ from `base/`; the
new edition is a copy of `base/` with the case's files laid over it.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from conftest import REFERENCE_SRC
from policyc.cli import cli
from policyc.versions import compare, describe, load_snapshot
from policyc.versions.redline import redline, redline_html, redline_markdown, redline_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "versions"


def edition(tmp_path: Path, case: str, side: str = "new") -> Path:
    """``base/`` with the files of ``case`` laid over it, in ``tmp_path/side/case``."""
    dest = tmp_path / side / case
    shutil.copytree(FIXTURES / "base", dest, dirs_exist_ok=True)
    if case != "base":
        shutil.copytree(FIXTURES / case, dest, dirs_exist_ok=True)
    return dest


def run_diff(*args: str):
    return CliRunner().invoke(cli, ["diff", *args])


def diff_json(tmp_path: Path, case: str) -> tuple[int, dict]:
    result = run_diff(str(edition(tmp_path, "base", "old")), str(edition(tmp_path, case)),
                      "--format", "json")
    return result.exit_code, json.loads(result.output)


CASES = [
    ("sdk-added", "SDK 友盟SDK added (collects 设备标识符)", "material-recipients"),
    # a recipient removed narrows what is shared: minor
    ("sdk-removed", "SDK 微信SDK removed", None),
    ("permission-purpose", "permission 拨打电话: purpose changed", "material-purpose"),
    ("data-type-added", "feature 注册账号 now collects 设备标识符", "material-purpose"),
    ("contact-email", "contact e-mail changed", "material-contact"),
    ("sharing-reworded", "section 三 item 1 reworded", "material-recipients"),
    # a stricter condition for sharing names no new recipient: the section alone is no reason
    ("sharing-tightened", "section 三 item 1 reworded", None),
    ("wording-only", "section 五 paragraph 1 reworded", None),
]


@pytest.mark.parametrize("case, line, category", CASES, ids=[c[0] for c in CASES])
def test_each_change_kind_is_one_changelog_line_with_its_category(tmp_path, case, line,
                                                                  category):
    code, data = diff_json(tmp_path, case)
    assert code == 1
    assert [c["summary"] for c in data["changes"]] == [line]
    assert data["changes"][0]["category"] == category
    assert data["material"] is (category is not None)
    assert data["outcome"] == ("material" if category else "minor")


def test_identical_editions_exit_0_and_a_version_bump_alone_is_no_change(tmp_path):
    code, data = diff_json(tmp_path, "base")
    assert (code, data["outcome"], data["changes"]) == (0, "none", [])
    code, data = diff_json(tmp_path, "version-bumped")
    assert (code, data["changes"], data["new"]["version"]) == (0, [], "1.1")


def test_text_output_groups_by_category_with_wdiff_redlines(tmp_path):
    result = run_diff(str(edition(tmp_path, "base", "old")),
                      str(edition(tmp_path, "permission-purpose")))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].endswith("1 change, material")
    assert "note: the content changed but version and last_updated were not updated" in lines
    assert "material: 处理个人信息的目的、类型发生变化" in lines
    assert "  ~ permission 拨打电话: purpose changed" in lines
    assert "      通过[-本机号码-]{+网络电话+}联系客户" in lines


def test_changes_are_phrased_in_the_policys_language_too(tmp_path):
    comparison = compare(load_snapshot(str(edition(tmp_path, "base", "old"))),
                         load_snapshot(str(edition(tmp_path, "sdk-added"))))
    (change, category), = comparison.changes
    assert describe(change, "zh-CN") == "新增第三方SDK「友盟SDK」（收集设备标识符）"
    assert category is not None and category.label == "个人信息共享的主要对象发生变化"
    assert change.loc.line == 11 and change.loc.path.endswith("sections/sdks.yaml")


def test_without_declared_categories_the_default_set_classifies(tmp_path):
    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, "contact-email")
    for folder in (old, new):
        text = (folder / "policy.yaml").read_text(encoding="utf-8")
        (folder / "policy.yaml").write_text(text.split("material_changes:")[0], encoding="utf-8")
    result = run_diff(str(old), str(new), "-f", "json")
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["material"] is True
    assert data["changes"][0]["category"] == "contact"
    assert [c["id"] for c in data["categories"]] == ["purpose", "ownership", "recipients",
                                                    "rights", "contact"]


def test_inserted_paragraph_is_one_addition_not_a_cascade(tmp_path):
    new = edition(tmp_path, "base")
    path = new / "sections" / "sharing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - numbered:", "  - 我们会要求接收方遵守本政策。\n  - numbered:"), encoding="utf-8")
    result = run_diff(str(edition(tmp_path, "base", "old")), str(new), "-f", "json")
    data = json.loads(result.output)
    assert [c["summary"] for c in data["changes"]] == ["section 三 paragraph 2 added"]
    assert data["changes"][0]["new"] == "我们会要求接收方遵守本政策。"


def test_added_section_is_one_change_with_its_wording(tmp_path):
    new = edition(tmp_path, "base")
    (new / "sections" / "children.yaml").write_text(
        "title: 儿童的个人信息\nblocks:\n  - 我们不向儿童提供服务。\n", encoding="utf-8")
    policy = (new / "policy.yaml").read_text(encoding="utf-8")
    (new / "policy.yaml").write_text(policy.replace(
        "  - sections/contact.yaml\n", "  - sections/contact.yaml\n  - sections/children.yaml\n"),
        encoding="utf-8")
    data = json.loads(run_diff(str(edition(tmp_path, "base", "old")), str(new), "-f", "json").output)
    assert [(c["summary"], c["category"], c["new"]) for c in data["changes"]] == [
        ("section 七 (儿童的个人信息) added", None, "儿童的个人信息\n我们不向儿童提供服务。")]


def test_reference_policy_against_itself_and_bad_arguments(tmp_path):
    assert run_diff(str(REFERENCE_SRC), str(REFERENCE_SRC)).exit_code == 0
    result = run_diff(str(tmp_path / "nowhere"), str(REFERENCE_SRC))
    assert result.exit_code == 2
    assert "is neither a source folder nor a git revision" in result.output


def test_invalid_sources_cannot_be_compared(tmp_path):
    broken = edition(tmp_path, "base")
    (broken / "sections" / "sdks.yaml").write_text("title: x\ntype: sdks\nsdks: [{}]\n",
                                                    encoding="utf-8")
    result = run_diff(str(edition(tmp_path, "base", "old")), str(broken))
    assert result.exit_code == 2
    assert "sdks.yaml:3:8: error: missing required key `name` in SDK" in result.output


def test_unknown_material_change_ref_is_an_error_with_its_line(tmp_path):
    new = edition(tmp_path, "base")
    text = (new / "policy.yaml").read_text(encoding="utf-8")
    (new / "policy.yaml").write_text(text.replace("ref: material-rights", "ref: material-right"),
                                     encoding="utf-8")
    result = run_diff(str(edition(tmp_path, "base", "old")), str(new))
    assert result.exit_code == 2
    assert ("policy.yaml:30:10: error: material change `material-right` must be the id of a "
            "list item") in result.output


# ----------------------------------------------------------------------------- redlines


def test_redline_marks_words_and_chinese_characters():
    assert redline_text("contact us at old@example.com today", "contact us at new@example.com "
                        "today") == "contact us at [-old@example.com-]{+new@example.com+} today"
    assert redline_text("我们会保存您的信息", "我们将保存您的信息") == "我们[-会-]{+将+}保存您的信息"
    # a one-character island between two edits is folded into them
    assert redline("甲乙丙", "丁乙戊") == [("~", "甲乙丙", "丁乙戊")]


def test_redline_html_escapes_and_markdown_uses_one_convention():
    html = redline_html("<b>旧</b>文字", "<b>新</b>文字")
    assert html == "&lt;b&gt;<del>旧</del><ins>新</ins>&lt;/b&gt;文字"
    assert redline_markdown("保存三年", "保存五年") == "保存<del>三</del><ins>五</ins>年"
    assert redline_markdown("用于统计。", "用于统计，分析。") == "用于统计<ins>，分析</ins>。"
    # rendered by a CommonMark renderer: the tags stay tags, the wording stays literal
    rendered = MarkdownIt("commonmark").render(redline_markdown("保存*三*年", "保存**五**年"))
    assert rendered == "<p>保存*<del>三</del><ins>*五*</ins>*年</p>\n"


def scratch(tmp_path: Path, name: str) -> Path:
    return shutil.copytree(FIXTURES / "base", tmp_path / name)


def rewrite(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_text_output_shows_section_numbers_and_added_wording(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    rewrite(new, "policy.yaml", "  - sections/sdks.yaml\n  - sections/sharing.yaml\n",
            "  - sections/sharing.yaml\n  - sections/sdks.yaml\n")
    rewrite(new, "sections/sharing.yaml", "  - 我们不会与任何公司、组织和个人分享您的个人信息，但以下情况除外：\n",
            "  - 我们不会与任何公司、组织和个人分享您的个人信息，但以下情况除外：\n"
            "  - 我们会与广告合作伙伴共享您的设备标识符。\n")
    rewrite(new, "sections/collection.yaml", "        purpose: 注册和登录\n",
            "        purpose: 注册和登录\n        retention: 账号注销后30日内删除\n")
    rewrite(new, "sections/rights.yaml", "      - 您可以通过客服电话要求删除您的个人信息。",
            "      - 您可以通过客服电话要求删除您的个人信息。\n      - ''")
    rewrite(new, "sections/rights.yaml", "      - ''\n", "")
    lines = run_diff(str(old), str(new)).output.splitlines()
    assert "  + §三 → §二 paragraph 2 added" in lines
    assert lines[lines.index("  + §三 → §二 paragraph 2 added") + 1] == \
        "      + 我们会与广告合作伙伴共享您的设备标识符。"
    assert "  ~ §二 → §三 (第三方SDK) moved" in lines
    retention = lines.index("  ~ feature 注册账号: retention period changed")
    assert lines[retention + 1] == "      + 账号注销后30日内删除"


def test_removed_wording_is_quoted_and_settings_are_not(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    rewrite(old, "sections/collection.yaml", "        purpose: 注册和登录\n",
            "        purpose: 注册和登录\n        legal_basis: contract\n")
    rewrite(new, "sections/collection.yaml", "        purpose: 注册和登录\n",
            "        purpose: 注册和登录\n        legal_basis: consent\n")
    rewrite(new, "sections/sharing.yaml", "      - 根据法律法规的要求。", "")
    rewrite(new, "sections/sharing.yaml", "      - 事先获得您的明确同意；\n", "      - 事先获得您的明确同意。\n")
    text = run_diff(str(old), str(new)).output
    assert "feature 注册账号: legal basis changed (订立、履行合同所必需 → 您的同意)" in text
    assert "      - 根据法律法规的要求。" in text
    data = compare(load_snapshot(str(old), "policy_src", None),
                   load_snapshot(str(new), "policy_src", None), None).to_json()
    basis = next(c for c in data["changes"] if "legal basis" in c["summary"])
    assert (basis["old"], basis["new"]) == ("", "") and "→" in basis["values"]


def test_links_and_untitled_sections_read_as_a_reader_sees_them(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    rewrite(new, "sections/sdks.yaml", "    purpose: 微信登录\n", "    purpose: 微信登录\n    links:\n"
            "      - {title: 隐私政策, url: 'https://weixin.example/privacy'}\n")
    rewrite(new, "policy.yaml", "  - sections/contact.yaml\n",
            "  - sections/contact.yaml\n  - sections/closing.yaml\n")
    (new / "sections" / "closing.yaml").write_text("blocks:\n  - 感谢您的信任。\n", encoding="utf-8")
    lines = run_diff(str(old), str(new)).output.splitlines()
    links = lines.index("  ~ SDK 微信SDK: links changed")
    assert lines[links + 1] == "      + 隐私政策: https://weixin.example/privacy"
    assert "  + untitled section added" in lines and "()" not in "\n".join(lines)


def test_layout_settings_are_no_change_of_the_policy(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    rewrite(new, "policy.yaml", "locale: zh-CN\n", "locale: zh-CN\npaper: Letter\n"
            "contents_depth: 0\nmiit_lists: no\nnumbering: decimal\n")
    result = run_diff(str(old), str(new))
    assert result.exit_code == 0, result.output
    assert "0 changes" in result.output


def test_material_by_what_the_words_say_not_by_the_sections_role(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    for side in (old, new):
        rewrite(side, "policy.yaml", "  - ref: material-recipients\n    kinds: [recipients]\n"
                "    sections: [sharing]\n", "  - label: {zh-CN: 共享对象发生变化, en: Change of "
                "recipients}\n    kinds: [recipients]\n")
        rewrite(side, "sections/sharing.yaml", "id: sharing\n", "id: sharing\nrole: sharing\n")
    rewrite(new, "sections/sharing.yaml", "      - 根据法律法规的要求。", "      - 根据法律法规的强制要求。")
    result = run_diff(str(old), str(new), "--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["material"] is False   # the role alone: minor
    rewrite(new, "sections/sharing.yaml", "      - 根据法律法规的强制要求。",
            "      - 根据法律法规的强制要求，或向我们的广告合作伙伴提供。")
    data = json.loads(run_diff(str(old), str(new), "--format", "json").output)
    (change,) = data["changes"]
    assert (change["category"], change["reason"]["kind"]) == ("material-2", "recipients")
    assert "合作伙伴" in change["reason"]["words"]
    assert "material: 共享对象发生变化" in run_diff(str(old), str(new)).output


# ----------------------------------------------------------------------------- what a reader sees


def json_of(old: Path, new: Path) -> dict:
    result = run_diff(str(old), str(new), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_spacing_and_markup_alone_are_no_change(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    rewrite(new, "sections/updates.yaml", "  - 对于重大变更，我们会提供更为显著的通知。",
            "  - 对于重大变更，我们会提供**更为显著**的通知。  ")
    rewrite(new, "sections/sharing.yaml", "      - 根据法律法规的要求。", "      - 根据法律法规的  要求。")
    data = json_of(old, new)
    assert (data["outcome"], data["changes"]) == ("none", [])


def test_a_changed_link_target_is_a_change_of_its_links(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    for side, url in ((old, "https://old.example/form"), (new, "https://new.example/form")):
        rewrite(side, "sections/updates.yaml", "  - 对于重大变更，我们会提供更为显著的通知。",
                f"  - 对于重大变更，我们会通过[通知页面]({url})提供更为显著的通知。")
    (change,) = json_of(old, new)["changes"]
    assert change["old"] == change["new"] == "对于重大变更，我们会通过通知页面提供更为显著的通知。"
    assert change["links"] == [{"old": "https://old.example/form",
                                "new": "https://new.example/form"}]
    assert change["material"] is False
    assert change["where"] == "五、本政策如何更新"
    text = run_diff(str(old), str(new)).output
    assert "      link: https://old.example/form → https://new.example/form" in text
    rewrite(new, "sections/updates.yaml", "提供更为显著的通知。", "提供更显著的通知。")
    (change,) = json_of(old, new)["changes"]       # reworded, and the target changed too
    assert change["new"] == "对于重大变更，我们会通过通知页面提供更显著的通知。"
    assert change["links"] == [{"old": "https://old.example/form",
                                "new": "https://new.example/form"}]


def test_where_and_location_name_both_editions(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    rewrite(new, "sections/updates.yaml", "  - 对于重大变更，我们会提供更为显著的通知。",
            "  - 对于重大变更，我们会以弹窗提供更为显著的通知。")
    (change,) = json_of(old, new)["changes"]
    assert change["location"]["old"].endswith("old/sections/updates.yaml:4:5")
    assert change["location"]["new"].endswith("new/sections/updates.yaml:4:5")
    removed = scratch(tmp_path, "removed")
    rewrite(removed, "sections/sharing.yaml", "      - 根据法律法规的要求。\n", "")
    (change,) = json_of(old, removed)["changes"]
    assert (change["old"], change["new"]) == ("根据法律法规的要求。", "")
    assert change["location"]["old"].endswith("old/sections/sharing.yaml:7:9")
    assert change["where"] == "三、我们如何共享您的个人信息"


def sections_by_position(folder: Path) -> None:
    """Give every section the id of its position, as import writes them."""
    for k, name in enumerate(["collection", "sdks", "sharing", "rights", "updates",
                              "contact"], 1):
        path = folder / "sections" / f"{name}.yaml"
        text = path.read_text(encoding="utf-8")
        if f"id: {name}\n" in text:
            text = text.replace(f"id: {name}\n", f"id: section-{k}\n")
        else:
            text = f"id: section-{k}\n" + text
        path.write_text(text, encoding="utf-8")


def test_an_inserted_section_with_ids_by_position_is_one_change(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    for side in (old, new):
        text = (side / "policy.yaml").read_text(encoding="utf-8")
        (side / "policy.yaml").write_text(text.split("material_changes:")[0], encoding="utf-8")
    sections_by_position(old)
    (new / "sections" / "storage.yaml").write_text(
        "title: 我们如何保存您的个人信息\nblocks:\n  - 我们将您的个人信息保存在中国境内。\n",
        encoding="utf-8")
    rewrite(new, "policy.yaml", "  - sections/sdks.yaml\n",
            "  - sections/sdks.yaml\n  - sections/storage.yaml\n")
    sections_by_position(new)       # storage is section-3 now: every later id shifts
    data = json_of(old, new)
    assert [c["summary"] for c in data["changes"]] == [
        "section 三 (我们如何保存您的个人信息) added"]


def test_a_moved_section_is_a_move_and_numbers_skip_unnumbered_front_sections(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    for side in (old, new):
        (side / "sections" / "about.yaml").write_text(
            "title: 关于我们\nblocks:\n  - 示例科技有限公司是本应用的运营者。\n", encoding="utf-8")
        rewrite(side, "policy.yaml", "sections:\n", "front_sections:\n  - sections/about.yaml\n"
                "sections:\n")
    rewrite(new, "policy.yaml", "  - sections/sdks.yaml\n  - sections/sharing.yaml\n",
            "  - sections/sharing.yaml\n  - sections/sdks.yaml\n")
    rewrite(new, "sections/sharing.yaml", "      - 根据法律法规的要求。", "      - 根据法律法规的强制要求。")
    data = json_of(old, new)
    assert [c["summary"] for c in data["changes"]] == [        # in the new edition's order
        "§三 → §二 item 2 reworded", "§二 → §三 (第三方SDK) moved"]
    assert data["changes"][0]["where"] == "二、我们如何共享您的个人信息"


def test_materiality_is_read_from_the_words_with_the_reason(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    for side in (old, new):
        rewrite(side, "sections/collection.yaml", "id: collection\n",
                "id: collection\nblocks:\n  - 我们会记录您的帐号信息和运动记录。\n")
    rewrite(new, "sections/collection.yaml", "  - 我们会记录您的帐号信息和运动记录。",
            "  - 我们会记录您的账号信息和运动记录。")
    (change,) = json_of(old, new)["changes"]
    assert (change["material"], change["reason"]) == (False, None)   # 帐 → 账 is spelling
    rewrite(new, "sections/collection.yaml", "  - 我们会记录您的账号信息和运动记录。",
            "  - 我们会记录您的账号信息、运动记录和步数，其中运动记录属于敏感个人信息。")
    (change,) = json_of(old, new)["changes"]
    assert change["material"] is True
    assert change["reason"]["kind"] == "data_types" and "敏感" in change["reason"]["words"]
    assert "      because: sensitive personal information: “敏感”, “步数”" in \
        run_diff(str(old), str(new)).output.splitlines()


def test_version_note_names_what_was_not_updated(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    rewrite(new, "sections/sharing.yaml", "      - 根据法律法规的要求。", "      - 根据法律法规的强制要求。")
    rewrite(new, "policy.yaml", "last_updated: 2023-01-01", "last_updated: 2023-02-01")
    lines = run_diff(str(old), str(new)).output.splitlines()
    assert "note: the content changed but version was not updated" in lines
    data = json_of(old, new)
    assert (data["version_bumped"], data["not_updated"]) == (False, ["version"])
    for side in (old, new):
        rewrite(side, "policy.yaml", 'version: "1.0"\n', "")
    data = json_of(old, new)
    assert (data["version_bumped"], data["not_updated"]) == (True, [])
    assert not any(line.startswith("note:") for line in run_diff(str(old), str(new)).output
                   .splitlines())


def test_a_fact_no_edition_prints_is_unpublished_never_material(tmp_path):
    old, new = scratch(tmp_path, "old"), scratch(tmp_path, "new")
    rewrite(new, "policy.yaml", '  phone: "4000000000"\n',
            '  phone: "4000000000"\n  response_days: 10\n')
    data = json_of(old, new)
    assert (data["changes"], data["material"]) == ([], False)
    assert [(c["summary"], c["new"]) for c in data["unpublished"]] == [
        ("contact response time changed (— → 10)", "")]
    assert "unpublished (facts no edition prints; never material):" in \
        run_diff(str(old), str(new)).output


def test_on_the_reference_policy_the_response_time_is_an_unpublished_fact(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(REFERENCE_SRC, old)
    shutil.copytree(REFERENCE_SRC, new)
    rewrite(new, "policy.yaml", "  response_days: 15\n", "  response_days: 10\n")
    data = json_of(old, new)
    assert (data["outcome"], data["changes"]) == ("none", [])
    assert [c["summary"] for c in data["unpublished"]] == [
        "contact response time changed (15 → 10)"]


def test_every_printed_change_says_where_it_is_printed(tmp_path):
    where = {case: diff_json(tmp_path / case, case)[1]["changes"][0]["where"]
             for case in ("contact-email", "sdk-added", "permission-purpose")}
    assert where == {"contact-email": "六、如何联系我们", "sdk-added": "二、第三方SDK",
                     "permission-purpose": "一、我们收集哪些个人信息 › （二）权限说明"}
