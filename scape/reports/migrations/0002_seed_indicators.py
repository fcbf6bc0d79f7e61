"""Seed the programme's indicators; their definitions stay editable in the admin."""

from decimal import Decimal

from django.db import migrations

P = "scape.reports.indicators."

# code, group, unit, target, query, en, lt, lv
INDICATORS = [
    ("institutions", "programme", "count", Decimal(4), P + "programme.institutions",
     "Institutions participating in cooperation",
     "Bendradarbiavime dalyvaujančios institucijos",
     "Sadarbībā iesaistītās iestādes"),
    ("solutions", "programme", "count", Decimal(3), P + "programme.solutions",
     "Solutions improving public services",
     "Viešųjų paslaugų kokybę gerinantys sprendimai",
     "Sabiedrisko pakalpojumu kvalitāti uzlabojoši risinājumi"),
    ("trainings", "activities", "count", None, P + "activities.trainings",
     "Joint trainings held", "Surengti bendri mokymai", "Notikušās kopīgās mācības"),
    ("exercises", "activities", "count", None, P + "activities.exercises",
     "Practical exercises held", "Surengtos praktinės pratybos",
     "Notikušie praktiskie vingrinājumi"),
    ("demonstrations", "activities", "count", None, P + "activities.demonstrations",
     "Demonstrations held", "Surengtos demonstracijos", "Notikušās demonstrācijas"),
    ("joint-events", "activities", "count", None, P + "activities.joint_events",
     "Joint events held", "Surengti bendri renginiai", "Notikušie kopīgie pasākumi"),
    ("participants", "activities", "people", None, P + "activities.participants",
     "Participants (each person once)", "Dalyviai (kiekvienas asmuo kartą)",
     "Dalībnieki (katra persona vienreiz)"),
    ("training-hours", "activities", "hours", None, P + "activities.training_hours",
     "Training hours", "Mokymų valandos", "Mācību stundas"),
    ("certificates", "activities", "count", None, P + "activities.certificates",
     "Certificates issued", "Išduoti pažymėjimai", "Izsniegtie sertifikāti"),
    ("assets", "equipment", "count", None, P + "equipment.assets",
     "Assets in service", "Naudojami įrangos vienetai", "Lietošanā esošās aprīkojuma vienības"),
    ("assets-in-use", "equipment", "count", None, P + "equipment.assets_in_use",
     "Assets checked out during the period", "Laikotarpiu išduoti įrangos vienetai",
     "Periodā izsniegtās aprīkojuma vienības"),
    ("assets-in-maintenance", "equipment", "count", None, P + "equipment.assets_in_maintenance",
     "Assets in maintenance during the period", "Laikotarpiu prižiūrėti įrangos vienetai",
     "Periodā apkoptās aprīkojuma vienības"),
    ("checkout-days", "equipment", "days", None, P + "equipment.checkout_days",
     "Utilisation: days checked out", "Panaudojimas: išdavimo dienos",
     "Noslodze: izsniegšanas dienas"),
    ("kilometres", "equipment", "km", None, P + "equipment.kilometres",
     "Kilometres travelled", "Nuvažiuoti kilometrai", "Nobrauktie kilometri"),
    ("flight-hours", "equipment", "hours", None, P + "equipment.flight_hours",
     "Drone flight hours", "Drono skrydžių valandos", "Drona lidojumu stundas"),
    ("co2-avoided", "equipment", "kg_co2", None, P + "equipment.co2_avoided",
     "CO₂ avoided by zero-emission vehicles", "Betaršių transporto priemonių išvengtas CO₂",
     "Bezizmešu transportlīdzekļu novērstais CO₂"),
    ("incidents", "operations", "count", None, P + "operations.incidents",
     "Incidents recorded", "Užregistruoti incidentai", "Reģistrētie incidenti"),
    ("incidents-shared", "operations", "count", None, P + "operations.incidents_shared",
     "Incidents shared with partners", "Partneriams bendrinti incidentai",
     "Ar partneriem kopīgotie incidenti"),
    ("joint-patrols", "operations", "count", None, P + "operations.joint_patrols",
     "Joint patrols", "Bendri patruliai", "Kopīgās patruļas"),
    ("plate-hits-shared", "operations", "count", None, P + "operations.plate_hits_shared",
     "Plate hits shared across the border", "Per sieną bendrinti numerių sutapimai",
     "Pāri robežai kopīgotie numurzīmju trāpījumi"),
    ("evidence-ingested", "operations", "count", None, P + "vault.evidence_ingested",
     "Evidence items ingested", "Priimti įrodymai", "Uzņemtie pierādījumi"),
    ("evidence-shared", "operations", "count", None, P + "vault.evidence_shared",
     "Evidence items shared with partners", "Partneriams bendrinti įrodymai",
     "Ar partneriem kopīgotie pierādījumi"),
    ("cases-shared", "operations", "count", None, P + "vault.cases_shared",
     "Cases shared with partners", "Partneriams bendrintos bylos",
     "Ar partneriem kopīgotās lietas"),
    ("evidence-exported", "operations", "count", None, P + "vault.evidence_exported",
     "Evidence items exported to court", "Teismui perduoti įrodymai",
     "Tiesai nodotie pierādījumi"),
    ("notices-published", "operations", "count", None, P + "operations.notices_published",
     "Public notices published", "Paskelbti vieši skelbimai", "Publicētie publiskie paziņojumi"),
]  # fmt: skip


def seed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    for order, (code, group, unit, target, query, en, lt, lv) in enumerate(INDICATORS, start=1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "group": group,
                "unit": unit,
                "target": target,
                "query": query,
                "name_en": en,
                "name_lt": lt,
                "name_lv": lv,
                "order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
