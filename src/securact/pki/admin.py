from django.contrib import admin

from securact.pki.models import OperatorCertificate


@admin.register(OperatorCertificate)
class OperatorCertificateAdmin(admin.ModelAdmin):
    list_display = ("holder", "user", "issuer", "not_after", "created_at")
    search_fields = ("holder", "fingerprint", "user__username")
    readonly_fields = ("created_at",)
