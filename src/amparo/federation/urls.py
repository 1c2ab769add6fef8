from django.urls import path

from amparo.federation import taxii, views

C = "taxii2/api/collections/<str:collection_id>/"

urlpatterns = [
    path("federation/v1/changes", views.changes, name="federation_changes"),
    path("o/<slug:org_slug>/federation/", views.page, name="federation_page"),
    path("taxii2/", taxii.discovery, name="taxii_discovery"),
    path("taxii2/api/", taxii.api_root, name="taxii_api_root"),
    path("taxii2/api/collections/", taxii.collections, name="taxii_collections"),
    path(C, taxii.collection, name="taxii_collection"),
    path(C + "objects/", taxii.objects, name="taxii_objects"),
    path(C + "manifest/", taxii.manifest, name="taxii_manifest"),
]
