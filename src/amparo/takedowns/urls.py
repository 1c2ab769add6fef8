from django.urls import path

from amparo.takedowns import views

BASE = "o/<slug:org_slug>/takedowns/"

urlpatterns = [
    path(BASE, views.demand_list, name="takedown_list"),
    path(BASE + "new/", views.demand_new, name="takedown_new"),
    path(BASE + "import/", views.demand_import, name="takedown_import"),
    path(BASE + "import/template.csv", views.import_template, name="takedown_import_template"),
    path(BASE + "figures.csv", views.figures_csv, name="takedown_figures_csv"),
    path(BASE + "<uuid:demand_id>/", views.demand_detail, name="takedown_detail"),
    path(BASE + "<uuid:demand_id>/response/", views.demand_response, name="takedown_response"),
    path(BASE + "<uuid:demand_id>/case/", views.demand_link_case, name="takedown_link_case"),
]
