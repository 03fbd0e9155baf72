from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

import securact.core.ids  # noqa: F401 - registers the <id:…> converter
from securact.api.v1 import api as api_v1
from securact.vault_pages.views_evidence import journal_proof
from securact.web.views import admin_login_refused

admin.site.login = admin_login_refused  # type: ignore[method-assign]
admin.site.site_header = "SECURACT — exploitation"
admin.site.site_title = "SECURACT"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("langue/", set_language, name="set_language"),
    path("destinataire/", include("securact.portal.urls")),
    # The vault (F7), one set of pages for bailiffs and recipients, each on his own vault.
    path("coffre-fort/", include("securact.vault_pages.urls")),
    # The journal's signed checkpoints (issue 12), public: no client certificate asked.
    path("journal/", include("securact.journal_pages.urls")),
    # The inclusion proof of a journal entry, for its owner (issue 12, contract §3).
    path("preuves/journal/<id:sequence>", journal_proof, name="journal-proof"),
    # The API (F9, issue 13): version 1, then the first recipient endpoints' addresses.
    path("api/v1/", api_v1.urls),
    path("", include("securact.api.urls")),
    path("", include("securact.web.urls")),
]
