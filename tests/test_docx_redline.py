"""`policyc diff OLD NEW --format docx -o FILE`: the new edition with Word tracked changes.

The package XML is read back: accepting every change must give the new edition's text
and rejecting every change the old one's; the insertions and deletions must be the
diff's changes (the redline's words for reworded text, whole paragraphs and rows for
added and removed SDKs, rows and sections), all by "policyc" on the new version's date,
and every material change must carry a comment naming its category. Random edits of
the reference document (sections, paragraphs, items, rows deleted, inserted, reworded)
must keep the accept/reject property too.
"""
from __future__ import annotations

import copy
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import REFERENCE_SRC, write_policy
from policyc.cli import cli
from policyc.document import Item, List, Paragraph, Section, Table
from policyc.project import load_project
from policyc.render.docx import format_number, list_format, render
from policyc.resolve import resolve
from policyc.versions import compare, load_snapshot
from policyc.versions.redline import redline
from policyc.versions.redline_docx import Redliner, merge, redline_docx
from test_diff import CASES, edition

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def xml(data: bytes, name: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name)) if name in package.namelist() else None


def _unwrap(element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in list(element):
        parent.insert(index, child)
        index += 1
    parent.remove(element)


def resolved(body: etree._Element, accept: bool) -> etree._Element:
    """The body with every tracked change accepted (or rejected), as Word would leave it."""
    body = copy.deepcopy(body)
    drop, keep = ("del", "ins") if accept else ("ins", "del")
    for p in list(body.iter(f"{W}p")):
        if p.find(f"{W}pPr/{W}rPr/{W}{drop}") is not None and p.getparent() is not None \
                and p.getparent().tag != f"{W}tc":
            p.getparent().remove(p)
    for tr in list(body.iter(f"{W}tr")):
        if tr.find(f"{W}trPr/{W}{drop}") is not None:
            tr.getparent().remove(tr)
    for element in list(body.iter(f"{W}{drop}")):
        if element.getparent() is not None and element.getparent().tag != f"{W}rPr" \
                and element.getparent().tag != f"{W}trPr":
            element.getparent().remove(element)
    for element in list(body.iter(f"{W}{keep}")):
        if element.getparent().tag not in (f"{W}rPr", f"{W}trPr"):
            _unwrap(element)
    for deleted in body.iter(f"{W}delText"):
        deleted.tag = f"{W}t"
    return body


def texts(body: etree._Element) -> list[str]:
    """Paragraph texts of the body, outside the contents field (Word rebuilds that)."""
    out = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") == "toc1":
            continue
        out.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return out


def revisions(body: etree._Element, kind: str) -> list[str]:
    """Text of each w:ins / w:del holding runs (not the marks of paragraphs and rows)."""
    tag = "t" if kind == "ins" else "delText"
    return ["".join(t.text or "" for t in element.iter(f"{W}{tag}"))
            for element in body.iter(f"{W}{kind}")
            if element.getparent().tag not in (f"{W}rPr", f"{W}trPr")]


def comparison_of(old: Path, new: Path):
    return compare(load_snapshot(str(old)), load_snapshot(str(new)))


def plain_docx(src: Path) -> etree._Element:
    project = load_project(src)
    return xml(render(resolve(project)))


@pytest.mark.parametrize("case", [c[0] for c in CASES] + ["version-bumped"])
def test_accepting_gives_the_new_edition_rejecting_the_old(tmp_path, case):
    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, case)
    body = xml(redline_docx(comparison_of(old, new)))
    assert texts(resolved(body, accept=True)) == texts(plain_docx(new))
    assert texts(resolved(body, accept=False)) == texts(plain_docx(old))


def test_each_change_is_its_tracked_insertion_or_deletion(tmp_path):
    seen = set()
    for case, _, _ in CASES:
        comparison = comparison_of(edition(tmp_path, "base", "old"), edition(tmp_path, case))
        body = xml(redline_docx(comparison))
        (change, category), = comparison.changes
        inserted, deleted = revisions(body, "ins"), revisions(body, "del")
        marked_paragraphs = [p for p in body.iter(f"{W}p")
                             if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
        if change.key.endswith(("reworded", "field")):      # reworded text: the redline's words
            segments = [s for s in redline(change.old, change.new) if s[0] == "~"]
            assert deleted == [before for _, before, _ in segments if before], case
            assert inserted == [after for _, _, after in segments if after], case
            seen.add("reworded")
        elif change.key == "sdk.added_collects":               # a whole SDK, three paragraphs
            assert deleted == [] and inserted[0] == change.target
            assert inserted == ["友盟SDK", "统计分析", "收集的个人信息：设备标识符"]
            assert len(marked_paragraphs) == 3
            seen.add("added")
        elif change.key == "sdk.removed":
            assert inserted == [] and deleted == ["微信SDK", "微信登录"]
            seen.add("removed")
        else:                                                   # a data type added to a list
            assert change.key == "feature.data_added"
            assert deleted == [] and inserted == [f"、{change.detail}"]
            seen.add("listed")
    assert seen == {"reworded", "added", "removed", "listed"}


def test_changes_are_by_policyc_on_the_new_versions_date(tmp_path):
    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, "version-bumped")
    sdk = (tmp_path / "new" / "version-bumped" / "sections" / "sdks.yaml")
    sdk.write_text(sdk.read_text("utf-8").replace("微信登录", "微信支付"), encoding="utf-8")
    data = redline_docx(comparison_of(old, new))
    body = xml(data)
    marks = list(body.iter(f"{W}ins")) + list(body.iter(f"{W}del"))
    assert len(marks) >= 4
    assert {m.get(f"{W}author") for m in marks} == {"policyc"}
    assert {m.get(f"{W}date") for m in marks} == {"2023-03-01T00:00:00Z"}
    ids = [m.get(f"{W}id") for m in marks]
    assert len(set(ids)) == len(ids)
    assert "最近更新日期：2023年3月1日" in texts(resolved(body, accept=True))
    comments = xml(data, "word/comments.xml")
    assert {c.get(f"{W}date") for c in comments} == {"2023-03-01T00:00:00Z"}
    settings = xml(data, "word/settings.xml")
    assert settings.find(f"{W}trackRevisions") is not None


@pytest.mark.parametrize("case, line, category", CASES, ids=[c[0] for c in CASES])
def test_material_changes_carry_a_comment_naming_their_category(tmp_path, case, line,
                                                                category):
    comparison = comparison_of(edition(tmp_path, "base", "old"), edition(tmp_path, case))
    data = redline_docx(comparison)
    comments = xml(data, "word/comments.xml")
    (change, found), = comparison.changes
    if category is None:                 # minor, and shown as tracked changes
        assert comments is None or len(comments) == 0
        return
    assert len(comments) == 1
    text = "\n".join("".join(t.text for t in p.iter(f"{W}t")) for p in comments[0])
    assert text.startswith(f"重大变更：{found.label}")
    assert text.splitlines()[-1].startswith("原因：")      # and why it is material
    body = xml(data)
    start, = body.iter(f"{W}commentRangeStart")
    paragraph = start.getparent()
    while paragraph.tag != f"{W}p":
        paragraph = paragraph.getparent()
    shown = "".join(t.text or "" for t in paragraph.iter(f"{W}t")) + \
        "".join(t.text or "" for t in paragraph.iter(f"{W}delText"))
    assert change.target in shown or (change.new or "") in shown
    assert body.find(f".//{W}commentReference") is not None


def test_sections_rows_and_list_items_added_and_removed(tmp_path):
    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, "base", "new")
    (new / "sections" / "cookies.yaml").write_text(
        "title: 我们如何使用Cookie\nid: cookies\nblocks:\n  - 我们使用Cookie记住您的偏好。\n",
        encoding="utf-8")
    policy = (new / "policy.yaml").read_text("utf-8")
    (new / "policy.yaml").write_text(policy.replace(
        "  - sections/sharing.yaml\n", "  - sections/cookies.yaml\n  - sections/sharing.yaml\n"),
        encoding="utf-8")
    collection = new / "sections" / "collection.yaml"
    collection.write_text(collection.read_text("utf-8") + (
        "      - feature: 注册账号\n        feature_id: register\n        permissions: []\n"
        "        purpose: 注册和登录\n        asked: no\n        can_disable: no\n"),
        encoding="utf-8")
    sharing = new / "sections" / "sharing.yaml"
    sharing.write_text(sharing.read_text("utf-8").replace("      - 根据法律法规的要求。\n", ""),
                       encoding="utf-8")
    comparison = comparison_of(old, new)
    keys = sorted(c.key for c, _ in comparison.changes)
    assert keys == ["permission.added", "section.added", "text.removed"]
    body = xml(redline_docx(comparison))
    headings = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle") is not None
                and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading1"]
    added = [h for h in headings if h.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
    assert ["".join(t.text for t in h.iter(f"{W}t")) for h in added] == ["三、我们如何使用Cookie"]
    rows = [tr for tr in body.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}ins") is not None]
    assert len(rows) == 1 and "注册账号" in "".join(t.text for t in rows[0].iter(f"{W}t"))
    assert revisions(body, "del") == ["根据法律法规的要求。"]
    assert texts(resolved(body, accept=True)) == texts(plain_docx(new))
    # rejecting restores the old wording; only later sections' generated numbers differ
    strip = lambda lines: [line.lstrip("一二三四五六七八九十、") for line in lines]   # noqa: E731
    assert strip(texts(resolved(body, accept=False))) == strip(texts(plain_docx(old)))


def test_reference_against_itself_has_no_marks_and_same_bytes_twice():
    comparison = comparison_of(REFERENCE_SRC, REFERENCE_SRC)
    data = redline_docx(comparison)
    body = xml(data)
    assert not list(body.iter(f"{W}ins")) and not list(body.iter(f"{W}del"))
    assert redline_docx(comparison_of(REFERENCE_SRC, REFERENCE_SRC)) == data
    assert texts(body) == texts(plain_docx(REFERENCE_SRC))


def test_merge_keeps_new_order_and_puts_removals_before_additions():
    pairs = merge(list("abxd"), list("abyzd"), lambda c: c, lambda a, b: False)
    assert pairs == [("a", "a"), ("b", "b"), ("x", None), (None, "y"), (None, "z"),
                     ("d", "d")]
    pairs = merge(["one", "two"], ["one", "tw0"], lambda c: c, lambda a, b: a[:2] == b[:2])
    assert pairs == [("one", "one"), ("two", "tw0")]


def test_diff_command_writes_the_redline(tmp_path):
    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, "sdk-added")
    out = tmp_path / "redline.docx"
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "docx",
                                      "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert f"wrote {out}: 1 change, material" in result.output
    assert revisions(xml(out.read_bytes()), "ins")[0] == "友盟SDK"
    same = CliRunner().invoke(cli, ["diff", str(old), str(old), "-f", "docx", "-o",
                                    str(tmp_path / "same.docx")])
    assert same.exit_code == 0 and (tmp_path / "same.docx").is_file()
    for args in (["-f", "docx"], ["-o", str(tmp_path / "x.docx")]):
        usage = CliRunner().invoke(cli, ["diff", str(old), str(new), *args])
        assert usage.exit_code == 2 and "-o FILE" in usage.output
    (tmp_path / "a-file").write_text("not a folder")
    unwritable = CliRunner().invoke(cli, ["diff", str(old), str(new), "-f", "docx", "-o",
                                          str(tmp_path / "a-file" / "redline.docx")])
    assert unwritable.exit_code == 2
    assert "Traceback" not in unwritable.output
    assert "redline.docx:1:1: error: cannot write the file" in unwritable.output


def test_english_is_marked_word_by_word_and_links_hold_their_changes(tmp_path):
    old = write_policy(tmp_path / "old", {"a.yaml": (
        "title: Requests\nblocks:\n  - Write to [us](mailto:privacy@example.com) and we "
        "answer within 30 days.\n")})
    new = write_policy(tmp_path / "new", {"a.yaml": (
        "title: Requests\nblocks:\n  - Write to [our team](mailto:privacy@example.com) and "
        "we answer within 15 days.\n"), "b.yaml": (
        "title: Permissions\ntype: permissions\nrows:\n  - feature: Camera\n"
        "    permissions: [camera]\n    purpose: scanning codes\n    asked: yes\n"
        "    can_disable: yes\n")})
    body = xml(redline_docx(comparison_of(old, new)))
    assert revisions(body, "del") == ["us", "30"]
    assert revisions(body, "ins")[:2] == ["our team", "15"]
    for link in body.iter(f"{W}hyperlink"):
        assert not [a for a in link.iterancestors() if a.tag in (f"{W}ins", f"{W}del")]
    assert any(link.find(f"{W}ins") is not None for link in body.iter(f"{W}hyperlink"))
    rows = list(body.iter(f"{W}tr"))           # a new table: header and rows inserted
    assert len(rows) == 2 and all(tr.find(f"{W}trPr/{W}ins") is not None for tr in rows)
    assert texts(resolved(body, accept=True)) == texts(plain_docx(new))
    assert texts(resolved(body, accept=False)) == texts(plain_docx(old))


def test_a_change_of_a_fact_no_edition_prints_is_unpublished_and_unmarked(tmp_path):
    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, "base", "new")
    policy = (new / "policy.yaml").read_text("utf-8")
    (new / "policy.yaml").write_text(policy.replace(
        '  phone: "4000000000"\n', '  phone: "4000000000"\n  response_days: 10\n'),
        encoding="utf-8")
    comparison = comparison_of(old, new)
    assert comparison.changes == [] and not comparison.material
    assert [(c.key, c.field) for c in comparison.unpublished] == [("contact.field",
                                                                  "response_days")]
    data = redline_docx(comparison)
    body = xml(data)
    assert revisions(body, "ins") == revisions(body, "del") == []
    assert xml(data, "word/comments.xml") is None


def test_hostile_wording_in_the_redline_is_text(tmp_path):
    payload = '<w:ins w:author="x"><w:r><w:t>x</w:t></w:r></w:ins> & ]]> &amp; {{ 7*7 }}'
    old = write_policy(tmp_path / "old", {"a.yaml": "title: Terms\nblocks:\n  - Plain words.\n"})
    new = write_policy(tmp_path / "new", {"a.yaml": (
        f"title: Terms\nblocks:\n  - 'Plain words. {payload}'\n")})
    data = redline_docx(comparison_of(old, new))
    body = xml(data)
    # too different to be one paragraph reworded: the old one deleted, the new inserted
    assert revisions(body, "del") == ["Plain words."]
    assert revisions(body, "ins") == [f"Plain words. {payload}"]
    assert {m.get(f"{W}author") for m in body.iter(f"{W}ins")} == {"policyc"}


def test_the_english_edition_as_a_redline(tmp_path, src_copy):
    old = tmp_path / "old"
    shutil.copytree(REFERENCE_SRC, old)
    policy = src_copy / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace(
        "  email: yiyebaoke@163.com\n", "  email: privacy@yiye.example\n", 1), encoding="utf-8")
    comparison = comparison_of(old, src_copy)
    data = redline_docx(comparison, "en")
    body = xml(data)
    assert "privacy@yiye.example" in revisions(body, "ins")
    assert "yiyebaoke@163.com" in revisions(body, "del")
    assert texts(resolved(body, accept=True))[0] == "Privacy Policy"
    comments = xml(data, "word/comments.xml")
    assert all("".join(t.text for t in c.iter(f"{W}t")).startswith("Material change: ")
               for c in comments)
    with pytest.raises(ValueError, match="has no 'fr' edition"):
        redline_docx(comparison, "fr")
    result = CliRunner().invoke(cli, ["diff", str(old), str(src_copy), "-f", "docx", "-o",
                                      str(tmp_path / "fr.docx"), "--locale", "fr"])
    assert result.exit_code == 2 and "has no 'fr' edition" in result.output
    usage = CliRunner().invoke(cli, ["diff", str(old), str(src_copy), "--locale", "en"])
    assert usage.exit_code == 2


def test_an_unused_variable_is_unpublished_and_unmarked(tmp_path):
    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, "base", "new")
    policy = new / "policy.yaml"
    policy.write_text(policy.read_text("utf-8") + "variables:\n  unused: 未使用的值\n",
                      encoding="utf-8")
    comparison = comparison_of(old, new)
    assert comparison.changes == []
    assert [c.key for c in comparison.unpublished] == ["variable.added"]
    data = redline_docx(comparison)
    assert revisions(xml(data), "ins") == [] and xml(data, "word/comments.xml") is None


# ----------------------------------------------------------------------------- mutations

REFERENCE_DOCUMENT = resolve(load_project(REFERENCE_SRC))
WORDS = st.text(alphabet="我们收集信息的目的权限第三方 SDK data and use, 。；", min_size=1,
                max_size=12)


def _containers(document) -> list[list]:
    """Every list of blocks, items, rows and sections an edit can touch."""
    out: list[list] = [document.sections]

    def blocks(items: list) -> None:
        out.append(items)
        for block in items:
            if isinstance(block, List):
                out.append(block.items)
                for item in block.items:
                    blocks(item.blocks)
            elif isinstance(block, Table):
                out.append(block.rows)

    for section in document.walk():
        out.append(section.children)
        blocks(section.blocks)
    return [c for c in out if c]


def _edit(data, document) -> None:
    container = data.draw(st.sampled_from(_containers(document)))
    k = data.draw(st.integers(0, len(container) - 1))
    element = container[k]
    numbering = list_format([item.label for item in container]) \
        if isinstance(element, Item) and element.label else None
    _change(data, container, k, element)
    if numbering:      # numbers as the resolve stage gives them: 1, 2, 3 … again
        fmt, text = numbering
        for n, item in enumerate(container, 1):
            item.label = text.replace("%1", format_number(n, fmt))


def _change(data, container: list, k: int, element) -> None:
    action = data.draw(st.sampled_from(["delete", "insert", "reword"]))
    if action == "delete":
        del container[k]
    elif action == "insert":
        text = data.draw(WORDS)
        if isinstance(element, Section):
            new = copy.deepcopy(element)
            new.anchor, new.title, new.children = f"new-{len(container)}-{k}", (text,), []
        elif isinstance(element, Item):
            new = Item((text,), element.label)
        elif isinstance(element, list):            # a table row
            new = [(text,)] + [tuple(cell) for cell in element[1:]]
        else:
            new = Paragraph((text,))
        container.insert(k, new)
    else:
        text = data.draw(WORDS)
        if isinstance(element, Section):
            element.title = tuple(element.title) + (text,)
        elif isinstance(element, (Item, Paragraph)):
            spans = list(element.content)
            at = data.draw(st.integers(0, len(spans)))
            element.content = tuple(spans[:at] + [text] + spans[at:])
        elif isinstance(element, list):
            element[0] = tuple(element[0]) + (text,)


@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_any_edits_accept_to_the_new_and_reject_to_the_old(data):
    old = copy.deepcopy(REFERENCE_DOCUMENT)
    new = copy.deepcopy(REFERENCE_DOCUMENT)
    for _ in range(data.draw(st.integers(1, 6))):
        _edit(data, new)
    body = xml(Redliner(copy.deepcopy(old), copy.deepcopy(new)).writer().to_bytes())
    assert texts(resolved(body, accept=True)) == texts(xml(render(new)))
    assert texts(resolved(body, accept=False)) == texts(xml(render(old)))


def test_spacing_is_no_tracked_change_and_a_new_link_target_is(tmp_path):
    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, "base", "new")
    for side, url, gap in ((old, "https://old.example/form", "  "),
                           (new, "https://new.example/form", " ")):
        path = side / "sections" / "updates.yaml"
        path.write_text(path.read_text("utf-8").replace(
            "  - 对于重大变更，我们会提供更为显著的通知。",
            f"  - 'For material changes,{gap}we give notice on [this page]({url}).'"),
            encoding="utf-8")
    comparison = comparison_of(old, new)
    assert [c.key for c, _ in comparison.changes] == ["text.relinked"]
    body = xml(redline_docx(comparison))
    assert revisions(body, "del") == ["this page"] and revisions(body, "ins") == ["this page"]
    deleted, = [e for e in body.iter(f"{W}del") if e.getparent().tag != f"{W}rPr"]
    inserted, = [e for e in body.iter(f"{W}ins") if e.getparent().tag != f"{W}rPr"]
    rels = xml(redline_docx(comparison), "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    link_of = {element: targets[element.getparent().get(f"{R}id")]
               if element.getparent().tag == f"{W}hyperlink" else
               targets[next(element.iterancestors(f"{W}hyperlink")).get(f"{R}id")]
               for element in (deleted, inserted)}
    assert link_of == {deleted: "https://old.example/form", inserted: "https://new.example/form"}
    accepted = texts(resolved(body, accept=True))
    assert "For material changes, we give notice on this page." in accepted


def test_an_inserted_section_with_anchors_by_position_is_one_insertion(tmp_path):
    from test_diff import sections_by_position

    old, new = edition(tmp_path, "base", "old"), edition(tmp_path, "base", "new")
    for side in (old, new):
        text = (side / "policy.yaml").read_text("utf-8")
        (side / "policy.yaml").write_text(text.split("material_changes:")[0], encoding="utf-8")
    sections_by_position(old)
    (new / "sections" / "storage.yaml").write_text(
        "title: 我们如何保存您的个人信息\nblocks:\n  - 我们将您的个人信息保存在中国境内。\n",
        encoding="utf-8")
    policy = new / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace(
        "  - sections/sdks.yaml\n", "  - sections/sdks.yaml\n  - sections/storage.yaml\n"),
        encoding="utf-8")
    sections_by_position(new)
    comparison = comparison_of(old, new)
    body = xml(redline_docx(comparison))
    assert revisions(body, "del") == []
    assert revisions(body, "ins") == ["三、我们如何保存您的个人信息", "我们将您的个人信息保存在中国境内。"]
