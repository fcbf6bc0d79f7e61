"""Walk every URL the site answers and check the access rule on each.

The walk enumerates Django's URL resolver (the pages, the API under
/api/v1/, the admin) and asks the table below how to call each route: which
record goes into its URL, which role the page is for, and which action a
POST to it needs. A route in none of ROUTES, PUBLIC and EXEMPT fails the
walk, so a new view is checked the day it is added, with no test written
for it.

Each route is called by six personas: a member of the record's organization
in the role the page is for, the same role in a partner organization the
record is shared with (a Grant), the same role in an organization it is not
shared with, a volunteer and an auditor of the owning organization, and an
anonymous visitor; for a shared record also the same role in an organization
whose share was revoked and in one whose share expired, and for a write a
colleague of the owner who sees the record in a role that may not do it. Whether a persona
may see the record is asked of the access door itself (``restrict``), and
the page must agree:

- a record the persona cannot see answers 404, never 200 and never a 403
  that a missing record would not also get (no existence leak);
- a visible record with an action the persona may not do answers 403, and
  a refused POST changes nothing (no audit event of a success, no field);
- an anonymous visitor is sent to the login page (HTML) or refused (API);
- nothing answers 500;
- no HTML page links to a record the persona cannot see, and no API list
  returns one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from scape.core.access import actor_of
from scape.core.choices import Action, Outcome, Role
from scape.core.models import AuditEvent, Grant
from scape.equipment.queries import may_check_in, may_check_out
from tests.core.walk_world import ROLES, World, build

pytestmark = pytest.mark.django_db

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


def _uploader_only(world: World, user: Any) -> bool:
    return bool(world["upload"].created_by_id == user.pk)


def _importer_only(world: World, user: Any) -> bool:
    return bool(world["import"].uploaded_by_id == user.pk)


def _own_org_member(user: Any, obj: Any) -> bool:
    """Records of use (readings, trips, flights) are kept by the asset's own organization."""
    return bool(_door(user, obj) and actor_of(user).organization_id == obj.organization_id)


def _may_check_out(user: Any, obj: Any) -> bool:
    return _door(user, obj) and may_check_out(user, obj)


def _may_check_in(user: Any, obj: Any) -> bool:
    return _door(user, obj) and may_check_in(user, obj)


def _own_org_person(world: World, user: Any) -> bool:
    """The custody page is for people of the equipment's own organization."""
    person = world["person"]
    return _door(user, person) and actor_of(user).organization_id == person.organization_id


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
    "profile/": Route(of="person", role=OF),
    "profile/password/": Route(of="person", role=OF),
    "audit/": Route(of="person", role=AU, refused=NOT_AUDITORS),
    "audit/export.csv": Route(of="person", role=AU, refused=NOT_AUDITORS),
    # vault
    "vault/": Route(of="item", role=CU),
    "vault/items/<int:pk>/": on_item(),
    "vault/items/<int:pk>/category/": on_item(write=CH, ok=405),
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
    "vault/items/<int:pk>/thumbnail/": on_item(),
    "vault/items/<int:pk>/download/": on_item(),
    "vault/items/<int:pk>/jobs/": on_item(),
    "vault/items/<int:pk>/redact/": on_item(write=CH, ok=405),
    "vault/redactions/<int:pk>/": on_item(kwargs=pk("redaction")),
    "vault/redactions/<int:pk>/frames/<int:frame>.jpg": on_item(
        ok=403, kwargs=pk("redaction", frame=lambda w: 0)
    ),
    "vault/redactions/<int:pk>/remove/": on_item(write=CH, ok=405, kwargs=pk("redaction")),
    "vault/redactions/<int:pk>/add/": on_item(write=CH, ok=405, kwargs=pk("redaction")),
    "vault/redactions/<int:pk>/render/": on_item(write=CH, ok=405, kwargs=pk("redaction")),
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
    "traffic/reads/": Route(of="read"),
    "traffic/reads/<int:pk>/": Route(obj="read"),
    "traffic/reads/<int:pk>/crop/": Route(obj="read"),
    "traffic/hotlist/": Route(of="entry", refused=(VO, AU)),
    "traffic/hotlist/<int:pk>/": Route(obj="entry"),
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
    "operations/incidents/<int:pk>/people/": Route(obj="incident", role=OF, write=V, ok=405),
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
    "alerts/manage/<int:pk>/": Route(obj="notice"),
    "alerts/manage/<int:pk>/edit/": Route(obj="notice", write=CH),
    "alerts/manage/<int:pk>/preview.xml": Route(obj="notice"),
    "alerts/manage/<int:pk>/<str:name>/": Route(
        obj="notice", write=CH, ok=405, kwargs=pk("notice", name=lambda w: "submit")
    ),
    # reports
    "reports/": Route(of="person", role=C),
    "reports/export.<str:fmt>": Route(of="person", role=C, kwargs=lambda w: {"fmt": "csv"}),
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
        **api("vault/^items/", "item", CU, actions={"share": SH}),
        f"{A}vault/^items/{D}custody/$": Route(obj="item", role=CU),
        **api("vault/^cases/", "case", CU, actions={"share": SH}),
        **api(
            "equipment/^assets/",
            "asset",
            C,
            actions={"check-in": _may_check_in, "check-out": _may_check_out},
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
        **api(
            "activities/^activities/",
            "activity",
            C,
            actions={"issue-certificates": CH, "register": V},
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
        f"{A}operations/^incidents/{D}people/$": Route(obj="incident", role=OF, write=V),
        f"{A}operations/^incidents/{D}revoke/(?P<grant_pk>\\d+)/$": Route(
            obj="incident",
            role=OF,
            write=SH,
            ok=405,
            kwargs=pk("incident", grant_pk=lambda w: w["incident_grant"].pk),
            foreign=pk("incident", grant_pk=lambda w: w["person_grant"].pk),
        ),
        **api("operations/^patrols/", "patrol", C),
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
    "i18n/setlang/": "sets the interface language of the session; no record",
    "admin/login/": "a redirect to SCAPE's own login",
    "admin/logout/": "logs out and redirects to the admin index, which asks for the login",
}


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def all_routes() -> dict[str, URLPattern]:
    """Return every route the site answers, by its pattern, the first of duplicates."""
    found: dict[str, URLPattern] = {}
    for route, entry in _walk(get_resolver()):
        found.setdefault(route, entry)
    return found


_ARG = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def fill(route: str, kwargs: dict[str, Any]) -> str:
    """Return the path of `route` with its arguments filled in."""
    path = _ARG.sub(lambda m: str(kwargs[m.group(1) or m.group(2)]), route)
    return "/" + path.replace("^", "").replace("$", "")


ADMIN_ARGS = {"object_id": 1, "app_label": "directory", "content_type_id": 1, "url": "x", "id": 1}
MISSING = 987_654_321


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    """Build the world once for the module, inside a transaction rolled back at its end.

    Each test runs in a savepoint inside it (pytest-django's own), so what one
    route's personas change is undone before the next route.
    """
    from django.conf import settings

    media = Path(tmp_path_factory.mktemp("walk"))
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media / "evidence"},
        },
    }
    with (
        override_settings(
            MEDIA_ROOT=media, STORAGES=storages, SCAPE_AUDIT_WITNESS_DIR=media / "witness"
        ),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build()
            built.extra["hidden"] = _hidden_links(built)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media(world: World) -> None:
    """Keep the world's media folder for every test (the suite's fixture makes a new one)."""


@pytest.fixture(autouse=True)
def _witness(world: World) -> None:
    """Keep the world's audit witness folder for every test."""


# Records whose page is public (a published notice, a certificate check) are
# linked for everyone; the others must not be linked for who may not see them.
_PUBLIC_PAGES = {"notice", "certificate"}


def _hidden_links(world: World) -> dict[int, list[str]]:
    hidden: dict[int, list[str]] = {}
    for person in world.people.values():
        hidden[person.user.pk] = [
            f'"{obj.get_absolute_url()}"'
            for name, obj in world.objects.items()
            if name not in _PUBLIC_PAGES
            and hasattr(obj, "get_absolute_url")
            and not _door(person.user, obj)
        ]
    return hidden


def _door(user: Any, obj: Any, action: str = Action.VIEW) -> bool:
    manager = type(obj)._default_manager
    return bool(manager.restrict(user, action).filter(pk=obj.pk).exists())


@dataclass
class Persona:
    name: str
    client: Client
    user: Any = None


def _personas(world: World, route: Route) -> list[Persona]:
    key = route.of or route.obj
    assert key is not None
    owner = world.owner.get(key) or world.orgs[0]
    partner = world.partner.get(key) or next(o for o in world.orgs if o.pk != owner.pk)
    found = []
    for name, org, role in (
        ("own", owner, route.role),
        ("shared", partner, route.role),
        ("unshared", world.outsider, route.role),
        ("volunteer", owner, Role.VOLUNTEER),
        ("auditor", owner, Role.AUDITOR),
    ):
        found.append(Persona(name, world.client(org, role), world.person(org, role).user))
    if route.obj is not None and route.write is not None and route.visible is None:
        # A colleague of the owner who sees the record but may not do the write.
        obj = world[route.obj]
        for role in ROLES:
            user = world.person(owner, role).user
            if role in (route.role, Role.VOLUNTEER, Role.AUDITOR):
                continue
            if _door(user, obj) and not _may_write(route, user, obj):
                found.append(Persona(f"colleague ({role})", world.client(owner, role), user))
                break
    for name, orgs in (("revoked", world.revoked), ("expired", world.expired)):
        if route.obj in orgs:
            org = orgs[route.obj]
            found.append(
                Persona(name, world.client(org, route.role), world.person(org, route.role).user)
            )
    found.append(Persona("anonymous", Client()))
    return found


def _send(client: Client, method: str, url: str) -> tuple[int, Any]:
    """Return the status and response, a view's exception counting as a 500."""
    # The upload endpoints speak tus: a request is checked as one before its sender.
    headers = {"Tus-Resumable": "1.0.0", "Upload-Length": "100"}
    try:
        if method == "get":
            response = client.get(url, headers=headers)
        elif method == "patch":
            response = client.patch(url, {}, content_type="application/json", headers=headers)
        elif method == "delete":
            response = client.delete(url, headers=headers)
        else:
            response = client.post(url, {}, headers=headers)
    except Exception as exc:  # the view raised: the user gets a server error
        return 500, f"{type(exc).__name__}: {exc}"
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.status_code, response


def _snapshot(obj: Any) -> tuple[int, dict[str, Any]]:
    successes = AuditEvent.objects.filter(outcome=Outcome.SUCCESS).count()
    if obj is None:
        return successes, {}
    fresh = type(obj)._base_manager.filter(pk=obj.pk).first()
    return successes, (model_to_dict(fresh) if fresh is not None else {})


def _refused_anonymous(
    route: Route, route_key: str, method: str, status: int, response: Any
) -> bool:
    if method == "get" and route.ok == 405 and status == 405:
        return True  # a POST-only route refuses a GET before it looks at anyone
    if route_key.startswith("api/") or route.machine:
        return status in (401, 403)
    location = response.get("Location", "") if status == 302 else ""
    return "/login/" in location


def _missing(route_key: str, kwargs: dict[str, Any]) -> str:
    """Return the route's URL with the record's own pk changed to one nobody has."""
    key = "upload_id" if "upload_id" in kwargs else "pk"
    fake = "00000000-0000-0000-0000-000000000000" if key == "upload_id" else MISSING
    return fill(route_key, {**kwargs, key: fake})


def _may_write(route: Route, user: Any, obj: Any) -> bool:
    if route.write is None:
        return True
    if callable(route.write):
        return route.write(user, obj)
    return _door(user, obj, route.write)


def _url(world: World, route_key: str, route: Route) -> tuple[str, dict[str, Any]]:
    """Return the route's URL for the world's record, and its arguments."""
    if route.kwargs is not None:
        kwargs = route.kwargs(world)
    elif route.obj is not None:
        kwargs = {"pk": world[route.obj].pk}
    else:
        kwargs = {}
    return fill(route_key, kwargs) + route.query, kwargs


# Personas whose share of the record ended: the door must not open for them.
# (The unshared organization may still see what its policy shows everyone:
# the programme's activities, the organizations.)
_OUTSIDERS = frozenset({"revoked", "expired"})


def _check_record(
    world: World, route_key: str, route: Route, persona: Persona, problems: list[str]
) -> None:
    """Check one logged-in persona on a route whose URL names a record."""
    obj = world[route.obj] if route.obj else None
    url, kwargs = _url(world, route_key, route)
    if route.visible is not None:
        visible = route.visible(world, persona.user)
    else:
        visible = _door(persona.user, obj)
    allowed = visible and _may_write(route, persona.user, obj)
    say = f"{persona.name} ({'sees' if visible else 'cannot see'} {route.obj}):"
    if visible and persona.name in _OUTSIDERS and route.visible is None:
        problems.append(f"{say} the world is wrong: this persona must not see the record")

    status, response = _send(persona.client, "get", url)
    _common(world, route_key, route, persona, "GET", url, status, response, problems)
    if persona.name == "own" and status != route.ok:
        problems.append(f"own: GET {url} answered {status}, expected {route.ok}")
    if not visible:
        _expect_hidden(route_key, kwargs, persona, "get", status, say, problems)
    elif status == 404:
        problems.append(f"{say} GET {url} answered 404 for a record the door shows")
    elif (
        persona.name != "own"
        and route.write
        and not allowed
        and route.ok == 200
        and route.method == "post"
        and not route_key.startswith("api/")
        and status not in (403, 405)
    ):
        problems.append(f"{say} GET {url} of a form for {route.write} answered {status}")

    if route.write is None or allowed:
        if status == 403:
            _expect_refused_post(persona, url, obj, say, problems)
        return
    before = _snapshot(obj)
    status, response = _send(persona.client, route.method, url)
    if status == 500:
        problems.append(f"{say} {route.method.upper()} {url} raised {response}")
    elif not visible:
        _expect_hidden(route_key, kwargs, persona, route.method, status, say, problems)
    elif status != 403:
        problems.append(f"{say} {route.method.upper()} {url} ({route.write}) answered {status}")
    if _snapshot(obj) != before:
        problems.append(f"{say} a refused {route.method.upper()} {url} changed something")


def _check_foreign(
    world: World, route_key: str, route: Route, own: Persona, problems: list[str]
) -> None:
    """Check that the owner cannot reach another record through their own record's URL."""
    assert route.foreign is not None and own.name == "own"
    url = fill(route_key, route.foreign(world))
    say = "own (a second record not of this one):"
    if route.ok != 405:
        status, _response = _send(own.client, "get", url)
        if status != 404:
            problems.append(f"{say} GET {url} answered {status}")
    if route.write is not None:
        before = _snapshot(None)
        grants = list(Grant.objects.values_list("pk", "revoked_at").order_by("pk"))
        status, _response = _send(own.client, route.method, url)
        if status != 404:
            problems.append(f"{say} {route.method.upper()} {url} answered {status}")
        after = list(Grant.objects.values_list("pk", "revoked_at").order_by("pk"))
        if _snapshot(None) != before or grants != after:
            problems.append(f"{say} {route.method.upper()} {url} changed something")


def _expect_refused_post(
    persona: Persona, url: str, obj: Any, say: str, problems: list[str]
) -> None:
    """Check that a page which refused a GET refuses a POST too, and changes nothing."""
    before = _snapshot(obj)
    status, _response = _send(persona.client, "post", url)
    if status not in (403, 405):
        problems.append(f"{say} GET {url} answered 403 but POST {status}")
    if _snapshot(obj) != before:
        problems.append(f"{say} a refused POST {url} changed something")


def _expect_hidden(
    route_key: str,
    kwargs: dict[str, Any],
    persona: Persona,
    method: str,
    status: int,
    say: str,
    problems: list[str],
) -> None:
    if status == 404:
        return
    if status in (403, 405):
        # A refusal a missing record would get as well says nothing about this one.
        missing, _ = _send(persona.client, method, _missing(route_key, kwargs))
        if missing == status:
            return
        problems.append(
            f"{say} {method.upper()} answered {status} but {missing} for a missing record"
        )
        return
    problems.append(f"{say} {method.upper()} {fill(route_key, kwargs)} answered {status}")


def _common(
    world: World,
    route_key: str,
    route: Route,
    persona: Persona,
    method: str,
    url: str,
    status: int,
    response: Any,
    problems: list[str],
) -> None:
    """Check what every answer must be: no error, no link or list entry the persona may not see."""
    if status == 500:
        problems.append(f"{persona.name}: {method} {url} raised {response}")
        return
    if persona.user is None or status != 200 or getattr(response, "streaming", False):
        return
    content_type = response.get("Content-Type", "")
    if "text/html" in content_type:
        body = response.content.decode()
        leaked = [link for link in world["hidden"][persona.user.pk] if link in body]
        if leaked:
            problems.append(f"{persona.name}: {url} links to records it may not see: {leaked}")
    if route.lists and "json" in content_type:
        data = response.json()
        rows = data.get("results", data) if isinstance(data, dict) else data
        model = type(world[route.lists])
        seen = set(model._default_manager.restrict(persona.user).values_list("pk", flat=True))
        if route.listed is not None:
            seen |= route.listed(world)
        extra = [row.get("id") for row in rows if row.get("id") not in seen]
        if extra:
            problems.append(f"{persona.name}: {url} lists {model.__name__} {extra} it may not see")


def _check(world: World, route_key: str, route: Route) -> list[str]:
    problems: list[str] = []
    personas = _personas(world, route)
    owner = world.owner.get(route.of or route.obj or "") or world.orgs[0]
    for role in route.refused:
        person = world.person(owner, role)
        personas.append(Persona(f"{role} (refused)", world.client(owner, role), person.user))
    if route.foreign is not None:
        _check_foreign(world, route_key, route, personas[0], problems)
    for persona in personas:
        if persona.user is None:
            url, _kwargs = _url(world, route_key, route)
            for method in ("get", *((route.method,) if route.write else ())):
                status, response = _send(persona.client, method, url)
                if method == "get" and route.public is not None:
                    if status != route.public:
                        problems.append(f"anonymous: GET {url} answered {status}")
                elif status == 500 or not _refused_anonymous(
                    route, route_key, method, status, response
                ):
                    problems.append(f"anonymous: {method.upper()} {url} answered {status}")
        elif route.obj is not None:
            _check_record(world, route_key, route, persona, problems)
        else:
            url, _kwargs = _url(world, route_key, route)
            status, response = _send(persona.client, "get", url)
            _common(world, route_key, route, persona, "GET", url, status, response, problems)
            if persona.name == "own" and status != route.ok:
                problems.append(f"own: GET {url} answered {status}, expected {route.ok}")
            if persona.name.endswith("(refused)") and status != 403:
                problems.append(f"{persona.name}: GET {url} answered {status}, expected 403")
            if status == 403:
                _expect_refused_post(persona, url, None, f"{persona.name}:", problems)
    return problems


_ALL = all_routes()
WALKED = sorted(key for key in _ALL if not key.startswith("admin/") or key in EXEMPT)
ADMIN = sorted(key for key in _ALL if key.startswith("admin/") and key not in EXEMPT)


def test_every_route_is_walked_or_listed() -> None:
    listed = set(ROUTES) | set(PUBLIC) | set(EXEMPT)
    missing = sorted(key for key in WALKED if key not in listed)
    assert not missing, (
        "routes the ownership walk does not know; add each to ROUTES with the record "
        f"it needs, or to PUBLIC or EXEMPT with the reason: {missing}"
    )


def test_every_entry_of_the_tables_is_a_route() -> None:
    listed = set(ROUTES) | set(PUBLIC) | set(EXEMPT)
    assert not listed - set(_ALL), f"stale entries: {sorted(listed - set(_ALL))}"
    twice = (set(ROUTES) & set(PUBLIC)) | (set(ROUTES) & set(EXEMPT)) | (set(PUBLIC) & set(EXEMPT))
    assert not twice, f"listed twice: {sorted(twice)}"


@pytest.mark.parametrize("route_key", WALKED)
def test_it_validates_ownership(world: World, route_key: str) -> None:
    if route_key in EXEMPT:
        return
    if route_key in PUBLIC:
        public = PUBLIC[route_key]
        url = fill(route_key, public.args(world))
        status, response = _send(Client(), "get", url)
        assert status == public.status, (url, status, response)
        if public.hidden is not None:
            url = fill(route_key, public.hidden(world))
            status, response = _send(Client(), "get", url)
            assert status == 404, (url, status, response)
        return
    route = ROUTES.get(route_key)
    assert route is not None, (
        f"{route_key!r} is not walked: add it to ROUTES with the record it needs "
        "(or to PUBLIC or EXEMPT, with the reason)"
    )
    problems = _check(world, route_key, route)
    assert not problems, "\n".join(problems)


def test_the_admin_sends_everyone_but_staff_to_the_login(world: World) -> None:
    officer = world.client(world.orgs[0], Role.ORG_ADMIN)
    problems = []
    for route_key in ADMIN:
        url = fill(route_key, ADMIN_ARGS)
        for name, client in (("anonymous", Client()), ("org admin", officer)):
            status, response = _send(client, "get", url)
            if status != 302 or "/login/" not in response.get("Location", ""):
                problems.append(f"{name}: GET {url} answered {status}")
    assert not problems, "\n".join(problems)
