"""`scape retention run [--dry-run]`: what the retention pages do, from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from scape.directory.models import Organization
from scape.vault.actions import destroy_expired, do_propose_deletion
from scape.vault.queries import due_for_deletion


class Command(BaseCommand):
    help = (
        "Destroy the bytes of binned items past their recovery period and put items whose "
        "time has come on a deletion list for a custodian to confirm. Nothing is deleted "
        "without that confirmation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="op", required=True)
        run = sub.add_parser("run")
        run.add_argument(
            "--dry-run", action="store_true", help="say what would happen, change nothing"
        )

    def handle(self, *args: Any, op: str, dry_run: bool = False, **options: Any) -> None:
        destroyed = destroy_expired(dry_run=dry_run)
        # The first word of each line is a fixed token for scripts; the summary is translated.
        verb = "would destroy" if dry_run else "destroyed"
        for item in destroyed:
            self.stdout.write(f"{verb} {item.pk} {item.sha256}")
        for org in Organization.objects.filter(is_active=True):
            due = list(due_for_deletion(org))
            if not due:
                continue
            if dry_run:
                for item in due:
                    self.stdout.write(f"would propose {item.pk} {item.sha256} ({org.code})")
                continue
            proposal = do_propose_deletion(org)
            if proposal is not None:
                self.stdout.write(
                    _(
                        "Deletion list %(list)s for %(org)s: %(count)s items await a "
                        "custodian's confirmation."
                    )
                    % {"list": proposal.pk, "org": org.code, "count": len(due)}
                )
        summary = (
            _("%(count)s items would be destroyed.") if dry_run else _("%(count)s items destroyed.")
        )
        self.stdout.write(summary % {"count": len(destroyed)})
