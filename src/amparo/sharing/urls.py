from django.urls import path

from amparo.sharing import views, views_exchange

P = "o/<slug:org_slug>/sharing/"

urlpatterns = [
    path(P, views.home, name="sharing_home"),
    path(P + "items.json", views.items_json, name="sharing_items_json"),
    path(P + "refresh/", views.refresh, name="sharing_refresh"),
    path(P + "groups/new/", views.group_create, name="sharing_group_create"),
    path(P + "groups/<uuid:group_id>/", views.group_detail, name="sharing_group"),
    path(P + "groups/<uuid:group_id>.json", views.group_json, name="sharing_group_json"),
    path(P + "groups/<uuid:group_id>/invite/", views.group_invite, name="sharing_group_invite"),
    path(P + "groups/<uuid:group_id>/rotate/", views.group_rotate, name="sharing_group_rotate"),
    path(P + "groups/<uuid:group_id>/figures/", views.group_aggregates, name="sharing_aggregates"),
    path(P + "groups/<uuid:group_id>/detect/", views.group_detect, name="sharing_group_detect"),
    path(P + "members/<uuid:member_id>/accept/", views.member_accept, name="sharing_accept"),
    path(P + "members/<uuid:member_id>/decline/", views.member_decline, name="sharing_decline"),
    path(P + "members/<uuid:member_id>/leave/", views.member_leave, name="sharing_leave"),
    path(P + "items/<uuid:item_id>/", views.item_detail, name="sharing_item"),
    path(P + "items/<uuid:item_id>/approve/", views.item_approve, name="sharing_item_approve"),
    path(P + "items/<uuid:item_id>/reject/", views.item_reject, name="sharing_item_reject"),
    path(P + "items/<uuid:item_id>/withdraw/", views.item_withdraw, name="sharing_item_withdraw"),
    path(P + "indicators/", views.share_indicators, name="sharing_indicators"),
    path(P + "collective/", views.share_collective, name="sharing_collective"),
    path(P + "risk-periods/", views.share_risk_period, name="sharing_risk_period"),
    path(P + "campaigns/", views.share_campaign, name="sharing_campaign"),
    path(P + "cases/<uuid:case_id>/", views.share_case, name="sharing_case"),
    path(P + "cases/<uuid:case_id>/connect/", views_exchange.case_connect, name="sharing_connect"),
    path(
        P + "connect/<uuid:invite_id>/accept/",
        views_exchange.connect_accept,
        name="sharing_connect_accept",
    ),
    path(
        P + "connect/<uuid:invite_id>/decline/",
        views_exchange.connect_decline,
        name="sharing_connect_decline",
    ),
    path(P + "psi/", views_exchange.psi_request, name="sharing_psi_request"),
    path(P + "psi/<uuid:exchange_id>/", views_exchange.psi_detail, name="sharing_psi"),
    path(
        P + "psi/<uuid:exchange_id>/accept/", views_exchange.psi_accept, name="sharing_psi_accept"
    ),
    path(
        P + "psi/<uuid:exchange_id>/decline/",
        views_exchange.psi_decline,
        name="sharing_psi_decline",
    ),
]
