"""Database set-up that ``migrate`` alone would not do."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def create_cache_table(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The shared cache (used TOTP codes, throttling counters) lives in the database."""
    if getattr(sender, "label", None) == "core":
        call_command("createcachetable", database=using, verbosity=0)
