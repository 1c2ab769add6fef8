from django.urls import path

from amparo.outbound import views

urlpatterns = [
    path("o/<slug:org_slug>/outbound/", views.outbound_messages, name="outbound_messages"),
]
