from django.urls import path

from amparo.accounts import views

urlpatterns = [
    path("orgs/", views.organisations, name="organisations"),
    path("orgs/switch/", views.switch_organisation, name="switch_organisation"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("o/<slug:org_slug>/members/", views.members, name="members"),
    path(
        "o/<slug:org_slug>/members/<uuid:membership_id>/", views.member_detail, name="member_detail"
    ),
    path(
        "o/<slug:org_slug>/members/<uuid:membership_id>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "o/<slug:org_slug>/members/<uuid:membership_id>/deactivate/",
        views.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "o/<slug:org_slug>/members/<uuid:membership_id>/activate/",
        views.member_activate,
        name="member_activate",
    ),
    path(
        "o/<slug:org_slug>/members/<uuid:membership_id>/mfa-reset/",
        views.member_mfa_reset,
        name="member_mfa_reset",
    ),
    path(
        "o/<slug:org_slug>/invitations/<uuid:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path(
        "o/<slug:org_slug>/mfa-resets/<uuid:reset_id>/decide/",
        views.decide_mfa_reset,
        name="decide_mfa_reset",
    ),
    path("o/<slug:org_slug>/audit/", views.audit_log, name="audit_log"),
    path("o/<slug:org_slug>/retention/", views.retention, name="retention"),
    path("o/<slug:org_slug>/settings/", views.organisation_settings, name="organisation_settings"),
]
