"""Demo data: cameras on the Palanga-Liepāja road (A13 / A11), a hot-list shared
across the border, a day of reads, a speed section and one hit."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from scape.core.context import actor_context
from scape.directory.models import Organization, Person
from scape.traffic.actions import (
    do_create_camera,
    do_create_entry,
    do_create_section,
    do_record_read,
    do_share_entry,
)
from scape.traffic.choices import HotlistReason, ReadSource
from scape.traffic.models import TrafficCamera

# organization code, name, road, direction, latitude, longitude
CAMERAS = [
    ("palanga", "A13 Palanga, Klaipėdos pl.", "A13", "N", 55.9000, 21.0790),
    ("palanga", "A13 Šventoji", "A13", "N", 56.0270, 21.0940),
    ("klaipeda-police", "A13 Giruliai", "A13", "N", 55.7700, 21.0950),
    ("vp-kurzeme", "A11 Rucava", "A11", "N", 56.1620, 21.1630),
    ("liepaja-mp", "A11 Liepāja, Klaipēdas iela", "A11", "N", 56.4790, 21.0180),
]
# owner, plate, country, reason, note, shared with
ENTRIES = [
    ("liepaja-mp", "KR-1234", "LV", HotlistReason.STOLEN_VEHICLE, "Pelēks VW Passat, nozagts 2026-05-02", ("palanga", "klaipeda-police")),
    ("palanga", "GUF 465", "LT", HotlistReason.WANTED_PERSON, "Vairuotojas ieškomas (byla 2026/114)", ("liepaja-mp", "vp-kurzeme")),
    ("vp-kurzeme", "HN-770", "LV", HotlistReason.MISSING_PERSON, "Bezvēsts prombūtnē esošs vīrietis, 74 g.", ("palanga", "klaipeda-police", "liepaja-mp")),
]  # fmt: skip
LT_LETTERS = "ABCDEFGHJKLMNOPRSTUVZ"
LV_LETTERS = "ABCDEFGHJKLMNOPRSTUVZ"


def _keeper(org: Organization) -> Any:
    person = (
        Person.objects.filter(
            organization=org,
            is_active=True,
            role_assignments__role__in=["coordinator", "officer", "org_admin"],
        )
        .select_related("user")
        .first()
    )
    return person.user if person else None


def _plate(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return "".join(rng.choice(LT_LETTERS) for _ in range(3)) + f"{rng.randint(0, 999):03d}"
    return "".join(rng.choice(LV_LETTERS) for _ in range(2)) + str(rng.randint(1000, 9999))


def demo_loader() -> tuple[int, list[str]]:
    """Load the traffic demo (idempotent: nothing happens when the cameras exist)."""
    orgs = {o.code: o for o in Organization.objects.filter(code__in={c[0] for c in CAMERAS})}
    if len(orgs) < 4 or TrafficCamera.objects.filter(name=CAMERAS[0][1]).exists():
        return 0, []
    created = 0
    rng = random.Random(2026)
    now = timezone.now().replace(microsecond=0)
    with actor_context(None):
        cameras = {}
        for code, name, road, direction, lat, lon in CAMERAS:
            camera, _token = do_create_camera(
                orgs[code], name=name, road=road, direction=direction, latitude=lat,
                longitude=lon, actor=_keeper(orgs[code]),
            )  # fmt: skip
            cameras[name] = camera
            created += 1
        for code, plate, country, reason, note, partners in ENTRIES:
            entry = do_create_entry(
                orgs[code], plate=plate, country=country, reason=reason, note=note,
                valid_until=now + datetime.timedelta(days=60), actor=_keeper(orgs[code]),
            )  # fmt: skip
            for partner in partners:
                do_share_entry(entry, grantee=orgs[partner], actor=_keeper(orgs[code]))
            created += 1
        north, south = cameras[CAMERAS[0][1]], cameras[CAMERAS[1][1]]
        do_create_section(
            orgs["palanga"], name="A13 Palanga - Šventoji", camera_a=north, camera_b=south,
            distance_m=13_800, limit_kmh=90, max_minutes=40, actor=_keeper(orgs["palanga"]),
        )  # fmt: skip
        # A day of ordinary traffic: about 6 reads an hour per camera.
        for camera in cameras.values():
            for _ in range(140):
                when = now - datetime.timedelta(seconds=rng.randint(60, 24 * 3600))
                _read(camera, _plate(rng), when, rng)
                created += 1
        # Vehicles through the section, some of them too fast.
        for minutes in (8, 9, 11, 7, 12, 10):
            plate = _plate(rng)
            start = now - datetime.timedelta(hours=rng.randint(1, 20), minutes=rng.randint(0, 59))
            _read(north, plate, start, rng)
            _read(south, plate, start + datetime.timedelta(minutes=minutes), rng)
            created += 2
        # The stolen Liepāja car, seen in Palanga twenty minutes ago.
        _read(north, "KR1234", now - datetime.timedelta(minutes=20), rng)
        created += 1
    return created, [
        "",
        "Demo traffic: five cameras on the A13/A11, a shared hot-list and a hit in Palanga"
        " (KR-1234, stolen in Liepāja).",
    ]


def _read(camera: TrafficCamera, plate: str, when: datetime.datetime, rng: random.Random) -> None:
    do_record_read(
        organization=camera.organization,
        camera=camera,
        time=when,
        plate=plate,
        confidence=round(rng.uniform(0.82, 0.99), 3),
        source=ReadSource.CAMERA,
    )
