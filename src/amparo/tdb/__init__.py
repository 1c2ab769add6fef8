"""The DSA Transparency Database in the app: the ``tdb`` management command (the analytics
themselves live in the Django-free package :mod:`amparo.engines.tdb`)."""
