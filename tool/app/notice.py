"""The first-run notice (首次运行弹窗) as data: what PIPL Art. 17 asks a notice to say —
who processes, for what purposes, which categories, how long, how to exercise rights,
whom to contact — plus the embedded SDKs (认定方法 §二.1), the links to the full policy
and the two MIIT lists (工信部 292号), and two equal choices, no pre-ticked box
(认定方法 §三). :mod:`policyc.render.consent` draws it; the APP-NOTICE rules check it."""
from __future__ import annotations

from .facts import AppFacts

MAX_CHARACTERS = {"zh": 1200, "en": 2400}   # what a phone popup shows in a few screens

WORDS = {
    "zh": {
        "heading": "{app}个人信息保护提示", "intro":
            "欢迎使用{app}！我们依据《{title}》处理您的个人信息。请您在使用前仔细阅读以下要点；"
            "在您点击“同意”之前，我们不会收集您的个人信息。",
        "handler": "个人信息处理者", "purposes": "我们为以下目的收集您的信息",
        "permissions": "我们申请的系统权限", "permissions_note": "仅在您使用相关功能时申请，您可以随时在系统设置中关闭。",
        "sdks": "第三方SDK", "retention": "保存期限", "rights": "您的权利",
        "rights_default": "您可以查阅、复制、更正、删除您的个人信息，撤回同意或注销账号。",
        "contact": "联系我们", "email": "邮箱", "phone": "电话", "officer": "个人信息保护负责人",
        "links": "完整内容请阅读", "policy": "《{title}》", "collected": "已收集个人信息清单",
        "shared": "第三方信息共享清单", "accept": "同意", "decline": "不同意",
        "sensitive": "（敏感个人信息）", "separator": "、", "list_end": "；", "colon": "：",
        "end": "。", "collects": "收集", "not_stated": "详见完整政策",
    },
    "en": {
        "heading": "{app}: your privacy", "intro":
            "Welcome to {app}. We process your personal information as our {title} describes. "
            "Please read these points first; we collect no personal information before you tap "
            "“Agree”.",
        "handler": "Who processes your information", "purposes": "What we collect and why",
        "permissions": "System permissions we ask for",
        "permissions_note": "Asked only when you use the feature; you can turn them off in "
                            "the system settings at any time.",
        "sdks": "Third-party SDKs", "retention": "How long we keep it", "rights": "Your rights",
        "rights_default": "You can access, copy, correct and delete your personal information, "
                          "withdraw consent and close your account.",
        "contact": "Contact us", "email": "E-mail", "phone": "Phone", "officer": "Privacy officer",
        "links": "Read the full text", "policy": "{title}", "collected": "Personal information collected",
        "shared": "Personal information shared with third parties", "accept": "Agree",
        "decline": "Disagree", "sensitive": " (sensitive)", "separator": ", ", "list_end": "; ",
        "colon": ": ", "end": ". ", "collects": "Collects",
        "not_stated": "See the full policy",
    },
}


def consent_notice(facts: AppFacts, policy_href: str = "privacy-policy.html") -> dict:
    """The notice of ``facts`` as JSON-ready data (the HTML page draws exactly this)."""
    w = WORDS[facts.language]
    sep = w["separator"]
    purposes = []
    for feature in facts.features:
        data = [name + (w["sensitive"] if sensitive else "") for name, sensitive in feature.data]
        text = feature.name + w["colon"] + (feature.purpose or w["not_stated"])
        if data:
            text += w["end"] + w["collects"] + w["colon"] + sep.join(data)
        purposes.append({"feature": feature.name, "purpose": feature.purpose,
                         "data": [{"name": n, "sensitive": s} for n, s in feature.data],
                         "text": text})
    permissions = [{"feature": p.feature, "permissions": p.wording, "purpose": p.purpose,
                    "text": p.feature + w["colon"] + sep.join(p.wording)}
                   for p in facts.permissions if p.wording]
    sdks = [{"name": s.name, "provider": s.provider, "purpose": s.purpose,
             "policy_url": s.policy_url,
             "text": s.name + (f"（{s.provider}）" if s.provider and facts.language == "zh"
                               else f" ({s.provider})" if s.provider else "")
             + (w["colon"] + s.purpose if s.purpose else "")}
            for s in facts.sdks]
    retention = sorted({f.retention for f in facts.features if f.retention}) or (
        [facts.retention] if facts.retention else [])
    rights = (sep.join(facts.rights) + ("。" if facts.language == "zh" else ".")
              if facts.rights else w["rights_default"])
    notice = {
        "locale": facts.locale,
        "heading": w["heading"].format(app=facts.app),
        "intro": w["intro"].format(app=facts.app, title=facts.title),
        "handler": {"label": w["handler"], "name": facts.organisation, "address": facts.address},
        "purposes": {"label": w["purposes"], "items": purposes},
        "permissions": {"label": w["permissions"], "note": w["permissions_note"],
                        "items": permissions},
        "sdks": {"label": w["sdks"], "items": sdks},
        "retention": {"label": w["retention"], "text": sep.join(retention) or w["not_stated"]},
        "rights": {"label": w["rights"], "text": rights},
        "contact": {"label": w["contact"], "email": facts.email, "phone": facts.phone,
                    "officer": facts.officer,
                    "text": w["list_end"].join(x for x in (f"{w['email']}{w['colon']}{facts.email}"
                                                           if facts.email else "",
                                                 f"{w['phone']}{w['colon']}{facts.phone}"
                                                 if facts.phone else "") if x)},
        "links": {"label": w["links"], "items": [
            {"text": w["policy"].format(title=facts.title), "href": policy_href},
            {"text": w["collected"], "href": "collected-data-list.html"},
            {"text": w["shared"], "href": "third-party-sharing-list.html"}]},
        "actions": {"decline": w["decline"], "accept": w["accept"], "preselected": None},
    }
    notice["characters"] = characters(notice)
    return notice


def characters(notice: dict) -> int:
    """How long the notice reads: the characters of its text, links and buttons aside."""
    parts = [notice["heading"], notice["intro"], notice["handler"]["name"],
             notice["handler"]["address"], notice["retention"]["text"], notice["rights"]["text"],
             notice["contact"]["text"], notice["permissions"]["note"]]
    for key in ("purposes", "permissions", "sdks"):
        parts += [item["text"] for item in notice[key]["items"]]
    return sum(len("".join(part.split())) for part in parts)
