from django.urls import path

from amparo.keyring import views

urlpatterns = [
    path(
        ".well-known/amparo/<slug:org_slug>/signing-keys.json",
        views.signing_keys,
        name="signing_keys",
    ),
]
