"""The admin writes nothing the actions would not, and records all it writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from scape.core.admin import AuditedAdmin, ReadOnlyAdmin
from scape.core.choices import Role
from scape.core.models import AuditEvent, Grant
from scape.core.testing import login
from scape.directory.models import Organization, Person
from scape.directory.testing import make_org, make_person
from scape.traffic.actions import do_create_entry, do_share_entry
from scape.traffic.choices import HotlistReason

pytestmark = pytest.mark.django_db

# Organization-owned records the admin may edit: the organization itself
# (through the directory's actions) and the programme's list of solutions,
# which has no page of its own.
EDITABLE_OWNED = {"directory.Organization", "reports.Solution"}


def _owned(model: type) -> bool:
    if model in (Person, Grant):
        return True
    return any(
        getattr(f, "related_model", None) is Organization and not f.auto_created
        for f in model._meta.get_fields()
    )


def test_every_model_in_the_admin_has_one_of_the_two_shapes():
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        assert isinstance(model_admin, ReadOnlyAdmin | AuditedAdmin), label
        if _owned(model) and label not in EDITABLE_OWNED:
            assert isinstance(model_admin, ReadOnlyAdmin), f"{label} is editable in the admin"


def test_tokens_authenticators_and_plate_reads_are_not_in_the_admin():
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import TokenProxy

    from scape.traffic.models import Hit, HotlistEntry, PlateRead
    from scape.vault.models import EvidenceItem

    for model in (TokenProxy, TOTPDevice, PlateRead, Hit, HotlistEntry, EvidenceItem):
        assert not admin.site.is_registered(model), model


@pytest.fixture
def root(db):
    org = make_org("pal")
    person = make_person(org, [Role.SYS_ADMIN, Role.COORDINATOR], username="root")
    person.user.is_staff = person.user.is_superuser = True
    person.user.save()
    return login(Client(), person.user), person


def test_a_grant_is_revoked_from_the_admin_through_the_action_and_never_edited(root):
    client, person = root
    partner = make_org("lie")
    entry = do_create_entry(
        person.organization, plate="GUF465", reason=HotlistReason.STOLEN_VEHICLE,
        valid_until=timezone.now() + timedelta(days=5), actor=person.user,
    )  # fmt: skip
    grant = do_share_entry(
        entry, grantee=partner, actor=person.user, expires_at=timezone.now() + timedelta(days=5)
    )
    change = f"/admin/core/grant/{grant.pk}/change/"
    later = (timezone.now() + timedelta(days=900)).strftime("%Y-%m-%d")
    assert client.post(change, {"expires_at_0": later, "grantee": partner.pk}).status_code == 403
    grant.refresh_from_db()
    assert grant.expires_at < timezone.now() + timedelta(days=6)

    response = client.post(
        "/admin/core/grant/", {"action": "revoke", "_selected_action": [grant.pk]}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == person.user
    assert AuditEvent.objects.filter(action="core.share_revoked", actor_username="root").exists()


def test_an_organization_is_saved_through_its_action_and_its_units_are_recorded(root):
    client, person = root
    org = person.organization
    url = f"/admin/directory/organization/{org.pk}/change/"
    form = {
        "name_lt": org.name_lt, "name_lv": org.name_lv, "name_en": org.name_en,
        "short_name": "", "country": org.country, "kind": org.kind, "street": "",
        "postal_code": "", "city": "Šventoji", "phone": "", "email": "", "website": "",
        "is_active": "on", "webhook_url": "",
        "units-TOTAL_FORMS": "1", "units-INITIAL_FORMS": "0",
        "units-MIN_NUM_FORMS": "0", "units-MAX_NUM_FORMS": "1000",
        "units-0-name": "Beach patrol", "units-0-organization": str(org.pk),
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    org.refresh_from_db()
    assert org.city == "Šventoji"
    changed = AuditEvent.objects.get(action="directory.organization_changed")
    assert changed.details == {"city": "Šventoji"} and changed.actor_username == "root"
    assert AuditEvent.objects.filter(action="directory.unit_created").count() == 1

    # A webhook without a secret is refused by the same rule as on the page.
    refused = client.post(url, {**form, "webhook_url": "https://example.org/hook"})
    assert refused.status_code == 200 and "secret" in refused.content.decode()
    org.refresh_from_db()
    assert org.webhook_url == ""
    assert client.post(f"/admin/directory/organization/{org.pk}/delete/").status_code == 403


def test_making_someone_a_superuser_in_the_admin_is_recorded(root):
    client, _person = root
    other = make_person(make_org("lie"), [Role.OFFICER], username="jonas")
    user = get_user_model().objects.get(pk=other.user.pk)
    url = f"/admin/auth/user/{user.pk}/change/"
    form = {
        "username": "jonas", "first_name": "Jonas", "last_name": "Tester", "email": "",
        "is_active": "on", "is_staff": "on", "is_superuser": "on",
        "date_joined_0": "2026-12-01", "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-12-01", "initial-date_joined_1": "10:00:00",
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    event = AuditEvent.objects.get(action="auth.user_changed")
    assert "is_superuser" in event.details["fields"] and event.actor_username == "root"


def test_a_person_cannot_be_edited_in_the_admin(root):
    client, person = root
    response = client.post(f"/admin/directory/person/{person.pk}/change/", {"position": "x"})
    assert response.status_code == 403


def test_staff_without_the_right_cannot_tell_from_a_history_page_which_records_exist(db):
    org = make_org("pal")
    person = make_person(org, [Role.SYS_ADMIN], username="staffer")
    person.user.is_staff = True
    person.user.save()
    client = login(Client(), person.user)
    existing = client.get(f"/admin/directory/person/{person.pk}/history/")
    missing = client.get("/admin/directory/person/999999/history/")
    assert existing.status_code == missing.status_code == 403
