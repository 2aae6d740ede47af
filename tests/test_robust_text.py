"""What a text may hold, one definition for validation, the importers and every writer;
the encodings an import may name; nesting and DOCTYPEs in imported files."""
from __future__ import annotations

import io
import sys
import zipfile

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from conftest import DATA, write_policy
from test_import import run_import
from policyc.build import build
from policyc.chars import first_forbidden, writable
from policyc.diagnostics import PolicyError, Report
from policyc.load import load_bytes

sys.path.insert(0, str(DATA / "import"))
from make_docx import chinese_numbering_docx  # noqa: E402

BOUNDARIES = [0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x7E, 0x7F, 0x84, 0x85, 0x9B, 0x9F, 0xA0, 0x2028,
              0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFDCF, 0xFDD0, 0xFDEF, 0xFDF0, 0xFFFD, 0xFFFE,
              0xFFFF, 0x10000, 0x1FFFD, 0x1FFFE, 0x10FFFD, 0x10FFFF]


def escaped(text: str) -> str:
    """``text`` as YAML escapes (\\U0001FFFD), for a double-quoted scalar."""
    return "".join(f"\\U{ord(c):08X}" for c in text)


def xml_can_hold(char: str) -> bool:
    element = etree.Element("t")
    try:
        element.text = char
    except ValueError:
        return False
    return True


def source_accepts(char: str) -> bool:
    report = Report()
    load_bytes(f'text: "{escaped(char)}"\n'.encode("utf-8"), "x.yaml", report)
    return not report.has_errors


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(BOUNDARIES), st.integers(0, 0x10FFFF)))
def test_what_validation_accepts_every_writer_can_hold(code):
    char = chr(code)
    accepted = source_accepts(char)
    assert accepted == (first_forbidden(char) is None)
    if accepted:
        assert xml_can_hold(char)                  # HTML, Word, app XML, the PDF's HTML
        char.encode("utf-8")                       # Markdown, JSON, CSV
        assert 0xA0 <= code or code in (9, 10, 13) or 0x20 <= code < 0x7F
    else:
        assert writable(char) == "\ufffd"


def test_a_policy_with_every_boundary_character_it_may_hold_builds(tmp_path):
    allowed = "".join(chr(c) for c in BOUNDARIES if first_forbidden(chr(c)) is None
                      and c >= 0x20 and c != 0x7E)
    src = write_policy(tmp_path / "src", {"sections/a.yaml": (
        f'title: Intro\nblocks:\n  - "Edge {escaped(allowed)} end"\n')})
    out = tmp_path / "out"
    build(src, out, ["html", "md", "docx"], Report())
    with zipfile.ZipFile(next(out.rglob("*.docx"))) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    html = next(p for p in out.rglob("*.html") if "Edge" in p.read_text("utf-8"))
    for char in allowed.replace("\u2028", ""):
        assert char in document and char in html.read_text("utf-8"), hex(ord(char))


@pytest.mark.parametrize("code", [0xFFFF, 0xFFFE, 0xFDD0, 0x85, 0x9B, 0x1B])
def test_a_character_no_document_holds_is_a_source_error(tmp_path, code):
    src = write_policy(tmp_path / "src", {"sections/a.yaml": (
        f'title: Intro\nblocks:\n  - "Hello \\u{code:04X} world"\n')})
    report = Report()
    with pytest.raises(PolicyError):
        build(src, tmp_path / "out", ["docx", "html"], report)
    assert [d.format() for d in report.errors] == [
        f"{src}/sections/a.yaml:3:5: error: {'control character' if code < 0xA0 else 'noncharacter'} "
        f"U+{code:04X} in this text (written as an escape such as \\0, \\a, \\e or \\uFFFF); "
        "no document can hold it: remove it"]


# ------------------------------------------------------------------------------ imports

def docx_with(tmp_path, replace: dict[str, bytes] | None = None, extra=()) -> str:
    good = chinese_numbering_docx(tmp_path / "good.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, data in extra:
            dst.writestr(name, data)
    path = tmp_path / "in.docx"
    path.write_bytes(out.getvalue())
    return str(path)


@pytest.mark.parametrize("char", ["\x85", "\x9b", "\ufdd0"])
def test_a_word_file_holding_a_character_no_source_may_hold_is_refused(tmp_path, char):
    good = chinese_numbering_docx(tmp_path / "good.docx")
    with zipfile.ZipFile(good) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    document = document.replace("账号信息", f"账号{char}信息", 1)
    source = docx_with(tmp_path, {"word/document.xml": document.encode("utf-8")})
    code, _, stderr = run_import(source, "-o", str(tmp_path / "out"))
    assert code == 1 and f"U+{ord(char):04X} in the text (paragraph " in stderr, stderr
    assert "a bug in policyc" not in stderr and not (tmp_path / "out").exists()


DOCTYPE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'


@pytest.mark.parametrize("name, data", [
    ("word/renamed.bin", DOCTYPE),                                   # any part, any name
    ("word/late.xml", b'<?xml version="1.0"?>' + b" " * 8000 + b"<!DOCTYPE x><x/>"),
    ("word/utf16.xml", '<?xml version="1.0" encoding="UTF-16BE"?><!DOCTYPE x><x/>'
                       .encode("utf-16-be")),
])
def test_a_doctype_anywhere_in_a_word_file_is_refused(tmp_path, name, data):
    source = docx_with(tmp_path, extra=[(name, data)])
    code, _, stderr = run_import(source, "-o", str(tmp_path / "out"))
    assert code == 1 and f"entry {name} declares a DOCTYPE" in stderr, stderr


def nested_lists(depth: int) -> str:
    return ("<html><body><h1>Privacy Policy</h1><p>We collect data.</p>"
            + "".join(f"<ul><li>item {k}" for k in range(depth))
            + "</li></ul>" * depth + "</body></html>")


def test_a_list_nested_twenty_deep_imports_with_every_item(tmp_path):
    source = tmp_path / "deep.html"
    source.write_text(nested_lists(20), "utf-8")
    code, _, stderr = run_import(str(source), "-o", str(tmp_path / "out"))
    assert code == 0, stderr
    written = "".join(p.read_text("utf-8") for p in (tmp_path / "out").rglob("*.yaml"))
    assert all(f'"item {k}"' in written for k in range(20))
    build(tmp_path / "out", tmp_path / "site", ["html"], Report())


def test_html_nested_beyond_the_parser_is_refused_not_cut(tmp_path):
    source = tmp_path / "deeper.html"
    source.write_text(nested_lists(200), "utf-8")
    code, _, stderr = run_import(str(source), "-o", str(tmp_path / "out"))
    assert code == 1 and "nested more than 255 deep" in stderr, stderr


@pytest.mark.parametrize("charset", ["rot13", "zlib", "base64", "hex", "uu", "punycode",
                                     "idna", "utf-7", "unicode_escape", "no-such"])
def test_only_text_encodings_are_read(tmp_path, charset):
    page = tmp_path / "page.html"
    page.write_text(f'<meta charset="{charset}"><h1>Privacy</h1><p>We collect data.</p>',
                    "ascii")
    code, _, stderr = run_import(str(page), "-o", str(tmp_path / "out"))
    assert code == 1 and stderr.startswith(f"{page}:1:1: error: "), stderr
    text = tmp_path / "policy.txt"
    text.write_text("Privacy policy\nWe collect data.\n", "ascii")
    code, _, stderr = run_import(str(text), "--encoding", charset, "-o", str(tmp_path / "o2"))
    assert code == 1 and stderr.startswith(f"{text}:1:1: error: "), stderr


@pytest.mark.parametrize("charset", ["gbk", "windows-1252", "shift_jis", "big5", "latin-1"])
def test_text_encodings_are_still_read(tmp_path, charset):
    page = tmp_path / "page.html"
    page.write_text(f'<meta charset="{charset}"><h1>Privacy</h1><p>We collect data.</p>',
                    "ascii")
    code, _, stderr = run_import(str(page), "-o", str(tmp_path / "out"))
    assert code == 0, stderr
