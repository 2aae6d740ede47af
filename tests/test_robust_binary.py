"""Binary inputs are bounded: nesting, counts, references and the text they expand to
(the same bounds for an APK's binary XML and an app bundle's protocol buffers, counted
over a whole archive), and the start values of Word lists."""
from __future__ import annotations

import io
import re
import struct
import sys
import zipfile

import pytest

from aab import proto_xml
from axml import axml
from conftest import DATA
from policyc.app import AppBuild, aab, apk, elements
from policyc.app.elements import LimitProblem
from policyc.diagnostics import Report
from policyc.importers import read_outline
from policyc.importers.numbering import word_number

sys.path.insert(0, str(DATA / "import"))
from make_docx import chinese_numbering_docx  # noqa: E402

PARSERS = {"apk": lambda tree: apk.parse_axml(axml(tree)),
           "aab": lambda tree: aab.parse_proto_xml(proto_xml(tree))}


def chain(depth: int) -> list[tuple[int, str, dict[str, str], int]]:
    return [(k, "manifest" if k == 0 else "x", {}, k + 1) for k in range(depth)]


@pytest.mark.parametrize("kind", PARSERS)
def test_nesting_is_bounded_alike_in_both_formats(kind):
    assert len(PARSERS[kind](chain(elements.MAX_DEPTH))) == elements.MAX_DEPTH
    with pytest.raises(LimitProblem, match=f"nested deeper than {elements.MAX_DEPTH}"):
        PARSERS[kind](chain(elements.MAX_DEPTH + 1))


def test_an_apk_manifest_nested_thousands_deep_is_refused_early():
    with pytest.raises(LimitProblem, match="nested deeper"):
        apk.parse_axml(axml(chain(3000)))


@pytest.mark.parametrize("kind", PARSERS)
def test_the_number_of_elements_is_bounded(kind, monkeypatch):
    monkeypatch.setattr(elements, "MAX_ELEMENTS", 50)
    tree = [(0, "manifest", {}, 1)] + [(1, "uses-permission", {}, k) for k in range(2, 51)]
    assert len(PARSERS[kind](tree)) == 50
    with pytest.raises(LimitProblem, match="more than 50 elements"):
        PARSERS[kind](tree + [(1, "uses-permission", {}, 99)])


@pytest.mark.parametrize("kind", PARSERS)
def test_a_long_string_referenced_over_and_over_is_refused(kind):
    """One 30,000-character value on 600 elements: 18 million characters expanded."""
    value = "p" * 30_000
    tree = [(0, "manifest", {}, 1)] + [(1, "meta-data", {"android:value": value}, k)
                                       for k in range(2, 602)]
    with pytest.raises(LimitProblem, match="expands beyond"):
        PARSERS[kind](tree)


def string_pool_referenced(times: int, length: int) -> bytes:
    """Binary XML whose string pool lists one ``length``-character string ``times``
    times (every offset 0), as a 3.8 MB manifest can for 500,000 references."""
    text = "a" * length
    data = struct.pack("<H", length) + text.encode("utf-16-le") + b"\0\0"
    data += b"\0" * (-len(data) % 4)
    header = 28
    body = struct.pack(f"<{times}I", *([0] * times)) + data
    pool = struct.pack("<HHIIIIII", 0x0001, header, header + len(body), times, 0, 0,
                       header + 4 * times, 0) + body
    return struct.pack("<HHI", 0x0003, 8, 8 + len(pool)) + pool


def test_a_string_pool_entry_referenced_500000_times_is_refused():
    with pytest.raises(LimitProblem, match="expands beyond"):
        apk.parse_axml(string_pool_referenced(500_000, 1000))


def bundle(modules: int, manifest: bytes) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for k in range(modules):
            name = "base" if k == 0 else f"feature{k}"
            archive.writestr(f"{name}/manifest/AndroidManifest.xml", manifest)
    out.seek(0)
    return out


def test_a_bundle_is_bounded_as_a_whole_not_per_module(monkeypatch):
    manifest = proto_xml([(0, "manifest", {"package": "com.example"}, 1)] +
                         [(1, "uses-permission", {"android:name": f"p{k}"}, k) for k in range(2, 40)])
    monkeypatch.setattr(elements, "MAX_MANIFEST_BYTES", 10 * len(manifest))
    report = Report()
    aab.read(bundle(10, manifest), "ok.aab", AppBuild(), report)
    assert not report.has_errors
    report = Report()
    aab.read(bundle(11, manifest), "big.aab", AppBuild(), report)
    assert [d.message for d in report.sorted()] == [
        f"cannot read big.aab: its manifests hold more than {10 * len(manifest):,} bytes "
        "together; refused"]
    monkeypatch.setattr(elements, "MAX_MANIFEST_BYTES", 10 ** 9)
    monkeypatch.setattr(elements, "MAX_ELEMENTS", 10 * 39)
    report = Report()
    aab.read(bundle(11, manifest), "many.aab", AppBuild(), report)
    assert any("more than 390 elements" in d.message for d in report.sorted())


@pytest.mark.parametrize("fmt, n, label", [
    ("upperRoman", 3999, "MMMCMXCIX"), ("upperRoman", 4000, "4000"),
    ("lowerRoman", 2_000_000_000, "2000000000"), ("lowerLetter", 780, "z" * 30),
    ("lowerLetter", 781, "781"), ("upperLetter", 2_000_000_000, "2000000000"),
    ("chineseCounting", -12, "-12"), ("chineseLegalSimplified", -12, "-12")])
def test_word_numbers_without_a_spelling_are_decimal(fmt, n, label):
    assert word_number(fmt, n) == label


@pytest.mark.parametrize("fmt", ["upperRoman", "lowerLetter", "chineseCounting", "decimal"])
@pytest.mark.parametrize("start", ["2000000000", "-2000000000"])
def test_a_word_list_starting_at_two_billion_reads(tmp_path, fmt, start):
    good = chinese_numbering_docx(tmp_path / "good.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/numbering.xml":
                text = data.decode("utf-8")
                text = re.sub(r'<w:start w:val="1"/>', f'<w:start w:val="{start}"/>', text)
                text = re.sub(r'<w:numFmt w:val="[a-zA-Z]+"/>', f'<w:numFmt w:val="{fmt}"/>', text)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    source = tmp_path / "start.docx"
    source.write_bytes(out.getvalue())
    labels = [e.marker.label for e in read_outline(source).entries if e.marker]
    assert labels and max(len(label) for label in labels) <= 12, labels
