from django.urls import path

from amparo.campaigns import views, views_schedules
from amparo.campaigns.downloads import FORMATS

urlpatterns = [
    path("o/<slug:org_slug>/campaigns/", views.runs, name="campaign_runs"),
    path("o/<slug:org_slug>/campaigns/runs/<uuid:run_id>/", views.run_detail, name="campaign_run"),
    path(
        "o/<slug:org_slug>/campaigns/schedules/",
        views_schedules.schedule_create,
        name="campaign_schedule_create",
    ),
    *(
        path(
            f"o/<slug:org_slug>/campaigns/schedules/<uuid:schedule_id>/{action}/",
            views_schedules.schedule_action,
            {"action": action},
            name=f"campaign_schedule_{action}",
        )
        for action in ("pause", "resume", "delete")
    ),
    path(
        "o/<slug:org_slug>/campaigns/<uuid:campaign_id>/",
        views.campaign_detail,
        name="campaign_detail",
    ),
    path(
        "o/<slug:org_slug>/campaigns/<uuid:campaign_id>/review/",
        views.campaign_review,
        name="campaign_review",
    ),
    path(
        "o/<slug:org_slug>/campaigns/<uuid:campaign_id>/cases/",
        views.campaign_link_case,
        name="campaign_link_case",
    ),
]

# One URL per format (fixed words, so every id in these URLs is an organisation's object).
urlpatterns += [
    path(
        f"o/<slug:org_slug>/campaigns/runs/<uuid:run_id>/download/{fmt}/",
        views.run_download,
        {"fmt": fmt},
        name=f"campaign_run_{fmt}",
    )
    for fmt in FORMATS
]
