"""Significations deposited before the dashboard existed get their "awaiting consultation"
notice, as the deposit step now creates it (the delivery rule is not built yet, so every
deposited signification still awaits consultation), and the counters are computed."""

from django.db import migrations
from django.db.models import Count, Prefetch

from securact.directory.validators import normalize_name

EVENT_AWAITING = "Dépôt de l'acte dans le coffre-fort du destinataire"
BATCH = 2000


def backfill(apps, schema_editor):
    Signification = apps.get_model("significations", "Signification")
    Act = apps.get_model("significations", "Act")
    Notice = apps.get_model("dashboard", "DashboardNotice")
    deposited = (
        Signification.objects.filter(sent_at__isnull=False)
        .exclude(dashboard_notices__category="awaiting")
        .select_related("recipient")
        .prefetch_related(
            Prefetch(
                "acts",
                queryset=Act.objects.order_by("position").only("signification", "deposited_name"),
            )
        )
        .order_by("pk")
    )
    batch = []
    for signification in deposited.iterator(chunk_size=BATCH):
        names = [act.deposited_name for act in signification.acts.all()]
        first = next((name for name in names if name), "")
        if not first:
            continue
        text = " ".join([signification.reference, first, signification.recipient.name])
        batch.append(
            Notice(
                bailiff_id=signification.bailiff_id,
                signification=signification,
                category="awaiting",
                event=EVENT_AWAITING,
                created_at=signification.sent_at,
                reference=signification.reference,
                deposited_at=signification.sent_at,
                deposited_file=first,
                file_count=max(len(names), 1),
                recipient_name=signification.recipient.name,
                search_text=normalize_name(f"{text} {EVENT_AWAITING}")[:800],
            )
        )
        if len(batch) >= BATCH:
            Notice.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Notice.objects.bulk_create(batch, ignore_conflicts=True)
    recount(apps)


def recount(apps):
    Notice = apps.get_model("dashboard", "DashboardNotice")
    Counter = apps.get_model("dashboard", "UnviewedCount")
    Counter.objects.all().delete()
    truth = (
        Notice.objects.filter(viewed_at__isnull=True)
        .values_list("bailiff_id", "category")
        .annotate(count=Count("id"))
        .order_by()
    )
    Counter.objects.bulk_create(
        Counter(bailiff_id=bailiff_id, category=category, unviewed=count)
        for bailiff_id, category, count in truth
    )


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
