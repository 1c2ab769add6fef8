from django.urls import path

from amparo.remedies import views

urlpatterns = [
    path("o/<slug:org_slug>/cases/<uuid:case_id>/remedies/", views.remedies, name="case_remedies"),
    path(
        "o/<slug:org_slug>/cases/<uuid:case_id>/remedies/decisions/",
        views.decision_record,
        name="remedy_decision_record",
    ),
    path(
        "o/<slug:org_slug>/cases/<uuid:case_id>/remedies/prepare/",
        views.step_prepare,
        name="remedy_prepare",
    ),
    path("o/<slug:org_slug>/remedies/<uuid:step_id>/", views.step_detail, name="remedy_step"),
    # What is done on a step's page: one address, one view each.
    path("o/<slug:org_slug>/remedies/<uuid:step_id>/file/", views.step_file, name="remedy_file"),
    path(
        "o/<slug:org_slug>/remedies/<uuid:step_id>/outcome/",
        views.step_outcome,
        name="remedy_outcome",
    ),
    path(
        "o/<slug:org_slug>/remedies/<uuid:step_id>/withdraw/",
        views.step_withdraw,
        name="remedy_withdraw",
    ),
    path("o/<slug:org_slug>/remedies/<uuid:step_id>/lapse/", views.step_lapse, name="remedy_lapse"),
    path(
        "o/<slug:org_slug>/remedies/<uuid:step_id>/document/",
        views.step_document,
        name="remedy_document",
    ),
]
