from django.urls import path

from amparo.escalations import views

urlpatterns = [
    path("o/<slug:org_slug>/cases/<uuid:case_id>/escalate/", views.escalate, name="escalate_case"),
    path(
        "o/<slug:org_slug>/escalations/scorecard/",
        views.scorecard_view,
        name="escalation_scorecard",
    ),
    path(
        "o/<slug:org_slug>/escalations/register/", views.register_view, name="escalation_register"
    ),
    path(
        "o/<slug:org_slug>/escalations/<uuid:escalation_id>/",
        views.escalation_detail,
        name="escalation_detail",
    ),
]
