from django.urls import path

from amparo.campaigns import views

urlpatterns = [
    path("o/<slug:org_slug>/campaigns/", views.runs, name="campaign_runs"),
    path("o/<slug:org_slug>/campaigns/runs/<uuid:run_id>/", views.run_detail, name="campaign_run"),
    path(
        "o/<slug:org_slug>/campaigns/<uuid:campaign_id>/",
        views.campaign_detail,
        name="campaign_detail",
    ),
]
