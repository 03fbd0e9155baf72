"""The ``securact`` console command: Django's management commands under one name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.umask(0o077)  # acts and personal data: every file private to the service user
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securact.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["securact", *sys.argv[1:]])


if __name__ == "__main__":
    main()
