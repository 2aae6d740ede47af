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
from functools import lru_cache

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
        r"\bsell\w*", r"\bsale\b", r"\bshar(?:e|es|ed|ing)\b",
        r"\bdisclos(?:e|es|ed|ing)\b", r"\bdisclosures? (?:of|to)\b",   # not "Regional disclosures"
        r"third[- ]part(?:y|ies)(?! (?:web)?sites?\b| links?\b)", r"partners?\b",
        r"affiliates?\b", r"subsidiar\w+",
        r"service providers?", r"vendors?", r"advertisers?", r"data brokers?",
        r"transfer\w*", r"cross-border",
        "共享", "提供给", "转让", "公开披露", "披露", "第三方", "合作伙伴", "合作方",
        "关联公司", "关联方", "委托处理", "受托", "境外", "跨境", "出境", "接收方", "SDK")),
    ("type of personal information", "data_types", (
        r"locations?\b", r"\bGPS\b", r"geolocation", r"contact (?:list|book)s?",
        r"address book", r"(?-i:\bcontacts\b)",
        r"photos?\b", r"photograph\w*", r"\bvoice\b(?! ?print)", r"signatures?\b",
        r"likeness", r"camera", r"microphone", r"audio", r"recordings?", r"device "
        r"(?:identifiers?|IDs?)\b", r"(?-i:\bIMEI\b)", r"(?-i:\bMAC\b)",
        r"advertising (?:IDs?|identifiers?)\b",
        r"\bIDFA\b", r"IP address\w*", r"cookies?\b", r"browsing", r"search history",
        r"purchase history", r"date of birth", r"\bage\b", r"gender", r"phone numbers?",
        r"e-?mail address\w*", r"payment (?:information|data|details)", r"usage data",
        r"in the background", r"sensor", r"wi-?fi", r"bluetooth", r"clipboard",
        "位置", "定位", "地理", "运动", "步数", "通讯录", "联系人", "短信", "通话记录",
        "相册", "照片", "摄像头", "相机", "麦克风", "录音", "语音", "设备标识", "IMEI",
        "Android ?ID", "IDFA", "OAID", "IMSI", "应用列表", "软件列表", "已安装",
        "浏览记录", "搜索记录", "手机号", "电话号码", "性别", "生日", "出生", "年龄",
        "后台", "传感器", "剪切板", "剪贴板", "WLAN", "Wi-?Fi", "蓝牙", "直播", "人像")),
    ("purpose", "purpose", (
        r"advertis\w*", r"marketing", r"personali[sz]\w*", r"analytics?", r"research",
        r"recommend\w*", r"targeted",
        r"(?:train|improve) (?:our )?(?:models?|products?|services?)",
        "目的", "用于", "用途", "广告", "营销", "推送", "推荐", "个性化", "分析", "研究",
        "改进", "训练")),
    ("retention period", "retention", (
        r"(?<!\d)\d+\s*(?:days?|weeks?|months?|years?)\b", r"retain\w*", r"retention",
        r"(?:as long as|for the (?:period|duration))", r"indefinitely",
        r"(?<![\d一二三四五六七八九十百两])[\d一二三四五六七八九十百两]+\s*(?:天|日|周|个月|月|年)", "保存期限", "保留期限", "存储期限", "保存", "保留",
        "存储", "储存", "永久")),
    ("controller or contact", "contact", (
        r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", r"\+?\d[\d ()-]{6,}\d",
        r"(?-i:(?<![\w&.-])(?:[A-Z][\w&.-]* ){0,3}[A-Z][\w&.-]*,? (?:Inc|LLC|Ltd|GmbH|S\.A|B\.V|Corp|"
        r"Limited|AG|SE)\b)",
        r"[\u4e00-\u9fff]{2,20}有限(?:责任)?公司")),
]
# The controller and its contact: a change is material when the new wording names one the
# old edition nowhere names, or drops one the new edition nowhere names.
CONTACT = "contact"
# Terms of rights: dropping one, or adding a restriction, narrows a right.
RIGHT_TERMS = (
    r"right (?:to|of) \w+", r"(?:request|ask us) (?:to|that we) \w+",
    r"(?:you|users?) (?:may|can|could) "
    r"(?:also )?(?:request |ask (?:us )?to )?(?:access|delete|erase|correct|rectify|update|"
    r"object|restrict|port|download|export|withdraw|opt[- ]out|unsubscribe|complain|lodge)",
    r"opt[- ]out", r"unsubscrib\w*", r"withdraw (?:your |their )?consent",
    r"lodge a complaint", r"data portability", r"\bappeal\b",
    "有权", "查阅", "复制您的", "更正", "撤回", "注销账号", "注销账户", "投诉", "举报", "可携",
    "申诉", "要求删除", "请求删除")
RESTRICTIONS = (
    r"may (?:refuse|decline|deny|charge)", r"not (?:be )?able to", r"\bcannot\b",
    r"no longer", r"\bonly (?:if|when|where)\b", r"\bfees?\b", r"\bexcept\b",
    "无法", "不能", "不予", "不再", "收取", "费用", "仅限", "有权拒绝", "除外")
RIGHTS_LABEL = "right or way to exercise it"
NEGATION = re.compile(r"(?:\b(?:not|never|no|nor|neither|without)\b|n't|不|未|无|非|禁止|"
                      r"绝不|并不)[^.;。；!?！？]{0,40}$", re.I)
# One way of writing a word against another: the same word to a reader.
VARIANTS = str.maketrans({"帐": "账", "綫": "线", "裏": "里"})
NUMERALS = set("零一二三四五六七八九十百千万两")
# Words of one kind, as _letters writes them: one term for what they say.
SYNONYMS = {name: re.compile(pattern) for name, pattern in {
    "share": r"shar(?:e|es|ed|ing)|disclos\w*|共享|披露|公开披露|提供给|对外提供",
    "sell": r"sell\w*|sale|sold",
    "transfer": r"transfer\w*|转让|转移",
    "thirdparty": r"thirdpart(?:y|ie)|第三方",
    "partner": r"partner|合作伙伴|合作方",
    "affiliate": r"affiliate|关联公司|关联方",
}.items()}
DURATION = re.compile(r"(?<![\d一二三四五六七八九十百两])([\d一二三四五六七八九十百两]+)\s*(days?|weeks?|months?|years?|天|日|周|个月|月|年)")
UNITS = {"day": 1, "week": 7, "month": 30, "year": 365, "天": 1, "日": 1, "周": 7, "个月": 30,
         "月": 30, "年": 365}


def _compile(terms) -> re.Pattern:
    """One pattern of ``terms``; a word boundary is one of Latin letters, so MAC stands
    out in MAC地址 as in MAC address."""
    return re.compile("|".join(f"(?:{t})" for t in terms), re.I | re.ASCII)


_ADDED = [(label, kind, _compile(terms)) for label, kind, terms in ADDED_CLASSES]
_RIGHTS, _RESTRICTIONS = _compile(RIGHT_TERMS), _compile(RESTRICTIONS)
WORD = re.compile(r"\w+")
SENTENCE = re.compile(r"(?:[^.;!?。；！？\n]|\.(?=\S))+")   # a.b.com stays in its sentence


def normalise(text: str | None) -> str:
    """Text as compared for materiality: one form per character, variants unified."""
    return " ".join(unicodedata.normalize("NFKC", text or "").translate(VARIANTS).split())


def _found(pattern: re.Pattern, text: str, affirmed: bool = True,
           processing: bool = True) -> Counter:
    """The terms of ``pattern`` in ``text``, each as often as it occurs (Wi-Fi and wifi
    as one); with ``affirmed``, only those the text asserts: not in a negated clause;
    with ``processing`` too, only what it says of the processing, not in a sentence about
    the user's rights (you may opt out of targeted advertising)."""
    out: Counter = Counter()
    for sentence in SENTENCE.finditer(text) if affirmed else [None]:
        part = sentence.group(0) if sentence else text
        if processing and _RIGHTS.search(part):
            continue
        for hit in pattern.finditer(part):
            if affirmed and NEGATION.search(part[max(0, hit.start() - 60):hit.start()]):
                continue
            out[_term(hit.group(0))] += 1
    return _merged(out)


def _term(text: str) -> str:
    """A found term as named: a Chinese company without the words before its name
    (提供给北京某某有限公司 → 北京某某有限公司)."""
    text = text.strip()
    if text.endswith("公司"):
        text = re.split(r"[给与向由和及被将把]", text)[-1]
    return text


def _merged(found: Counter) -> Counter:
    """Counts of terms written differently (Wi-Fi, WiFi, wifi) under one spelling."""
    spelled: dict[str, str] = {}
    out: Counter = Counter()
    for term, count in found.items():
        out[spelled.setdefault(_stem(term), term)] += count
    return out


def _stem(term: str) -> str:
    """A term's letters, without a plural s, under the name of its kind of words:
    cookie and Cookies are one term, and so are share and disclose."""
    letters = _letters(term)
    letters = letters[:-1] if letters.isascii() and letters.endswith("s") else letters
    return next((name for name, pattern in SYNONYMS.items() if pattern.fullmatch(letters)),
                letters)


def _days(term: str) -> float | None:
    """A duration in days (30 days, 6 months, 三年), None for other terms."""
    hit = DURATION.fullmatch(term.strip().lower())
    if hit is None:
        return None
    number, unit = hit.groups()
    value = float(number) if number.isdigit() else _chinese_number(number)
    return value * next(days for key, days in UNITS.items() if unit.startswith(key))


def _chinese_number(text: str) -> float:
    """一 to 九百九十九 written in Chinese numerals (两 for 二)."""
    digits = {c: k for k, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    total, current = 0, 0
    for char in text:
        if char in digits:
            current = digits[char]
        else:
            total += (current or 1) * {"十": 10, "百": 100}[char]
            current = 0
    return float(total + current)


def _longer(before: Counter, after: Counter) -> bool:
    """Whether the new wording keeps information longer: a duration longer than any the
    old one names, or other retention terms it did not use."""
    old_days = [d for d in map(_days, before) if d is not None]
    new_days = [d for d in map(_days, after) if d is not None]
    if new_days and old_days:
        return max(new_days) > max(old_days)
    return bool(new_days)


def _rights(text: str) -> dict[str, str]:
    """The rights a text gives, by their verb (you may also opt out: out), each with the
    words that give it."""
    return {WORD.findall(term.lower())[-1]: term for term in _found(_RIGHTS, text,
                                                                     processing=False)}


def _restrictions(text: str) -> Counter:
    """Restrictions stated in a sentence about a right (you can object, except …)."""
    out: Counter = Counter()
    for sentence in SENTENCE.findall(text):
        if _RIGHTS.search(sentence):
            out += _found(_RESTRICTIONS, sentence, affirmed=False, processing=False)
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


@lru_cache(maxsize=8)
def _known(edition: str) -> str:
    """The letters of a whole edition, looked up for every change: made once."""
    return _letters(normalise(edition))


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


def reason_of(old: str | None, new: str | None, old_edition: str = "",
              new_edition: str = "") -> Reason | None:
    """Why rewording ``old`` (None: added) as ``new`` (None: removed) is material, or
    None when it is not. ``old_edition`` and ``new_edition``, the whole text of each
    edition, tell a controller or contact new to the policy from one named elsewhere."""
    if is_trivial(old, new):
        return None
    a, b = normalise(old), normalise(new)
    known_before, known_after = _known(old_edition) or _letters(a), \
        _known(new_edition) or _letters(b)
    found: list[tuple[str, str, Counter]] = []
    for label, kind, pattern in _ADDED:
        before, after = _found(pattern, a), _found(pattern, b)
        if kind == CONTACT:     # one named now that was named nowhere, or the other way
            words = Counter({w: 1 for w in after if _letters(w) not in known_before}) \
                + Counter({w: 1 for w in before if _letters(w) not in known_after})
        else:                   # a term (or kind of term) the old wording did not use
            used = {_stem(w) for w in before}
            words = Counter({w: 1 for w in after if _stem(w) not in used})
            if kind == "retention" and any(_days(w) is not None for w in words | before):
                words = words if _longer(before, after) else Counter()
        if words:
            found.append((label, kind, words))
    if found:     # the weightiest class names the change; every class's words show
        label, kind, _ = found[0]
        words = [w for _, _, counted in found for w in sorted(counted)]
        return Reason(kind, label, tuple(dict.fromkeys(words)))
    # a right dropped: its verb is gone from the new wording, and its words from the
    # new edition (a paragraph on a right moved elsewhere drops nothing)
    dropped = Counter({verb: 1 for verb, term in _rights(a).items()
                       if verb not in b.lower() and _letters(term) not in known_after})
    restricted = _restrictions(b) - _restrictions(a)
    if dropped or restricted:
        return Reason("rights", RIGHTS_LABEL, tuple(sorted(dropped + restricted)))
    return None
