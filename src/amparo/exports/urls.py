from django.urls import path

from amparo.exports import views

urlpatterns = [
    path("o/<slug:org_slug>/exports/", views.exports, name="exports"),
    path("o/<slug:org_slug>/exports/download/", views.download, name="exports_download"),
    path("o/<slug:org_slug>/exports/tokens/", views.export_tokens, name="exports_tokens"),
]
