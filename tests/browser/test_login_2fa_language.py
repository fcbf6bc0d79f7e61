"""A person logs in with a second factor and uses SCAPE in Latvian and English."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from scape.core.choices import Role
from scape.directory.testing import PASSWORD, make_org, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code_for(secret: str, steps_ahead: int = 0) -> str:
    """Return the code an authenticator app shows now (or `steps_ahead` windows later)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def test_it_enrols_2fa_logs_in_and_switches_to_latvian_and_back(live_server, page):
    org = make_org("liepaja-mp", country="LV", name_lv="Liepājas pilsētas pašvaldības policija")
    person = make_person(org, [Role.OFFICER], username="edgars.vitols", first_name="Edgars")

    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    assert page.get_by_role("note").is_visible()  # the system-use notice
    page.fill("#id_username", "edgars.vitols")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # An officer can reach evidence: enrolment of an authenticator is required.
    page.wait_for_url("**/login/setup/**")
    assert page.locator("img.qr").is_visible()
    # The QR code is drawn (not its alt text): the image decoded to real pixels.
    assert page.locator("img.qr").evaluate("(img) => img.complete && img.naturalWidth") > 100
    import cv2
    import numpy as np

    shot = cv2.imdecode(np.frombuffer(page.locator("img.qr").screenshot(), np.uint8), 1)
    decoded, _points, _code = cv2.QRCodeDetectorAruco().detectAndDecode(shot)
    assert decoded.startswith("otpauth://totp/") and "edgars.vitols" in decoded
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#id_token", _code_for(secret))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == org.name_en
    assert TOTPDevice.objects.get(user=person.user).confirmed

    page.get_by_role("button", name="LV").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "lv"
    assert page.get_by_role("heading", level=1).inner_text() == org.name_lv
    assert (
        page.get_by_role("navigation").get_by_role("link", name="Cilvēki").is_visible()
    )  # "People"
    person.refresh_from_db()
    assert person.ui_language == "lv"

    # The choice is remembered for the user: a new session opens in Latvian.
    page.get_by_role("button", name="Iziet").click()  # "Log out"
    page.fill("#id_username", "edgars.vitols")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Pieteikties").click()
    page.wait_for_url("**/login/verify/**")
    device = TOTPDevice.objects.get(user=person.user)
    # A code is accepted once: the next window's code (within the allowed drift)
    # stands for the user waiting for their app to show a new one.
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    page.fill("#id_token", _code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="Pārbaudīt").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("navigation").get_by_role("link", name="Cilvēki").is_visible()

    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("navigation").get_by_role("link", name="People").is_visible()
    page.get_by_role("navigation").get_by_role("link", name="People").click()
    assert page.get_by_role("heading", level=1).inner_text() == "People"
