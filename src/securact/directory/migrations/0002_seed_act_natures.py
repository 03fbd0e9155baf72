"""Seed the act natures served on banks (LEGAL.md, CPCE) and the manual's examples.

Idempotent (existing codes are left as the operator edited them) and reversible (the
reverse removes the seeded natures no recipient has accepted; consents are never dropped).
"""

from django.db import migrations

# (code, label, return label, expects a return)
NATURES = [
    (
        "saisie-attribution",
        "Procès-verbal de saisie attribution (auprès d'un établissement habilité à tenir "
        "des comptes de dépôt)",
        "SAISIE_ATTRIBUTION",
        True,
    ),
    (
        "saisie-conservatoire-creances",
        "Procès-verbal de saisie conservatoire de créances (auprès d'un établissement "
        "habilité à tenir des comptes de dépôt)",
        "SAISIE_CONSERVATOIRE",
        True,
    ),
    (
        "conversion-saisie-conservatoire",
        "Acte de conversion de saisie conservatoire en saisie-attribution",
        "CONVERSION",
        False,
    ),
    (
        "certificat-non-contestation",
        "Certificat de non-contestation",
        "CERTIFICAT_NON_CONTESTATION",
        False,
    ),
    ("mainlevee", "Mainlevée", "MAINLEVEE", False),
    ("mainlevee-quittance", "Mainlevée-quittance", "MAINLEVEE_QUITTANCE", False),
    (
        "saisie-droits-associes-valeurs-mobilieres",
        "Procès-verbal de saisie des droits d'associés et des valeurs mobilières",
        "SAISIE_DROITS_ASSOCIES",
        True,
    ),
    ("saisie-vente", "Saisie-vente", "SAISIE_VENTE", False),
    ("signification-jugement", "Signification de jugement", "SIGNIFICATION_JUGEMENT", False),
]


def seed(apps, schema_editor):
    ActNature = apps.get_model("directory", "ActNature")
    for position, (code, label, return_label, expects_return) in enumerate(NATURES, start=1):
        ActNature.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "return_label": return_label,
                "expects_return": expects_return,
                "is_active": True,
                "sort_order": position * 10,
            },
        )


def unseed(apps, schema_editor):
    ActNature = apps.get_model("directory", "ActNature")
    ActNature.objects.filter(
        code__in=[code for code, *_ in NATURES], acceptednature__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
