from django.http import HttpResponse
from django.urls import include, path

from tests.testapp.models import Dossier


def read_then_fail(request, pk):
    dossier = Dossier.objects.get(pk=pk)
    secret = dossier.secret_text
    raise ValueError(f"could not process {secret} for {dossier.contacts}")


def read_ok(request, pk):
    dossier = Dossier.objects.get(pk=pk)
    return HttpResponse(str(len(dossier.secret_text)))


urlpatterns = [
    path("test/dossier/<uuid:pk>/fail/", read_then_fail),
    path("test/dossier/<uuid:pk>/", read_ok),
    path("", include("amparo.urls")),
]
