from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amparo.core.logging import ERROR_ID_ATTRIBUTE, new_error_id


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the failure may be the database.
    from django.template import loader

    # The id was given by amparo.core.middleware when the exception was signalled; the same
    # id is logged with the exception, so an operator can find the record from the page.
    error_id = getattr(request, ERROR_ID_ATTRIBUTE, None)
    if not error_id:
        error_id = new_error_id()
        setattr(request, ERROR_ID_ATTRIBUTE, error_id)
    return HttpResponse(loader.get_template("500.html").render({"error_id": error_id}), status=500)
