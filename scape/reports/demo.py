"""Demo data: the programme's solutions improving public services.

The indicators themselves are seeded by a migration; the figures come from the
other apps' demo records. Idempotent: solutions are looked up by English name.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from scape.directory.queries import organization_by_code
from scape.reports.models import Solution

SOLUTIONS: list[dict[str, Any]] = [
    {
        "name_en": "Joint trainings of officers, specialists and volunteers",
        "name_lt": "Bendri pareigūnų, specialistų ir savanorių mokymai",
        "name_lv": "Kopīgas policistu, speciālistu un brīvprātīgo mācības",
        "description": "Joint trainings and practical exercises in Lithuania and Latvia; "
        "attendance and certificates are kept in SCAPE.",
        "link": "/activities/",
        "days_ago": 200,
        "organization": None,
    },
    {
        "name_en": "Body cameras and a shared evidence vault",
        "name_lt": "Individualios vaizdo kameros ir bendra įrodymų saugykla",
        "name_lv": "Ķermeņa kameras un kopīga pierādījumu krātuve",
        "description": "Footage is hashed on ingest, kept with its chain of custody and "
        "shared with partners for a purpose and until an expiry.",
        "link": "/vault/",
        "days_ago": 120,
        "organization": "klaipeda-police",
    },
    {
        "name_en": "Zero-emission patrols in the resorts",
        "name_lt": "Betaršiai patruliai kurortuose",
        "name_lv": "Bezizmešu patruļas kūrortos",
        "description": "Bicycles, e-bikes, an electric car and minibus replace patrol-car "
        "kilometres; the CO₂ avoided is reported monthly.",
        "link": "/equipment/",
        "days_ago": 45,
        "organization": "palanga",
    },
]


@transaction.atomic
def demo_loader() -> tuple[int, list[str]]:
    """Create the demo solutions that are missing; return (created, lines)."""
    created = 0
    today = timezone.localdate()
    for data in SOLUTIONS:
        if Solution.objects.filter(name_en=data["name_en"]).exists():
            continue
        code = data["organization"]
        Solution.objects.create(
            name_en=data["name_en"],
            name_lt=data["name_lt"],
            name_lv=data["name_lv"],
            description=data["description"],
            link=data["link"],
            introduced_on=today - datetime.timedelta(days=int(data["days_ago"])),
            organization=organization_by_code(code) if code else None,
        )
        created += 1
    return created, ["Reports: /reports/ (programme indicators, exports in lt, lv, en)"]
