"""Equipment pages: list, asset page with check-out/in, label sheet, CO₂ page and CSV."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from scape.core.choices import Role
from scape.equipment.actions import do_check_out
from scape.equipment.choices import AssetKind, AssetStatus, MaintenanceKind
from scape.equipment.models import Checkout, MaintenanceSchedule

pytestmark = pytest.mark.django_db


def test_it_lists_assets_filtered_by_kind(make_asset, desk, logged_in):
    make_asset(tag="BC-1")
    make_asset(kind=AssetKind.DRONE, tag="DR-1")
    client = logged_in(desk)
    page = client.get(reverse("equipment:assets"), {"kind": AssetKind.DRONE})
    assert page.status_code == 200
    assert "DR-1" in page.text and "BC-1" not in page.text


def test_it_shows_maintenance_due_and_late_returns_to_the_desk(
    make_asset, desk, officer, lt_org, logged_in
):
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    camera = make_asset(tag="BC-1")
    MaintenanceSchedule.objects.create(
        organization=lt_org, asset=car, kind=MaintenanceKind.SERVICE, every_days=1
    )
    do_check_out(camera, officer, timezone.now() + datetime.timedelta(hours=1), actor=desk.user)
    Checkout.objects.update(expected_return=timezone.now() - datetime.timedelta(hours=1))
    page = logged_in(desk).get(reverse("equipment:assets")).text
    assert "Maintenance due" in page and "Not returned on time" in page
    assert "Jonas Petraitis" in page


def test_it_checks_out_and_in_from_the_asset_page(make_asset, desk, officer, logged_in):
    camera = make_asset(tag="BC-1")
    client = logged_in(desk)
    page = client.get(camera.get_absolute_url())
    assert page.status_code == 200 and "Check out" in page.text
    response = client.post(reverse("equipment:check_out", args=[camera.pk]), {"person": officer.pk})
    assert response.status_code == 302
    camera.refresh_from_db()
    assert camera.status == AssetStatus.CHECKED_OUT
    page = client.get(camera.get_absolute_url())
    assert "Jonas Petraitis" in page.text and "Check in" in page.text
    response = client.post(reverse("equipment:check_in", args=[camera.pk]), {"condition": "fine"})
    assert response.status_code == 302
    assert Checkout.objects.get().condition == "fine"


def test_it_shows_the_missing_competency_on_the_page(
    make_asset, desk, officer, logged_in, ebike_patrol
):
    bike = make_asset(kind=AssetKind.E_BIKE, tag="EB-1")
    response = logged_in(desk).post(
        reverse("equipment:check_out", args=[bike.pk]), {"person": officer.pk}
    )
    assert response.status_code == 400 and "E-bike patrol" in response.text
    assert not Checkout.objects.exists()


def test_it_lets_an_officer_see_but_not_check_out_to_someone_else(
    make_asset, officer, lt_org, persona, logged_in
):
    camera = make_asset(tag="BC-1")
    colleague = persona(lt_org, Role.OFFICER, username="ona")
    client = logged_in(officer)
    page = client.get(camera.get_absolute_url())
    assert page.status_code == 200 and "Check out" in page.text
    response = client.post(
        reverse("equipment:check_out", args=[camera.pk]), {"person": colleague.pk}
    )
    assert response.status_code == 400
    assert not Checkout.objects.exists()


def test_it_hides_another_organizations_assets(make_asset, persona, lv_org, officer, logged_in):
    camera = make_asset(tag="BC-1")
    stranger = persona(lv_org, Role.COORDINATOR)
    client = logged_in(stranger)
    assert client.get(camera.get_absolute_url()).status_code == 404
    response = client.post(reverse("equipment:check_out", args=[camera.pk]), {"person": officer.pk})
    assert response.status_code == 404
    assert client.post(reverse("equipment:check_in", args=[camera.pk])).status_code == 404
    assert "BC-1" not in client.get(reverse("equipment:assets")).text
    assert client.get(reverse("equipment:labels")).status_code == 404
    assert not Checkout.objects.exists()


def test_it_prints_a_qr_label_sheet(make_asset, desk, logged_in):
    camera = make_asset(tag="BC-1", make="Axon", model="Body 4")
    drone = make_asset(kind=AssetKind.DRONE, tag="DR-1")
    response = logged_in(desk).get(reverse("equipment:labels"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    urls = [f"http://testserver/equipment/assets/{a.pk}/" for a in (camera, drone)]
    # Each label links to its asset's page (the QR's payload)...
    for url in urls:
        assert f"/URI ({url})".encode() in pdf
    # ...and a phone camera pointed at the printed sheet reads exactly those URLs.
    import cv2
    import numpy
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(pdf)[0].render(scale=3).to_pil().convert("L")
    found, decoded, _points, _ = cv2.QRCodeDetectorAruco().detectAndDecodeMulti(numpy.array(image))
    assert found and sorted(decoded) == sorted(urls)


def test_it_shows_the_co2_report_with_sources_and_a_csv(desk, logged_in):
    client = logged_in(desk)
    page = client.get(reverse("equipment:co2"), {"year": 2024, "month": 5})
    assert page.status_code == 200
    assert "108.1" in page.text and "EEA" in page.text and "273.30" in page.text
    csv = client.get(reverse("equipment:co2_csv"), {"year": 2024, "month": 5})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "EEA — CO2 performance" in csv.content.decode()


def test_a_factor_source_typed_as_a_formula_is_exported_as_text(desk, logged_in):
    from scape.equipment.models import EmissionFactor

    EmissionFactor.objects.filter(kind=EmissionFactor.Kind.VEHICLE).update(
        source='=HYPERLINK("http://example.invalid","EEA")'
    )
    client = logged_in(desk)
    csv = client.get(reverse("equipment:co2_csv"), {"year": 2024, "month": 5}).content.decode()
    assert "'=HYPERLINK(" in csv
    assert ",=HYPERLINK(" not in csv


def test_it_exports_the_co2_report_as_xlsx(desk, logged_in):
    import io

    from openpyxl import load_workbook

    client = logged_in(desk)
    response = client.get(reverse("equipment:co2_xlsx"), {"year": 2024, "month": 5})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Vehicle kind", "Distance (km)")
    assert any(row[0] == "Reference car factor" and row[1] == pytest.approx(108.1) for row in rows)
    assert any(row[0] == "Grid factor" and "EEA" not in str(row[4]) for row in rows)


def test_the_co2_csv_writes_numbers_as_a_person_would(desk, logged_in):
    import re

    client = logged_in(desk)
    csv = client.get(reverse("equipment:co2_csv"), {"year": 2024, "month": 5}).content.decode()
    assert "273.3" in csv
    assert not re.search(r"\d\.\d*0000", csv), csv  # no 5.76000000000000
