"""Transparency reports as published: immutable, with exactly the figures that left.

A published report holds aggregates only (counts after suppression or with differential
privacy noise), never a report, a case or a person, and is meant to be public; it therefore
carries no row-level security policy (``core/rls.py`` covers tables of case data), and its
public address needs none. What it keeps, ``tables``, is what later reports are checked against
(differencing, ``amparo.engines.figures.suppression``): the values of suppressed cells are not
kept anywhere.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableError(Exception):
    pass


class Method(models.TextChoices):
    SUPPRESSION = "suppression", _("Small counts suppressed (with complementary suppression)")
    DIFFERENTIAL_PRIVACY = "dp", _("Differentially private counts (OpenDP)")


class PublishedReport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(max_length=8)
    method = models.CharField(max_length=12, choices=Method.choices)
    threshold = models.PositiveSmallIntegerField(default=10)
    epsilon = models.FloatField(null=True, blank=True)
    # The figures and breakdowns chosen (codes), and the tables as published: for each table
    # its population, dimensions, period and cells, a suppressed cell's value being null.
    spec = models.JSONField(default=dict)
    tables = models.JSONField(default=list)
    html = models.TextField()
    csv = models.TextField()
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)  # of the HTML, CSV and PDF together
    public = models.BooleanField(default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["organisation", "published_at"], name="published_org_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("a published report cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("a published report cannot be deleted")
