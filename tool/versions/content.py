"""Whether reworded text is a material change, judged by what the new wording says.

A change of wording is material when the new text adds or widens a purpose, a type of
personal information (sensitive categories above all), a recipient or a transfer, a
retention period or an automated decision; when it narrows a right or a way to exercise
it; or when it changes who is responsible for the information or how to reach them.
The test is the words themselves: a term of one of these classes that the new wording
uses more often than the old one (outside a negation: "we do not sell"), or, for
rights, a term it drops or a restriction it adds. Spelling fixes (帐→账, recieve →
receive), punctuation, white space and link targets are never material.

The terms are general words of privacy policies in English and Chinese, not any one
policy's wording.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .changes import Reason
from .redline import redline

# (class label, kind of change, terms); a term is a regular expression, matched without
# regard to case. Earlier classes win when a change has words of several.
ADDED_CLASSES: list[tuple[str, str, tuple[str, ...]]] = [
    ("sensitive personal information", "data_types", (
        r"biometric", r"fingerprint", r"facial", r"face (?:recognition|scan|data|id)",
        r"voice ?print", r"iris", r"health", r"medical", r"genetic", r"racial", r"ethnic",
        r"religio\w*", r"sexual", r"sex life", r"political", r"trade union", r"criminal",
        r"precise (?:geo)?location", r"government[- ]issued", r"passport",
        r"social security", r"national id\w*", r"driver'?s licen[cs]e", r"sensitive",
        r"children'?s (?:personal )?(?:data|information)", r"financial account",
        r"bank account", r"credit card",
        "生物识别", "指纹", "面部", "人脸", "声纹", "虹膜", "基因", "健康", "生理", "医疗",
        "病历", "宗教", "特定身份", "行踪", "轨迹", "身份证", "证件", "护照", "银行",
        "金融账户", "征信", "财产", "敏感", "不满十四周岁", "未成年", "儿童", "精确位置")),
    ("automated decision", "purpose", (
        r"automated(?: individual)? decision", r"automated processing", r"profiling",
        r"algorithm\w*", r"machine learning", r"artificial intelligence", r"\bAI\b",
        r"(?:train|training) (?:our |of )?(?:models?|AI)",
        "自动化决策", "算法", "用户画像", "画像", "个性化推荐", "程序化")),
    ("recipient or transfer", "recipients", (
        r"\bsell\w*", r"\bsale\b", r"\bshar(?:e|es|ed|ing)\b", r"disclos\w*",
        r"third[- ]part(?:y|ies)", r"partners?\b", r"affiliates?\b", r"subsidiar\w+",
        r"service providers?", r"vendors?", r"advertisers?", r"data brokers?",
        r"transfer\w*", r"cross-border", r"outside (?:of )?(?:the|your) (?:EEA|country|"
        r"European|United)", r"(?:Inc|LLC|Ltd|GmbH|S\.A|B\.V|Corp|Limited)\b\.?",
        "共享", "提供给", "转让", "公开披露", "披露", "第三方", "合作伙伴", "合作方",
        "关联公司", "关联方", "委托处理", "受托", "境外", "跨境", "出境", "接收方",
        "有限公司", "SDK")),
    ("type of personal information", "data_types", (
        r"locations?\b", r"\bGPS\b", r"geolocation", r"contacts?\b", r"address book",
        r"photos?\b", r"camera", r"microphone", r"audio", r"recordings?", r"device "
        r"(?:identifiers?|IDs?)", r"\bIMEI\b", r"\bMAC\b", r"advertising (?:ID|identifier)",
        r"\bIDFA\b", r"IP address\w*", r"cookies?\b", r"browsing", r"search history",
        r"purchase history", r"date of birth", r"\bage\b", r"gender", r"phone numbers?",
        r"e-?mail address\w*", r"payment (?:information|data|details)", r"usage data",
        r"in the background", r"sensor", r"wi-?fi", r"bluetooth", r"clipboard",
        "位置", "定位", "地理", "运动", "步数", "通讯录", "联系人", "短信", "通话记录",
        "相册", "照片", "摄像头", "相机", "麦克风", "录音", "语音", "设备标识", "IMEI",
        "MAC", "Android ?ID", "IDFA", "OAID", "IMSI", "应用列表", "软件列表", "已安装",
        "浏览记录", "搜索记录", "手机号", "电话号码", "性别", "生日", "出生", "年龄",
        "后台", "传感器", "剪切板", "剪贴板", "WLAN", "Wi-?Fi", "蓝牙", "直播", "人像")),
    ("purpose", "purpose", (
        r"advertis\w*", r"marketing", r"personali[sz]\w*", r"analytics?", r"research",
        r"recommend\w*", r"targeted", r"for (?:the )?purposes? of", r"in order to",
        r"(?:train|improve) (?:our )?(?:models?|products?|services?)",
        "目的", "用于", "用途", "广告", "营销", "推送", "推荐", "个性化", "分析", "研究",
        "改进", "训练")),
    ("retention period", "retention", (
        r"\d+\s*(?:days?|weeks?|months?|years?)\b", r"retain\w*", r"retention",
        r"(?:as long as|for the (?:period|duration))", r"indefinitely",
        r"\d+\s*(?:天|日|周|个月|月|年)", "保存期限", "保留期限", "存储期限", "保存", "保留",
        "存储", "储存", "永久")),
    ("controller or contact", "contact", (
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", r"\+?\d[\d ()-]{6,}\d", r"controller",
        r"data protection officer", r"\bDPO\b", r"representative",
        "个人信息处理者", "运营者", "负责人", "联系方式", "邮箱", "电话", "地址")),
]
# Terms of rights: dropping one, or adding a restriction, narrows a right.
RIGHT_TERMS = (
    r"right to", r"\baccess\b", r"\bdelet\w+", r"\berase\w*", r"correct\w*", r"rectif\w*",
    r"portab\w*", r"\bobject\b", r"opt[- ]out", r"withdraw\w*", r"unsubscrib\w*",
    r"complain\w*", r"restrict\w*", r"appeal",
    "查阅", "复制", "更正", "补充", "删除", "撤回", "注销", "投诉", "举报", "拒绝", "可携",
    "转移", "解释说明", "申诉")
RESTRICTIONS = (
    r"may (?:refuse|decline|deny|charge)", r"not (?:be )?able to", r"\bcannot\b",
    r"no longer", r"\bonly (?:if|when|where)\b", r"\bfees?\b",
    "无法", "不能", "不予", "不再", "收取", "费用", "仅限", "有权拒绝")
RIGHTS_LABEL = "right or way to exercise it"
NEGATION = re.compile(r"(?:\b(?:not|never|no|nor|neither|without)\b|n't|不|未|无|非|禁止|"
                      r"绝不|并不)[^.;。；!?！？]{0,40}$", re.I)
# One way of writing a word against another: the same word to a reader.
VARIANTS = str.maketrans({"帐": "账", "綫": "线", "裏": "里"})
NUMERALS = set("零一二三四五六七八九十百千万两")


def _compile(terms) -> re.Pattern:
    return re.compile("|".join(f"(?:{t})" for t in terms), re.I)


_ADDED = [(label, kind, _compile(terms)) for label, kind, terms in ADDED_CLASSES]
_RIGHTS, _RESTRICTIONS = _compile(RIGHT_TERMS), _compile(RESTRICTIONS)


def normalise(text: str | None) -> str:
    """Text as compared for materiality: one form per character, variants unified."""
    return " ".join(unicodedata.normalize("NFKC", text or "").translate(VARIANTS).split())


def _found(pattern: re.Pattern, text: str, affirmed: bool = True) -> Counter:
    """The terms of ``pattern`` in ``text`` (lower case), each as often as it occurs;
    with ``affirmed``, not those in a negated clause."""
    out: Counter = Counter()
    for hit in pattern.finditer(text):
        if affirmed and NEGATION.search(text[max(0, hit.start() - 60):hit.start()]):
            continue
        out[hit.group(0).lower()] += 1
    return out


def is_trivial(old: str | None, new: str | None) -> bool:
    """Whether ``new`` only fixes spelling, punctuation or spacing of ``old``."""
    a, b = normalise(old), normalise(new)
    if _letters(a) == _letters(b):
        return True
    for kind, before, after in redline(a, b):
        if kind == "=" or _letters(before) == _letters(after):
            continue
        if not _spelling(before.strip(), after.strip()):
            return False
    return True


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _spelling(before: str, after: str) -> bool:
    """One word for another that differ by a letter or two (recieve → receive), or a
    character for another (帐 → 账): never a word added, dropped or negated."""
    if not before or not after or NEGATION.search(before + " ") or NEGATION.search(after + " "):
        return False
    if " " in before or " " in after:
        return False
    if len(before) == len(after) == 1:      # one character for another: 帐 → 账, not 三 → 六
        return not (set(before + after) & NUMERALS) and before.isalpha() and after.isalpha()
    if min(len(before), len(after)) >= 5 and before.isascii() and after.isascii() \
            and before.isalpha() and after.isalpha():
        x, y = before.lower(), after.lower()
        return sorted(x) == sorted(y) or _distance(x, y) <= 1
    return False


def _distance(a: str, b: str) -> int:
    """The edit distance of two words (insertions, deletions, substitutions)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def reason_of(old: str | None, new: str | None) -> Reason | None:
    """Why rewording ``old`` (None: added) as ``new`` (None: removed) is material, or
    None when it is not."""
    if is_trivial(old, new):
        return None
    a, b = normalise(old), normalise(new)
    for label, kind, pattern in _ADDED:
        before, after = _found(pattern, a), _found(pattern, b)
        if kind == "contact":   # an address replaced or removed counts as much as one added
            words = (after - before) + (before - _found(pattern, b, affirmed=False))
        else:
            words = after - before
        if words:
            return Reason(kind, label, tuple(sorted(words)))
    dropped = _found(_RIGHTS, a) - _found(_RIGHTS, b)
    restricted = _found(_RESTRICTIONS, b, affirmed=False) - _found(_RESTRICTIONS, a,
                                                                    affirmed=False)
    if dropped or restricted:
        return Reason("rights", RIGHTS_LABEL, tuple(sorted(dropped + restricted)))
    return None
