"""The ownership walk's table: how to call every route, and what it is for.

Adding a view? Add its route here, by its pattern as the resolver spells it
(the walk's failure names it): the world record its URL needs, the role it
is for and the action a POST to it needs. A route for anonymous visitors
goes in PUBLIC, and one the walk cannot call in EXEMPT, each with why.
tests/core/test_ownership_walk.py then checks the access rule on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scape.core.access import actor_of
from scape.core.choices import Action, Role
from scape.equipment.queries import may_check_in, may_check_out
from scape.operations.queries import may_see_people, may_write_log
from tests.core.walk_world import World, door

KW = Callable[[World], dict[str, Any]]
# Who may do a write, when the policy's action does not say it: (user, record) -> bool.
Rule = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Route:
    """How to call one route and what it is for.

    obj: the world record in the URL whose visibility decides 404; None for
      a page with no record (a list, a form for a new record).
    of: the world record whose organization the personas belong to, when
      there is no `obj` (default: `obj`).
    kwargs: the URL's arguments (default: {"pk": obj.pk}).
    role: the role the page is for; the owner persona has it.
    ok: the status the owner's GET gets.
    write: the action a POST needs (see scape.core.choices.Action); a POST
      by every persona that may not do it must be refused and change nothing.
    public: the status an anonymous visitor gets, for a page meant for them.
    visible: who may see the record, when the door of `obj` does not say it.
    method: how a write is sent (an API record is changed with PATCH).
    lists: for an API list, the world record whose kind it lists: it must
      return only what the door lets the persona see.
    query: a query string the page needs (a reason for consulting plates).
    machine: an endpoint for programs, not people: an anonymous caller is
      refused (401/403) rather than sent to the login page.
    listed: records an API list shows everyone besides what the door shows.
    refused: roles of the owner's organization the page is not for: they get
      403, and a POST from them changes nothing.
    foreign: URL arguments naming the owner's record with a second record
      (a grant, a photo) that is not its own: even the owner gets 404.
    data: a well-formed body for the write, so that a refusal is checked past
      the validation of the input (an API validates it first).
    original: the page shows what is cut from the original (a thumbnail, the
      frames a redaction is reviewed on): a partner shown redacted copies
      only gets 404, as for a record they cannot see.
    """

    obj: str | None = None
    of: str | None = None
    kwargs: KW | None = None
    role: str = Role.COORDINATOR
    ok: int = 200
    write: str | Rule | None = None
    public: int | None = None
    visible: Callable[[World, Any], bool] | None = None
    method: str = "post"
    lists: str | None = None
    query: str = ""
    machine: bool = False
    listed: Callable[[World], set[Any]] | None = None
    refused: tuple[str, ...] = ()
    foreign: KW | None = None
    original: bool = False
    data: dict[str, str] | None = None


def pk(record: str, /, **more: Callable[[World], Any]) -> KW:
    """Return URL arguments: the named record's pk, and more computed from the world."""

    def kwargs(world: World) -> dict[str, Any]:
        found = {"pk": world[record].pk}
        found.update({key: make(world) for key, make in more.items()})
        return found

    return kwargs


def _published_notices(world: World) -> set[Any]:
    from scape.alerts.models import Notice
    from scape.alerts.queries import SENT_STATES

    return set(Notice.objects.filter(state__in=SENT_STATES).values_list("pk", flat=True))


def _recipient_only(world: World, user: Any) -> bool:
    return bool(world["notification"].recipient.user_id == user.pk)


def _is_recipient(user: Any, obj: Any) -> bool:
    return bool(obj.recipient.user_id == user.pk)


def _uploader_only(world: World, user: Any) -> bool:
    return bool(world["upload"].created_by_id == user.pk)


def _exporter_only(world: World, user: Any) -> bool:
    return bool(world["export"].created_by_id == user.pk)


def _downloader_only(world: World, user: Any) -> bool:
    return bool(world["download"].created_by_id == user.pk)


def _importer_only(world: World, user: Any) -> bool:
    return bool(world["import"].uploaded_by_id == user.pk)


def _own_org_member(user: Any, obj: Any) -> bool:
    """Records of use (readings, trips, flights) are kept by the asset's own organization."""
    return bool(door(user, obj) and actor_of(user).organization_id == obj.organization_id)


def _may_check_out(user: Any, obj: Any) -> bool:
    return door(user, obj) and may_check_out(user, obj)


def _may_check_in(user: Any, obj: Any) -> bool:
    return door(user, obj) and may_check_in(user, obj)


def _may_record_people(user: Any, obj: Any) -> bool:
    """Recording a person involved needs to see the people and to write the log."""
    return door(user, obj) and may_see_people(user, obj) and may_write_log(user, obj)


PERSON_INVOLVED = {"category": "witness", "name": "Ownership walk"}


def _own_org_person(world: World, user: Any) -> bool:
    """The custody page is for people of the equipment's own organization."""
    person = world["person"]
    return door(user, person) and actor_of(user).organization_id == person.organization_id


C, OF, CU, AU, ADM = Role.COORDINATOR, Role.OFFICER, Role.CUSTODIAN, Role.AUDITOR, Role.ORG_ADMIN
V, CH, SH, DL, DEL = Action.VIEW, Action.CHANGE, Action.SHARE, Action.DOWNLOAD, Action.DELETE
SP, VO = Role.SPECIALIST, Role.VOLUNTEER
NOT_AUDITORS = (OF, SP, VO, C, CU, ADM)
# Only the equipment desk, traffic managers and organizers (coordinators and
# organization administrators) make new assets, cameras and activities.
NOT_MANAGERS = (OF, SP, VO, CU, AU)


def on_item(**fields: Any) -> Route:
    """Return a route of the vault item in the world, for its custodian."""
    return Route(obj="item", role=CU, **fields)


def on_asset(**fields: Any) -> Route:
    """Return a route of the drone in the world, for its equipment desk."""
    return Route(obj="asset", role=C, **fields)


# Every route, by its pattern as the resolver spells it.
ROUTES: dict[str, Route] = {
    # core and directory
    "": Route(of="person", role=OF),
    "people/": Route(of="person", role=ADM),
    "people/<int:pk>/": Route(obj="person", role=ADM),
    "people/<int:pk>/edit/": Route(obj="person", role=ADM, write=CH),
    "people/<int:pk>/deactivate/": Route(obj="person", role=ADM, write=DEL),
    "people/<int:pk>/reset-2fa/": Route(obj="person", role=ADM, write=CH, ok=405),
    "people/<int:pk>/share/": Route(obj="person", role=ADM, write=SH),
    "people/<int:pk>/share/<int:grant_pk>/revoke/": Route(
        obj="person",
        role=ADM,
        write=SH,
        ok=405,
        kwargs=pk("person", grant_pk=lambda w: w["person_grant"].pk),
        foreign=pk("person", grant_pk=lambda w: w["incident_grant"].pk),
    ),
    "organizations/": Route(of="person", role=OF),
    "organizations/<int:pk>/": Route(obj="organization", role=OF),
    "notifications/": Route(of="person", role=OF),
    "notifications/live/": Route(of="person", role=OF),
    "notifications/read/": Route(of="person", role=OF, ok=405),
    "notifications/<int:pk>/": Route(
        obj="notification",
        of="person",
        role=OF,
        visible=_recipient_only,
        kwargs=pk("notification"),
        ok=302,
    ),
    # Closing a pop-up is the recipient's own: anyone else's is a 404.
    "notifications/<int:pk>/dismiss/": Route(
        obj="notification",
        of="person",
        role=OF,
        visible=_recipient_only,
        kwargs=pk("notification"),
        write=_is_recipient,
        ok=405,
    ),
    "profile/": Route(of="person", role=OF),
    "profile/password/": Route(of="person", role=OF),
    "audit/": Route(of="person", role=AU, refused=NOT_AUDITORS),
    "audit/export.csv": Route(of="person", role=AU, refused=NOT_AUDITORS),
    # Each person's own prepared files: the list is everyone's, a file only its asker's.
    "downloads/": Route(of="person", role=OF),
    "downloads/list/": Route(of="person", role=OF),
    "downloads/<int:pk>/file/": Route(
        obj="download", role=C, visible=_downloader_only, kwargs=pk("download")
    ),
    # vault
    "vault/": Route(of="item", role=CU),
    # One step on many items: each item's own action checks it (tests/vault/test_bulk.py).
    "vault/bulk/": Route(of="item", role=CU, ok=405, refused=(VO, AU, SP, OF)),
    "vault/items/<int:pk>/": on_item(),
    "vault/items/<int:pk>/category/": on_item(write=CH, ok=405),
    "vault/items/<int:pk>/describe/": on_item(write=CH, ok=405),
    "vault/items/<int:pk>/hold/": on_item(write=CH, ok=405),
    "vault/items/<int:pk>/case/": on_item(write=CH, ok=405),
    "vault/items/<int:pk>/restore/": on_item(write=CH, ok=405),
    "vault/items/<int:pk>/custody.<str:fmt>": on_item(kwargs=pk("item", fmt=lambda w: "csv")),
    "vault/<str:kind>/<int:pk>/share/": on_item(write=SH, kwargs=pk("item", kind=lambda w: "item")),
    "vault/<str:kind>/<int:pk>/share/<int:grant_pk>/revoke/": on_item(
        write=SH,
        ok=405,
        kwargs=pk("item", kind=lambda w: "item", grant_pk=lambda w: w["item_grant"].pk),
        foreign=pk("item", kind=lambda w: "item", grant_pk=lambda w: w["case_grant"].pk),
    ),
    "vault/<str:kind>/<int:pk>/link/": on_item(write=SH, kwargs=pk("item", kind=lambda w: "item")),
    "vault/cases/": Route(of="item", role=CU),
    "vault/cases/<int:pk>/": Route(obj="case", role=CU),
    "vault/cases/<int:pk>/export/": Route(obj="case", role=CU, write=DL, ok=405),
    "vault/cases/<int:pk>/play/": Route(obj="case", role=CU),
    "vault/cases/<int:pk>/exports/": Route(obj="case", role=CU),
    # Only the person who asked for an export downloads it.
    "vault/exports/<int:pk>/download/": Route(
        obj="export", role=CU, visible=_exporter_only, kwargs=pk("export")
    ),
    "vault/retention/": Route(of="item", role=CU, refused=(OF, SP, VO, C, AU)),
    "vault/upload/": Route(of="item", role=CU, refused=(SP, VO, AU)),
    "vault/uploads/": Route(of="item", role=CU, machine=True),
    "vault/uploads/<uuid:upload_id>/": Route(
        obj="upload",
        role=CU,
        visible=_uploader_only,
        kwargs=lambda w: {"upload_id": w["upload"].pk},
        machine=True,
    ),
    "vault/items/<int:pk>/play/": on_item(),
    # Watching needs a reason given first (on the play page): 403 until then.
    "vault/items/<int:pk>/stream/": on_item(ok=403),
    "vault/items/<int:pk>/thumbnail/": on_item(original=True),
    "vault/items/<int:pk>/download/": on_item(),
    "vault/items/<int:pk>/jobs/": on_item(),
    "vault/items/<int:pk>/redact/": on_item(write=CH, ok=405),
    "vault/redactions/<int:pk>/": on_item(kwargs=pk("redaction"), original=True),
    "vault/redactions/<int:pk>/frames/<int:frame>.jpg": on_item(
        ok=403, kwargs=pk("redaction", frame=lambda w: 0), original=True
    ),
    "vault/redactions/<int:pk>/remove/": on_item(write=CH, ok=405, kwargs=pk("redaction")),
    "vault/redactions/<int:pk>/add/": on_item(write=CH, ok=405, kwargs=pk("redaction")),
    "vault/redactions/<int:pk>/render/": on_item(write=CH, ok=405, kwargs=pk("redaction")),
    "vault/redactions/<int:pk>/sound/": on_item(write=CH, ok=405, kwargs=pk("redaction")),
    # equipment
    "equipment/": Route(of="asset"),
    "equipment/assets/new/": Route(of="asset", refused=NOT_MANAGERS),
    "equipment/assets/<int:pk>/edit/": on_asset(write=CH),
    "equipment/assets/<int:pk>/photos/": on_asset(write=CH, ok=405),
    "equipment/assets/<int:pk>/photos/<int:photo_pk>/": on_asset(
        kwargs=pk("asset", photo_pk=lambda w: w["photo"].pk),
        foreign=pk("asset", photo_pk=lambda w: w["other_photo"].pk),
    ),
    "equipment/assets/<int:pk>/tracks.geojson": on_asset(),
    "equipment/export.<str:fmt>": Route(of="asset", kwargs=lambda w: {"fmt": "csv"}),
    "equipment/import/": Route(of="asset", refused=NOT_MANAGERS),
    "equipment/import/<int:pk>/": Route(
        obj="import", visible=_importer_only, kwargs=pk("import"), of="asset"
    ),
    "equipment/trips/shift/": Route(of="asset", refused=(VO,)),
    "equipment/flights/": Route(of="asset"),
    "equipment/flights/<int:pk>/": on_asset(kwargs=pk("flight")),
    "equipment/flights/<int:pk>/track.geojson": on_asset(kwargs=pk("flight")),
    "equipment/co2.xlsx": Route(of="asset"),
    "equipment/assets/<int:pk>/": on_asset(),
    "equipment/assets/<int:pk>/check-out/": on_asset(write=_may_check_out, ok=405),
    "equipment/assets/<int:pk>/check-in/": on_asset(write=_may_check_in, ok=405),
    "equipment/assets/<int:pk>/reading/": on_asset(write=_own_org_member, ok=405),
    "equipment/assets/<int:pk>/trip/": on_asset(write=_own_org_member, ok=405),
    "equipment/assets/<int:pk>/maintenance/": on_asset(write=CH, ok=405),
    "equipment/assets/<int:pk>/flight/": on_asset(write=_own_org_member, ok=405),
    "equipment/assets/<int:pk>/maintenance/<int:record_pk>/attachment/": on_asset(
        kwargs=pk("asset", record_pk=lambda w: w["maintenance"].pk),
        foreign=pk("asset", record_pk=lambda w: w["other_maintenance"].pk),
    ),
    "equipment/assets/<int:pk>/schedules/": on_asset(write=CH, ok=405),
    "equipment/assets/<int:pk>/schedules/<int:schedule_pk>/delete/": on_asset(
        write=CH,
        ok=405,
        kwargs=pk("asset", schedule_pk=lambda w: w["schedule"].pk),
        foreign=pk("asset", schedule_pk=lambda w: w["other_schedule"].pk),
    ),
    "equipment/people/<int:pk>/": Route(obj="person", role=C, visible=_own_org_person),
    "equipment/labels.pdf": Route(of="asset"),
    "equipment/co2/": Route(of="asset"),
    "equipment/co2.csv": Route(of="asset"),
    # traffic
    "traffic/": Route(of="camera", refused=(VO,)),
    "traffic/geo/cameras.geojson": Route(of="camera"),
    "traffic/geo/hits.geojson": Route(of="camera"),
    "traffic/cameras/new/": Route(of="camera", refused=NOT_MANAGERS),
    "traffic/cameras/<int:pk>/": Route(obj="camera"),
    "traffic/cameras/<int:pk>/edit/": Route(obj="camera", write=CH),
    "traffic/cameras/<int:pk>/token/": Route(obj="camera", write=CH, ok=405),
    "traffic/cameras/<int:pk>/active/": Route(obj="camera", write=CH, ok=405),
    "traffic/cameras/<int:pk>/counts/": Route(obj="camera"),
    "traffic/reads/": Route(of="read", refused=(VO, AU)),
    "traffic/reads/<int:pk>/": Route(obj="read"),
    "traffic/reads/<int:pk>/crop/": Route(obj="read"),
    "traffic/hotlist/": Route(of="entry", refused=(VO, AU)),
    "traffic/hotlist/<int:pk>/": Route(obj="entry"),
    "traffic/hotlist/import/": Route(of="entry", refused=(VO, AU)),
    "traffic/hotlist/import/<int:pk>/": Route(obj="hotlist_import"),
    "traffic/hotlist/import/<int:pk>/<str:op>/": Route(
        obj="hotlist_import", write=CH, ok=405, kwargs=pk("hotlist_import", op=lambda w: "cancel")
    ),
    "traffic/hotlist/<int:pk>/share/": Route(obj="entry", write=SH, ok=405),
    "traffic/hotlist/<int:pk>/withdraw/": Route(obj="entry", write=CH, ok=405),
    "traffic/hotlist/<int:pk>/grants/<int:grant_pk>/revoke/": Route(
        obj="entry",
        write=SH,
        ok=405,
        kwargs=pk("entry", grant_pk=lambda w: w["entry_grant"].pk),
        foreign=pk("entry", grant_pk=lambda w: w["incident_grant"].pk),
    ),
    "traffic/hits/": Route(of="hit"),
    "traffic/hits/<int:pk>/": Route(obj="hit"),
    "traffic/hits/<int:pk>/acknowledge/": Route(obj="hit", write=CH, ok=405),
    "traffic/hits/<int:pk>/decide/": Route(obj="hit", write=CH, ok=405),
    "traffic/sections/": Route(of="section"),
    "traffic/sections/<int:pk>/": Route(obj="section"),
    # activities
    "activities/": Route(of="activity"),
    "activities/new/": Route(of="activity", refused=NOT_MANAGERS),
    "activities/geo/activities.geojson": Route(of="activity"),
    "activities/<int:pk>/": Route(obj="activity"),
    "activities/<int:pk>/edit/": Route(obj="activity", write=CH),
    # Anyone of the programme registers, gives feedback, cancels their own place.
    "activities/<int:pk>/register/": Route(obj="activity", write=V, ok=405),
    "activities/<int:pk>/sessions/": Route(obj="activity", write=CH, ok=405),
    "activities/<int:pk>/status/": Route(obj="activity", write=CH, ok=405),
    "activities/<int:pk>/certificates/": Route(obj="activity", write=CH, ok=405),
    "activities/<int:pk>/feedback/": Route(obj="activity", write=V, ok=405),
    "activities/registrations/<int:pk>/decide/": Route(obj="registration", write=CH, ok=405),
    "activities/registrations/<int:pk>/cancel/": Route(obj="registration", write=V, ok=405),
    "activities/sessions/<int:pk>/attendance/": Route(obj="session", write=CH),
    "activities/sessions/<int:pk>/sign-in.pdf": Route(obj="session"),
    "activities/certificates/<int:pk>.pdf": Route(obj="certificate"),
    "activities/certificates/<int:pk>/revoke/": Route(obj="certificate", write=CH, ok=405),
    "activities/calendar/": Route(of="activity"),
    "activities/calendar/subscribe/": Route(of="activity", ok=405),
    "activities/competencies/": Route(of="activity"),
    "activities/contacts/": Route(of="activity"),
    "activities/contacts.vcf": Route(of="activity"),
    # operations
    "operations/": Route(of="incident", role=OF),
    "operations/incidents/new/": Route(of="incident", role=OF, refused=(VO, CU, AU)),
    "operations/incidents/<int:pk>/": Route(obj="incident", role=OF),
    # A partner the incident is shared with works on it: logs, people, links, status.
    "operations/incidents/<int:pk>/status/": Route(obj="incident", role=OF, write=V, ok=405),
    "operations/incidents/<int:pk>/assign/": Route(obj="incident", role=OF, write=CH, ok=405),
    "operations/incidents/<int:pk>/log/": Route(obj="incident", role=OF, write=V, ok=405),
    "operations/incidents/<int:pk>/people/": Route(
        obj="incident", role=OF, write=_may_record_people, ok=405, data=PERSON_INVOLVED
    ),
    "operations/incidents/<int:pk>/links/": Route(obj="incident", role=OF, write=V, ok=405),
    "operations/incidents/<int:pk>/share/": Route(obj="incident", role=OF, write=SH),
    "operations/incidents/<int:pk>/share/<int:grant_pk>/revoke/": Route(
        obj="incident",
        role=OF,
        write=SH,
        ok=405,
        kwargs=pk("incident", grant_pk=lambda w: w["incident_grant"].pk),
        foreign=pk("incident", grant_pk=lambda w: w["person_grant"].pk),
    ),
    "operations/patrols/": Route(of="patrol"),
    "operations/patrols/new/": Route(of="patrol", refused=(VO, CU, AU)),
    "operations/patrols/<int:pk>/": Route(obj="patrol"),
    "operations/patrols/<int:pk>/start/": Route(obj="patrol", write=CH, ok=405),
    "operations/patrols/<int:pk>/report/": Route(obj="patrol", write=CH, ok=405),
    "operations/patrols/<int:pk>/briefing.pdf": Route(obj="patrol"),
    "operations/map/": Route(of="incident", role=OF),
    "operations/map/list/": Route(of="incident", role=OF),
    "operations/geo/<slug:name>.geojson": Route(
        of="incident", role=OF, kwargs=lambda w: {"name": "incidents"}
    ),
    # alerts
    "alerts/manage/": Route(of="notice", refused=(VO,)),
    "alerts/manage/new/": Route(of="notice", refused=(VO, CU, AU)),
    # Where published notices go and the two-person rule: coordinators and administrators.
    "alerts/manage/distribution/": Route(of="notice", refused=(VO, CU, AU, OF, SP)),
    "alerts/manage/<int:pk>/": Route(obj="notice"),
    "alerts/manage/<int:pk>/edit/": Route(obj="notice", write=CH),
    "alerts/manage/<int:pk>/preview.xml": Route(obj="notice"),
    "alerts/manage/<int:pk>/<str:name>/": Route(
        obj="notice", write=CH, ok=405, kwargs=pk("notice", name=lambda w: "submit")
    ),
    # reports
    "reports/": Route(of="person", role=C),
    # A recount of the figures is queued by coordinators and administrators only.
    "reports/refresh/": Route(of="person", role=C, ok=405, refused=(OF, SP, VO, CU, AU)),
    "reports/export.<str:fmt>": Route(of="person", role=C, kwargs=lambda w: {"fmt": "csv"}),
    "reports/export.<str:fmt>/prepare/": Route(
        of="person", role=C, ok=405, kwargs=lambda w: {"fmt": "csv"}
    ),
    "reports/<slug:code>/": Route(
        of="person", role=C, kwargs=lambda w: {"code": w["indicator"].code}
    ),
}

A = "api/v1/"
D = "(?P<pk>[^/.]+)/"


def api(
    prefix: str,
    obj: str,
    role: str,
    *,
    detail: str | None = None,
    method: str = "patch",
    actions: dict[str, str | Rule] | None = None,
    query: str = "",
) -> dict[str, Route]:
    """Return the routes of one API viewset: its list, its detail and its POST actions.

    `detail` is the action a write to the record itself needs (sent with `method`),
    None for a viewset that only reads its records.
    """
    found = {
        f"{A}{prefix}$": Route(of=obj, role=role, lists=obj, query=query),
        f"{A}{prefix}{D}$": Route(obj=obj, role=role, write=detail, method=method),
    }
    for name, action in (actions or {}).items():
        found[f"{A}{prefix}{D}{name}/$"] = Route(obj=obj, role=role, write=action, ok=405)
    return found


ROUTES.update(
    {
        **api("^organizations/", "organization", OF, detail=CH),
        **api("^people/", "person", ADM, detail=CH, actions={"share": SH}),
        f"{A}vault/uploads/": Route(of="item", role=CU),
        f"{A}vault/uploads/<uuid:upload_id>/": Route(
            obj="upload",
            of="item",
            role=CU,
            visible=_uploader_only,
            kwargs=lambda w: {"upload_id": w["upload"].pk},
        ),
        **api("vault/^items/", "item", CU, actions={"share": SH, "describe": CH, "redact": CH}),
        f"{A}vault/bulk/": Route(of="item", role=CU, ok=405, refused=(VO, AU, SP, OF)),
        # Only the person who asked for an export sees it and downloads it.
        f"{A}vault/^exports/(?P<pk>[^/.]+)/$": Route(
            obj="export", role=CU, visible=_exporter_only, kwargs=pk("export")
        ),
        f"{A}vault/^exports/(?P<pk>[^/.]+)/download/$": Route(
            obj="export", role=CU, visible=_exporter_only, kwargs=pk("export")
        ),
        f"{A}vault/^items/{D}custody/$": Route(obj="item", role=CU),
        **api(
            "vault/^cases/",
            "case",
            CU,
            actions={"share": SH, "items": CH, "hold": CH, "export": DL, "links": SH},
        ),
        **api(
            "equipment/^assets/",
            "asset",
            C,
            detail=CH,
            actions={"check-in": _may_check_in, "check-out": _may_check_out, "photos": CH},
        ),
        **{
            f"{A}equipment/^assets/{D}{name}/$": Route(obj="asset", role=C, write=_own_org_member)
            for name in ("flights", "readings", "trips")
        },
        f"{A}equipment/^assets/{D}maintenance/$": Route(obj="asset", role=C, write=CH),
        f"{A}equipment/^assets/{D}history/$": Route(obj="asset", role=C),
        f"{A}traffic/reads/ingest/": Route(of="camera", ok=405),
        **api("traffic/^cameras/", "camera", C, actions={"rotate-token": CH}),
        **api("traffic/^reads/", "read", C, query="?reason=Ownership+walk"),
        **api("traffic/^hotlist/", "entry", C, detail=DEL, method="delete", actions={"share": SH}),
        **api("traffic/^hits/", "hit", C, actions={"acknowledge": CH}),
        **api("traffic/^sections/", "section", C),
        **api("traffic/^hotlist-imports/", "hotlist_import", C, actions={"load": CH, "cancel": CH}),
        **api(
            "activities/^activities/",
            "activity",
            C,
            actions={"issue-certificates": CH, "register": V, "sessions": CH},
        ),
        **api(
            "activities/^registrations/",
            "registration",
            C,
            actions={"approve": CH, "cancel": V, "reject": CH},
        ),
        f"{A}activities/^attendance/$": Route(of="activity", lists="attendance"),
        **api("activities/^certificates/", "certificate", C, actions={"revoke": CH}),
        **api(
            "operations/^incidents/",
            "incident",
            OF,
            actions={"links": V, "log": V, "people": V, "share": SH, "status": V},
        ),
        f"{A}operations/^incidents/{D}log/$": Route(obj="incident", role=OF, write=V),
        f"{A}operations/^incidents/{D}people/$": Route(
            obj="incident", role=OF, write=_may_record_people, data=PERSON_INVOLVED
        ),
        f"{A}operations/^incidents/{D}revoke/(?P<grant_pk>\\d+)/$": Route(
            obj="incident",
            role=OF,
            write=SH,
            ok=405,
            kwargs=pk("incident", grant_pk=lambda w: w["incident_grant"].pk),
            foreign=pk("incident", grant_pk=lambda w: w["person_grant"].pk),
        ),
        **api("operations/^patrols/", "patrol", C, actions={"start": CH, "report": CH}),
        f"{A}operations/geo/<slug:name>/": Route(
            of="incident", role=OF, kwargs=lambda w: {"name": "incidents"}
        ),
        # Published notices are for everyone; a draft only for its organization.
        **api(
            "alerts/^notices/",
            "notice",
            C,
            actions=dict.fromkeys(
                ("approve", "cancel", "publish", "send-back", "submit", "update"), CH
            ),
        ),
        f"{A}alerts/^notices/$": Route(
            of="notice", public=200, lists="notice", listed=_published_notices
        ),
        f"{A}alerts/^notices/{D}$": Route(obj="notice", public=404),
        f"{A}reports/indicators/": Route(of="person", role=C),
        f"{A}reports/indicators/<slug:code>/": Route(
            of="person", role=C, kwargs=lambda w: {"code": w["indicator"].code}
        ),
    }
)


@dataclass(frozen=True)
class Public:
    """A route for everyone, anonymous visitors included.

    args: the URL's arguments for a record the public may see.
    hidden: arguments for one it may not (a draft, a forged token, an item the
      link does not cover): that answers 404.
    """

    why: str
    args: KW = lambda w: {}
    status: int = 200
    hidden: KW | None = None


def _forged(name: str) -> KW:
    return lambda w: {name: "forged-0123456789abcdef"}


# Routes for everyone, anonymous visitors included, with why.
PUBLIC: dict[str, Public] = {
    "healthz": Public("the load balancer's probe; says nothing about records"),
    "login/": Public("the login page"),
    "alerts/": Public("published public notices"),
    "alerts/feed.atom": Public("published public notices"),
    "alerts/areas.geojson": Public("areas of published notices"),
    "alerts/<slug:identifier>.xml": Public(
        "a published notice in CAP",
        lambda w: {"identifier": w["published_notice"].identifier},
        hidden=lambda w: {"identifier": w["notice"].identifier},
    ),
    "alerts/<slug:identifier>/": Public(
        "a published notice",
        lambda w: {"identifier": w["published_notice"].identifier},
        hidden=lambda w: {"identifier": w["notice"].identifier},
    ),
    "verify/<str:code>": Public(
        "anyone may check a certificate by its unguessable code",
        lambda w: {"code": w["certificate"].code},
        hidden=_forged("code"),
    ),
    "verify/<str:code>/": Public(
        "the same check, with a trailing slash", lambda w: {"code": w["certificate"].code}
    ),
    "api/v1/activities/verify/<str:code>/": Public(
        "the certificate check for machines",
        lambda w: {"code": w["certificate"].code},
        hidden=_forged("code"),
    ),
    "vault/x/<str:token>/": Public(
        "a court's link: the secret token in the URL is the credential",
        lambda w: {"token": w["link_token"]},
        hidden=_forged("token"),
    ),
    "vault/x/<str:token>/<int:item_pk>/": Public(
        "a download through a court's link",
        lambda w: {"token": w["link_token"], "item_pk": w["item"].pk},
        hidden=lambda w: {"token": w["link_token"], "item_pk": w["other_item"].pk},
    ),
    "activities/feeds/<str:token>/mine.ics": Public(
        "a calendar app's subscription: the secret token is the credential",
        lambda w: {"token": w["feed"].token},
        hidden=_forged("token"),
    ),
    "activities/feeds/<str:token>/organization.ics": Public(
        "a calendar app's subscription: the secret token is the credential",
        lambda w: {"token": w["feed"].token},
        hidden=_forged("token"),
    ),
    "api/schema/": Public("the OpenAPI description, no records"),
    "api/docs/": Public("the API's documentation page, no records"),
}

# Routes the walk does not call, each with why.
EXEMPT: dict[str, str] = {
    "logout/": "logs the persona out; GET is refused (405) and has no record",
    "login/verify/": "second-factor step of a login in progress; no record",
    "login/setup/": "second-factor enrolment of a login in progress; no record",
    "login/sso/": "sends the browser to the SSO provider (404 when not set up); no record",
    "login/sso/callback/": "the SSO provider's answer to a sign-in in progress; no record",
    "profile/sso/link/": "POST only: starts linking one's own account to the SSO provider; no record",
    "i18n/setlang/": "sets the interface language of the session; no record",
    "admin/login/": "a redirect to SCAPE's own login",
    "admin/logout/": "logs out and redirects to the admin index, which asks for the login",
    "api/v1/^notifications/$": (
        "the caller's own notifications, never another's "
        "(tests/core/test_api_integrators.py); no organization's record"
    ),
    "api/v1/^notifications/read/$": "marks the caller's own notifications read; no record",
    "api/v1/audit/^events/$": (
        "the audit log, for auditors, read through audit.visible_events as the page is "
        "(tests/core/test_api_integrators.py)"
    ),
    "api/v1/vault/^retention/$": (
        "the caller's own organization's deletion lists, for retention keepers, as the "
        "retention page (tests/vault/test_api_integrators.py)"
    ),
    "api/v1/vault/^retention/propose/$": "proposes for the caller's own organization only",
    "api/v1/vault/^retention/(?P<pk>[^/.]+)/confirm/$": (
        "a list of the caller's own organization (access_deletion_list), by a custodian"
    ),
    "vault/searches/": "saves a search for the person who posts it; no organization's record",
    "vault/searches/<int:pk>/delete/": (
        "forgets one of the poster's own saved searches, never another's "
        "(tests/vault/test_finding.py); no organization's record"
    ),
}
