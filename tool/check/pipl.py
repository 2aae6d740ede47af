"""PIPL rules (Personal Information Protection Law of the PRC): profile ``pipl``."""
from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Severity
from .consistency import chinese_numeral
from .registry import (Finding, Subject, all_texts, at_sentences, clauses, features_lacking,
                       mentions, missing_right, retention_lacking, organisation_address, right_text, rule, says,
                       situated,
                       texts)
from .vocabulary import (APPENDIX_B_ITEMS, COLLECT, NEGATION, SENSITIVE_CATEGORIES,
                         SEPARATE_CONSENT, sensitive_categories, sensitive_item, states_practice)

ERROR, WARNING = Severity.ERROR, Severity.WARNING
PROFILE = "pipl"
MINIMUM_CHILD_AGE = 14

# --------------------------------------------------------------- Art. 17: each activity

METHOD_WORDS = re.compile(r"本地|上传|服务器|存储|储存|传输|发送至|加密|云端|local|upload|server|"
                          r"stor(e|ed|age)|transmit|on your device|encrypt", re.IGNORECASE)


@rule("PIPL-17-PURPOSE", WARNING, PROFILE, "PIPL Art. 17(1)(2)",
      en="feature '{feature}' does not state the purpose of processing (`purpose`)",
      zh="业务功能“{feature}”未说明处理目的（`purpose`）")
def purpose(subject: Subject) -> Iterator[Finding]:
    """Each processing activity (a feature) states its purpose, printed where the reader
    sees it: the user consents to a purpose, not to a feature name."""
    yield from features_lacking(subject, lambda f: subject.feature_fact(f, "purpose"))


def _method_of(subject: Subject, feature) -> object:
    """The published method: `method`, else a description saying where data goes."""
    return subject.feature_fact(feature, "method") or any(
        METHOD_WORDS.search(text) for text in texts(feature.blocks))


@rule("PIPL-17-METHOD", WARNING, PROFILE, "PIPL Art. 17(1)(2)",
      en="feature '{feature}' does not state how the data is processed (`method`, or in its "
         "description: stored locally, uploaded to a server …)",
      zh="业务功能“{feature}”未说明处理方式（`method`，或在功能说明中写明本地存储、上传至服务器等）")
def method(subject: Subject) -> Iterator[Finding]:
    """Each feature states its processing method, e.g. 收集、本地存储、上传至服务器, as
    `method` or in its published description: the user must know whether data stays on
    the device or reaches the handler."""
    yield from features_lacking(subject, lambda f: _method_of(subject, f))


@rule("PIPL-17-DATA", WARNING, PROFILE, "PIPL Art. 17(1)(2); GB/T 35273-2020 5.5",
      en="feature '{feature}' does not list the personal information it processes (`data`)",
      zh="业务功能“{feature}”未列出处理的个人信息种类（`data`）")
def data_types(subject: Subject) -> Iterator[Finding]:
    """Each feature lists the kinds of personal information it processes; they also
    make up the collected-data list (已收集个人信息清单)."""
    yield from features_lacking(subject, lambda f: subject.feature_fact(f, "data"))


@rule("PIPL-17-RETENTION", WARNING, PROFILE, "PIPL Art. 17(1)(2), Art. 19",
      en="{what} does not state how long its data is kept (`retention`, "
         "`storage.retention` in policy.yaml, or a period in the storage section)",
      zh="{what_zh}未说明个人信息的保存期限（`retention`、policy.yaml 中的 "
         "`storage.retention`，或存储一节中的期限）")
def retention(subject: Subject) -> Iterator[Finding]:
    """Each feature states its retention period: its own `retention`, the policy-wide
    `storage.retention`, or a period or criterion in the section of role `storage`. Art.
    19 limits retention to the shortest period the purpose needs, which the user can only
    judge when the period is stated."""
    yield from retention_lacking(subject, vague_is_unsure=True)


@rule("PIPL-17-CHANGES", WARNING, PROFILE, "PIPL Art. 17(2); GB/T 35273-2020 Appendix D",
      en="no section of role `updates` says how changes to the policy are announced",
      zh="没有 `role: updates` 的章节说明本政策如何更新及变更通知方式")
def change_notice(subject: Subject) -> Iterator[Finding]:
    """The policy says how users learn of changes, in a section of role `updates` or in
    a sentence anywhere on updating the policy."""
    if not says(subject, "updates"):
        yield Finding.at(subject.sections_loc).searching(subject.searched())

# --------------------------------------------------------------------- Art. 23: recipients


# A third party's own text that lists its data: "收集的个人信息类型：…", "Data: …".
DATA_LINE = re.compile(r"(个人信息|信息类型|信息种类|personal (data|information)|data)[^：:。]{0,8}[：:]\s*\S",
                       re.IGNORECASE)


@rule("PIPL-23-RECIPIENT", WARNING, PROFILE, "PIPL Art. 23; App 认定方法 3(1)",
      en="third party '{sdk}' lacks {missing}",
      zh="第三方“{sdk}”缺少{missing}")
def recipient(subject: Subject) -> Iterator[Finding]:
    """Every third party or SDK that receives personal information is named with its
    provider, the provider's contact, the purpose, the method and the kinds of personal
    information, printed where the reader sees them (the data may also be a line of the
    third party's own text, "收集的个人信息类型：…"), so the user can give an informed,
    separate consent."""
    for sdk in subject.sdks:
        missing = [name for name in ("provider", "contact", "method", "data")
                   if not subject.sdk_fact(sdk, name)
                   and not (name == "data" and any(DATA_LINE.search(t)
                                                   for t in texts(sdk.blocks)))]
        if missing:
            yield Finding.at(sdk.loc, sdk=sdk.name, missing=[f"`{n}`" for n in missing])


@rule("PIPL-23-SEPARATE-CONSENT", WARNING, PROFILE, "PIPL Art. 23",
      en="personal information is provided to other handlers, but the sharing section does "
         "not say that the user's separate consent (单独同意) is asked first",
      zh="向其他个人信息处理者提供个人信息，但共享一节未说明事先取得您的单独同意")
def sharing_consent(subject: Subject) -> Iterator[Finding]:
    """A handler that provides personal information to another handler tells the user
    the recipient and obtains the user's separate consent (单独同意). A policy with SDKs
    or a sharing section says so in the section of role `sharing`, `third_parties` or
    `sdks`; "明确同意" or "授权" alone is not a separate consent."""
    roles = ("sharing", "third_parties", "sdks")
    if (subject.sdks or subject.with_role("sharing", "third_parties")) and not mentions(
            subject, SEPARATE_CONSENT, *roles):
        yield Finding.at(subject.role_loc(*roles)).searching(subject.searched(*roles))


PUBLIC_DISCLOSURE = re.compile(r"公开披露|公开您的个人信息|publicly disclos|make (it|your \w+) public",
                               re.IGNORECASE)
BY_LAW = re.compile(r"法律|法规|监管|司法|政府|国家安全|公共安全|犯罪侦查|无需.{0,8}同意|law|legal|court|"
                    r"authorit|without (your )?consent", re.IGNORECASE)


@rule("PIPL-25-PUBLIC", WARNING, PROFILE, "PIPL Art. 25",
      en="the policy may make personal information public without saying that the user's "
         "separate consent is asked first",
      zh="本政策可能公开披露个人信息，但未说明事先取得您的单独同意")
def public_disclosure(subject: Subject) -> Iterator[Finding]:
    """Personal information is made public only with the user's separate consent, unless
    a law requires it. A paragraph of the sharing section about public disclosure that
    names neither a separate consent nor the law that requires it (in it or in the next
    paragraph, which often lists the cases) is reported."""
    paragraphs = subject.role_paragraphs("sharing")
    for number, text in enumerate(paragraphs):
        for match in PUBLIC_DISCLOSURE.finditer(text):
            if text[max(0, match.start() - 2):match.start()] in ("合法", "依法"):
                continue       # "从合法公开披露的信息中收集": a source, not a disclosure
            window = text + "".join(paragraphs[number + 1:number + 2])
            if not (SEPARATE_CONSENT.search(window) or BY_LAW.search(window)):
                yield Finding.at(text.loc_at(match.start()))
                return

CONTINUED_USE = re.compile(r"(继续|开始|一旦|持续)(使用|访问|登录).{0,40}(即|视为|表示|代表|意味着|等同于).{0,10}"
                           r"(同意|接受|授权|认可)|使用.{0,20}即(视为|表示|代表).{0,10}(同意|接受)|"
                           r"(by|through) (continuing to |your continued )?(use|using|access|accessing)"
                           r".{0,80}(you )?(agree|consent|accept)|continued use.{0,80}(constitutes|"
                           r"means|signifies|indicates|deemed).{0,30}(consent|acceptance|agree)",
                           re.IGNORECASE)


@rule("PIPL-14-CONTINUED-USE", WARNING, PROFILE, "PIPL Art. 14; App 认定方法 3",
      en="the policy takes continued use as consent; consent must be given voluntarily and "
         "explicitly (PIPL Art. 14), and a change of purpose needs new consent",
      zh="本政策将继续使用视为同意；同意应当由个人在充分知情的前提下自愿、明确作出（个人信息保护法第十四条），"
         "处理目的变更时应重新取得同意")
def consent_by_use(subject: Subject) -> Iterator[Finding]:
    """Consent is a voluntary, explicit act on full information (Art. 14); "继续使用即视为
    同意本政策" / "by using the service you consent" replaces it with silence, and the
    认定方法 (3) counts it as collecting without consent. Every such sentence is cited."""
    found = [(text, c) for text in all_texts(subject) for c in clauses(text)
             if CONTINUED_USE.search(c) and not NEGATION.search(c)]
    if found:
        yield at_sentences(found)

# -------------------------------------------------------- Art. 24: automated decisions

AUTOMATED = re.compile(r"个性化|精准营销|精准推送|用户画像|画像|自动化决策|定向推送|推荐算法|感兴趣的|"
                       r"personali[sz]ed (ads|advert|recommend|content|marketing)|profiling|"
                       r"automated decision|targeted (ads|advert|marketing)|recommendation engine",
                       re.IGNORECASE)
NEGATED = re.compile(r"不进行|不会|不使用|不做|没有|\bnot\b|\bno\b|\bnever\b|\bdo not\b",
                     re.IGNORECASE)
REFUSAL = re.compile(r"关闭|拒绝|退订|不接收|取消订阅|不针对|opt[- ]?out|unsubscribe|turn off|object|"
                     r"refuse|switch off|disable", re.IGNORECASE)


@rule("PIPL-24-AUTOMATED", WARNING, PROFILE, "PIPL Art. 24",
      en="the policy uses personal information for personalised recommendations or "
         "automated decisions but does not say how to refuse them",
      zh="本政策利用个人信息进行个性化推荐或自动化决策，但未说明拒绝的方式")
def automated_decisions(subject: Subject) -> Iterator[Finding]:
    """Automated decision-making is transparent, and information pushing or marketing
    based on it offers an option not targeted at the user's characteristics or an easy
    way to refuse. A clause that speaks of personalised recommendations, profiling or
    automated decisions (not one that says there are none) needs a way to refuse in the
    same top-level section, in a right of kind
    `automated_decisions` or in the section of role `automated_decisions`."""
    if "automated_decisions" in subject.right_kinds() or mentions(
            subject, REFUSAL, "automated_decisions"):
        return
    for section_file in subject.project.sections:
        wording = list(texts(section_file.section))
        if any(REFUSAL.search(text) for text in wording):
            continue
        for text in wording:
            if any(AUTOMATED.search(c) and not NEGATED.search(c) for c in clauses(text)):
                yield Finding.at(text.loc)
                return

# ------------------------------------------------------------ Art. 28-31: sensitive data

@rule("PIPL-28-SENSITIVE-MARK", WARNING, PROFILE, "PIPL Art. 28; GB/T 35273-2020 Appendix B",
      en="'{item}' looks like sensitive personal information but is not marked `sensitive: yes`",
      zh="“{item}”属于敏感个人信息，但未标注 `sensitive: yes`")
def sensitive_unmarked(subject: Subject) -> Iterator[Finding]:
    """Data items GB/T 35273-2020 Appendix B counts as sensitive personal information
    and GB/T 45574-2025 Annex A no longer does (identity documents, contacts,
    communication records) are marked sensitive, or the editor decides they are not.
    Items of an Annex A category are GBT45574-A-SENSITIVE's (one finding per item)."""
    for feature in subject.features:
        for item in feature.data:
            if not item.sensitive and APPENDIX_B_ITEMS.search(str(item.name)) \
                    and not sensitive_item(str(item.name)):
                yield Finding.at(item.loc, item=item.name)


@rule("PIPL-30-SENSITIVE", WARNING, PROFILE, "PIPL Art. 29-30",
      en="sensitive item '{item}' does not state {missing}",
      zh="敏感个人信息“{item}”未说明{missing}")
def sensitive_disclosure(subject: Subject) -> Iterator[Finding]:
    """For each sensitive item the policy states why it is necessary and how processing
    it affects the user's rights (`necessity`, `impact`)."""
    for feature in subject.features:
        for item in feature.data:
            if item.sensitive:
                missing = [f"`{name}`" for name in ("necessity", "impact")
                           if not getattr(item, name)]
                if missing:
                    yield Finding.at(item.loc, item=item.name, missing=missing)


SENSITIVE_CLAUSE = re.compile(r"敏感|sensitive", re.IGNORECASE)


@rule("PIPL-29-SEPARATE-CONSENT", WARNING, PROFILE, "PIPL Art. 29",
      en="sensitive personal information ('{item}') is processed, but the policy does not "
         "say that the user's separate consent (单独同意) is obtained",
      zh="处理敏感个人信息（“{item}”），但本政策未说明取得您的单独同意")
def sensitive_consent(subject: Subject) -> Iterator[Finding]:
    """Sensitive personal information is processed only with the user's separate consent
    (单独同意), asked apart from the consent to the policy as a whole. Each feature with
    sensitive data items says so in its description, or one sentence of the policy says
    it of sensitive information in general. A policy whose data is prose is held to a
    paragraph of its collection or use sections that speaks of the sensitive personal
    information it collects (a definition of the term does not count)."""
    policy_wide = any(SENSITIVE_CLAUSE.search(c) and SEPARATE_CONSENT.search(c)
                      for text in all_texts(subject) for c in clauses(text))
    if policy_wide:
        return
    structured = False
    for feature in subject.features:
        items = [item for item in feature.data if item.sensitive]
        structured = structured or bool(items)
        if items and not any(SEPARATE_CONSENT.search(text) for text in texts(feature.blocks)):
            yield Finding.at(items[0].loc, item=items[0].name)
    if structured:
        return
    yield from sensitive_in_prose(subject)


def sensitive_in_prose(subject: Subject) -> Iterator[Finding]:
    """One finding for a policy whose prose collects sensitive personal information —
    by meaning, a category of PIPL Art. 28 / GB/T 45574-2025 Annex A named in a sentence
    that collects or uses it (not a negation, not a definition), whether or not the word
    敏感 is there — and nowhere says that separate consent is obtained. The evidence is
    the sentences, one per category. (Extend the categories in
    :data:`.vocabulary.SENSITIVE_CATEGORIES`.)"""
    if any(SEPARATE_CONSENT.search(c) and not WAIVED.search(c)
           and (SENSITIVE_CLAUSE.search(c) or sensitive_categories(c))
           for text in all_texts(subject) for c in clauses(text)):
        return
    seen: dict[str, tuple] = {}
    for text in [*subject.role_paragraphs("collection", "use", "permissions"),
                 *all_texts(subject)]:
        for clause in clauses(text):
            if not (COLLECT.search(clause) and states_practice(clause)):
                continue
            for category in sensitive_categories(clause):
                seen.setdefault(category, (text, clause))
    if not seen:
        return
    yield at_sentences(list(seen.values()), len(seen), item=LIST_SEPARATOR_ZH.join(
        SENSITIVE_NAMES[c] for c in seen))


# "而无需另行获得您的同意": consent waived is not consent asked.
WAIVED = re.compile(r"无需|不需要|不必|without (asking )?(your )?(separate )?consent", re.IGNORECASE)
LIST_SEPARATOR_ZH = "、"
SENSITIVE_NAMES = {**{name: c.zh for name, c in SENSITIVE_CATEGORIES.items()},
                   "declared": "敏感个人信息"}


CHILD = re.compile(r"儿童|未成年|不满\s*(十四|14)|child|minor", re.IGNORECASE)
GUARDIAN = re.compile(r"监护人|父母|家长|parent|guardian", re.IGNORECASE)
STATED_AGE = re.compile(r"(?:不满|未满|低于|小于)\s*([0-9]+|[一二三四五六七八九十]+)\s*(?:周)?岁|"
                        r"((?<![0-9])[0-9]+|(?<![一二三四五六七八九十])[一二三四五六七八九十]+)"
                        r"\s*(?:周)?岁以下|"
                        r"under (?:the age of )?([0-9]+)|younger than ([0-9]+)", re.IGNORECASE)


@rule("PIPL-31-CHILDREN", WARNING, PROFILE, "PIPL Art. 31; GB/T 35273-2020 Appendix D",
      en="no section of role `children` gives the rules for children's personal information",
      zh="没有 `role: children` 的章节说明儿童个人信息的处理规则")
def children(subject: Subject) -> Iterator[Finding]:
    """A handler of personal information of children under 14 sets dedicated processing
    rules, in a section of role `children` (or a published link in `children.rules`), or
    in sentences about children anywhere."""
    if not says(subject, "children") and not subject.policy_fact("children.rules"):
        yield Finding.at(subject.sections_loc).searching(subject.searched())


@rule("PIPL-31-GUARDIAN", WARNING, PROFILE, "PIPL Art. 31",
      en="the children's section does not say that a parent's or guardian's consent is "
         "obtained",
      zh="儿童一节未说明须取得父母或其他监护人的同意")
def guardian(subject: Subject) -> Iterator[Finding]:
    """The personal information of a child under 14 is processed only with the consent
    of a parent or other guardian; the section of role `children` says so."""
    if subject.with_role("children") and not (
            subject.policy_fact("children.guardian_consent")
            or mentions(subject, GUARDIAN, "children")
            or any(GUARDIAN.search(c) and CHILD.search(c)
                   for text in all_texts(subject) for c in clauses(text))):
        yield Finding.at(subject.role_loc("children")).searching(subject.searched("children"))


@rule("PIPL-31-CHILD-AGE", ERROR, PROFILE, "PIPL Art. 28, 31",
      en="children under {minimum} need a guardian's consent; `children` declares age {age} "
         "and guardian consent {consent}",
      zh="不满{minimum}周岁未成年人的个人信息须取得监护人同意；`children` 声明的年龄为 {age}，"
         "监护人同意为 {consent}")
def child_age(subject: Subject) -> Iterator[Finding]:
    """The personal information of a child under 14 is sensitive and needs the consent of
    a parent or guardian: a declared age below 14, or no guardian consent, contradicts
    the law and is an error."""
    rules = subject.policy.children
    if rules and (rules.age < MINIMUM_CHILD_AGE or not rules.guardian_consent):
        yield Finding.at(rules.loc, minimum=MINIMUM_CHILD_AGE, age=rules.age,
                         consent="yes" if rules.guardian_consent else "no")


def _age(text: str) -> int:
    return int(text) if text.isdigit() else chinese_numeral(text)


@rule("PIPL-31-AGE-TEXT", ERROR, PROFILE, "PIPL Art. 31",
      en="the children's section speaks of children under {stated}, but `children.age` is "
         "{age}",
      zh="儿童一节所称儿童为不满{stated}周岁，但 `children.age` 为 {age}")
def age_contradicts_text(subject: Subject) -> Iterator[Finding]:
    """The age below which users count as children is stated once: an age in the section
    of role `children` that differs from `children.age` contradicts it, and is an error."""
    rules = subject.policy.children
    if not rules:
        return
    for section in subject.with_role("children"):
        for text in texts(section):
            for match in STATED_AGE.finditer(text):
                stated = _age(next(g for g in match.groups() if g))
                if stated != rules.age:
                    yield Finding.at(text.loc_at(match.start()), stated=stated, age=rules.age)

# ----------------------------------------------------------- Art. 38-39: cross-border

NO_TRANSFER = re.compile(r"不会|不涉及|不向|不存在|无|未|如需|如果|若|除非|\bnot\b|\bno\b|never|\bif\b",
                         re.IGNORECASE)
ABROAD = re.compile(r"跨境|出境|境外|overseas|outside (of )?(china|the prc|mainland)", re.IGNORECASE)
OVERSEAS_ELEMENTS = (
    ("contact", re.compile(r"@|电话|邮箱|联系方式|contact|phone|e-?mail", re.I)),
    ("purpose", re.compile(r"目的|用于|purpose", re.I)),
    ("method", re.compile(r"方式|method|means", re.I)),
    ("data", re.compile(r"种类|类型|categor|types of", re.I)),
    ("rights", re.compile(r"行使.{0,12}权利|权利.{0,12}行使|exercise", re.I)),
)
OVERSEAS_NAMES = {"contact": "联系方式", "purpose": "处理目的", "method": "处理方式",
                  "data": "个人信息种类", "rights": "行使权利的方式", "consent": "单独同意"}


def transfers_abroad(subject: Subject) -> bool:
    """Whether the published text says personal information leaves China: a clause of a
    section of role `transfers`, of `storage.cross_border` or of any text on
    cross-border transfer that is not denied or conditional ("不会涉及跨境传输", "如需跨境
    传输" are not transfers)."""
    stated = subject.policy_fact("storage.cross_border")
    candidates = clauses(str(stated)) if stated else []
    candidates += [c for text in all_texts(subject) for c in clauses(text)]
    if subject.with_role("transfers"):
        candidates = clauses(subject.role_text("transfers"))
    return any(ABROAD.search(c) and not NO_TRANSFER.search(c) for c in candidates)


@rule("PIPL-39-OVERSEAS-RECIPIENT", WARNING, PROFILE, "PIPL Art. 38-39",
      en="personal information leaves China, but the policy does not give the overseas "
         "recipient's {missing}",
      zh="个人信息向境外提供，但未说明境外接收方的{missing_zh}")
def overseas_recipient(subject: Subject) -> Iterator[Finding]:
    """Before personal information is provided outside China the user is told the
    overseas recipient's name and contact, the purpose, the method, the kinds of
    personal information and how to exercise rights against the recipient, and gives a
    separate consent. The section of role `transfers` (or `storage`) states each."""
    if not transfers_abroad(subject):
        return
    text = subject.role_text("transfers", "storage") + str(
        subject.policy_fact("storage.cross_border") or "")
    missing = [name for name, pattern in OVERSEAS_ELEMENTS if not pattern.search(text)]
    if not SEPARATE_CONSENT.search(text):
        missing.append("consent")
    if missing:
        yield Finding.at(subject.role_loc("transfers", "storage"),
                         missing=[f"`{m}`" for m in missing],
                         missing_zh=[OVERSEAS_NAMES[m] for m in missing]).searching(
            subject.searched("transfers", "storage"))

# ------------------------------------------------------------------ Art. 44-50: rights


def _right_rule(code: str, article: str, kind: str, en: str, zh: str, why: str,
                also: tuple[str, ...] = (), said: str = "") -> None:
    pattern = re.compile(said, re.IGNORECASE) if said else None

    @rule(code, WARNING, PROFILE, article,
          en=f"the rights section does not describe how to {en} (a right of kind `{kind}`)",
          zh=f"“您的权利”中未说明如何{zh}（`kind: {kind}`）", explanation=why)
    def check(subject: Subject) -> Iterator[Finding]:
        return missing_right(subject, kind, en, also, pattern)


_right_rule("PIPL-45-ACCESS", "PIPL Art. 45(1)", "access", "access personal information",
            "查阅个人信息",
            "The rights section describes how the user accesses (查阅) their personal "
            "information: a right of kind `access`.")
_right_rule("PIPL-45-COPY", "PIPL Art. 45(1)-(2)", "copy", "obtain a copy", "复制个人信息",
            "The rights section describes how the user obtains a copy (复制) of their personal "
            "information: a right of kind `copy`, or of kind `portability` (receiving one's "
            "data includes a copy).", also=("portability",))
_right_rule("PIPL-46-CORRECT", "PIPL Art. 46", "correct", "correct personal information",
            "更正、补充个人信息",
            "The rights section describes how the user corrects or completes inaccurate "
            "personal information: a right of kind `correct`.")
_right_rule("PIPL-47-DELETE", "PIPL Art. 47", "delete", "delete personal information",
            "删除个人信息",
            "The rights section describes how the user has personal information deleted: a "
            "right of kind `delete`.")
_right_rule("PIPL-15-WITHDRAW", "PIPL Art. 15", "withdraw_consent", "withdraw consent",
            "撤回同意",
            "The rights section describes a convenient way to withdraw consent (Art. 15 "
            "requires it to be as easy as giving it): a right of kind `withdraw_consent`.")
_right_rule("PIPL-48-EXPLAIN", "PIPL Art. 48", "explanation",
            "ask for an explanation of the processing rules", "要求解释说明个人信息处理规则",
            "The rights section describes how the user asks the handler to explain its "
            "processing rules: a right of kind `explanation`.")
_right_rule("PIPL-50-REQUESTS", "PIPL Art. 50", "requests", "make a request and how it is "
            "answered", "提出请求及我们如何响应",
            "The rights section describes how requests are made and answered, and the "
            "reasons for refusing one (Art. 50): a right of kind `requests`, or a sentence of "
            "the rights section on how requests are answered.",
            said=r"(答复|回复|响应|处理).{0,20}(请求|申请|反馈|诉求)|(请求|申请|反馈|诉求|问题).{0,30}"
                 r"(答复|回复|响应)|"
                 r"(respond|responding|reply|answer)\w* to (a |your |the )?(request|them)|"
                 r"deny your request")

_right_rule("PIPL-45-PORTABILITY", "PIPL Art. 45(3)", "portability",
            "have personal information transferred to another handler",
            "将个人信息转移至指定的个人信息处理者",
            "Where the conditions set by the CAC are met, the user may ask that their "
            "personal information be transferred to a handler they designate; the rights "
            "section says how: a right of kind `portability`.")

DELETION_CASES = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    r"目的.{0,6}(已实现|无法实现|不再必要)|purpose.{0,30}(achieved|fulfilled|no longer)|"
    r"no longer necessary",                                      # purpose achieved
    r"(停止|不再|终止).{0,8}(提供|服务|运营)|stop(s|ped)? providing",  # service stopped
    r"期限.{0,4}届满|retention period.{0,20}expire",             # retention expired
    r"撤回.{0,6}同意|未征得.{0,8}同意|withdraw",                  # consent withdrawn or missing
    r"违反.{0,10}(法律|法规|约定)|违法|unlawful|in breach",        # unlawful processing
))


@rule("PIPL-47-DELETE-CASES", WARNING, PROFILE, "PIPL Art. 47",
      en="the right to deletion does not name the cases in which personal information is "
         "deleted (purpose achieved, service stopped, retention expired, consent withdrawn, "
         "unlawful processing)",
      zh="删除权未说明应当删除个人信息的情形（处理目的已实现、停止提供产品或服务、保存期限已届满、"
         "撤回同意、违法处理）")
def deletion_cases(subject: Subject) -> Iterator[Finding]:
    """Art. 47 lists when the handler deletes personal information on its own or at the
    user's request: the purpose is achieved or can no longer be, the service stops, the
    retention period expires, consent is withdrawn, the processing breaks the law. A
    right of kind `delete` names at least two of these kinds of case."""
    text = right_text(subject, "delete")
    if text and sum(bool(case.search(text)) for case in DELETION_CASES) < 2:
        yield Finding.at(next(r.loc for r in subject.rights if "delete" in r.all_kinds()))


DECEASED = re.compile(r"死亡|去世|逝世|离世|近亲属|deceased|death|died|next of kin", re.IGNORECASE)


@rule("PIPL-49-DECEASED", WARNING, PROFILE, "PIPL Art. 49",
      en="the rights section does not say how the close relatives of a deceased user "
         "exercise rights over the user's personal information",
      zh="“您的权利”中未说明自然人死亡后，其近亲属如何对其个人信息行使权利")
def deceased(subject: Subject) -> Iterator[Finding]:
    """When a user dies, their close relatives may exercise the rights of access, copy,
    correction and deletion for their own lawful interests, unless the user arranged
    otherwise; the policy says how."""
    if not mentions(subject, DECEASED):
        yield Finding.at(subject.rights_loc()).searching(subject.searched())


# ----------------------------------------------------------------------- Art. 52: officer


OFFICER = re.compile(r"个人信息保护.{0,4}(负责人|专门人员|专员|官(?![网方])|部门|机构)|"
                     r"隐私.{0,4}(负责人|专员|保护官)|"
                     r"数据保护官|privacy officer|data protection officer|\bDPO\b", re.IGNORECASE)


@rule("PIPL-52-OFFICER", WARNING, PROFILE, "PIPL Art. 52",
      en="the contact of the personal-information protection officer is missing "
         "(`contact.officer` with an e-mail or phone)",
      zh="缺少个人信息保护负责人的联系方式（`contact.officer` 的电子邮箱或电话）")
def officer(subject: Subject) -> Iterator[Finding]:
    """A handler processing personal information above the CAC's threshold appoints a
    personal-information protection officer and publishes the officer's contact: the
    published `contact.officer`, or the contact section naming the officer next to the
    channels, or a sentence anywhere naming the officer ("个人信息保护相关负责人联系邮箱").
    A warning: the duty depends on the volume processed."""
    officer = subject.policy_fact("contact.officer")
    if officer and (officer.email or officer.phone):
        return
    eu_facts = {id(t) for t in texts(subject.policy.gdpr)}     # the EU DPO is not the officer
    if not any(OFFICER.search(t) for t in all_texts(subject) if id(t) not in eu_facts):
        yield Finding.at(subject.role_loc("contact")).searching(subject.searched())


# ------------------------------------------------------------ Art. 53: handlers abroad

IN_CHINA = re.compile(r"[\u4e00-\u9fff]|China|PRC|Beijing|Shanghai|Shenzhen|Guangzhou|"
                      r"Hangzhou", re.IGNORECASE)
NOT_MAINLAND = re.compile(r"香港|澳门|台湾|Hong Kong|Macau|Macao|Taiwan", re.IGNORECASE)
REPRESENTATIVE_IN_CHINA = re.compile(r"境内.{0,6}(代表|专门机构)|(代表|专门机构).{0,6}境内|"
                                     r"representative in (China|the PRC)", re.IGNORECASE)


@rule("PIPL-53-REPRESENTATIVE", WARNING, PROFILE, "PIPL Art. 3(2), 53",
      en="the handler's address {where}, but the policy names no representative or dedicated "
         "office in China",
      zh="处理者地址{where_zh}，但本政策未说明其在中华人民共和国境内的专门机构或指定代表")
def representative_in_china(subject: Subject) -> Iterator[Finding]:
    """A handler outside China that processes the personal information of people in
    China (to offer them products or services, or to analyse their behaviour) sets up a
    dedicated office or names a representative in China, and gives its name and contact
    to the authorities; the policy names them. The organisation's address tells where the
    handler is: one in neither Chinese script nor naming China (or one in Hong Kong,
    Macau or Taiwan) is outside the mainland; a policy giving no address is for review."""
    address = organisation_address(subject)
    if mentions(subject, REPRESENTATIVE_IN_CHINA):
        return
    finding = Finding.at(subject.role_loc("contact", "scope"), **situated(address, "China", "境外"))
    if not address:
        yield finding.for_review().searching(subject.searched())
    elif not IN_CHINA.search(address) or NOT_MAINLAND.search(address):
        yield finding.searching(subject.searched())
