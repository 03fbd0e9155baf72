"""``securact-edi``: the reference client of Securact's EDI API (its README is the
integration guide).

    securact-edi [--url URL] --cert CERT.pem --key KEY.pem [--ca CA.pem] submit MANIFEST
        [--pkcs11-module LIB.so --token-label LABEL --pin-file PIN [--signing-cert CERT.pem]
         | --remote-pin-file PIN] [--out DIR] [--timeout SECONDS]
    securact-edi … fetch [--out DIR]                  (a recipient: new deposits)
    securact-edi … answer DEPOSIT [--pdf R.pdf] [--declaration D.json]

Exit status: 0 when every signification of the batch was served, 1 when one was refused or
failed (the summary says which and why), 2 on a usage error (manifest, token, connection).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console

from securact_edi import recipient, submit
from securact_edi.api import ApiError, Client, Connection
from securact_edi.manifest import ManifestError, load
from securact_edi.token import TokenConfig, TokenError, open_signer, read_pin

DEFAULT_URL = "https://localhost:8443"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="securact-edi", description="Client de référence de l'API EDI de Securact."
    )
    parser.add_argument(
        "--url", default=os.environ.get("SECURACT_EDI_URL", DEFAULT_URL), help="adresse du service"
    )
    parser.add_argument("--cert", type=Path, required=True, help="certificat client (PEM)")
    parser.add_argument("--key", type=Path, required=True, help="clé du certificat client (PEM)")
    parser.add_argument("--ca", type=Path, help="autorité du certificat du serveur (PEM)")
    parser.add_argument("--timeout", type=float, default=600, help="attente maximale (s)")
    commands = parser.add_subparsers(dest="command", required=True)
    send = commands.add_parser("submit", help="dépose un lot de significations")
    send.add_argument("manifest", type=Path, help="manifeste CSV ou JSON")
    send.add_argument("--pkcs11-module", type=Path, help="module PKCS#11 du jeton de l'étude")
    send.add_argument("--token-label", help="libellé du jeton du commissaire de justice")
    send.add_argument("--pin-file", type=Path, help="fichier du code PIN du jeton")
    send.add_argument("--signing-cert", type=Path, help="certificat de signature (PEM)")
    send.add_argument(
        "--remote-pin-file",
        type=Path,
        help="signature distante : le code PIN de la clé du commissaire sur la plateforme",
    )
    send.add_argument("--out", type=Path, default=Path("securact-edi"), help="dossier de sortie")
    pull = commands.add_parser(
        "fetch", help="destinataire : relève les dépôts non acquittés (actes, messages)"
    )
    pull.add_argument("--out", type=Path, default=Path("depots"), help="dossier de sortie")
    reply = commands.add_parser("answer", help="destinataire : dépose le retour d'un dépôt")
    reply.add_argument("deposit", type=int, help="identifiant du dépôt")
    reply.add_argument("--pdf", type=Path, help="la réponse au format PDF")
    reply.add_argument("--declaration", type=Path, help="la déclaration des comptes (JSON)")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    console = Console()
    connection = Connection(arguments.url, arguments.cert, arguments.key, arguments.ca)
    client = Client(connection)
    try:
        if arguments.command == "fetch":
            recipient.fetch(client, arguments.out, console)
            return 0
        if arguments.command == "answer":
            if arguments.pdf is None and arguments.declaration is None:
                console.print("[red]Donnez --pdf et/ou --declaration.[/red]")
                return 2
            done = recipient.answer(client, arguments.deposit, arguments.pdf, arguments.declaration)
            console.print(f"Retour déposé : {done['nom']} ({done['depose_le']})")
            return 0
        return _submit(client, arguments, console)
    except (ManifestError, TokenError, recipient.FetchError, ValueError) as error:
        console.print(f"[red]{error}[/red]")
        return 2
    except ApiError as error:
        console.print(f"[red]Refus du service ({error.status}) : {error.message}[/red]")
        return 2
    except OSError as error:  # connection refused, TLS, unreadable file
        console.print(f"[red]Erreur : {error}[/red]")
        return 2
    finally:
        client.close()


def _submit(client: Client, arguments: argparse.Namespace, console: Console) -> int:
    manifest = load(arguments.manifest)
    if arguments.remote_pin_file is not None:
        pin = read_pin(arguments.remote_pin_file)
        outcome = submit.run(
            client,
            manifest,
            signer=None,
            pin=pin,
            out=arguments.out,
            timeout=arguments.timeout,
            console=console,
        )
        return 0 if outcome.ok else 1
    if not (arguments.pkcs11_module and arguments.token_label and arguments.pin_file):
        raise TokenError(
            "Signature sur le jeton de l'étude : --pkcs11-module, --token-label et --pin-file "
            "sont nécessaires (ou --remote-pin-file pour la signature distante)."
        )
    config = TokenConfig(
        arguments.pkcs11_module, arguments.token_label, arguments.pin_file, arguments.signing_cert
    )
    with open_signer(config) as signer:
        outcome = submit.run(
            client,
            manifest,
            signer=signer,
            pin=None,
            out=arguments.out,
            timeout=arguments.timeout,
            console=console,
        )
    return 0 if outcome.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
