"""The policy against the app it describes (App 认定方法 §二.1, §三; PIPL Art. 17, 23):
permissions requested but not disclosed, SDKs embedded but not listed, iOS purpose
strings, privacy-manifest data types and tracking domains. The rules run when an app
build is named (``app.build`` in policy.yaml, or ``policyc check --app PATH``); each
finding stands at the app file's own line and names the policy's place in the message.
"""
from __future__ import annotations

from typing import Iterator

from ..app.match import AppCheck, app_check
from ..app.tables import data_kinds, kind_of, usage_keys
from .. import model as m
from ..diagnostics import Severity
from .registry import ALWAYS, Finding, Subject, rule

ERROR, WARNING = Severity.ERROR, Severity.WARNING
APP_PATHS = "app_paths"   # Subject.computed key: build paths given on the command line
ARTICLE_PERMISSIONS = "App 认定方法 §二.1, §二.3; PIPL Art. 17; GB/T 41391-2022 6.5"
ARTICLE_SDKS = "App 认定方法 §二.1, §三; PIPL Art. 23; GB/T 41391-2022 6.6; 工信部信管函〔2021〕292号"


def context(subject: Subject) -> AppCheck | None:
    """The app build set against the policy (read once per check), or None."""
    if "app_check" not in subject.computed:
        subject.computed["app_check"] = app_check(
            subject.project, subject.computed.get(APP_PATHS, []), subject.features,
            subject.rows, subject.sdks)
    return subject.computed["app_check"]


def _where_permissions(subject: Subject) -> str:
    """Where a permission belongs: the permissions table, else the list of sections."""
    table = next((s for s in subject.sections if isinstance(s, m.PermissionsSection)), None)
    return str(table.loc if table is not None else subject.sections_loc)


def _where_sdks(subject: Subject) -> dict[str, str]:
    """Where a missing SDK is to be added, in English and Chinese: the `sdks` list of the
    first section of SDKs, else a new such section (never another entry's line)."""
    section = next((s for s in subject.sections if isinstance(s, m.SdksSection)), None)
    if section is not None:
        path = section.loc.path
        return {"where_en": f"the `sdks` list of {path}", "where_zh": f"{path} 的 sdks 列表"}
    loc = subject.sections_loc
    return {"where_en": f"a new section of `type: sdks` listed in `sections` ({loc})",
            "where_zh": f"新的一节（type: sdks，列入 {loc} 的 sections）"}


@rule("APP-READ", ERROR, ALWAYS, "—", en="{problem}", zh="{problem_zh}")
def app_unreadable(subject: Subject) -> Iterator[Finding]:
    """Every app build file named must be readable: a missing path, a file that is not
    well-formed, declares XML entities, is a zip bomb or is too large is reported, never
    skipped, so a check never passes on a build it could not read."""
    check = context(subject)
    for problem in check.problems if check else ():
        yield Finding.at(problem.loc, problem=problem.message,
                         problem_zh=getattr(problem.message, "zh", problem.message))


def _undeclared_permissions(subject: Subject, dangerous: bool) -> Iterator[Finding]:
    check = context(subject)
    if check is None:
        return
    declared = check.declared_names()
    reported: set[str] = set()
    for requested in check.build.permissions:
        permission = check.table.get(requested.name)
        if (permission is None or permission.dangerous != dangerous
                or permission.name in declared or permission.name in reported):
            continue
        reported.add(permission.name)
        yield Finding.at(requested.loc, permission=requested.name,
                         label_en=permission.label("en"), label_zh=permission.label("zh"),
                         where=_where_permissions(subject))


@rule("APP-PERMISSION-UNDECLARED", WARNING, ALWAYS, ARTICLE_PERMISSIONS,
      en="the app requests {permission} ({label_en}), which no permission row or feature of "
         "the policy declares (permissions table: {where})",
      zh="应用申请了权限 {permission}（{label_zh}），但隐私政策的权限说明和功能均未声明（权限说明：{where}）")
def permission_undeclared(subject: Subject) -> Iterator[Finding]:
    """Every permission the app requests is disclosed with its purpose: in the
    permissions table (by its wording, or by name in a row's `android` list) or among a
    feature's permissions. Normal (install-time) permissions give a warning."""
    yield from _undeclared_permissions(subject, dangerous=False)


@rule("APP-DANGEROUS-PERMISSION-UNDECLARED", ERROR, ALWAYS, ARTICLE_PERMISSIONS,
      en="the app requests the runtime permission {permission} ({label_en}), which no "
         "permission row or feature of the policy declares (permissions table: {where})",
      zh="应用申请了敏感权限 {permission}（{label_zh}），但隐私政策的权限说明和功能均未声明（权限说明：{where}）")
def dangerous_permission_undeclared(subject: Subject) -> Iterator[Finding]:
    """A dangerous (runtime) permission guards personal information — location,
    contacts, camera, microphone, phone identity, SMS, storage … — and must be disclosed
    with its purpose before it is asked for (认定方法 §二.1, §二.3). An undisclosed one
    is an error."""
    yield from _undeclared_permissions(subject, dangerous=True)


@rule("APP-PERMISSION-NOT-REQUESTED", WARNING, ALWAYS, ARTICLE_PERMISSIONS,
      en="the policy declares “{wording}” ({permissions}), which the app build does not "
         "request ({files})",
      zh="隐私政策声明了“{wording}”（{permissions}），但应用构建中未申请该权限（{files}）")
def permission_not_requested(subject: Subject) -> Iterator[Finding]:
    """A permission the policy declares but the app does not request is a promise the
    app does not keep, or a leftover: the policy should describe the app as built. A
    wording that names several permissions (a group such as 位置信息) is met by any of
    them."""
    check = context(subject)
    if check is None or not check.build.android:
        return
    requested = check.requested_names()
    files = [f for f in check.build.files if "AndroidManifest" in f or f.endswith(".apk")]
    for entry in check.declared:
        if entry.names and not entry.names & requested:
            yield Finding.at(entry.text.loc, wording=entry.text,
                             permissions=sorted(entry.names), files=files)


@rule("APP-SDK-UNDECLARED", ERROR, ALWAYS, ARTICLE_SDKS,
      en="the build embeds {sdk} by {provider_en} ({evidence}), which the policy does not "
         "list; add it to {where_en} with its provider, purpose, data and privacy policy "
         "({url})",
      zh="应用构建中嵌入了{sdk_zh}（{provider_zh}，{evidence}），但隐私政策未列出；请在{where_zh}中"
         "补充其提供方、目的、收集的信息及隐私政策链接（{url}）")
def sdk_undeclared(subject: Subject) -> Iterator[Finding]:
    """Every third-party SDK embedded in the app is disclosed: its name, provider,
    purpose, the personal information it collects and its privacy policy (认定方法 §二.1:
    embedded SDKs included; 工信部 292号: 第三方信息共享清单). Found by Maven
    coordinates, package prefixes of manifest components, meta-data keys, Gradle
    plugins and CocoaPods names in policyc's SDK catalogue (extend it with
    `app.sdk_catalogue`). The policy lists it when one of its entries is that SDK: by
    `id`, by a name or alias the catalogue knows (an entry called 极光推送, JPush,
    极光推送（JPush） or 极光推送 JPush is the JPush SDK), or by its provider."""
    check = context(subject)
    if check is None:
        return
    listed = check.listed_sdk_ids()
    for sdk_id, (sdk, evidence) in check.in_build.items():
        if sdk_id not in listed:
            yield Finding.at(evidence.loc, sdk=sdk.name("en"), sdk_zh=sdk.name("zh"),
                             provider_en=sdk.provider("en"), provider_zh=sdk.provider("zh"),
                             evidence=evidence.value, url=sdk.policy_url or "—",
                             **_where_sdks(subject))


@rule("APP-SDK-NOT-IN-BUILD", WARNING, ALWAYS, ARTICLE_SDKS,
      en="the policy lists SDK “{sdk}” ({catalogue}), which the app build does not embed ({files})",
      zh="隐私政策列出了第三方SDK“{sdk}”（{catalogue}），但应用构建中未发现该SDK（{files}）")
def sdk_not_in_build(subject: Subject) -> Iterator[Finding]:
    """An SDK the policy lists but the build does not embed is checked only where the
    build shows its dependencies (Gradle files or an APK for Android — a manifest alone
    does not —, a Podfile for iOS) and the catalogue knows how the SDK shows there; an
    SDK the catalogue does not know is not reported."""
    check = context(subject)
    if check is None:
        return
    build = check.build
    for sdk, known in check.policy_sdks:
        if known is None or known.id in check.in_build:
            continue
        looked = (known.android and build.gradle) or (known.ios and build.ios_pods)
        if looked:
            yield Finding.at(sdk.loc, sdk=sdk.name, catalogue=known.name("en"),
                             files=build.files)


@rule("APP-IOS-USAGE-UNDECLARED", ERROR, ALWAYS, ARTICLE_PERMISSIONS,
      en="Info.plist asks for {resource_en} ({key}: “{text}”), but no permission row or "
         "feature of the policy declares it (permissions table: {where})",
      zh="Info.plist 申请访问{resource_zh}（{key}：“{text}”），但隐私政策的权限说明和功能均未声明（权限说明：{where}）")
def ios_usage_undeclared(subject: Subject) -> Iterator[Finding]:
    """Every iOS purpose string (`NS…UsageDescription`) is a permission the app asks
    for at run time; the policy declares it like its Android counterpart (a row whose
    permissions name the same resource: 相机, 位置信息, CAMERA …)."""
    check = context(subject)
    if check is None:
        return
    declared = check.declared_names()
    words = {entry.text.strip().casefold() for entry in check.declared}
    for usage in check.build.usage:
        key = usage_keys().get(usage.key)
        if key is None or key.android & declared:
            continue
        if {key.names["zh"].casefold(), key.names["en"].casefold()} & words:
            continue
        yield Finding.at(usage.loc, key=usage.key, text=" ".join(usage.text.split())[:80],
                         resource_en=key.names["en"].lower(), resource_zh=key.names["zh"],
                         where=_where_permissions(subject))


@rule("APP-XCPRIVACY-DATA-UNDECLARED", WARNING, ALWAYS, "PIPL Art. 17; App 认定方法 §二.1",
      en="PrivacyInfo.xcprivacy declares collecting {type} ({label_en}), which no data item of "
         "the policy's features is",
      zh="PrivacyInfo.xcprivacy 声明收集{label_zh}（{type}），但隐私政策各功能收集的信息中没有此类信息")
def xcprivacy_undeclared(subject: Subject) -> Iterator[Finding]:
    """The privacy manifest and the policy describe the same collection: every data type
    PrivacyInfo.xcprivacy declares is a data item of some feature (matched by kind: 手机号码
    is PhoneNumber, 位置信息 PreciseLocation …)."""
    check = context(subject)
    if check is None:
        return
    policy_kinds = {kind.xcprivacy for feature in subject.features for item in feature.data
                    if (kind := kind_of(str(item.name), str(item.category or "")))}
    labels = {kind.xcprivacy: kind.names for kind in data_kinds()}
    for collected in check.build.collected:
        if collected.type in policy_kinds:
            continue
        names = labels.get(collected.type, {"en": collected.type, "zh": collected.type})
        yield Finding.at(collected.loc, type=collected.type, label_en=names["en"].lower(),
                         label_zh=names["zh"])


@rule("APP-TRACKING-DOMAIN-UNDISCLOSED", ERROR, ALWAYS, "PIPL Art. 23; App 认定方法 §三",
      en="PrivacyInfo.xcprivacy names tracking domain {domain}{owner_en}, but the policy "
         "discloses no third party it belongs to; add it to {where_en}",
      zh="PrivacyInfo.xcprivacy 列出了跟踪域名 {domain}{owner_zh}，但隐私政策未披露其所属的第三方；请在{where_zh}中补充")
def tracking_domain_undisclosed(subject: Subject) -> Iterator[Finding]:
    """A tracking domain receives personal information for tracking; the recipient must be
    disclosed. A domain is disclosed when it belongs (in the SDK catalogue) to an SDK the
    policy lists."""
    check = context(subject)
    if check is None:
        return
    listed = check.listed_sdk_ids()
    for tracking in check.build.domains:
        owner = check.catalogue.owner_of(tracking.domain)
        if owner is not None and owner.id in listed:
            continue
        yield Finding.at(tracking.loc, domain=tracking.domain,
                         owner_en=f" ({owner.name('en')}, not listed)" if owner else "",
                         owner_zh=f"（{owner.name('zh')}，未列出）" if owner else "",
                         **_where_sdks(subject))




# --------------------------------------------------------------------------- first-run notice

PIPL = "pipl"


def _notice(subject: Subject) -> dict | None:
    """The first-run notice generated for the policy (binding locale), or None when the
    policy describes no app, or types no feature: the notice of a policy written in prose
    is policyc's own guess, and a finding about it would be about policyc's file, not the
    policy."""
    if not subject.features:
        return None
    if "consent_notice" not in subject.computed:
        from ..app.facts import app_facts, describes_app
        from ..app.notice import consent_notice

        subject.computed["consent_notice"] = (consent_notice(app_facts(subject.project))
                                              if describes_app(subject.project) else None)
    return subject.computed["consent_notice"]


@rule("APP-NOTICE-NO-PURPOSE", WARNING, PIPL, "App 认定方法 §一.2, §二.1; PIPL Art. 17",
      en="the first-run notice can name no purpose: no feature states a purpose or the data it "
         "collects (consent-notice.html)",
      zh="首次运行提示无法说明任何收集使用目的：没有任何功能写明目的或收集的个人信息（consent-notice.html）")
def notice_without_purpose(subject: Subject) -> Iterator[Finding]:
    """On first run the app shows a notice (认定方法 §一.2) that names the purposes,
    ways and scope of collection (§二.1). policyc writes it from the features; with no
    feature stating a purpose or data, it would ask consent to nothing in particular."""
    notice = _notice(subject)
    if notice is None:
        return
    if not any(item["purpose"] or item["data"] for item in notice["purposes"]["items"]):
        yield Finding.at(subject.features[0].loc if subject.features else subject.sections_loc)


@rule("APP-NOTICE-LENGTH", WARNING, PIPL, "App 认定方法 §一.2, §一.4; GB/T 41391-2022 6.4",
      en="the first-run notice runs to {characters} characters, more than {maximum} a phone "
         "screen shows in a few swipes; shorten the features' purposes and permission rows "
         "(the full policy stays linked)",
      zh="首次运行提示共 {characters} 个字，超过手机屏幕便于阅读的 {maximum} 字；请精简各功能的目的和权限说明"
         "（完整政策仍以链接提供）")
def notice_length(subject: Subject) -> Iterator[Finding]:
    """The first-run notice summarises the policy for a phone screen: a notice too long
    to read before tapping “同意” does not inform (认定方法 §一.2; §一.4 on readability).
    The limit is 1,200 characters in Chinese and 2,400 in other languages."""
    from ..app.notice import MAX_CHARACTERS

    notice = _notice(subject)
    if notice is None:
        return
    language = "zh" if notice["locale"].lower().startswith("zh") else "en"
    if notice["characters"] > MAX_CHARACTERS[language]:
        yield Finding.at(subject.features[0].loc if subject.features else subject.sections_loc,
                         characters=notice["characters"], maximum=MAX_CHARACTERS[language])
