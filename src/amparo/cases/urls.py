from django.urls import path

from amparo.cases import views

# What a caseworker does on a case page: one address, one view and one form each.
CASE_ACTIONS = (
    ("assign-me", views.case_assign_me, "case_assign_me"),
    ("status", views.case_transition, "case_transition"),
    ("notes", views.case_note, "case_note"),
    ("tasks", views.case_task, "case_task"),
    ("tags", views.case_tags, "case_tags"),
    ("refer", views.case_refer, "case_refer"),
    ("merge", views.case_merge, "case_merge"),
    ("referral", views.case_referral_answer, "case_referral_answer"),
    ("statements", views.case_statement_save, "case_statement_save"),
)

urlpatterns = [
    path("o/<slug:org_slug>/cases/", views.case_list, name="case_list"),
    path("o/<slug:org_slug>/cases/<uuid:case_id>/", views.case_detail, name="case_detail"),
    *(
        path(f"o/<slug:org_slug>/cases/<uuid:case_id>/{segment}/", view, name=name)
        for segment, view, name in CASE_ACTIONS
    ),
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
