"""The archive and the changes page that `build` writes, from git tags or an archive/ folder,
and the check that changed content gets a new version."""
from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyc.build import build
from policyc.cli import cli
from policyc.diagnostics import Report
from policyc.project import load_project
from policyc.versions.rules import version_diagnostics

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "versions"
FORMATS = ["html", "md"]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t",
                           "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                          cwd=repo, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


def set_version(src: Path, version: str, date: str) -> None:
    path = src / "policy.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('version: "1.0"', f'version: "{version}"')
    text = text.replace("last_updated: 2023-01-01", f"last_updated: {date}")
    text = text.replace("effective: 2023-01-10", f"effective: {date}")
    path.write_text(text, encoding="utf-8")


def commit_and_tag(repo: Path, tag: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", tag)
    git(repo, "tag", tag)


@pytest.fixture(scope="module")
def tagged_repo(tmp_path_factory) -> Path:
    """A repository whose policy_src has two tagged versions: v1.0, and v1.1 adding an SDK."""
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q")
    src = repo / "policy_src"
    shutil.copytree(FIXTURES / "base", src)
    commit_and_tag(repo, "v1.0")
    shutil.copytree(FIXTURES / "sdk-added", src, dirs_exist_ok=True)
    set_version(src, "1.1", "2023-06-01")
    commit_and_tag(repo, "v1.1")
    return repo


@pytest.fixture(scope="module")
def tagged_build(tagged_repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    build(tagged_repo / "policy_src", out, FORMATS)
    return out


class _Text(HTMLParser):
    """The text of an HTML page, and the text inside <ins> and <del>."""

    def __init__(self, html: str):
        super().__init__()
        self.text, self.marked, self.stack = [], {"ins": [], "del": []}, []
        self.links: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        if "style" not in self.stack:
            self.text.append(data)
        for tag in ("ins", "del"):
            if tag in self.stack:
                self.marked[tag].append(data)


def page(path: Path) -> _Text:
    return _Text(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- git


def test_diff_between_two_tags_reads_git_without_touching_the_work_tree(tagged_repo,
                                                                        monkeypatch):
    monkeypatch.chdir(tagged_repo)
    head, status = git(tagged_repo, "rev-parse", "HEAD"), git(tagged_repo, "status", "-s")
    (tagged_repo / "policy_src" / "sections" / "sdks.yaml").write_text(
        "title: 第三方SDK\nid: sdks\ntype: sdks\nsdks: []\n", encoding="utf-8")
    try:
        result = CliRunner().invoke(cli, ["diff", "v1.0", "v1.1", "-f", "json"])
        data = json.loads(result.output)
        assert result.exit_code == 1
        assert (data["old"]["source"], data["new"]["source"]) == ("v1.0", "v1.1")
        assert [c["summary"] for c in data["changes"]] == ["SDK 友盟SDK added (collects 设备标识符)"]
        assert data["changes"][0]["location"]["new"] == "v1.1:policy_src/sections/sdks.yaml:11:5"
        assert git(tagged_repo, "rev-parse", "HEAD") == head
    finally:
        git(tagged_repo, "checkout", "-q", "--", "policy_src")
    assert git(tagged_repo, "status", "-s") == status
    result = CliRunner().invoke(cli, ["diff", "v1.1:policy_src", "policy_src"])
    assert result.exit_code == 0 and "0 changes, none" in result.output
    result = CliRunner().invoke(cli, ["diff", "v9.9", "policy_src"])
    assert result.exit_code == 2


def test_build_writes_changes_against_the_previous_tag(tagged_build):
    changes = page(tagged_build / "zh-CN" / "changes.html")
    text = "".join(changes.text)
    assert "1.1版（2023年6月1日生效）与1.0版（2023年1月10日生效）相比：" in text
    assert "重大变更" in text and "个人信息共享的主要对象发生变化" in text
    assert "新增第三方SDK「友盟SDK」（收集设备标识符）" in text
    assert "原因：接收方或转移：“友盟SDK”、“设备标识符”" in text    # why it is material
    assert "../archive/1.0/zh-CN/privacy-policy.html" in changes.links
    markdown = (tagged_build / "zh-CN" / "changes.md").read_text(encoding="utf-8")
    assert "### 个人信息共享的主要对象发生变化\n\n- 新增第三方SDK「友盟SDK」（收集设备标识符）" in markdown


def test_archive_holds_every_edition_and_an_index_newest_first(tagged_build):
    old = (tagged_build / "archive" / "1.0" / "zh-CN" / "privacy-policy.html").read_text("utf-8")
    new = (tagged_build / "archive" / "1.1" / "zh-CN" / "privacy-policy.html").read_bytes()
    assert "友盟SDK" not in old
    assert new == (tagged_build / "zh-CN" / "privacy-policy.html").read_bytes()
    index = page(tagged_build / "zh-CN" / "archive.html")
    rows = [line for line in "".join(index.text).splitlines() if line.strip()]
    assert rows.index("1.1（当前版本）") < rows.index("1.0")
    assert "2023年1月10日" in rows and "2023年6月1日" in rows
    assert [link for link in index.links if "/archive/" in link] == [
        "../archive/1.1/zh-CN/privacy-policy.html", "../archive/1.0/zh-CN/privacy-policy.html"]
    manifest = json.loads((tagged_build / "manifest.json").read_text(encoding="utf-8"))
    formats = {a["path"]: a["format"] for a in manifest["artifacts"]}
    assert formats["zh-CN/changes.html"] == "changes.html"
    assert formats["archive/1.0/zh-CN/privacy-policy.md"] == "archived-md"


def test_a_word_build_writes_the_changes_as_tracked_changes(tagged_repo, tagged_build,
                                                            tmp_path):
    """With docx among the formats, <locale>/changes.docx is the edition with every change
    since the previous version tracked (accepting them gives the new text), the same
    bytes each build, listed on the entry page; without docx there is none."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        build(tagged_repo / "policy_src", out, ["html", "docx"])
    changes = outs[0] / "zh-CN" / "changes.docx"
    assert changes.read_bytes() == (outs[1] / "zh-CN" / "changes.docx").read_bytes()
    with zipfile.ZipFile(changes) as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
    inserted = "".join(t.text or "" for t in body.iter(f"{w}t") if t.xpath(
        "ancestor::w:ins", namespaces={"w": w[1:-1]}))
    assert "友盟SDK" in inserted and "设备标识符" in inserted
    deleted = "".join(t.text or "" for t in body.iter(f"{w}delText"))
    assert deleted and set(deleted) <= set("0123456789月")   # only the dates were rewritten
    assert body.findall(f".//{w}commentRangeStart")   # a material change, commented
    index = page(outs[0] / "index.html")
    assert "zh-CN/changes.docx" in index.links
    manifest = json.loads((outs[0] / "manifest.json").read_text(encoding="utf-8"))
    assert {a["path"]: a["format"] for a in manifest["artifacts"]}["zh-CN/changes.docx"] == \
        "changes.docx"
    assert not (tagged_build / "zh-CN" / "changes.docx").exists()


def test_check_reports_changed_content_without_a_new_version(tagged_repo, tmp_path):
    src = tmp_path / "repo"
    shutil.copytree(tagged_repo, src)
    sdks = src / "policy_src" / "sections" / "sdks.yaml"
    sdks.write_text(sdks.read_text(encoding="utf-8").replace("统计分析", "广告投放"),
                    encoding="utf-8")
    found = [d.format() for d in version_diagnostics(load_project(src / "policy_src"))]
    shown = str(src / "policy_src" / "policy.yaml")
    assert found == [
        f"{shown}:3:10: warning: the content changed since version 1.1 was recorded (v1.1: "
        "1 changes) but `version` is still 1.1 [VERSION-NOT-BUMPED]",
        f"{shown}:4:15: warning: the content changed since version 1.1 was recorded (v1.1) "
        "but `last_updated` is still 2023-06-01 [VERSION-DATE-NOT-BUMPED]"]
    result = CliRunner().invoke(cli, ["check", str(src / "policy_src")])
    assert (f"{shown}:3:10: warning: 自 1.1 版存档（v1.1）以来内容已有 1 处变更，但 `version` 仍为 "
            "1.1 [VERSION-NOT-BUMPED]") in result.stderr.splitlines()
    set_version_line = (src / "policy_src" / "policy.yaml").read_text(encoding="utf-8")
    (src / "policy_src" / "policy.yaml").write_text(
        set_version_line.replace('"1.1"', '"1.2"').replace("last_updated: 2023-06-01",
                                                         "last_updated: 2023-07-01"),
        encoding="utf-8")
    assert version_diagnostics(load_project(src / "policy_src")) == []
    assert version_diagnostics(load_project(tagged_repo / "policy_src")) == []


# ----------------------------------------------------------------------------- archive/


def test_archive_folder_without_git_and_it_wins_over_a_tag(tagged_repo, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(tagged_repo, repo)
    filed = repo / "archive" / "1.0"
    shutil.copytree(FIXTURES / "base", filed)
    sharing = filed / "sections" / "sharing.yaml"
    sharing.write_text(sharing.read_text(encoding="utf-8").replace("事先获得您的明确同意",
                                                                   "事先征得您的同意"),
                       encoding="utf-8")
    out = tmp_path / "out"
    build(repo / "policy_src", out, FORMATS)
    archived = (out / "archive" / "1.0" / "zh-CN" / "privacy-policy.html").read_text("utf-8")
    assert "事先征得您的同意" in archived
    changes = page(out / "zh-CN" / "changes.html")
    assert ("".join(changes.marked["del"]), "".join(changes.marked["ins"])) == ("征", "获明确")

    plain = tmp_path / "plain"   # the same folders outside any repository
    shutil.copytree(repo / "policy_src", plain / "policy_src")
    shutil.copytree(repo / "archive", plain / "archive")
    build(plain / "policy_src", tmp_path / "out2", FORMATS)
    assert (tmp_path / "out2" / "zh-CN" / "changes.md").read_bytes() == \
        (out / "zh-CN" / "changes.md").read_bytes()


def test_unreadable_recorded_edition_is_skipped_with_a_warning(tmp_path):
    src = tmp_path / "policy_src"
    shutil.copytree(FIXTURES / "base", src)
    broken = tmp_path / "archive" / "0.9"
    broken.mkdir(parents=True)
    (broken / "policy.yaml").write_text("title: [\n", encoding="utf-8")
    report = Report()
    build(src, tmp_path / "out", FORMATS, report)
    warnings = [d.format() for d in report.warnings if "recorded edition" in d.message]
    assert len(warnings) == 1 and "archive/0.9/policy.yaml:2:1: warning: recorded edition " \
        "skipped: YAML syntax error" in warnings[0]
    assert "这是本政策的第一个版本" in (tmp_path / "out" / "zh-CN" / "changes.md").read_text("utf-8")


def test_first_version_and_unsafe_version_names(tmp_path):
    src = tmp_path / "policy_src"
    shutil.copytree(FIXTURES / "base", src)
    set_version(src, "../../1.0 beta", "2023-01-01")
    out = tmp_path / "out"
    build(src, out, FORMATS)
    changes = page(out / "zh-CN" / "changes.html")
    assert "这是本政策的第一个版本，没有可供比较的旧版本。" in "".join(changes.text)
    assert changes.marked == {"ins": [], "del": []}
    edition = out / "archive" / "1.0-beta" / "zh-CN" / "privacy-policy.html"
    assert edition.read_bytes() == (out / "zh-CN" / "privacy-policy.html").read_bytes()
    assert sorted(p.name for p in (out / "archive").iterdir()) == ["1.0-beta"]


def changes_of_version_1_1(src: Path, out: Path):
    """``src`` built as version 1.1: its zh-CN changes page, that page's text, and the
    Markdown changes page."""
    set_version(src, "1.1", "2023-06-01")
    build(src, out, FORMATS)
    changes = page(out / "zh-CN" / "changes.html")
    return changes, "".join(changes.text), (out / "zh-CN" / "changes.md").read_text("utf-8")


def test_changes_page_lists_a_setting_without_quoting_it_as_policy_text(tmp_path):
    """A changed legal basis is named with its values; only wording is marked up, and
    the Markdown page marks it with <del>/<ins> like the HTML page."""
    src, filed = tmp_path / "policy_src", tmp_path / "archive" / "1.0"
    shutil.copytree(FIXTURES / "base", filed)
    shutil.copytree(FIXTURES / "base", src)
    for folder, basis in ((filed, "contract"), (src, "consent")):
        collection = folder / "sections" / "collection.yaml"
        collection.write_text(collection.read_text(encoding="utf-8").replace(
            "        purpose: 注册和登录\n", f"        purpose: 注册和登录\n        legal_basis: {basis}\n"),
            encoding="utf-8")
    sharing = src / "sections" / "sharing.yaml"
    sharing.write_text(sharing.read_text(encoding="utf-8").replace("事先获得您的明确同意",
                                                                   "事先征得您的同意"),
                       encoding="utf-8")
    changes, text, markdown = changes_of_version_1_1(src, tmp_path / "out")
    assert "业务功能「注册账号」的法律依据发生变化（订立、履行合同所必需 → 您的同意）" in text
    marked = "".join(changes.marked["del"] + changes.marked["ins"])
    assert "合同" not in marked
    assert ("".join(changes.marked["del"]), "".join(changes.marked["ins"])) == ("获明确", "征")
    assert "事先<del>获</del><ins>征</ins>得您的<del>明确</del>同意" in markdown
    assert "~~" not in markdown and "订立、履行合同所必需 → 您的同意" in markdown


def test_changes_page_shows_a_changed_link_target_and_marks_no_wording(tmp_path):
    src, filed = tmp_path / "policy_src", tmp_path / "archive" / "1.0"
    for folder, url in ((filed, "https://old.example/form"), (src, "https://new.example/form")):
        shutil.copytree(FIXTURES / "base", folder)
        updates = folder / "sections" / "updates.yaml"
        updates.write_text(updates.read_text(encoding="utf-8").replace(
            "我们会提供更为显著的通知。", f"我们会在[通知页面]({url})提供更为显著的通知。"),
            encoding="utf-8")
    changes, text, markdown = changes_of_version_1_1(src, tmp_path / "out")
    assert "链接：https://old.example/form → https://new.example/form" in text
    assert changes.marked == {"ins": [], "del": []} and "原因" not in text
    assert "链接：https://old.example/form → https://new.example/form" in markdown.replace("\\", "")
