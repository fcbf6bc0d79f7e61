"""`scape export CASE_REF --out FILE.zip` and `scape export verify FILE.zip`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scape.core.context import actor_context
from scape.vault.court_export import (
    LEFT_OUT,
    ORIGINAL_CHOSEN,
    ChoiceNeeded,
    build_export,
    clean_choices,
    export_signer,
    verify_export,
)
from scape.vault.models import Case


def known_keys() -> dict[str, str]:
    """Return the court-export keys of the organizations this SCAPE holds (code: hex)."""
    from scape.core.checkpoints import COURT_EXPORTS, public_key_hex
    from scape.directory.models import Organization

    codes = Organization.objects.values_list("code", flat=True)
    return {code: public_key_hex(code, COURT_EXPORTS) for code in codes}


class Command(BaseCommand):
    help = "Export a case for a court (ZIP with manifest and custody), or verify such a ZIP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="case reference, or 'verify'")
        parser.add_argument("zip", nargs="?", help="with 'verify': the ZIP to check")
        parser.add_argument("--out", help="where to write the ZIP")
        parser.add_argument("--org", help="organization code, when references repeat")
        parser.add_argument("--redacted", action="store_true", help="redacted copies where made")
        parser.add_argument(
            "--original",
            type=int,
            action="append",
            default=[],
            metavar="ITEM",
            help="with --redacted: put in this item's original when it has no redacted copy",
        )
        parser.add_argument(
            "--leave-out",
            type=int,
            action="append",
            default=[],
            metavar="ITEM",
            help="with --redacted: leave this item out when it has no redacted copy",
        )
        parser.add_argument(
            "--reason", default="court export", help="recorded in the custody history"
        )
        parser.add_argument("--recipient", default="", help="who receives the export")
        parser.add_argument(
            "--key",
            help="with 'verify': the signer's public key (hex) as given apart from the ZIP",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        if o["target"] == "verify" and o["zip"]:
            path = Path(o["zip"])
            signer = export_signer(path)
            trusted = known_keys()
            if o["key"] and signer:
                trusted[signer[0]] = o["key"].strip().lower()
            problems = verify_export(path, trusted)
            for problem in problems:
                self.stdout.write(f"BAD {problem.path}: {problem.what}")
            if problems:
                raise CommandError(
                    _("%(count)s problems in %(zip)s") % {"count": len(problems), "zip": o["zip"]},
                    returncode=1,
                )
            self.stdout.write(
                "OK " + _("%(zip)s: every file matches the manifest") % {"zip": o["zip"]}
            )
            if signer:
                self.stdout.write(
                    _("Signed by %(org)s, key fingerprint %(fingerprint)s.")
                    % {"org": signer[0], "fingerprint": signer[1]}
                )
            return
        if not o["out"]:
            raise CommandError(_("--out FILE.zip is required"))
        cases = Case.objects.filter(reference=o["target"])
        if o["org"]:
            cases = cases.filter(organization__code=o["org"])
        if cases.count() != 1:
            raise CommandError(
                _("No case %(ref)s.") % {"ref": o["target"]}
                if not cases.exists()
                else _("Several cases have this reference: add --org.")
            )
        case = cases.get()
        asked = dict.fromkeys(o["original"], ORIGINAL_CHOSEN)
        asked.update(dict.fromkeys(o["leave_out"], LEFT_OUT))
        choices = clean_choices(case, asked)
        if set(asked) - set(choices):
            unknown = ", ".join(str(pk) for pk in sorted(set(asked) - set(choices)))
            raise CommandError(
                _("Items %(numbers)s are not in case %(ref)s.")
                % {"numbers": unknown, "ref": case.reference}
            )
        with actor_context(None):
            try:
                digest = build_export(
                    case,
                    Path(o["out"]),
                    reason=o["reason"],
                    recipient=o["recipient"],
                    use_redacted=o["redacted"],
                    choices=choices if o["redacted"] else {},
                )
            except ChoiceNeeded as exc:
                raise CommandError(
                    _(
                        "Items %(numbers)s have no redacted copy: name each with --original "
                        "or --leave-out, or make a redacted copy first."
                    )
                    % {"numbers": ", ".join(str(item.pk) for item in exc.items)}
                ) from None
        self.stdout.write(f"{digest}  {o['out']}")
