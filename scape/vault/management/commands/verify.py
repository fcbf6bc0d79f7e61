"""`scape verify [ITEM_ID...]`: re-hash stored originals; exit 1 on any mismatch or loss."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scape.vault.actions import verify_item
from scape.vault.choices import Integrity, ItemStatus
from scape.vault.models import EvidenceItem


class Command(BaseCommand):
    help = "Re-hash stored evidence originals (all when no id is given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="evidence item ids")

    def handle(self, *args: Any, ids: list[int], **options: Any) -> None:
        items = EvidenceItem.objects.exclude(status=ItemStatus.DESTROYED).select_related("blob")
        if ids:
            items = items.filter(pk__in=ids)
            unknown = set(ids) - set(items.values_list("pk", flat=True))
            if unknown:
                raise CommandError(
                    _("No such item: %(ids)s") % {"ids": ", ".join(map(str, sorted(unknown)))}
                )
        bad = checked = 0
        for item in items.order_by("pk").iterator():
            checked += 1
            outcome = verify_item(item)
            if outcome == Integrity.MISMATCH:
                bad += 1
                self.stdout.write(f"MISMATCH {item.pk} {item.sha256} {item.original_name}")
            elif outcome == Integrity.MISSING:
                bad += 1
                self.stdout.write(f"MISSING {item.pk} {item.sha256} {item.original_name}")
        self.stdout.write(
            _("%(checked)s checked, %(bad)s failed") % {"checked": checked, "bad": bad}
        )
        if bad:
            raise CommandError(
                _("%(bad)s of %(checked)s items failed verification")
                % {"bad": bad, "checked": checked},
                returncode=1,
            )
