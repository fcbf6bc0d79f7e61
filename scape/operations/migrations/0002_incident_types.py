"""Seed the incident types both sides of the border use; the admin edits them later."""

from django.db import migrations

TYPES = [
    # code, parent, lt, lv, en
    ("public-order", "", "Viešoji tvarka", "Sabiedriskā kārtība", "Public order"),
    ("noise", "public-order", "Triukšmas", "Troksnis", "Noise"),
    ("intoxication", "public-order", "Neblaivus asmuo", "Reibuma stāvoklis", "Intoxicated person"),
    ("traffic", "", "Eismas", "Satiksme", "Traffic"),
    ("collision", "traffic", "Eismo įvykis", "Ceļu satiksmes negadījums", "Collision"),
    ("parking", "traffic", "Stovėjimo pažeidimas", "Stāvēšanas pārkāpums", "Parking offence"),
    ("theft", "", "Vagystė", "Zādzība", "Theft"),
    ("violence", "", "Smurtas", "Vardarbība", "Violence"),
    ("missing-person", "", "Dingęs asmuo", "Pazudusi persona", "Missing person"),
    ("water-safety", "", "Saugumas vandenyje ir paplūdimyje", "Drošība uz ūdens un pludmalē", "Water and beach safety"),
    ("drowning", "water-safety", "Skendimas", "Slīkšana", "Drowning"),
    ("environmental", "", "Aplinkosauga", "Vides aizsardzība", "Environmental"),
    ("other", "", "Kita", "Cits", "Other"),
]  # fmt: skip


def seed(apps, schema_editor):
    IncidentType = apps.get_model("operations", "IncidentType")
    made = {}
    for code, parent, lt, lv, en in TYPES:
        made[code], _ = IncidentType.objects.get_or_create(
            code=code,
            defaults={
                "parent": made.get(parent),
                "name_lt": lt,
                "name_lv": lv,
                "name_en": en,
            },
        )


def unseed(apps, schema_editor):
    IncidentType = apps.get_model("operations", "IncidentType")
    codes = [t[0] for t in TYPES]
    IncidentType.objects.filter(code__in=codes, parent__isnull=False, incidents=None).delete()
    IncidentType.objects.filter(code__in=codes, children=None, incidents=None).delete()


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
