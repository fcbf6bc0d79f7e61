"""`scape audit verify`, `scape audit checkpoint` and `scape audit head`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scape.core import audit, checkpoints


class Command(BaseCommand):
    help = "Verify the audit hash chain, or print its head hash."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="op", required=True)
        sub.add_parser(
            "verify",
            help="walk the chain and hold it against every signed checkpoint; exit 1 on a problem",
        )
        sub.add_parser(
            "checkpoint",
            help="sign the chain head now for every organization and hand out the copies",
        )
        sub.add_parser("head", help="print the newest event's hash, to anchor it elsewhere")

    def handle(self, *args: Any, op: str, **options: Any) -> None:
        if op == "head":
            self.stdout.write(audit.head())
            return
        if op == "checkpoint":
            made = checkpoints.make_checkpoints()
            for s in made:
                self.stdout.write(
                    _("Checkpoint of %(org)s: %(count)s events, head %(head)s.")
                    % {"org": s.organization, "count": s.count, "head": s.head}
                )
            return
        count, broken, findings, compared = checkpoints.verify()
        problems = [f.message for f in findings]
        if broken is not None:
            problems.insert(
                0,
                _("Audit chain broken at event %(id)s: %(problem)s (%(count)s events checked).")
                % {"id": broken.event_id, "problem": broken.problem, "count": count},
            )
        if problems:
            for line in problems[1:]:
                self.stderr.write(line)
            raise CommandError(problems[0], returncode=1)
        if compared == 0:
            self.stdout.write(
                _(
                    "Audit chain consistent: %(count)s events, head %(head)s; but no signed "
                    "checkpoint was found, so a removal of the last events or a rewrite "
                    "cannot be ruled out. Run `scape audit checkpoint`."
                )
                % {"count": count, "head": audit.head()}
            )
            return
        self.stdout.write(
            _(
                "Audit chain intact: %(count)s events, head %(head)s, consistent with "
                "%(checkpoints)s signed checkpoints."
            )
            % {"count": count, "head": audit.head(), "checkpoints": compared}
        )
