from django.urls import path

from securact.web import views, views_search, views_serve

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("declaration/", views.declaration, name="declaration"),
    path("declaration/renouvellement/", views.renewal, name="renewal"),
    path("signifier/", views_serve.serve, name="serve"),
    path("edi/", views.edi, name="edi"),
    path("rechercher/", views_search.search, name="search"),
    path("significations/<int:pk>/", views_search.detail, name="detail"),
    path("significations/<int:pk>/fichiers/<int:file_id>/", views_search.download, name="download"),
    path("coffre-fort/", views.vault, name="vault"),
]
