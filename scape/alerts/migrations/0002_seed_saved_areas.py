"""Seed the areas shared by all partners: the beaches and town centres notices name most."""

from django.db import migrations

AREAS = [
    ("Palanga beach", [[55.935, 21.05], [55.935, 21.06], [55.905, 21.062], [55.905, 21.052]]),
    ("Šventoji beach", [[56.05, 21.066], [56.05, 21.074], [56.015, 21.072], [56.015, 21.064]]),
    ("Liepāja centre", [[56.515, 21.0], [56.515, 21.02], [56.502, 21.02], [56.502, 21.0]]),
    ("Liepāja beach", [[56.53, 20.985], [56.53, 20.995], [56.49, 20.993], [56.49, 20.983]]),
]


def seed(apps, schema_editor):
    SavedArea = apps.get_model("alerts", "SavedArea")
    for name, corners in AREAS:
        polygon = [*corners, corners[0]]
        SavedArea.objects.get_or_create(
            name=name, organization=None, defaults={"polygon": polygon}
        )


def unseed(apps, schema_editor):
    SavedArea = apps.get_model("alerts", "SavedArea")
    SavedArea.objects.filter(organization=None, name__in=[name for name, _ in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
