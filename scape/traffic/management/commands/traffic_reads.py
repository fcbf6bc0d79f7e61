"""`scape traffic_reads FILE... --camera ID [--time ISO]`: read plates in files and store them."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from scape.core.context import actor_context
from scape.traffic.choices import ReadSource
from scape.traffic.models import TrafficCamera
from scape.traffic.reading import UnreadableFile, read_file, reader_for, store_reads


class Command(BaseCommand):
    help = "Read licence plates in images or videos of a traffic camera and store the reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="images or videos")
        parser.add_argument("--camera", required=True, type=int, help="traffic camera id")
        parser.add_argument(
            "--time",
            help="when the file starts (ISO 8601 with zone); default: the file's modification time",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        camera = TrafficCamera.objects.select_related("organization").filter(pk=o["camera"]).first()
        if camera is None:
            raise CommandError(_("No traffic camera with id %(id)s.") % {"id": o["camera"]})
        start_at = None
        if o["time"]:
            start_at = parse_datetime(o["time"])
            if start_at is None or timezone.is_naive(start_at):
                raise CommandError(_("Give --time as ISO 8601 with its time zone."))
        reader = reader_for(camera)
        failed = False
        with actor_context(None):
            for name in o["files"]:
                path = Path(name)
                try:
                    reads = list(read_file(reader, path))
                except UnreadableFile as exc:
                    self.stderr.write(
                        _("cannot read %(file)s: %(reason)s") % {"file": name, "reason": exc}
                    )
                    failed = True
                    continue
                start = start_at or datetime.datetime.fromtimestamp(
                    path.stat().st_mtime, tz=datetime.UTC
                ).replace(microsecond=0)
                stored = store_reads(
                    reads,
                    organization=camera.organization,
                    camera=camera,
                    start=start,
                    source=ReadSource.CLI,
                )
                for read in stored:
                    hit = " HIT" if read.hit else ""
                    self.stdout.write(
                        f"{name}\t{read.time.isoformat()}\t{read.country or '??'}\t"
                        f"{read.text}\t{read.confidence:.2f}{hit}"
                    )
        if failed:
            raise CommandError(_("Some files could not be read."), returncode=2)
