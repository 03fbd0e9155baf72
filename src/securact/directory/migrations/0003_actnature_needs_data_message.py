"""Act natures whose deposits carry a data message (F8.3): the garnishments served on banks,
whose software reads the act's essential elements (LEGAL.md: since 2021 the act travels with
a structured data message).

The flag is set on the seeded codes only if they exist; the reverse just drops the column."""

from django.db import migrations, models

NEEDS_DATA_MESSAGE = (
    "saisie-attribution",
    "saisie-conservatoire-creances",
    "conversion-saisie-conservatoire",
    "saisie-droits-associes-valeurs-mobilieres",
)


def flag(apps, schema_editor):
    ActNature = apps.get_model("directory", "ActNature")
    ActNature.objects.filter(code__in=NEEDS_DATA_MESSAGE).update(needs_data_message=True)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_seed_act_natures")]

    operations = [
        migrations.AddField(
            model_name="actnature",
            name="needs_data_message",
            field=models.BooleanField(
                default=False,
                help_text="Le formulaire demande les éléments essentiels de l'acte (débiteur, créancier, titre, montants) et chaque dépôt porte un message de données XML scellé.",
                verbose_name="message de données",
            ),
        ),
        migrations.RunPython(flag, migrations.RunPython.noop),
    ]
