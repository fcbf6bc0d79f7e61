"""Check-out and check-in: availability, competencies, and who held a camera when."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from scape.core.models import AuditEvent
from scape.equipment.actions import do_check_in, do_check_out
from scape.equipment.choices import AssetKind, AssetStatus
from scape.equipment.models import Checkout
from scape.equipment.queries import overdue_checkouts, who_held
from tests.equipment.conftest import grant

pytestmark = pytest.mark.django_db


def test_it_checks_out_and_in_with_an_audit_trail(make_asset, officer, desk):
    camera = make_asset(serial="SN-77")
    back = timezone.now() + datetime.timedelta(hours=8)
    checkout = do_check_out(camera, officer, back, actor=desk.user)
    camera.refresh_from_db()
    assert camera.status == AssetStatus.CHECKED_OUT and camera.open_checkout == checkout
    do_check_in(camera, "lens scratched", actor=desk.user)
    camera.refresh_from_db()
    checkout.refresh_from_db()
    assert camera.status == AssetStatus.AVAILABLE and camera.open_checkout is None
    assert checkout.condition == "lens scratched" and checkout.checked_in_by == desk.user
    actions = list(
        AuditEvent.objects.filter(
            object_type="equipment.asset", object_id=str(camera.pk)
        ).values_list("action", flat=True)
    )
    assert actions == [
        "equipment.asset_created",
        "equipment.asset_checked_out",
        "equipment.asset_checked_in",
    ]


def test_it_refuses_a_second_check_out(make_asset, officer, desk, persona, lt_org):
    camera = make_asset()
    do_check_out(camera, officer, None, actor=desk.user)
    other = persona(lt_org, "officer")
    with pytest.raises(ValidationError, match="already checked out"):
        do_check_out(camera, other, None, actor=desk.user)
    assert Checkout.objects.filter(asset=camera).count() == 1


def test_it_refuses_an_asset_in_maintenance(make_asset, officer, desk):
    camera = make_asset(status=AssetStatus.MAINTENANCE)
    with pytest.raises(ValidationError, match="not available"):
        do_check_out(camera, officer, None, actor=desk.user)
    assert not Checkout.objects.exists()


def test_it_refuses_a_person_of_another_organization(make_asset, desk, persona, lv_org):
    camera = make_asset()
    stranger = persona(lv_org, "officer")
    with pytest.raises(ValidationError, match="organization"):
        do_check_out(camera, stranger, None, actor=desk.user)


def test_it_refuses_check_out_without_the_competency_and_names_it(
    make_asset, officer, desk, ebike_patrol
):
    bike = make_asset(kind=AssetKind.E_BIKE, tag="EB-1")
    with pytest.raises(ValidationError) as refused:
        do_check_out(bike, officer, None, actor=desk.user)
    assert "E-bike patrol" in refused.value.messages[0]
    assert "Jonas Petraitis" in refused.value.messages[0]
    bike.refresh_from_db()
    assert bike.status == AssetStatus.AVAILABLE and not Checkout.objects.exists()


def test_it_refuses_an_expired_or_revoked_competency(make_asset, officer, desk, ebike_patrol):
    bike = make_asset(kind=AssetKind.E_BIKE, tag="EB-1")
    grant(officer, ebike_patrol, valid_until=timezone.localdate() - datetime.timedelta(days=1))
    grant(officer, ebike_patrol, revoked=True)
    with pytest.raises(ValidationError, match="E-bike patrol"):
        do_check_out(bike, officer, None, actor=desk.user)


def test_it_refuses_a_competency_past_its_validity_days(make_asset, officer, desk, ebike_patrol):
    ebike_patrol.validity_days = 10
    ebike_patrol.save()
    bike = make_asset(kind=AssetKind.E_BIKE, tag="EB-1")
    grant(officer, ebike_patrol)  # granted 30 days ago, valid for 10
    with pytest.raises(ValidationError, match="E-bike patrol"):
        do_check_out(bike, officer, None, actor=desk.user)


def test_it_allows_check_out_with_a_valid_competency(make_asset, officer, desk, ebike_patrol):
    bike = make_asset(kind=AssetKind.E_BIKE, tag="EB-1")
    grant(officer, ebike_patrol, valid_until=timezone.localdate() + datetime.timedelta(days=90))
    checkout = do_check_out(bike, officer, None, actor=desk.user)
    assert checkout.person == officer


def test_it_refuses_check_in_of_an_asset_not_out(make_asset, desk):
    camera = make_asset()
    with pytest.raises(ValidationError, match="not checked out"):
        do_check_in(camera, "", actor=desk.user)


def test_it_tells_who_held_a_camera_at_a_time(make_asset, officer, desk, persona, lt_org):
    camera = make_asset(serial="AXON-123")
    other = persona(lt_org, "officer")
    t0 = timezone.now() - datetime.timedelta(days=2)
    first = do_check_out(camera, officer, None, actor=desk.user)
    do_check_in(camera, "", actor=desk.user)
    second = do_check_out(camera, other, None, actor=desk.user)
    # Place the custody periods in the past: officer day -2 08:00-16:00, other from day -1.
    Checkout.objects.filter(pk=first.pk).update(
        checked_out_at=t0, checked_in_at=t0 + datetime.timedelta(hours=8)
    )
    Checkout.objects.filter(pk=second.pk).update(checked_out_at=t0 + datetime.timedelta(days=1))
    assert who_held("AXON-123", t0 + datetime.timedelta(hours=3)) == officer
    assert who_held("AXON-123", t0 + datetime.timedelta(hours=8)) is None  # returned
    assert who_held("AXON-123", t0 - datetime.timedelta(minutes=1)) is None
    assert who_held("AXON-123", timezone.now()) == other  # still out
    assert who_held("OTHER", timezone.now()) is None
    assert who_held("AXON-123", timezone.now(), organization=lt_org) == other


def test_it_lists_overdue_check_outs(make_asset, officer, desk, lt_org):
    late, on_time = make_asset(tag="BC-1"), make_asset(tag="BC-2")
    first = do_check_out(
        late, officer, timezone.now() + datetime.timedelta(hours=1), actor=desk.user
    )
    do_check_out(on_time, officer, timezone.now() + datetime.timedelta(hours=5), actor=desk.user)
    later = timezone.now() + datetime.timedelta(hours=2)
    assert list(overdue_checkouts(lt_org, later)) == [first]
