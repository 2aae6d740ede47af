"""LibreOffice opens the Word edition and the redline as Word would, and prints them.

Each file is converted to PDF with ``soffice --headless`` (a private profile per test)
and the PDF's text is read back with pdfminer: the edition's headings, table and page
footer, and the redline's inserted and deleted wording.
"""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text

from conftest import REFERENCE_SRC
from policyc.build import build
from policyc.document import plain
from policyc.project import load_project
from policyc.resolve import resolve
from policyc.versions import compare, load_snapshot
from policyc.versions.redline_docx import redline_docx
from test_diff import edition

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(SOFFICE).exists(), reason="LibreOffice not installed")]


def to_pdf(docx: Path, tmp_path: Path) -> str:
    """The text of ``docx`` printed to PDF by LibreOffice, with spaces dropped (layout
    breaks lines and spaces CJK text)."""
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180)
    text = extract_text(str(tmp_path / f"{docx.stem}.pdf"))
    return "".join(text.split())


def test_libreoffice_prints_the_edition(tmp_path):
    build(REFERENCE_SRC, tmp_path / "out", ["docx"], locales=["zh-CN"])
    text = to_pdf(tmp_path / "out" / "zh-CN" / "privacy-policy.docx", tmp_path)
    document = resolve(load_project(REFERENCE_SRC))
    for section in document.walk():
        assert "".join((section.number + plain(section.title)).split()) in text
    assert "业务功能对应权限使用目的" in text     # the table's header row
    assert "第1页/共" in text                  # the footer's PAGE and NUMPAGES fields
    assert "yiyebaoke@163.com" in text


def test_libreoffice_prints_the_redline_with_both_wordings(tmp_path):
    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, "permission-purpose")
    sdks = new / "sections" / "sdks.yaml"
    sdks.write_text(sdks.read_text("utf-8").replace("  - name: 微信SDK\n    purpose: 微信登录\n",
                                                    ""), encoding="utf-8")
    path = tmp_path / "redline.docx"
    path.write_bytes(redline_docx(compare(load_snapshot(str(old)), load_snapshot(str(new)))))
    text = to_pdf(path, tmp_path)
    assert "通过本机号码网络电话联系客户" in text   # deleted then inserted, both shown
    assert "微信SDK微信登录" in text                # the removed SDK, struck through
    assert "高德地图SDK" in text


def test_libreoffice_keeps_a_moved_sections_both_places_and_their_comments(tmp_path):
    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, "base", "new")
    child = "  - title: 保存期限\n    blocks:\n      - 我们仅在必需的期限内保存您的个人信息。\n"
    with (old / "sections" / "collection.yaml").open("a", encoding="utf-8") as file:
        file.write(child)
    with (new / "sections" / "sharing.yaml").open("a", encoding="utf-8") as file:
        file.write("sections:\n" + child)
    path = tmp_path / "redline.docx"
    path.write_bytes(redline_docx(compare(load_snapshot(str(old)), load_snapshot(str(new)))))
    text = to_pdf(path, tmp_path)
    assert "（三）保存期限" in text and "（一）保存期限" in text   # deleted, and inserted
    saved = tmp_path / "saved"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "docx", "--outdir", str(saved), str(path)],
                   check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(saved / "redline.docx") as package:
        comments = package.read("word/comments.xml").decode("utf-8")
    assert "本节移自：（三）保存期限" in comments and "本节移至：（一）保存期限" in comments
