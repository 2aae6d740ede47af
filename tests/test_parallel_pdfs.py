"""``build -j N`` for one policy: its PDFs (editions and archived editions) are rendered
by N worker processes, with the same bytes and the same errors as one process."""
from __future__ import annotations

from pathlib import Path

from conftest import REFERENCE_SRC, write_policy
from policyc.build import build
from policyc.cli import main
from policyc.diagnostics import Report


def published(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".policyc-cache.json"}


def test_two_workers_write_the_same_bytes_as_one(reference_build, tmp_path):
    result = build(REFERENCE_SRC, tmp_path, report=Report(), jobs=2)
    pdfs = [a.path for a in result.artifacts if a.path.endswith(".pdf")]
    assert len(pdfs) == 4          # two editions and their archived copies (PDF/A-3b)
    assert published(tmp_path) == published(reference_build)


def test_a_second_build_with_workers_reuses_every_pdf(tmp_path, monkeypatch):
    build(REFERENCE_SRC, tmp_path, report=Report(), formats=["pdf"], locales=["en"], jobs=2)
    (tmp_path / "en" / "changes.html").unlink(missing_ok=True)   # forces a real rebuild
    (tmp_path / "manifest.json").write_text('{"generator": "policyc", "artifacts": []}',
                                            encoding="utf-8")   # another build's
    import policyc.render.pdf as pdf

    def fail(*args):
        raise AssertionError("a PDF was rendered again")
    monkeypatch.setattr(pdf, "pdf_page", fail)   # made here before a worker lays it out
    build(REFERENCE_SRC, tmp_path, report=Report(), formats=["pdf"], locales=["en"], jobs=2)


def test_a_pdf_error_in_a_worker_is_reported_and_nothing_is_written(tmp_path, capsys):
    src = write_policy(tmp_path / "src", {"s.yaml": "title: Glyphs\nblocks:\n  - \"\ue000\"\n"})
    out = tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "--format", "pdf", "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "U+E000" in err and "cannot build the PDF edition" in err
    assert not out.exists() or not (out / "manifest.json").exists()


def test_an_archived_copy_is_written_from_its_editions_layout(tmp_path, monkeypatch):
    """The PDF/UA edition and its PDF/A-3b archived copy have the same pages: one layout."""
    import pikepdf
    import weasyprint

    layouts = []
    real_render = weasyprint.HTML.render

    def counting(self, *args, **kwargs):
        layouts.append(1)
        return real_render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counting)
    build(REFERENCE_SRC, tmp_path, report=Report(), formats=["pdf"], locales=["en"])
    assert len(layouts) == 1
    edition = pikepdf.open(tmp_path / "en" / "privacy-policy.pdf").open_metadata()
    archived = pikepdf.open(tmp_path / "archive" / "1.0" / "en" / "privacy-policy.pdf")
    assert edition.get("pdfuaid:part") == "1"
    assert archived.open_metadata().get("pdfaid:part") == "3"
