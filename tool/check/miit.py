"""MIIT app rules (App 违法违规收集使用个人信息行为认定方法, MIIT notices on the two
lists and on response times): profile ``pipl``."""
from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import urlsplit

from ..diagnostics import Severity
from .consistency import response_times
from .registry import Finding, Subject, rule, sdks_lacking

WARNING = Severity.WARNING
PROFILE = "pipl"
MAXIMUM_WORKING_DAYS = 15
PRIVACY_LINK = re.compile(r"隐私|个人信息|privacy|data protection", re.IGNORECASE)


@rule("MIIT-SDK-POLICY-LINK", WARNING, PROFILE, "MIIT 第三方信息共享清单; App 认定方法 2",
      en="SDK '{sdk}' has no link to its provider's privacy policy (`policy_url`)",
      zh="第三方SDK“{sdk}”缺少其隐私政策链接（`policy_url`）")
def sdk_policy_link(subject: Subject) -> Iterator[Finding]:
    """Every SDK in the third-party sharing list links to its provider's privacy policy,
    where the user reads how the provider handles the data: `policy_url`, or one of its
    `links` whose title or text speaks of privacy (隐私, privacy)."""
    yield from sdks_lacking(subject, lambda sdk: subject.sdk_fact(sdk, "policy_url") or any(
        PRIVACY_LINK.search(f"{link.title} {getattr(link, 'text', '') or ''}")
        for link in sdk.links) and subject.sdk_fact(sdk, "links"))


@rule("MIIT-RESPONSE-TIME", WARNING, PROFILE, "App 认定方法 4-5; GB/T 35273-2020 8.7",
      en="the policy does not say within how many days requests and complaints are answered "
         "(`contact.response_days`, or a time in the text)",
      zh="本政策未说明答复请求和投诉的期限（`contact.response_days`，或在正文中写明）")
def response_time_declared(subject: Subject) -> Iterator[Finding]:
    """The policy promises an answer to requests and complaints within a stated number of
    days: declared as `contact.response_days`, or written in the text ("十五天内予以回复")."""
    if subject.policy.contact.response_days is None and not response_times(subject):
        yield Finding.at(subject.role_loc("rights", "contact")).searching(subject.searched())


@rule("MIIT-15-DAYS", WARNING, PROFILE, "App 认定方法 4-5; GB/T 35273-2020 8.7",
      en="requests must be answered within {maximum} working days, not {days}",
      zh="答复期限不得超过{maximum}个工作日，此处为 {days_zh}")
def response_time_limit(subject: Subject) -> Iterator[Finding]:
    """Requests to correct, delete or cancel and complaints are answered within 15
    working days at most; a longer promised time, in `contact.response_days` or in the
    text, is a warning (a compliance finding never stops a build; `--fail-on` gates it). Calendar days count as five
    working days a week: "30天" is more than 15 working days, "15天" is not."""
    contact = subject.policy.contact
    if contact.response_days is not None and contact.response_days > MAXIMUM_WORKING_DAYS:
        yield Finding.at(contact.loc, maximum=MAXIMUM_WORKING_DAYS,
                         days=f"{contact.response_days} working days",
                         days_zh=f"{contact.response_days}个工作日")
    for time in response_times(subject):
        if time.working_days > MAXIMUM_WORKING_DAYS:
            yield Finding.at(time.text.loc_at(time.offset), maximum=MAXIMUM_WORKING_DAYS,
                             days=time.shown("en"), days_zh=time.shown("zh"))


HOME_PAGE = re.compile(r"^/?(index\.(html?|php|jsp)|home|cn|zh|zh-cn|en)?/?$", re.IGNORECASE)


@rule("MIIT-SDK-POLICY-HOMEPAGE", WARNING, PROFILE, "MIIT 第三方信息共享清单; App 认定方法 2",
      en="the privacy-policy link of SDK '{sdk}' ({url}) is a home page, not a privacy policy",
      zh="第三方SDK“{sdk}”的隐私政策链接（{url}）是网站首页，而非隐私政策页面")
def sdk_policy_homepage(subject: Subject) -> Iterator[Finding]:
    """The link given as an SDK's privacy policy leads to the policy: an address with
    no path beyond the site's home page (``https://open.weixin.qq.com/``, ``…/index.html``)
    sends the reader to a front page where the policy must be searched for."""
    for sdk in subject.sdks:
        url = subject.sdk_fact(sdk, "policy_url")
        if url and urlsplit(str(url)).scheme in ("http", "https") and not urlsplit(
                str(url)).query and HOME_PAGE.match(urlsplit(str(url)).path):
            yield Finding.at(getattr(url, "loc", sdk.loc), sdk=sdk.name, url=url)
