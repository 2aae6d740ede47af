"""consent-notice.html and consent-notice.json: the first-run notice of one locale (see
:mod:`policyc.app.notice`), as a page sized for phone screens (``templates/consent/``)
and as data an app can show in its own dialog."""
from __future__ import annotations

import json

from ..app.facts import AppFacts
from ..app.notice import consent_notice
from . import Templates

TEMPLATE = "consent/notice.html.j2"
STYLESHEET = "consent/notice.css"


def render(facts: AppFacts, lang: str, templates: Templates) -> dict[str, bytes]:
    """File name → bytes of the notice's page and data."""
    notice = consent_notice(facts)
    html = templates.environment(autoescape=True).get_template(TEMPLATE).render(
        n=notice, lang=lang, css=templates.read(STYLESHEET))
    data = json.dumps(notice, ensure_ascii=False, indent=2) + "\n"
    return {"consent-notice.html": html.encode("utf-8"),
            "consent-notice.json": data.encode("utf-8")}
