"""Turn canonical posts into the keyed events that the co-action sweep reads.

Both engines derive keys with these functions, so a text, link or item gets the same
64-bit key whether it was computed here or inside a Spark task.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from . import minhash
from .normalise import HASH_SEED, normalise_expr


def string_keys(values: pl.Series) -> np.ndarray:
    """Signed 64-bit key of each string (for links and item ids)."""
    return values.hash(seed=HASH_SEED).to_numpy().view(np.int64)


def text_table(posts: pl.DataFrame, fold: bool = False) -> pl.DataFrame:
    """``row, norm, h`` for every post whose own text counts (reposts do not).

    ``fold``: the text is the skeleton of :func:`.fold.fold_texts` (each distinct text is
    folded once), otherwise the normalisation of :func:`.normalise.normalise_expr`.
    """
    if fold:
        from .fold import fold_texts

        base = posts.select(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("row"), "text", "repost_of"
        ).filter(pl.col("repost_of").is_null() & pl.col("text").is_not_null())
        base = base.select("row", "text", pl.col("text").hash(seed=HASH_SEED).alias("raw"))
        raw = base.unique("raw", keep="first").select("raw", "text")
        raw = raw.with_columns(fold_texts(raw["text"]).alias("norm")).drop("text")
        folded = base.join(raw, on="raw", how="left").filter(pl.col("norm").str.len_bytes() > 0)
        return folded.select(
            "row", "norm", pl.col("norm").hash(seed=HASH_SEED).reinterpret(signed=True).alias("h")
        ).sort("row")
    eligible = (
        posts.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("row"), "text", "repost_of")
        .filter(pl.col("repost_of").is_null() & pl.col("text").is_not_null())
        .select("row", normalise_expr(pl.col("text")).alias("norm"))
        .filter(pl.col("norm").str.len_bytes() > 0)
    )
    return eligible.select(
        "row", "norm", pl.col("norm").hash(seed=HASH_SEED).reinterpret(signed=True).alias("h")
    )


def unique_texts(texts: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct normalised text, ordered by its hash (the order both engines
    use inside LSH buckets)."""
    return texts.select("h", "norm").unique(subset="h", keep="any").sort("h")


def cluster_keys(
    uniq: pl.DataFrame, *, threshold: float, shingle: int, min_chars: int
) -> tuple[pl.DataFrame, dict[str, int]]:
    """``h -> cluster`` where ``cluster`` is the smallest ``h`` among near-identical texts.

    Texts shorter than ``min_chars`` are their own cluster: five characters in common
    say nothing about two short texts.
    """
    long = uniq.filter(pl.col("norm").str.len_chars() >= min_chars)
    h_long = long["h"].to_numpy()
    sig = minhash.signatures(long["norm"], k=shingle)
    labels, pairs, _sim = minhash.near_duplicate_clusters(sig, threshold)
    smallest = np.full(len(h_long), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, labels, h_long)
    cluster_long = smallest[labels]
    out = pl.concat(
        [
            pl.DataFrame({"h": h_long, "cluster": cluster_long}),
            uniq.filter(pl.col("norm").str.len_chars() < min_chars).select(
                "h", pl.col("h").alias("cluster")
            ),
        ]
    )
    stats = {
        "unique_texts": uniq.height,
        "hashed_texts": long.height,
        "verified_pairs": len(pairs),
    }
    return out, stats


def link_table(posts: pl.DataFrame) -> pl.DataFrame:
    """``row, url, key`` for every link of every post that is not a plain repost."""
    links = (
        posts.select(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("row"), "urls", pl.col("repost_of")
        )
        .filter(pl.col("repost_of").is_null())
        .drop("repost_of")
        .explode("urls")
        .drop_nulls("urls")
        .rename({"urls": "url"})
    )
    return links.with_columns(
        pl.col("url").hash(seed=HASH_SEED).reinterpret(signed=True).alias("key")
    )


def item_table(posts: pl.DataFrame, column: str) -> pl.DataFrame:
    """``row, key`` for posts that repost or reply to an item (``column``)."""
    return (
        posts.select(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("row"), pl.col(column).alias("target")
        )
        .filter(pl.col("target").is_not_null())
        .with_columns(pl.col("target").hash(seed=HASH_SEED).reinterpret(signed=True).alias("key"))
    )


def list_table(posts: pl.DataFrame, column: str) -> pl.DataFrame:
    """``row, key, value`` for every value of a list column (hashtags, media hashes, a column the
    user named) of posts that are not plain reposts (a repost copies them)."""
    if column not in posts.columns:
        return pl.DataFrame(schema={"row": pl.Int64, "key": pl.Int64, "value": pl.String})
    values = pl.col(column)
    if posts.schema[column] == pl.String:
        values = values.str.split(" ")
    return (
        posts.select(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
            values.alias("v"),
            pl.col("repost_of"),
        )
        .filter(pl.col("repost_of").is_null())
        .explode("v")
        .filter(pl.col("v").is_not_null() & (pl.col("v").str.len_bytes() > 0))
        .select(
            "row",
            pl.col("v").hash(seed=HASH_SEED + 1).reinterpret(signed=True).alias("key"),
            pl.col("v").alias("value"),
        )
        .unique(["row", "key"])
        .sort("row")
    )


def domain_table(posts: pl.DataFrame) -> pl.DataFrame:
    """``row, key, value`` for the domain of every link (``example.org`` of
    ``example.org/a``)."""
    links = link_table(posts)
    return (
        links.select("row", pl.col("url").str.extract(r"^([^/?#]+)", 1).alias("d"))
        .drop_nulls("d")
        .unique(["row", "d"])
        .select(
            "row",
            pl.col("d").hash(seed=HASH_SEED + 2).reinterpret(signed=True).alias("key"),
            pl.col("d").alias("value"),
        )
        .sort("row")
    )
