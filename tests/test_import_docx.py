"""`policyc import` of Word files: the reference as .docx, Word's Chinese list numbering,
and archives that must be refused."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import DATA
from test_import import (REFERENCE_TEXT, fidelity, imported, reference_import,  # noqa: F401
                         run_import, typed_summary)
from policyc.importers import read_outline
from policyc.project import load_project

sys.path.insert(0, str(DATA / "import"))
from make_docx import chinese_numbering_docx, reference_docx  # noqa: E402


def test_reference_as_docx_gives_the_sources_of_the_text(tmp_path, reference_import):
    source = reference_docx(REFERENCE_TEXT, tmp_path / "policy.docx")
    src, report = imported(tmp_path, source)
    reference_src, _ = reference_import
    assert typed_summary(src) == typed_summary(reference_src)
    for path in sorted(reference_src.rglob("*.yaml")):
        rel = path.relative_to(reference_src)
        assert (src / rel).read_bytes() == path.read_bytes(), rel
    assert "policy.docx:¶39: permissions table: 12 rows" in report
    score, missing = fidelity(src, tmp_path / "build", REFERENCE_TEXT)
    assert score >= 0.98, missing


@pytest.fixture(scope="module")
def chinese_docx(tmp_path_factory) -> Path:
    return chinese_numbering_docx(tmp_path_factory.mktemp("docx") / "numbered.docx")


def test_word_list_numbers_are_computed_from_numbering_xml(chinese_docx):
    outline = read_outline(chinese_docx)
    labels = [(e.marker.label, e.plain) for e in outline.entries if e.marker]
    assert labels[:8] == [("一、", "我们收集的信息"), ("（一）", "账号信息"),
                          ("（二）", "设备信息"), ("1、", "设备型号和操作系统版本；"),
                          ("2、", "设备标识符，包括："), ("（1）", "Android设备的Android ID；"),
                          ("（2）", "iOS设备的IDFV。"), ("3、", "网络状态信息。")]
    assert labels[8:11] == [("二、", "我们如何使用信息"), ("壹.", "提供和改进服务；"),
                            ("贰.", "保障账号和交易安全。")]
    assert labels[11:14] == [("三、", "您的权利"), ("（一）", "访问您的个人信息"),
                             ("（二）", "删除您的个人信息")]
    assert all(not e.plain.startswith(("一", "（", "1")) for e in outline.entries)


def test_word_list_levels_become_sections_and_nested_lists(tmp_path, chinese_docx):
    src, _ = imported(tmp_path, chinese_docx)
    project = load_project(src)
    sections = [f.section for f in project.sections]
    assert [str(s.title) for s in sections] == ["我们收集的信息", "我们如何使用信息", "您的权利",
                                                "联系我们"]
    collection = sections[0]
    assert [str(s.title) for s in collection.sections] == ["账号信息", "设备信息"]
    device = collection.sections[1]
    assert device.blocks[0] == "为保障账号安全，我们会收集以下设备信息："
    items = device.blocks[1].numbered
    assert [str(getattr(i, "text", i)) for i in items] == [
        "设备型号和操作系统版本；", "设备标识符，包括：", "网络状态信息。"]
    assert [str(x) for x in items[1].blocks[0].numbered] == ["Android设备的Android ID；",
                                                           "iOS设备的IDFV。"]
    assert [str(x) for x in sections[1].blocks[1].numbered] == ["提供和改进服务；",
                                                              "保障账号和交易安全。"]
    assert [(r.kind, str(r.title)) for r in sections[2].rights] == [
        ("access", "访问您的个人信息"), ("delete", "删除您的个人信息")]
    policy = project.policy
    assert (str(policy.title), str(policy.last_updated)) == ("示例App隐私政策", "2024-03-01")
    assert str(policy.contact.email) == "privacy@example.cn"
    assert str(policy.organisation.address) == "北京市海淀区示例路1号"


def _docx_bytes(tmp_path) -> bytes:
    return chinese_numbering_docx(tmp_path / "good.docx").read_bytes()


def _rezip(data: bytes, replace: dict[str, bytes] | None = None, extra=()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, payload in extra:
            dst.writestr(name, payload)
    return out.getvalue()


ENTITY = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
          b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
          b'<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')


@pytest.mark.parametrize("case, message", [
    ("not-zip", "not a .docx: the file is not a zip archive"),
    ("truncated", "not a .docx: the file is not a zip archive (or it is truncated)"),
    ("no-document", "not a Word document: the archive has no word/document.xml"),
    ("entity", "declares a DOCTYPE (XML entities or external references): refused"),
    ("bomb", "refused as a zip bomb"),
    ("many", "entries (more than 2000): refused as a zip bomb"),
])
def test_bad_docx_is_refused_and_nothing_written(tmp_path, case, message):
    good = _docx_bytes(tmp_path)
    data = {
        "not-zip": lambda: b"PK\x03\x04 this is not really a zip" * 10,
        "truncated": lambda: good[:len(good) // 2],
        "no-document": lambda: _rezip(good, extra=[("x.txt", b"x")]).replace(
            b"word/document.xml", b"word/documenX.xml"),
        "entity": lambda: _rezip(good, {"word/document.xml": ENTITY}),
        "bomb": lambda: _rezip(good, extra=[("word/media/zeros.bin", bytes(5 * 1024 * 1024))]),
        "many": lambda: _rezip(good, extra=[(f"x/{k}.txt", b"") for k in range(2001)]),
    }[case]()
    source = tmp_path / "bad.docx"
    source.write_bytes(data)
    out = tmp_path / "out"
    code, _, stderr = run_import(str(source), "-o", str(out))
    assert code == 1, stderr
    assert "bad.docx:1:1: error: " in stderr and message in stderr, stderr
    assert not out.exists()


def test_heading_styles_numbered_by_word(tmp_path):
    from make_docx import heading_numbering_docx

    source = heading_numbering_docx(tmp_path / "headings.docx")
    outline = read_outline(source)
    assert [(e.kind, e.level, e.marker.label if e.marker else "", e.plain)
            for e in outline.entries if e.kind == "heading"] == [
        ("heading", 1, "一、", "我们收集的信息"), ("heading", 2, "（一）", "注册"),
        ("heading", 2, "（二）", "登录"), ("heading", 1, "二、", "如何联系我们")]
    src, report = imported(tmp_path, source)
    sections = [f.section for f in load_project(src).sections]
    assert [str(s.title) for s in sections] == ["我们收集的信息", "如何联系我们"]
    assert [str(s.title) for s in sections[0].sections] == ["注册", "登录"]
    assert "headings.docx:¶2: 一、 我们收集的信息 → sections/01-collection.yaml" in report


def test_damaged_numbering_and_styles_never_crash(tmp_path, chinese_docx):
    """Values in numbering.xml, styles.xml and document.xml replaced by nonsense, lists
    pointing at numbering that does not exist, parts cut: sources that load, or an error."""
    import random
    import re

    from policyc.diagnostics import PolicyError
    from policyc.importers import import_policy

    good = chinese_docx.read_bytes()
    rnd = random.Random(3)
    for case in range(12):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename in ("word/numbering.xml", "word/document.xml",
                                     "word/styles.xml"):
                    text = data.decode("utf-8")
                    text = re.sub(r'w:val="[^"]*"', lambda m: rnd.choice(
                        ['w:val="x"', 'w:val="-3"', 'w:val="99"', 'w:val=""', m.group()]),
                        text)
                    if case % 4 == 3:
                        cut = rnd.randrange(len(text))
                        text = text[:cut] + text[cut + 30:]
                    data = text.encode("utf-8")
                dst.writestr(info.filename, data)
        source = tmp_path / f"damaged{case}.docx"
        source.write_bytes(out.getvalue())
        try:
            result = import_policy(source, tmp_path / f"out{case}")
        except PolicyError as exc:
            assert not any("do not load" in d.message for d in exc.report.errors)
            continue
        load_project(result.out_dir)
