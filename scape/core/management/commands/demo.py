"""`scape demo`: set up the embedded default with demo data and start it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from scape.core import demo
from scape.core.checkpoints import make_checkpoints


class Command(BaseCommand):
    help = "Migrate, load the demo data (idempotent) and start the web server and one worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--load-only", action="store_true", help="load the demo data and exit")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port to serve on")

    def handle(self, *args: Any, load_only: bool, addr: str, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        created, lines = demo.load_all()
        if created:
            # The partners witness the demo's log from its first day.
            make_checkpoints()
        self.stdout.write(
            f"Demo data: {created} records created"
            if created
            else "Demo data: already loaded, nothing changed"
        )
        if load_only:
            return
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"\nSCAPE: http://{addr}/   (Ctrl+C stops the server and the worker)\n")
        worker = subprocess.Popen([sys.executable, "-m", "scape.cli", "worker"])
        try:
            call_command("runserver", addr, use_reloader=False, use_threading=True)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
