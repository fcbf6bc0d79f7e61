"""Demo data: the four partners of the programme and their people.

Loading is idempotent: records are looked up by code and username, and a
second run creates and changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from scape.core.choices import Role
from scape.directory.actions import do_create_person
from scape.directory.choices import Country, Gender, OrganizationKind
from scape.directory.models import Organization, Unit

DEMO_PASSWORD = "scape-demo-2026"  # noqa: S105 - printed for the demo, never used in production

ORGANIZATIONS = [
    {
        "code": "palanga",
        "name_lt": "Palangos miesto savivaldybės administracija",
        "name_lv": "Palangas pilsētas pašvaldības administrācija",
        "name_en": "Palanga City Municipality Administration",
        "short_name": "Palanga",
        "country": Country.LT,
        "kind": OrganizationKind.MUNICIPALITY,
        "street": "Vytauto g. 112",
        "postal_code": "LT-00153",
        "city": "Palanga",
        "units": ["Viešosios tvarkos skyrius"],
    },
    {
        "code": "klaipeda-police",
        "name_lt": "Klaipėdos apskrities vyriausiasis policijos komisariatas",
        "name_lv": "Klaipēdas apgabala galvenais policijas komisariāts",
        "name_en": "Klaipėda County Police Headquarters",
        "short_name": "Klaipėdos AVPK",
        "country": Country.LT,
        "kind": OrganizationKind.STATE_POLICE,
        "street": "Kauno g. 6",
        "postal_code": "LT-91154",
        "city": "Klaipėda",
        "units": ["Viešosios tvarkos valdyba", "Kelių policijos skyrius"],
    },
    {
        "code": "vp-kurzeme",
        "name_lt": "Latvijos valstybinės policijos Kuržemės regiono departamentas",
        "name_lv": "Valsts policijas Kurzemes reģiona pārvalde",
        "name_en": "State Police of Latvia, Kurzeme Region Department",
        "short_name": "VP Kurzeme",
        "country": Country.LV,
        "kind": OrganizationKind.STATE_POLICE,
        "street": "Čiekurkalna 1. līnija 1, k-4",
        "postal_code": "LV-1026",
        "city": "Rīga",
        "units": ["Kārtības policijas birojs"],
    },
    {
        "code": "liepaja-mp",
        "name_lt": "Liepojos savivaldybės policija",
        "name_lv": "Liepājas pilsētas pašvaldības policija",
        "name_en": "Liepāja Municipal Police",
        "short_name": "Liepājas PP",
        "country": Country.LV,
        "kind": OrganizationKind.MUNICIPAL_POLICE,
        "street": "Jelgavas iela 48",
        "postal_code": "LV-3401",
        "city": "Liepāja",
        "units": ["Patruļdienests"],
    },
]

F, M = Gender.FEMALE, Gender.MALE
# username, first name, last name, gender, roles, position, languages, call sign
PEOPLE = {
    "palanga": [
        ("darius.zukauskas", "Darius", "Žukauskas", M, [Role.SYS_ADMIN], "IT administratorius", ["lt", "en"], ""),
        ("jonas.paulauskas", "Jonas", "Paulauskas", M, [Role.ORG_ADMIN], "Skyriaus vedėjas", ["lt", "en", "ru"], ""),
        ("rasa.petrauskiene", "Rasa", "Petrauskienė", F, [Role.COORDINATOR], "Projekto koordinatorė", ["lt", "lv", "en"], "PAL-01"),
        ("tomas.jankauskas", "Tomas", "Jankauskas", M, [Role.SPECIALIST], "Viešosios tvarkos specialistas", ["lt", "ru"], "PAL-11"),
        ("egle.kazlauskaite", "Eglė", "Kazlauskaitė", F, [Role.SPECIALIST], "Viešosios tvarkos specialistė", ["lt", "en"], "PAL-12"),
        ("mantas.stankevicius", "Mantas", "Stankevičius", M, [Role.VOLUNTEER], "Savanoris", ["lt", "en"], ""),
        ("ieva.vaitkute", "Ieva", "Vaitkutė", F, [Role.VOLUNTEER], "Savanorė", ["lt", "en"], ""),
    ],
    "klaipeda-police": [
        ("kestutis.navickas", "Kęstutis", "Navickas", M, [Role.ORG_ADMIN], "Administratorius", ["lt", "en"], ""),
        ("rimantas.urbonas", "Rimantas", "Urbonas", M, [Role.COORDINATOR], "Komisaras", ["lt", "lv", "en"], "KLP-01"),
        ("andrius.kairys", "Andrius", "Kairys", M, [Role.OFFICER], "Patrulis", ["lt", "en"], "KLP-21"),
        ("laura.mockute", "Laura", "Mockutė", F, [Role.OFFICER], "Patrulė", ["lt", "en", "ru"], "KLP-22"),
        ("vytautas.rimkus", "Vytautas", "Rimkus", M, [Role.CUSTODIAN], "Įrodymų saugotojas", ["lt"], ""),
        ("gintare.sabaliauskiene", "Gintarė", "Sabaliauskienė", F, [Role.AUDITOR], "Duomenų apsaugos pareigūnė", ["lt", "en"], ""),
    ],
    "vp-kurzeme": [
        ("ieva.zarina", "Ieva", "Zariņa", F, [Role.ORG_ADMIN], "Administratore", ["lv", "en"], ""),
        ("kristaps.krumins", "Kristaps", "Krūmiņš", M, [Role.COORDINATOR], "Priekšnieka vietnieks", ["lv", "lt", "en"], "KUR-01"),
        ("janis.berzins", "Jānis", "Bērziņš", M, [Role.OFFICER], "Inspektors", ["lv", "en", "ru"], "KUR-31"),
        ("anna.kalnina", "Anna", "Kalniņa", F, [Role.OFFICER], "Inspektore", ["lv", "en"], "KUR-32"),
        ("maris.ozols", "Māris", "Ozols", M, [Role.CUSTODIAN], "Pierādījumu glabātājs", ["lv", "ru"], ""),
        ("ilze.liepina", "Ilze", "Liepiņa", F, [Role.AUDITOR], "Datu aizsardzības speciāliste", ["lv", "en"], ""),
    ],
    "liepaja-mp": [
        ("raivis.lapins", "Raivis", "Lapiņš", M, [Role.ORG_ADMIN], "Administrators", ["lv", "en"], ""),
        ("dace.klavina", "Dace", "Kļaviņa", F, [Role.COORDINATOR], "Projekta koordinatore", ["lv", "lt", "en"], "LIE-01"),
        ("edgars.vitols", "Edgars", "Vītols", M, [Role.OFFICER], "Inspektors", ["lv", "ru"], "LIE-41"),
        ("liga.jansone", "Līga", "Jansone", F, [Role.SPECIALIST], "Sabiedriskās kārtības speciāliste", ["lv", "en"], "LIE-42"),
        ("arturs.petersons", "Artūrs", "Pētersons", M, [Role.VOLUNTEER], "Brīvprātīgais", ["lv", "en"], ""),
        ("santa.ozolina", "Santa", "Ozoliņa", F, [Role.VOLUNTEER], "Brīvprātīgā", ["lv", "en"], ""),
    ],
}  # fmt: skip


@transaction.atomic
def load_demo() -> tuple[list[tuple[str, str, list[str]]], int]:
    """Load the demo organizations and people; return the logins and how many were created."""
    User = get_user_model()
    created = 0
    logins: list[tuple[str, str, list[str]]] = []
    for spec in ORGANIZATIONS:
        data = {k: v for k, v in spec.items() if k != "units"}
        org, made = Organization.objects.get_or_create(code=data.pop("code"), defaults=data)
        created += made
        for unit_name in spec["units"]:
            _, made = Unit.objects.get_or_create(organization=org, name=unit_name)
            created += made
        unit = org.units.first()
        for username, first, last, gender, roles, position, languages, call_sign in PEOPLE[
            org.code
        ]:
            logins.append((username, org.code, [str(r.label) for r in roles]))
            if User.objects.filter(username=username).exists():
                continue
            person = do_create_person(
                organization=org,
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.scape.invalid",
                roles=roles,
                password=DEMO_PASSWORD,
                unit=unit,
                gender=gender,
                position=position,
                languages=languages,
                radio_call_sign=call_sign,
                ui_language="lt" if org.country == Country.LT else "lv",
            )
            if Role.SYS_ADMIN in roles:
                person.user.is_staff = True
                person.user.is_superuser = True
                person.user.save(update_fields=["is_staff", "is_superuser"])
            created += 1
    return logins, created


def demo_loader() -> tuple[int, list[str]]:
    """Load the directory demo and return the login table to print."""
    logins, created = load_demo()
    lines = [
        "",
        f"Demo logins (password for all: {DEMO_PASSWORD})",
        "Two-factor login: each account enrols an authenticator app at first login.",
    ]
    lines += [f"  {username:<24} {org:<18} {', '.join(roles)}" for username, org, roles in logins]
    return created, lines
