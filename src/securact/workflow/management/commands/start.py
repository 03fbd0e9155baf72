"""``securact start``: the embedded default in one command (what ``make run`` calls).

Prepares the demo PKI, the database and the demo directory, then runs and watches every
process the service needs: the demo PKI's TSA/OCSP/CRL server (certomancer), the task
worker (django-tasks ``db_worker``) and gunicorn terminating TLS. Ctrl-C, SIGTERM or SIGHUP
stops them all; if one of them dies, the others are stopped too and the command fails.

Stopping stops everything (``process_tree``): each child runs in its own process group,
which gets SIGTERM then, after a grace period, SIGKILL; and this command is the "subreaper"
of its descendants, so that a process left behind by a child that exited (unoserver and
LibreOffice, which run in their own session, started by the worker or a web preview) comes
back to it, and is stopped too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from securact.core import process_tree
from securact.pki.demo_pki import DemoLayout

BIN = Path(sys.executable).parent


def process_commands(layout: DemoLayout, port: int, bind: str) -> dict[str, list[str]]:
    return {
        "pki": [
            str(BIN / "certomancer"),
            "--config",
            str(layout.config),
            "--key-root",
            str(layout.pki),
            "animate",
            "--aiohttp",
            "--no-web-ui",
            "--port",
            str(settings.SECURACT_DEMO_PKI_PORT),
        ],
        "worker": [str(BIN / "securact"), "worker"],
        # The demo's mail server: alerts land in var/demo/mailbox (Maildir), not the world.
        "smtp": [
            str(BIN / "python"),
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(layout.root / "mailbox"),
        ],
        "web": [
            str(BIN / "gunicorn"),
            "-c",
            "python:securact.gunicorn_conf",
            "--certfile",
            str(layout.server_cert),
            "--keyfile",
            str(layout.server_key),
            "--ca-certs",
            str(layout.trust / "roots.pem"),
            "-b",
            f"{bind}:{port}",
        ],
    }


class Command(BaseCommand):
    help = "Démarre SECURACT (PKI de démonstration, base, worker et serveur HTTPS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=settings.SECURACT_PORT)
        parser.add_argument("--bind", default=os.environ.get("SECURACT_BIND", "127.0.0.1"))

    def handle(self, *args: Any, **options: Any) -> None:
        layout = DemoLayout(settings.DEMO_DIR)
        try:
            call_command("demo_pki")
            call_command("migrate", interactive=False, verbosity=0)
            call_command("demo_data")
        except KeyboardInterrupt:
            return  # stopped while preparing: nothing runs yet
        os.environ.setdefault("SOFTHSM2_CONF", str(layout.softhsm_conf))
        process_tree.become_subreaper()
        stop = process_tree.StopRequest()
        children = {
            name: process_tree.start_child(cmd)
            for name, cmd in process_commands(layout, options["port"], options["bind"]).items()
        }
        self._announce(layout, options["port"])
        failed = self._watch(children, stop)
        process_tree.stop_all(children.values())
        if failed:
            raise CommandError(f"Le processus « {failed} » s'est arrêté : SECURACT est arrêté.")
        self.stdout.write("SECURACT est arrêté.")

    def _announce(self, layout: DemoLayout, port: int) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nSECURACT : https://localhost:{port}/"))
        self.stdout.write(f"Certificats de démonstration : {layout.certs}/")
        records = json.loads(layout.demo_json.read_text(encoding="utf-8"))
        self.stdout.write(f"Mot de passe des fichiers .p12 : {records[0]['p12_password']}")
        self.stdout.write(f"Identités et codes PIN des jetons : {layout.demo_json}")
        self.stdout.write(f"Autorité racine à approuver : {layout.trust / 'roots.pem'}")
        self.stdout.write("Ctrl-C arrête tous les processus.\n")

    @staticmethod
    def _watch(
        children: dict[str, subprocess.Popen[bytes]], stop: process_tree.StopRequest
    ) -> str | None:
        """Until a stop is asked (None) or a child dies (its name)."""
        while not stop.wait(0.5):
            for name, child in children.items():
                if child.poll() is not None:
                    return name
        return None
