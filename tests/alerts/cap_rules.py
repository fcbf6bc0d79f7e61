"""A checker of the CAP 1.2 rules SCAPE's messages must follow (OASIS CAP 1.2, §3).

It parses the XML back with a standard library (defusedxml over ElementTree) and
returns a list of the rules broken; an empty list means the message is valid.
"""

from __future__ import annotations

import re
from typing import Any

from defusedxml import ElementTree as SafeET

NS = "urn:oasis:names:tc:emergency:cap:1.2"

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
IDENTIFIER = re.compile(r"^[^\s,<&]+$")
NUMBER = r"-?\d+(\.\d+)?"
POINT = re.compile(rf"^({NUMBER}),({NUMBER})$")

STATUS = {"Actual", "Exercise", "System", "Test", "Draft"}
MSG_TYPE = {"Alert", "Update", "Cancel", "Ack", "Error"}
SCOPE = {"Public", "Restricted", "Private"}
CATEGORY = {
    "Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport",
    "Infra", "CBRNE", "Other",
}  # fmt: skip
RESPONSE = {
    "Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None",
}  # fmt: skip
URGENCY = {"Immediate", "Expected", "Future", "Past", "Unknown"}
SEVERITY = {"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
CERTAINTY = {"Observed", "Likely", "Possible", "Unlikely", "Unknown"}

# (name, min, max) in schema order; max None = unbounded.
ALERT_ORDER = [
    ("identifier", 1, 1), ("sender", 1, 1), ("sent", 1, 1), ("status", 1, 1),
    ("msgType", 1, 1), ("source", 0, 1), ("scope", 1, 1), ("restriction", 0, 1),
    ("addresses", 0, 1), ("code", 0, None), ("note", 0, 1), ("references", 0, 1),
    ("incidents", 0, 1), ("info", 0, None),
]  # fmt: skip
INFO_ORDER = [
    ("language", 0, 1), ("category", 1, None), ("event", 1, 1), ("responseType", 0, None),
    ("urgency", 1, 1), ("severity", 1, 1), ("certainty", 1, 1), ("audience", 0, 1),
    ("eventCode", 0, None), ("effective", 0, 1), ("onset", 0, 1), ("expires", 0, 1),
    ("senderName", 0, 1), ("headline", 0, 1), ("description", 0, 1), ("instruction", 0, 1),
    ("web", 0, 1), ("contact", 0, 1), ("parameter", 0, None), ("resource", 0, None),
    ("area", 0, None),
]  # fmt: skip
AREA_ORDER = [
    ("areaDesc", 1, 1), ("polygon", 0, None), ("circle", 0, None), ("geocode", 0, None),
    ("altitude", 0, 1), ("ceiling", 0, 1),
]  # fmt: skip


def _local(element: Any) -> str:
    tag = element.tag
    if not tag.startswith("{" + NS + "}"):
        return "!" + tag
    return tag.split("}", 1)[1]


def _check_order(element: Any, order: list[tuple[str, int, int | None]], where: str) -> list[str]:
    errors: list[str] = []
    names = [_local(child) for child in element]
    known = [name for name, _, _ in order]
    for name in names:
        if name not in known:
            errors.append(f"{where}: unexpected element {name}")
    positions = [known.index(name) for name in names if name in known]
    if positions != sorted(positions):
        errors.append(f"{where}: elements out of schema order: {names}")
    for name, low, high in order:
        count = names.count(name)
        if count < low:
            errors.append(f"{where}: missing required {name}")
        if high is not None and count > high:
            errors.append(f"{where}: {name} appears {count} times (at most {high})")
    return errors


def _texts(element: Any, name: str) -> list[str]:
    return [(child.text or "") for child in element if _local(child) == name]


def _check_time(value: str, where: str) -> list[str]:
    if not TIME.match(value):
        return [f"{where}: time {value!r} is not YYYY-MM-DDThh:mm:ss+hh:mm"]
    if value.endswith("-00:00"):
        return [f"{where}: time {value!r} uses -00:00"]
    return []


def _check_enum(values: list[str], allowed: set[str], where: str) -> list[str]:
    return [
        f"{where}: {value!r} is not one of the allowed values"
        for value in values
        if value not in allowed
    ]


def _check_polygon(text: str, where: str) -> list[str]:
    pairs = text.split()
    errors = []
    points = []
    for pair in pairs:
        match = POINT.match(pair)
        if not match:
            return [f"{where}: polygon point {pair!r} is not lat,lon"]
        lat, lon = float(match.group(1)), float(match.group(3))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append(f"{where}: polygon point {pair!r} outside the WGS 84 range")
        points.append(pair)
    if len(points) < 4:
        errors.append(f"{where}: polygon has {len(points)} points (at least 4)")
    if points and points[0] != points[-1]:
        errors.append(f"{where}: polygon is not closed (first != last)")
    return errors


def _check_circle(text: str, where: str) -> list[str]:
    parts = text.split()
    if len(parts) != 2 or not POINT.match(parts[0]):
        return [f"{where}: circle {text!r} is not 'lat,lon radius'"]
    try:
        radius = float(parts[1])
    except ValueError:
        return [f"{where}: circle radius {parts[1]!r} is not a number"]
    return [] if radius >= 0 else [f"{where}: circle radius is negative"]


def validate_cap(xml: bytes) -> list[str]:
    """Return the CAP 1.2 rules the message breaks (empty: valid)."""
    root = SafeET.fromstring(xml)
    if root.tag != "{" + NS + "}alert":
        return [f"root element is {root.tag}, not the CAP 1.2 alert"]
    errors = _check_order(root, ALERT_ORDER, "alert")
    identifier = (_texts(root, "identifier") or [""])[0]
    sender = (_texts(root, "sender") or [""])[0]
    if not IDENTIFIER.match(identifier):
        errors.append(f"alert: identifier {identifier!r} has spaces, commas, < or &")
    if not IDENTIFIER.match(sender):
        errors.append(f"alert: sender {sender!r} has spaces, commas, < or &")
    for sent in _texts(root, "sent"):
        errors += _check_time(sent, "alert/sent")
    errors += _check_enum(_texts(root, "status"), STATUS, "alert/status")
    msg_types = _texts(root, "msgType")
    errors += _check_enum(msg_types, MSG_TYPE, "alert/msgType")
    scopes = _texts(root, "scope")
    errors += _check_enum(scopes, SCOPE, "alert/scope")
    if "Restricted" in scopes and not "".join(_texts(root, "restriction")).strip():
        errors.append("alert: a Restricted message needs a restriction")
    references = _texts(root, "references")
    if set(msg_types) & {"Update", "Cancel", "Ack", "Error"} and not references:
        errors.append("alert: Update/Cancel/Ack/Error without references")
    for group in references:
        for reference in group.split():
            parts = reference.split(",")
            if len(parts) != 3:
                errors.append(f"alert/references: {reference!r} is not sender,identifier,sent")
            else:
                errors += _check_time(parts[2], "alert/references")
    for number, info in enumerate(child for child in root if _local(child) == "info"):
        where = f"info[{number}]"
        errors += _check_order(info, INFO_ORDER, where)
        errors += _check_enum(_texts(info, "category"), CATEGORY, where + "/category")
        errors += _check_enum(_texts(info, "responseType"), RESPONSE, where + "/responseType")
        errors += _check_enum(_texts(info, "urgency"), URGENCY, where + "/urgency")
        errors += _check_enum(_texts(info, "severity"), SEVERITY, where + "/severity")
        errors += _check_enum(_texts(info, "certainty"), CERTAINTY, where + "/certainty")
        for name in ("effective", "onset", "expires"):
            for value in _texts(info, name):
                errors += _check_time(value, f"{where}/{name}")
        for area_number, area in enumerate(child for child in info if _local(child) == "area"):
            area_where = f"{where}/area[{area_number}]"
            errors += _check_order(area, AREA_ORDER, area_where)
            for polygon in _texts(area, "polygon"):
                errors += _check_polygon(polygon, area_where)
            for circle in _texts(area, "circle"):
                errors += _check_circle(circle, area_where)
    return errors
