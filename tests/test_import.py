"""`policyc import`: an existing policy becomes sources that build into the same text."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA
from fidelity import missing_sentences
from policyc import model as m
from policyc.build import build
from policyc.cli import cli
from policyc.project import load_project

REFERENCE = DATA / "privacy-policy.zh-CN.txt"
REFERENCE_TEXT = REFERENCE.read_text("utf-8")


def run_import(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["import", *args])
    return result.exit_code, result.stdout, result.stderr


def imported(tmp_path: Path, source: Path, *options: str) -> tuple[Path, str]:
    out = tmp_path / "src"
    code, stdout, stderr = run_import(str(source), "-o", str(out), *options)
    assert code == 0, stderr
    return out, stdout


def fidelity(src: Path, out: Path, reference: str, ext: str = "html") -> tuple[float, list]:
    build(src, out, ["html", "md"])
    missing, total = missing_sentences(reference, out / "zh-CN" / f"privacy-policy.{ext}")
    return 1 - len(missing) / total, missing


def typed_summary(src: Path) -> dict:
    """What a reader of the imported sources finds: sections, typed parts, facts."""
    project = load_project(src)
    sections = [f.section for f in project.sections]

    def walk(secs):
        for s in secs:
            yield s
            yield from walk(s.sections)

    every = list(walk(sections))
    permissions = [s for s in every if isinstance(s, m.PermissionsSection)]
    sdks = [s for s in every if isinstance(s, m.SdksSection)]
    rights = [s for s in every if isinstance(s, m.RightsSection)]
    policy = project.policy
    return {
        "titles": [str(s.title) for s in sections],
        "rows": [(str(r.feature), [str(p) for p in r.permissions], r.asked, r.can_disable)
                 for r in permissions[0].rows] if permissions else [],
        "sdks": [(str(s.name), str(s.purpose)) for s in sdks[0].sdks] if sdks else [],
        "rights": [(r.kind, str(r.title)) for r in rights[0].rights] if rights else [],
        "contact": (str(policy.contact.email), str(policy.contact.phone),
                    str(policy.contact.service_hours), policy.contact.response_days),
        "organisation": (str(policy.organisation.legal_name),
                         str(policy.organisation.short_name), str(policy.organisation.address)),
        "app": str(policy.app.name),
        "dates": (str(policy.last_updated), str(policy.effective)),
        "types": [type(s).__name__ for s in sections],
    }


@pytest.fixture(scope="module")
def reference_import(tmp_path_factory) -> tuple[Path, str]:
    return imported(tmp_path_factory.mktemp("import"), REFERENCE)


def test_reference_text_gives_typed_sources(reference_import):
    src, _ = reference_import
    got = typed_summary(src)
    assert got["titles"] == [
        "我们收集您哪些个人信息", "我们如何使用您的个人信息", "第三方sdk",
        "我们如何共享、转让、公开披露您的个人信息", "我们如何存储您的个人信息",
        "我们如何保护您的个人信息", "您的权利", "我们如何处理儿童的个人信息", "本政策如何更新",
        "如何联系我们"]
    assert len(got["rows"]) == 12
    assert got["rows"][0] == ("数据采集", ["修改或删除存储卡中的内容", "读取联系人",
                                       "新建/修改/删除联系人"], True, True)
    assert got["rows"][5] == ("注册", [], True, False)
    assert got["rows"][6] == ("卸载", [], False, False)
    assert got["rows"][1][1] == ["访问确切位置信息（使用 GPS 和网络进行定位）"]
    assert len(got["sdks"]) == 5
    assert [name for name, _ in got["sdks"]] == ["微信SDK", "抖音SDK", "快手SDK", "高德地图sdk",
                                                 "支付宝SDK"]
    assert got["sdks"][0][1] == "用于调用微信支付，微信登陆以及微信授权"
    assert [kind for kind, _ in got["rights"]] == ["delete", "cancel_account",
                                                   "withdraw_consent", "requests"]
    assert got["contact"] == ("yiyebaoke@163.com", "4000311376", "9：30-18：00", 15)
    assert got["organisation"] == ("石家庄异业同盟信息科技有限公司", "异业同盟",
                                   "河北省石家庄市长安区东海国际18B2")
    assert got["app"] == "异业爆客"
    assert got["dates"] == ("2022-04-01", "2022-04-01")
    assert got["types"][9] == "ContactSection" and got["types"][6] == "RightsSection"


def test_reference_text_builds_to_its_sentences(reference_import, tmp_path):
    src, _ = reference_import
    for ext in ("html", "md"):
        score, missing = fidelity(src, tmp_path / "build", REFERENCE_TEXT, ext)
        # 第一（一）、（二）条 becomes a reference, written 第一条（一）、（二） by the build
        assert all("第一（一）、（二）条" in s for s in missing), missing
        assert score >= 0.98, (score, missing)


def test_report_names_lines_typed_parts_and_irregular_numbering(reference_import):
    _, report = reference_import
    path = "privacy-policy.zh-CN.txt"
    assert f"{path}:54: permissions table: 12 rows" in report
    assert f"{path}:186: SDK list: 5 SDKs" in report
    assert "stays prose" not in report           # every typed part of the reference is typed
    assert f"{path}:194: 3、 repeats the number before it (1、 2、 3、 3、 4、)" in report
    assert f"{path}:287: （五） follows （二）" in report
    assert "第九条 names 本政策如何更新" in report and "kept as text" in report
    assert f"{path}:13: table of contents (10 entries) dropped" in report


def test_sources_use_variables_and_references(reference_import):
    src, _ = reference_import
    sharing = (src / "sections" / "04-sharing.yaml").read_text("utf-8")
    assert "{ref:collection-1,permissions}" in sharing
    rights = (src / "sections" / "07-rights.yaml").read_text("utf-8")
    assert "【“{phone}”】" in rights and "第九条" in rights
    assert "{app}" in (src / "sections" / "05-storage.yaml").read_text("utf-8")


def test_existing_folder_is_kept_without_force(tmp_path, reference_import):
    out = tmp_path / "kept"
    out.mkdir()
    (out / "mine.txt").write_text("x")
    code, _, stderr = run_import(str(REFERENCE), "-o", str(out))
    assert code == 1 and "the folder exists" in stderr and "--force" in stderr
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    code, _, _ = run_import(str(REFERENCE), "-o", str(out), "--force")
    assert code == 0 and (out / "policy.yaml").is_file() and not (out / "mine.txt").exists()


@pytest.mark.parametrize("name, data, message", [
    ("binary.txt", bytes(range(256)) * 4, "binary data"),
    ("empty.txt", b"\n\n", "the file is empty"),
    ("cut.txt", "隐私政策\n一、我们收集".encode("utf-8")[:-1], "truncated"),
    ("control.txt", b"policy\x01\x02 text\n", "control character U+0001"),
    ("policy.pdf", b"%PDF-1.7", "not a readable PDF"),
    ("policy.odt", b"PK\x03\x04", "cannot import '.odt' files"),
])
def test_bad_input_is_an_error_and_writes_nothing(tmp_path, name, data, message):
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "out"
    code, _, stderr = run_import(str(source), "-o", str(out))
    assert code == 1, stderr
    assert f"{name}:" in stderr and ": error: " in stderr and message in stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_too_large_input_is_refused(tmp_path, monkeypatch):
    from policyc.importers import outline

    monkeypatch.setattr(outline, "MAX_INPUT_BYTES", 1000)
    source = tmp_path / "big.txt"
    source.write_text("隐私政策\n" * 200, "utf-8")
    code, _, stderr = run_import(str(source), "-o", str(tmp_path / "out"))
    assert code == 1 and "imports files up to 1,000 bytes" in stderr
    assert not (tmp_path / "out").exists()


def test_yaml_syntax_in_the_input_stays_data(tmp_path):
    hostile = ("隐私政策\n一、我们收集的信息\n"
               "key: value # comment *alias &anchor !!python/object {email} {{ x }}\n"
               "- \"quoted\" \\ back [link](javascript:alert(1)) **bold**\n"
               "二、联系我们\n电子邮箱：a@example.com\n")
    source = tmp_path / "hostile.txt"
    source.write_text(hostile, "utf-8")
    src, _ = imported(tmp_path, source)
    build(src, tmp_path / "b", ["md", "html"])
    md = (tmp_path / "b" / "zh-CN" / "privacy-policy.md").read_text("utf-8")
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(md)
    assert "key: value # comment *alias &amp;anchor !!python/object {email} {{ x }}" in rendered
    assert 'href="javascript' not in rendered and "<strong>bold" not in rendered


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_other_encodings_give_the_same_sources(tmp_path, reference_import, encoding):
    source = tmp_path / "policy.txt"
    source.write_bytes(REFERENCE_TEXT.encode(encoding))
    src, report = imported(tmp_path, source)
    expected = {"gb18030": "gb18030", "utf-16": "utf-16", "utf-8-sig": "utf-8-sig"}[encoding]
    assert f"(text, {expected}, zh-CN)" in report.splitlines()[0]
    reference_src, _ = reference_import
    for path in sorted(reference_src.rglob("*.yaml")):
        rel = path.relative_to(reference_src)
        assert (src / rel).read_bytes() == path.read_bytes(), rel


def test_encoding_option_overrides_detection(tmp_path):
    source = tmp_path / "gbk.txt"
    source.write_bytes("隐私政策\n一、联系我们\n电子邮箱：a@example.com\n".encode("gbk"))
    code, _, stderr = run_import(str(source), "-o", str(tmp_path / "a"), "--encoding", "utf-8")
    assert code == 1 and "not valid utf-8 at byte 0" in stderr
    assert not (tmp_path / "a").exists()
    src, report = imported(tmp_path, source, "--encoding", "gbk")
    assert "(text, gbk, zh-CN)" in report
    assert load_project(src).policy.contact.email == "a@example.com"


def test_latin_numbering_levels_and_irregularities(tmp_path):
    """1. / 6.1 / (a) / i. in a text: levels from the labels, the skipped 2–5 and the
    repeated 6.3 normalised, the numbering written as found."""
    src, report = imported(tmp_path, DATA / "import" / "en-numbered.txt")
    name = "en-numbered.txt"
    assert f"{name}:9: 6. follows 1. (1. 6. 7.); numbered 2 of 3" in report
    assert f"{name}:30: 6.3 repeats the number before it (6.1 6.2 6.3 6.3)" in report
    project = load_project(src)
    assert project.policy.numbering.sections == ["1.", "1.1"]
    assert project.policy.numbering.lists == ["(a)", "i."]
    data = project.sections[1].section
    assert [str(s.title) for s in data.sections] == ["Account data", "Usage data", "Cookies",
                                                     "Payment data"]
    visit = data.sections[1].blocks[1].numbered[1]
    assert str(visit.text) == "the time of the visit, which is:"
    assert [str(x) for x in visit.blocks[0].numbered] == ["kept for 30 days;", "then deleted."]
    build(src, tmp_path / "b", ["md"])
    md = (tmp_path / "b" / "en" / "privacy-policy.md").read_text("utf-8")
    assert "2.4 Payment data" in md and "(a) the address of the page;" in md


def test_sdk_list_with_labelled_lines_and_references(tmp_path):
    src, report = imported(tmp_path, DATA / "import" / "sdk-labelled.txt")
    project = load_project(src)
    sdks = project.sections[1].section
    assert isinstance(sdks, m.SdksSection)
    assert [(str(s.name), str(s.purpose), [str(d) for d in s.data], str(s.provider),
             str(s.policy_url)) for s in sdks.sdks] == [
        ("微信开放平台SDK", "微信登录、分享", ["设备标识符", "网络信息"], "深圳市腾讯计算机系统有限公司",
         "https://support.weixin.qq.com/cgi-bin/privacy"),
        ("友盟统计SDK", "统计分析", ["设备信息"], "友盟同欣（北京）科技有限公司",
         "https://www.umeng.com/page/policy")]
    policy = project.policy
    assert (str(policy.last_updated), str(policy.effective)) == ("2024-01-02", "2024-01-09")
    assert (str(policy.contact.phone), str(policy.contact.service_hours)) == ("400-123-4567",
                                                                              "9:00-18:00")
    assert str(policy.organisation.address) == "上海市浦东新区示例路8号"
    # the SDK lines keep their own labels; the SDK providers are not the organisation
    assert policy.labels == {"sdk_purpose": "使用目的：{value}", "sdk_data": "收集个人信息类型",
                             "sdk_provider": "第三方主体", "sdk_policy": "隐私政策链接"}
    assert str(policy.organisation.legal_name) == "（待补充）"
    assert "no company name found" in report
    build(src, tmp_path / "b", ["md"])
    md = (tmp_path / "b" / "zh-CN" / "privacy-policy.md").read_text("utf-8")
    assert "使用目的：微信登录、分享" in md and "第三方主体：深圳市腾讯计算机系统有限公司" in md
    assert "收集个人信息类型：设备标识符、网络信息" in md
    text = (src / "sections" / "01-collection.yaml").read_text("utf-8")
    assert "详见本政策{ref:contact}。" in text and "本政策第五条不存在" in text
    assert "sdk-labelled.txt:6: 第五条 names no section (the text has 3): kept as text" in report


ENGLISH_PERMISSIONS = """<html><body><h1>Privacy Policy</h1><p>Last updated: 1 May 2024</p>
<h2>1. Permissions</h2><table>
<tr><th>Feature</th><th>Permissions</th><th>Purpose</th><th>Asked</th><th>Can be disabled</th></tr>
<tr><td>Scan receipts</td><td>Camera</td><td>to photograph receipts</td><td>Yes</td><td>Yes</td></tr>
<tr><td>Backup</td><td>none</td><td>to store your data</td><td>No</td><td>No</td></tr>
</table>
<h2>2. Contact us</h2><p>Email: privacy@example.org</p></body></html>"""


def test_english_permissions_table(tmp_path):
    source = tmp_path / "perm.html"
    source.write_text(ENGLISH_PERMISSIONS, "utf-8")
    src, report = imported(tmp_path, source)
    section = load_project(src).sections[0].section
    assert isinstance(section, m.PermissionsSection)
    assert [(str(r.feature), [str(p) for p in r.permissions], str(r.purpose), r.asked,
             r.can_disable) for r in section.rows] == [
        ("Scan receipts", ["Camera"], "to photograph receipts", True, True),
        ("Backup", [], "to store your data", False, False)]
    assert "perm.html:2: permissions table: 2 rows" in report


MARKS = ["一、", "（三）", "1、", "（1）", "1.1 ", "a) ", "• ", "第九条", "## ", "| a | b |", "---",
         "{x}", "\\", "*", "**", "[", "]", "_", "+++", "<p>", "<li>", "<h2>", "<table><tr><td>"]


@pytest.mark.parametrize("seed", range(4))
def test_mutated_inputs_import_to_sources_that_load_or_are_refused(tmp_path, seed):
    """Lines deleted, repeated, cut, swapped or given stray labels and markup: the import
    either writes sources that load or refuses the input with an error, never a crash."""
    import random

    from policyc.diagnostics import PolicyError
    from policyc.importers import import_policy

    rnd = random.Random(seed)
    bases = [(REFERENCE_TEXT, ".txt"), (REFERENCE_TEXT, ".md"), (REFERENCE_TEXT, ".html"),
             ((DATA / "import" / "en-web.md").read_text("utf-8"), ".md")]
    for case in range(10):
        text, ext = rnd.choice(bases)
        lines = text.splitlines()
        for _ in range(rnd.randint(1, 30)):
            k, j, op = rnd.randrange(len(lines)), rnd.randrange(len(lines)), rnd.random()
            if op < 0.3:
                del lines[k]
            elif op < 0.5:
                lines.insert(k, lines[j])
            elif op < 0.7:
                lines[k] = lines[k][:rnd.randrange(len(lines[k]) + 1)]
            elif op < 0.85:
                lines[k] = rnd.choice(MARKS) + lines[k]
            else:
                lines[k], lines[j] = lines[j], lines[k]
        source = tmp_path / f"case{case}{ext}"
        source.write_text("\n".join(lines) or "x", "utf-8")
        try:
            result = import_policy(source, tmp_path / f"out{case}")
        except PolicyError as exc:
            assert not any("do not load" in d.message for d in exc.report.errors), \
                exc.report.errors
            assert not (tmp_path / f"out{case}").exists()
            continue
        load_project(result.out_dir)
