"""Campaigns found in an organisation's evidence (Django app; the engine is
``amparo.engines.campaigns``)."""
