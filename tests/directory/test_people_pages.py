"""The people pages: bad input changes nothing, scripts are shown as text, sharing works."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scape.core.choices import Role
from scape.core.models import AuditEvent, Grant
from scape.directory.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(lt_org, persona):
    return persona(lt_org, Role.ORG_ADMIN, username="admin-lt")


def _form(person, **changes):
    data = {
        "first_name": person.user.first_name,
        "last_name": person.user.last_name,
        "email": "",
        "position": "",
        "badge_number": "",
        "phone": "",
        "radio_call_sign": "",
        "gender": "unspecified",
        "roles": person.role_codes(),
    }
    data.update(changes)
    return data


def test_an_invalid_phone_is_refused_in_the_users_language_and_nothing_changes(
    client, lt_org, persona, logged_in, admin
):
    officer = persona(lt_org, Role.OFFICER, position="Patrulis")
    admin.ui_language = "lt"
    admin.save()
    logged_in(admin)
    before = AuditEvent.objects.count()
    response = client.post(
        f"/people/{officer.pk}/edit/", _form(officer, phone="call me maybe", position="Chief")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="lt"' in body and 'class="errors"' in body
    assert "Enter a phone number" not in body  # shown in Lithuanian, not English
    officer.refresh_from_db()
    assert officer.position == "Patrulis"
    assert AuditEvent.objects.count() == before


def test_a_valid_change_is_saved_and_audited(client, lt_org, persona, logged_in, admin):
    officer = persona(lt_org, Role.OFFICER)
    logged_in(admin)
    response = client.post(
        f"/people/{officer.pk}/edit/",
        _form(officer, phone="+370 600 12345", roles=[Role.OFFICER, Role.CUSTODIAN]),
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.phone == "+370 600 12345"
    assert set(officer.role_codes()) == {Role.OFFICER, Role.CUSTODIAN}
    assert AuditEvent.objects.filter(action="directory.person_changed").exists()
    granted = AuditEvent.objects.get(
        action="directory.role_granted", object_id=str(officer.pk), details__role="custodian"
    )
    assert granted.actor_username == "admin-lt"


def test_a_script_in_a_name_is_shown_as_text(client, lt_org, persona, logged_in, admin):
    persona(lt_org, Role.OFFICER, first_name="<script>alert('x')</script>")
    logged_in(admin)
    body = client.get("/people/").content.decode()
    assert "<script>alert('x')</script>" not in body
    assert "&lt;script&gt;" in body


def test_an_org_admin_cannot_make_a_system_administrator(client, lt_org, persona, logged_in, admin):
    officer = persona(lt_org, Role.OFFICER)
    logged_in(admin)
    response = client.post(f"/people/{officer.pk}/edit/", _form(officer, roles=[Role.SYS_ADMIN]))
    assert "Only a system administrator" in response.content.decode()
    assert officer.role_codes() == [Role.OFFICER]


def test_sharing_needs_a_purpose_and_a_future_expiry(
    client, lt_org, lv_org, persona, logged_in, admin
):
    officer = persona(lt_org, Role.OFFICER)
    logged_in(admin)
    past = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/people/{officer.pk}/share/", {"grantee": lv_org.pk, "purpose": " ", "expires_at": past}
    )
    body = response.content.decode()
    assert "This field is required." in body or "Say why the record is shared." in body
    response = client.post(
        f"/people/{officer.pk}/share/",
        {"grantee": lv_org.pk, "purpose": "Joint patrol in Palanga", "expires_at": past},
    )
    assert "The expiry must be in the future." in response.content.decode()
    assert not Grant.objects.exists()


def test_a_shared_record_is_visible_to_the_partner_until_revoked(
    client, lt_org, lv_org, persona, logged_in, admin
):
    officer = persona(lt_org, Role.OFFICER, first_name="Andrius")
    partner = persona(lv_org, Role.OFFICER)
    logged_in(admin)
    future = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/people/{officer.pk}/share/",
        {"grantee": lv_org.pk, "purpose": "Joint patrol in Palanga", "expires_at": future},
    )
    assert response.status_code == 302
    shared = AuditEvent.objects.get(action="core.shared")
    assert (shared.reason, shared.recipient) == ("Joint patrol in Palanga", lv_org.code)

    logged_in(partner)
    assert client.get(f"/people/{officer.pk}/").status_code == 200
    assert "Andrius" in client.get("/people/").content.decode()

    logged_in(admin)
    grant = Grant.objects.get()
    assert client.post(f"/people/{officer.pk}/share/{grant.pk}/revoke/").status_code == 302
    logged_in(partner)
    assert client.get(f"/people/{officer.pk}/").status_code == 404


def test_deactivation_stops_login_and_keeps_the_record(client, lt_org, persona, logged_in, admin):
    officer = persona(lt_org, Role.OFFICER)
    logged_in(admin)
    assert client.post(f"/people/{officer.pk}/deactivate/").status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active and not officer.user.is_active
    assert Person.objects.filter(pk=officer.pk).exists()


def test_an_admin_cannot_deactivate_themselves(client, logged_in, admin):
    logged_in(admin)
    client.post(f"/people/{admin.pk}/deactivate/")
    admin.refresh_from_db()
    assert admin.is_active


def test_the_language_choice_is_saved_on_the_profile(client, lt_org, persona, logged_in):
    person = persona(lt_org, Role.SPECIALIST)
    logged_in(person)
    client.post("/i18n/setlang/", {"language": "lv", "next": "/"})
    person.refresh_from_db()
    assert person.ui_language == "lv"
    client.cookies.clear()  # another browser: the profile decides
    logged_in(person)
    assert 'lang="lv"' in client.get("/").content.decode()


def test_opening_someone_elses_card_is_recorded(client, lt_org, persona, logged_in):
    from scape.core.models import AuditEvent

    viewer = persona(lt_org, Role.COORDINATOR, username="viewer")
    other = persona(lt_org, Role.OFFICER, username="seen")
    logged_in(viewer)
    assert client.get(f"/people/{other.pk}/").status_code == 200
    client.get(f"/people/{viewer.pk}/")
    viewed = AuditEvent.objects.filter(action="directory.person_viewed")
    assert [e.object_id for e in viewed] == [str(other.pk)]
