"""The traffic API: cameras, reads (a plate search needs a reason), hot-list, hits."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from scape.core.models import AuditEvent, Grant
from scape.traffic.actions import do_record_read, hash_token
from scape.traffic.models import HotlistEntry, TrafficCamera


@pytest.fixture
def api(logged_in):
    return logged_in


def read(camera, plate):
    return do_record_read(
        organization=camera.organization, camera=camera, plate=plate, confidence=0.9,
        time=timezone.now() - datetime.timedelta(minutes=1), source="camera",
    )  # fmt: skip


def test_it_lists_only_visible_cameras(camera, pal_officer, lie_officer, api):
    body = api(pal_officer).get("/api/v1/traffic/cameras/").json()
    assert [c["name"] for c in body["results"]] == [camera.name]
    assert "token_hash" not in body["results"][0]
    from django.test import Client

    from scape.core.testing import login

    other = login(Client(), lie_officer.user)
    assert other.get("/api/v1/traffic/cameras/").json()["results"] == []
    assert other.get(f"/api/v1/traffic/cameras/{camera.pk}/").status_code == 404


def test_a_coordinator_creates_a_camera_and_gets_its_token(pal_coord, pal_officer, api):
    response = api(pal_coord).post(
        "/api/v1/traffic/cameras/",
        {"name": "A11 border", "latitude": 56.1, "longitude": 21.1, "road": "A13"},
        content_type="application/json",
    )
    assert response.status_code == 201
    camera = TrafficCamera.objects.get()
    assert camera.token_hash == hash_token(response.json()["token"])
    assert api(pal_officer).post(
        "/api/v1/traffic/cameras/", {"name": "B", "latitude": 1, "longitude": 1},
        content_type="application/json",
    ).status_code == 403  # fmt: skip


def test_searching_reads_by_plate_needs_a_reason(camera, pal_officer, api):
    read(camera, "GUF465")
    read(camera, "ABC123")
    client = api(pal_officer)
    refused = client.get("/api/v1/traffic/reads/", {"plate": "GUF465"})
    assert refused.status_code == 400
    assert refused.json() == {"reason": ["Say why you search for this plate."]}
    found = client.get("/api/v1/traffic/reads/", {"plate": "GUF465", "reason": "theft 2026/7"})
    assert [r["plate"] for r in found.json()["results"]] == ["GUF465"]
    assert AuditEvent.objects.get(action="traffic.reads_searched").reason == "theft 2026/7"


def test_looking_through_all_reads_needs_a_reason_every_time(camera, pal_officer, api):
    read(camera, "GUF465")
    read(camera, "ABC123")
    client = api(pal_officer)
    refused = client.get("/api/v1/traffic/reads/")
    assert refused.status_code == 400
    assert refused.json() == {"reason": ["Say why you look through the plate reads."]}
    assert client.get("/api/v1/traffic/reads/", {"reason": "ok"}).status_code == 400  # too short
    listed = client.get("/api/v1/traffic/reads/", {"reason": "patrol check 12/01"})
    assert sorted(r["plate"] for r in listed.json()["results"]) == ["ABC123", "GUF465"]
    again = client.get("/api/v1/traffic/reads/", {"reason": "patrol check 12/01", "page": 1})
    assert again.status_code == 200
    browsed = AuditEvent.objects.filter(action="traffic.reads_browsed")
    assert [e.reason for e in browsed] == ["patrol check 12/01"] * 2
    assert browsed[0].actor_id == pal_officer.user.pk


def test_hot_list_crud_and_sharing(lie_officer, palanga, pal_officer, api):
    client = api(lie_officer)
    until = (timezone.now() + datetime.timedelta(days=5)).isoformat()
    created = client.post(
        "/api/v1/traffic/hotlist/",
        {"plate": "KR-1234", "country": "LV", "reason": "wanted_person", "valid_until": until},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    entry = HotlistEntry.objects.get()
    assert created.json()["text"] == "KR-1234"
    bad = client.post(
        "/api/v1/traffic/hotlist/", {"plate": "", "reason": "x", "valid_until": until},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400
    shared = client.post(
        f"/api/v1/traffic/hotlist/{entry.pk}/share/", {"grantee": "palanga"},
        content_type="application/json",
    )  # fmt: skip
    assert shared.status_code == 201, shared.content
    assert Grant.objects.get().grantee == palanga
    at_once = client.post(
        "/api/v1/traffic/hotlist/",
        {"plate": "HN-770", "reason": "other", "valid_until": until, "share_with": ["palanga"]},
        content_type="application/json",
    )
    assert at_once.status_code == 201, at_once.content
    assert Grant.objects.filter(object_id=at_once.json()["id"], grantee=palanga).exists()
    unknown = client.post(
        "/api/v1/traffic/hotlist/",
        {"plate": "HN-771", "reason": "other", "valid_until": until, "share_with": ["nobody"]},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and HotlistEntry.objects.count() == 2
    from django.test import Client

    from scape.core.testing import login

    partner = login(Client(), pal_officer.user)
    listed = partner.get("/api/v1/traffic/hotlist/").json()["results"]
    assert sorted(e["plate"] for e in listed) == ["HN770", "KR1234"]
    assert partner.delete(f"/api/v1/traffic/hotlist/{entry.pk}/").status_code == 403
    assert client.delete(f"/api/v1/traffic/hotlist/{entry.pk}/").status_code == 204
    entry.refresh_from_db()
    assert entry.withdrawn_at is not None


def test_hits_are_listed_for_both_sides_and_acknowledged(
    camera, make_entry, palanga, pal_officer, lie_officer, kla_officer, api
):
    make_entry("GUF465", share_with=(palanga,))
    read(camera, "GUF465")
    from django.test import Client

    from scape.core.testing import login

    for person in (pal_officer, lie_officer):
        [hit] = login(Client(), person.user).get("/api/v1/traffic/hits/").json()["results"]
        assert hit["read"]["plate"] == "GUF465" and hit["camera"]["name"] == camera.name
        assert hit["entry"]["organization"] == "liepaja-mp"
    assert login(Client(), kla_officer.user).get("/api/v1/traffic/hits/").json()["results"] == []
    ack = login(Client(), lie_officer.user).post(f"/api/v1/traffic/hits/{hit['id']}/acknowledge/")
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == lie_officer.user.username


def test_the_reads_list_pages_by_cursor_and_still_answers_page_numbers(
    camera, pal_officer, lie_officer, api
):
    start = timezone.now() - datetime.timedelta(hours=2)
    plates = [f"CD{n:04d}" for n in range(120)]
    for n, plate in enumerate(plates):  # ties in time across the page boundaries
        do_record_read(
            organization=camera.organization, camera=camera, plate=plate, confidence=0.9,
            time=start - datetime.timedelta(seconds=n // 4), source="camera",
        )  # fmt: skip
    # Newest first; of reads at the same instant, the one stored last first.
    plates = [p for n in range(0, 120, 4) for p in reversed(plates[n : n + 4])]
    client = api(pal_officer)
    url = "/api/v1/traffic/reads/?reason=shift+review"
    seen, bodies = [], []
    while url:
        body = client.get(url).json()
        bodies.append(body)
        seen += [r["plate"] for r in body["results"]]
        url = body["next"]
    assert seen == plates  # newest first, none twice, none missed
    assert [len(b["results"]) for b in bodies] == [50, 50, 20]
    assert bodies[0]["count"] == 120 and bodies[0]["count_capped"] is False
    assert "after=" in bodies[0]["next"] and "reason=shift+review" in bodies[0]["next"]
    back = client.get(bodies[2]["previous"]).json()
    assert [r["plate"] for r in back["results"]] == plates[50:100]
    # Oldest first through ?ordering=, still by cursor.
    body = client.get(
        "/api/v1/traffic/reads/", {"reason": "shift review", "ordering": "time"}
    ).json()
    following = client.get(body["next"]).json()
    assert [r["plate"] for r in body["results"] + following["results"]][:3] == [
        "CD0116", "CD0117", "CD0118"
    ]  # fmt: skip
    # A client written for numbered pages gets them.
    numbered = client.get("/api/v1/traffic/reads/", {"reason": "shift review", "page": 3}).json()
    assert [r["plate"] for r in numbered["results"]] == plates[100:]
    # The other side of the border sees none of it, whatever the cursor.
    from django.test import Client

    from scape.core.testing import login

    other = login(Client(), lie_officer.user)
    assert other.get(bodies[0]["next"]).json()["results"] == []
