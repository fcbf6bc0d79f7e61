"""Notifications: live in the app, by e-mail, and to an organization's signed webhook.

Other apps call `notify_people` or `notify_organizations` inside their actions.
The rows are written in the caller's transaction; e-mail and webhooks are
queued as tasks on commit, so a rolled-back action sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from scape.directory.models import Notification, Organization, Person
from scape.directory.tasks import post_webhook, send_notification_emails

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
    rows: list[Notification] = []
    seen: set[int] = set()
    for person in people:
        if person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        language = _language_of(person)
        rows.append(
            Notification(
                recipient=person,
                kind=kind,
                title=_render(title, params, language)[:300],
                body=_render(body, params, language) if body else "",
                url=url,
            )
        )
    # One INSERT for everyone: a hit shared across the border reaches dozens.
    created = Notification.objects.bulk_create(rows)
    if email and created:
        ids = [n.pk for n in created]

        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
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
            for pk in hooked:
                post_webhook.enqueue(pk, kind, data)

        transaction.on_commit(_queue)
    return notifications
