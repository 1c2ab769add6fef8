"""Demo data of the capabilities built on cases: each seeder is a function of its own module
under ``amparo.demo``, run in order after the organisations, reports and Transparency Database
statements exist."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

#: ``module:function`` of each seeder, in the order they run.
SEEDERS: tuple[str, ...] = (
    "amparo.demo.replies:seed_replies",
    "amparo.demo.scorecards:seed_scorecards",
    "amparo.demo.accountability:seed_accountability",
    "amparo.demo.sharing:seed_sharing",
    "amparo.demo.collective:seed_collective",
)


def seed_features() -> None:
    for spec in SEEDERS:
        module, name = spec.split(":")
        seeder: Callable[[], None] = getattr(import_module(module), name)
        seeder()
