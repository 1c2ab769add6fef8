from django.urls import path

from amparo.scorecards import views

BASE = "o/<slug:org_slug>/scorecards/"

urlpatterns = [
    path(BASE, views.scorecard_view, name="scorecard"),
    path(BASE + "compare/", views.compare_view, name="scorecard_compare"),
    path(BASE + "assessments/", views.assessment_create, name="scorecard_assessment_create"),
    path(
        BASE + "assessments/<uuid:assessment_id>/withdraw/",
        views.assessment_withdraw,
        name="scorecard_assessment_withdraw",
    ),
    path(BASE + "publish/", views.publish_view, name="scorecard_publish"),
    path(
        BASE + "published/<uuid:publication_id>/",
        views.publication_view,
        name="scorecard_publication",
    ),
    *(
        path(
            BASE + f"published/<uuid:publication_id>/{name}",
            views.publication_file,
            {"name": name},
            name=f"scorecard_publication_{name.replace('.', '_')}",
        )
        for name in views.FILES
    ),
]
