"""The PDFs claim PDF/UA-1 (archived editions PDF/A-3b), and their structure bears it out.

veraPDF cannot be installed here, so these tests read the structure with pikepdf and
check the PDF/UA requirements that a program can decide (see README, "Accessible and
archival PDF", for what they cover and what they do not).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pikepdf
import pytest

from conftest import ROOT

PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh"}


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def edition(request, reference_build) -> pikepdf.Pdf:
    return pikepdf.open(reference_build / request.param / "privacy-policy.pdf")


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements in reading order (depth first)."""
    out: list[pikepdf.Dictionary] = []

    def visit(node) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                visit(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            out.append(node)
            if "/K" in node:
                visit(node.K)

    visit(pdf.Root.StructTreeRoot.K)
    return out


def test_claims_pdf_ua_1_with_title_and_language(edition):
    meta = edition.open_metadata()
    assert meta.get("pdfuaid:part") == "1"
    assert meta.get("dc:title") in ("隐私政策", "Privacy Policy")
    assert edition.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(edition.Root.Lang) in ("zh-CN", "en")
    assert edition.Root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in edition.Root


def test_headings_are_h1_to_hn_in_reading_order_without_skipped_levels(edition):
    levels = [int(str(e.S)[2:]) for e in structure(edition) if re.fullmatch(r"/H\d", str(e.S))]
    assert levels[0] == 1 and levels.count(1) == 1          # the title
    assert levels.count(2) == 10                            # the ten sections
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    outline_levels = []
    with edition.open_outline() as outline:
        stack = [(item, 1) for item in outline.root]
        while stack:
            item, depth = stack.pop(0)
            outline_levels.append(depth)
            stack[:0] = [(child, depth + 1) for child in item.children]
    assert outline_levels == levels     # the tags' levels are the outline's, in its order


def test_table_header_cells_head_their_columns(edition):
    headers = [e for e in structure(edition) if e.S == "/TH"]
    assert headers and len(headers) % 5 == 0    # five columns, repeated after page breaks
    for cell in headers:
        assert cell.A.Scope == "/Column"
    cells = [e for e in structure(edition) if e.S == "/TD"]
    assert cells and all("/Headers" in c.A for c in cells)


def test_links_have_alternate_text_and_are_tagged(edition):
    described = 0
    for page in edition.pages:
        for annot in page.get("/Annots", []):
            if annot.Subtype != "/Link":
                continue
            text = str(annot.Contents)
            assert text.strip() and "/StructParent" in annot
            if "/Dest" in annot:    # an internal link names the section it goes to
                assert text != str(annot.Dest)
                described += 1
    assert described > 10
    assert any(e.S == "/Link" for e in structure(edition))


def test_no_untagged_content(edition):
    for number, page in enumerate(edition.pages, start=1):
        open_sequences = 0
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                open_sequences += 1
            elif op == "EMC":
                open_sequences -= 1
            elif op in PAINTING:
                assert open_sequences > 0, f"page {number}: {op} outside marked content"


def test_fonts_are_embedded_with_unicode_maps(edition):
    fonts = {}
    for page in edition.pages:
        for name, font in page.Resources.get("/Font", {}).items():
            fonts[font.objgen] = font
    assert fonts
    for font in fonts.values():
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = descendant.FontDescriptor
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        assert "/ToUnicode" in font


def test_archived_editions_are_pdf_a_3b(reference_build):
    for locale in ("zh-CN", "en"):
        pdf = pikepdf.open(reference_build / "archive" / "1.0" / locale / "privacy-policy.pdf")
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
    listed = json.loads((reference_build / "manifest.json").read_text(encoding="utf-8"))
    assert {a["path"] for a in listed["artifacts"]} >= {
        "archive/1.0/zh-CN/privacy-policy.pdf", "zh-CN/privacy-policy.pdf"}


def test_the_pdf_setting_chooses_the_standard(src_copy, tmp_path):
    policy = src_copy / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") +
                      "pdf: {variant: pdf/a-3b, archived: pdf/ua-1}\n", encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "policyc", "build", str(src_copy), "-o",
                          str(out), "-f", "pdf", "-l", "en", "-q"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    edition = pikepdf.open(out / "en" / "privacy-policy.pdf").open_metadata()
    archived = pikepdf.open(out / "archive" / "1.0" / "en" / "privacy-policy.pdf")
    assert edition.get("pdfaid:part") == "3" and edition.get("pdfuaid:part") is None
    assert archived.open_metadata().get("pdfuaid:part") == "1"
    bad = policy.read_text(encoding="utf-8").replace("pdf/a-3b", "pdf/x-4")
    policy.write_text(bad, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "policyc", "check", str(src_copy)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1 and "pdf/x-4" in run.stderr
