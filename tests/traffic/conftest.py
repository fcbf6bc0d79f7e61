"""Traffic fixtures: Palanga (LT) and Liepāja (LV), their people, cameras and hot-list."""

from __future__ import annotations

import base64
import datetime
from typing import Any

import cv2
import numpy as np
import pytest
from django.utils import timezone

from scape.core.choices import Role
from scape.directory.testing import make_org
from scape.traffic.actions import do_create_camera, do_create_entry, do_share_entry
from scape.traffic.choices import HotlistReason


@pytest.fixture
def palanga(db: Any) -> Any:
    return make_org("palanga", country="LT")


@pytest.fixture
def liepaja(db: Any) -> Any:
    return make_org("liepaja-mp", country="LV")


@pytest.fixture
def klaipeda(db: Any) -> Any:
    return make_org("klaipeda-police", country="LT")


@pytest.fixture
def pal_coord(palanga: Any, persona: Any) -> Any:
    return persona(palanga, Role.COORDINATOR, username="rasa", first_name="Rasa")


@pytest.fixture
def pal_officer(palanga: Any, persona: Any) -> Any:
    return persona(palanga, Role.OFFICER, username="tomas")


@pytest.fixture
def lie_officer(liepaja: Any, persona: Any) -> Any:
    return persona(liepaja, Role.OFFICER, username="janis", ui_language="lv")


@pytest.fixture
def kla_officer(klaipeda: Any, persona: Any) -> Any:
    return persona(klaipeda, Role.OFFICER, username="andrius")


@pytest.fixture
def camera_and_token(palanga: Any, pal_coord: Any) -> tuple[Any, str]:
    return do_create_camera(
        palanga,
        name="A13 Palanga north",
        road="A13",
        direction="N",
        latitude=55.95,
        longitude=21.07,
        actor=pal_coord.user,
    )


@pytest.fixture
def camera(camera_and_token: tuple[Any, str]) -> Any:
    return camera_and_token[0]


@pytest.fixture
def token(camera_and_token: tuple[Any, str]) -> str:
    return camera_and_token[1]


@pytest.fixture
def make_entry(lie_officer: Any, liepaja: Any) -> Any:
    """Return a factory: a Liepāja hot-list entry, shared with the given partners."""

    def factory(
        plate: str = "KR-1234",
        *,
        share_with: tuple[Any, ...] = (),
        country: str | None = None,
        reason: str = HotlistReason.STOLEN_VEHICLE,
        days: int = 30,
        owner: Any = None,
    ) -> Any:
        actor = owner or lie_officer
        entry = do_create_entry(
            actor.organization,
            plate=plate,
            country=country,
            reason=reason,
            valid_until=timezone.now() + datetime.timedelta(days=days),
            note="Grey VW Passat",
            actor=actor.user,
        )
        for org in share_with:
            do_share_entry(entry, grantee=org, actor=actor.user)
        return entry

    return factory


def jpeg_bytes(width: int = 120, height: int = 30) -> bytes:
    image = np.full((height, width, 3), 230, dtype=np.uint8)
    cv2.putText(image, "KR1234", (4, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 0), 2)
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return data.tobytes()


@pytest.fixture
def jpeg_b64() -> str:
    return base64.b64encode(jpeg_bytes()).decode()
