"""data-safety.csv: the Google Play Data safety form in Play Console's CSV import format.

The five columns of Play's template (``Question ID (machine readable)``, ``Response ID
(machine readable)``, ``Response value``, ``Answer requirement``, ``Human-friendly
question label``) and every row of it: the opening questions, one row per data type and,
per data type, collection and sharing, ephemeral processing, user control and the
collection and sharing purposes. The policy answers what it states — which data types
its features collect, shared when an SDK receives them, required or optional, the
purposes its wording names, deletion when it describes the right; the rest (encryption
in transit, account creation, links) is left blank for the Play Console to ask.
"""
from __future__ import annotations

import csv
import io

from ..app.facts import AppFacts
from ..app.tables import bundled

HEADER = ("Question ID (machine readable)", "Response ID (machine readable)", "Response value",
          "Answer requirement", "Human-friendly question label")
# every data type of the form: (category, type, label); the policy's kinds map onto them
DATA_TYPES = (
    ("PERSONAL", "PSL_NAME", "Name"), ("PERSONAL", "PSL_EMAIL", "Email address"),
    ("PERSONAL", "PSL_USER_ACCOUNT", "User IDs"), ("PERSONAL", "PSL_ADDRESS", "Address"),
    ("PERSONAL", "PSL_PHONE", "Phone number"), ("PERSONAL", "PSL_RACE_ETHNICITY", "Race and ethnicity"),
    ("PERSONAL", "PSL_POLITICAL_RELIGIOUS", "Political or religious beliefs"),
    ("PERSONAL", "PSL_SEXUAL_ORIENTATION_GENDER_IDENTITY", "Sexual orientation"),
    ("PERSONAL", "PSL_OTHER_PERSONAL", "Other info"),
    ("FINANCIAL", "PSL_CREDIT_DEBIT_BANK_ACCOUNT_NUMBER", "User payment info"),
    ("FINANCIAL", "PSL_PURCHASE_HISTORY", "Purchase history"),
    ("FINANCIAL", "PSL_CREDIT_SCORE", "Credit score"), ("FINANCIAL", "PSL_OTHER", "Other financial info"),
    ("LOCATION", "PSL_APPROX_LOCATION", "Approximate location"),
    ("LOCATION", "PSL_PRECISE_LOCATION", "Precise location"),
    ("SEARCH_AND_BROWSING", "PSL_WEB_BROWSING_HISTORY", "Web browsing history"),
    ("EMAIL_AND_TEXT", "PSL_EMAILS", "Emails"), ("EMAIL_AND_TEXT", "PSL_SMS_CALL_LOG", "SMS or MMS"),
    ("EMAIL_AND_TEXT", "PSL_OTHER_MESSAGES", "Other in-app messages"),
    ("PHOTOS_AND_VIDEOS", "PSL_PHOTOS", "Photos"), ("PHOTOS_AND_VIDEOS", "PSL_VIDEOS", "Videos"),
    ("AUDIO", "PSL_AUDIO", "Voice or sound recordings"), ("AUDIO", "PSL_MUSIC", "Music files"),
    ("AUDIO", "PSL_OTHER_AUDIO", "Other audio files"),
    ("HEALTH_AND_FITNESS", "PSL_HEALTH", "Health info"), ("HEALTH_AND_FITNESS", "PSL_FITNESS", "Fitness info"),
    ("CONTACTS", "PSL_CONTACTS", "Contacts"), ("CALENDAR", "PSL_CALENDAR", "Calendar events"),
    ("APP_PERFORMANCE", "PSL_CRASH_LOGS", "Crash logs"),
    ("APP_PERFORMANCE", "PSL_PERFORMANCE_DIAGNOSTICS", "Diagnostics"),
    ("APP_PERFORMANCE", "PSL_OTHER_PERFORMANCE", "Other app performance data"),
    ("FILES_AND_DOCS", "PSL_FILES_AND_DOCS", "Files and docs"),
    ("APP_ACTIVITY", "PSL_USER_INTERACTION", "App interactions"),
    ("APP_ACTIVITY", "PSL_IN_APP_SEARCH_HISTORY", "In-app search history"),
    ("APP_ACTIVITY", "PSL_APPS_ON_DEVICE", "Installed apps"),
    ("APP_ACTIVITY", "PSL_USER_GENERATED_CONTENT", "Other user-generated content"),
    ("APP_ACTIVITY", "PSL_OTHER_APP_ACTIVITY", "Other actions"),
    ("IDENTIFIERS", "PSL_DEVICE_ID", "Device or other IDs"),
)
USAGE = "PSL_DATA_USAGE_RESPONSES:{type}:{question}"


def rows(facts: AppFacts) -> list[tuple[str, str, str, str, str]]:
    """The form's rows, answered from ``facts``."""
    data = {use.kind.play_type: use for use in facts.data}
    purposes = bundled("data-types.json")["play_purposes"]
    categories = bundled("data-types.json")["play_categories"]
    deletion = bool(facts.right_kinds & {"delete", "cancel_account"})
    out = [
        ("PSL_DATA_COLLECTION_COLLECTS_PERSONAL_DATA", "", _bool(bool(data)), "REQUIRED",
         "Does your app collect or share any of the required user data types?"),
        ("PSL_DATA_COLLECTION_ENCRYPTED_IN_TRANSIT", "", "", "MAYBE_REQUIRED",
         "Is all of the user data collected by your app encrypted in transit?"),
        ("PSL_SUPPORT_DATA_DELETION_BY_USER", "DATA_DELETION_YES", "true" if deletion else "",
         "SINGLE_CHOICE", "Do you provide a way for users to request that their data is deleted? / Yes"),
        ("PSL_SUPPORT_DATA_DELETION_BY_USER", "DATA_DELETION_NO", "", "SINGLE_CHOICE",
         "Do you provide a way for users to request that their data is deleted? / No"),
    ]
    for category, data_type, label in DATA_TYPES:
        out.append((f"PSL_DATA_TYPES_{category}", data_type, "true" if data_type in data else "",
                    "MULTIPLE_CHOICE", f"{categories[category]} / {label}"))
    for category, data_type, label in DATA_TYPES:
        use = data.get(data_type)
        def q(question: str) -> str:
            return USAGE.format(type=data_type, question=question)
        title = f"Data usage and handling ({label})"
        out += [
            (q("PSL_DATA_USAGE_COLLECTION_AND_SHARING"), "PSL_DATA_USAGE_ONLY_COLLECTED",
             "true" if use else "", "MULTIPLE_CHOICE", f"{title} / Collected"),
            (q("PSL_DATA_USAGE_COLLECTION_AND_SHARING"), "PSL_DATA_USAGE_ONLY_SHARED",
             "true" if use and use.shared else "", "MULTIPLE_CHOICE", f"{title} / Shared"),
            (q("PSL_DATA_USAGE_EPHEMERAL"), "", "false" if use else "", "MAYBE_REQUIRED",
             f"{title} / Is this data processed ephemerally?"),
            (q("DATA_USAGE_USER_CONTROL"), "PSL_DATA_USAGE_USER_CONTROL_OPTIONAL",
             "true" if use and not use.required else "", "SINGLE_CHOICE",
             f"{title} / Users can choose whether this data is collected"),
            (q("DATA_USAGE_USER_CONTROL"), "PSL_DATA_USAGE_USER_CONTROL_REQUIRED",
             "true" if use and use.required else "", "SINGLE_CHOICE",
             f"{title} / Data collection is required"),
        ]
        chosen = use.purposes("play") if use else []
        for question, word in (("DATA_USAGE_COLLECTION_PURPOSE", "Collection"),
                               ("DATA_USAGE_SHARING_PURPOSE", "Sharing")):
            for purpose, purpose_label in purposes.items():
                answer = purpose in chosen and (question.startswith("DATA_USAGE_COLLECTION")
                                                or use.shared)
                out.append((q(question), purpose, "true" if answer else "", "MULTIPLE_CHOICE",
                            f"{title} / {word} purpose / {purpose_label}"))
    return out


def _bool(value: bool) -> str:
    return "true" if value else "false"


def render(facts: AppFacts) -> bytes:
    """The CSV: UTF-8 without BOM, CRLF line ends as the csv module writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows(facts))
    return buffer.getvalue().encode("utf-8")

