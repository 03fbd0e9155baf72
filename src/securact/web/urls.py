from django.urls import path

from securact.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("declaration/", views.declaration, name="declaration"),
    path("declaration/renouvellement/", views.renewal, name="renewal"),
    path("edi/", views.edi, name="edi"),
    path("coffre-fort/", views.vault, name="vault"),
]
