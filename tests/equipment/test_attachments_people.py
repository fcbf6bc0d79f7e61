"""Maintenance attachments under names of our own, and each person's custody history."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from scape.core.choices import Role
from scape.equipment.actions import do_check_in, do_check_out
from scape.equipment.choices import MaintenanceKind
from scape.equipment.models import MaintenanceRecord

pytestmark = pytest.mark.django_db


def test_it_keeps_a_maintenance_invoice_and_serves_it_as_a_download(
    make_asset, desk, logged_in, lv_org, persona
):
    camera = make_asset(tag="BC-1")
    client = logged_in(desk)
    invoice = SimpleUploadedFile(
        "../Invoice 2026 <script>.pdf", b"%PDF-1.4 invoice", "application/pdf"
    )
    response = client.post(
        reverse("equipment:maintenance", args=[camera.pk]),
        {
            "kind": MaintenanceKind.REPAIR,
            "done_on": timezone.localdate().isoformat(),
            "cost": "45",
            "attachment": invoice,
        },
    )
    assert response.status_code == 302
    record = MaintenanceRecord.objects.get()
    assert record.attachment.name.endswith(".pdf") and "Invoice" not in record.attachment.name
    assert record.get_attachment_url() in client.get(camera.get_absolute_url()).text
    download = client.get(record.get_attachment_url())
    assert download.status_code == 200 and download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 invoice"
    stranger = persona(lv_org, Role.COORDINATOR, username="lv-desk")
    assert logged_in(stranger).get(record.get_attachment_url()).status_code == 404


def test_it_refuses_an_attachment_of_an_unknown_type(make_asset, desk, logged_in):
    camera = make_asset(tag="BC-1")
    response = logged_in(desk).post(
        reverse("equipment:maintenance", args=[camera.pk]),
        {
            "kind": MaintenanceKind.REPAIR,
            "done_on": timezone.localdate().isoformat(),
            "attachment": SimpleUploadedFile("run.html", b"<script>alert(1)</script>"),
        },
    )
    assert (
        response.status_code == 400
        and "Attach a PDF, a picture or an office document" in response.text
    )
    assert not MaintenanceRecord.objects.exists()


def test_it_shows_what_a_person_has_held(make_asset, desk, officer, logged_in, lv_org, persona):
    camera = make_asset(tag="BC-1")
    radio = make_asset(tag="RD-1", kind="radio")
    back = timezone.now() + datetime.timedelta(hours=3)
    do_check_out(camera, officer, back, actor=desk.user)
    do_check_in(camera, "Clip loose", actor=desk.user)
    do_check_out(radio, officer, back, actor=desk.user)
    client = logged_in(desk)
    assert (
        reverse("equipment:person", args=[officer.pk]) in client.get(camera.get_absolute_url()).text
    )
    page = client.get(reverse("equipment:person", args=[officer.pk])).text
    assert "BC-1" in page and "RD-1" in page and "Clip loose" in page and "not returned yet" in page
    stranger = persona(lv_org, Role.COORDINATOR, username="lv-desk")
    assert (
        logged_in(stranger).get(reverse("equipment:person", args=[officer.pk])).status_code == 404
    )


def test_the_desk_plans_and_removes_a_schedule(make_asset, desk, officer, logged_in, lt_org):
    from scape.equipment.models import MaintenanceSchedule

    car = make_asset(kind="electric_car", tag="EV-1")
    client = logged_in(desk)
    url = reverse("equipment:schedule_add", args=[car.pk])
    refused = client.post(url, {"kind": MaintenanceKind.SERVICE, "warn_days": 14})
    assert (
        refused.status_code == 400
        and "Give an interval in days, on a meter, or both." in refused.text
    )
    refused = client.post(
        url, {"kind": MaintenanceKind.SERVICE, "every_meter": "15000", "warn_days": 14}
    )
    assert refused.status_code == 400 and "Choose the meter of the interval." in refused.text
    assert not MaintenanceSchedule.objects.exists()
    response = client.post(
        url,
        {
            "kind": MaintenanceKind.SERVICE,
            "every_days": 365,
            "every_meter": "15000",
            "meter_unit": "km",
            "warn_days": 14,
            "whole_kind": "on",
        },
    )
    assert response.status_code == 302
    schedule = MaintenanceSchedule.objects.get()
    assert (
        schedule.asset is None
        and schedule.asset_kind == "electric_car"
        and schedule.organization == lt_org
    )
    assert "every 365 days" in client.get(car.get_absolute_url()).text
    assert (
        logged_in(officer)
        .post(reverse("equipment:schedule_delete", args=[car.pk, schedule.pk]))
        .status_code
        == 403
    )
    client = logged_in(desk)
    assert (
        client.post(reverse("equipment:schedule_delete", args=[car.pk, schedule.pk])).status_code
        == 302
    )
    assert not MaintenanceSchedule.objects.exists()
