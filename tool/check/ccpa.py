"""CCPA/CPRA rules (Cal. Civ. Code § 1798.100 ff. and the CCPA Regulations, 11 CCR
§ 7010 ff.): profile ``ccpa``, for policies that address California residents.

A policy that never names California, the CCPA or the CPRA is not held to them: the rules
are silent. One that names California only to point to a separate notice ("additional
state-specific disclosures") may have everything there: what it lacks is for review. Each rule reads the published text, typed or prose, sentence by sentence.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Severity
from .registry import (Finding, Subject, all_texts, at_sentences, missing_right,
                       retention_sentences, rule, sentences)
from .vocabulary import GRANT, states_practice

WARNING = Severity.WARNING
PROFILE = "ccpa"
I = re.IGNORECASE

CALIFORNIA = re.compile(r"California|\bCCPA\b|\bCPRA\b|1798\.|加州|加利福尼亚", I)


SEPARATE_NOTICE = re.compile(r"\]\(|click here|notice at collection|supplement|additional "
                             r"(state|california|u\.?s\.?)|state[- ]specific|see (our|the)", I)


def addresses_california(subject: Subject) -> bool:
    """Whether the policy speaks to California residents (names California, CCPA, CPRA)."""
    key = "addresses_california"
    if key not in subject.computed:
        subject.computed[key] = any(CALIFORNIA.search(t) for t in all_texts(subject))
    return subject.computed[key]


def notice_elsewhere(subject: Subject) -> bool:
    """Whether a sentence naming California points to a separate notice ("If you are a
    California resident, please see the [CCPA Addendum](…)"): the CCPA's items may all
    stand there, so what the policy lacks is for review, not a warning."""
    return any(SEPARATE_NOTICE.search(c) for _, c in sentences(subject, CALIFORNIA))


def practised_without(subject: Subject, practice: "re.Pattern[str]",
                      answer: "re.Pattern[str]") -> list:
    """The sentences stating ``practice`` (not negated, not defining it) when the policy
    addresses California and no sentence anywhere matches ``answer``; else none."""
    if not addresses_california(subject) or sentences(subject, answer):
        return []
    return [(t, c) for t, c in sentences(subject, practice) if states_practice(c)]


def judged(subject: Subject, finding: Finding) -> Finding:
    """``finding`` as a warning, or for review when the CCPA notice is elsewhere."""
    return finding.for_review() if notice_elsewhere(subject) else finding


def absent(subject: Subject, pattern: "re.Pattern[str]", *roles: str) -> Iterator[Finding]:
    """A finding listing the sections read when the policy addresses California and no
    sentence matches ``pattern``."""
    if addresses_california(subject) and not sentences(subject, pattern):
        yield judged(subject, Finding.at(subject.role_loc(*roles) if roles
                                         else subject.sections_loc).searching(subject.searched()))


CATEGORIES = re.compile(r"categor(y|ies) of (personal )?(information|data)|identifiers|"
                        r"commercial information|internet or other (electronic )?network activity|"
                        r"inferences", I)


@rule("CCPA-CATEGORIES", WARNING, PROFILE, "Cal. Civ. Code § 1798.100(a)(1), 1798.110(c); "
      "11 CCR § 7011(e)(1)",
      en="the policy does not list the categories of personal information collected (in the "
         "CCPA's terms: identifiers, commercial information, internet activity …)",
      zh="本政策未列出所收集个人信息的类别（按 CCPA 的类别：标识符、商业信息、网络活动信息等）")
def categories(subject: Subject) -> Iterator[Finding]:
    """At or before collection, and in the privacy policy, a business lists the
    categories of personal information it has collected in the past 12 months, with the
    purposes, the sources and the recipients of each."""
    yield from absent(subject, CATEGORIES, "collection")


SELL_SHARE = re.compile(r"\b(sell|sells|sold|sale|share|shares|sharing)\b.{0,60}(personal "
                        r"(information|data)|your (information|data))|(personal (information|data)"
                        r"|your (information|data)).{0,60}\b(sell|sold|sale|shar(e|ed|ing))\b", I)
CORPORATE_SALE = re.compile(r"merger|acquisition|sale of (the |our |all |a )?(company|business|"
                            r"assets|stock)|bankruptcy|reorgani[sz]ation", I)
OPT_OUT = re.compile(r"do not sell|do not share|opt(ing)?[- ]?out of (the )?(sale|sharing|selling)|"
                     r"right to opt[- ]out|global privacy control|\bGPC\b", I)


@rule("CCPA-SALE-SHARE", WARNING, PROFILE, "Cal. Civ. Code § 1798.115, 1798.120, 1798.130"
      "(a)(5)(C); 11 CCR § 7011(e)(1)(F)",
      en="the policy does not say whether personal information is sold or shared (for "
         "cross-context behavioural advertising)",
      zh="本政策未说明是否出售或共享（用于跨情境行为广告）个人信息")
def sale_or_share(subject: Subject) -> Iterator[Finding]:
    """The policy states whether the business sells or shares personal information (for
    cross-context behavioural advertising), and has done so in the past 12 months; "we
    do not sell" is a statement too."""
    yield from absent(subject, SELL_SHARE, "sharing", "third_parties")


@rule("CCPA-OPT-OUT-LINK", WARNING, PROFILE, "Cal. Civ. Code § 1798.120, 1798.135; 11 CCR "
      "§ 7013, 7025",
      en="personal information is sold or shared, but the policy gives no way to opt out "
         "(a “Do Not Sell or Share My Personal Information” link, Global Privacy Control)",
      zh="个人信息被出售或共享，但本政策未提供选择退出的方式（“请勿出售或共享我的个人信息”链接、全球隐私控制）")
def opt_out(subject: Subject) -> Iterator[Finding]:
    """A business that sells or shares personal information tells consumers of their
    right to opt out and gives the “Do Not Sell or Share My Personal Information” link
    (or honours opt-out preference signals). A sentence saying that it sells or shares
    (not that it does not) with no opt-out named anywhere is reported, with it."""
    selling = [(t, c) for t, c in practised_without(subject, SELL_SHARE, OPT_OUT)
               if not GRANT.search(c)       # "the right to know what is … sold" sells nothing
               and not CORPORATE_SALE.search(c) and SOLD.search(c)]
    if selling:
        yield judged(subject, at_sentences(selling))


SOLD = re.compile(r"\b(sell|sold|sale)\b|cross-context|targeted advertising", I)


SENSITIVE = re.compile(r"sensitive personal information|social security|driver'?s licen[cs]e|"
                       r"precise geolocation|biometric|racial or ethnic|religious|union "
                       r"membership|health information|sex life|sexual orientation|"
                       r"account log-?in", I)
LIMIT = re.compile(r"limit the use|right to limit|limit (our )?(use|disclosure) of (your )?"
                   r"sensitive", I)


@rule("CCPA-SENSITIVE-LIMIT", WARNING, PROFILE, "Cal. Civ. Code § 1798.121, 1798.135; 11 CCR "
      "§ 7014, 7027",
      en="sensitive personal information is collected, but the policy says neither that "
         "the user may limit its use nor that it is used only for permitted purposes",
      zh="收集敏感个人信息，但本政策未说明用户有权限制其使用，也未说明仅用于法定允许的目的")
def limit_sensitive(subject: Subject) -> Iterator[Finding]:
    """A business that uses sensitive personal information beyond what § 7027(m)
    permits tells consumers of the right to limit it and gives the “Limit the Use of My
    Sensitive Personal Information” link. A sentence that collects it (not a negation)
    with no right to limit named anywhere is for review: the policy may use it only for
    the permitted purposes, which the rule cannot tell."""
    found = practised_without(subject, SENSITIVE, LIMIT)
    if found:
        yield at_sentences(found).for_review()


def _right_rule(code: str, article: str, kind: str, en: str, zh: str) -> None:
    @rule(code, WARNING, PROFILE, article,
          en=f"the policy does not describe the right {en} (a right of kind `{kind}`)",
          zh=f"本政策未说明{zh}（`kind: {kind}`）",
          explanation=f"The privacy policy of a business subject to the CCPA describes the "
                      f"consumer's right {en} and how to submit a request (11 CCR § 7011(e)"
                      f"(2)); a right of kind `{kind}`, or a sentence granting it.")
    def check(subject: Subject) -> Iterator[Finding]:
        if addresses_california(subject):
            yield from (judged(subject, f) for f in missing_right(subject, kind, en))


_right_rule("CCPA-RIGHT-KNOW", "Cal. Civ. Code § 1798.100, 1798.110, 1798.115", "access",
            "to know (access)", "知情权（访问）")
_right_rule("CCPA-RIGHT-DELETE", "Cal. Civ. Code § 1798.105", "delete", "to delete", "删除权")
_right_rule("CCPA-RIGHT-CORRECT", "Cal. Civ. Code § 1798.106", "correct", "to correct",
            "更正权")


@rule("CCPA-RETENTION", WARNING, PROFILE, "Cal. Civ. Code § 1798.100(a)(3)",
      en="the policy does not say how long each category of personal information is kept, or "
         "the criteria that set it",
      zh="本政策未说明各类个人信息的保存期限或确定期限的标准")
def retention(subject: Subject) -> Iterator[Finding]:
    """At collection, the business tells how long it intends to keep each category of
    personal information, or the criteria used to set that period; a sentence keeping
    data for a period or until a criterion is met is needed."""
    if addresses_california(subject) and not retention_sentences(subject):
        yield judged(subject, Finding.at(subject.role_loc("storage")).searching(
            subject.searched()))


DISCRIMINATION = re.compile(r"discriminat|retaliat", I)


@rule("CCPA-NON-DISCRIMINATION", WARNING, PROFILE, "Cal. Civ. Code § 1798.125; 11 CCR § 7011"
      "(e)(2)",
      en="the policy does not say that consumers who exercise their rights are not "
         "discriminated against",
      zh="本政策未说明不会因消费者行使其权利而歧视对待")
def non_discrimination(subject: Subject) -> Iterator[Finding]:
    """The policy tells consumers that they will not be discriminated or retaliated
    against for exercising their CCPA rights."""
    yield from absent(subject, DISCRIMINATION, "rights")


INCENTIVE = re.compile(r"financial incentive|loyalty (program|programme)|rewards? program|"
                       r"price or service difference", I)
INCENTIVE_NOTICE = re.compile(r"notice of financial incentive|value of (the |your )?(consumer'?s )?"
                              r"(personal )?data|good[- ]faith estimate", I)


@rule("CCPA-FINANCIAL-INCENTIVE", WARNING, PROFILE, "Cal. Civ. Code § 1798.125(b); 11 CCR "
      "§ 7016",
      en="the policy offers a financial incentive or loyalty programme but gives no notice "
         "of financial incentive (its terms and how the value of the data is estimated)",
      zh="本政策提供经济激励或会员计划，但未提供经济激励通知（其条款及个人数据价值的估算方法）")
def financial_incentive(subject: Subject) -> Iterator[Finding]:
    """A business offering a financial incentive or price difference for personal
    information gives a notice of it: material terms, how to opt in and withdraw, and a
    good-faith estimate of the value of the consumer's data and how it is calculated.
    The notice may be separate from the policy, so the rule cannot tell: for review."""
    offered = practised_without(subject, INCENTIVE, INCENTIVE_NOTICE)
    if offered:
        yield at_sentences(offered, 1).for_review()
