"""`scape ingest PATH... --org CODE`: store camera footage from folders and docks."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from scape.core.context import actor_context
from scape.core.tracks import TrackError
from scape.directory.models import Organization, Person
from scape.vault.actions.ingest import IngestResult, do_ingest
from scape.vault.actions.telemetry import do_attach_sidecar
from scape.vault.choices import SourceType
from scape.vault.models import Case, Category, EvidenceItem
from scape.vault.probe import is_sidecar


def progress_bar(**options: Any) -> Any:
    """Return a tqdm progress bar (typed loosely: tqdm's overloads confuse mypy here)."""
    return tqdm(**options)


class _Progress:
    """A file wrapper that advances a progress bar as bytes are read."""

    def __init__(self, handle: BinaryIO, bar: tqdm) -> None:
        self.handle, self.bar = handle, bar

    def readinto(self, buffer: Any) -> int:
        n = self.handle.readinto(buffer)  # type: ignore[attr-defined]
        self.bar.update(n or 0)
        return n or 0


def _walk(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        else:
            files.append(path)
    # Videos first, so that their telemetry sidecars find them.
    return sorted(files, key=lambda p: (is_sidecar(p.name), str(p)))


class Command(BaseCommand):
    help = "Ingest evidence files and folders; print '<item id> <sha256> <status> <path>' per file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="files and folders (searched recursively)")
        parser.add_argument("--org", required=True, help="code of the owning organization")
        parser.add_argument("--device", default="", help="serial number of the camera or drone")
        parser.add_argument("--officer", default="", help="username of the officer who recorded")
        parser.add_argument("--case", default="", help="reference of the case to add the files to")
        parser.add_argument("--category", default="", help="code of the evidence category")
        parser.add_argument(
            "--source", default=SourceType.BODY_CAM, choices=SourceType.values, help="source type"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            org = Organization.objects.get(code=o["org"])
        except Organization.DoesNotExist as exc:
            raise CommandError(_("Unknown organization %(code)s.") % {"code": o["org"]}) from exc
        officer = None
        if o["officer"]:
            officer = Person.objects.filter(user__username=o["officer"], organization=org).first()
            if officer is None:
                raise CommandError(
                    _("No person %(name)s in %(org)s.") % {"name": o["officer"], "org": org.code}
                )
        case = None
        if o["case"]:
            case = Case.objects.filter(organization=org, reference=o["case"]).first()
            if case is None:
                raise CommandError(
                    _("No case %(ref)s in %(org)s.") % {"ref": o["case"], "org": org.code}
                )
        category = None
        if o["category"]:
            category = Category.objects.filter(organization=org, code=o["category"]).first()
            if category is None:
                raise CommandError(
                    _("No category %(code)s in %(org)s.") % {"code": o["category"], "org": org.code}
                )
        files = _walk(o["paths"])
        missing = [str(f) for f in files if not f.exists()]
        if missing:
            raise CommandError(_("No such file: %(files)s") % {"files": ", ".join(missing)})
        total = sum(f.stat().st_size for f in files)
        rejected = 0
        by_stem: dict[tuple[Path, str], EvidenceItem] = {}
        # The command acts as the system; the operating-system user is recorded.
        via = f"cli:{getpass.getuser()}"
        with (
            actor_context(None),
            progress_bar(
                total=total,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                disable=o["no_progress"],
                file=sys.stderr,
                leave=False,
            ) as bar,
        ):
            for path in files:
                if is_sidecar(path.name):
                    result = self._sidecar(path, by_stem)
                    bar.update(path.stat().st_size)
                else:
                    result = self._ingest_one(
                        path,
                        bar,
                        organization=org,
                        source_type=o["source"],
                        device_serial=o["device"],
                        officer=officer,
                        case=case,
                        category=category,
                        via=via,
                    )
                    if result.item is not None:
                        by_stem[(path.parent, path.stem.lower())] = result.item
                if result.status == "rejected":
                    rejected += 1
                bar.clear()
                self.stdout.write(f"{result.line} {path}")
                if (
                    result.item is not None
                    and result.item.unreadable_reason
                    and result.status == "new"
                ):
                    self.stderr.write(
                        "  "
                        + _("Unreadable: %(reason)s") % {"reason": result.item.unreadable_reason}
                    )
        if rejected:
            raise CommandError(
                _("%(rejected)s of %(total)s files rejected")
                % {"rejected": rejected, "total": len(files)},
                returncode=1,
            )

    def _ingest_one(self, path: Path, bar: Any, **options: Any) -> IngestResult:
        try:
            with path.open("rb") as handle:
                return do_ingest(_Progress(handle, bar), name=path.name, **options)  # type: ignore[arg-type]
        except OSError as exc:
            return IngestResult(
                "rejected", reason=_("could not read or store the file: %(error)s") % {"error": exc}
            )
        except Exception as exc:  # an object store's client errors are not OSErrors
            if exc.__class__.__module__.split(".")[0] not in ("botocore", "boto3"):
                raise
            return IngestResult(
                "rejected",
                reason=_("the evidence store refused the file: %(error)s") % {"error": exc},
            )

    def _sidecar(self, path: Path, by_stem: dict[tuple[Path, str], EvidenceItem]) -> IngestResult:
        item = by_stem.get((path.parent, path.stem.lower()))
        if item is None:
            return IngestResult(
                "rejected", reason=_("telemetry file without its video in this ingest")
            )
        try:
            derivative = do_attach_sidecar(item, name=path.name, data=path.read_bytes())
        except TrackError as exc:
            return IngestResult("rejected", reason=str(exc))
        return IngestResult("new", item=item, sha256=derivative.sha256)
