"""Consistency rules: the policy agrees with itself. They run with every profile."""
from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Severity
from ..inline import PLACEHOLDER
from .. import model as m
from ..schema import Text
from .registry import ALWAYS, Finding, Subject, all_texts, rule, texts

ERROR, WARNING = Severity.ERROR, Severity.WARNING

# ------------------------------------------------------------------------ features and rows


@rule("CONS-ROW-FEATURE", WARNING, ALWAYS, "PIPL Art. 17(1)(2); App 认定方法 3(2)",
      en="permission row '{row}' names no feature declared in the data_collected section; "
         "add `feature_id`",
      zh="权限说明“{row}”对应的业务功能未在收集信息部分说明；请添加 `feature_id`")
def row_without_feature(subject: Subject) -> Iterator[Finding]:
    """Every row of the permissions table belongs to a feature that the data_collected
    section declares (by `feature_id`, or by the same name). A permission used by a
    function the policy never describes is a purpose the user was not told about."""
    for row in subject.rows:
        if not row.feature_id and subject.feature_of(row) is None:
            yield Finding.at(row.loc, row=row.feature)


@rule("CONS-UNKNOWN-FEATURE", ERROR, ALWAYS, "policyc source format",
      en="`feature_id` '{id}' is not the id of a feature",
      zh="`feature_id` “{id}” 不是任何业务功能的 id")
def unknown_feature_id(subject: Subject) -> Iterator[Finding]:
    """A permission row's `feature_id` must be the id of a feature in a data_collected
    section: the row and the feature describe the same processing."""
    features = subject.features_by_id()
    for row in subject.rows:
        if row.feature_id and str(row.feature_id) not in features:
            yield Finding.at(row.feature_id.loc, id=row.feature_id)


@rule("CONS-FEATURE-NO-ROW", WARNING, ALWAYS, "App 认定方法 3(3); GB/T 35273-2020 5.3",
      en="feature '{feature}' uses permissions but has no row in the permissions table",
      zh="业务功能“{feature}”使用系统权限，但权限说明中没有对应的行")
def feature_without_row(subject: Subject) -> Iterator[Finding]:
    """A feature that asks for system permissions has a row in the permissions table,
    which tells the user the purpose and whether the permission can be turned off."""
    with_rows = {id(subject.feature_of(row)) for row in subject.rows}
    for feature in subject.features:
        if feature.permissions and id(feature) not in with_rows:
            yield Finding.at(feature.loc, feature=feature.name)


@rule("CONS-PERMISSION-NO-ROW", WARNING, ALWAYS, "App 认定方法 3(3)",
      en="feature '{feature}' uses {permissions}, which its permission rows do not list",
      zh="业务功能“{feature}”使用的权限 {permissions} 未列入其权限说明")
def permission_not_in_rows(subject: Subject) -> Iterator[Finding]:
    """Every permission a feature declares is listed in that feature's rows of the
    permissions table, so the table is complete."""
    for feature in subject.features:
        rows = [row for row in subject.rows if subject.feature_of(row) is feature]
        listed = {str(p) for row in rows for p in row.permissions}
        missing = [p for p in feature.permissions if str(p) not in listed]
        if rows and missing:
            yield Finding.at(missing[0].loc, feature=feature.name, permissions=missing)


@rule("CONS-PERMISSION-UNDECLARED", WARNING, ALWAYS, "App 认定方法 3(3); PIPL Art. 17",
      en="permission row '{row}' lists {permissions}, which feature '{feature}' does not "
         "declare",
      zh="权限说明“{row}”列出的权限 {permissions} 未在业务功能“{feature}”中说明")
def permission_not_in_feature(subject: Subject) -> Iterator[Finding]:
    """Every permission in a row is declared by the feature the row belongs to, so the
    description of the feature says what the permission is used for."""
    for row in subject.rows:
        feature = subject.feature_of(row)
        if feature is None:
            continue
        declared = {str(p) for p in feature.permissions}
        extra = [p for p in row.permissions if str(p) not in declared]
        if extra:
            yield Finding.at(extra[0].loc, row=row.feature, feature=feature.name,
                             permissions=extra)


@rule("CONS-SDK-DATA", WARNING, ALWAYS, "PIPL Art. 23; GB/T 35273-2020 9.2",
      en="SDK '{sdk}' processes '{item}', which no feature declares",
      zh="第三方SDK“{sdk}”处理的个人信息“{item}”未在任何业务功能中说明")
def sdk_data_undeclared(subject: Subject) -> Iterator[Finding]:
    """Personal information an SDK processes is information the policy says it collects:
    the data of every SDK is a data item of some feature."""
    declared = {str(item.name) for f in subject.features for item in f.data}
    for sdk in subject.sdks:
        for item in m.data_names(sdk.data):
            if str(item) not in declared:
                yield Finding.at(item.loc, sdk=sdk.name, item=item)

# ---------------------------------------------------------------------------- ids, variables


def _placeholders(text: Text) -> Iterator[tuple[bool, list[str]]]:
    """(is a reference, names) of every {name} and {ref:a,b} in a text, escapes skipped."""
    for match in PLACEHOLDER.finditer(text):
        if match.start() and text[match.start() - 1] == "\\":
            continue
        yield bool(match.group(1)), [n.strip() for n in match.group(2).split(",")]


def _referenced(subject: Subject) -> set[str]:
    used = {str(row.feature_id) for row in subject.rows if row.feature_id}
    used.update(str(category.ref) for category in subject.policy.material_changes)
    for text in all_texts(subject):
        for is_ref, names in _placeholders(text):
            if is_ref:
                used.update(names)
    return used


def _item_ids(obj) -> Iterator[Text]:
    """Ids that exist only to be referenced: features, SDKs, list items and clauses."""
    if isinstance(obj, list):
        for child in obj:
            yield from _item_ids(child)
        return
    if isinstance(obj, (m.Feature, m.Sdk, m.ListItem)) and obj.id:
        yield obj.id
    for name in ("sections", "features", "sdks", "rights", "blocks", "numbered", "bullets",
                 "clauses", "after"):
        children = getattr(obj, name, None)
        if isinstance(children, list):
            yield from _item_ids(children)


@rule("CONS-UNUSED-ID", WARNING, ALWAYS, "policyc source format",
      en="id '{id}' is declared but nothing refers to it",
      zh="id “{id}” 已声明，但没有任何引用")
def unused_id(subject: Subject) -> Iterator[Finding]:
    """An id on a feature, SDK, list item or clause is there for references
    ({ref:id} or a permission row's feature_id); one that nothing uses is likely a typo
    in the reference. Section and right ids are not reported: they are the stable
    anchors of the published page (privacy-policy.html#contact)."""
    used = _referenced(subject)
    for section_file in subject.project.sections:
        for ident in _item_ids(section_file.section):
            if str(ident) not in used:
                yield Finding.at(ident.loc, id=ident)


@rule("CONS-UNUSED-VARIABLE", WARNING, ALWAYS, "policyc source format",
      en="variable '{name}' is declared but no text uses it",
      zh="变量 “{name}” 已声明，但没有任何文字使用")
def unused_variable(subject: Subject) -> Iterator[Finding]:
    """A variable declared under `variables:` in policy.yaml is used by some text as
    {name}; an unused one is usually a misspelt or forgotten fact."""
    used = {name for text in all_texts(subject)
            for is_ref, names in _placeholders(text) if not is_ref for name in names}
    for name in subject.policy.variables:
        if str(name) not in used:
            yield Finding.at(name.loc, name=name)

# ---------------------------------------------------------------------------------- dates


@rule("CONS-DATE-ORDER", ERROR, ALWAYS, "PIPL Art. 17(2)-(3); GB/T 35273-2020 Appendix D",
      en="the effective date {effective} is before the last update {last_updated}",
      zh="生效日期 {effective} 早于更新日期 {last_updated}")
def date_order(subject: Subject) -> Iterator[Finding]:
    """The effective date is on or after the last-updated date: a version cannot take
    effect before its wording was final (it may take effect later, after a notice
    period). The version itself is a required key of policy.yaml."""
    policy = subject.policy
    if policy.effective and policy.effective.date < policy.last_updated.date:
        yield Finding.at(policy.effective.loc, effective=policy.effective,
                         last_updated=policy.last_updated)

# ------------------------------------------------------------------------ response times

CN_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}
WORKING_DAYS = re.compile(r"([0-9]+|[零一二三四五六七八九十百]+)\s*个?\s*工作日"
                          r"|([0-9]+)\s+(?:working|business)\s+days?", re.IGNORECASE)


def chinese_numeral(text: str) -> int:
    """七 → 7, 十五 → 15, 二十 → 20, 一百零五 → 105."""
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS[char]
    return total + current


def working_days(subject: Subject) -> Iterator[tuple[Text, int, int]]:
    """(text, offset, days) of every "N 个工作日" / "N working days" the policy states."""
    for text in all_texts(subject):
        for match in WORKING_DAYS.finditer(text):
            number = match.group(1) or match.group(2)
            days = _Days.of(number) if number.isdigit() else chinese_numeral(number)
            yield text, match.start(), days


class _Days(int):
    """A stated number of days; one too long to be a number shows its first digits."""

    shown: str

    @classmethod
    def of(cls, digits: str) -> int:
        if len(digits) <= 9:
            return int(digits)
        days = cls(10 ** 9)   # longer than any deadline: compares as "too long"
        days.shown = f"{digits[:12]}… ({len(digits):,} digits)"
        return days

    def __str__(self) -> str:
        return self.shown

    def __format__(self, spec: str) -> str:
        return format(self.shown, spec)


@rule("CONS-RESPONSE-TIME", WARNING, ALWAYS, "PIPL Art. 50; App 认定方法 4",
      en="this text promises an answer within {days} working days, but contact.response_days "
         "is {declared}",
      zh="此处承诺 {days} 个工作日内答复，但 contact.response_days 为 {declared}")
def response_time_mismatch(subject: Subject) -> Iterator[Finding]:
    """Every response time the text states ("在7个工作日内", "within 15 working days")
    equals `contact.response_days` in policy.yaml: a user told two different deadlines
    cannot rely on either. Without `response_days`, the first stated time counts."""
    declared = subject.policy.contact.response_days
    for text, offset, days in working_days(subject):
        if declared is None:
            declared = days
        if days != declared:
            yield Finding.at(text.loc_at(offset), days=days, declared=declared)

# --------------------------------------------------------------------------- open wording

OPEN_ENDED = re.compile(r"包括但不限于|包括不限于|例如|比如|诸如|之类|(?<![平相同对均])等(?![待级同于])"
                        r"|\bsuch as\b|\betc\b\.?|\be\.g\.|\bfor example\b|\bincluding but not "
                        r"limited to\b", re.IGNORECASE)


def _data_texts(subject: Subject) -> Iterator[Text]:
    """The texts that must be complete lists: what features, rows and SDKs collect."""
    for feature in subject.features:
        yield from texts(feature.blocks)
        for item in feature.data:
            yield item.name
            if item.category:
                yield item.category
        yield from feature.permissions
    for row in subject.rows:
        yield from row.permissions
    for sdk in subject.sdks:
        yield from m.data_names(sdk.data)
        yield from sdk.permissions


@rule("CONS-OPEN-ENDED", WARNING, ALWAYS, "GB/T 35273-2020 5.5, Appendix D; App 认定方法 2",
      en="open-ended wording '{word}' where the policy must list the personal information "
         "completely",
      zh="个人信息应逐项列全，此处使用了不确定的表述“{word}”")
def open_ended(subject: Subject) -> Iterator[Finding]:
    """The personal information a feature collects, its permissions and an SDK's data are
    complete lists: words such as 等, 例如, 包括但不限于, "such as" or "etc." leave the
    user unable to know what is collected (GB/T 35273 asks for explicit types)."""
    for text in _data_texts(subject):
        match = OPEN_ENDED.search(text)
        if match:
            yield Finding.at(text.loc_at(match.start()), word=match.group(0))
