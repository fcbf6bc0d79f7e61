"""Maintenance reminders: notified once per occurrence, and a home-page card."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scape.core import schedule
from scape.core.choices import Role
from scape.directory.models import Notification
from scape.equipment.actions import do_record_maintenance, do_record_reading
from scape.equipment.actions.reminders import do_send_maintenance_reminders
from scape.equipment.choices import AssetKind, MaintenanceKind, MeterUnit
from scape.equipment.models import MaintenanceSchedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def car(make_asset):
    return make_asset(
        kind=AssetKind.ELECTRIC_CAR,
        tag="EV-1",
        purchase_date=timezone.localdate() - datetime.timedelta(days=400),
    )


def test_it_notifies_the_desk_once_per_due_date(
    car, desk, officer, lt_org, django_capture_on_commit_callbacks
):
    MaintenanceSchedule.objects.create(
        organization=lt_org, asset=car, kind=MaintenanceKind.SERVICE, every_days=365
    )
    with django_capture_on_commit_callbacks():
        assert do_send_maintenance_reminders() == 1
    note = Notification.objects.get()
    assert note.recipient == desk and note.url == car.get_absolute_url()
    assert note.title == "Maintenance overdue: Service of EV-1"
    assert "Due on" in note.body
    # The next runs remember it: no repeated reminder for the same occurrence.
    assert do_send_maintenance_reminders() == 0
    assert do_send_maintenance_reminders() == 0
    assert Notification.objects.count() == 1
    # Once serviced, the next occurrence is a year away; when it falls due, a new reminder.
    do_record_maintenance(car, kind=MaintenanceKind.SERVICE, actor=desk.user)
    assert do_send_maintenance_reminders() == 0
    later = timezone.localdate() + datetime.timedelta(days=360)
    assert do_send_maintenance_reminders(today=later) == 1
    assert Notification.objects.count() == 2


def test_it_notifies_when_the_meter_falls_due(car, desk, lt_org):
    MaintenanceSchedule.objects.create(
        organization=lt_org,
        asset_kind=AssetKind.ELECTRIC_CAR,
        kind=MaintenanceKind.INSPECTION,
        every_meter=Decimal("15000"),
        meter_unit=MeterUnit.KM,
    )
    do_record_reading(car, MeterUnit.KM, "9000", actor=desk.user)
    assert do_send_maintenance_reminders() == 0
    do_record_reading(car, MeterUnit.KM, "14000", actor=desk.user)
    assert do_send_maintenance_reminders() == 1
    do_record_reading(car, MeterUnit.KM, "15500", actor=desk.user)
    assert do_send_maintenance_reminders() == 0
    note = Notification.objects.get()
    assert "Inspection of EV-1" in note.title and "15000" in note.body


def test_the_job_is_registered_with_the_worker(car, lt_org, desk):
    MaintenanceSchedule.objects.create(
        organization=lt_org, asset=car, kind=MaintenanceKind.SERVICE, every_days=30
    )
    assert "equipment.maintenance_reminders" in schedule.REGISTRY
    assert "equipment.maintenance_reminders" in schedule.run_due()
    assert Notification.objects.filter(recipient=desk).count() == 1


def test_the_home_page_lists_maintenance_due_for_the_desk(
    car, desk, officer, lt_org, lv_org, persona, logged_in
):
    MaintenanceSchedule.objects.create(
        organization=lt_org, asset=car, kind=MaintenanceKind.SERVICE, every_days=365
    )
    home = logged_in(desk).get(reverse("directory:home")).text
    assert "Equipment maintenance due" in home and "EV-1" in home and "overdue" in home
    assert "Equipment maintenance due" not in logged_in(officer).get(reverse("directory:home")).text
    foreign = persona(lv_org, Role.COORDINATOR, username="lv-desk")
    assert "EV-1" not in logged_in(foreign).get(reverse("directory:home")).text


def test_the_job_drops_import_previews_left_unconfirmed_for_a_day(desk, lt_org):
    from scape.equipment.jobs import send_reminders
    from scape.equipment.models import ImportBatch

    old = ImportBatch.objects.create(organization=lt_org, uploaded_by=desk.user, file_name="a.csv")
    ImportBatch.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    fresh = ImportBatch.objects.create(
        organization=lt_org, uploaded_by=desk.user, file_name="b.csv"
    )
    assert "1 stale import previews dropped" in send_reminders()
    assert list(ImportBatch.objects.all()) == [fresh]
