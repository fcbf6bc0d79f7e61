"""Inventory import from CSV and XLSX with a preview, and export of the list to CSV/XLSX."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from scape.core.choices import Role
from scape.equipment.choices import AssetKind
from scape.equipment.models import Asset, ImportBatch

pytestmark = pytest.mark.django_db

CSV = (
    "tag;kind;serial;purchase_date;price;organization;issi\n"
    "RD-1;radio;S1;2024-05-01;1200,50;lt-police;2620001\n"
    "RD-2;walkie;S2;;;;\n"
    "RD-1;radio;S3;;;;\n"
    "BC-9;body_camera;S4;31.02.2024;;;\n"
    "BC-10;Body camera;S5;;lots;;\n"
    "BC-11;body_camera;S6;;;nowhere;\n"
    "BC-12;body_camera;S7;01.03.2024;99;;\n"
)


def _upload(client, name, data):
    return client.post(reverse("equipment:import"), {"file": SimpleUploadedFile(name, data)})


def test_it_previews_rows_with_their_errors_and_imports_the_valid_ones(desk, logged_in, make_asset):
    make_asset(tag="BC-1")
    client = logged_in(desk)
    response = _upload(client, "inventory.csv", CSV.encode())
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{batch.pk}/")
    assert Asset.objects.count() == 1  # nothing imported before confirming
    page = client.get(response["Location"]).text
    for message in (
        "Unknown kind “walkie”.",
        "The tag RD-1 appears twice in the file.",
        "The purchase date “31.02.2024” is not a date",
        "The price “lots” is not a number.",
        "Unknown organization nowhere.",
    ):
        assert message in page
    assert "2 rows can be imported" in page
    response = client.post(response["Location"], {})
    assert response.status_code == 302
    radio = Asset.objects.get(tag="RD-1")
    assert radio.price == Decimal("1200.50") and radio.details == {"issi": "2620001"}
    assert radio.serial == "S1"
    assert Asset.objects.get(tag="BC-12").purchase_date.isoformat() == "2024-03-01"
    assert Asset.objects.count() == 3
    # A second confirmation imports nothing more.
    again = client.post(reverse("equipment:import_preview", args=[batch.pk]), {})
    assert again.status_code == 400 and "already imported" in again.text
    assert Asset.objects.count() == 3


def test_strict_mode_imports_nothing_when_a_row_is_wrong(desk, logged_in):
    client = logged_in(desk)
    response = _upload(client, "inventory.csv", CSV.encode())
    response = client.post(response["Location"], {"strict": "on"})
    assert response.status_code == 400 and "Nothing was imported" in response.text
    assert not Asset.objects.exists()


def test_it_imports_an_xlsx_inventory(desk, logged_in):
    import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["Tag", "Kind", "Purchase date", "Price", "Plate"])
    sheet.append(["EV-1", "electric_car", datetime.datetime(2024, 6, 1), 31500, "abc123"])
    sheet.append(["EB-1", "e_bike", None, 2100.5, None])
    buffer = io.BytesIO()
    book.save(buffer)
    client = logged_in(desk)
    response = _upload(client, "fleet.xlsx", buffer.getvalue())
    assert response.status_code == 302
    assert "2 rows can be imported" in client.get(response["Location"]).text
    client.post(response["Location"], {"strict": "on"})
    car = Asset.objects.get(tag="EV-1")
    assert car.kind == AssetKind.ELECTRIC_CAR and car.details == {"plate": "ABC123"}
    assert car.purchase_date.isoformat() == "2024-06-01" and car.price == Decimal("31500.00")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("inventory.xlsx", b"PK\x03\x04 broken", "This is not a readable XLSX file."),
        ("inventory.pdf", b"%PDF", "Import a .csv or .xlsx file."),
        ("inventory.csv", b"serial,make\n1,2\n", "missing: tag, kind"),
        ("inventory.csv", "tag,kind\nÄ,radio\n".encode("utf-16"), "Save the CSV file as UTF-8"),
    ],
)
def test_it_refuses_an_unreadable_file(desk, logged_in, name, data, message):
    response = _upload(logged_in(desk), name, data)
    assert response.status_code == 400 and message in response.text
    assert not ImportBatch.objects.exists() and not Asset.objects.exists()


def _with_dimension(ref: str) -> bytes:
    """Return a small XLSX whose sheet declares the size `ref` (as another program may write)."""
    import re
    import zipfile

    book = Workbook()
    book.active.append(["Tag", "Kind"])
    book.active.append(["R-1", "radio"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            dst.writestr(info, data)
    return out.getvalue()


def test_it_refuses_a_sheet_declaring_too_many_columns_before_reading_rows(desk, logged_in):
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = _upload(logged_in(desk), "wide.xlsx", _with_dimension("A1:XFD3000"))
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert response.status_code == 400 and "16384 columns" in response.text
    assert grown_mib < 50
    assert not ImportBatch.objects.exists()


def test_an_officer_cannot_import(officer, logged_in):
    client = logged_in(officer)
    assert client.get(reverse("equipment:import")).status_code == 403
    assert _upload(client, "inventory.csv", CSV.encode()).status_code == 403


def test_nobody_else_sees_or_confirms_my_preview(desk, lt_org, persona, logged_in):
    response = _upload(logged_in(desk), "inventory.csv", CSV.encode())
    other = persona(lt_org, Role.COORDINATOR, username="desk2")
    client = logged_in(other)
    assert client.get(response["Location"]).status_code == 404
    assert client.post(response["Location"], {}).status_code == 404
    assert not Asset.objects.exists()


def test_it_exports_the_list_without_formulas(desk, make_asset, logged_in):
    make_asset(tag="BC-1", make='=HYPERLINK("http://x.invalid")', price="199.99")
    make_asset(kind=AssetKind.RADIO, tag="RD-1", details={"issi": "2620001"})
    client = logged_in(desk)
    csv = client.get(reverse("equipment:export", args=["csv"]))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("organization,tag,kind")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    xlsx = client.get(reverse("equipment:export", args=["xlsx"]), {"kind": AssetKind.RADIO})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "RD-1" and "2620001" in rows[1]
    everything = client.get(reverse("equipment:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(everything.content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == '\'=HYPERLINK("http://x.invalid")' for c in cells)


def test_an_export_can_be_imported_again(desk, make_asset, logged_in, lt_org):
    make_asset(kind=AssetKind.RADIO, tag="RD-1", details={"issi": "2620001"}, price="10")
    client = logged_in(desk)
    exported = client.get(reverse("equipment:export", args=["xlsx"])).content
    Asset.objects.all().delete()
    response = _upload(client, "equipment.xlsx", exported)
    client.post(response["Location"], {"strict": "on"})
    radio = Asset.objects.get(tag="RD-1")
    assert radio.details == {"issi": "2620001"} and radio.price == Decimal("10.00")


def test_numbers_and_dates_are_exported_as_numbers_and_dates(desk, make_asset, logged_in):
    import datetime

    make_asset(
        kind=AssetKind.ELECTRIC_MINIBUS, tag="EM-1", price="64990.00",
        purchase_date=datetime.date(2024, 3, 1),
        details={"plate": "KLP 001", "battery_kwh": "0.75", "seats": "8"},
    )  # fmt: skip
    client = logged_in(desk)
    xlsx = client.get(reverse("equipment:export", args=["xlsx"]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["price"] == 64990 and isinstance(row["price"], int | float)
    assert row["battery_kwh"] == 0.75 and row["seats"] == 8
    assert row["purchase_date"].date() == datetime.date(2024, 3, 1)
    assert row["plate"] == "KLP 001"  # text stays text
    text = client.get(reverse("equipment:export", args=["csv"])).content.decode("utf-8-sig")
    assert ",0.75," in text and ",2024-03-01," in text and ",64990," in text
