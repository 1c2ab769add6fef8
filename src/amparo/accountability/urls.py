from django.urls import path

from amparo.accountability import views

BASE = "o/<slug:org_slug>/accountability/"

urlpatterns = [
    path(BASE, views.dashboard, name="accountability_dashboard"),
    path(BASE + "chart/", views.chart, name="accountability_chart"),
    path(BASE + "reports/", views.report_list, name="accountability_reports"),
    path(BASE + "reports/compose/", views.compose, name="accountability_compose"),
    path(BASE + "reports/publish/", views.publish, name="accountability_publish"),
    path(BASE + "reports/<uuid:published_id>/", views.report_detail, name="accountability_report"),
    path(
        BASE + "reports/<uuid:published_id>/download/",
        views.report_file,
        name="accountability_report_file",
    ),
    # Public: reports their organisation chose to publish at an address of the app.
    path(
        "transparency/<slug:org_slug>/<uuid:published_id>/",
        views.public_report,
        name="transparency_public",
    ),
]
