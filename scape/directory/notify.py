"""Notifications: live in the app, by e-mail, and to an organization's signed webhook.

Other apps call `notify_people` or `notify_organizations` inside their actions.
The rows are written in the caller's transaction; e-mail and webhooks are
queued as tasks on commit, so a rolled-back action sends nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from scape.directory.models import Notification, Organization, Person

Text = str | Promise


def _render(text: Text, params: Mapping[str, Any] | None, language: str) -> str:
    with translation.override(language):
        rendered = str(text)
        if params:
            rendered = rendered % {k: str(v) for k, v in params.items()}
    return rendered


def _language_of(person: Person) -> str:
    return person.ui_language or settings.LANGUAGE_CODE


def notify_people(
    people: Iterable[Person],
    *,
    kind: str,
    title: Text,
    params: Mapping[str, Any] | None = None,
    body: Text = "",
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify each person once, in their own language; e-mail them on commit."""
    created: list[Notification] = []
    seen: set[int] = set()
    for person in people:
        if person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        language = _language_of(person)
        created.append(
            Notification.objects.create(
                recipient=person,
                kind=kind,
                title=_render(title, params, language)[:300],
                body=_render(body, params, language) if body else "",
                url=url,
            )
        )
    if email and created:
        ids = [n.pk for n in created]

        def _queue() -> None:
            from scape.directory.tasks import send_notification_emails

            send_notification_emails.enqueue(ids)

        transaction.on_commit(_queue)
    return created


def notify_organizations(
    organizations: Iterable[Organization],
    *,
    kind: str,
    title: Text,
    params: Mapping[str, Any] | None = None,
    body: Text = "",
    url: str = "",
    roles: Iterable[str] | None = None,
    payload: Mapping[str, Any] | None = None,
    email: bool = True,
) -> list[Notification]:
    """Notify the active members of each organization (only those with `roles`, if given).

    Each organization with a webhook also gets `payload` (JSON) posted to it,
    signed with its secret, on commit.
    """
    organizations = list({o.pk: o for o in organizations}.values())
    members = Person.objects.filter(organization__in=organizations, is_active=True)
    if roles is not None:
        members = members.filter(role_assignments__role__in=list(roles))
    notifications = notify_people(
        members.distinct().order_by("pk"),
        kind=kind,
        title=title,
        params=params,
        body=body,
        url=url,
        email=email,
    )
    hooked = [o.pk for o in organizations if o.webhook_url]
    if hooked:
        data = {"event": kind, **(payload or {})}

        def _queue() -> None:
            from scape.directory.tasks import post_webhook

            for pk in hooked:
                post_webhook.enqueue(pk, kind, data)

        transaction.on_commit(_queue)
    return notifications


def sign(secret: str, body: bytes, *, timestamp: str, delivery: str) -> str:
    """Return the X-Scape-Signature value for a webhook body.

    The HMAC covers the X-Scape-Timestamp and X-Scape-Delivery values as well
    as the body (``f"{timestamp}.{delivery}.".encode() + body``), so that a
    receiver that refuses old timestamps and delivery ids it has seen cannot be
    fed a recorded message again.
    """
    message = f"{timestamp}.{delivery}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_body(payload: Mapping[str, Any]) -> bytes:
    """Return the exact bytes posted (and signed) for a payload."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
