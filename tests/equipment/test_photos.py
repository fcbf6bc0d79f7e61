"""Asset photos and check-in photos: real pictures only, stored under names of our own."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from scape.core.choices import Role
from scape.equipment import actions
from scape.equipment.actions import do_check_out
from scape.equipment.choices import AssetStatus
from scape.equipment.models import AssetPhoto, Checkout

pytestmark = pytest.mark.django_db


def png(name="../../etc/My Camera.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_it_stores_a_photo_under_a_random_name_and_shows_it(desk, make_asset, logged_in):
    camera = make_asset(tag="BC-1")
    client = logged_in(desk)
    response = client.post(
        reverse("equipment:photo_add", args=[camera.pk]),
        {"photo": png(), "caption": "Label side"},
    )
    assert response.status_code == 302
    photo = AssetPhoto.objects.get()
    assert photo.image.name.startswith("equipment/photos/") and photo.image.name.endswith(".png")
    assert "Camera" not in photo.image.name and ".." not in photo.image.name
    page = client.get(camera.get_absolute_url()).text
    assert photo.get_absolute_url() in page and "Label side" in page
    image = client.get(photo.get_absolute_url())
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", "image/jpeg"),
            "This file is not a photo that can be read (JPEG, PNG or WebP).",
        ),
        (
            SimpleUploadedFile("photo.png", png().read()[:60], "image/png"),
            "This file is not a photo that can be read (JPEG, PNG or WebP).",
        ),
    ],
    ids=["wrong-type", "corrupt"],
)
def test_it_refuses_a_file_that_is_not_a_picture(desk, make_asset, logged_in, upload, message):
    camera = make_asset(tag="BC-1")
    response = logged_in(desk).post(
        reverse("equipment:photo_add", args=[camera.pk]), {"photo": upload}
    )
    assert response.status_code == 400 and message in response.text
    assert not AssetPhoto.objects.exists()


def test_it_refuses_a_photo_too_large(desk, make_asset, logged_in, monkeypatch, settings):
    monkeypatch.setattr(actions, "MAX_PHOTO_BYTES", 1024 * 1024)
    camera = make_asset(tag="BC-1")
    big = png(size=(1500, 1500))
    noisy = Image.effect_noise((1200, 1200), 100).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="PNG")
    big = SimpleUploadedFile("big.png", buffer.getvalue(), "image/png")
    assert big.size > 1024 * 1024
    response = logged_in(desk).post(
        reverse("equipment:photo_add", args=[camera.pk]), {"photo": big}
    )
    assert response.status_code == 400 and "The photo is too large: at most 1 MB." in response.text
    assert not AssetPhoto.objects.exists()
    assert not list((settings.MEDIA_ROOT).rglob("*.png"))


def test_it_refuses_a_photo_declaring_too_many_pixels_before_decoding_it(
    desk, make_asset, logged_in
):
    import resource

    from scape.core.testing import bomb_png

    camera = make_asset(tag="BC-9")
    upload = SimpleUploadedFile("p.png", bomb_png(12000, 12000), content_type="image/png")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = logged_in(desk).post(
        reverse("equipment:photo_add", args=[camera.pk]), {"photo": upload}
    )
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert response.status_code == 400 and "12000 by 12000 pixels" in response.text
    assert grown_mib < 100  # decoding it would take 412 MiB
    assert not AssetPhoto.objects.exists()


def test_it_keeps_condition_photos_with_the_check_in(desk, officer, make_asset, logged_in):
    camera = make_asset(tag="BC-1")
    do_check_out(camera, officer, timezone.now() + datetime.timedelta(hours=2), actor=desk.user)
    client = logged_in(desk)
    response = client.post(
        reverse("equipment:check_in", args=[camera.pk]),
        {"condition": "Scratched lens", "photos": [png("a.png"), png("b.png")]},
    )
    assert response.status_code == 302
    checkout = Checkout.objects.get()
    assert checkout.photos.count() == 2
    assert "Jonas Petraitis" in client.get(camera.get_absolute_url()).text


def test_one_bad_photo_refuses_the_whole_check_in(desk, officer, make_asset, logged_in):
    camera = make_asset(tag="BC-1")
    do_check_out(camera, officer, timezone.now() + datetime.timedelta(hours=2), actor=desk.user)
    bad = SimpleUploadedFile("c.jpg", b"not an image", "image/jpeg")
    response = logged_in(desk).post(
        reverse("equipment:check_in", args=[camera.pk]),
        {"condition": "fine", "photos": [png("a.png"), bad]},
    )
    assert response.status_code == 400 and "not a photo" in response.text
    camera.refresh_from_db()
    assert camera.status == AssetStatus.CHECKED_OUT and not AssetPhoto.objects.exists()


def test_another_organization_cannot_see_the_photo(desk, make_asset, lv_org, persona, logged_in):
    camera = make_asset(tag="BC-1")
    photo = actions.do_add_asset_photo(camera, png(), actor=desk.user)
    stranger = persona(lv_org, Role.COORDINATOR, username="lv-desk")
    assert logged_in(stranger).get(photo.get_absolute_url()).status_code == 404
