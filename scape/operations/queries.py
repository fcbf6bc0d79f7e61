"""Reads of joint operations through the access door, and the map's GeoJSON layers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core.access import access_object, actor_of
from scape.core.choices import Action, Role
from scape.core.models import Grant
from scape.directory.models import Organization, Person
from scape.equipment.models import DroneFlight
from scape.equipment.queries import access_asset, get_assets
from scape.operations.choices import SEVERITY_COLORS, IncidentStatus, LinkKind, PatrolStatus
from scape.operations.models import OPERATORS, Incident, IncidentType, Patrol, PatrolMember
from scape.traffic import queries as traffic_queries
from scape.vault.queries import access_item

# Who sees the people involved in an incident (EU Directive 2016/680: the
# categories of data subjects are shown only to those who work the case).
PEOPLE_ROLES_OWNER = frozenset({Role.OFFICER, Role.SPECIALIST, Role.COORDINATOR})
PEOPLE_ROLES_PARTNER = frozenset({Role.OFFICER, Role.COORDINATOR})
# Who writes in an incident's log: the operational roles, owner or partner.
LOG_ROLES = frozenset(
    {Role.OFFICER, Role.SPECIALIST, Role.COORDINATOR, Role.ORG_ADMIN, Role.SYS_ADMIN}
)

# Headquarters of the four partners, for the "organization sites" layer
# (organization addresses carry no coordinates). Keyed by organization code.
PARTNER_SITES: dict[str, tuple[float, float]] = {
    "palanga": (55.9175, 21.0686),
    "klaipeda-police": (55.7096, 21.1360),
    "vp-kurzeme": (56.5083, 21.0128),
    "liepaja-mp": (56.5110, 21.0139),
}


def access_incident(user: Any, pk: Any, action: str = Action.VIEW) -> Incident:
    """Return the incident for `action`, or raise Http404/PermissionDenied."""
    return access_object(Incident, user, pk, action)


def access_patrol(user: Any, pk: Any, action: str = Action.VIEW) -> Patrol:
    """Return the patrol for `action`, or raise Http404/PermissionDenied."""
    return access_object(Patrol, user, pk, action)


def get_incidents(user: Any) -> QuerySet[Incident]:
    """Return the incidents the user may see: their own organization's and shared ones."""
    return Incident.objects.restrict(user, Action.VIEW).select_related(
        "organization", "type", "type__parent", "assigned_organization"
    )


def get_patrols(user: Any) -> QuerySet[Patrol]:
    """Return the patrols the user may see: own organization's and those with a colleague on."""
    return Patrol.objects.restrict(user, Action.VIEW).select_related("organization")


def active_grants(incident: Incident) -> QuerySet[Grant]:
    """Return the active share grants of an incident."""
    return (
        Grant.objects.active(timezone.now())
        .for_model(Incident)
        .filter(object_id=incident.pk)
        .select_related("grantee")
    )


def incident_grant(incident: Incident, pk: Any) -> Grant | None:
    """Return one share grant of the incident, active or not; None for another record's."""
    return Grant.objects.for_record(incident).filter(pk=pk).first()


def assignable_organizations(incident: Incident) -> QuerySet[Organization]:
    """Return the organizations the incident may be assigned to: its owner and the
    partners it is shared with now."""
    return Organization.objects.filter(
        Q(pk=incident.organization_id) | Q(pk__in=active_grants(incident).values("grantee_id"))
    )


def active_incident_types() -> QuerySet[IncidentType]:
    """Return the incident types a new incident may have (reference data, the same for all)."""
    return IncidentType.objects.filter(is_active=True)


def team_candidates(user: Any) -> QuerySet[Person]:
    """Return the people the user may put on a patrol team.

    The active people of every organization, since a joint team crosses the
    border (the plan action decides who may plan); nobody for a user with no role.
    """
    if not actor_of(user).roles:
        return Person.objects.none()
    return Person.objects.filter(is_active=True)


def may_see_people(user: Any, incident: Incident) -> bool:
    """Return whether the user may see the people involved in the incident.

    The owning organization's officers, specialists and coordinators; a partner's
    officers and coordinators when an active grant includes the people (a grant
    made "without people involved" is stored as redacted_only); volunteers never.
    """
    actor = actor_of(user)
    if Role.SYS_ADMIN in actor.roles and not actor.organization_id:
        return False
    if actor.organization_id is None:
        return False
    if actor.organization_id == incident.organization_id:
        return actor.has_any(PEOPLE_ROLES_OWNER)
    if not actor.has_any(PEOPLE_ROLES_PARTNER):
        return False
    return (
        active_grants(incident).filter(grantee=actor.organization_id, redacted_only=False).exists()
    )


def may_write_log(user: Any, incident: Incident) -> bool:
    """Return whether the user may add to the incident's log (owner or partner it is shared with)."""
    actor = actor_of(user)
    if not actor.has_any(LOG_ROLES) or actor.organization_id is None:
        return False
    if actor.organization_id == incident.organization_id:
        return True
    return active_grants(incident).filter(grantee=actor.organization_id).exists()


def may_work(user: Any, incident: Incident) -> bool:
    """Return whether the user may change the incident (status, assignment, links)."""
    return Incident.objects.restrict(user, Action.CHANGE).filter(pk=incident.pk).exists()


def may_move_status(user: Any, incident: Incident) -> bool:
    """Return whether the user may move the incident's status.

    The owning organization's operators (as for any change), and the operators of
    the partner organization the incident is assigned to while it is shared with it.
    """
    if may_work(user, incident):
        return True
    actor = actor_of(user)
    if actor.organization_id is None or not actor.has_any(OPERATORS):
        return False
    if incident.assigned_organization_id != actor.organization_id:
        return False
    return active_grants(incident).filter(grantee=actor.organization_id).exists()


# ---------------------------------------------------------------------------
# Links to records of the other apps, checked through their own queries.


def _evidence_label(user: Any, pk: int) -> str:

    return str(access_item(user, pk))


def _asset_label(user: Any, pk: int) -> str:

    return str(access_asset(user, pk))


def _flight_label(user: Any, pk: int) -> str:
    flight = visible_flights(user).filter(pk=pk).first()
    if flight is None:
        raise Http404
    return f"{flight.asset.tag} {timezone.localtime(flight.started_at):%Y-%m-%d %H:%M} {flight.purpose}"[
        :200
    ]


def _hit_label(user: Any, pk: int) -> str:
    return str(traffic_queries.access_hit(user, pk))


_LABELLERS: dict[str, Callable[[Any, int], str]] = {
    LinkKind.EVIDENCE_ITEM: _evidence_label,
    LinkKind.ASSET: _asset_label,
    LinkKind.DRONE_FLIGHT: _flight_label,
    LinkKind.PLATE_HIT: _hit_label,
}


def linkable_label(user: Any, kind: str, pk: int) -> str | None:
    """Return the label of a record of another app the user may see, or None."""
    labeller = _LABELLERS.get(kind)
    if labeller is None:
        return None
    try:
        return labeller(user, pk)
    except (Http404, PermissionDenied, ObjectDoesNotExist, ValueError):
        return None


def visible_flights(user: Any) -> QuerySet[Any]:
    """Return the drone flights of the assets the user may see."""

    return DroneFlight.objects.filter(asset__in=get_assets(user).values("pk")).select_related(
        "asset", "pilot__user"
    )


def upcoming_patrols(user: Any) -> QuerySet[Patrol]:
    """Return the user's own patrols not yet done, soonest first."""
    return (
        Patrol.objects.filter(members__person__user=user)
        .exclude(status=PatrolStatus.DONE)
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at")
    )


# ---------------------------------------------------------------------------
# The map: GeoJSON layers, each through the access door.


# The most incidents one map layer sends; narrower with the map's area and time window.
MAP_FEATURES = 1000
# A change committed while a poll was being answered is sent again on the next
# poll rather than lost: "changed since" reaches back this far before "as of".
CLOCK_MARGIN = datetime.timedelta(seconds=2)


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _point(lon: Any, lat: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
        "properties": properties,
    }


def incident_features(
    user: Any,
    *,
    since: datetime.datetime | None = None,
    type_id: int | None = None,
    organization_id: int | None = None,
    incident_id: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    changed_since: datetime.datetime | None = None,
    limit: int = MAP_FEATURES,
) -> dict[str, Any]:
    """Return the incidents the user may see that have a place, as GeoJSON.

    ``bbox`` (west, south, east, north) keeps those in the visible map area.
    With ``changed_since`` (the ``as_of`` of the caller's last answer) only the
    incidents changed since then are sent, with the ids of all that are still
    on the map (``ids``), so that a map polled every few seconds receives a
    few features instead of rebuilding a thousand; the caller drops the
    features whose id is gone and asks again in full when an id it never
    received appears (an incident shared with it meanwhile).
    """
    as_of = timezone.now() - CLOCK_MARGIN
    incidents = get_incidents(user).filter(latitude__isnull=False, longitude__isnull=False)
    if bbox is not None:
        west, south, east, north = bbox
        incidents = incidents.filter(
            longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
        )
    if incident_id:
        incidents = incidents.filter(pk=incident_id)
    if since is not None:
        incidents = incidents.filter(occurred_at__gte=since)
    if type_id:
        incidents = incidents.filter(Q(type_id=type_id) | Q(type__parent_id=type_id))
    if organization_id:
        incidents = incidents.filter(organization_id=organization_id)
    incidents = incidents.order_by("-occurred_at", "-pk")[:limit]
    ids: list[int] | None = None
    if changed_since is not None:
        ids = list(incidents.values_list("pk", flat=True))
        incidents = Incident.objects.filter(pk__in=ids, updated_at__gt=changed_since).order_by(
            "-occurred_at", "-pk"
        )
    # Plain values, not models: a first load builds up to a thousand features.
    types = {t.pk: t.name for t in IncidentType.objects.all()}
    statuses = dict(IncidentStatus.choices)
    link = reverse("operations:incident", args=[0])[: -len("0/")]
    zone = timezone.get_current_timezone()
    features = []
    for pk, reference, title, occurred, lat, lon, severity, status, code, type_id, exercise in (
        incidents.values_list(
            "pk", "reference", "title", "occurred_at", "latitude", "longitude", "severity",
            "status", "organization__code", "type_id", "is_exercise",
        )
    ):  # fmt: skip
        when = occurred.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        features.append(
            _point(
                lon,
                lat,
                {
                    "id": pk,
                    "title": f"{reference} {title}",
                    "subtitle": f"{types.get(type_id, '')} · {statuses.get(status, status)} · {when}",
                    "url": f"{link}{pk}/",
                    "color": SEVERITY_COLORS.get(severity, "#b3261e"),
                    "severity": severity,
                    "status": status,
                    "organization": code,
                    "exercise": exercise,
                },
            )
        )
    collection = _collection(features)
    collection["as_of"] = as_of.isoformat()
    if ids is not None:
        collection["delta"] = True
        collection["ids"] = ids
    return collection


def patrol_features(
    user: Any,
    *,
    since: datetime.datetime | None = None,
    organization_id: int | None = None,
    patrol_id: int | None = None,
) -> dict[str, Any]:
    """Return the areas of the patrols the user may see, as GeoJSON."""
    patrols = get_patrols(user).exclude(area={})
    if patrol_id:
        patrols = patrols.filter(pk=patrol_id)
    if since is not None:
        patrols = patrols.filter(ends_at__gte=since)
    if organization_id:
        patrols = patrols.filter(organization_id=organization_id)
    features = []
    for patrol in patrols[:500]:
        area = patrol.area or {}
        for feature in area.get("features", []) if isinstance(area, dict) else []:
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            if not isinstance(geometry, dict):
                continue
            radius = (feature.get("properties") or {}).get("radius")
            when = timezone.localtime(patrol.starts_at).strftime("%Y-%m-%d %H:%M")
            properties: dict[str, Any] = {
                "id": patrol.pk,
                "title": patrol.title,
                "subtitle": f"{patrol.get_status_display()} · {when}",
                "url": patrol.get_absolute_url(),
                "color": "#0b4f8a",
            }
            if radius:
                properties["radius"] = radius
            features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return _collection(features)


def flight_features(user: Any, *, since: datetime.datetime | None = None) -> dict[str, Any]:
    """Return the drone flight tracks the user may see, as GeoJSON lines."""
    flights = visible_flights(user)
    if since is not None:
        flights = flights.filter(ended_at__gte=since)
    features = []
    for flight in flights.order_by("-started_at")[:200]:
        coordinates = []
        for point in flight.track or []:
            try:
                coordinates.append([float(point["lon"]), float(point["lat"])])
            except (KeyError, TypeError, ValueError):
                continue
        if len(coordinates) < 2:
            continue
        when = timezone.localtime(flight.started_at).strftime("%Y-%m-%d %H:%M")
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coordinates},
                "properties": {
                    "id": flight.pk,
                    "title": f"{flight.asset.tag} · {flight.purpose}",
                    "subtitle": when,
                    "url": flight.asset.get_absolute_url(),
                    "color": "#6a1b9a",
                },
            }
        )
    return _collection(features)


def site_features(user: Any) -> dict[str, Any]:
    """Return the partners' headquarters, for anyone with a role."""

    if not actor_of(user).roles:
        return _collection([])
    features = []
    for org in Organization.objects.filter(code__in=list(PARTNER_SITES), is_active=True):
        lat, lon = PARTNER_SITES[org.code]
        features.append(
            _point(
                lon,
                lat,
                {
                    "title": org.name,
                    "subtitle": org.address,
                    "url": org.get_absolute_url(),
                    "color": "#37474f",
                },
            )
        )
    return _collection(features)


def camera_features(user: Any) -> dict[str, Any]:
    """Return the traffic cameras the user may see, as GeoJSON."""
    return _collection(traffic_queries.camera_features(user))


def hit_features(user: Any, *, since: datetime.datetime | None = None) -> dict[str, Any]:
    """Return the plate hits the user may see (by default, of the last day), as GeoJSON."""
    since = since or timezone.now() - datetime.timedelta(days=1)
    return _collection(traffic_queries.hit_features(user, since))


LAYERS = ("incidents", "patrols", "cameras", "hits", "flights", "sites")


def layer_names() -> dict[str, str]:
    """Return the map layers' names in the active language."""
    return {
        "incidents": _("Incidents"),
        "patrols": _("Patrol areas"),
        "cameras": _("Traffic cameras"),
        "hits": _("Plate hits"),
        "flights": _("Drone flights"),
        "sites": _("Organization sites"),
    }


def layer(
    user: Any,
    name: str,
    *,
    since: datetime.datetime | None = None,
    type_id: int | None = None,
    organization_id: int | None = None,
    patrol_id: int | None = None,
    incident_id: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    changed_since: datetime.datetime | None = None,
) -> dict[str, Any]:
    """Return one map layer for the user; raise Http404 for an unknown one.

    ``bbox`` and ``changed_since`` narrow the incidents layer, the one that
    grows (see incident_features); the others are small and sent whole.
    """
    if name == "incidents":
        return incident_features(
            user,
            since=since,
            type_id=type_id,
            organization_id=organization_id,
            incident_id=incident_id,
            bbox=bbox,
            changed_since=changed_since,
        )
    if name == "patrols":
        return patrol_features(
            user, since=since, organization_id=organization_id, patrol_id=patrol_id
        )
    if name == "cameras":
        return camera_features(user)
    if name == "hits":
        return hit_features(user, since=since)
    if name == "flights":
        return flight_features(user, since=since)
    if name == "sites":
        return site_features(user)
    raise Http404


def km_by_transport(patrol: Patrol) -> dict[str, Decimal]:
    """Return the kilometres the team rode, by means of transport (its name, to show)."""
    totals: dict[str, Decimal] = {}
    for member in patrol.members.all():
        if member.km:
            transport = member.get_transport_display()
            totals[transport] = totals.get(transport, Decimal(0)) + member.km
    return totals


# What the reports count (scape.reports.indicators reads operations only here).


def incidents_between(start: datetime.datetime, end: datetime.datetime) -> QuerySet[Incident]:
    """Return the real incidents (exercises left out) that occurred in [start, end)."""
    return Incident.objects.filter(
        occurred_at__gte=start, occurred_at__lt=end, is_exercise=False
    ).select_related("organization", "type__parent")


def all_incidents() -> QuerySet[Incident]:
    """Return every incident, for counting the shared ones through their grants."""
    return Incident.objects.all()


def incident_type_names(pks: list[int]) -> dict[int, str]:
    """Return {incident type id: its full name ("parent / child")}."""
    kinds = IncidentType.objects.select_related("parent").in_bulk(pks)
    return {pk: str(kind) for pk, kind in kinds.items()}


def patrol_teams_between(start: datetime.datetime, end: datetime.datetime) -> dict[int, set[int]]:
    """Return {patrol id: organizations of its owner and members} for patrols starting in
    [start, end)."""
    rows = PatrolMember.objects.filter(
        patrol__starts_at__gte=start, patrol__starts_at__lt=end
    ).values_list("patrol", "patrol__organization", "person__organization")
    teams: dict[int, set[int]] = {}
    for patrol, owner, organization in rows:
        teams.setdefault(patrol, set()).update({owner, organization})
    return teams


def patrols_with(pks: list[int]) -> QuerySet[Patrol]:
    """Return the patrols with these ids."""
    return Patrol.objects.filter(pk__in=pks).select_related("organization")
