"""Areas of notices: checking polygons and circles, reading what the map drew."""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_RADIUS_KM = 500.0
MAX_POINTS = 500


def _coordinate(value: Any, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"areas": _("A point of an area is not a number.")}) from exc
    if not math.isfinite(number) or not low <= number <= high:
        raise ValidationError({"areas": _("A point of an area is outside the map.")})
    return round(number, 6)


def _naming(area: dict[str, Any], desc: str) -> dict[str, Any]:
    """Return the checked area's description, and a saved area's names per language."""
    named: dict[str, Any] = {"area_desc": desc[:200]}
    if area.get("saved"):
        descs = area.get("descs") or {}
        named |= {"saved": True, "descs": {str(k): str(v)[:200] for k, v in descs.items() if v}}
    return named


def clean_area(area: dict[str, Any]) -> dict[str, Any]:
    """Return the area checked: a closed polygon of at least four points, or a circle.

    `area` has "area_desc" and either "polygon" ([[lat, lon], ...]) or
    "circle" ([lat, lon, radius_km]).
    """
    desc = str(area.get("area_desc") or "").strip()
    if not desc:
        raise ValidationError({"areas": _("Describe every area in words.")})
    if area.get("circle"):
        try:
            lat, lon, radius = area["circle"]
        except (TypeError, ValueError) as exc:
            raise ValidationError({"areas": _("A circle needs a centre and a radius.")}) from exc
        radius_km = _coordinate(radius, 0, MAX_RADIUS_KM)
        if radius_km <= 0:
            raise ValidationError({"areas": _("A circle needs a radius above zero.")})
        return {
            **_naming(area, desc),
            "circle": [_coordinate(lat, -90, 90), _coordinate(lon, -180, 180), radius_km],
        }
    raw = area.get("polygon") or []
    if not isinstance(raw, list) or len(raw) > MAX_POINTS:
        raise ValidationError({"areas": _("An area has too many points.")})
    points: list[list[float]] = []
    for point in raw:
        if not isinstance(point, list | tuple) or len(point) != 2:
            raise ValidationError({"areas": _("A point of an area is not a number.")})
        points.append([_coordinate(point[0], -90, 90), _coordinate(point[1], -180, 180)])
    if points and points[0] != points[-1]:
        points.append(list(points[0]))
    if len({tuple(p) for p in points}) < 3:
        raise ValidationError({"areas": _("A polygon needs at least three different corners.")})
    return {**_naming(area, desc), "polygon": points}


def areas_from_geojson(text: str, area_desc: str) -> list[dict[str, Any]]:
    """Return the areas drawn on the map: a GeoJSON FeatureCollection ([lon, lat]; circles
    are Points with properties.radius in metres)."""
    if not (text or "").strip():
        return []
    try:
        data = json.loads(text)
        features = data.get("features", []) if isinstance(data, dict) else []
    except (ValueError, AttributeError) as exc:
        raise ValidationError({"areas": _("The drawn areas could not be read.")}) from exc
    areas: list[dict[str, Any]] = []
    for feature in features:
        geometry = (feature or {}).get("geometry") or {}
        properties = (feature or {}).get("properties") or {}
        desc = properties.get("title") or area_desc
        try:
            if geometry.get("type") == "Polygon":
                ring = geometry["coordinates"][0]
                polygon = [[point[1], point[0]] for point in ring]
                areas.append({"area_desc": desc, "polygon": polygon})
            elif geometry.get("type") == "Point":
                lon, lat = geometry["coordinates"][:2]
                radius_km = float(properties.get("radius") or 0) / 1000
                areas.append({"area_desc": desc, "circle": [lat, lon, radius_km]})
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise ValidationError({"areas": _("The drawn areas could not be read.")}) from exc
    return areas


def area_from_shape(
    shape: Any, area_desc: str, descs: dict[str, str] | None = None
) -> dict[str, Any]:
    """Return the area dict of a saved area (its names per language in ``descs``) or a notice area."""
    named: dict[str, Any] = {"area_desc": area_desc}
    if descs is not None:
        named |= {"saved": True, "descs": descs}
    if shape.is_circle:
        circle = [shape.circle_lat, shape.circle_lon, shape.circle_radius_km]
        return {**named, "circle": circle}
    return {**named, "polygon": shape.polygon}


def shape_fields(area: dict[str, Any]) -> dict[str, Any]:
    """Return the model fields of a checked area."""
    if area.get("circle"):
        lat, lon, radius = area["circle"]
        return {"circle_lat": lat, "circle_lon": lon, "circle_radius_km": radius, "polygon": []}
    return {"polygon": area["polygon"]}
