"""The traffic pages: index, cameras and their token, hot-list and sharing, search, counts, sections."""

from __future__ import annotations

import datetime
import json
import zoneinfo

from django.utils import timezone, translation

from scape.core.choices import Role
from scape.core.models import AuditEvent, Grant
from scape.traffic.actions import do_record_read, hash_token
from scape.traffic.models import HotlistEntry, SpeedSection, TrafficCamera


def _lv(text: str) -> str:
    """Return the text as the Latvian users of these tests read it."""
    with translation.override("lv"):
        return translation.gettext(text)


def read(camera, plate, when=None):
    return do_record_read(
        organization=camera.organization, camera=camera, plate=plate, confidence=0.9,
        time=when or timezone.now() - datetime.timedelta(minutes=5), source="camera",
    )  # fmt: skip


def test_the_index_lists_hits_and_cameras(camera, make_entry, palanga, pal_officer, logged_in):
    make_entry("KR1234", share_with=(palanga,))
    read(camera, "KR1234")
    page = logged_in(pal_officer).get("/traffic/")
    html = page.content.decode()
    assert page.status_code == 200
    assert camera.name in html and "KR-1234" in html and "stolen vehicle" in html
    # An officer does not start plate reading over footage.
    assert "Read plates in vault footage" not in html


def test_a_volunteer_has_no_traffic_pages(palanga, persona, logged_in):
    from scape.core.choices import Role

    volunteer = persona(palanga, Role.VOLUNTEER)
    assert logged_in(volunteer).get("/traffic/").status_code == 403


def test_an_auditor_reads_the_audit_log_not_the_plates(
    camera, make_entry, palanga, persona, logged_in
):
    from scape.core.choices import Role

    entry = make_entry("KR1234", share_with=(palanga,))
    plate_read = read(camera, "KR1234")
    auditor = logged_in(persona(palanga, Role.AUDITOR, username="ruta.audit"))
    for url in (f"/traffic/reads/{plate_read.pk}/", f"/traffic/reads/{plate_read.pk}/crop/"):
        assert auditor.get(url).status_code == 404, url
    assert auditor.get(f"/traffic/hotlist/{entry.pk}/").status_code == 404
    for url in ("/traffic/reads/", "/traffic/hotlist/", "/traffic/hits/"):
        assert auditor.get(url).status_code == 403, url  # not an empty list
    assert auditor.get("/audit/").status_code == 200


def test_a_coordinator_adds_a_camera_and_sees_its_token_once(pal_coord, logged_in):
    client = logged_in(pal_coord)
    response = client.post(
        "/traffic/cameras/new/",
        {"name": "A13 Nemirseta", "road": "A13", "direction": "S", "latitude": "55.87",
         "longitude": "21.06", "zone": "[[0,400],[1920,400],[1920,1080]]"},
    )  # fmt: skip
    assert response.status_code == 200
    camera = TrafficCamera.objects.get(name="A13 Nemirseta")
    token = response.context["token"]
    assert camera.token_hash == hash_token(token) and token not in camera.token_hash
    assert token in response.content.decode()
    assert camera.zone == [[0, 400], [1920, 400], [1920, 1080]]
    again = client.get(camera.get_absolute_url()).content.decode()
    assert token not in again
    rotated = client.post(f"/traffic/cameras/{camera.pk}/token/")
    camera.refresh_from_db()
    assert camera.token_hash == hash_token(rotated.context["token"]) != hash_token(token)


def test_a_camera_form_with_a_bad_zone_says_so(pal_coord, logged_in):
    response = logged_in(pal_coord).post(
        "/traffic/cameras/new/",
        {"name": "X", "direction": "S", "latitude": "55.8", "longitude": "21", "zone": "[[1,2]]"},
    )
    assert response.status_code == 400
    assert "A zone needs at least three points." in response.content.decode()
    assert not TrafficCamera.objects.exists()


def test_an_officer_may_not_add_cameras(pal_officer, logged_in):
    assert logged_in(pal_officer).get("/traffic/cameras/new/").status_code == 403


def test_the_hot_list_page_adds_and_shares_an_entry(lie_officer, palanga, logged_in):
    client = logged_in(lie_officer)
    until = (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/traffic/hotlist/",
        {"plate": "kr 1234", "country": "LV", "reason": "stolen_vehicle", "valid_until": until},
    )
    entry = HotlistEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert (entry.plate, entry.text, entry.country) == ("KR1234", "KR-1234", "LV")
    response = client.post(f"/traffic/hotlist/{entry.pk}/share/", {"grantee": palanga.pk})
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert grant.grantee == palanga and grant.expires_at == entry.valid_until
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "palanga LV" in page  # the Latvian officer reads Latvian names


def test_a_past_validity_is_refused(lie_officer, logged_in):
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = logged_in(lie_officer).post(
        "/traffic/hotlist/", {"plate": "KR1234", "reason": "other", "valid_until": past}
    )
    assert response.status_code == 400
    assert _lv("The entry must be valid until a time in the future.") in response.content.decode()
    assert not HotlistEntry.objects.exists()


def test_the_partner_sees_a_shared_entry_but_may_not_change_it(
    make_entry, palanga, pal_officer, kla_officer, logged_in
):
    entry = make_entry("KR1234", share_with=(palanga,))
    client = logged_in(pal_officer)
    assert "KR-1234" in client.get("/traffic/hotlist/").content.decode()
    assert client.post(f"/traffic/hotlist/{entry.pk}/withdraw/").status_code == 403
    assert (
        client.post(f"/traffic/hotlist/{entry.pk}/share/", {"grantee": palanga.pk}).status_code
        == 403
    )
    from django.test import Client

    from scape.core.testing import login

    assert login(Client(), kla_officer.user).get(entry.get_absolute_url()).status_code == 404


def test_searching_a_plate_needs_a_reason_and_is_audited(camera, pal_officer, logged_in):
    read(camera, "GUF465")
    read(camera, "ABC123")
    client = logged_in(pal_officer)
    refused = client.get("/traffic/reads/", {"plate": "GUF 465"})
    assert refused.status_code == 400
    assert "Say why you search for this plate." in refused.content.decode()
    assert not AuditEvent.objects.filter(action="traffic.reads_searched").exists()
    found = client.get("/traffic/reads/", {"plate": "GUF 465", "reason": "Case 2026/114"})
    html = found.content.decode()
    assert found.status_code == 200 and "GUF 465" in html and "ABC 123" not in html
    event = AuditEvent.objects.get(action="traffic.reads_searched")
    assert event.reason == "Case 2026/114" and event.details == {"plate": "GUF465", "found": 1}
    assert event.actor_username == pal_officer.user.username


def test_a_plate_is_found_as_a_witness_remembers_it(camera, pal_coord, pal_officer, logged_in):
    from scape.traffic.actions import do_create_camera

    other = do_create_camera(
        camera.organization, name="A11 Kretinga", road="A11", direction="S",
        latitude=55.88, longitude=21.24, actor=pal_coord.user,
    )[0]  # fmt: skip
    now = timezone.now()
    read(camera, "AB712CD", now - datetime.timedelta(hours=1))
    read(camera, "AB912", now - datetime.timedelta(hours=30))  # outside the window below
    read(other, "AB812X", now - datetime.timedelta(hours=2))  # another camera
    read(camera, "XAB512", now - datetime.timedelta(hours=1))  # does not start with AB
    client = logged_in(pal_officer)
    ask = {"plate": "ab?12*", "reason": "witness of a hit-and-run"}
    html = client.get("/traffic/reads/", ask).content.decode()
    assert "AB 712 CD" in html or "AB712CD" in html
    for plate in ("AB912", "AB812X"):
        assert plate in html or plate[:2] + " " + plate[2:] in html
    assert "XAB512" not in html
    since = timezone.localtime(now - datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    narrowed = client.get("/traffic/reads/", {**ask, "since": since, "cameras": [camera.pk]})
    assert narrowed.status_code == 200
    html = narrowed.content.decode()
    assert "AB712CD" in html.replace(" ", "")
    assert "AB912" not in html.replace(" ", "") and "AB812X" not in html.replace(" ", "")
    event = AuditEvent.objects.filter(action="traffic.reads_searched").latest("pk")
    assert event.reason == ask["reason"] and event.details["plate"] == "AB?12*"
    assert event.details["cameras"] == [camera.pk] and event.details["found"] == 1
    assert event.details["window"][0] is not None


def test_a_pattern_that_fixes_almost_nothing_is_refused(camera, pal_officer, logged_in):
    read(camera, "AB712CD")
    refused = logged_in(pal_officer).get(
        "/traffic/reads/", {"plate": "A*", "reason": "trying everything"}
    )
    assert refused.status_code == 400
    assert "at least two known characters" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="traffic.reads_searched").exists()


BROWSE = {"reason": "shift review of the A13 camera"}


def test_the_reads_page_lists_only_visible_reads(camera, pal_officer, lie_officer, logged_in):
    read(camera, "GUF465")
    assert "GUF 465" in logged_in(pal_officer).get("/traffic/reads/", BROWSE).content.decode()
    from django.test import Client

    from scape.core.testing import login

    assert (
        "GUF 465"
        not in login(Client(), lie_officer.user).get("/traffic/reads/", BROWSE).content.decode()
    )


def test_the_reads_pages_follow_each_other_without_gaps_when_reads_share_a_time(
    camera, pal_officer, logged_in
):
    import re

    when = timezone.now() - datetime.timedelta(hours=1)
    # 70 reads in 7 instants: a page boundary falls among reads of the same second.
    plates = [f"AB{n:04d}" for n in range(70)]
    for n, plate in enumerate(plates):
        read(camera, plate, when - datetime.timedelta(seconds=n // 10))
    client = logged_in(pal_officer)
    first = client.get("/traffic/reads/", BROWSE).content.decode()
    after = re.search(r'href="\?([^"]*after=[^"]*)" rel="next"', first).group(1)
    second = client.get("/traffic/reads/?" + after.replace("&amp;", "&")).content.decode()
    shown = re.findall(r"<strong>(AB\d{4})</strong>", first + second)
    assert sorted(shown) == plates
    assert 'rel="next"' not in second and "70 in all" in second


def test_looking_through_the_reads_asks_for_a_reason_once_and_records_it(
    camera, pal_officer, logged_in
):
    read(camera, "GUF465")
    client = logged_in(pal_officer)
    asked = client.get("/traffic/reads/").content.decode()
    assert "GUF 465" not in asked and "Give a reason" in asked
    assert "GUF 465" in client.get("/traffic/reads/", BROWSE).content.decode()
    assert "GUF 465" in client.get("/traffic/reads/").content.decode()  # for a while, no re-ask
    event = AuditEvent.objects.get(action="traffic.reads_browsed")
    assert event.reason == BROWSE["reason"] and event.actor_username == pal_officer.user.username


def test_the_pages_show_times_in_the_organizations_zone(camera, pal_officer, logged_in):
    read(camera, "GUF465", datetime.datetime(2026, 1, 15, 8, 7, tzinfo=datetime.UTC))
    html = logged_in(pal_officer).get("/traffic/reads/", BROWSE).content.decode()
    assert "10:07" in html and "8:07" not in html


def test_the_counts_page_draws_an_svg_chart(camera, pal_officer, logged_in):
    now = timezone.localtime(timezone=zoneinfo.ZoneInfo("Europe/Vilnius"))
    read(camera, "GUF465", now.replace(minute=1))
    read(camera, "ABC123", now.replace(minute=2))
    page = logged_in(pal_officer).get(f"/traffic/cameras/{camera.pk}/counts/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'data-value="2"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>")[0]


def test_a_coordinator_defines_a_section_and_sees_the_speeding(
    camera, palanga, pal_coord, logged_in
):
    from scape.traffic.actions import do_create_camera

    exit_camera, _ = do_create_camera(
        palanga, name="A13 Šventoji", latitude=56.03, longitude=21.08, actor=pal_coord.user
    )
    client = logged_in(pal_coord)
    response = client.post(
        "/traffic/sections/",
        {"name": "A13", "camera_a": camera.pk, "camera_b": exit_camera.pk, "distance_m": 5000,
         "limit_kmh": 90, "max_minutes": 30},
    )  # fmt: skip
    section = SpeedSection.objects.get()
    assert response.status_code == 302
    start = timezone.now() - datetime.timedelta(hours=1)
    read(camera, "FAST01", start)
    read(exit_camera, "FAST01", start + datetime.timedelta(minutes=2))  # 5 km in 120 s = 150 km/h
    page = client.get(section.get_absolute_url()).content.decode()
    assert "FAST01" in page and "150.0" in page


def test_a_section_needs_two_different_cameras(camera, pal_coord, logged_in):
    response = logged_in(pal_coord).post(
        "/traffic/sections/",
        {"name": "A13", "camera_a": camera.pk, "camera_b": camera.pk, "distance_m": 5000,
         "limit_kmh": 90, "max_minutes": 30},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Choose two different cameras." in response.content.decode()


def test_the_cameras_layer_shows_the_newest_read_even_when_reads_arrive_late(
    camera, pal_officer, logged_in
):
    newest = timezone.now() - datetime.timedelta(minutes=2)
    read(camera, "GUF465", newest)
    read(camera, "ABC123", newest - datetime.timedelta(hours=3))  # sent late by the camera
    read(camera, "ABC123", newest)  # a retry
    layer = logged_in(pal_officer).get("/traffic/geo/cameras.geojson").json()
    [feature] = layer["features"]
    assert datetime.datetime.fromisoformat(feature["properties"]["time"]) == newest


def test_map_features_show_only_what_the_user_may_see(
    camera, make_entry, palanga, pal_officer, kla_officer
):
    from scape.traffic.queries import camera_features, hit_features

    make_entry("KR1234", share_with=(palanga,))
    read(camera, "KR1234")
    [feature] = camera_features(pal_officer.user)
    assert feature["geometry"] == {"type": "Point", "coordinates": [21.07, 55.95]}
    assert feature["properties"]["title"] == camera.name
    assert feature["properties"]["url"] == camera.get_absolute_url()
    [hit] = hit_features(pal_officer.user)
    assert hit["properties"]["title"] == "Plate hit: KR-1234"
    assert hit["properties"]["url"].startswith("/traffic/hits/")
    datetime.datetime.fromisoformat(hit["properties"]["time"])
    assert hit_features(pal_officer.user, since=timezone.now()) == []
    assert camera_features(kla_officer.user) == [] and hit_features(kla_officer.user) == []
    json.dumps(feature)


def test_a_camera_is_linked_to_its_equipment_record(
    palanga, liepaja, pal_coord, lie_officer, logged_in
):
    from scape.equipment.actions import do_create_asset

    asset = do_create_asset(palanga, kind="traffic_camera", tag="TC-01", actor=pal_coord.user)
    foreign = do_create_asset(liepaja, kind="traffic_camera", tag="TC-09", actor=lie_officer.user)
    client = logged_in(pal_coord)
    fields = {"name": "A13 Nemirseta", "direction": "S", "latitude": "55.87", "longitude": "21.06"}
    refused = client.post("/traffic/cameras/new/", {**fields, "asset": foreign.pk})
    assert refused.status_code == 400 and not TrafficCamera.objects.exists()
    assert client.post("/traffic/cameras/new/", {**fields, "asset": asset.pk}).status_code == 200
    assert TrafficCamera.objects.get().asset == asset


def test_the_map_layers_serve_geojson(camera, make_entry, palanga, pal_officer, logged_in):
    make_entry("KR1234", share_with=(palanga,))
    read(camera, "KR1234")
    client = logged_in(pal_officer)
    for layer in ("cameras", "hits"):
        answer = client.get(f"/traffic/geo/{layer}.geojson")
        assert answer["Content-Type"] == "application/geo+json"  # RFC 7946 12
    cameras = client.get("/traffic/geo/cameras.geojson").json()
    hits = client.get("/traffic/geo/hits.geojson").json()
    assert cameras["type"] == "FeatureCollection" and len(cameras["features"]) == 1
    assert hits["features"][0]["properties"]["title"] == "Plate hit: KR-1234"
    index = client.get("/traffic/").content.decode()
    assert "/traffic/geo/hits.geojson" in index and "data-map" in index


def test_the_home_page_card_shows_open_hits(camera, make_entry, palanga, pal_officer, logged_in):
    make_entry("KR1234", share_with=(palanga,))
    read(camera, "KR1234")
    html = logged_in(pal_officer).get("/").content.decode()
    assert "traffic-panel" in html and "KR-1234" in html


def test_the_owner_stops_sharing_an_entry(make_entry, palanga, lie_officer, pal_officer, logged_in):
    entry = make_entry("KR1234", share_with=(palanga,))
    grant = Grant.objects.get()
    client = logged_in(lie_officer)
    assert _lv("Stop sharing") in client.get(entry.get_absolute_url()).content.decode()
    response = client.post(f"/traffic/hotlist/{entry.pk}/grants/{grant.pk}/revoke/")
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    from django.test import Client

    from scape.core.testing import login

    assert login(Client(), pal_officer.user).get(entry.get_absolute_url()).status_code == 404


def test_an_entry_is_shared_when_it_is_added(lie_officer, palanga, klaipeda, logged_in):
    until = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = logged_in(lie_officer).post(
        "/traffic/hotlist/",
        {"plate": "HN-770", "reason": "missing_person", "valid_until": until,
         "share_with": [palanga.pk, klaipeda.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    entry = HotlistEntry.objects.get()
    assert {g.grantee for g in Grant.objects.all()} == {palanga, klaipeda}
    assert all(g.object_id == entry.pk for g in Grant.objects.all())


def test_a_camera_switched_off_is_refused(camera, token, pal_coord, logged_in, client):
    response = logged_in(pal_coord).post(f"/traffic/cameras/{camera.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    camera.refresh_from_db()
    assert not camera.active
    from scape.traffic.queries import camera_for_token

    assert camera_for_token(token) is None


def test_volunteers_find_no_hits_page_and_no_evidence_in_their_menu(palanga, persona, logged_in):
    volunteer = persona(palanga, Role.VOLUNTEER, username="menu-volunteer")
    client = logged_in(volunteer)
    assert client.get("/traffic/").status_code == 403
    assert client.get("/traffic/hits/").status_code == 403  # as the traffic page, not an empty list
    home = client.get("/").content.decode()
    menu = home.split('id="mainnav"')[1].split("</nav>")[0]
    for link in ('href="/vault/"', 'href="/vault/cases/"', 'href="/traffic/"'):
        assert link not in menu
    assert 'href="/activities/"' in menu
