"""Demo data: incidents on the beaches of Palanga and Liepāja, a cross-border one, a joint patrol.

Idempotent: a second run finds the records and creates nothing. The text is what the
two police services would write, each in its own language (Palanga Lithuanian, Liepāja
Latvian); it is data, not interface, so it is not translated.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from scape.directory.models import Organization, Person
from scape.operations.actions import (
    do_add_log_entry,
    do_add_person,
    do_assign_incident,
    do_create_incident,
    do_plan_patrol,
    do_share_incident,
)
from scape.operations.choices import MemberRole, PersonCategory, Severity, Transport
from scape.operations.models import Incident, IncidentType, Patrol

JOINT_TALK_GROUP = "LT-LV JOINT 1"

PALANGA_BEACH_AREA = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [21.0450, 55.9300],
                        [21.0560, 55.9300],
                        [21.0520, 55.9000],
                        [21.0410, 55.9000],
                        [21.0450, 55.9300],
                    ]
                ],
            },
        }
    ],
}


def _person(username: str) -> Person | None:
    return (
        Person.objects.select_related("user", "organization")
        .filter(user__username=username)
        .first()
    )


@transaction.atomic
def demo_loader() -> tuple[int, list[str]]:
    """Load the operations demo; idempotent."""
    palanga = Organization.objects.filter(code="palanga").first()
    liepaja = Organization.objects.filter(code="liepaja-mp").first()
    tomas, edgars = _person("tomas.jankauskas"), _person("edgars.vitols")
    rasa, mantas = _person("rasa.petrauskiene"), _person("mantas.stankevicius")
    dace = _person("dace.klavina")
    if None in (palanga, liepaja, tomas, edgars, rasa, mantas, dace):
        return 0, []
    assert tomas and edgars and rasa and mantas and dace and palanga and liepaja  # for mypy
    if Incident.objects.filter(organization=palanga, title="Vaikas pasiklydo prie tilto").exists():
        return 0, []
    now = timezone.now()
    # The migration seeds the incident types; a flushed test database has lost them.
    import_module("scape.operations.migrations.0002_incident_types").seed(apps, None)
    types = {t.code: t for t in IncidentType.objects.all()}
    lost = do_create_incident(
        type=types["missing-person"],
        title="Vaikas pasiklydo prie tilto",
        description="Berniukas (6 m.) pasiklydo prie Palangos tilto, rastas po 40 min.",
        occurred_at=now - datetime.timedelta(hours=3),
        latitude=Decimal("55.918600"),
        longitude=Decimal("21.049400"),
        address="Palangos tiltas, Palanga",
        severity=Severity.HIGH,
        actor=tomas.user,
    )
    do_add_log_entry(lost, "Vaikas rastas ir perduotas tėvams.", actor=tomas.user)
    beach = do_create_incident(
        type=types["water-safety"],
        title="Peldētājs ārpus drošās zonas",
        description="Peldētājs aiz bojām pludmalē pie Jūrmalas parka.",
        occurred_at=now - datetime.timedelta(hours=5),
        latitude=Decimal("56.514000"),
        longitude=Decimal("20.998000"),
        address="Liepājas pludmale, Jūrmalas parks",
        severity=Severity.MEDIUM,
        actor=edgars.user,
    )
    do_assign_incident(beach, organization=liepaja, person=edgars, actor=dace.user)
    border = do_create_incident(
        type=types["theft"],
        title="Nozagts elektrovelosipēds, pārvietots uz Lietuvu",
        description="Elektrovelosipēds nozagts Rucavā; liecinieki redzēja braucam uz Būtingi.",
        occurred_at=now - datetime.timedelta(hours=1),
        latitude=Decimal("56.060000"),
        longitude=Decimal("21.070000"),
        address="Rucava, pie robežas",
        severity=Severity.MEDIUM,
        actor=edgars.user,
    )
    do_add_person(border, category=PersonCategory.VICTIM, name="Jānis Paraugs", actor=edgars.user)
    do_share_incident(
        border,
        grantee=palanga,
        purpose="Pārrobežu meklēšana: pārbaudīt Būtiņģes ceļu",
        expires_at=now + datetime.timedelta(days=14),
        actor=edgars.user,
    )
    do_add_log_entry(border, "Ziņots Palangai, lūdzam pārbaudīt Būtingi.", actor=edgars.user)
    do_add_log_entry(border, "Patikrinome Būtingės kelią, dviračio nematyti.", actor=tomas.user)
    created = 3
    # Found by its talk group, a stable key: the title was once bilingual.
    if not Patrol.objects.filter(organization=palanga, talk_group=JOINT_TALK_GROUP).exists():
        start = (now + datetime.timedelta(days=1)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        do_plan_patrol(
            title="Bendras patruliavimas elektriniais dviračiais",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=6),
            area=PALANGA_BEACH_AREA,
            route="Palangos tiltas - Birutės parkas - Šventoji",
            talk_group=JOINT_TALK_GROUP,
            briefing="Paplūdimiai, dviračių takai; dėmesys vaikams ir vagystėms.",
            members=[
                {"person": tomas, "role": MemberRole.LEADER, "transport": Transport.E_BIKE},
                {"person": edgars, "role": MemberRole.MEMBER, "transport": Transport.E_BIKE},
                {"person": mantas, "role": MemberRole.MEMBER, "transport": Transport.E_BIKE},
            ],
            actor=rasa.user,
        )
        created += 1
    return created, [
        "Operations: 3 incidents (Palanga, Liepāja, cross-border shared), 1 joint e-bike patrol"
    ]
