"""Demo equipment for the four partners: assets, custody, trips, readings, schedules, a flight.

Idempotent: an asset is looked up by its organization and tag, and the
records of use are only added with a newly created asset.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scape.activities.models import Competency, PersonCompetency
from scape.core.choices import Role
from scape.directory.models import Organization, Person
from scape.equipment.actions import (
    do_check_out,
    do_create_asset,
    do_record_flight,
    do_record_reading,
    do_record_trip,
)
from scape.equipment.choices import ZERO_EMISSION, AssetKind, MaintenanceKind, MeterUnit
from scape.equipment.models import Asset, MaintenanceSchedule

FUNDING = "Interreg VI-A Latvia-Lithuania Programme 2021-2027, project SCAPE"
K = AssetKind
# organization: (coordinator, [(tag, kind, make, model, price, details), ...])
FLEET: dict[str, tuple[str, list[tuple[str, str, str, str, str, dict[str, Any]]]]] = {
    "palanga": ("rasa.petrauskiene", [
        ("PAL-BC-01", K.BODY_CAMERA, "Axon", "Body 4", "890", {}),
        ("PAL-BC-02", K.BODY_CAMERA, "Axon", "Body 4", "890", {}),
        ("PAL-BC-03", K.BODY_CAMERA, "Axon", "Body 4", "890", {}),
        ("PAL-RD-01", K.RADIO, "Motorola", "MTP3550", "1150", {"issi": "2620111", "call_sign": "PAL-11"}),
        ("PAL-RD-02", K.RADIO, "Motorola", "MTP3550", "1150", {"issi": "2620112", "call_sign": "PAL-12"}),
        ("PAL-EB-01", K.E_BIKE, "Riese & Müller", "Delite GT", "5200", {"battery_kwh": "0.75"}),
        ("PAL-EB-02", K.E_BIKE, "Riese & Müller", "Delite GT", "5200", {"battery_kwh": "0.75"}),
        ("PAL-BK-01", K.BICYCLE, "Trek", "FX 3", "950", {}),
        ("PAL-TR-01", K.TRICYCLE, "Babboe", "Pro Trike", "4100", {}),
        ("PAL-EV-01", K.ELECTRIC_CAR, "Škoda", "Enyaq 85", "46500", {"plate": "PAL 001", "battery_kwh": "82"}),
        ("PAL-DR-01", K.DRONE, "DJI", "Matrice 30T", "12800", {"registration": "LTU-RP-0042"}),
        ("PAL-INF-01", K.INFORMING, "Ampetronic", "PA-60", "640", {"informing_type": "loudspeaker"}),
    ]),
    "klaipeda-police": ("rimantas.urbonas", [
        ("KLP-BC-01", K.BODY_CAMERA, "Motorola", "VB400", "780", {}),
        ("KLP-BC-02", K.BODY_CAMERA, "Motorola", "VB400", "780", {}),
        ("KLP-TC-01", K.TRAFFIC_CAMERA, "Motorola", "M500", "3900", {}),
        ("KLP-RD-01", K.RADIO, "Sepura", "SC20", "1300", {"issi": "2620211", "call_sign": "KLP-21"}),
        ("KLP-MB-01", K.ELECTRIC_MINIBUS, "Mercedes-Benz", "eSprinter", "78000", {"plate": "KLP 010", "battery_kwh": "113", "seats": 8}),
        ("KLP-FV-01", K.FUEL_VEHICLE, "Volkswagen", "Passat", "36000", {"plate": "KLP 011"}),
    ]),
    "vp-kurzeme": ("kristaps.krumins", [
        ("KUR-BC-01", K.BODY_CAMERA, "Axon", "Body 4", "890", {}),
        ("KUR-BC-02", K.BODY_CAMERA, "Axon", "Body 4", "890", {}),
        ("KUR-RD-01", K.RADIO, "Sepura", "SC20", "1300", {"issi": "2470311", "call_sign": "KUR-31"}),
        ("KUR-EV-01", K.ELECTRIC_CAR, "Hyundai", "Ioniq 5", "44000", {"plate": "KUR-101", "battery_kwh": "77"}),
        ("KUR-DR-01", K.DRONE, "DJI", "Mavic 3 Thermal", "6900", {"registration": "LVA-RP-0107"}),
    ]),
    "liepaja-mp": ("dace.klavina", [
        ("LIE-BC-01", K.BODY_CAMERA, "Axon", "Body 4", "890", {}),
        ("LIE-EB-01", K.E_BIKE, "Gazelle", "Ultimate C380", "3900", {"battery_kwh": "0.63"}),
        ("LIE-EB-02", K.E_BIKE, "Gazelle", "Ultimate C380", "3900", {"battery_kwh": "0.63"}),
        ("LIE-TR-01", K.TRICYCLE, "Babboe", "Pro Trike", "4100", {}),
        ("LIE-MB-01", K.ELECTRIC_MINIBUS, "Ford", "E-Transit", "69000", {"plate": "LIE-010", "battery_kwh": "89", "seats": 9}),
        ("LIE-INF-01", K.INFORMING, "Swarco", "VMS mobile", "8200", {"informing_type": "message_board"}),
    ]),
}  # fmt: skip

# A short search flight over the Palanga beach, as a CSV log.
_TRACK_CENTER = (55.9175, 21.0615)


def _track_csv() -> bytes:
    lines = ["time,latitude,longitude,altitude"]
    for step in range(24):
        angle = step / 24 * 2 * math.pi
        lat = _TRACK_CENTER[0] + 0.004 * math.sin(angle)
        lon = _TRACK_CENTER[1] + 0.006 * math.cos(angle) + step * 0.0002
        lines.append(f"10:{step // 2:02d}:{(step % 2) * 30:02d},{lat:.6f},{lon:.6f},{40 + step}")
    return ("\n".join(lines) + "\n").encode()


def _km_per_trip(kind: str) -> Decimal:
    per_kind: dict[str, Decimal] = {
        K.BICYCLE: Decimal("14"),
        K.TRICYCLE: Decimal("9"),
        K.E_BIKE: Decimal("22"),
        K.ELECTRIC_CAR: Decimal("63"),
        K.ELECTRIC_MINIBUS: Decimal("48"),
        K.FUEL_VEHICLE: Decimal("71"),
    }
    return per_kind.get(kind, Decimal("10"))


def _use(asset: Asset, people: list[Person], desk: Person) -> int:
    """Add six weeks of trips, the meter readings and a schedule to a new vehicle."""
    created = 0
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    odometer = Decimal(0)
    if asset.kind in ZERO_EMISSION or asset.kind == K.FUEL_VEHICLE:
        for day in range(42, 0, -3):
            start = now - datetime.timedelta(days=day, hours=3)
            km = _km_per_trip(asset.kind) + Decimal(day % 5)
            energy = fuel = None
            if asset.kind in (K.E_BIKE, K.ELECTRIC_CAR, K.ELECTRIC_MINIBUS):
                per_km: dict[str, str] = {
                    K.E_BIKE: "0.012",
                    K.ELECTRIC_CAR: "0.17",
                    K.ELECTRIC_MINIBUS: "0.29",
                }
                energy = (km * Decimal(per_km[asset.kind])).quantize(Decimal("0.01"))
            elif asset.kind == K.FUEL_VEHICLE:
                fuel = (km * Decimal("0.065")).quantize(Decimal("0.01"))
            do_record_trip(
                asset,
                people[day % len(people)],
                started_at=start,
                ended_at=start + datetime.timedelta(hours=2, minutes=30),
                km=km,
                energy_kwh=energy,
                fuel_l=fuel,
                note="Patruliavimas" if asset.organization.country == "LT" else "Patrulēšana",
                actor=desk.user,
            )
            odometer += km
            created += 1
        base: dict[str, int] = {
            K.ELECTRIC_CAR: 11800,
            K.ELECTRIC_MINIBUS: 14300,
            K.FUEL_VEHICLE: 52000,
        }
        reading = Decimal(base.get(asset.kind, 1700)) + odometer
        do_record_reading(asset, MeterUnit.KM, reading, actor=desk.user)
        created += 1
        every = Decimal(15000) if asset.kind in base else Decimal(2000)
        MaintenanceSchedule.objects.create(
            organization=asset.organization,
            asset=asset,
            kind=MaintenanceKind.SERVICE if asset.kind in base else MaintenanceKind.INSPECTION,
            every_days=365,
            every_meter=every,
            meter_unit=MeterUnit.KM,
        )
        created += 1
    if asset.kind == K.DRONE:
        do_record_reading(asset, MeterUnit.FLIGHT_HOURS, "48.7", actor=desk.user)
        MaintenanceSchedule.objects.create(
            organization=asset.organization,
            asset=asset,
            kind=MaintenanceKind.INSPECTION,
            every_meter=Decimal(50),
            meter_unit=MeterUnit.FLIGHT_HOURS,
        )
        created += 2
    return created


def _pilot(person: Person) -> Person:
    competency = Competency.objects.filter(code="drone-pilot").first()
    if competency is not None:
        PersonCompetency.objects.get_or_create(
            person=person,
            competency=competency,
            defaults={"valid_from": timezone.localdate() - datetime.timedelta(days=200)},
        )
    return person


@transaction.atomic
def load_demo() -> int:
    """Load the partners' equipment; return how many records were created."""
    created = 0
    for code, (desk_name, assets) in FLEET.items():
        organization = Organization.objects.filter(code=code).first()
        desk = Person.objects.filter(user__username=desk_name, organization=organization).first()
        if organization is None or desk is None:
            continue
        people = list(
            Person.objects.filter(organization=organization, is_active=True)
            .exclude(role_assignments__role=Role.VOLUNTEER)
            .order_by("pk")
        )
        patrol = list(
            Person.objects.filter(
                organization=organization,
                is_active=True,
                role_assignments__role__in=[Role.OFFICER, Role.SPECIALIST],
            ).order_by("pk")
        )
        bought = datetime.date(2025, 4, 15)
        for tag, kind, make, model, price, details in assets:
            if Asset.objects.filter(organization=organization, tag=tag).exists():
                continue
            asset = do_create_asset(
                organization,
                kind=kind,
                tag=tag,
                actor=desk.user,
                serial=f"SN-{tag}",
                make=make,
                model=model,
                unit=organization.units.first(),
                location="Station",
                purchase_date=bought,
                price=price,
                funding_source=FUNDING,
                details=details,
            )
            created += 1 + _use(asset, people, desk)
            if kind == K.DRONE and code == "palanga" and patrol:
                pilot = _pilot(patrol[-1])
                start = timezone.now() - datetime.timedelta(days=4, hours=5)
                do_record_flight(
                    asset,
                    pilot,
                    started_at=start,
                    ended_at=start + datetime.timedelta(minutes=24),
                    purpose="Search for a missing swimmer at the pier",
                    area="Palanga beach, pier to Birutė park",
                    max_altitude_m=60,
                    track_file_name="DJI_flight_log.csv",
                    track_bytes=_track_csv(),
                    actor=desk.user,
                )
                created += 1
            if tag.endswith("BC-01") and patrol:
                back = timezone.now() + datetime.timedelta(hours=10)
                try:
                    do_check_out(asset, patrol[0], back, actor=desk.user)
                except ValidationError:  # a competency the demo patrol does not hold
                    pass
                else:
                    created += 1
    return created


def demo_loader() -> tuple[int, list[str]]:
    """Load the equipment demo and say where to find it."""
    created = load_demo()
    return created, [f"Equipment: {created} records (assets, trips, readings, a drone flight)."]
