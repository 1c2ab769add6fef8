"""Differentially private counts with OpenDP (the discrete Laplace mechanism).

The unit protected is one report (one escalation for escalation tables): adding or removing it
changes one cell of each table by one, so each table has sensitivity 1. The report's budget
``epsilon`` is split equally between its tables (sequential composition); each table's finest
cells get independent discrete Laplace noise of scale ``tables / epsilon``, negative results
are published as 0, and margins are the sums of the noisy cells (post-processing, no extra
budget). The budget and the scale are stated in the published report.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["epsilon_of", "noisy_counts", "scale_for"]


def scale_for(epsilon: float, tables: int) -> float:
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    return max(tables, 1) / epsilon


def noisy_counts(
    counts: Mapping[tuple[str, ...], int], *, scale: float
) -> dict[tuple[str, ...], int]:
    """Each count plus discrete Laplace noise of ``scale`` (OpenDP), at least 0."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    measurement = dp.m.make_laplace(dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=scale)
    return {key: max(0, int(measurement(int(value)))) for key, value in counts.items()}


def epsilon_of(scale: float) -> float:
    """The privacy loss of one table released with ``scale`` (sensitivity 1)."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    measurement = dp.m.make_laplace(dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=scale)
    return float(measurement.map(1))
