from django.urls import path

from amparo.cases import views

urlpatterns = [
    path("o/<slug:org_slug>/cases/", views.case_list, name="case_list"),
    path("o/<slug:org_slug>/cases/<uuid:case_id>/", views.case_detail, name="case_detail"),
    path(
        "o/<slug:org_slug>/cases/<uuid:case_id>/tasks/<uuid:task_id>/done/",
        views.task_done,
        name="case_task_done",
    ),
    path(
        "o/<slug:org_slug>/reports/<uuid:report_id>/open-case/",
        views.open_from_report,
        name="case_open_from_report",
    ),
]
