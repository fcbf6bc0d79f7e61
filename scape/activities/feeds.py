"""Calendar feeds (iCalendar) and contact cards (vCard) of activities."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from icalendar import Calendar, Event

from scape.activities.models import Activity, ContactCard


def calendar(activities: Iterable[Activity], *, name: str) -> bytes:
    """Return an iCalendar (RFC 5545) document with an event per activity."""
    cal = Calendar()
    cal.add("prodid", "-//SCAPE//activities//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    site = settings.SCAPE_SITE_URL.rstrip("/")
    host = site.split("//", 1)[-1].split("/", 1)[0] or "scape"
    now = datetime.datetime.now(datetime.UTC)
    for activity in activities:
        event = Event()
        event.add("uid", f"activity-{activity.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", activity.starts_at)
        event.add("dtend", activity.ends_at)
        event.add("summary", activity.title)
        if activity.description:
            event.add("description", activity.description)
        location = ", ".join(p for p in (activity.address, activity.city) if p)
        if location:
            event.add("location", location)
        if activity.latitude is not None and activity.longitude is not None:
            event.add("geo", (float(activity.latitude), float(activity.longitude)))
        event.add("url", site + activity.get_absolute_url())
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def _escape(value: str) -> str:
    """Escape a vCard text value (RFC 6350 3.4); a CR LF or lone CR from a form is a line break."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str, limit: int = 75) -> str:
    """Fold a content line at ``limit`` octets (RFC 6350 3.2), never inside a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode())
        # Continuation lines start with a space, which counts towards their limit.
        if size + octets > (limit if not parts else limit - 1):
            parts.append(current)
            current, size = "", 0
        current += char
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)


def vcards(cards: Iterable[ContactCard], *, email_of: Any = None) -> str:
    """Return vCard 3.0 text with a card per contact (name, organization, phone, e-mail, notes)."""
    lines: list[str] = []
    for card in cards:
        person = card.person
        user = person.user
        lines += [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{_escape(user.last_name)};{_escape(user.first_name)};;;",
            f"FN:{_escape(person.full_name)}",
            f"ORG:{_escape(person.organization.name)}",
        ]
        title = card.role or person.position
        if title:
            lines.append(f"TITLE:{_escape(title)}")
        if person.phone:
            lines.append(f"TEL;TYPE=WORK,VOICE:{_escape(person.phone)}")
        if user.email:
            lines.append(f"EMAIL;TYPE=INTERNET:{_escape(user.email)}")
        if person.languages:
            lines.append("X-SCAPE-LANGUAGES:" + _escape(",".join(person.languages)))
        radio = " / ".join(p for p in (person.radio_call_sign, card.talk_group) if p)
        if radio:
            lines.append(f"X-SCAPE-RADIO:{_escape(radio)}")
        if card.topics:
            lines.append(f"NOTE:{_escape(card.topics.strip())}")
        lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)
