"""`scape audit verify` and `scape audit head`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scape.core import audit


class Command(BaseCommand):
    help = "Verify the audit hash chain, or print its head hash."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="op", required=True)
        sub.add_parser("verify", help="walk the chain; exit 1 at the first broken event")
        sub.add_parser("head", help="print the newest event's hash, to anchor it elsewhere")

    def handle(self, *args: Any, op: str, **options: Any) -> None:
        if op == "head":
            self.stdout.write(audit.head())
            return
        count, broken = audit.verify()
        if broken is not None:
            raise CommandError(
                _("Audit chain broken at event %(id)s: %(problem)s (%(count)s events checked).")
                % {"id": broken.event_id, "problem": broken.problem, "count": count},
                returncode=1,
            )
        self.stdout.write(
            _("Audit chain intact: %(count)s events, head %(head)s.")
            % {"count": count, "head": audit.head()}
        )
