"""The readers of untrusted files on generated input: APKs and app bundles (element trees
of any depth, size and text, then their bytes mutated), Word files (paragraphs, lists and
numbering of any value) and web pages (nested markup, any characters). Every outcome is
facts, a clean error, or imported sources that load; never an exception, never "a bug in
policyc import". Bounded in CI by max_examples, not by time."""
from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings, strategies as st

from aab import proto_xml
from axml import axml
from policyc.app import AppBuild, aab, apk
from policyc.diagnostics import PolicyError, Report
from policyc.importers import import_policy

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])
TAGS = ["manifest", "application", "uses-permission", "activity", "meta-data", "service",
        "provider", "intent-filter", "x"]
TEXT = st.text(max_size=40)


@st.composite
def element_trees(draw):
    """(depth, tag, attributes, line) in document order: a root, then elements whose depth
    grows by at most one (down to 90 levels: beyond the bound of 64)."""
    count = draw(st.integers(1, 120))
    depth, out = 0, [(0, "manifest", {"package": draw(TEXT)}, 1)]
    for line in range(2, count + 1):
        depth = draw(st.integers(1, min(depth + 1, 90)))
        attrs = draw(st.dictionaries(st.sampled_from(["android:name", "android:value",
                                                      "package", "tools:node", "k"]),
                                     TEXT, max_size=3))
        out.append((depth, draw(st.sampled_from(TAGS)), attrs, line))
    return out


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def read_archive(reader, data: bytes) -> None:
    report = Report()
    reader(io.BytesIO(data), "fuzzed", AppBuild(), report)
    for diagnostic in report.diagnostics:
        assert diagnostic.message.startswith("cannot read fuzzed")


def mutated(data: bytes, at: int, value: int, cut: int) -> bytes:
    if not data:
        return data
    at %= len(data)
    return data[:at] + bytes([value]) + data[at + 1:len(data) - cut % 8]


@SETTINGS
@given(element_trees(), st.integers(0, 2**20), st.integers(0, 255), st.integers(0, 64))
def test_apks(tree, at, value, cut):
    try:
        manifest = axml(tree)
    except Exception:   # the test writer's own limits (a string of 65,536 units)
        return
    read_archive(apk.read, zipped({"AndroidManifest.xml": manifest}))
    read_archive(apk.read, zipped({"AndroidManifest.xml": mutated(manifest, at, value, cut)}))
    read_archive(apk.read, mutated(zipped({"AndroidManifest.xml": manifest}), at, value, cut))


@SETTINGS
@given(st.lists(element_trees(), min_size=1, max_size=4), st.integers(0, 2**20),
       st.integers(0, 255), st.integers(0, 64))
def test_app_bundles(trees, at, value, cut):
    modules = {("base" if k == 0 else f"feature{k}") + "/manifest/AndroidManifest.xml":
               proto_xml(tree) for k, tree in enumerate(trees)}
    read_archive(aab.read, zipped(modules))
    first = next(iter(modules))
    read_archive(aab.read, zipped({**modules, first: mutated(modules[first], at, value, cut)}))


def imports_cleanly(path, tmp_path, case: str) -> None:
    try:
        import_policy(path, tmp_path / f"out-{case}", force=True)
    except PolicyError as exc:
        messages = [d.message for d in exc.report.errors]
        assert messages and not any("a bug in policyc" in m for m in messages), messages


INLINE = ["b", "i", "u", "a", "span", "em", "strong", "code", "sup"]
BLOCK = ["p", "div", "ul", "ol", "li", "h1", "h2", "h3", "table", "tr", "td", "section",
         "blockquote", "pre", "dl", "dt", "dd"]


@st.composite
def html_pages(draw):
    def node(depth: int) -> str:
        if depth > 40 or draw(st.integers(0, 3)) == 0:
            return draw(TEXT).replace("<", "&lt;")
        tag = draw(st.sampled_from(BLOCK + INLINE))
        inner = "".join(node(depth + 1) for _ in range(draw(st.integers(0, 3))))
        attrs = ' href="' + draw(st.sampled_from(["#a", "http://x", "javascript:x", ""])) \
            + '"' if tag == "a" else ""
        return f"<{tag}{attrs}>{inner}</{tag}>"
    return "<html><body><h1>隐私政策</h1>" + node(0) + "</body></html>"


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(html_pages(), st.integers(0, 10**6))
def test_web_pages(tmp_path, page, case):
    path = tmp_path / f"page{case}.html"
    path.write_bytes(page.encode("utf-8", "surrogatepass"))
    imports_cleanly(path, tmp_path, str(case))


FORMATS = ["decimal", "upperRoman", "lowerRoman", "upperLetter", "lowerLetter",
           "chineseCounting", "chineseLegalSimplified", "ideographTraditional",
           "decimalEnclosedCircle", "decimalZero", "bullet", "none", "nonsense"]


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(-1, 9), TEXT), min_size=1, max_size=15),
       st.lists(st.tuples(st.sampled_from(FORMATS), st.integers(-2**31, 2**31)),
                min_size=1, max_size=4),
       st.integers(0, 10**6))
def test_word_files(tmp_path, paragraphs, levels, case):
    import docx
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    document.add_paragraph("隐私政策", style="Title")
    numbering = document.part.numbering_part.element
    lvls = "".join(f'<w:lvl w:ilvl="{k}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
                   f'<w:lvlText w:val="%{k + 1}."/></w:lvl>' for k, (fmt, start) in enumerate(levels))
    numbering.append(parse_xml(f'<w:abstractNum {ns} w:abstractNumId="77">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    for level, text in paragraphs:
        clean = "".join(c for c in text if c in "\t\n\r" or (0x20 <= ord(c) <= 0xD7FF)
                        or 0xE000 <= ord(c) <= 0xFFFD or ord(c) >= 0x10000)  # what XML holds
        paragraph = document.add_paragraph(clean)
        if level >= 0:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = level
            num_pr.get_or_add_numId().val = 77
    path = tmp_path / f"doc{case}.docx"
    document.save(path)
    imports_cleanly(path, tmp_path, str(case))
