"""Asset create and edit pages: every field, type-specific details, clear refusals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from scape.core.choices import Role
from scape.directory.models import Unit
from scape.equipment.actions import do_check_out, do_update_asset
from scape.equipment.choices import AssetKind, AssetStatus
from scape.equipment.models import Asset

pytestmark = pytest.mark.django_db


def _form(**values):
    data = {"kind": AssetKind.RADIO, "tag": "RD-7", "status": AssetStatus.AVAILABLE}
    data.update(values)
    return data


def test_it_registers_a_radio_with_its_issi_and_call_sign(desk, lt_org, logged_in):
    unit = Unit.objects.create(organization=lt_org, name="Palanga patrol")
    client = logged_in(desk)
    assert client.get(reverse("equipment:asset_create")).status_code == 200
    response = client.post(
        reverse("equipment:asset_create"),
        _form(
            serial="TPR-1",
            make="Motorola",
            model="MTP3550",
            unit=unit.pk,
            location="Palanga station",
            purchase_date="2025-03-01",
            price="1234.50",
            funding_source="Interreg Latvia-Lithuania",
            notes="Spare battery in the box",
            issi="2620017",
            call_sign="Palanga 7",
            plate="SHOULD-BE-DROPPED",
        ),
    )
    asset = Asset.objects.get(tag="RD-7")
    assert response.status_code == 302 and response["Location"] == asset.get_absolute_url()
    assert asset.organization == lt_org and asset.unit == unit
    assert asset.price == Decimal("1234.50") and asset.purchase_date == datetime.date(2025, 3, 1)
    assert asset.details == {"issi": "2620017", "call_sign": "Palanga 7"}
    page = client.get(asset.get_absolute_url()).text
    assert "2620017" in page and "Palanga 7" in page and "Interreg" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"issi": "12ab"}, "An ISSI is a number from 1 to 16777215."),
        ({"issi": "99999999"}, "An ISSI is a number from 1 to 16777215."),
        ({"tag": ""}, "This field is required."),
        ({"price": "-5"}, "greater than or equal to 0"),
        ({"purchase_date": "2999-01-01"}, "The purchase date cannot be in the future."),
        ({"purchase_date": "32.13.2024"}, "Enter a valid date."),
    ],
)
def test_it_refuses_bad_values_with_a_message(desk, logged_in, values, message):
    response = logged_in(desk).post(reverse("equipment:asset_create"), _form(**values))
    assert response.status_code == 400
    assert message in response.text
    assert not Asset.objects.exists()


def test_it_refuses_a_tag_already_used(desk, make_asset, logged_in):
    make_asset(tag="RD-7")
    response = logged_in(desk).post(reverse("equipment:asset_create"), _form())
    assert response.status_code == 400
    assert "The tag RD-7 is already used in this organization." in response.text
    assert Asset.objects.count() == 1


def test_it_edits_an_asset(desk, make_asset, logged_in):
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    client = logged_in(desk)
    page = client.get(reverse("equipment:asset_edit", args=[car.pk]))
    assert page.status_code == 200 and 'value="EV-1"' in page.text
    response = client.post(
        reverse("equipment:asset_edit", args=[car.pk]),
        _form(
            kind=AssetKind.ELECTRIC_CAR,
            tag="EV-1",
            status=AssetStatus.MAINTENANCE,
            plate="abc 123",
            battery_kwh="64",
        ),
    )
    assert response.status_code == 302
    car.refresh_from_db()
    assert car.status == AssetStatus.MAINTENANCE
    assert car.details == {"plate": "ABC 123", "battery_kwh": "64"}


def test_a_checked_out_asset_keeps_its_status_until_checked_in(
    desk, officer, make_asset, logged_in
):
    camera = make_asset(tag="BC-1")
    do_check_out(camera, officer, timezone.now() + datetime.timedelta(hours=2), actor=desk.user)
    client = logged_in(desk)
    assert 'name="status"' not in client.get(reverse("equipment:asset_edit", args=[camera.pk])).text
    response = client.post(
        reverse("equipment:asset_edit", args=[camera.pk]),
        _form(kind=AssetKind.BODY_CAMERA, tag="BC-1", status=AssetStatus.LOST, notes="Clip"),
    )
    assert response.status_code == 302
    camera.refresh_from_db()
    assert camera.status == AssetStatus.CHECKED_OUT and camera.notes == "Clip"
    with pytest.raises(ValidationError, match=r"Check the asset in before changing its status\."):
        do_update_asset(camera, status=AssetStatus.LOST, actor=desk.user)
    camera.refresh_from_db()
    assert camera.status == AssetStatus.CHECKED_OUT


def test_only_the_equipment_desk_registers_and_edits(
    officer, make_asset, logged_in, lv_org, persona
):
    camera = make_asset(tag="BC-1")
    client = logged_in(officer)
    assert client.get(reverse("equipment:asset_create")).status_code == 403
    assert client.post(reverse("equipment:asset_create"), _form()).status_code == 403
    assert client.get(reverse("equipment:asset_edit", args=[camera.pk])).status_code == 403
    foreign = persona(lv_org, Role.COORDINATOR, username="lv-desk")
    client = logged_in(foreign)
    assert client.get(reverse("equipment:asset_edit", args=[camera.pk])).status_code == 404
    assert not Asset.objects.filter(tag="RD-7").exists()
