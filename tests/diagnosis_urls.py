"""Views that fail in known ways, for tests/test_diagnosis.py and tests/test_canaries.py."""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.utils import ProgrammingError
from django.http import HttpResponse
from django.urls import include, path


def fail_with_value(request):
    # Reporter content in the message of an ordinary exception: it must be withheld.
    given = request.GET.get("q", "") + request.POST.get("q", "")
    raise ValueError(f"could not process {given}")


def fail_in_database(request):
    # A PostgreSQL-style message: the table name stays, the quoted value goes.
    secret = request.GET.get("q", "")
    raise ProgrammingError(
        f'relation "amparo_missing" does not exist\n'
        f"LINE 1: INSERT INTO amparo_missing VALUES ('{secret}')\n"
        f"                    ^"
    )


def fail_in_sqlite(request):
    secret = request.GET.get("q", "")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO amparo_missing_table (x) VALUES (%s)", [secret])
    return HttpResponse("unreachable")


def fail_in_configuration(request):
    secret = request.GET.get("q", "")
    raise ImproperlyConfigured(f"AMPARO_SOMETHING must be a whole number; got '{secret}'")


def ok(request, code):
    return HttpResponse("ok")


urlpatterns = [
    path("test/fail/value/", fail_with_value),
    path("test/fail/database/", fail_in_database),
    path("test/fail/sqlite/", fail_in_sqlite),
    path("test/fail/configuration/", fail_in_configuration),
    path("test/ok/<str:code>/", ok),
    path("", include("amparo.urls")),
]

handler404 = "amparo.core.views.page_not_found"
handler500 = "amparo.core.views.server_error"
