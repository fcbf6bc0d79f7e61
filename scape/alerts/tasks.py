"""A published notice going out: to the organization's e-mail list and SMS gateway.

Both run in the worker after the publication has committed; each attempt at the
gateway is kept as a webhook delivery of the organization, and a failed e-mail
or post never changes the notice (it is published on its page, in CAP and in
the feed whatever happens here).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

from scape.alerts.cap import cap_bytes
from scape.alerts.choices import State
from scape.alerts.models import Distribution, Notice, NoticeInfo

log = logging.getLogger(__name__)

# One SMS segment of GSM-7 text; longer texts are cut with an ellipsis.
SMS_LIMIT = 160


def sms_text(info: NoticeInfo, link: str) -> str:
    """Return a notice's text in one language as one SMS: headline, description, link."""
    text = info.headline or info.event
    if info.description:
        text = f"{text}: {info.description}"
    room = SMS_LIMIT - len(link) - 1
    if len(text) > room:
        text = text[: max(room - 1, 0)].rstrip() + "…"
    return f"{text} {link}".strip()


def email_text(notice: Notice, page: str, cap: str) -> str:
    """Return the e-mail body: every language's texts one after the other, then the links."""
    blocks = []
    for info in notice.ordered_infos():
        lines = [info.headline or info.event, info.description, info.instruction]
        areas = ", ".join(area.desc_in(info.language) for area in notice.areas.all())
        blocks.append("\n".join(line for line in [*lines, areas] if line))
    return "\n\n---\n\n".join([*blocks, f"{page}\nCAP 1.2: {cap}"])


@task()
def distribute_notice(notice_id: int) -> dict[str, Any]:
    """Send a published notice to its organization's e-mail list and SMS gateway."""
    from scape.directory.tasks import post_signed

    notice = Notice.objects.filter(pk=notice_id).select_related("organization").first()
    if notice is None or notice.state == State.DRAFT:
        return {"status": "gone"}
    channels = Distribution.objects.filter(organization=notice.organization_id).first()
    if channels is None:
        return {"emails": 0, "sms": None}
    base = settings.SCAPE_SITE_URL.rstrip("/")
    page = base + notice.get_absolute_url()
    cap = base + f"/alerts/{notice.identifier}.xml"
    sent = 0
    if channels.addresses:
        infos = notice.ordered_infos()
        subject = " / ".join(dict.fromkeys(i.headline or i.event for i in infos)) or notice.event
        message = EmailMessage(
            subject=f"SCAPE: {subject}"[:250],
            body=email_text(notice, page, cap),
            to=[],
            bcc=channels.addresses,  # the list's members do not see each other
        )
        message.attach(
            f"{notice.identifier}.xml", cap_bytes(notice, base_url=base), "application/cap+xml"
        )
        try:
            sent = message.send()
        except OSError:
            log.exception("notice %s: the e-mail list could not be reached", notice.identifier)
    status = None
    if channels.sms_gateway_url:
        payload = {
            "identifier": notice.identifier,
            "msg_type": notice.msg_type,
            "status": notice.status,
            "sent": notice.reference.split(",")[-1],
            "texts": {info.language: sms_text(info, page) for info in notice.ordered_infos()},
            "page_url": page,
            "cap_url": cap,
        }
        status = post_signed(
            notice.organization,
            "alert-sms",
            channels.sms_gateway_url,
            channels.sms_gateway_secret,
            payload,
        )
    return {"emails": len(channels.addresses) if sent else 0, "sms": status}
