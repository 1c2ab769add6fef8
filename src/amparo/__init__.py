"""Amparo: protect human rights defenders from what happens to them on online platforms."""

__version__ = "0.1.0"
