"""Officers and specialists take equipment of their organization for themselves."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from scape.core.choices import Role
from scape.equipment.actions import do_check_out
from scape.equipment.choices import AssetKind, AssetStatus
from scape.equipment.models import Checkout
from tests.equipment.conftest import grant

pytestmark = pytest.mark.django_db


def test_an_officer_checks_a_camera_out_to_themselves_and_back_in(make_asset, officer, logged_in):
    camera = make_asset(tag="BC-1")
    client = logged_in(officer)
    page = client.get(camera.get_absolute_url()).text
    assert "Check out" in page and "Jonas Petraitis" in page
    response = client.post(reverse("equipment:check_out", args=[camera.pk]), {"person": officer.pk})
    assert response.status_code == 302
    assert Checkout.objects.get().person == officer
    assert "Check in" in client.get(camera.get_absolute_url()).text
    response = client.post(reverse("equipment:check_in", args=[camera.pk]), {"condition": "ok"})
    assert response.status_code == 302
    camera.refresh_from_db()
    assert camera.status == AssetStatus.AVAILABLE


def test_the_competency_gate_applies_to_self_check_out(
    make_asset, officer, logged_in, ebike_patrol
):
    bike = make_asset(kind=AssetKind.E_BIKE, tag="EB-1")
    client = logged_in(officer)
    response = client.post(reverse("equipment:check_out", args=[bike.pk]), {"person": officer.pk})
    assert response.status_code == 400 and "E-bike patrol" in response.text
    grant(officer, ebike_patrol)
    response = client.post(reverse("equipment:check_out", args=[bike.pk]), {"person": officer.pk})
    assert response.status_code == 302


def test_an_officer_cannot_check_in_what_a_colleague_holds(
    make_asset, desk, officer, lt_org, persona, logged_in
):
    camera = make_asset(tag="BC-1")
    colleague = persona(lt_org, Role.OFFICER, username="ona")
    do_check_out(camera, colleague, timezone.now() + datetime.timedelta(hours=2), actor=desk.user)
    client = logged_in(officer)
    assert "Check in" not in client.get(camera.get_absolute_url()).text
    response = client.post(reverse("equipment:check_in", args=[camera.pk]), {"condition": "x"})
    assert response.status_code == 403
    assert Checkout.objects.get().checked_in_at is None


def test_an_asset_in_maintenance_cannot_be_taken(make_asset, officer, logged_in):
    camera = make_asset(tag="BC-1", status=AssetStatus.MAINTENANCE)
    client = logged_in(officer)
    response = client.post(reverse("equipment:check_out", args=[camera.pk]), {"person": officer.pk})
    assert response.status_code == 400 and "not available" in response.text
    assert not Checkout.objects.exists()


def test_a_volunteer_or_auditor_takes_nothing(make_asset, lt_org, persona, logged_in):
    camera = make_asset(tag="BC-1")
    auditor = persona(lt_org, Role.AUDITOR, username="aud")
    client = logged_in(auditor)
    assert "Check out" not in client.get(camera.get_absolute_url()).text
    response = client.post(reverse("equipment:check_out", args=[camera.pk]), {"person": auditor.pk})
    assert response.status_code == 403 and not Checkout.objects.exists()
