"""The admin's certificate side: operators' certificates, and users without passwords.

Nobody signs in with a password (the middleware signs operators in by certificate), so the
admin offers no way to set one: the user form has no password field nor link, a new user
gets an unusable password, and both password pages answer a French 403 without a form."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from securact.pki.models import OperatorCertificate
from securact.pki.pages import refusal_page


@admin.register(OperatorCertificate)
class OperatorCertificateAdmin(admin.ModelAdmin[OperatorCertificate]):
    list_display = ("holder", "user", "issuer", "not_after", "created_at")
    search_fields = ("holder", "fingerprint", "user__username")
    readonly_fields = ("created_at",)


def password_refused(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return refusal_page(
        request,
        gettext(
            "Il n'existe pas de mot de passe dans SECURACT : les opérateurs se connectent "
            "avec leur certificat."
        ),
        gettext(
            "Pour donner accès à l'administration, enregistrez le certificat de l'opérateur "
            "(Certificats d'opérateur)."
        ),
    )


class _UserForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ("username",)


class CertificateUserAdmin(UserAdmin[User]):
    form = _UserForm
    add_form = _UserForm
    fieldsets = tuple(
        (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
        for name, options in UserAdmin.fieldsets or ()
    )
    add_fieldsets = ((None, {"fields": ("username",)}),)

    def user_change_password(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return password_refused(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, CertificateUserAdmin)
admin.site.password_change = password_refused  # type: ignore[method-assign,assignment]
admin.site.password_change_done = password_refused  # type: ignore[method-assign,assignment]
