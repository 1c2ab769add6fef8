from django.urls import path

from amparo.collective import public, views

P = "o/<slug:org_slug>/collective/"
A = P + "<uuid:collective_id>/"

urlpatterns = [
    path(P, views.action_list, name="collective_list"),
    path(P + "new/", views.action_new, name="collective_new"),
    path(P + "eligibility/", views.eligibility_page, name="collective_eligibility"),
    path(A, views.action_detail, name="collective_action"),
    path(A + "proposals/refresh/", views.refresh_proposals, name="collective_refresh"),
    path(A + "proposals/accept-all/", views.accept_all, name="collective_accept_all"),
    path(
        A + "proposals/<uuid:proposal_id>/accept/",
        views.accept_proposal,
        name="collective_accept",
    ),
    path(
        A + "proposals/<uuid:proposal_id>/reject/",
        views.reject_proposal,
        name="collective_reject",
    ),
    path(A + "partners/", views.add_partner, name="collective_add_partner"),
    path(A + "prepare/<slug:filing_kind>/", views.prepare, name="collective_prepare"),
    path(A + "approve-all/<slug:filing_kind>/", views.approve_all, name="collective_approve_all"),
    path(A + "file-all/<slug:filing_kind>/", views.file_all, name="collective_file_all"),
    path(
        A + "members/<uuid:collective_member_id>/outcome/",
        views.member_outcome,
        name="collective_member_outcome",
    ),
    path(A + "dossier/", views.export_dossier, name="collective_dossier"),
    path(A + "close/", views.close_action, name="collective_close"),
    path(
        P + "filings/<uuid:filing_id>/approve/",
        views.approve_filing,
        name="collective_approve_filing",
    ),
    path(P + "filings/<uuid:filing_id>/file/", views.file_filing, name="collective_file"),
    path(P + "filings/<uuid:filing_id>/decide/", views.decide_filing, name="collective_decide"),
    path(
        P + "filings/<uuid:filing_id>/withdraw/", views.withdraw_filing, name="collective_withdraw"
    ),
    path(
        P + "filings/<uuid:filing_id>/document/",
        views.filing_document,
        name="collective_document",
    ),
    path(
        P + "members/<uuid:collective_member_id>/approve/",
        views.approve_member,
        name="collective_approve",
    ),
    path(
        P + "members/<uuid:collective_member_id>/mandate/",
        views.record_mandate,
        name="collective_record_mandate",
    ),
    path(
        P + "members/<uuid:collective_member_id>/mandate/revoke/",
        views.revoke_mandate_staff,
        name="collective_revoke_staff",
    ),
    path("report/<slug:org_slug>/follow-up/mandate/", public.give, name="collective_mandate_give"),
    path(
        "report/<slug:org_slug>/follow-up/mandate/revoke/",
        public.revoke,
        name="collective_mandate_revoke",
    ),
]
