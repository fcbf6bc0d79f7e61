"""Hot-lists loaded from files other programs wrote: preview, merge or replace, audit, access."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook

from scape.core.choices import Role
from scape.core.models import AuditEvent, Grant
from scape.traffic.actions import do_create_entry, do_record_read
from scape.traffic.models import Hit, HotlistEntry, HotlistImport

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1

# What a Lithuanian spreadsheet saves as "CSV": semicolons, Windows-1257, Lithuanian headers.
LT_CSV = (
    "Valstybinis numeris;Šalis;Priežastis;Galioja iki;Pastaba\n"
    f"KGB 808;LT;pavogta transporto priemonė;31.12.{NEXT_YEAR};Juodas BMW\n"
    f"AB-1234;LV;wanted;{NEXT_YEAR}-06-30;\n"
    "ŽŽ!!;LT;stolen;2030-01-01;\n"
    f"XYZ 321;PL;stolen;{NEXT_YEAR}-01-01;\n"
    "KGB808;LT;stolen;2030-01-01;twice\n"
    "MNO 456;LT;lost cat;2030-01-01;\n"
    "RST 789;LT;stolen;yesterday;\n"
    "QWE 111;LT;stolen;01.01.2001;\n"
).encode("cp1257")


def _upload(client: Any, data: bytes, name: str, **fields: Any) -> Any:
    body = {"list_name": "LT stolen", "mode": "merge", **fields}
    return client.post(
        "/traffic/hotlist/import/", {**body, "file": _file(data, name)}, follow=False
    )


def _file(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _preview(response: Any) -> HotlistImport:
    assert response.status_code == 302, response.content.decode()[:2000]
    return HotlistImport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def test_a_lithuanian_csv_is_previewed_with_every_bad_line_named_and_nothing_listed(
    pal_officer: Any, logged_in: Any
) -> None:
    client = logged_in(pal_officer)
    imported = _preview(_upload(client, LT_CSV, "sąrašas.csv"))
    assert HotlistEntry.objects.count() == 0  # nothing until it is loaded
    assert [row["plate"] for row in imported.rows] == ["KGB808", "AB1234"]
    assert imported.rows[0]["reason"] == "stolen_vehicle"
    assert imported.rows[1]["reason"] == "wanted_person" and imported.rows[1]["country"] == "LV"
    codes = {p["line"]: p["code"] for p in imported.problems}
    assert codes == {
        4: "bad_plate",
        5: "bad_country",
        6: "repeated",
        7: "bad_reason",
        8: "bad_date",
        9: "past_date",
    }
    page = client.get(imported.get_absolute_url()).content.decode()
    assert "lost cat" in page and "KGB 808" in page
    # The preview reads in the reader's language, whoever read the file.
    pal_officer.ui_language = "lv"
    pal_officer.save()
    latvian = client.get(imported.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="lv").content.decode()
    assert "Iemesls “lost cat”" in latvian


def test_loading_adds_updates_and_a_replace_withdraws_what_the_new_file_lacks(
    pal_officer: Any, pal_coord: Any, palanga: Any, logged_in: Any
) -> None:
    client = logged_in(pal_officer)
    typed = do_create_entry(
        palanga,
        plate="TYP 001",
        reason="other",
        valid_until=timezone.now() + datetime.timedelta(days=3),
        actor=pal_officer.user,
    )
    first = _preview(
        _upload(
            client,
            f"plate,reason,valid until\nAAA111,stolen,{NEXT_YEAR}-01-01\nBBB222,stolen,\n".encode(),
            "list-1.csv",
            valid_until=f"{NEXT_YEAR}-03-01T12:00",
        )
    )
    assert client.post(f"/traffic/hotlist/import/{first.pk}/load/").status_code == 302
    first.refresh_from_db()
    assert first.counts == {"added": 2, "updated": 0, "withdrawn": 0, "problems": 0}
    listed = HotlistEntry.objects.get(plate="BBB222")
    assert listed.source == first and listed.valid_until.month == 3  # the list's own date
    second = _preview(
        _upload(
            client,
            f"plate,reason,valid until\nAAA111,wanted,{NEXT_YEAR}-02-01\nCCC333,missing,{NEXT_YEAR}-02-01\n".encode(),
            "list-2.csv",
            mode="replace",
        )
    )
    counts = client.get(second.get_absolute_url()).content.decode()
    assert "add 1 plate" in counts and "withdraw 1 plate" in counts
    client.post(f"/traffic/hotlist/import/{second.pk}/load/")
    active = HotlistEntry.objects.filter(withdrawn_at__isnull=True)
    assert set(active.values_list("plate", flat=True)) == {"AAA111", "CCC333", "TYP001"}
    assert HotlistEntry.objects.get(plate="AAA111").reason == "wanted_person"
    assert HotlistEntry.objects.get(plate="BBB222").withdrawn_at is not None
    typed.refresh_from_db()
    assert typed.withdrawn_at is None  # typed by hand: not this list's
    event = AuditEvent.objects.get(action="traffic.hotlist_imported", object_id=str(second.pk))
    assert event.actor_username == pal_officer.user.username
    assert event.details["sha256"] == second.sha256 and event.details["withdrawn"] == 1
    assert AuditEvent.objects.filter(action="traffic.entry_withdrawn").count() == 1
    # Loading twice is refused; the second press changes nothing.
    client.post(f"/traffic/hotlist/import/{second.pk}/load/")
    assert AuditEvent.objects.filter(action="traffic.hotlist_imported").count() == 2


def test_an_excel_list_loads_its_dates_and_a_hit_on_it_alerts_the_partner(
    pal_coord: Any, palanga: Any, liepaja: Any, lie_officer: Any, camera: Any, logged_in: Any
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Numurs", "Valsts", "Iemesls", "Derīgs līdz"])
    sheet.append(["KR 1234", "LV", "zagts", datetime.date(NEXT_YEAR, 5, 1)])
    sheet.append(["GG 77", "", "other", datetime.datetime(NEXT_YEAR, 5, 1, 18, 30)])
    out = io.BytesIO()
    book.save(out)
    client = logged_in(pal_coord)
    imported = _preview(_upload(client, out.getvalue(), "saraksts.xlsx", share_with=[liepaja.pk]))
    assert [r["plate"] for r in imported.rows] == ["KR1234", "GG77"] and not imported.problems
    client.post(f"/traffic/hotlist/import/{imported.pk}/load/")
    entry = HotlistEntry.objects.get(plate="KR1234")
    assert entry.reason == "stolen_vehicle" and entry.country == "LV"
    assert Grant.objects.filter(grantee=liepaja).count() == 2
    read = do_record_read(
        organization=palanga,
        camera=camera,
        time=timezone.now(),
        plate="KR1234",
        confidence=0.95,
        source="camera",
    )
    assert Hit.objects.filter(read=read, entry=entry).exists()


def test_a_file_that_is_no_list_is_refused_clearly_and_leaves_nothing(
    pal_officer: Any, logged_in: Any
) -> None:
    client = logged_in(pal_officer)
    broken = _preview(_upload(client, b"PK\x03\x04 not really a workbook", "list.xlsx"))
    assert [p["code"] for p in broken.problems] == ["unreadable"] and broken.rows == []
    headerless = _preview(_upload(client, b"foo,bar\n1,2\n", "x.csv"))
    assert headerless.problems[0]["code"] == "no_plate_column"
    client.post(f"/traffic/hotlist/import/{headerless.pk}/cancel/")
    headerless.refresh_from_db()
    assert headerless.state == "cancelled"
    assert client.post(f"/traffic/hotlist/import/{headerless.pk}/load/").status_code == 302
    assert HotlistEntry.objects.count() == 0
    empty = _upload(client, b"", "empty.csv")
    assert empty.status_code == 400


def test_only_the_organizations_keepers_load_and_partners_never_see_its_files(
    pal_officer: Any, lie_officer: Any, palanga: Any, persona: Any, logged_in: Any, client: Any
) -> None:
    imported = _preview(
        _upload(
            logged_in(pal_officer),
            b"plate\nAAA111\n",
            "l.csv",
            valid_until=f"{NEXT_YEAR}-01-01T00:00",
        )
    )
    specialist = persona(palanga, Role.SPECIALIST, username="spec")
    logged_in(specialist)
    assert client.get("/traffic/hotlist/import/").status_code == 200  # reads who loaded what
    assert client.post(f"/traffic/hotlist/import/{imported.pk}/load/").status_code == 403
    logged_in(lie_officer)
    assert client.get(imported.get_absolute_url()).status_code == 404
    assert client.post(f"/traffic/hotlist/import/{imported.pk}/load/").status_code == 404
    assert HotlistEntry.objects.count() == 0


def test_a_list_is_read_and_loaded_through_the_api(
    pal_officer: Any, lie_officer: Any, camera: Any, pal_coord: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scape.core.testing import token_client

    api = token_client(pal_officer.user)
    upload = SimpleUploadedFile("list.csv", b"plate;reason\nAAA111;stolen\nBAD!!;x\n")
    read = api.post(
        "/api/v1/traffic/hotlist-imports/",
        {"file": upload, "list_name": "API list", "valid_until": f"{NEXT_YEAR}-01-01T00:00:00Z"},
        format="multipart",
    )
    assert read.status_code == 201, read.content
    body = read.json()
    assert body["counts"]["added"] == 1 and body["problems"][0]["line"] == 3
    assert HotlistEntry.objects.count() == 0
    partner = token_client(lie_officer.user)
    assert partner.post(f"/api/v1/traffic/hotlist-imports/{body['id']}/load/").status_code == 404
    loaded = api.post(f"/api/v1/traffic/hotlist-imports/{body['id']}/load/")
    assert loaded.status_code == 200 and loaded.json()["state"] == "applied"
    assert HotlistEntry.objects.get().plate == "AAA111"
    assert api.post(f"/api/v1/traffic/hotlist-imports/{body['id']}/load/").status_code == 400


def test_a_speed_section_is_defined_through_the_api(
    camera: Any, pal_coord: Any, palanga: Any
) -> None:
    from scape.core.testing import token_client
    from scape.traffic.actions import do_create_camera

    second, _token = do_create_camera(
        palanga, name="Exit", latitude=55.95, longitude=21.08, actor=pal_coord.user
    )
    api = token_client(pal_coord.user)
    made = api.post(
        "/api/v1/traffic/sections/",
        {
            "name": "A13",
            "camera_a": camera.pk,
            "camera_b": second.pk,
            "distance_m": 2400,
            "limit_kmh": 70,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert [s["name"] for s in api.get("/api/v1/traffic/sections/").json()["results"]] == ["A13"]
