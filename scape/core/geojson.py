"""Checking drawn areas as RFC 7946 GeoJSON before they are stored and served again.

A patrol or notice area comes from the map's drawing tool (polygons, and
circles as a Point with a ``radius`` in metres) or from an API client. What
is stored is served back as a map layer, so it is checked here: only Point
and Polygon geometries, numbers in range, rings closed with at least four
positions, and polygons wound by the right-hand rule (exterior
counter-clockwise, holes clockwise; RFC 7946 3.1.6), rewound if drawn the
other way.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.http import JsonResponse

# The largest circle the drawing tool may give (metres): a county, not a planet.
MAX_RADIUS_M = 200_000


class AreaError(ValueError):
    """The area is not GeoJSON this system stores; the message says what is wrong."""


def _position(value: Any) -> list[float]:
    if (
        not isinstance(value, list)
        or len(value) not in (2, 3)
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise AreaError("a position is [longitude, latitude]")
    lon, lat = float(value[0]), float(value[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise AreaError("a longitude is -180 to 180 and a latitude -90 to 90")
    return [lon, lat]


def _signed_area(ring: list[list[float]]) -> float:
    """Twice the ring's signed area: positive when counter-clockwise."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))


def _ring(value: Any, *, exterior: bool) -> list[list[float]]:
    if not isinstance(value, list) or len(value) < 4:
        raise AreaError("a polygon ring has at least four positions")
    ring = [_position(p) for p in value]
    if ring[0] != ring[-1]:
        raise AreaError("a polygon ring ends where it starts")
    area = _signed_area(ring)
    if area == 0:
        raise AreaError("a polygon ring encloses an area")
    if (area > 0) != exterior:
        ring.reverse()
    return ring


def _geometry(value: Any, properties: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise AreaError("a feature has a geometry")
    kind = value.get("type")
    coordinates = value.get("coordinates")
    if kind == "Point":
        radius = properties.get("radius")
        if radius is not None and (
            not isinstance(radius, int | float)
            or isinstance(radius, bool)
            or not 0 < radius <= MAX_RADIUS_M
        ):
            raise AreaError(f"a circle's radius is 1 to {MAX_RADIUS_M} metres")
        return {"type": "Point", "coordinates": _position(coordinates)}
    if kind == "Polygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise AreaError("a polygon has at least one ring")
        rings = [_ring(r, exterior=i == 0) for i, r in enumerate(coordinates)]
        return {"type": "Polygon", "coordinates": rings}
    raise AreaError("only polygons and circles can be drawn")


def valid_area(data: Any) -> dict[str, Any]:
    """Return the area as a clean FeatureCollection, or raise AreaError saying what is wrong."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise AreaError("an area is a FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise AreaError("an area is a FeatureCollection")
    clean = []
    for feature in features:
        if not isinstance(feature, dict) or feature.get("type", "Feature") != "Feature":
            raise AreaError("an area holds features")
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise AreaError("a feature's properties are an object")
        geometry = _geometry(feature.get("geometry"), properties)
        clean.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": clean}


def geojson_response(features: list[dict[str, Any]], **members: Any) -> JsonResponse:
    """Return features as a FeatureCollection with GeoJSON's own media type (RFC 7946 12).

    ``members`` are extra top-level members (a map layer's ``as_of``, ``ids``).
    Never cached: a map layer changes while it is open.
    """
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features, **members},
        content_type="application/geo+json",
    )
    response["Cache-Control"] = "no-store"
    return response
