from django.urls import path

from amparo.escalations import views

ONE = "o/<slug:org_slug>/escalations/<uuid:escalation_id>/"

urlpatterns = [
    path("o/<slug:org_slug>/cases/<uuid:case_id>/escalate/", views.escalate, name="escalate_case"),
    path("o/<slug:org_slug>/escalations/", views.escalation_list, name="escalation_list"),
    path(
        "o/<slug:org_slug>/escalations/scorecard/",
        views.scorecard_view,
        name="escalation_scorecard",
    ),
    path(
        "o/<slug:org_slug>/escalations/register/", views.register_view, name="escalation_register"
    ),
    path(ONE, views.escalation_detail, name="escalation_detail"),
    path(ONE + "edit/", views.escalation_edit, name="escalation_edit"),
    path(ONE + "approve/", views.escalation_approve, name="escalation_approve"),
    path(ONE + "send/", views.escalation_send, name="escalation_send"),
    path(ONE + "sent-by-hand/", views.escalation_sent_by_hand, name="escalation_sent_by_hand"),
    path(ONE + "response/", views.escalation_respond, name="escalation_respond"),
    path(ONE + "close/", views.escalation_close, name="escalation_close"),
    path(ONE + "cancel/", views.escalation_cancel, name="escalation_cancel"),
]
