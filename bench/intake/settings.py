"""Amparo's production settings plus one bare view, ``GET /bench/hello``, used by the intake
benchmark as a baseline: the same server, middleware (security, CSP, sessions, locale, CSRF,
auth, MFA) and processes, with no work in the view. Nothing else differs."""

from amparo.settings import *  # noqa: F403

ROOT_URLCONF = "bench.intake.urls"
