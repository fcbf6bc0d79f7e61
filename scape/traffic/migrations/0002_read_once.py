"""One read per camera (or evidence item), time and plate, enforced by the database.

Before the constraint, reads a camera sent twice at once could be stored
twice. Each such group keeps its first read; the hits of the others move to
it (a hit the first read already has for that entry is dropped as the
duplicate alert it was), then the extra reads go.
"""

from django.db import migrations, models
from django.db.models import Count, Min


def _merge_duplicates(apps, schema_editor):
    PlateRead = apps.get_model("traffic", "PlateRead")
    Hit = apps.get_model("traffic", "Hit")
    keys = (
        (["camera", "time", "plate"], {"source": "camera", "camera__isnull": False}),
        (["vault_item_id", "time", "plate"], {"vault_item_id__isnull": False}),
    )
    for fields, where in keys:
        groups = (
            PlateRead.objects.filter(**where)
            .values(*fields)
            .annotate(n=Count("pk"), first=Min("pk"))
            .filter(n__gt=1)
        )
        for group in groups:
            key = {field: group[field] for field in fields}
            extra = PlateRead.objects.filter(**where, **key).exclude(pk=group["first"])
            kept_entries = set(
                Hit.objects.filter(read_id=group["first"]).values_list("entry_id", flat=True)
            )
            for hit in Hit.objects.filter(read__in=extra).order_by("pk"):
                if hit.entry_id in kept_entries:
                    hit.delete()
                    continue
                hit.read_id = group["first"]
                hit.save(update_fields=["read"])
                kept_entries.add(hit.entry_id)
            if kept_entries:
                PlateRead.objects.filter(pk=group["first"]).update(hit=True)
            extra.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_organization_webhook_secret_organization_webhook_url"),
        ("traffic", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_merge_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="plateread",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source", "camera")),
                fields=("camera", "time", "plate"),
                name="traffic_read_once_per_camera",
            ),
        ),
        migrations.AddConstraint(
            model_name="plateread",
            constraint=models.UniqueConstraint(
                condition=models.Q(("vault_item_id__isnull", False)),
                fields=("vault_item_id", "time", "plate"),
                name="traffic_read_once_per_item",
            ),
        ),
    ]
