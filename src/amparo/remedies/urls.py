from django.urls import path

from amparo.remedies import views

urlpatterns = [
    path("o/<slug:org_slug>/cases/<uuid:case_id>/remedies/", views.remedies, name="case_remedies"),
    path("o/<slug:org_slug>/remedies/<uuid:step_id>/", views.step_detail, name="remedy_step"),
    path(
        "o/<slug:org_slug>/remedies/<uuid:step_id>/document/",
        views.step_document,
        name="remedy_document",
    ),
]
