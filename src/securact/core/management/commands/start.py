"""``securact start``: the embedded default in one command (what ``make run`` calls).

Prepares the demo PKI, the database and the demo directory, then runs and watches every
process the service needs: the demo PKI's TSA/OCSP/CRL server (certomancer), the task
worker (django-tasks ``db_worker``) and gunicorn terminating TLS. Ctrl-C stops them all;
if one of them dies, the others are stopped too and the command fails.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        call_command("demo_pki")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo_data")
        os.environ.setdefault("SOFTHSM2_CONF", str(layout.softhsm_conf))
        children = {
            name: subprocess.Popen(cmd)
            for name, cmd in process_commands(layout, options["port"], options["bind"]).items()
        }
        self._announce(layout, options["port"])
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        try:
            failed = self._watch(children)
        except KeyboardInterrupt:
            failed = None
        finally:
            self._stop(children)
        if failed:
            raise CommandError(f"Le processus « {failed} » s'est arrêté : SECURACT est arrêté.")

    def _announce(self, layout: DemoLayout, port: int) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nSECURACT : https://localhost:{port}/"))
        self.stdout.write(f"Certificats de démonstration : {layout.certs}/")
        records = json.loads(layout.demo_json.read_text(encoding="utf-8"))
        self.stdout.write(f"Mot de passe des fichiers .p12 : {records[0]['p12_password']}")
        self.stdout.write(f"Identités et codes PIN des jetons : {layout.demo_json}")
        self.stdout.write(f"Autorité racine à approuver : {layout.trust / 'roots.pem'}")
        self.stdout.write("Ctrl-C arrête tous les processus.\n")

    @staticmethod
    def _watch(children: dict[str, subprocess.Popen[bytes]]) -> str:
        while True:
            for name, child in children.items():
                if child.poll() is not None:
                    return name
            time.sleep(0.5)

    @staticmethod
    def _stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 10
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
