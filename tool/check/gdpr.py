"""GDPR rules (Regulation (EU) 2016/679, Art. 13 information to be provided): profile
``gdpr``."""
from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Severity
from .gbt35273 import CROSS_BORDER
from .registry import (Evidence, Finding, Subject, all_texts, at_sentences, clauses,
                       features_lacking,
                       mentions, missing_right, retention_lacking, organisation_address, right_text, rule,
                       sdks_lacking, sentences, situated, texts)
from .vocabulary import GRANT, conditional, states_practice

WARNING = Severity.WARNING
PROFILE = "gdpr"


COMPLAIN = re.compile(r"投诉|举报|申诉|complain|lodge|appeal|Art(icle|\.)? ?77\b", re.IGNORECASE)


PROFILING_SIGNS = re.compile(
    r"personali[sz](ed?|ing) (the )?(ads|advert|content|recommend|experience|marketing|offers|"
    r"feed)|interest[- ]based|targeted (ads|advert|market)|tailor|"
    r"recommendations? (based|tailored|for you)|"
    r"recommend(s|ed)? (content|products|items|videos|music|books|posts|people|articles)|"
    r"behaviou?ral (ads|advert|target)|relevant (ads|advert)|(ads|advertis\w*|content) (that are )?"
    r"(more )?relevant to you|based on your (interests|activit|preferences|browsing)|"
    r"个性化|推荐|定向推送|精准营销|感兴趣的(广告|内容|商品)|与您相关的广告|更有针对性", re.IGNORECASE)


DPO = re.compile(r"data protection officer|\bDPO\b|数据保护官", re.IGNORECASE)
REACHED = re.compile(r"@|\[at\]|\(at\)|contact|e-?mail|write|reach|address|form|phone|联系|邮箱|"
                     r"电话|地址", re.IGNORECASE)
REPRESENTATIVE = re.compile(r"\b(EU|EEA|European|Union|UK|GDPR|Art(icle|\.)? ?27)\b\W{0,3}(\w+\W+){0,4}"
                            r"representative|representative\W+(\w+\W+){0,4}(EU|EEA|European|"
                            r"Union|UK|Art(icle|\.)? ?27)\b|(欧盟|欧洲).{0,8}代表", re.IGNORECASE)
IN_EU = re.compile(r"Austria|Belgium|Bulgaria|Croatia|Cyprus|Czech|Denmark|Estonia|Finland|"
                   r"France|Germany|Greece|Hungary|Ireland|Italy|Latvia|Lithuania|Luxembourg|"
                   r"Malta|Netherlands|Poland|Portugal|Romania|Slovakia|Slovenia|Spain|Sweden|"
                   r"Iceland|Liechtenstein|Norway|\bEU\b|European Union|Dublin|Paris|Berlin|"
                   r"Amsterdam|Luxembourg|Madrid|Stockholm|欧盟|德国|法国|爱尔兰|荷兰", re.IGNORECASE)


# The controller naming itself in the text: "We, Hygraph GmbH, … Berlin, Germany".
CONTROLLER = re.compile(r"^\W*we\s*,|\bcontroller\b|responsible (party|body|for (the )?processing)|"
                        r"数据控制者|个人信息处理者", re.IGNORECASE)


def _contact_loc(subject: Subject):
    """Where the controller's contacts are published: the contact section."""
    return subject.role_loc("contact")


@rule("GDPR-13-DPO", WARNING, PROFILE, "GDPR Art. 13(1)(b), 37",
      en="the contact of the data protection officer is missing (`gdpr.dpo`, or a sentence "
         "giving the DPO's contact)",
      zh="缺少数据保护官的联系方式（`gdpr.dpo`，或写明数据保护官联系方式的句子）")
def dpo(subject: Subject) -> Iterator[Finding]:
    """The policy gives the contact details of the data protection officer, where one is
    appointed: the published `gdpr.dpo`, or a sentence naming the DPO with a way to reach
    them ("contact our Data Protection Officer at dpo@…"). A DPO named without a contact
    is for review. No DPO at all is a warning where the policy shows regular and
    systematic monitoring or special categories (Art. 37(1)(b)-(c): behavioural
    advertising, advertising networks, tracking across sites, biometrics — cited), else
    for review: not every controller must appoint one."""
    dpo = subject.policy_fact("gdpr.dpo")
    if dpo and (dpo.email or dpo.phone):
        return
    named = sentences(subject, DPO)
    if any(REACHED.search(c) for _, c in named):
        return
    if named:
        yield at_sentences(named).for_review()
        return
    finding = Finding.at(_contact_loc(subject)).searching(subject.searched())
    monitoring = [(t, c) for t, c in sentences(subject, LARGE_SCALE) if states_practice(c)]
    yield finding.reading(*at_sentences(monitoring, 2).evidence) if monitoring \
        else finding.for_review()


# Signs that a DPO is required (Art. 37(1)(b)-(c)): regular and systematic monitoring
# across sites and apps (behavioural advertising, advertising networks, cross-site
# tracking) or special categories. Personalisation or one app's location is not enough
# to tell: for review.
LARGE_SCALE = re.compile(r"advertising (partners|networks|companies)|behaviou?ral (ads|advert|"
                         r"target)|interest[- ]based (ads|advert)|across (different |other )?"
                         r"(websites|apps|sites|services)|cross[- ](site|device|context)|"
                         r"biometric|health data|生物识别|人脸|行踪轨迹|跨(网站|应用)|"
                         r"广告(商|联盟|合作方|网络)|感兴趣的广告", re.IGNORECASE)


@rule("GDPR-27-REPRESENTATIVE", WARNING, PROFILE, "GDPR Art. 13(1)(a), 27",
      en="the controller's address {where}, but no representative in the EU is named "
         "(`gdpr.representative`)",
      zh="控制者地址{where_zh}，但未说明其在欧盟的代表（`gdpr.representative`）")
def representative(subject: Subject) -> Iterator[Finding]:
    """A controller outside the EU that offers services to people in the EU names its
    representative in the Union, with contact details: `gdpr.representative`, or a
    sentence naming the representative. A controller whose address is in the EU (or
    that names itself in the EU: "We, Hygraph GmbH, … Berlin, Germany") needs none; one
    whose address the policy does not give is for review."""
    if (subject.policy_fact("gdpr.representative") or sentences(subject, REPRESENTATIVE)
            or any(IN_EU.search(c) for _, c in sentences(subject, CONTROLLER))):
        return
    address = organisation_address(subject)
    finding = Finding.at(_contact_loc(subject), **situated(address, "the EU", "欧盟以外"))
    finding = finding.searching(subject.searched())
    if not address:
        yield finding.for_review()
    elif not IN_EU.search(address):
        yield finding


@rule("GDPR-13-PURPOSE", WARNING, PROFILE, "GDPR Art. 13(1)(c)",
      en="feature '{feature}' does not state the purpose of processing (`purpose`)",
      zh="业务功能“{feature}”未说明处理目的（`purpose`）")
def purpose(subject: Subject) -> Iterator[Finding]:
    """Each feature states the purpose for which the personal data are processed."""
    yield from features_lacking(subject, lambda f: subject.feature_fact(f, "purpose"))


@rule("GDPR-13-LEGAL-BASIS", WARNING, PROFILE, "GDPR Art. 13(1)(c)-(d), 6(1)",
      en="feature '{feature}' does not state its legal basis (`legal_basis`)",
      zh="业务功能“{feature}”未说明处理的法律依据（`legal_basis`）")
def legal_basis(subject: Subject) -> Iterator[Finding]:
    """Each purpose has a legal basis from Art. 6(1): consent, contract, legal
    obligation, vital interests, public task or legitimate interests."""
    yield from features_lacking(subject, lambda f: subject.feature_fact(f, "legal_basis"))


LEGAL_BASIS = re.compile(r"legal bas[ie]s|lawful bas[ie]s|legitimate interest|legal grounds?|"
                         r"(based|relies?|rely) on (your )?consent|"
                         r"on the basis of|"
                         r"performance of (a|the|our) contract|necessary (for|to) (perform|the "
                         r"performance|fulfil|enter)|legal obligation|Art(icle|\.)? ?6|"
                         r"法律依据|合法性基础|正当利益|合法利益", re.IGNORECASE)


@rule("GDPR-6-LEGAL-BASIS", WARNING, PROFILE, "GDPR Art. 6(1), 13(1)(c)",
      en="the policy names no legal basis (consent, contract, legal obligation, legitimate "
         "interests …) for its purposes",
      zh="本政策未说明处理目的的法律依据（同意、合同、法定义务、正当利益等）")
def legal_basis_in_prose(subject: Subject) -> Iterator[Finding]:
    """Art. 13(1)(c) asks for the legal basis of each purpose. A policy that writes its
    purposes in prose (no feature of a data_collected section) and never names a legal
    basis is reported; one that names legal bases, but perhaps not for every purpose, is
    for review."""
    if subject.features:
        return
    named = sentences(subject, LEGAL_BASIS)
    if not named:
        yield Finding.at(subject.role_loc("use", "collection")).searching(subject.searched())
    else:
        yield at_sentences(named).for_review()


@rule("GDPR-13-RECIPIENTS", WARNING, PROFILE, "GDPR Art. 13(1)(e)",
      en="recipient '{sdk}' does not name the company that receives the data (`provider`)",
      zh="接收方“{sdk}”未说明接收数据的公司（`provider`）")
def recipients(subject: Subject) -> Iterator[Finding]:
    """The policy names the recipients of personal data: every SDK names its provider."""
    yield from sdks_lacking(subject, lambda sdk: subject.sdk_fact(sdk, "provider"))


@rule("GDPR-13-TRANSFERS", WARNING, PROFILE, "GDPR Art. 13(1)(f), 44-49",
      en="the policy does not state whether data is transferred to third countries "
         "(`storage.cross_border`, or a section of role `transfers`)",
      zh="本政策未说明数据是否转移至第三国（`storage.cross_border`，或 `role: transfers` 的章节）")
def transfers(subject: Subject) -> Iterator[Finding]:
    """The policy states whether personal data is transferred outside the EU and on
    which safeguards: the published `storage.cross_border`, a section of role
    `transfers`, a sentence on transfers in the section of role `storage`, or a sentence
    anywhere that transfers data abroad or says where it is stored ("stored on our servers
    in the Netherlands")."""
    if not (subject.policy_fact("storage.cross_border") or subject.with_role("transfers")
            or mentions(subject, CROSS_BORDER, "storage") or sentences(subject, TRANSFER)
            or sentences(subject, STORED_IN)):
        yield Finding.at(subject.role_loc("transfers", "storage")).searching(
            subject.searched())


@rule("GDPR-13-RETENTION", WARNING, PROFILE, "GDPR Art. 13(2)(a)",
      en="{what} does not state how long its data is kept (`retention`, "
         "`storage.retention` in policy.yaml, or a period in the storage section)",
      zh="{what_zh}未说明数据的保存期限（`retention`、policy.yaml 中的 "
         "`storage.retention`，或存储一节中的期限）")
def retention(subject: Subject) -> Iterator[Finding]:
    """Each feature states the period its data is kept or the criteria that fix it: its
    `retention`, `storage.retention`, or a period or criterion in the storage section."""
    yield from retention_lacking(subject)


AUTHORITY_WORDS = re.compile(r"supervisory authorit|data protection (authorit|commission)|"
                             r"\b(relevant|competent|local|national) (data protection )?authorit|"
                             r"regulator|\bICO\b|Information Commissioner|\bCNIL\b|"
                             r"\bDPC\b|commissioner|监管机构|监管部门|数据保护机构", re.IGNORECASE)


@rule("GDPR-77-COMPLAINT", WARNING, PROFILE, "GDPR Art. 13(2)(d), 77",
      en="the policy does not tell the user of the right to complain to a supervisory "
         "authority (`gdpr.supervisory_authority` names it)",
      zh="未告知用户有权向监管机构投诉（`gdpr.supervisory_authority` 可写明该机构）")
def supervisory_authority(subject: Subject) -> Iterator[Finding]:
    """The policy tells the user of the right to lodge a complaint with a supervisory
    authority: the published `gdpr.supervisory_authority` names it, or a sentence speaks
    of complaining to the supervisory authority, a data protection authority or
    regulator (in any words: "lodge a complaint with the ICO")."""
    if not (subject.policy_fact("gdpr.supervisory_authority") or any(
            AUTHORITY_WORDS.search(c) and COMPLAIN.search(c)
            for text in all_texts(subject) for c in clauses(text))):
        yield Finding.at(subject.rights_loc()).searching(subject.searched())


STORED_IN = re.compile(r"(stored|processed|hosted|located|servers?)\b.{0,40}\b(in|within) (the )?"
                       r"(EU|EEA|European|United States|U\.S\.|US|USA|UK|Canada|Germany|Switzerland|"
                       r"France|Ireland|Netherlands|[A-Z][a-z]+ (and|or) other countries|"
                       r"countries)|(存储|储存|存放|服务器).{0,12}(境内|境外|中国|中华人民共和国)", re.IGNORECASE)
TRANSFER = re.compile(r"(located|based|stored|processed) (outside|beyond) (of )?(your|the) (home )?"
                      r"(country|jurisdiction)|consent to the transfer|"
                      r"transfer\w*.{0,80}(outside|third countr|countr(y|ies) other|"
                      r"international|United States|\bU\.?S\.?A?\b|abroad)|"
                      r"(outside|beyond) (the )?(EEA|EU|European Economic Area|UK|European Union)|"
                      r"(stored|processed|hosted) (in|on servers in) (the )?(United States|US)|"
                      r"跨境|出境|转移至境外|传输至境外", re.IGNORECASE)
SAFEGUARDS = re.compile(r"standard (contractual|data protection) clauses|\bSCCs?\b|model clauses|"
                        r"adequacy|(equivalent|adequate) level of (data )?protection|"
                        r"adequate (level|protection)|binding corporate rules|\bBCRs?\b|"
                        r"Data Privacy Framework|appropriate safeguards|suitable safeguards|"
                        r"Art(icle|\.)? ?4[5-9]|标准合同|充分性认定|认证", re.IGNORECASE)


@rule("GDPR-46-SAFEGUARDS", WARNING, PROFILE, "GDPR Art. 13(1)(f), 44-46",
      en="personal data is transferred outside the EEA, but the policy names no safeguard "
         "(adequacy decision, standard contractual clauses, binding corporate rules …)",
      zh="个人数据被转移至欧洲经济区以外，但本政策未说明保障措施（充分性认定、标准合同条款、约束性公司规则等）")
def transfer_safeguards(subject: Subject) -> Iterator[Finding]:
    """Where personal data leaves the EEA the policy names the safeguard it rests on (an
    adequacy decision, standard contractual clauses, binding corporate rules, the
    EU-US Data Privacy Framework) and how to obtain a copy. A sentence stating such a
    transfer (not one saying there is none) with no safeguard named anywhere is
    reported, with that sentence; a transfer only on a condition ("如需跨境传输…") is for
    review."""
    transfers = [(t, c) for t, c in sentences(subject, TRANSFER) if states_practice(c)]
    if transfers and not sentences(subject, SAFEGUARDS):
        certain = [(t, c) for t, c in transfers if not conditional(c)]
        finding = at_sentences(certain or transfers)
        yield finding if certain else finding.for_review()


def _right_rule(code: str, article: str, kind: str, en: str, zh: str,
                near: "re.Pattern[str] | None" = None) -> None:
    """A rule for the right of ``kind``; where a sentence grants something ``near`` it (a
    copy or export of one's data, for portability) the rule cannot tell: for review."""
    @rule(code, WARNING, PROFILE, article,
          en=f"the rights section does not describe the right {en} (a right of kind `{kind}`)",
          zh=f"“您的权利”中未说明{zh}（`kind: {kind}`）",
          explanation=f"Art. 13(2) requires the policy to inform the user of the right {en}; "
                      f"the rights section has a right of kind `{kind}`, or a sentence "
                      f"grants it." + (" A sentence granting something close to it is for "
                                       "review." if near else ""))
    def check(subject: Subject) -> Iterator[Finding]:
        for finding in missing_right(subject, kind, en):
            close = [(t, c) for t, c in sentences(subject, near) if GRANT.search(c)] \
                if near else []
            yield at_sentences(close).for_review() if close else finding


# A copy, archive or export of one's data may be meant as portability.
NEAR_PORTABILITY = re.compile(r"\b(copy|archive|export|download)\b.{0,60}(data|information)|"
                              r"(data|information).{0,60}\b(copy|archive|export)\b|导出|副本",
                              re.IGNORECASE)


_right_rule("GDPR-15-ACCESS", "GDPR Art. 13(2)(b), 15", "access", "of access", "访问权")
_right_rule("GDPR-16-RECTIFY", "GDPR Art. 13(2)(b), 16", "correct", "to rectification",
            "更正权")
_right_rule("GDPR-17-ERASE", "GDPR Art. 13(2)(b), 17", "delete", "to erasure", "删除权")
_right_rule("GDPR-18-RESTRICT", "GDPR Art. 13(2)(b), 18", "restrict",
            "to restriction of processing", "限制处理权")
_right_rule("GDPR-20-PORTABILITY", "GDPR Art. 13(2)(b), 20", "portability",
            "to data portability", "数据可携带权", NEAR_PORTABILITY)
_right_rule("GDPR-21-OBJECT", "GDPR Art. 13(2)(b), 21", "object", "to object", "反对权")
CONSENT_BASIS = re.compile(r"consent|同意|授权", re.IGNORECASE)


@rule("GDPR-7-WITHDRAW", WARNING, PROFILE, "GDPR Art. 13(2)(c), 7(3)",
      en="the rights section does not describe the right to withdraw consent at any time (a "
         "right of kind `withdraw_consent`)",
      zh="“您的权利”中未说明随时撤回同意的权利（`kind: withdraw_consent`）")
def withdraw(subject: Subject) -> Iterator[Finding]:
    """Where processing rests on consent, the user is told of the right to withdraw it at
    any time: a right of kind `withdraw_consent`, or a sentence granting it. A policy
    that never speaks of consent may rest on other bases: its silence is for review."""
    for finding in missing_right(subject, "withdraw_consent", "to withdraw consent at any time"):
        consent = [(t, c) for t, c in sentences(subject, CONSENT_BASIS) if states_practice(c)]
        if not consent:
            yield finding.for_review()
        elif any(STOPPED.search(c) for _, c in consent):   # "consent … you are free to remove"
            yield at_sentences(consent).for_review()
        else:
            yield finding.reading(*at_sentences(consent, 2).evidence)


# A way to stop a consented processing, told beside the consent: withdrawal in effect.
STOPPED = re.compile(r"free to (remove|delete|disable|stop)|(can|may) (remove|delete|disable|turn "
                     r"off|switch off|opt out)|opt[- ]out|turn (it )?off|可(随时)?关闭|可以关闭",
                     re.IGNORECASE)


# ------------------------------------------------- Art. 13(2)(e)-(f), 14, 21(4): further

CONSEQUENCE = re.compile(r"无法|不能|将不能|影响|required|mandatory|cannot|can't|unable|not be able|"
                         r"won't be able|necessary (to|for)|optional|statutory|contractual",
                         re.IGNORECASE)


@rule("GDPR-13-2E-REQUIREMENT", WARNING, PROFILE, "GDPR Art. 13(2)(e)",
      en="feature '{feature}' does not say whether providing its data is required and what "
         "happens if the user does not provide it",
      zh="业务功能“{feature}”未说明提供其个人数据是否为必需，以及不提供的后果")
def requirement(subject: Subject) -> Iterator[Finding]:
    """For each feature the user learns whether providing the data is a statutory or
    contractual requirement, or needed to use the feature, and the consequences of not
    providing it ("如果不同意，将无法完成注册", "without it we cannot …"), in the
    feature's published description or its legal basis."""
    yield from features_lacking(subject, lambda f: subject.feature_fact(f, "legal_basis") in (
        "contract", "legal_obligation") or any(CONSEQUENCE.search(t) for t in texts(f.blocks)))


AUTOMATED = re.compile(r"自动化决策|用户画像|画像|automated decision|profiling|automated "
                       r"individual decision", re.IGNORECASE)


@rule("GDPR-13-2F-AUTOMATED", WARNING, PROFILE, "GDPR Art. 13(2)(f), 22",
      en="the policy does not say whether it makes automated decisions or profiles users "
         "(and, if it does, the logic involved and its consequences)",
      zh="本政策未说明是否进行自动化决策或用户画像（如有，其逻辑及对您的影响）")
def automated(subject: Subject) -> Iterator[Finding]:
    """The controller tells the user whether automated decision-making, including
    profiling, takes place, with meaningful information about the logic involved and the
    significance and consequences for the user: a section of role
    `automated_decisions`, a right of kind `automated_decisions`, or a sentence that
    says so (also to say that none takes place). Silence is a warning where the policy
    shows signs of profiling (personalised ads or recommendations, interest-based
    advertising: cited); with no such sign it is for review — none may take place."""
    if (subject.with_role("automated_decisions")
            or "automated_decisions" in subject.right_kinds() or mentions(subject, AUTOMATED)):
        return
    signs = [(t, c) for t, c in sentences(subject, PROFILING_SIGNS) if states_practice(c)]
    if signs:
        yield at_sentences(signs).searching(subject.searched())
    else:
        yield Finding.at(subject.role_loc("use", "collection")).searching(
            subject.searched()).for_review()




INDIRECT = re.compile(r"从第三方(处)?(获取|获得|收集)|间接(获取|收集)|第三方向我们提供|from (our )?(third[- ]"
                      r"part|partners|other sources|publicly available)|(receive|obtain)s? "
                      r"(information|data)[^.]{0,60} from", re.IGNORECASE)
SOURCE = re.compile(r"来源|来自|包括|例如|比如|source|provided by|obtained from|we receive [^.]{0,40}"
                    r"from|including|such as|for example|e\.g\.|like [A-Z]|described (below|above|"
                    r"in)|see (below|above)|如下|(further|more) information|available under",
                    re.IGNORECASE)


@rule("GDPR-14-SOURCE", WARNING, PROFILE, "GDPR Art. 14(2)(f)",
      en="the policy obtains personal data from others but does not name the source",
      zh="本政策从他处获取个人数据，但未说明其来源")
def source(subject: Subject) -> Iterator[Finding]:
    """Where personal data is not obtained from the user, the policy says where it comes
    from (the partner, the public source). A text that speaks of data obtained from third
    parties must name the source (or its kind: "such as identity verification services")
    in the same text or the next one (a heading is followed by its paragraph)."""
    every = all_texts(subject)
    for number, text in enumerate(every):
        match = INDIRECT.search(text)
        following = "\n".join(every[number + 1:number + 3])
        if match and not (SOURCE.search(text[match.end():]) or SOURCE.search(
                text[:match.start()]) or SOURCE.search(following)):
            yield Finding.at(text.loc_at(match.start())).reading(
                Evidence.of(text, match.start()))
            return


MARKETING = re.compile(r"营销|推广|促销|广告推送|direct marketing|marketing|newsletter|promotional",
                       re.IGNORECASE)
OBJECT_MARKETING = re.compile(r"退订|拒绝|取消订阅|不接收|撤回|object|unsubscribe|opt[- ]?out|"
                              r"stop receiving|revoke|withdraw|cancel", re.IGNORECASE)


# Marketing by the organisation to the reader ("we send you our newsletter"), not a word
# in a list of banned businesses ("Multi-Level Marketing Businesses").
OURS = re.compile(r"\b(we|us|our|you|your)\b|我们|您", re.IGNORECASE)


@rule("GDPR-21-4-MARKETING", WARNING, PROFILE, "GDPR Art. 21(2)-(4)",
      en="personal data is used for direct marketing, but the right to object to it is not "
         "stated explicitly",
      zh="个人数据用于直接营销，但未明确说明您有权反对此类处理")
def object_to_marketing(subject: Subject) -> Iterator[Finding]:
    """Where personal data is used for direct marketing, the user may object at any time,
    and this right is brought to their attention explicitly, clearly and separately from
    other information: in a right of kind `object`, or in the text about marketing
    itself ("退订", "unsubscribe", "object"). A sentence that says there is no marketing
    ("no marketing e-mails") or defines the word is not marketing. Where the policy
    grants the withdrawal of consent, marketing sent on consent may be stopped that way:
    for review."""
    object_text = right_text(subject, "object")
    if object_text and MARKETING.search(object_text):
        return
    marketing = [(t, c) for t, c in sentences(subject, MARKETING) if states_practice(c)
                 and OURS.search(c)]
    if marketing and not any(OBJECT_MARKETING.search(text) for text, _ in marketing):
        finding = at_sentences(marketing)
        # consent can be withdrawn: marketing on consent may be stopped that way
        withdrawable = not list(missing_right(subject, "withdraw_consent", ""))
        yield finding.for_review() if withdrawable else finding
