"""Materiality read from the words: what the new wording asserts that the old did not."""
from __future__ import annotations

import pytest

from policyc.versions.content import is_trivial, reason_of

MATERIAL = [
    # (old, new, kind, a word that makes it so)
    ("We collect your name.", "We collect your name and precise location.", "data_types",
     "precise location"),
    ("We collect your location.", "We collect your contacts.", "data_types", "contacts"),
    ("We share data with partners.", "We share data with partners and advertisers.",
     "recipients", "advertisers"),
    ("We use your data to provide the service.",
     "We use your data to provide the service and for targeted advertising.", "purpose",
     "targeted"),
    (None, "Decisions about your account are made by automated decision-making.", "purpose",
     "automated decision"),
    ("We keep logs for 30 days.", "We keep logs for 2 years.", "retention", "2 years"),
    ("You can delete your account at any time.", "Your account stays active.", "rights",
     "You can delete"),
    ("You can object to processing.",
     "You can object to processing, except where we decide otherwise.", "rights", "except"),
    ("Write to privacy@example.com.", "Write to legal@example.org.", "contact",
     "legal@example.org"),
    ("我们会收集您的手机号码。", "我们会收集您的手机号码和人脸信息。", "data_types", "人脸"),
    ("我们会收集您的运动记录。", "我们会收集您的运动记录和步数，属于敏感信息。", "data_types", "敏感"),
    ("我们不会与第三方共享您的信息。", "我们会与广告合作伙伴共享您的信息。", "recipients", "合作伙伴"),
    ("我们保存您的信息三十天。", "我们保存您的信息三年。", "retention", "三年"),
    ("我们会收集设备型号。", "我们会收集设备型号、MAC地址和IMEI。", "data_types", "MAC"),
    ("我们不会向第三方提供您的信息。", "我们会将您的人脸图像提供给北京某某科技有限公司进行比对。",
     "data_types", "北京某某科技有限公司"),
]
MINOR = [
    ("We keep logs for 60 days.", "We keep logs for 30 days."),           # shorter
    ("We share data with partners.", "We disclose data to partners."),    # same thing
    ("We do not sell your data.", "We do not sell or rent your data."),   # negated
    ("You can access your data.", "You can access and download your data."),   # a right widened
    ("Data is kept safe..", "Data is kept safe."),                       # a double period
    ("We  keep it safe.", "We keep it safe."),                           # spacing
    ("We recieve your request.", "We receive your request."),            # spelling
    ("请登录您的帐号。", "请登录您的账号。"),                              # 帐 → 账
    ("我们会提供更为显著的通知。", "我们会以弹窗提供更为显著的通知。"),
    ("You may opt out of targeted advertising.",
     "You may also opt out of targeted advertising and profiling."),   # rights, not processing
]


@pytest.mark.parametrize("old, new, kind, word", MATERIAL, ids=[m[3] for m in MATERIAL])
def test_material_when_the_new_words_say_more(old, new, kind, word):
    reason = reason_of(old, new)
    assert reason is not None and reason.kind == kind
    assert any(word.lower() in w.lower() or w.lower() in word.lower() for w in reason.words), \
        reason


@pytest.mark.parametrize("old, new", MINOR, ids=[m[1][:24] for m in MINOR])
def test_minor_when_they_say_no_more(old, new):
    assert reason_of(old, new) is None


def test_spelling_and_numbers():
    assert is_trivial("帐号", "账号") and is_trivial("recieve", "receive")
    assert not is_trivial("保存三十天", "保存六十天") and not is_trivial("sell", "tell")
    assert not is_trivial("我们不会共享", "我们会共享")


def test_a_contact_named_elsewhere_in_the_old_edition_is_no_new_contact():
    old_edition = "Contact us at privacy@example.com. Example Inc. runs the service."
    assert reason_of(None, "Questions? privacy@example.com", old_edition, old_edition) is None
    reason = reason_of(None, "Questions? dpo@other.example", old_edition, old_edition + " x")
    assert reason is not None and reason.words == ("dpo@other.example",)
