from django.urls import path

from amparo.intake import (
    views_admin,
    views_held,
    views_public,
    views_queue,
    views_replies,
    views_staff,
)

public_urlpatterns = [
    path("report/<slug:org_slug>/", views_public.report_form, name="report_form"),
    path("report/<slug:org_slug>/received/", views_public.report_done, name="report_done"),
    path("report/<slug:org_slug>/follow-up/", views_public.followup, name="report_followup"),
    path("report/<slug:org_slug>/follow-up/report/", views_public.status, name="report_status"),
]

urlpatterns = [
    *public_urlpatterns,
    path("o/<slug:org_slug>/reports/", views_queue.queue_view, name="intake_queue"),
    path("o/<slug:org_slug>/reports/bulk/", views_queue.queue_bulk, name="intake_queue_bulk"),
    path("o/<slug:org_slug>/reports/views/", views_queue.saved_view_save, name="intake_view_save"),
    path(
        "o/<slug:org_slug>/reports/views/<uuid:view_id>/delete/",
        views_queue.saved_view_delete,
        name="intake_view_delete",
    ),
    path(
        "o/<slug:org_slug>/reports/new/",
        views_staff.intermediary_report,
        name="intake_intermediary",
    ),
    path("o/<slug:org_slug>/reports/import/", views_admin.import_reports, name="intake_import"),
    path("o/<slug:org_slug>/reports/held/", views_held.held_queue, name="intake_held"),
    path(
        "o/<slug:org_slug>/reports/held/release/",
        views_held.held_release,
        name="intake_held_release",
    ),
    path(
        "o/<slug:org_slug>/reports/held/discard/",
        views_held.held_discard,
        name="intake_held_discard",
    ),
    path(
        "o/<slug:org_slug>/reports/<uuid:report_id>/",
        views_staff.report_detail,
        name="intake_report",
    ),
    # What is done on a report's page: one address, one view each.
    *(
        path(f"o/<slug:org_slug>/reports/<uuid:report_id>/{segment}/", view, name=name)
        for segment, view, name in (
            ("acknowledge", views_staff.report_acknowledge, "intake_acknowledge"),
            ("messages", views_staff.report_ask, "intake_ask"),
            ("referral", views_staff.report_referral_answer, "intake_referral_answer"),
            ("attach", views_staff.report_attach, "intake_attach"),
            ("identity", views_staff.report_reveal, "intake_reveal"),
            ("erase", views_staff.report_erase, "intake_erase"),
        )
    ),
    path(
        "o/<slug:org_slug>/reports/<uuid:report_id>/evidence/<uuid:evidence_id>/",
        views_staff.evidence_download,
        name="intake_evidence",
    ),
    path("o/<slug:org_slug>/replies/", views_replies.reply_list, name="intake_replies"),
    path(
        "o/<slug:org_slug>/replies/<uuid:reply_id>/delete/",
        views_replies.reply_delete,
        name="intake_reply_delete",
    ),
    path("o/<slug:org_slug>/alarms/", views_staff.notifications, name="intake_notifications"),
    path(
        "o/<slug:org_slug>/alarms/read/",
        views_staff.notifications_read,
        name="intake_notifications_read",
    ),
    path(
        "o/<slug:org_slug>/alarms/digest/",
        views_staff.notifications_digest,
        name="intake_notifications_digest",
    ),
    path("o/<slug:org_slug>/api-tokens/", views_admin.api_tokens, name="intake_api_tokens"),
    path(
        "o/<slug:org_slug>/api-tokens/<uuid:token_id>/revoke/",
        views_admin.api_token_revoke,
        name="intake_api_token_revoke",
    ),
    path("o/<slug:org_slug>/risk-periods/", views_admin.risk_periods, name="intake_risk_periods"),
    path(
        "o/<slug:org_slug>/risk-periods/<int:period_id>/delete/",
        views_admin.risk_period_delete,
        name="intake_risk_period_delete",
    ),
]
