# The act return (F6.4) deposited into the bailiff's vault.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("vault", "0004_alter_storedfile_kind"),
    ]

    operations = [
        migrations.AlterField(
            model_name="storedfile",
            name="kind",
            field=models.CharField(
                choices=[
                    ("act", "acte signifié"),
                    ("signature", "signature détachée (PKCS#7)"),
                    ("deposit_certificate", "attestation de dépôt"),
                    ("archive", "archive de signification"),
                    ("delivery_certificate", "attestation de remise"),
                    ("act_return", "retour d'acte"),
                    ("other", "autre"),
                ],
                default="other",
                max_length=30,
                verbose_name="nature",
            ),
        ),
    ]
