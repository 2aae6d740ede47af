"""The words rules read prose by, shared by every family: how a right is named, what a
negation, a condition or a definition looks like, and the categories of sensitive personal
information by meaning (PIPL Art. 28; GB/T 45574-2025 Annex A) rather than by the word 敏感.

A rule that looks for a statement in prose reads clauses (:func:`.registry.clauses`) and
keeps only the statements of practice: :func:`states_practice` leaves out negations
("we do not sell"), and definitions ("自动化决策：是指…").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

I = re.IGNORECASE


def clauses(text: str) -> list[str]:
    """A text cut at sentence stops (。；;！？!? and line ends, a full stop before a space,
    not the one of an abbreviation: "Art. 15", "e.g. ", "Inc. ")."""
    return [c for c in SENTENCE_END.split(text) if c.strip()]


SENTENCE_END = re.compile(r"[。；;！？!?\n]|(?<!\bArt)(?<!\bSec)(?<!\bNo)(?<!\bnr)(?<!\be\.g)(?<!\bi\.e)"
                          r"(?<!\bInc)(?<!\bLtd)(?<!\bCo)(?<!\bvs)(?<!\bpara)(?<!\bcf)"
                          r"\.(?=\s|$)", re.IGNORECASE)

# ------------------------------------------------------------------ rights, by their words

RIGHT_WORDS: dict[str, re.Pattern[str]] = {kind: re.compile(pattern, I) for kind, pattern in {
    "access": r"查阅|查询|访问您的|访问.{0,8}个人信息|获取.{0,6}个人信息.{0,4}(副本|清单)|"
              r"\baccess\b|right to (know|be informed)|request (a copy|details|information about)|"
              r"obtain (a )?confirmation|know (what|which|whether)|"
              r"(request|obtain|receive|download) (an? )?(archive|copy|export)|"
              r"right (to|of) (information|be informed)|Art(icle|\.)? ?15\b|"
              r"(obtain|receive|request) information about (the |your )?(personal )?(data|"
              r"information)",
    "copy": r"复制|副本|拷贝|导出|\bcop(y|ies)\b|export",
    "correct": r"更正|修改|补充|纠正|完善.{0,6}(个人)?信息|rectif|correct|amend|"
               r"update (your|inaccurate|incorrect)|inaccura|"
               r"(change|modify|edit)\w* (your|the) (personal )?(information|data|details|profile)|"
               r"recti.{0,2}cation|Art(icle|\.)? ?16\b",
    "delete": r"删除|清除|erase|erasure|delet|remov\w* (your|personal)|Art(icle|\.)? ?17\b",
    "restrict": r"限制.{0,8}(处理|使用)|restrict|limit (the |our )?(use|processing)|"
                r"(stop|suspend|pause)\w* (the )?processing|暂停.{0,4}处理|"
                r"Art(icle|\.)? ?18\b",
    "portability": r"可携|转移至.{0,10}(处理者|其他)|转移.{0,6}(指定|其他).{0,6}(处理者|主体)|"
                   r"portab|transferab|machine[- ]readable|Art(icle|\.)? ?20\b|transfer.{0,40}(another|other|third)[- ]?"
                   r"(controller|service|company|organi[sz]ation|party|provider)",
    "object": r"反对|拒绝.{0,10}(处理|使用|推送|营销)|object\b|object to|objection|opt[- ]?out|"
              r"Art(icle|\.)? ?21\b",
    "withdraw_consent": r"撤回.{0,20}(同意|授权)|撤销.{0,12}授权|改变.{0,8}授权|取消.{0,6}授权|关闭.{0,10}权限|"
                        r"(withdraw|revoke|change)\w*.{0,40}consent|consent.{0,40}withdraw",
    "explanation": r"解释|说明.{0,10}(处理)?规则|explain|explanation",
    "cancel_account": r"注销|(cancel|close|delete|deactivat)\w* (your|the|an) account",
    "complaint": r"投诉|举报|申诉|complain|lodge",
    "automated_decisions": r"自动化决策|automated decision|automated individual|profiling",
    "requests": r"(答复|回复|响应|处理).{0,20}(请求|申请|反馈|诉求)|(请求|申请|反馈|诉求|问题).{0,30}"
                r"(答复|回复|响应)|"
                r"(respond|reply|answer)\w* to (a |your |the )?(request|them)",
}.items()}

# A sentence that grants the reader something: "您可以…", "you have the right to…".
GRANT = re.compile(r"您(可以|可|有权|享有|能够|能|也可以|可通过|可随时)|用户(可以|有权)|有权|权利|请(联系|通过)|"
                   r"\byou (can|may|have|are entitled|also have)|\busers have|right (of|to)|"
                   r"request|ask us|please (contact|e-?mail|write)|"
                   r"\bto (revoke|withdraw|exercise|access|delete|correct|object)\b", I)

# ------------------------------------------------------------- what is not a statement

NEGATION = re.compile(r"不会|不得|不进行|不做|不使用|不收集|不向|不对|不出售|不提供|未|没有|无需|从不|绝不|"
                      r"\bnot\b|n't\b|\bno\b|\bnever\b|\bneither\b|\bnor\b|\bwithout\b", I)
DEFINITION = re.compile(r"是指|指的是|系指|定义|^\W*指|[：:]\s*指|(为|属于)(个人)?敏感(个人)?信息，?(主要)?包括|敏感(个人)?信息(主要)?包括|"
                        r"\bmeans\b|\brefers? to\b|is defined|\bdefin(e|ition)", I)
# A table of contents run into one line: "三、我们如何保护… 四、我们如何处理儿童的个人信息".
CONTENTS = re.compile(r"(?<![一二三四五六七八九十])([一二三四五六七八九十]+、[^，。；]{2,40}){2,}")


CONDITION = re.compile(r"^\s*(如需|如果|若|如您|假如|倘若|一旦|如有)|\b(if|where|should|in case|in the "
                       r"event|when(ever)? (we|you) need)\b", I)


def conditional(clause: str) -> bool:
    """Whether ``clause`` states a practice only on a condition ("如需跨境传输…", "if we
    ever transfer…"): what may happen, not what does."""
    return bool(CONDITION.search(clause))


def states_practice(clause: str) -> bool:
    """Whether ``clause`` states what the organisation does: not a negation ("we do not
    sell", "不会用于营销"), not a definition ("自动化决策：是指…"), not a contents line."""
    return not (NEGATION.search(clause) or DEFINITION.search(clause) or CONTENTS.search(clause))


def names_right(text: str, kind: str) -> bool:
    """Whether a clause of ``text`` tells the reader of a right of ``kind`` (the right's
    words in a clause that grants something, not negated)."""
    words = RIGHT_WORDS[kind]
    return any(words.search(c) and GRANT.search(c) and not NEGATED_RIGHT.search(c)
               for c in clauses(text))


# "您无权…", "you cannot delete…": a right denied is not a right described.
NEGATED_RIGHT = re.compile(r"无权|不能|不可以|无法|cannot|can't|may not|do not have the right", I)

# ----------------------------------------------- sensitive personal information, by meaning

# Which personal information is sensitive (PIPL Art. 28), decided with GB/T 45574-2025 Annex A
# (in force 2025-11-01) and MIIT practice:
# - sensitive, separate consent (PIPL 29) and necessity/impact (PIPL 30): biometrics, religious
#   belief, specific identity (disability, an ID-card photo), medical and health, financial
#   accounts, whereabouts — a precise location (GPS, 精确/精准定位) is one, a coarse one
#   (city, IP region) is not —, children under 14, other (sexual orientation, criminal record);
# - not sensitive by category, so no separate consent: the photo album (相册: its photos are
#   biometric only when faces are recognised), the clipboard (剪切板/剪贴板), contacts
#   (通讯录), call logs and SMS. MIIT asks for these a notice of the purpose when the permission
#   is requested (工信部信管函〔2023〕26号), which CONS-PERMISSION-* rules check on the typed
#   permissions; GB/T 35273-2020 Appendix B still listed contacts, communication records and
#   the ID-card number as sensitive, so PIPL-28-SENSITIVE-MARK asks an editor who types such an
#   item to decide (see APPENDIX_B_ITEMS), without a PIPL-29 finding in prose.


@dataclass(frozen=True)
class SensitiveCategory:
    """A category of sensitive personal information: its names, the words that name it in
    a sentence (``prose``) and the names of data items that fall in it (``item``)."""

    zh: str
    en: str
    prose: re.Pattern[str]
    item: re.Pattern[str]


def _category(zh: str, en: str, prose: str, item: str) -> SensitiveCategory:
    return SensitiveCategory(zh, en, re.compile(prose, I), re.compile(item, I))


SENSITIVE_CATEGORIES: dict[str, SensitiveCategory] = {
    "biometrics": _category(
        "生物识别信息", "biometric information",
        r"人脸|面部(特征|识别|信息)|面容|指纹|声纹|虹膜|掌纹|步态|基因|生物识别|"
        r"biometric|fingerprint|face ?(print|scan|geometry|recognition|id\b)|voiceprint|iris",
        r"人脸|面部|面容|指纹|声纹|虹膜|掌纹|静脉|步态|基因|耳廓|biometric|fingerprint|face|"
        r"facial|voiceprint|iris|palm"),
    "religion": _category("宗教信仰信息", "religious-belief information", r"宗教|信仰|religio",
                          r"宗教|信仰|religio|faith"),
    "specific_identity": _category(
        "特定身份信息", "specific-identity information",
        r"残疾|残障|身份证(照片|影印件|复印件|正反面)|证件(照片|影印件|复印件)|disabilit|"
        r"identity card (photo|image|cop)",
        r"身份证(照片|影印件|复印件|正反面)|证件(照片|影印件|复印件)|残疾|残障|"
        r"identity card (photo|image|copy)|disabilit"),
    "medical_health": _category(
        "医疗健康信息", "medical and health information",
        r"健康|病历|病史|医疗|诊疗|体检|就诊|处方|health|medical|diagnos",
        r"病历|病情|病史|诊断|处方|医疗|健康|体检|用药|过敏|月经|经期|孕|medical|health|diagnos|"
        r"prescription|menstrua|pregnan"),
    "financial_account": _category(
        "金融账户信息", "financial-account information",
        r"银行卡|银行账户|银行账号|支付账号|支付账户|信用卡|征信|账户余额|bank account|card number|"
        r"credit card|debit card|payment card|financial account",
        r"银行卡|银行账户|银行账号|支付账号|支付账户|证券账户|资金账户|信用卡|交易密码|支付密码|"
        r"bank (card|account)|payment account|credit card"),
    "location_tracking": _category(
        "行踪轨迹信息", "whereabouts information",
        r"精确位置|精准位置|精准定位|精确定位|行踪|(行动|位置|运动|出行|活动)轨迹|\bGPS\b|"
        r"(?<!大致)(?<!粗略)(?<!城市)位置信息|(?<!大致)地理位置|(?<!粗略)定位信息|"
        r"precise (geo)?location|geolocation|(?<!approximate )location (data|information)",
        r"行踪|轨迹|精确位置|精准位置|精确定位|精准定位|行程记录|GPS|track|whereabouts|"
        r"precise location"),
    "minors": _category(
        "不满十四周岁未成年人的个人信息", "personal information of children under 14",
        r"不满(十四|14)周?岁|未满(十四|14)周?岁|(十四|14)周?岁以下|儿童(的)?个人信息|"
        r"children under (13|14|16)",
        r"儿童|未成年|不满十四|不满14|child|minor"),
    "other": _category(
        "其他敏感个人信息", "other sensitive personal information",
        r"性取向|犯罪记录|sexual orientation|criminal record",
        r"性取向|性生活|犯罪记录|违法犯罪|sexual orientation|criminal record"),
}
"""PIPL Art. 28 and GB/T 45574-2025 Annex A (clauses 6.1-6.8): the categories by meaning,
not by the word 敏感; the patterns are policyc's own, not text of the standard."""

# what the policy itself calls sensitive ("您的身份信息属于个人敏感信息")
DECLARED_SENSITIVE = re.compile(r"属于.{0,6}(个人敏感信息|敏感个人信息)|(个人敏感信息|敏感个人信息)"
                                r"(包括|如|例如)|sensitive personal (data|information)", I)

# Items GB/T 35273-2020 Appendix B counted sensitive that Annex A no longer does (see above).
APPENDIX_B_ITEMS = re.compile(r"身份证|护照|证件号|通讯录|联系人|通话记录|通信记录|短信内容|"
                              r"passport|contacts", I)


def sensitive_item(name: str) -> SensitiveCategory | None:
    """The Annex A category a data item's name falls in, or None."""
    return next((c for c in SENSITIVE_CATEGORIES.values() if c.item.search(name)), None)


COLLECT = re.compile(r"收集|获取|采集|读取|调用|使用|申请|访问|上传|处理|提供|"
                     r"collect|obtain|access|use|process|receive|request", I)


def sensitive_categories(clause: str) -> list[str]:
    """The categories of sensitive personal information ``clause`` names (``declared``:
    the policy calls something sensitive)."""
    named = [name for name, category in SENSITIVE_CATEGORIES.items()
             if category.prose.search(clause)]
    return named + ["declared"] * bool(DECLARED_SENSITIVE.search(clause))


SEPARATE_CONSENT = re.compile(r"单独同意|单独授权|单独的同意|单独征得|单独取得|单独弹窗|单独的弹窗|另行征得|"
                              r"另行取得|另行获得|separate consent|consent separately|separately "
                              r"consent", I)
