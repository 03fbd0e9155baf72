"""`securact-verify BUNDLE.zip [--trust ROOTS.pem] [--report report.html]` (being written)."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="securact-verify",
        description="Vérifie hors ligne un dossier de preuve Securact.",
    )
    parser.add_argument("bundle", help="le dossier de preuve (fichier ZIP)")
    parser.add_argument("--trust", help="les autorités de confiance (PEM)")
    parser.add_argument("--report", help="écrire un rapport HTML")
    return parser


def main(argv: list[str] | None = None) -> int:
    build_parser().parse_args(argv)
    print("securact-verify : la vérification des dossiers n'est pas encore disponible.")
    return 2


if __name__ == "__main__":
    sys.exit(main())
