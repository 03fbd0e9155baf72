# The command line becomes its own channel (issue 13). Until this migration the only way to
# record source "edi" was `securact serve` (there was no EDI API yet), so every such row was
# served from the command line and is relabelled so; the API's rows are "edi" from now on.

from django.db import migrations, models


def edi_was_the_command_line(apps, schema_editor):
    Signification = apps.get_model("significations", "Signification")
    Signification.objects.filter(source="edi").update(source="cli")


def cli_back_to_edi(apps, schema_editor):
    Signification = apps.get_model("significations", "Signification")
    Signification.objects.filter(source="cli").update(source="edi")


class Migration(migrations.Migration):
    dependencies = [
        ("significations", "0006_event_steps"),
    ]

    operations = [
        migrations.AlterField(
            model_name="signification",
            name="source",
            field=models.CharField(
                choices=[("web", "Web"), ("edi", "EDI"), ("cli", "ligne de commande")],
                default="web",
                max_length=5,
                verbose_name="source",
            ),
        ),
        migrations.RunPython(edi_was_the_command_line, cli_back_to_edi, elidable=True),
    ]
