"""`securact-verify BUNDLE.zip [--trust ROOTS.pem] [--report report.html]`.

Checks an evidence bundle offline (docs/evidence-log.md §4, §5) and prints one French line
per check, `OK …` or `ÉCHEC …`, then `VERDICT : …`. Exit status: 0 when every check
passed, 1 when one failed, 2 on a usage error (unreadable ZIP or trust file).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from securact_verifier.bundle import (
    AUTHORITIES_PEM,
    Bundle,
    BundleError,
    Check,
    failed,
    read_bundle,
)
from securact_verifier.checks_journal import check_checkpoint, check_entries
from securact_verifier.checks_manifest import check_manifest, read_manifest
from securact_verifier.checks_signatures import check_p7s, check_pdf
from securact_verifier.checks_xades import check_xml
from securact_verifier.report import write_report
from securact_verifier.trust import Anchors, TrustError, anchors_for

BUNDLE_WARNING = (
    "ATTENTION : aucune autorité de confiance n'a été donnée (--trust) ; celles du dossier "
    f"lui-même ({AUTHORITIES_PEM}) ont servi. Cela montre que le dossier est cohérent, pas "
    "qu'il émane des autorités : passez --trust avec les certificats racines obtenus "
    "directement auprès d'elles."
)


@dataclass
class Outcome:
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def verdict(self) -> str:
        failures = [c for c in self.checks if not c.ok]
        if not failures:
            return f"VERDICT : dossier vérifié — les {len(self.checks)} contrôles ont réussi"
        names = ", ".join(dict.fromkeys(c.subject for c in failures))
        return (
            f"VERDICT : dossier NON vérifié — {len(failures)} contrôle(s) en échec sur "
            f"{len(self.checks)} : {names}"
        )


def _guarded(subject: str, run: Callable[[], list[Check]]) -> list[Check]:
    """A check that crashes is an ÉCHEC of that check, never a crash of the verifier."""
    try:
        return run()
    except Exception as exc:
        return [failed(subject, f"erreur inattendue pendant le contrôle ({exc!r})")]


def _one(subject: str, check: Callable[..., Check], *args: object) -> list[Check]:
    return _guarded(subject, lambda: [check(subject, *args)])


def _document_checks(bundle: Bundle, anchors: Anchors) -> list[Check]:
    checks: list[Check] = []
    if not bundle.names("actes/", ".pdf"):
        checks.append(failed("actes/", "aucun acte signé (PDF) dans le dossier"))
    for name in bundle.names(suffix=".pdf"):
        checks += _one(name, check_pdf, bundle.members[name], anchors)
    for name in bundle.names(suffix=".p7s"):
        checks += _one(name, check_p7s, bundle, anchors)
    for name in bundle.names(suffix=".xml"):
        checks += _one(name, check_xml, bundle.members[name], anchors)
    return checks


def verify(bundle_path: Path, trust: Path | None = None) -> Outcome:
    """Every check of the bundle; raises BundleError or TrustError on a usage error."""
    bundle = read_bundle(bundle_path)
    anchors = anchors_for(bundle, trust)
    outcome = Outcome()
    if anchors.from_bundle:
        outcome.warnings.append(BUNDLE_WARNING)
        if not anchors.roots:
            outcome.checks.append(failed(AUTHORITIES_PEM, "aucune autorité racine à utiliser"))
    outcome.checks += check_manifest(bundle)
    outcome.checks += _document_checks(bundle, anchors)
    journal, state = check_checkpoint(bundle, anchors)
    outcome.checks += journal
    manifest, _problem = read_manifest(bundle)
    signification = manifest["signification"] if manifest else None
    outcome.checks += _guarded(
        "journal/entries/", lambda: check_entries(bundle, state, signification)
    )
    return outcome


def _library_logs(*, verbose: bool) -> None:
    """pyHanko and signxml log every failure they meet (with tracebacks); the verdict lines
    already say it in French, so they are silent unless --verbose."""
    for name in ("pyhanko", "pyhanko_certvalidator", "signxml"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO if verbose else logging.CRITICAL + 1)
    if verbose:
        logging.basicConfig(stream=sys.stderr, level=logging.INFO)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="securact-verify",
        description="Vérifie hors ligne un dossier de preuve Securact (signatures, cachets, "
        "horodatages, manifeste, preuves d'inclusion dans le journal).",
    )
    parser.add_argument("bundle", type=Path, help="le dossier de preuve (fichier ZIP)")
    parser.add_argument(
        "--trust",
        type=Path,
        help="les certificats des autorités de confiance (PEM), obtenus indépendamment",
    )
    parser.add_argument("--report", type=Path, help="écrire aussi un rapport HTML ici")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="afficher aussi les messages techniques des bibliothèques (sur la sortie d'erreur)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _library_logs(verbose=args.verbose)
    try:
        outcome = verify(args.bundle, args.trust)
    except (BundleError, TrustError) as exc:
        print(f"securact-verify : {exc}", file=sys.stderr)
        return 2
    for warning in outcome.warnings:
        print(warning)
    for check in outcome.checks:
        print(check.line())
    print(outcome.verdict)
    if args.report is not None:
        try:
            write_report(
                args.report, args.bundle, outcome.checks, outcome.warnings, outcome.verdict
            )
        except OSError as exc:
            print(f"securact-verify : rapport non écrit ({exc})", file=sys.stderr)
            return 2
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
