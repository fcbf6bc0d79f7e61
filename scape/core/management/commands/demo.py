"""`scape demo`: set up the embedded default with demo data and start it."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scape.core import demo
from scape.core.checkpoints import make_checkpoints


class Command(BaseCommand):
    help = "Migrate, load the demo data (idempotent) and start the web server and one worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--load-only", action="store_true", help="load the demo data and exit")
        parser.add_argument(
            "--addr",
            default="127.0.0.1:8000",
            help="address:port to serve on (make run ADDR=127.0.0.1:8080)",
        )

    def handle(self, *args: Any, load_only: bool, addr: str, **options: Any) -> None:
        host, port = _address(addr)
        if not load_only:
            _port_free(host, port)
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
        # Visitors get SCAPE's own error pages, never Django's debug pages with
        # every URL of the site; static files are still served by runserver.
        settings.DEBUG = False
        if host in ("0.0.0.0", "::"):  # noqa: S104 - the operator asked to serve on every address
            settings.ALLOWED_HOSTS = ["*"]
        elif host not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
        # A SIGTERM (systemd, docker stop, kill) stops the worker too, as Ctrl+C does.
        signal.signal(signal.SIGTERM, _interrupt)
        worker = subprocess.Popen([sys.executable, "-m", "scape.cli", "worker"])
        try:
            call_command(
                "runserver", addr, use_reloader=False, use_threading=True, insecure_serving=True
            )
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _address(addr: str) -> tuple[str, int]:
    host, _sep, port = addr.rpartition(":")
    try:
        return (host.strip("[]") or "127.0.0.1"), int(port)
    except ValueError:
        raise CommandError(
            _("--addr %(addr)s: give address:port, e.g. 127.0.0.1:8080") % {"addr": addr}
        ) from None


def _port_free(host: str, port: int) -> None:
    """Refuse at once, before a worker is started, when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                _(
                    "Cannot serve on %(where)s (%(why)s). Choose another port: "
                    "scape demo --addr %(next)s (or make run ADDR=%(next)s)."
                )
                % {"where": f"{host}:{port}", "why": exc.strerror, "next": f"{host}:{port + 1}"}
            ) from None
