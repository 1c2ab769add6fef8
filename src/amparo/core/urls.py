from django.urls import path

from amparo.core import outbound_views

urlpatterns = [
    path("o/<slug:org_slug>/outbound/", outbound_views.outbound_messages, name="outbound_messages"),
]
