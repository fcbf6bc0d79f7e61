"""The world the ownership walk runs in: the demo data set, shares, personas.

The demo loader makes one of nearly every organization-owned record through
the apps' own actions. On top of it this module shares each shareable record
with one partner organization, adds through actions the few records the demo
does not make (a redaction, an upload, a photo, a maintenance attachment, an
import preview, a court link, a calendar feed), and gives every organization,
and one outsider organization nobody shares anything with, a person in every
role with a logged-in client. Two more kinds of persona see some records and
no others of their kind: a volunteer assigned to the incident and on the
patrol, and a partner organization the evidence item is shared with as
redacted copies only (it is given a redacted copy, and that partner's
custodian a reason to watch it, so the walk reaches the bytes it is served).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.utils import timezone

from scape.core import demo
from scape.core.access import can
from scape.core.actions import do_revoke_grant, do_share_record
from scape.core.choices import Action, Role
from scape.core.models import Grant
from scape.core.testing import bomb_png, login
from scape.directory.models import Organization
from scape.directory.testing import make_org, make_person

ROLES = (
    Role.OFFICER,
    Role.SPECIALIST,
    Role.VOLUNTEER,
    Role.COORDINATOR,
    Role.CUSTODIAN,
    Role.AUDITOR,
    Role.ORG_ADMIN,
)
OUTSIDER = "walk-outsider"
REDACTED = "walk-redacted"


@dataclass
class World:
    """Records by name, who owns them, who they are shared with, and personas."""

    objects: dict[str, models.Model] = field(default_factory=dict)
    owner: dict[str, Organization] = field(default_factory=dict)
    partner: dict[str, Organization] = field(default_factory=dict)
    revoked: dict[str, Organization] = field(default_factory=dict)
    expired: dict[str, Organization] = field(default_factory=dict)
    # record -> the volunteer it is assigned to (an incident, a patrol they are on)
    assigned: dict[str, Any] = field(default_factory=dict)
    # record -> the organization it is shared with as redacted copies only
    redacted: dict[str, Organization] = field(default_factory=dict)
    people: dict[tuple[str, str], Any] = field(default_factory=dict)
    clients: dict[tuple[str, str], Client] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    orgs: list[Organization] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.objects[name] if name in self.objects else self.extra[name]

    def person(self, org: Organization, role: str) -> Any:
        return self.people[(org.code, role)]

    def client(self, org: Organization, role: str) -> Client:
        return self.clients[(org.code, role)]

    @property
    def outsider(self) -> Organization:
        return self.orgs[-1]


def door(user: Any, obj: Any, action: str = Action.VIEW) -> bool:
    """Return whether the access door lets `user` do `action` to `obj`."""
    manager = type(obj)._default_manager
    return bool(manager.restrict(user, action).filter(pk=obj.pk).exists())


def _org_of(obj: models.Model) -> Organization:
    policy = obj.access_policy  # type: ignore[attr-defined]
    path = policy.org_field
    if getattr(policy, "activity_path", ""):
        path = f"{policy.activity_path}__organization"
    if path == "pk":
        return obj  # type: ignore[return-value]
    value: Any = obj
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def _sharer(world: World, obj: models.Model, org: Organization) -> Any:
    for role in (Role.ORG_ADMIN, Role.COORDINATOR, Role.CUSTODIAN, Role.OFFICER):
        user = world.person(org, role).user
        if can(user, Action.SHARE, obj):
            return user
    raise AssertionError(f"nobody in {org.code} may share {obj!r}")


def _share_for_a_week(obj: Any, partner: Organization, sharer: Any, **grant: Any) -> Grant:
    return do_share_record(
        obj,
        grantee=partner,
        purpose="Ownership walk",
        expires_at=timezone.now() + timedelta(days=7),
        allow_download=True,
        actor=sharer,
        **grant,
    )


def _add(world: World, name: str, obj: Any, *, share: bool = False) -> Any:
    """Name a record; with `share`, share it with the next organization for a week.

    The two organizations after that get a share too, one revoked and one expired.
    """
    assert obj is not None, f"the demo made no {name}"
    world.objects[name] = obj
    if hasattr(obj, "access_policy"):
        owner = _org_of(obj)
        world.owner[name] = owner
        partners = [o for o in world.orgs[:-1] if o.pk != owner.pk]
        world.partner[name] = partners[0]
        if share:
            sharer = _sharer(world, obj, owner)
            grants = [_share_for_a_week(obj, partner, sharer) for partner in partners[:3]]
            world.extra[f"{name}_grant"] = grants[0]
            # A share revoked, and one that ran out: both open nothing any more.
            do_revoke_grant(grants[1], actor=sharer)
            world.revoked[name] = partners[1]
            Grant.objects.filter(pk=grants[2].pk).update(expires_at=timezone.now())
            world.expired[name] = partners[2]
    return obj


def build() -> World:
    """Load the demo, add personas, shares and the records the demo lacks."""
    from scape.activities.actions import do_get_calendar_feed
    from scape.activities.models import (
        Activity,
        Attendance,
        Certificate,
        Registration,
        Session,
    )
    from scape.alerts import demo as alerts_demo
    from scape.alerts.actions import do_create_notice
    from scape.alerts.areas import area_from_shape
    from scape.alerts.models import Notice, SavedArea
    from scape.directory.models import Person
    from scape.directory.notify import notify_people
    from scape.equipment.actions import (
        do_add_asset_photo,
        do_create_schedule,
        do_record_maintenance,
    )
    from scape.equipment.actions.imports import do_stage_import
    from scape.equipment.models import Asset, DroneFlight
    from scape.operations.models import Incident, Patrol
    from scape.reports.models import Indicator
    from scape.traffic.actions import do_preview_hotlist_import, do_record_read
    from scape.traffic.models import Hit, HotlistEntry, SpeedSection, TrafficCamera
    from scape.vault.actions import do_create_external_link
    from scape.vault.actions.redaction import do_start_redaction
    from scape.vault.actions.uploads import do_create_upload
    from scape.vault.media import produce
    from scape.vault.models import Case, EvidenceItem

    demo.load_all()
    world = World()
    world.orgs = [*Organization.objects.order_by("code"), make_org(OUTSIDER, country="LV")]
    for org in world.orgs:
        for role in ROLES:
            _persona(world, org, role)

    # Vault: the demo case and its first clip, each shared on its own.
    item = _add(world, "item", EvidenceItem.objects.order_by("pk").first(), share=True)
    world.extra["other_item"] = EvidenceItem.objects.exclude(pk=item.pk).order_by("pk").first()
    _add(world, "case", Case.objects.order_by("pk").first(), share=True)
    custodian = world.person(world.owner["item"], Role.CUSTODIAN).user
    produce(item)  # the thumbnail and playable copy a media task would make
    world.extra["redaction"] = do_start_redaction(item, actor=custodian)
    from scape.vault.exports import build_case_export, do_start_case_export

    export = do_start_case_export(world["case"], actor=custodian, reason="ownership walk")
    build_case_export.call(export.pk)
    export.refresh_from_db()
    world.extra["export"] = export
    from scape.core.downloads import do_start_download, prepare_download

    asker = world.person(world.orgs[0], Role.COORDINATOR).user
    params = {"period": "year", "year": "2025", "fmt": "csv"}
    download = do_start_download("reports.export", params, actor=asker)
    prepare_download.call(download.pk)
    download.refresh_from_db()
    world.extra["download"] = download
    world.extra["upload"] = do_create_upload(
        custodian, name="walk.mp4", length=100, metadata={"filename": "walk.mp4"}
    )
    _link, token = do_create_external_link(
        item,
        recipient="Klaipėda district court",
        purpose="Ownership walk",
        expires_at=timezone.now() + timedelta(days=7),
        actor=custodian,
    )
    world.extra["link_token"] = token
    _share_redacted_only(world, "item")

    # Equipment: the drone that flew, with a photo, a maintenance record and a schedule.
    flight = DroneFlight.objects.order_by("pk").first()
    assert flight is not None
    asset = _add(world, "asset", Asset.objects.get(pk=flight.asset_id), share=True)
    world.extra["flight"] = flight
    desk = world.person(asset.organization, Role.COORDINATOR).user
    world.extra["photo"] = do_add_asset_photo(
        asset, SimpleUploadedFile("walk.png", bomb_png(4, 4), "image/png"), actor=desk
    )
    world.extra["maintenance"] = do_record_maintenance(
        asset,
        kind="inspection",
        description="Ownership walk",
        attachment=SimpleUploadedFile("walk.txt", b"checked", "text/plain"),
        actor=desk,
    )
    world.extra["schedule"] = do_create_schedule(
        asset, kind="inspection", every_days=90, actor=desk
    )
    # The same records of another organization's asset, for URLs that mix the two.
    other = Asset.objects.exclude(organization=asset.organization).order_by("pk").first()
    assert other is not None
    other_desk = world.person(other.organization, Role.COORDINATOR).user
    world.extra["other_photo"] = do_add_asset_photo(
        other, SimpleUploadedFile("other.png", bomb_png(4, 4), "image/png"), actor=other_desk
    )
    world.extra["other_maintenance"] = do_record_maintenance(
        other,
        kind="inspection",
        description="Ownership walk",
        attachment=SimpleUploadedFile("other.txt", b"checked", "text/plain"),
        actor=other_desk,
    )
    world.extra["other_schedule"] = do_create_schedule(
        other, kind="inspection", every_days=90, actor=other_desk
    )
    world.extra["import"] = do_stage_import(
        desk, asset.organization, "walk.csv", b"tag,kind,make\nWALK-1,body_camera,Walk\n"
    )

    # Traffic.
    camera = TrafficCamera.objects.order_by("pk").first()
    assert camera is not None
    _add(world, "camera", camera)
    _add(
        world,
        "read",
        do_record_read(
            organization=camera.organization,
            camera=camera,
            time=timezone.now(),
            plate="WLK123",
            confidence=0.9,
            source="cli",
            image=bomb_png(4, 4),
            image_ext="png",
            actor=world.person(camera.organization, Role.COORDINATOR).user,
        ),
    )
    entry = _add(world, "entry", HotlistEntry.objects.order_by("pk").first())
    world.extra["entry_grant"] = entry_grant = _grant_of(entry)
    world.partner["entry"] = entry_grant.grantee
    _add(world, "hit", Hit.objects.order_by("pk").first())
    keeper = world.person(entry.organization, Role.COORDINATOR).user
    _add(
        world,
        "hotlist_import",
        do_preview_hotlist_import(
            entry.organization,
            actor=keeper,
            data=b"plate;reason;valid until\nWLK999;stolen;2099-01-01\n",
            file_name="walk.csv",
            list_name="walk",
            mode="merge",
        ),
    )
    _add(world, "section", SpeedSection.objects.order_by("pk").first())

    # Activities: the programme's activities are seen by every partner.
    activity = _add(
        world, "activity", Activity.objects.exclude(status="draft").order_by("pk").first()
    )
    _add(world, "session", Session.objects.filter(activity=activity).order_by("pk").first())
    _add(world, "registration", Registration.objects.order_by("pk").first())
    _add(world, "attendance", Attendance.objects.order_by("pk").first())
    _add(world, "certificate", Certificate.objects.order_by("pk").first())
    organizer = world.person(activity.organization, Role.COORDINATOR)
    world.extra["feed"] = do_get_calendar_feed(organizer, actor=organizer.user)

    # Operations.
    incident = Incident.objects.order_by("pk").first()
    _add(world, "incident", incident, share=True)
    _add(world, "patrol", Patrol.objects.order_by("pk").first())
    _assign_volunteers(world)

    # Alerts: the demo's notice is published (public); a draft is its organization's only.
    published = Notice.objects.order_by("pk").first()
    assert published is not None
    world.extra["published_notice"] = published
    author = world.person(published.organization, Role.COORDINATOR).user
    _add(
        world,
        "notice",
        do_create_notice(
            published.organization,
            actor=author,
            infos=alerts_demo.TEXTS,
            areas=[area_from_shape(SavedArea.objects.order_by("pk").first(), "Walk")],
            category=["Safety"],
            event="Ownership walk",
            urgency="Immediate",
            severity="Minor",
            certainty="Observed",
        ),
    )

    # Directory, reports.
    subject = _add(
        world,
        "person",
        Person.objects.exclude(user__username__startswith="walk.").order_by("pk").first(),
        share=True,
    )
    _add(world, "organization", world.orgs[0])
    reader = world.person(subject.organization, Role.OFFICER)
    (world.extra["notification"],) = notify_people(
        [reader], kind="walk", title="Ownership walk", url="/", email=False
    )
    world.extra["indicator"] = Indicator.objects.order_by("pk").first()
    return world


def _persona(world: World, org: Organization, role: str, name: str = "") -> Any:
    """Make a person of `org` in `role` with a logged-in client, known by `name` (the role)."""
    name = name or role
    person = make_person(org, [role], username=f"walk.{org.code}.{name}")
    world.people[(org.code, name)] = person
    world.clients[(org.code, name)] = login(Client(), person.user)
    return person


def _share_redacted_only(world: World, name: str) -> None:
    """Share the record with one more partner, as redacted copies only, and give it one.

    The partner's custodian gives a reason to watch it, so the stream answers
    with bytes (the redacted copy's, the rule says) rather than asking first.
    """
    from tests.vault.conftest import add_redacted

    obj = world[name]
    org = make_org(REDACTED, country="LV")
    for role in ROLES:
        _persona(world, org, role)
    _share_for_a_week(obj, org, _sharer(world, obj, world.owner[name]), redacted_only=True)
    world.redacted[name] = org
    add_redacted(obj)
    watcher = world.client(org, Role.CUSTODIAN)
    answer = watcher.post(f"/vault/items/{obj.pk}/play/", {"reason": "Ownership walk"})
    assert answer.status_code == 302, answer


def _assign_volunteers(world: World) -> None:
    """Assign the incident to a volunteer of its organization; put one on the patrol's team.

    Each is a second volunteer of the record's own organization (the walk's
    volunteer persona stays one with nothing assigned), and the patrol's is of
    the patrol's organization, so the team widens the patrol to nobody new.
    """
    from scape.operations.actions import do_assign_incident
    from scape.operations.models import PatrolMember

    def volunteer(org: Organization) -> Any:
        if (org.code, "assigned") not in world.people:
            _persona(world, org, Role.VOLUNTEER, "assigned")
        return world.person(org, "assigned")

    incident = world["incident"]
    owner = world.owner["incident"]
    person = volunteer(owner)
    do_assign_incident(incident, person=person, actor=world.person(owner, Role.OFFICER).user)
    world.assigned["incident"] = person
    patrol = world["patrol"]
    person = volunteer(world.owner["patrol"])
    # The team is set when a patrol is planned; the demo's is planned already.
    PatrolMember.objects.create(patrol=patrol, person=person)
    world.assigned["patrol"] = person


def _grant_of(obj: models.Model) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from scape.core.models import Grant

    grant = (
        Grant.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .order_by("pk")
        .first()
    )
    assert grant is not None, f"the demo did not share {obj!r}"
    return grant
