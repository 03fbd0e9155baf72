"""The ``securact`` console command: Django's management commands under one name, with a
French help that lists SECURACT's commands first (``securact.cli_help``)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.umask(0o077)  # acts and personal data: every file private to the service user
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securact.settings")
    from securact.cli_help import SecuractUtility

    SecuractUtility(["securact", *sys.argv[1:]]).execute()


if __name__ == "__main__":
    main()
