"""Ship sourced default emission factors and the drone pilot competency.

Grid factors are shipped only where a figure and its source were found; an
organization in any other country sees "no grid factor — add one" in its report.
"""

from django.db import migrations

VEHICLE_SOURCE = (
    "EEA — CO2 performance of new passenger cars in Europe, 2022 fleet average (WLTP)"
)
FACTORS = [
    # (kind, country, value, year, source)
    ("vehicle_g_per_km", "", "108.1", 2022, VEHICLE_SOURCE),
    (
        "grid_g_per_kwh",
        "LT",
        "273.30",
        2023,
        "LowCarbonPower, Electricity in Lithuania in 2023: carbon intensity 273.30 gCO2eq/kWh "
        "(https://lowcarbonpower.org/region/Lithuania)",
    ),
    (
        "grid_g_per_kwh",
        "LV",
        "256.82",
        2022,
        "LowCarbonPower, Electricity in Latvia in 2022: carbon intensity 256.82 gCO2eq/kWh "
        "(https://lowcarbonpower.org/region/Latvia)",
    ),
]


def add_defaults(apps, schema_editor):
    EmissionFactor = apps.get_model("equipment", "EmissionFactor")
    Competency = apps.get_model("equipment", "Competency")
    KindRequirement = apps.get_model("equipment", "KindRequirement")
    for kind, country, value, year, source in FACTORS:
        EmissionFactor.objects.get_or_create(
            kind=kind, country=country, year=year, defaults={"value": value, "source": source}
        )
    pilot, _ = Competency.objects.get_or_create(
        code="drone-pilot",
        defaults={
            "name_lt": "Bepiločio orlaivio pilotas",
            "name_lv": "Bezpilota gaisa kuģa pilots",
            "name_en": "Drone pilot",
        },
    )
    KindRequirement.objects.get_or_create(kind="drone", defaults={"competency": pilot})


def remove_defaults(apps, schema_editor):
    EmissionFactor = apps.get_model("equipment", "EmissionFactor")
    KindRequirement = apps.get_model("equipment", "KindRequirement")
    Competency = apps.get_model("equipment", "Competency")
    for kind, country, _value, year, _source in FACTORS:
        EmissionFactor.objects.filter(kind=kind, country=country, year=year).delete()
    KindRequirement.objects.filter(kind="drone", competency__code="drone-pilot").delete()
    Competency.objects.filter(code="drone-pilot", holders__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("equipment", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
