"""The HTML report for a court expert: the same lines as the terminal, and what they mean.
Standalone (no external resource), every value escaped."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

from securact_verifier import __version__
from securact_verifier.bundle import Check

_STYLE = """
body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; color: #1b1b1b; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #bbb;
padding: .3rem .5rem; vertical-align: top; text-align: left; font-size: .9rem; }
.ok { color: #18753c; font-weight: bold; } .ko { color: #ce0500; font-weight: bold; }
.verdict { font-size: 1.2rem; padding: .8rem; border: 2px solid; }
.warning { background: #fff4e5; padding: .6rem; border-left: 4px solid #b34000; }
code { word-break: break-all; }
"""

_EXPLANATION = """
<h2>Ce qui a été vérifié</h2>
<ul>
<li><strong>Manifeste</strong> (<code>manifest.json</code>) : chaque fichier du dossier y est
listé avec son empreinte SHA-256, qui a été recalculée ; aucun fichier n'est en trop ni ne
manque. Toute modification d'un octet d'un fichier change son empreinte.</li>
<li><strong>Actes et certificats PDF</strong> : chaque signature électronique PAdES a été
validée hors ligne selon ETSI EN 319 102-1 (validation à long terme) : intégrité du
document, validité cryptographique, chaîne de certificats jusqu'aux autorités de confiance,
informations de révocation et horodatages intégrés au PDF (niveau B-LTA).</li>
<li><strong>Signatures détachées</strong> (<code>.p7s</code>, CAdES) : la signature porte
sur le fichier PDF de même nom, son signataire remonte aux autorités de confiance et son
horodatage (RFC 3161) est valide.</li>
<li><strong>Certificats XML</strong> (dépôt, message de données) : le cachet XAdES-T de la
plateforme couvre le document entier, remonte aux autorités de confiance, et son
horodatage est valide.</li>
<li><strong>Journal de preuve</strong> : chaque entrée du journal concernant cette
signification a été hachée (RFC 9162) et sa preuve d'inclusion conduit à la racine du
<em>point de contrôle</em> (<code>journal/checkpoint.note</code>), signé par la clé du
journal de la plateforme et horodaté par l'autorité d'horodatage. Une entrée modifiée,
ajoutée ou retirée après coup ne peut plus être prouvée contre ce point de contrôle.</li>
</ul>
<p>La vérification n'utilise aucun service en ligne : seules les données du dossier et les
autorités de confiance indiquées servent. Les outils publics cités dans
<code>LISEZMOI.txt</code> (openssl, pyHanko, xmlsec1) permettent de refaire chaque
contrôle indépendamment.</p>
"""


def _row(check: Check) -> str:
    status = '<td class="ok">OK</td>' if check.ok else '<td class="ko">ÉCHEC</td>'
    return (
        f"<tr>{status}<td><code>{html.escape(check.subject)}</code></td>"
        f"<td>{html.escape(check.detail)}</td></tr>"
    )


def render(bundle: Path, checks: list[Check], warnings: list[str], verdict: str) -> str:
    ok = all(c.ok for c in checks)
    now = datetime.now(UTC).strftime("%d/%m/%Y %H:%M:%S UTC")
    warning_html = "".join(f'<p class="warning">{html.escape(w)}</p>' for w in warnings)
    colour = "#18753c" if ok else "#ce0500"
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Rapport de vérification — {html.escape(bundle.name)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>Rapport de vérification d'un dossier de preuve Securact</h1>
<p>Dossier : <code>{html.escape(str(bundle))}</code><br>
Vérifié le {now} par securact-verify {html.escape(__version__)}, hors ligne.</p>
<p class="verdict" style="border-color: {colour}; color: {colour}">{html.escape(verdict)}</p>
{warning_html}
<h2>Contrôles ({len(checks)})</h2>
<table>
<thead><tr><th>Résultat</th><th>Fichier</th><th>Détail</th></tr></thead>
<tbody>
{"".join(_row(c) for c in checks)}
</tbody>
</table>
{_EXPLANATION}
</body>
</html>
"""


def write_report(
    target: Path, bundle: Path, checks: list[Check], warnings: list[str], verdict: str
) -> None:
    target.write_text(render(bundle, checks, warnings, verdict), encoding="utf-8")
