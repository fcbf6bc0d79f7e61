"""Delivery of notifications outside the app: e-mail and signed webhooks."""

from __future__ import annotations

import secrets
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from scape.directory.models import Notification, Organization, WebhookDelivery
from scape.directory.webhooks import sign, webhook_body


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification to its recipient, when the recipient has an address."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related(
        "recipient__user"
    ):
        user = notification.recipient.user
        address = getattr(user, "email", "") if user is not None else ""
        if not address:
            continue
        link = ""
        if notification.url:
            link = settings.SCAPE_SITE_URL.rstrip("/") + notification.url
        text = "\n\n".join(p for p in (notification.body, link) if p)
        send_mail(
            subject=f"SCAPE: {notification.title}",
            message=text or notification.title,
            from_email=None,
            recipient_list=[address],
            fail_silently=True,
        )
        sent += 1
    return sent


@task()
def post_webhook(organization_id: int, event: str, payload: dict[str, Any]) -> int | None:
    """Post the event to the organization's webhook, signed; record the outcome."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or not organization.webhook_url:
        return None
    return post_signed(
        organization, event, organization.webhook_url, organization.webhook_secret, payload
    )


def post_signed(
    organization: Organization, event: str, url: str, secret: str, payload: dict[str, Any]
) -> int | None:
    """Post ``payload`` to ``url`` signed with ``secret``; record the attempt as a
    WebhookDelivery of the organization and return the HTTP status (None: not sent)."""
    if not url.lower().startswith(("https://", "http://")):
        return None
    body = webhook_body(payload)
    delivery = WebhookDelivery.objects.create(
        organization=organization, event=event, url=url, payload=payload
    )
    if not secret:
        # Unsigned, the receiver could not tell it from a forgery: not sent.
        delivery.error = "no webhook secret set: not sent"
        delivery.save(update_fields=["error"])
        return None
    timestamp = str(int(time.time()))
    nonce = secrets.token_hex(16)
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "SCAPE",
            "X-Scape-Event": event,
            "X-Scape-Timestamp": timestamp,
            "X-Scape-Delivery": nonce,
            "X-Scape-Signature": sign(secret, body, timestamp=timestamp, delivery=nonce),
        },
    )
    try:
        # The URL is set by an organization's administrator or coordinator, not by the public.
        with urllib.request.urlopen(request, timeout=settings.SCAPE_WEBHOOK_TIMEOUT) as response:  # noqa: S310
            delivery.status_code = response.status
            delivery.delivered_at = timezone.now()
    except urllib.error.HTTPError as error:
        delivery.status_code = error.code
        delivery.error = str(error.reason)[:500]
    except (urllib.error.URLError, OSError) as error:
        delivery.error = str(error)[:500]
    delivery.save(update_fields=["status_code", "error", "delivered_at"])
    return delivery.status_code
