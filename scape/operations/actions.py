"""Writes of joint operations: incidents, their log, people and links; sharing; patrols.

Every action checks access, writes inside a transaction and records its audit
event there; notifications are rows in the same transaction (e-mail and
webhooks go out on commit).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scape.core import audit
from scape.core.access import access_object, actor_of, can
from scape.core.actions import do_revoke_grant, do_share_record
from scape.core.choices import Action, Role
from scape.core.models import Grant
from scape.directory.models import Organization, Person
from scape.directory.notify import notify_organizations, notify_people
from scape.equipment.actions import do_check_out, do_record_trip
from scape.equipment.choices import VEHICLES
from scape.equipment.queries import get_assets
from scape.operations.choices import (
    PARTNER_TRANSITIONS,
    TRANSITIONS,
    IncidentStatus,
    LinkKind,
    MemberRole,
    PatrolStatus,
    PersonCategory,
    Severity,
    Transport,
)
from scape.operations.models import (
    OPERATORS,
    Incident,
    IncidentLink,
    IncidentPerson,
    IncidentType,
    LogEntry,
    Patrol,
    PatrolMember,
)
from scape.operations.queries import (
    assignable_organizations,
    linkable_label,
    may_move_status,
    may_see_people,
    may_work,
    may_write_log,
)

# Who is told about incidents of their organization: the operational roles.
_NOTIFIED_ROLES = [Role.OFFICER, Role.SPECIALIST, Role.COORDINATOR]


def _check_place(latitude: Any, longitude: Any) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("Give both the latitude and the longitude, or neither."))
    if latitude is not None and not (-90 <= float(latitude) <= 90):
        raise ValidationError({"latitude": _("The latitude is between -90 and 90.")})
    if longitude is not None and not (-180 <= float(longitude) <= 180):
        raise ValidationError({"longitude": _("The longitude is between -180 and 180.")})


def _next_reference(organization: Organization, year: int) -> str:
    prefix = f"{organization.code.upper()}-{year}-"
    count = Incident.objects.filter(organization=organization, reference__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


@transaction.atomic
def do_create_incident(
    *,
    type: IncidentType,
    title: str,
    actor: Any,
    description: str = "",
    occurred_at: datetime.datetime | None = None,
    latitude: Any = None,
    longitude: Any = None,
    address: str = "",
    severity: str = Severity.MEDIUM,
    is_exercise: bool = False,
    involved_organizations: Iterable[Organization] = (),
) -> Incident:
    """Report an incident for the actor's organization, with its own reference number."""
    actor_info = actor_of(actor)
    if actor_info.organization_id is None or not actor_info.has_any(OPERATORS):
        raise PermissionDenied(_("Only officers, specialists and coordinators report incidents."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the incident a title.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    _check_place(latitude, longitude)
    if latitude is None and not (address or "").strip():
        raise ValidationError(_("Pick the place on the map, type its coordinates or an address."))
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(
            {"occurred_at": _("The incident cannot have happened in the future.")}
        )
    # Lock the organization row: two reports at once must not take the same number.
    organization = Organization.objects.select_for_update().get(pk=actor_info.organization_id)
    incident = Incident.objects.create(
        organization=organization,
        reference=_next_reference(organization, timezone.localtime(occurred_at).year),
        type=type,
        title=title,
        description=description,
        occurred_at=occurred_at,
        latitude=latitude,
        longitude=longitude,
        address=address.strip(),
        severity=severity,
        is_exercise=is_exercise,
        created_by=actor,
    )
    involved = [o for o in involved_organizations if o.pk != organization.pk]
    if involved:
        incident.involved_organizations.set(involved)
    audit.record(
        "operations.incident_created",
        obj=incident,
        actor=actor,
        details={"reference": incident.reference, "severity": severity, "exercise": is_exercise},
    )
    return incident


@transaction.atomic
def do_change_status(incident: Incident, status: str, *, actor: Any, outcome: str = "") -> Incident:
    """Move an incident along its workflow; closing it needs an outcome note.

    The owning organization's operators may take any step of the workflow; the
    partner organization the incident is assigned to (through an active share)
    may move it forward: assigned → in progress → closed.
    """
    incident = access_object(Incident, actor, incident.pk, Action.VIEW)
    if not may_move_status(actor, incident):
        raise PermissionDenied(_("You may not change the status of this incident."))
    owner = may_work(actor, incident)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    labels = {
        "old": IncidentStatus(incident.status).label,
        "new": IncidentStatus(status).label if status in IncidentStatus.values else status,
    }
    if status not in TRANSITIONS.get(incident.status, frozenset()):
        raise ValidationError(
            {"status": _("An incident cannot go from “%(old)s” to “%(new)s”.") % labels}
        )
    if not owner and status not in PARTNER_TRANSITIONS.get(incident.status, frozenset()):
        raise ValidationError(
            {
                "status": _(
                    "Only the owning organization may move the incident from “%(old)s” to “%(new)s”."
                )
                % labels
            }
        )
    outcome = (outcome or "").strip()
    if status == IncidentStatus.CLOSED and not outcome:
        raise ValidationError({"outcome": _("Say how the incident ended before closing it.")})
    old = incident.status
    incident.status = status
    fields = ["status"]
    if status == IncidentStatus.CLOSED:
        incident.outcome = outcome
        incident.closed_at = timezone.now()
        fields += ["outcome", "closed_at"]
    elif old == IncidentStatus.CLOSED:
        incident.closed_at = None
        fields.append("closed_at")
    incident.save(update_fields=[*fields, "updated_at"])
    audit.record(
        "operations.incident_status",
        obj=incident,
        actor=actor,
        reason=outcome,
        details={"from": old, "to": status},
    )
    return incident


@transaction.atomic
def do_assign_incident(
    incident: Incident,
    *,
    actor: Any,
    organization: Organization | None = None,
    person: Person | None = None,
) -> Incident:
    """Assign an incident to an organization (the owner or a partner it is shared with) and/or a person."""
    incident = access_object(Incident, actor, incident.pk, Action.CHANGE)
    if person is not None and organization is None:
        organization = person.organization
    if organization is None:
        raise ValidationError({"organization": _("Choose who the incident is assigned to.")})
    if not assignable_organizations(incident).filter(pk=organization.pk).exists():
        raise ValidationError(
            {"organization": _("Share the incident with that organization before assigning it.")}
        )
    if person is not None and (person.organization_id != organization.pk or not person.is_active):
        raise ValidationError({"person": _("Choose an active person of that organization.")})
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(_("A closed incident cannot be assigned; reopen it first."))
    incident.assigned_organization = organization
    incident.assigned_person = person
    fields = ["assigned_organization", "assigned_person"]
    if incident.status == IncidentStatus.REPORTED:
        incident.status = IncidentStatus.ASSIGNED
        fields.append("status")
    incident.save(update_fields=[*fields, "updated_at"])
    audit.record(
        "operations.incident_assigned",
        obj=incident,
        actor=actor,
        recipient=organization.code,
        details={"organization": organization.code, "person": person.pk if person else None},
    )
    params = {"reference": incident.reference, "title": incident.title}
    url = incident.get_absolute_url()
    if person is not None:
        notify_people(
            [person],
            kind="operations-assigned",
            title=gettext_lazy("Incident %(reference)s assigned to you: %(title)s"),
            params=params,
            url=url,
        )
    else:
        notify_organizations(
            [organization],
            kind="operations-assigned",
            title=gettext_lazy("Incident %(reference)s assigned to your organization: %(title)s"),
            params=params,
            url=url,
            roles=_NOTIFIED_ROLES,
            payload={"incident": incident.pk, "reference": incident.reference},
        )
    return incident


@transaction.atomic
def do_add_log_entry(incident: Incident, text: str, *, actor: Any) -> LogEntry:
    """Add an entry to the incident's timeline (owner or a partner it is shared with)."""
    incident = access_object(Incident, actor, incident.pk, Action.VIEW)
    if not may_write_log(actor, incident):
        raise PermissionDenied(_("You may read this incident's log but not write in it."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something in the entry.")})
    organization_id = actor_of(actor).organization_id
    assert organization_id is not None  # may_write_log needs an organization
    entry = LogEntry.objects.create(
        incident=incident,
        author=actor,
        organization_id=organization_id,
        text=text,
    )
    audit.record("operations.log_added", obj=incident, actor=actor, details={"entry": entry.pk})
    return entry


@transaction.atomic
def do_add_person(
    incident: Incident, *, category: str, name: str, actor: Any, details: str = ""
) -> IncidentPerson:
    """Record a person involved in the incident, with their Art. 6 category."""
    incident = access_object(Incident, actor, incident.pk, Action.VIEW)
    if not may_see_people(actor, incident) or not may_write_log(actor, incident):
        raise PermissionDenied(_("You may not record the people involved in this incident."))
    if category not in PersonCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the person's name.")})
    person = IncidentPerson.objects.create(
        incident=incident, category=category, name=name, details=details, added_by=actor
    )
    audit.record(
        "operations.person_added",
        obj=incident,
        actor=actor,
        details={"person": person.pk, "category": category},
    )
    return person


@transaction.atomic
def do_note_people_viewed(incident: Incident, *, actor: Any, count: int) -> None:
    """Record that the actor consulted the people involved (Directive 2016/680 Art. 25)."""
    if count:
        audit.record(
            "operations.people_viewed",
            obj=incident,
            actor=actor,
            reason=_("incident work"),
            details={"count": count},
        )


@transaction.atomic
def do_link_record(incident: Incident, kind: str, object_id: int, *, actor: Any) -> IncidentLink:
    """Link a record of another app the actor may see (evidence, plate hit, asset, flight)."""
    incident = access_object(Incident, actor, incident.pk, Action.VIEW)
    if not may_write_log(actor, incident):
        raise PermissionDenied(_("You may not add links to this incident."))
    if kind not in LinkKind.values:
        raise ValidationError({"kind": _("Choose what to link.")})
    label = linkable_label(actor, kind, object_id)
    if label is None:
        raise ValidationError({"object_id": _("There is no such record that you may see.")})
    link, created = IncidentLink.objects.get_or_create(
        incident=incident,
        kind=kind,
        object_id=object_id,
        defaults={"label": label[:200], "added_by": actor},
    )
    if created:
        audit.record(
            "operations.linked",
            obj=incident,
            actor=actor,
            details={"kind": kind, "object_id": object_id},
        )
    return link


@transaction.atomic
def do_share_incident(
    incident: Incident,
    *,
    grantee: Organization,
    purpose: str,
    expires_at: datetime.datetime,
    include_people: bool = False,
    actor: Any,
) -> Grant:
    """Share an incident with a partner until `expires_at`; tell the partner's people.

    Without `include_people` the grant is stored as redacted_only: the partner
    sees the incident, its log and links, but not the people involved.
    """
    grant = do_share_record(
        incident,
        grantee=grantee,
        purpose=purpose,
        expires_at=expires_at,
        redacted_only=not include_people,
        actor=actor,
    )
    incident.involved_organizations.add(grantee)
    notify_organizations(
        [grantee],
        kind="operations-shared",
        title=gettext_lazy("Incident %(reference)s shared with your organization: %(title)s"),
        params={"reference": incident.reference, "title": incident.title},
        body=purpose,
        url=incident.get_absolute_url(),
        roles=_NOTIFIED_ROLES,
        payload={"incident": incident.pk, "reference": incident.reference},
    )
    return grant


def do_revoke_incident_share(grant: Grant, *, actor: Any) -> Grant:
    """Revoke a share of an incident at once: the partner no longer sees it."""
    return do_revoke_grant(grant, actor=actor)


# ---------------------------------------------------------------------------
# Patrols


def _member_rows(members: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    for member in members:
        person = member["person"]
        if person.pk in seen:
            continue
        seen.add(person.pk)
        if not person.is_active:
            raise ValidationError(
                {"members": _("%(name)s is not active.") % {"name": person.full_name}}
            )
        role = member.get("role") or MemberRole.MEMBER
        transport = member.get("transport") or Transport.FOOT
        if role not in MemberRole.values or transport not in Transport.values:
            raise ValidationError({"members": _("Choose a role and a means of transport.")})
        rows.append({"person": person, "role": role, "transport": transport})
    if not rows:
        raise ValidationError({"members": _("Put at least one person on the team.")})
    if sum(1 for r in rows if r["role"] == MemberRole.LEADER) > 1:
        raise ValidationError({"members": _("A patrol has one leader.")})
    return rows


@transaction.atomic
def do_plan_patrol(
    *,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    members: Iterable[Mapping[str, Any]],
    actor: Any,
    area: dict[str, Any] | None = None,
    route: str = "",
    talk_group: str = "",
    briefing: str = "",
    equipment: Iterable[Any] = (),
) -> Patrol:
    """Plan a patrol of the actor's organization with a team from one or more organizations."""

    actor_info = actor_of(actor)
    if actor_info.organization_id is None or not actor_info.has_any(
        Patrol.access_policy.own[Action.CHANGE]
    ):
        raise PermissionDenied(_("Only officers, specialists and coordinators plan patrols."))
    errors: dict[str, Any] = {}
    if not (title or "").strip():
        errors["title"] = _("Give the patrol a title.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end is after the start.")
    if not area and not (route or "").strip():
        errors["area"] = _("Draw the area on the map or describe the route.")
    if errors:
        raise ValidationError(errors)
    rows = _member_rows(members)
    equipment = list(equipment)
    visible = set(
        get_assets(actor).filter(pk__in=[a.pk for a in equipment]).values_list("pk", flat=True)
    )
    if any(asset.pk not in visible for asset in equipment):
        raise ValidationError({"equipment": _("Choose equipment you may see.")})
    patrol = Patrol.objects.create(
        organization_id=actor_info.organization_id,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        area=area or {},
        route=route,
        talk_group=talk_group,
        briefing=briefing,
        created_by=actor,
    )
    PatrolMember.objects.bulk_create(PatrolMember(patrol=patrol, **row) for row in rows)
    if equipment:
        patrol.equipment.set(equipment)
    audit.record(
        "operations.patrol_planned",
        obj=patrol,
        actor=actor,
        details={
            "members": [r["person"].pk for r in rows],
            "equipment": [a.pk for a in equipment],
        },
    )
    local = timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")
    notify_people(
        [r["person"] for r in rows],
        kind="operations-patrol",
        title=gettext_lazy("You are on the patrol “%(title)s” at %(start)s"),
        params={"title": patrol.title, "start": local},
        url=patrol.get_absolute_url(),
    )
    return patrol


@transaction.atomic
def do_start_patrol(patrol: Patrol, *, actor: Any, check_out: bool = False) -> list[str]:
    """Mark the patrol active; optionally check its equipment out to the team.

    Each asset goes to the leader, or else to the first member, of the asset's
    own organization. Returns the problems met with check-outs (the patrol
    starts anyway; an asset that cannot be checked out is named).
    """
    patrol = access_object(Patrol, actor, patrol.pk, Action.CHANGE)
    if patrol.status != PatrolStatus.PLANNED:
        raise ValidationError(_("Only a planned patrol can start."))
    patrol.status = PatrolStatus.ACTIVE
    patrol.save(update_fields=["status"])
    problems: list[str] = []
    checked: list[int] = []
    if check_out:
        members = list(patrol.members.select_related("person").order_by("role", "id"))
        for asset in patrol.equipment.all():
            holder = next(
                (m.person for m in members if m.person.organization_id == asset.organization_id),
                None,
            )
            if holder is None:
                problems.append(
                    _("%(asset)s: nobody of its organization is on the team.") % {"asset": asset}
                )
                continue
            try:
                with transaction.atomic():
                    do_check_out(asset, holder, patrol.ends_at, actor=actor)
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(getattr(exc, "messages", [str(exc)]))
                problems.append(_("%(asset)s: %(problem)s") % {"asset": asset, "problem": text})
            else:
                checked.append(asset.pk)
    audit.record(
        "operations.patrol_started",
        obj=patrol,
        actor=actor,
        details={"checked_out": checked, "problems": len(problems)},
    )
    return problems


@transaction.atomic
def do_report_patrol(
    patrol: Patrol,
    *,
    report: str,
    actor: Any,
    incidents: Iterable[Incident] = (),
    km: Mapping[int, Any] | None = None,
) -> Patrol:
    """Close a patrol with its report: what was done, incidents created, km per member."""
    patrol = access_object(Patrol, actor, patrol.pk, Action.CHANGE)
    if patrol.status == PatrolStatus.DONE:
        raise ValidationError(_("This patrol already has its report."))
    report = (report or "").strip()
    if not report:
        raise ValidationError({"report": _("Say what the patrol did.")})
    incidents = list(incidents)
    visible = set(
        Incident.objects.restrict(actor, Action.VIEW)
        .filter(pk__in=[i.pk for i in incidents])
        .values_list("pk", flat=True)
    )
    if any(i.pk not in visible for i in incidents):
        raise ValidationError({"incidents": _("Choose incidents you may see.")})
    members = {m.pk: m for m in patrol.members.all()}
    for member_id, value in (km or {}).items():
        member = members.get(int(member_id))
        if member is None or value in (None, ""):
            continue
        try:
            distance = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError({"km": _("Give the distance as a number.")}) from exc
        if distance < 0 or distance > 1000:
            raise ValidationError({"km": _("The distance is between 0 and 1000 km.")})
        member.km = distance
        member.save(update_fields=["km"])
        _record_trip(patrol, member, distance, actor)
    patrol.report = report
    patrol.status = PatrolStatus.DONE
    patrol.save(update_fields=["report", "status"])
    patrol.incidents.add(*incidents)
    audit.record(
        "operations.patrol_reported",
        obj=patrol,
        actor=actor,
        details={"incidents": [i.pk for i in incidents]},
    )
    return patrol


def _record_trip(patrol: Patrol, member: PatrolMember, km: Decimal, actor: Any) -> None:
    """Feed the eco figures: record the km as a trip of the vehicle the member had out."""

    held = (
        patrol.equipment.filter(kind__in=list(VEHICLES))
        .filter(
            checkouts__person=member.person,
            checkouts__checked_out_at__lte=patrol.ends_at,
        )
        .filter(
            Q(checkouts__checked_in_at__isnull=True)
            | Q(checkouts__checked_in_at__gte=patrol.starts_at)
        )
        .first()
    )
    if held is None or not km:
        return
    do_record_trip(
        held,
        member.person,
        started_at=patrol.starts_at,
        ended_at=patrol.ends_at,
        km=km,
        note=_("Patrol: %(title)s") % {"title": patrol.title},
        actor=actor,
    )


def may_change_patrol(user: Any, patrol: Patrol) -> bool:
    """Return whether the user may start or report the patrol."""
    return can(user, Action.CHANGE, patrol)
