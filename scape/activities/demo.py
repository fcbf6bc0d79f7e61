"""Demo data: joint trainings in Palanga and Liepāja with Lithuanian and Latvian
participants, attendance, a certificate, and contact cards.

Contact-card roles and topics, and activity topics, are in the person's or the
organizing organization's language (LT Lithuanian, LV Latvian).
Idempotent: activities are looked up by their English title and cards by their
person, and a second run creates nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from scape.activities.actions import (
    do_add_session,
    do_approve_registration,
    do_create_activity,
    do_issue_certificates,
    do_mark_attendance,
    do_register,
    do_update_activity,
)
from scape.activities.choices import ActivityKind, ActivityStatus, Audience
from scape.activities.models import Activity, Competency, ContactCard
from scape.directory.models import Organization, Person

COMPETENCIES = [
    ("drone-pilot", "Bepiločio orlaivio pilotas", "Bezpilota gaisa kuģa pilots", "Drone pilot", 730),
    ("body-camera", "Vaizdo registratoriaus naudojimas", "Ķermeņa kameras lietošana", "Body-camera use", 1095),
    ("e-bike-patrol", "Patruliavimas elektriniu dviračiu", "Patrulēšana ar elektrovelosipēdu", "E-bike patrol", 730),
    ("first-aid", "Pirmoji pagalba", "Pirmā palīdzība", "First aid", 365),
]  # fmt: skip

CARDS = {
    # Roles and "who to call for what" in the person's own language (demo text, not gettext).
    "rasa.petrauskiene": ("Programos koordinatorė, Palanga", "Bendri mokymai\nVasaros sezono patruliai", "PAL-COORD"),
    "dace.klavina": ("Programmas koordinatore, Liepāja", "Kopīgas mācības\nPašvaldības policijas dežūras", "LIE-COORD"),
    "rimantas.urbonas": ("Budintis komisaras", "Skubūs policijos reikalai Klaipėdos apskrityje", "KLP-OPS"),
    "kristaps.krumins": ("Priekšnieka vietnieks", "Valsts policija Kurzemē\nPārrobežu incidenti", "KUR-OPS"),
}  # fmt: skip

# The English texts of demo databases loaded earlier, replaced by the texts above.
EARLIER_CARD_ROLES = {
    "Programme coordinator, Palanga",
    "Programme coordinator, Liepāja",
    "Duty commissioner",
    "Deputy chief",
}
EARLIER_TOPICS = "CPR and AED\nBeach incidents\nWorking with a language barrier"
FIRST_AID_TOPICS = "Gaivinimas ir AED naudojimas\nĮvykiai paplūdimyje\nDarbas esant kalbos barjerui"


def _person(username: str) -> Person | None:
    return (
        Person.objects.select_related("user", "organization")
        .filter(user__username=username)
        .first()
    )


@transaction.atomic
def load_demo() -> int:
    """Load the demo activities; return how many records were created."""
    created = 0
    for code, lt, lv, en, days in COMPETENCIES:
        _, made = Competency.objects.get_or_create(
            code=code, defaults={"name_lt": lt, "name_lv": lv, "name_en": en, "validity_days": days}
        )
        created += made
    palanga = Organization.objects.filter(code="palanga").first()
    liepaja = Organization.objects.filter(code="liepaja-mp").first()
    rasa, dace = _person("rasa.petrauskiene"), _person("dace.klavina")
    if not (palanga and liepaja and rasa and dace):
        return created
    for username, (role, topics, talk_group) in CARDS.items():
        person = _person(username)
        if person is not None:
            card, made = ContactCard.objects.get_or_create(
                person=person, defaults={"role": role, "topics": topics, "talk_group": talk_group}
            )
            created += made
            if card.role in EARLIER_CARD_ROLES:
                ContactCard.objects.filter(pk=card.pk).update(role=role, topics=topics)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    comps = {c.code: c for c in Competency.objects.all()}

    def activity(
        title: str, org: Organization, actor: Person, start: datetime.datetime, **kw: object
    ) -> tuple[Activity, bool]:
        found = Activity.objects.filter(title_en=title).first()
        if found is not None:
            return found, False
        made = do_create_activity(org, title_en=title, starts_at=start, actor=actor.user, **kw)  # type: ignore[arg-type]
        return made, True

    # A completed joint first-aid training in Palanga, with a certificate.
    first_aid, made = activity(
        "Joint first-aid training before the summer season",
        palanga,
        rasa,
        now - datetime.timedelta(days=20),
        ends_at=now - datetime.timedelta(days=20) + datetime.timedelta(hours=7),
        title_lt="Bendri pirmosios pagalbos mokymai prieš vasaros sezoną",
        title_lv="Kopīgas pirmās palīdzības mācības pirms vasaras sezonas",
        kind=ActivityKind.TRAINING,
        city="Palanga",
        country="LT",
        address="Vytauto g. 112",
        latitude="55.918900",
        longitude="21.068100",
        partners=[liepaja],
        competencies=[comps["first-aid"]],
        capacity=20,
        audience=[Audience.OFFICERS, Audience.SPECIALISTS, Audience.VOLUNTEERS],
        topics=FIRST_AID_TOPICS,
        status=ActivityStatus.OPEN,
    )
    if not made and first_aid.topics == EARLIER_TOPICS:
        Activity.objects.filter(pk=first_aid.pk).update(topics=FIRST_AID_TOPICS)
    if made:
        created += 1
        start = first_aid.starts_at
        sessions = [
            do_add_session(first_aid, starts_at=start, ends_at=start + datetime.timedelta(hours=3), place="Palangos kultūros centras", actor=rasa.user),
            do_add_session(first_aid, starts_at=start + datetime.timedelta(hours=4), ends_at=start + datetime.timedelta(hours=7), place="Palangos paplūdimys", actor=rasa.user),
        ]  # fmt: skip
        people = [p for p in (_person(u) for u in ("tomas.jankauskas", "mantas.stankevicius", "liga.jansone", "arturs.petersons")) if p]  # fmt: skip
        for person in people:
            registration = do_register(first_aid, person, actor=person.user)
            do_approve_registration(registration, actor=rasa.user)
        for index, session in enumerate(sessions):
            marks = {
                p.pk: not (index == 1 and p.user.username == "mantas.stankevicius") for p in people
            }
            do_mark_attendance(session, marks, actor=rasa.user)
        created += len(do_issue_certificates(first_aid, actor=rasa.user))

    # An upcoming e-bike patrol exercise in Liepāja, open for registration.
    ebike, made = activity(
        "E-bike patrol practical exercise",
        liepaja,
        dace,
        now + datetime.timedelta(days=12),
        ends_at=now + datetime.timedelta(days=12, hours=5),
        title_lt="Patruliavimo elektriniais dviračiais praktinės pratybos",
        title_lv="Patrulēšanas ar elektrovelosipēdiem praktiskās mācības",
        kind=ActivityKind.EXERCISE,
        city="Liepāja",
        country="LV",
        address="Jelgavas iela 48",
        latitude="56.504700",
        longitude="21.010800",
        partners=[palanga],
        competencies=[comps["e-bike-patrol"]],
        capacity=8,
        audience=[Audience.OFFICERS, Audience.SPECIALISTS],
        status=ActivityStatus.OPEN,
    )
    if made:
        created += 1
        do_add_session(
            ebike,
            starts_at=ebike.starts_at,
            ends_at=ebike.ends_at,
            place="Liepājas promenāde",
            actor=dace.user,
        )
        for username in ("egle.kazlauskaite", "edgars.vitols"):
            person = _person(username)
            if person is not None:
                do_register(ebike, person, actor=person.user)

    # An upcoming drone demonstration in Palanga.
    drone, made = activity(
        "Drone demonstration for the beach season",
        palanga,
        rasa,
        now + datetime.timedelta(days=30),
        ends_at=now + datetime.timedelta(days=30, hours=3),
        title_lt="Bepiločių orlaivių demonstracija paplūdimio sezonui",
        title_lv="Bezpilota gaisa kuģu demonstrācija pludmales sezonai",
        kind=ActivityKind.DEMONSTRATION,
        city="Palanga",
        country="LT",
        partners=[liepaja],
        status=ActivityStatus.DRAFT,
    )
    if made:
        created += 1
        do_update_activity(drone, status=ActivityStatus.OPEN, actor=rasa.user)
    return created


def demo_loader() -> tuple[int, list[str]]:
    """Load the activities demo and return a line to print."""
    created = load_demo()
    return created, [f"Activities: {Activity.objects.count()} joint trainings and events."]
