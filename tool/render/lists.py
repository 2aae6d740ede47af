"""The two lists MIIT asks apps to publish, generated from the same data as the policy.

* 已收集个人信息清单 (collected-data list): one row per data item of each feature — type,
  item, purpose, scenario (the feature), collection (required or optional, sensitive).
* 第三方信息共享清单 (third-party sharing list): one row per SDK or third party — name,
  provider, contact, purpose, scenario, method, data, permissions, privacy-policy link.

Each list is written as an HTML page (``templates/lists/list.html.j2``) and as CSV
(UTF-8 with a byte-order mark and CRLF line ends, as spreadsheet programs expect; a cell
that a spreadsheet would read as a formula is prefixed with ``'``).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .. import model as m
from ..diagnostics import Report
from ..document import Document, Link, Ref, plain
from ..inline import InlineParser
from ..locales import locale_style
from ..project import Project
from ..resolve import variables_of
from ..translate import localize
from . import Templates

TEMPLATE = "lists/list.html.j2"
STYLESHEET = "lists/lists.css"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

WORDS = {
    "zh": {
        "collected-data-list": "已收集个人信息清单",
        "third-party-sharing-list": "第三方信息共享清单",
        "data_columns": ("类型", "信息名称", "使用目的", "使用场景", "收集情况"),
        "sdk_columns": ("第三方名称/SDK名称", "SDK提供方", "联系方式", "使用目的", "使用场景",
                        "共享方式", "个人信息类型", "所需权限", "隐私政策链接"),
        "required": "必要", "optional": "可选", "sensitive": "敏感个人信息",
        "not_stated": "未说明", "none": "无", "separator": "、", "join": "；",
        "version": "版本", "effective": "生效日期",
    },
    "en": {
        "collected-data-list": "Personal information collected",
        "third-party-sharing-list": "Personal information shared with third parties",
        "data_columns": ("Type", "Item", "Purpose", "Scenario", "Collection"),
        "sdk_columns": ("Third party / SDK", "Provider", "Contact", "Purpose", "Scenario",
                        "Method", "Personal information", "Permissions",
                        "Privacy policy"),
        "required": "Required", "optional": "Optional", "sensitive": "sensitive",
        "not_stated": "Not stated", "none": "None", "separator": ", ", "join": "; ",
        "version": "Version", "effective": "Effective",
    },
}

@dataclass
class Table:
    """One list: its file stem, title, column headers and rows of plain-text cells."""

    stem: str
    title: str
    columns: tuple[str, ...]
    rows: list[list]


def render_lists(project: Project, document: Document, templates: Templates) -> dict[str, bytes]:
    """File name → bytes of both lists, HTML and CSV, in the wording of ``document``.

    The project must have resolved without errors into ``document`` (the lists reuse
    its variables and references, and report nothing).
    """
    words = WORDS["zh" if document.locale.lower().startswith("zh") else "en"]
    source = localize(project, document.locale, Report(), allow_missing=True)
    cells = _Cells(source.policy, document, words)
    sections = [s for sf in source.sections for s in _walk(sf.section)]
    features = [f for s in sections if isinstance(s, m.DataCollectedSection) for f in s.features]
    sdks = [sdk for s in sections if isinstance(s, m.SdksSection) for sdk in s.sdks]
    tables = [Table("collected-data-list", words["collected-data-list"], words["data_columns"],
                    [cells.data_row(f, item) for f in features for item in f.data]),
              Table("third-party-sharing-list", words["third-party-sharing-list"],
                    words["sdk_columns"], [cells.sdk_row(sdk) for sdk in sdks])]
    env = templates.environment(autoescape=True)
    template = env.get_template(TEMPLATE)
    css = templates.read(STYLESHEET)
    effective = locale_style(document.locale).format_date(document.effective) \
        if document.effective else ""
    out: dict[str, bytes] = {}
    for table in tables:
        html = template.render(doc=document, table=table, css=css, words=words,
                               app=cells.text(source.policy.app.name) if source.policy.app else "", effective=effective)
        out[f"{table.stem}.html"] = html.encode("utf-8")
        out[f"{table.stem}.csv"] = csv_bytes(table)
    return out


def csv_bytes(table: Table) -> bytes:
    """The list as CSV: header row, then one row per entry; formulas are neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(cell) -> str:
    text = cell.href if isinstance(cell, Link) else cell
    return "'" + text if text.startswith(FORMULA_START) else text


def _walk(section: m.SectionBase):
    yield section
    for child in section.sections:
        yield from _walk(child)


class _Cells:
    """Turns source texts into plain cell text: variables filled in, markup dropped."""

    def __init__(self, policy: m.Policy, document: Document, words: dict):
        self.words = words
        self.headings = {s.anchor: s.number + plain(s.title) for s in document.walk()}
        self.parser = InlineParser(variables_of(policy), self._ref, Report())

    def _ref(self, ids: list[str]) -> Ref:
        """A reference reads as the heading it points to (the lists stand alone)."""
        return Ref(self.words["separator"].join(self.headings.get(i, i) for i in ids), ids[0])

    def text(self, value) -> str:
        if not value:
            return self.words["not_stated"]
        spans = self.parser.parse(value)
        return " ".join(plain(spans).split())

    def texts(self, values: list, empty: str) -> str:
        if not values:
            return self.words[empty]
        return self.words["separator"].join(self.text(v) for v in values)

    def data_row(self, feature: m.Feature, item: m.DataItem) -> list:
        w = self.words
        collection = w["required"] if item.required else w["optional"]
        if item.sensitive:
            collection += w["join"] + w["sensitive"]
        return [self.text(item.category), self.text(item.name),
                self.text(item.purpose or feature.purpose), self.text(feature.name), collection]

    def sdk_row(self, sdk: m.Sdk) -> list:
        link = Link(str(sdk.policy_url), (str(sdk.policy_url),)) if sdk.policy_url \
            else self.words["not_stated"]
        return [self.text(sdk.name), self.text(sdk.provider), self.text(sdk.contact),
                self.text(sdk.purpose), self.text(sdk.scenario), self.text(sdk.method),
                self.texts(m.data_names(sdk.data), "not_stated"), self.texts(sdk.permissions, "none"), link]
