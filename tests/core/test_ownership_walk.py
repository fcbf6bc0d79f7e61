"""Walk every URL the site answers and check the access rule on each.

The walk enumerates Django's URL resolver (the pages, the API under
/api/v1/, the admin) and asks a table how to call each route: which record
goes into its URL, which role the page is for, and which action a POST to it
needs. A route in none of ROUTES, PUBLIC and EXEMPT fails the walk, so a new
view is checked the day it is added, with no test written for it. The table
is tests/core/walk_routes.py, the records tests/core/walk_world.py.

Each route is called by six personas: a member of the record's organization
in the role the page is for, the same role in a partner organization the
record is shared with (a Grant), the same role in an organization it is not
shared with, a volunteer and an auditor of the owning organization, and an
anonymous visitor. A shared record is also asked for by the same role in an
organization whose share was revoked and in one whose share expired, and a
write by a colleague of the owner whose role sees the record but may not do
it. A volunteer assigned to the record (the incident, a patrol they are on)
asks for it too, and a partner shown the evidence item as redacted copies
only. Whether a persona may see the record is asked of the access door itself
(``restrict``), and the page must agree:

- a record the persona cannot see answers 404, never 200 and never a 403
  that a missing record would not also get (no existence leak);
- a visible record with an action the persona may not do answers 403, and
  a refused POST changes nothing (no audit event of a success, no field);
- a role a page without a record is not for gets 403, and any page that
  refuses a GET refuses a POST too;
- the owner's URL with a second record that is not its own (another
  record's grant, another asset's photo) answers 404 even to the owner;
- an anonymous visitor is sent to the login page (HTML) or refused (API),
  and a public page answers 404 for a draft or a forged token;
- nothing answers 500;
- no HTML page links to a record the persona cannot see, and no API list
  returns one; an assigned volunteer's list shows what is assigned to them;
- a partner shown redacted copies only is never sent the original, nor a
  copy cut from it (proxy, thumbnail), nor its name or hash: not on a GET,
  nor on a POST that gives a reason; a page made of the original (the
  thumbnail, a redaction's frames) answers them 404.

The admin is walked apart: every admin URL sends anyone but staff to the
login, and a staff user who is not a superuser is shown no records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from scape.core.choices import Outcome, Role
from scape.core.models import AuditEvent, Grant
from tests.core.walk_routes import EXEMPT, PUBLIC, ROUTES, Route
from tests.core.walk_world import ROLES, World, build, door

pytestmark = pytest.mark.django_db


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
            built.extra["originals"] = _originals(built)
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
            and not door(person.user, obj)
        ]
    return hidden


def _originals(world: World) -> list[bytes]:
    """Return what of the redacted-only records' originals must never reach that partner.

    The first bytes of the original and of each copy made from it but the
    redacted one (its playable proxy, its thumbnail), and the original's name,
    hash and device serial.
    """
    from scape.vault import storage
    from scape.vault.choices import DerivativeKind

    found: list[bytes] = []
    for name in world.redacted:
        item = world[name]
        files = [item.blob.storage_key]
        for derivative in item.derivatives.exclude(kind=DerivativeKind.REDACTED):
            files.append(derivative.storage_key)
            found.append(derivative.sha256.encode())
        for key in files:
            with storage.evidence_storage().open(key) as handle:
                found.append(handle.read(4096))
        found += [item.sha256.encode(), item.original_name.encode()]
        if len(item.device_serial) >= 6:
            found.append(item.device_serial.encode())
    return found


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
            if door(user, obj) and not _may_write(route, user, obj):
                found.append(Persona(f"colleague ({role})", world.client(owner, role), user))
                break
    for name, orgs, of in (
        ("revoked", world.revoked, route.obj),
        ("expired", world.expired, route.obj),
        # On the lists too: an item shown redacted only is listed under a neutral name.
        ("redacted", world.redacted, key),
    ):
        if of in orgs:
            org = orgs[of]
            found.append(
                Persona(name, world.client(org, route.role), world.person(org, route.role).user)
            )
    if key in world.assigned:
        person = world.assigned[key]
        found.append(
            Persona("assigned", world.client(person.organization, "assigned"), person.user)
        )
    found.append(Persona("anonymous", Client()))
    return found


def _send(
    client: Client, method: str, url: str, data: dict[str, str] | None = None
) -> tuple[int, Any]:
    """Return the status and response, a view's exception counting as a 500.

    A streamed body is read into ``walk_body``, as a page's is in ``content``.
    """
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
            response = client.post(url, data or {}, headers=headers)
    except Exception as exc:  # the view raised: the user gets a server error
        return 500, f"{type(exc).__name__}: {exc}"
    if getattr(response, "streaming", False):
        response.walk_body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        response.walk_body = response.content  # type: ignore[attr-defined]
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
    return door(user, obj, route.write)


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
        visible = door(persona.user, obj)
    if route.original and persona.name == "redacted":
        visible = False  # a page of the original is hidden from them as if the item were
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

    if persona.name == "redacted":
        # Giving a reason is what opens a download or a player: it opens no original.
        status, response = _send(persona.client, "post", url, REASON)
        _common(world, route_key, route, persona, "POST", url, status, response, problems)
    if route.write is None or allowed:
        if status == 403:
            _expect_refused_post(persona, url, obj, say, problems, route.data)
        return
    before = _snapshot(obj)
    status, response = _send(persona.client, route.method, url, route.data)
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
    persona: Persona,
    url: str,
    obj: Any,
    say: str,
    problems: list[str],
    data: dict[str, str] | None = None,
) -> None:
    """Check that a page which refused a GET refuses a POST too, and changes nothing."""
    before = _snapshot(obj)
    status, _response = _send(persona.client, "post", url, data)
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
    if persona.name == "redacted":
        _expect_no_original(world, persona, method, url, response, problems)
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
        if persona.name == "assigned" and world[route.lists].pk not in {r.get("id") for r in rows}:
            problems.append(f"assigned: {url} does not list the {route.lists} assigned to them")


REASON = {"reason": "Ownership walk", "recipient": "Ownership walk"}


def _expect_no_original(
    world: World, persona: Persona, method: str, url: str, response: Any, problems: list[str]
) -> None:
    """Check that nothing of an original reached a partner shown redacted copies only."""
    body = getattr(response, "walk_body", b"")
    for marker in world["originals"]:
        if marker in body:
            shown = marker[:40] if len(marker) < 200 else f"{len(marker)} bytes of a file"
            problems.append(f"{persona.name}: {method} {url} disclosed the original: {shown!r}")


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
            refused = persona.name.endswith("(refused)")
            if refused and route.ok == 405 and status == 405:
                # A POST-only page: the POST is what it refuses.
                _expect_refused_post(persona, url, None, f"{persona.name}:", problems)
            elif refused and status != 403:
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
        "routes the ownership walk does not know; add each to ROUTES in "
        "tests/core/walk_routes.py with the record it needs, or to PUBLIC or EXEMPT "
        f"with the reason: {missing}"
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
        f"{route_key!r} is not walked: add it to ROUTES in tests/core/walk_routes.py "
        "with the record it needs (or to PUBLIC or EXEMPT, with the reason)"
    )
    problems = _check(world, route_key, route)
    assert not problems, "\n".join(problems)


def test_the_admin_sends_everyone_but_staff_to_the_login(world: World) -> None:
    org_admin = world.client(world.orgs[0], Role.ORG_ADMIN)
    officer = world.client(world.orgs[0], Role.OFFICER)
    problems = []
    for route_key in ADMIN:
        url = fill(route_key, ADMIN_ARGS)
        for name, client in (("anonymous", Client()), ("org admin", org_admin), ("user", officer)):
            status, response = _send(client, "get", url)
            if status != 302 or "/login/" not in response.get("Location", ""):
                problems.append(f"{name}: GET {url} answered {status}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def staff(world: World) -> Persona:
    """A staff user who is not a superuser: an organization administrator of the outsider."""
    from scape.core.testing import login
    from scape.directory.testing import make_person

    person = make_person(world.outsider, [Role.ORG_ADMIN], username="walk.staff")
    person.user.is_staff = True
    person.user.save(update_fields=["is_staff"])
    return Persona("staff", login(Client(), person.user), person.user)


_ADMIN_MODEL = re.compile(r"^admin/(\w+)/(\w+)/")


def _admin_model(route_key: str) -> Any:
    """Return the model whose admin page the route is, or None."""
    from django.contrib import admin

    match = _ADMIN_MODEL.match(route_key)
    found = {(m._meta.app_label, m._meta.model_name): m for m in admin.site._registry}
    return found.get((match[1], match[2])) if match else None


def _admin_args(model: Any, user: Any) -> dict[str, Any]:
    """Return an admin URL's arguments naming a record the user may not see, where one exists."""
    if model is None:
        return ADMIN_ARGS
    records = model._default_manager.all()
    if hasattr(model, "access_policy"):
        records = records.exclude(pk__in=model._default_manager.restrict(user).values("pk"))
    record = records.order_by("pk").first()
    return {**ADMIN_ARGS, "object_id": record.pk if record is not None else MISSING}


def test_the_admin_shows_a_staff_user_who_is_not_superuser_no_records(
    world: World, staff: Persona
) -> None:
    """Staff status alone opens the admin's door but no model: no list, no record.

    The admin does not go through the access door (docs/decisions.md), so it
    must show nothing to anyone but a superuser (a system administrator): a
    model's pages answer 403 (or redirect to the record's own page there,
    which does), even for another organization's record named by its pk;
    the pages that answer (the index, the password change) link to no model.
    """
    from django.contrib import admin

    models = [f"/admin/{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry]
    problems = []
    for route_key in ADMIN:
        if route_key.startswith("admin/r/"):
            continue  # the view-on-site shortcut: see the next test
        model = _admin_model(route_key)
        url = fill(route_key, _admin_args(model, staff.user))
        status, response = _send(staff.client, "get", url)
        location = response.get("Location", "") if status == 302 else ""
        if model is not None:
            if status == 403 or (status == 302 and location == f"{url}change/"):
                continue
            if status == 302 and location == "/admin/" and str(MISSING) in url:
                continue  # the model has no record at all: "does not exist"
            problems.append(f"staff: GET {url} answered {status} {location}")
        elif status == 200:
            shown = [m for m in models if m in response.content.decode()]
            if shown:
                problems.append(f"staff: GET {url} links to the admin of {shown}")
        elif status not in (403, 404):
            problems.append(f"staff: GET {url} answered {status} {location}")
    assert not problems, "\n".join(problems)


def test_the_admin_shortcut_gives_a_staff_user_who_is_not_superuser_no_record_url(
    world: World, staff: Persona
) -> None:
    from django.contrib.contenttypes.models import ContentType

    certificate = world["certificate"]
    content_type = ContentType.objects.get_for_model(certificate)
    status, response = _send(staff.client, "get", f"/admin/r/{content_type.pk}/{certificate.pk}/")
    assert status in (403, 404), response.get("Location", "")


def test_an_assigned_volunteer_sees_what_is_assigned_and_nothing_else_of_its_kind(
    world: World,
) -> None:
    assert set(world.assigned) == {"incident", "patrol"}
    for name, person in world.assigned.items():
        record = world[name]
        manager = type(record)._default_manager
        assert set(manager.restrict(person.user).values_list("pk", flat=True)) == {record.pk}
        # The walk's other volunteer of that organization has nothing assigned: sees none.
        idle = world.person(person.organization, Role.VOLUNTEER)
        assert not manager.restrict(idle.user).exists(), name


def test_a_redacted_only_partner_reads_nothing_of_the_original_on_any_page(world: World) -> None:
    """The pages with no record in their URL (home, lists, maps) name no original either."""
    problems: list[str] = []
    for org in world.redacted.values():
        user = world.person(org, Role.CUSTODIAN).user
        persona = Persona("redacted", world.client(org, Role.CUSTODIAN), user)
        for route_key, route in ROUTES.items():
            if route.obj is not None or route.kwargs is not None:
                continue
            url = fill(route_key, {}) + route.query
            status, response = _send(persona.client, "get", url)
            if status == 500:
                problems.append(f"redacted: GET {url} raised {response}")
            else:
                _expect_no_original(world, persona, "GET", url, response, problems)
    assert not problems, "\n".join(problems)
