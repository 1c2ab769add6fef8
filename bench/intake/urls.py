"""Amparo's URLs plus ``/bench/hello`` (see settings.py in this folder)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from amparo.urls import handler404, handler500
from amparo.urls import urlpatterns as amparo_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello", hello, name="bench_hello"), *amparo_urlpatterns]
