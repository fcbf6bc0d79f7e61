"""Write a notice as a CAP 1.2 message and the current notices as an Atom feed.

Both are built with ElementTree, which escapes every text and attribute: a
headline such as ``]]><x>&amp;`` stays text in the XML.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from scape.core.translated import in_language

if TYPE_CHECKING:
    from scape.alerts.models import AreaShape, Notice

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
CAP_CONTENT_TYPE = "application/cap+xml"
ATOM_CONTENT_TYPE = "application/atom+xml"
FEED_LIMIT = 50


def cap_time(moment: datetime.datetime | None, organization: Any) -> str:
    """Return a CAP time, "YYYY-MM-DDThh:mm:ss+hh:mm", in the organization's local offset.

    CAP 1.2 forbids "Z": UTC is written "+00:00", and local time is easier to read.
    """
    if moment is None:
        return ""
    zone = ZoneInfo(organization.display_time_zone)
    return moment.astimezone(zone).replace(microsecond=0).isoformat(timespec="seconds")


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def polygon_text(points: Iterable[Iterable[float]]) -> str:
    """Return "lat,lon lat,lon ..." for a closed polygon."""
    return " ".join(f"{_number(lat)},{_number(lon)}" for lat, lon in points)


def circle_text(shape: AreaShape) -> str:
    """Return "lat,lon radius_km"."""
    return (
        f"{_number(shape.circle_lat or 0)},{_number(shape.circle_lon or 0)} "
        f"{_number(shape.circle_radius_km or 0)}"
    )


def _sub(parent: ET.Element, tag: str, text: str | None = None, ns: str = CAP_NS) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}" if ns else tag)
    if text is not None:
        element.text = text
    return element


def sender_name(notice: Notice, language: str) -> str:
    """Return the sender name, else the organization's name in the language (or English)."""
    if notice.sender_name:
        return notice.sender_name
    return in_language(notice.organization, "name", language)


def build_cap(notice: Notice, *, base_url: str = "") -> ET.Element:
    """Return the <alert> element of the notice, its children in CAP 1.2 schema order."""
    org = notice.organization
    alert = ET.Element(f"{{{CAP_NS}}}alert")
    _sub(alert, "identifier", notice.identifier)
    _sub(alert, "sender", notice.sender)
    # A message not yet sent (a preview) shows the time it is looked at.
    _sub(alert, "sent", cap_time(notice.sent or timezone.now(), org))
    _sub(alert, "status", notice.status)
    _sub(alert, "msgType", notice.msg_type)
    _sub(alert, "scope", notice.scope)
    if notice.scope == "Restricted":
        _sub(alert, "restriction", notice.restriction)
    if notice.references:
        _sub(alert, "references", " ".join(notice.references))
    web = notice.web
    if not web and base_url:
        web = base_url.rstrip("/") + notice.get_absolute_url()
    areas = list(notice.areas.all())
    for info in notice.ordered_infos():
        element = _sub(alert, "info")
        _sub(element, "language", info.language)
        for category in notice.category:
            _sub(element, "category", category)
        _sub(element, "event", info.event or notice.event)
        for response in notice.response_type:
            _sub(element, "responseType", response)
        _sub(element, "urgency", notice.urgency)
        _sub(element, "severity", notice.severity)
        _sub(element, "certainty", notice.certainty)
        for tag in ("effective", "onset", "expires"):
            moment = getattr(notice, tag)
            if moment is not None:
                _sub(element, tag, cap_time(moment, org))
        _sub(element, "senderName", sender_name(notice, info.language))
        _sub(element, "headline", info.headline)
        # Aggregators (Google Public Alerts among them) want a description in
        # every <info>: a block written without one repeats its headline.
        _sub(
            element, "description", info.description or info.headline or info.event or notice.event
        )
        if info.instruction:
            _sub(element, "instruction", info.instruction)
        if web:
            _sub(element, "web", web)
        if notice.contact:
            _sub(element, "contact", notice.contact)
        for area in areas:
            area_element = _sub(element, "area")
            _sub(area_element, "areaDesc", area.desc_in(info.language))
            if area.is_circle:
                _sub(area_element, "circle", circle_text(area))
            elif area.polygon:
                _sub(area_element, "polygon", polygon_text(area.polygon))
    return alert


def cap_bytes(notice: Notice, *, base_url: str = "") -> bytes:
    """Return the notice as a CAP 1.2 XML document (UTF-8)."""
    alert = build_cap(notice, base_url=base_url)
    ET.indent(alert)
    return ET.tostring(alert, encoding="utf-8", xml_declaration=True, default_namespace=CAP_NS)


def atom_bytes(notices: Iterable[Notice], *, base_url: str, language: str, title: str) -> bytes:
    """Return an Atom feed of the notices, each linked to its CAP message."""
    base = base_url.rstrip("/")
    # Atom elements are written unqualified under a default xmlns on <feed>: its
    # links carry plain attributes, which ElementTree's default_namespace refuses.
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    notices = list(notices)
    feed_url = base + reverse("alerts:feed")
    _sub(feed, "id", feed_url, "")
    _sub(feed, "title", title, "")
    newest = max((n.sent for n in notices if n.sent), default=timezone.now())
    _sub(feed, "updated", newest.astimezone(datetime.UTC).isoformat(timespec="seconds"), "")
    ET.SubElement(
        feed,
        "link",
        {"rel": "self", "href": feed_url, "type": ATOM_CONTENT_TYPE},
    )
    ET.SubElement(
        feed,
        "link",
        {"rel": "alternate", "href": base + reverse("alerts:index"), "type": "text/html"},
    )
    author = _sub(feed, "author", None, "")
    _sub(author, "name", "SCAPE", "")
    for notice in notices:
        info = notice.info_for(language)
        entry = _sub(feed, "entry", None, "")
        cap_url = base + reverse("alerts:cap", args=[notice.identifier])
        # An absolute IRI (RFC 4287 4.2.6): the CAP message's own address, which
        # never changes (an update is a new message with its own identifier).
        _sub(entry, "id", cap_url, "")
        title_element = _sub(entry, "title", info.headline if info else notice.event, "")
        if info is not None:
            title_element.set("{http://www.w3.org/XML/1998/namespace}lang", info.language)
        sent = cap_time(notice.sent, notice.organization)
        _sub(entry, "updated", sent, "")
        _sub(entry, "published", sent, "")
        entry_author = _sub(entry, "author", None, "")
        _sub(entry_author, "name", sender_name(notice, language), "")
        ET.SubElement(
            entry,
            "link",
            {
                "rel": "alternate",
                "type": CAP_CONTENT_TYPE,
                "href": cap_url,
            },
        )
        ET.SubElement(
            entry,
            "link",
            {"rel": "related", "type": "text/html", "href": base + notice.get_absolute_url()},
        )
        # Every entry has a summary: the description, else the headline (a
        # reader in this language gets at least what the title says).
        summary = ((info.description or info.headline) if info is not None else "") or notice.event
        summary_element = _sub(entry, "summary", summary[:500], "")
        if info is not None:
            summary_element.set("{http://www.w3.org/XML/1998/namespace}lang", info.language)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
