"""`policyc import` of Markdown and HTML: published pages become the same typed sources,
and nothing a page runs (scripts, styles, frames, handlers) reaches them."""
from __future__ import annotations

import pytest

from conftest import DATA
from test_import import (REFERENCE_TEXT, fidelity, imported, reference_import,  # noqa: F401
                         run_import, typed_summary)
from policyc.project import load_project


@pytest.mark.parametrize("ext", ["md", "html"])
def test_published_reference_imports_to_the_sources_of_the_text(tmp_path, reference_build,
                                                                reference_import, ext):
    src, report = imported(tmp_path, reference_build / "zh-CN" / f"privacy-policy.{ext}")
    reference_src, _ = reference_import
    got, expected = typed_summary(src), typed_summary(reference_src)
    assert got == expected
    score, missing = fidelity(src, tmp_path / "build", REFERENCE_TEXT, ext)
    # the published page already cites 第一条（一）、（二） and 第十条, as the sources do
    assert all("见本协议" in s for s in missing), missing
    assert score >= 0.98, missing
    assert "table of contents (10 entries) dropped" in report


def test_english_markdown_policy(tmp_path):
    src, report = imported(tmp_path, DATA / "import" / "en-web.md")
    project = load_project(src)
    policy = project.policy
    # US dates (March 3, 2024): the locale is en-US
    assert (str(policy.locale), str(policy.title)) == ("en-US", "Example Notes Privacy Policy")
    assert (str(policy.last_updated), str(policy.effective)) == ("2024-03-03", "2024-03-10")
    assert (str(policy.organisation.legal_name), str(policy.organisation.address)) == (
        "Example Notes Ltd", "1 Main Street, Dublin, Ireland")
    sections = [f.section for f in project.sections]
    collection, providers, rights, contact = sections
    items = collection.blocks[1].numbered
    assert str(items[1].text).startswith("Usage data") and \
        [str(x) for x in items[1].blocks[0].bullets][1] == "Usage data is **pseudonymised** before analysis."
    assert [(str(s.name), str(s.provider), str(s.policy_url), [str(d) for d in s.data])
            for s in providers.sdks] == [
        ("Stripe", "Stripe, Inc.", "https://stripe.com/privacy", ["Card details"]),
        ("Plausible", "Plausible Insights OÜ", "https://plausible.io/privacy", ["Pages visited"])]
    assert [r.kind for r in rights.rights] == ["access", "correct", "delete", "complaint"]
    assert "[our help page](https://example.com/help)" in str(rights.rights[2].blocks[0])
    assert type(contact).__name__ == "ContactSection"
    assert "en-web.md:10: raw HTML dropped" in report
    assert "alert" not in "".join(p.read_text("utf-8") for p in src.rglob("*.yaml"))


HOSTILE = """<!DOCTYPE html><html><head><title>x</title>
<style>body{background:url(https://evil.example/x.png)}</style>
<script>document.write('<h2>injected</h2>')</script></head>
<body><nav><a href="/">Home</a><a href="/jobs">Jobs</a></nav>
<main><h1>隐私政策</h1>
<p>最近更新日期：2023年5月6日</p>
<h2>一、我们收集的信息</h2>
<p onclick="steal()">我们收集您的手机号码。<br>第二行<a href="javascript:alert(1)">不是链接</a>。</p>
<iframe src="https://evil.example/frame"></iframe>
<object data="x.swf"></object>
<ul><li><p>第一项；</p></li><li>第二项<ul><li>嵌套项。</li></ul></li></ul>
<h2>二、联系我们</h2><p>电子邮箱：<a href="mailto:a@example.com">a@example.com</a></p>
<noscript><p>turn on scripts</p></noscript>
</main><footer>© 2023 Example 沪ICP备000000号</footer></body></html>"""


def test_html_scripts_styles_frames_and_furniture_are_dropped(tmp_path):
    source = tmp_path / "page.html"
    source.write_text(HOSTILE, "utf-8")
    src, report = imported(tmp_path, source)
    text = "".join(p.read_text("utf-8") for p in sorted(src.rglob("*.yaml")))
    for word in ("injected", "evil.example", "steal", "javascript", "swf", "turn on scripts",
                 "Jobs", "ICP"):
        assert word not in text, word
    assert "page.html:3: <script> dropped (never run, not imported)" in report
    assert "<style> dropped" in report and "<iframe> dropped" in report
    section = load_project(src).sections[0].section
    assert [str(b) if isinstance(b, str) else None for b in section.blocks][:3] == [
        "我们收集您的手机号码。", "第二行不是链接。", None]
    bullets = section.blocks[2].bullets
    assert str(bullets[0]) == "第一项；" and str(bullets[1].text) == "第二项"
    assert [str(x) for x in bullets[1].blocks[0].bullets] == ["嵌套项。"]
    assert str(load_project(src).policy.last_updated) == "2023-05-06"


def test_html_entity_declarations_are_refused(tmp_path):
    source = tmp_path / "xxe.html"
    source.write_text('<!DOCTYPE html [\n  <!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
                      "<html><body><p>&x;</p></body></html>", "utf-8")
    code, _, stderr = run_import(str(source), "-o", str(tmp_path / "out"))
    assert code == 1 and "xxe.html:2:3: error: the page declares XML entities" in stderr
    assert not (tmp_path / "out").exists()


def test_html_declared_charset_is_used(tmp_path):
    source = tmp_path / "gbk.html"
    page = ('<html><head><meta charset="gbk"></head><body><h1>隐私政策</h1><h2>一、联系我们</h2>'
            "<p>电子邮箱：b@example.cn</p></body></html>")
    source.write_bytes(page.encode("gbk"))
    src, report = imported(tmp_path, source)
    assert "(html, gb18030, zh-CN)" in report
    assert str(load_project(src).policy.contact.email) == "b@example.cn"


def test_table_cells_with_one_permission_per_line(tmp_path):
    source = tmp_path / "table.html"
    source.write_text(
        "<h1>隐私政策</h1><h2>一、权限说明</h2><table><tr><th>业务功能</th><th>对应权限</th>"
        "<th>使用目的</th><th>是否询问</th><th>可否关闭</th></tr><tr><td>扫码</td>"
        "<td><p>相机</p><p>读取相册（仅所选照片）</p></td><td>识别<br>二维码</td><td>是</td>"
        "<td>是</td></tr></table><h2>二、联系我们</h2><p>电子邮箱：c@example.cn</p>", "utf-8")
    src, _ = imported(tmp_path, source)
    row = load_project(src).sections[0].section.rows[0]
    assert [str(p) for p in row.permissions] == ["相机", "读取相册（仅所选照片）"]
    assert str(row.purpose) == "识别二维码"
