from django.urls import path

from amparo.tdb import views

urlpatterns = [
    path("o/<slug:org_slug>/tdb/", views.section, {"name": "overview"}, name="tdb_overview"),
    path("o/<slug:org_slug>/tdb/lens/", views.section, {"name": "lens"}, name="tdb_lens"),
    path(
        "o/<slug:org_slug>/tdb/aggregate/",
        views.section,
        {"name": "aggregate"},
        name="tdb_aggregate",
    ),
    path("o/<slug:org_slug>/tdb/delays/", views.section, {"name": "delays"}, name="tdb_delays"),
    path(
        "o/<slug:org_slug>/tdb/notifiers/",
        views.section,
        {"name": "notifiers"},
        name="tdb_notifiers",
    ),
    path("o/<slug:org_slug>/tdb/laws/", views.section, {"name": "laws"}, name="tdb_laws"),
    path(
        "o/<slug:org_slug>/tdb/statements/",
        views.section,
        {"name": "statements"},
        name="tdb_statements",
    ),
    path("o/<slug:org_slug>/tdb/match/", views.match, name="tdb_match"),
]
