"""Take over the competencies that equipment recorded until this app existed."""

from django.core.management.color import no_style
from django.db import migrations


def copy(apps, schema_editor):
    old_competency = apps.get_model("equipment", "Competency")
    old_held = apps.get_model("equipment", "PersonCompetency")
    Competency = apps.get_model("activities", "Competency")
    PersonCompetency = apps.get_model("activities", "PersonCompetency")
    for c in old_competency.objects.all():
        # Same primary keys, so equipment's requirements can point here unchanged.
        Competency.objects.update_or_create(
            pk=c.pk,
            defaults={
                "code": c.code,
                "name_lt": c.name_lt,
                "name_lv": c.name_lv,
                "name_en": c.name_en,
                "validity_days": c.validity_days,
            },
        )
    for h in old_held.objects.all():
        PersonCompetency.objects.create(
            person_id=h.person_id,
            competency_id=h.competency_id,
            valid_from=h.valid_from,
            valid_until=h.valid_until,
            source=h.source,
            revoked=h.revoked,
        )
    connection = schema_editor.connection
    statements = connection.ops.sequence_reset_sql(no_style(), [Competency, PersonCompetency])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
        ("equipment", "0002_default_factors"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
