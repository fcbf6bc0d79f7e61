"""POST /api/v1/traffic/reads/ingest/: cameras that read plates themselves."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from scape.traffic.actions import do_rotate_camera_token, do_set_camera_active
from scape.traffic.models import PlateRead
from tests.traffic.conftest import jpeg_bytes

URL = "/api/v1/traffic/reads/ingest/"


def post(client, body, token, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    auth = {"HTTP_AUTHORIZATION": f"Camera {token}"} if token is not None else {}
    return client.post(URL, data=data, content_type="application/json", **auth, **headers)


def good(cam, **over):
    body = {
        "camera": cam.pk,
        "time": (timezone.now() - datetime.timedelta(seconds=5)).isoformat(),
        "plate": "GUF 465",
        "confidence": 0.93,
    }
    body.update(over)
    return body


def test_it_stores_a_read_with_its_country_and_display(client, camera, token):
    response = post(client, good(camera), token)
    assert response.status_code == 201, response.content
    read = PlateRead.objects.get()
    assert (read.plate, read.text, read.country) == ("GUF465", "GUF 465", "LT")
    assert read.camera == camera and read.organization == camera.organization
    assert read.source == "camera" and read.confidence == pytest.approx(0.93)
    assert response.json() == {
        "id": read.pk, "plate": "GUF465", "text": "GUF 465", "country": "LT", "hits": 0,
    }  # fmt: skip


def test_it_reads_latvian_plates_and_accepts_the_camera_name(client, camera, token):
    response = post(client, good(camera, camera=camera.name, plate="KR-1234"), token)
    assert response.status_code == 201
    read = PlateRead.objects.get()
    assert (read.plate, read.text, read.country) == ("KR1234", "KR-1234", "LV")


def test_it_keeps_a_foreign_plate_without_country(client, camera, token):
    assert post(client, good(camera, plate="PO 12345X"), token).status_code == 201
    read = PlateRead.objects.get()
    assert read.plate == "PO12345X" and read.country == ""


@pytest.mark.parametrize(
    ("sent", "plate"),
    [
        ("PP587AO", "PP587AO"),
        ("XYZ 321", "XYZ321"),
        ("B AB 1234", "BAB1234"),
        ("GD 12345", "GD12345"),
        # Band letters sent with the plate are part of what was sent: kept too.
        ("LV KR-1234", "LVKR1234"),
    ],
)
def test_it_stores_a_foreign_read_whole_without_country(client, camera, token, sent, plate):
    # Issue 14: a camera's read is stored as sent, normalised only to A-Z0-9;
    # a grammar that dropped characters turned "XYZ 321" into "YZ321".
    response = post(client, good(camera, plate=sent), token)
    assert response.status_code == 201, response.content
    read = PlateRead.objects.get()
    assert (read.plate, read.text, read.country) == (plate, plate, "")
    assert response.json()["plate"] == plate and response.json()["country"] is None


@pytest.mark.parametrize(
    ("sent", "listed"), [("PP587AO", "PP5874"), ("XYZ 321", "YZ321"), ("GD 12345", "GD1234")]
)
def test_a_foreign_read_raises_no_hit_on_the_plate_it_was_once_cut_to(
    client, camera, token, make_entry, palanga, sent, listed
):
    make_entry(listed, share_with=(palanga,))
    response = post(client, good(camera, plate=sent), token)
    assert response.status_code == 201, response.content
    assert response.json()["hits"] == 0


def test_it_stores_the_image_under_traffic_crops(client, camera, token, jpeg_b64):
    response = post(client, good(camera, image=jpeg_b64), token)
    assert response.status_code == 201
    read = PlateRead.objects.get()
    assert read.crop.name.startswith("traffic/crops/")
    with default_storage.open(read.crop.name, "rb") as fh:
        assert fh.read() == jpeg_bytes()


def test_it_stores_a_retried_read_once(client, camera, token):
    body = good(camera)
    first = post(client, body, token)
    second = post(client, body, token)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert PlateRead.objects.count() == 1


def test_a_retry_written_in_another_time_zone_gets_the_same_read(client, camera, token):
    # A camera that formats its clock in local time on one try and in UTC on
    # the next still sends the same instant: the same read, to the microsecond.
    at = (timezone.now() - datetime.timedelta(seconds=5)).replace(microsecond=123456)
    riga = datetime.timezone(datetime.timedelta(hours=2))
    first = post(client, good(camera, time=at.astimezone(riga).isoformat()), token)
    again = post(client, good(camera, time=at.astimezone(datetime.UTC).isoformat()), token)
    other = post(
        client, good(camera, time=(at + datetime.timedelta(microseconds=1)).isoformat()), token
    )
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json() == first.json() and other.json()["id"] != first.json()["id"]
    assert PlateRead.objects.get(pk=first.json()["id"]).time == at


@pytest.mark.parametrize("auth", [None, "wrong-token", ""])
def test_it_refuses_a_bad_token_with_401(client, camera, auth):
    response = post(client, good(camera), auth)
    assert response.status_code == 401
    assert response.json()["detail"] == "Unknown or missing camera token."
    assert response["WWW-Authenticate"] == "Camera"
    assert not PlateRead.objects.exists()


def test_it_refuses_a_rotated_token_and_an_inactive_camera(client, camera, token, pal_coord):
    new = do_rotate_camera_token(camera, actor=pal_coord.user)
    assert post(client, good(camera), token).status_code == 401
    assert post(client, good(camera), new).status_code == 201
    do_set_camera_active(camera, False, actor=pal_coord.user)
    assert post(client, good(camera, plate="ABC123"), new).status_code == 401
    assert PlateRead.objects.count() == 1


def test_it_refuses_the_token_given_as_a_user_token(client, camera, token):
    response = client.post(
        URL, json.dumps(good(camera)), content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )  # fmt: skip
    assert response.status_code == 401
    assert not PlateRead.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "The body is not valid JSON."),
        ("[1, 2]", "The body must be a JSON object."),
        (b"\xff\xfe", "The body is not valid JSON."),
    ],
)
def test_it_refuses_malformed_json_with_400(client, camera, token, body, message):
    response = post(client, body, token)
    assert response.status_code == 400
    assert response.json()["detail"] == message
    assert not PlateRead.objects.exists()


@pytest.mark.parametrize("value", [999999, "no-such-camera", None, True])
def test_it_refuses_an_unknown_camera_with_400(client, camera, token, value):
    body = good(camera, camera=value)
    response = post(client, body, token)
    assert response.status_code == 400
    assert response.json()["errors"] == {"camera": "Unknown camera."}
    assert not PlateRead.objects.exists()


def test_it_refuses_another_cameras_id(client, camera, token, palanga, pal_coord):
    from scape.traffic.actions import do_create_camera

    other, _ = do_create_camera(
        palanga, name="A13 south", latitude=55.9, longitude=21.06, actor=pal_coord.user
    )
    response = post(client, good(camera, camera=other.pk), token)
    assert response.status_code == 400
    assert not PlateRead.objects.exists()


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"time": "yesterday"}, "time", "Give the time as ISO 8601, e.g. 2026-05-04T10:15:00+03:00."),
        ({"time": "2026-05-04T10:15:00"}, "time", "Give the time with its time zone."),
        ({"time": "2999-01-01T00:00:00+00:00"}, "time", "The time is in the future: check the camera's clock."),
        ({"plate": "--"}, "plate", "The plate must be 1 to 12 letters A-Z and digits."),
        ({"plate": 1234}, "plate", "The plate must be 1 to 12 letters A-Z and digits."),
        ({"confidence": 1.5}, "confidence", "The confidence is a number from 0 to 1."),
        ({"confidence": "high"}, "confidence", "The confidence is a number from 0 to 1."),
        ({"image": "%%%not-base64"}, "image", "The image is not valid base64."),
        ({"image": base64.b64encode(b"GIF89a....").decode()}, "image", "The image must be a JPEG or PNG."),
        ({"image": base64.b64encode(b"\xff\xd8\xff\xe0broken").decode()}, "image", "The image could not be decoded."),
    ],
)  # fmt: skip
def test_it_refuses_bad_fields_with_400_and_stores_nothing(
    client, camera, token, over, field, message
):
    response = post(client, good(camera, **over), token)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Some fields are wrong; nothing was stored."
    assert body["errors"][field] == message
    assert not PlateRead.objects.exists()


def test_it_refuses_an_image_over_the_limit(client, camera, token, settings):
    settings.SCAPE_TRAFFIC_MAX_IMAGE_BYTES = 100
    response = post(client, good(camera, image=base64.b64encode(jpeg_bytes()).decode()), token)
    assert response.status_code == 400
    assert response.json()["errors"]["image"] == "The image is larger than 0 KiB."
    assert not PlateRead.objects.exists()


def test_it_takes_only_post(client, camera, token):
    response = client.get(URL, HTTP_AUTHORIZATION=f"Camera {token}")
    assert response.status_code == 405


@pytest.mark.parametrize("plate", ["PP587AO", "XYZ321", "BAB1234", "GD12345"])
def test_footage_reads_of_foreign_plates_are_stored_whole(camera, make_entry, palanga, plate):
    # The background footage reader stores what the vision reader returned,
    # with no country and no grammar cut: the same rule as the camera endpoint.
    from scape.traffic.choices import ReadSource
    from scape.traffic.reading import store_reads
    from scape.vision.plates import PlateRead as VisionRead

    make_entry(plate[1:], share_with=(palanga,))  # a plate cut from it: no hit
    read = VisionRead(
        plate=plate, text=plate, country=None, kind="unknown", confidence=0.9, box=(0, 0, 9, 9)
    )
    start = timezone.now() - datetime.timedelta(minutes=1)
    (stored,) = store_reads(
        [read], organization=camera.organization, camera=camera, start=start,
        source=ReadSource.VAULT,
    )  # fmt: skip
    stored.refresh_from_db()
    assert (stored.plate, stored.country) == (plate, "")
    assert not stored.hits.exists()


@pytest.mark.parametrize("scheme", ["Camera", "Token", "Bearer"])
@pytest.mark.parametrize(
    "url", ["/api/v1/traffic/reads/", "/api/v1/traffic/hotlist/", "/api/v1/vault/items/"]
)
def test_a_camera_token_opens_nothing_but_its_own_read_endpoint(client, camera, token, scheme, url):
    # The camera scope: a camera's token posts reads for that camera, and reads nothing.
    response = client.get(url, HTTP_AUTHORIZATION=f"{scheme} {token}")
    assert response.status_code in (401, 403)
    assert b"results" not in response.content


def test_a_retry_gets_the_same_read_back_and_raises_no_second_alert(
    client, camera, token, make_entry, palanga
):
    from scape.directory.models import Notification

    make_entry("GUF 465", share_with=(palanga,))
    body = good(camera)
    first = post(client, body, token)
    notified = Notification.objects.count()
    again = post(client, body, token)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["hits"] == 1
    assert PlateRead.objects.count() == 1 and Notification.objects.count() == notified > 0


def test_the_database_refuses_a_second_copy_of_a_camera_read(camera):
    from django.db import IntegrityError, transaction

    fields = {
        "organization": camera.organization, "camera": camera, "plate": "GUF465",
        "text": "GUF 465", "confidence": 0.9, "source": "camera",
        "time": timezone.now() - datetime.timedelta(seconds=5),
    }  # fmt: skip
    PlateRead.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlateRead.objects.create(**fields)
    # The same plate at the same time from footage is another read.
    PlateRead.objects.create(**{**fields, "source": "vault", "vault_item_id": 7})


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_reads_racing_in_at_once_are_stored_once_with_one_hit(camera, token, make_entry, palanga):
    import threading

    from django.test import Client

    from scape.directory.models import Notification
    from scape.traffic.models import Hit

    make_entry("GUF 465", share_with=(palanga,))
    body = good(camera)
    start = threading.Barrier(4)
    answers: list[tuple[int, int]] = []

    def send() -> None:
        try:
            start.wait()
            response = post(Client(), body, token)
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    read = PlateRead.objects.get()
    assert sorted(code for code, _id in answers) == [200, 200, 200, 201]
    assert {pk for _code, pk in answers} == {read.pk}
    assert Hit.objects.count() == 1
    per_person = Notification.objects.values_list("recipient", flat=True)
    assert len(per_person) == len(set(per_person)) > 0


# -- batches: a camera sending the reads it held back ------------------------


def batch(cam, *reads):
    return {
        "camera": cam.pk,
        "reads": [{k: v for k, v in r.items() if k != "camera"} for r in reads],
    }


def _at(seconds):
    return (timezone.now() - datetime.timedelta(seconds=seconds)).isoformat()


def test_a_batch_stores_each_read_and_a_resent_batch_stores_none_twice(
    client, camera, token, make_entry, palanga
):
    from scape.directory.models import Notification

    make_entry("GUF 465", share_with=(palanga,))
    body = batch(
        camera,
        good(camera, time=_at(30), plate="GUF 465"),
        good(camera, time=_at(20), plate="XYZ 321"),
        good(camera, time=_at(10), plate="LV KR-1234"),
    )
    first = post(client, body, token)
    assert first.status_code == 201, first.content
    reads = first.json()["reads"]
    assert [(r["plate"], r["country"], r["hits"], r["stored"]) for r in reads] == [
        ("GUF465", "LT", 1, True),
        # A foreign read is kept as sent, in a batch as alone.
        ("XYZ321", None, 0, True),
        ("LVKR1234", None, 0, True),
    ]
    notified = Notification.objects.count()
    # The answer was lost: the camera sends the whole batch again.
    again = post(client, body, token)
    assert again.status_code == 200
    assert [r["id"] for r in again.json()["reads"]] == [r["id"] for r in reads]
    assert not any(r["stored"] for r in again.json()["reads"])
    assert PlateRead.objects.count() == 3 and Notification.objects.count() == notified > 0
    # One new read among old ones: 201, and only it is stored.
    body["reads"].append(good(camera, time=_at(5), plate="ABC 123"))
    mixed = post(client, body, token)
    assert mixed.status_code == 201
    assert [r["stored"] for r in mixed.json()["reads"]] == [False, False, False, True]
    assert PlateRead.objects.count() == 4


@pytest.mark.parametrize(
    ("read", "field", "message"),
    [
        ({"time": "2026-05-04T10:15:00"}, "time", "Give the time with its time zone."),
        ({"plate": "ĄČ 123"}, "plate", None),
        ({"confidence": 2}, "confidence", "The confidence is a number from 0 to 1."),
        ({"camera": 999999}, "camera", "Unknown camera."),
    ],
)
def test_one_wrong_read_refuses_the_whole_batch_and_is_named_by_its_place(
    client, camera, token, read, field, message
):
    body = batch(camera, good(camera, time=_at(20)), good(camera, time=_at(10)))
    body["reads"][1].update(read)
    response = post(client, body, token)
    assert response.status_code == 400
    answer = response.json()
    assert answer["detail"] == "Some reads are wrong; nothing was stored."
    assert list(answer["errors"]) == ["1"] and field in answer["errors"]["1"]
    assert message is None or answer["errors"]["1"][field] == message
    assert not PlateRead.objects.exists()


@pytest.mark.parametrize("reads", [[], "GUF465", [1, 2], None])
def test_a_batch_that_is_no_list_of_reads_is_refused(client, camera, token, reads, settings):
    settings.SCAPE_TRAFFIC_MAX_BATCH = 3
    response = post(client, {"camera": camera.pk, "reads": reads}, token)
    assert response.status_code == 400
    assert not PlateRead.objects.exists()


def test_a_batch_over_the_limit_is_refused_in_the_callers_language(client, camera, token, settings):
    settings.SCAPE_TRAFFIC_MAX_BATCH = 2
    body = batch(camera, *(good(camera, time=_at(s), plate=f"AB{s:04d}") for s in (1, 2, 3)))
    response = post(client, body, token, HTTP_ACCEPT_LANGUAGE="lv")
    assert response.status_code == 400
    assert "2" in response.json()["detail"] and "reads must" not in response.json()["detail"]
    assert not PlateRead.objects.exists()
