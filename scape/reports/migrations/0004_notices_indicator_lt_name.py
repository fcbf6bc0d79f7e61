"""The Lithuanian name of the published-notices figure follows the menu: "vieši
skelbimai" (public notices), so that it is not read as "pranešimai" (notifications)."""

from django.db import migrations

OLD, NEW = "Paskelbti vieši pranešimai", "Paskelbti vieši skelbimai"


def rename(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    Indicator.objects.filter(code="notices-published", name_lt=OLD).update(name_lt=NEW)


def unrename(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    Indicator.objects.filter(code="notices-published", name_lt=NEW).update(name_lt=OLD)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_snapshots")]
    operations = [migrations.RunPython(rename, unrename)]
