"""Demo data: a published beach-closure notice of Palanga in lt, lv and en.

The event and area description are in Palanga's language (Lithuanian).
Idempotent: the notice is found by its event (the current text or the English one
older demo databases hold) and organization, and a second run creates nothing.
"""

from __future__ import annotations

import datetime
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from scape.alerts.actions import (
    do_approve_notice,
    do_create_notice,
    do_publish_notice,
    do_submit_notice,
)
from scape.alerts.areas import area_from_shape
from scape.alerts.models import Notice, SavedArea
from scape.directory.models import Organization

EVENT = "Paplūdimio uždarymas"
# The event text of demo databases loaded before the event was in Lithuanian.
EARLIER_EVENTS = ("Beach closure",)
AREA_DESC = "Palangos paplūdimys"
TEXTS = {
    "lt": {
        "headline": "Palangos paplūdimys uždarytas dėl audros",
        "description": "Dėl stiprios audros ir aukštų bangų Palangos centrinis paplūdimys uždarytas.",
        "instruction": "Nesimaudykite ir laikykitės atokiau nuo tilto bei kranto.",
    },
    "lv": {
        "headline": "Palangas pludmale slēgta vētras dēļ",
        "description": "Spēcīgas vētras un augstu viļņu dēļ Palangas centrālā pludmale ir slēgta.",
        "instruction": "Nepeldieties un turieties tālāk no tilta un krasta.",
    },
    "en": {
        "headline": "Palanga beach closed because of a storm",
        "description": "Palanga's central beach is closed because of a strong storm and high waves.",
        "instruction": "Do not swim and keep away from the pier and the shore.",
    },
}


@transaction.atomic
def demo_loader() -> tuple[int, list[str]]:
    """Publish the demo notice once; return (records created, lines to print)."""
    organization = Organization.objects.filter(code="palanga").first()
    users = get_user_model().objects
    author = users.filter(username="egle.kazlauskaite").first()
    coordinator = users.filter(username="rasa.petrauskiene").first()
    if organization is None or author is None or coordinator is None:
        return 0, []
    if Notice.objects.filter(
        organization=organization, event__in=(EVENT, *EARLIER_EVENTS)
    ).exists():
        return 0, []
    # The migration seeds the shared areas; a flushed test database has lost them.
    import_module("scape.alerts.migrations.0002_seed_saved_areas").seed(apps, None)
    beach = SavedArea.objects.filter(name="Palanga beach").first()
    if beach is None:
        return 0, []
    notice = do_create_notice(
        organization,
        actor=author,
        infos=TEXTS,
        areas=[area_from_shape(beach, AREA_DESC)],
        category=["Safety", "Met"],
        event=EVENT,
        response_type=["Avoid"],
        urgency="Immediate",
        severity="Severe",
        certainty="Observed",
        expires=timezone.now() + datetime.timedelta(days=2),
        contact="+370 460 48 600",
        web="https://www.palanga.lt/",
    )
    do_submit_notice(notice, actor=author)
    do_approve_notice(notice, actor=coordinator)
    do_publish_notice(notice, actor=coordinator)
    return 1, ["  Public notices: /alerts/ (feed /alerts/feed.atom)"]
