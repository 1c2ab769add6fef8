"""Split the thresholded co-action network into groups (Leiden communities, igraph).

The graph is built from account *names* in sorted order, so two engines that find the
same edges build the same graph and, with the same seed, the same communities.
"""

from __future__ import annotations

import random

import igraph as ig
import numpy as np
import polars as pl


def build_graph(edges: pl.DataFrame) -> ig.Graph:
    """Undirected weighted graph from ``edges`` (columns ``source``, ``target``, ``weight``
    and any per-kind columns, which become edge attributes)."""
    edges = edges.sort("source", "target")
    names = pl.concat([edges["source"], edges["target"]]).unique().sort()
    index = {name: i for i, name in enumerate(names.to_list())}
    g = ig.Graph(n=len(names), directed=False)
    g.vs["name"] = names.to_list()
    if edges.height:
        src = np.fromiter((index[s] for s in edges["source"].to_list()), dtype=np.int64)
        dst = np.fromiter((index[t] for t in edges["target"].to_list()), dtype=np.int64)
        g.add_edges(np.stack([src, dst], axis=1).tolist())
        for col in edges.columns:
            if col not in ("source", "target"):
                g.es[col] = edges[col].to_list()
    return g


def leiden_groups(
    g: ig.Graph, *, min_accounts: int = 3, resolution: float = 1.0, seed: int = 42
) -> list[list[str]]:
    """Communities of at least ``min_accounts`` accounts, largest first, each sorted.

    Leiden with the modularity objective never joins two components, and splits a
    component where a few bridging edges join otherwise separate groups.
    """
    if g.vcount() == 0:
        return []
    rng = random.Random(seed)  # noqa: S311 (reproducible communities, not a secret)
    previous = ig.set_random_number_generator(rng)
    try:
        parts = g.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=-1,
        )
    finally:
        ig.set_random_number_generator(previous if previous is not None else random)
    names = g.vs["name"]
    groups = [sorted(names[v] for v in members) for members in parts]
    groups = [grp for grp in groups if len(grp) >= min_accounts]
    groups.sort(key=lambda grp: (-len(grp), grp[0]))
    return groups
