"""Text clusters on Spark: the local engine's :mod:`.textsim` (or :mod:`.keys`) clusters,
computed by Spark tasks that call the very same functions.

* Each post's text is folded (or normalised) and hashed by :func:`.keys.text_table`
  inside a ``mapInArrow`` task; distinct texts are a ``groupBy`` of the hash.
* Character shingles: texts of at least ``min_chars`` characters get their MinHash
  signature and LSH band keys from :func:`.minhash.signatures` and
  :func:`.minhash.band_keys`.
* Content words: :func:`.textsim.word_table` splits each distinct text into its words
  (inside a task); the data's stop words (in more than ``stop_share`` of the distinct
  texts) are a ``groupBy`` of the word hash; texts keeping at least ``min_words`` words
  get their signature from :func:`.textsim.word_signatures`.
* Inside an LSH bucket, in the order of the text hash, every member is paired with its
  neighbour and with the bucket's first member, as :func:`.minhash.candidate_pairs` does;
  candidates are verified by :func:`.minhash.pair_similarity` in a task.

The driver receives the verified pairs (few), takes their connected components, and names
each cluster by its smallest hash, as the local engine does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
import pyarrow as pa

from . import keys, minhash, textsim
from .model import Params
from .spark_null import cached

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

Task = Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]


def _frame(batch: pa.RecordBatch) -> pl.DataFrame:
    frame = pl.from_arrow(pa.Table.from_batches([batch]))
    assert isinstance(frame, pl.DataFrame)
    return frame


def _text_task(fold: bool) -> Task:
    """posts (row, text, repost_of) -> (row, norm, h) by :func:`.keys.text_table`."""

    def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            frame = _frame(batch)
            table = keys.text_table(frame, fold=fold)
            out = table.with_columns(frame["row"].gather(table["row"]).alias("row"))
            yield from out.select("row", "norm", "h").to_arrow().to_batches()

    return task


def _signed(h: np.ndarray, sig: np.ndarray, bands: int, rows: int) -> pa.RecordBatch:
    """``h, sig, bkeys``: each text's bin-major signature as bytes and its band keys."""
    bk = minhash.band_keys(sig, bands, rows).view(np.int64)
    doc_major = np.ascontiguousarray(sig.T)
    return pa.RecordBatch.from_pydict(
        {
            "h": pa.array(h, type=pa.int64()),
            "sig": pa.array([r.tobytes() for r in doc_major], type=pa.binary()),
            "bkeys": pa.array(bk.tolist(), type=pa.list_(pa.int64())),
        }
    )


def _shingle_task(shingle: int, bands: int, rows: int) -> Task:
    """(h, norm) -> (h, sig, bkeys) of character shingles (:func:`.minhash.signatures`)."""

    def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            frame = _frame(batch)
            if frame.height == 0:
                continue
            sig = minhash.signatures(frame["norm"], k=shingle)
            yield _signed(frame["h"].to_numpy(), sig, bands, rows)

    return task


def _words_task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """(h, norm) -> (h, w): the distinct words of each text, as :func:`.textsim.word_table`
    splits and hashes them (``stop_share=1``: no word is in more than all the texts, so
    the stop words are left to the ``groupBy`` over every text)."""
    for batch in batches:
        frame = _frame(batch)
        if frame.height == 0:
            continue
        doc, h, _stop = textsim.word_table(frame["norm"], stop_share=1.0)
        yield pa.RecordBatch.from_pydict(
            {
                "h": pa.array(frame["h"].to_numpy()[doc], type=pa.int64()),
                "w": pa.array(h.view(np.int64), type=pa.int64()),
            }
        )


def _word_signature_task(bands: int, rows: int) -> Task:
    """(h, ws) -> (h, sig, bkeys) of content-word sets (:func:`.textsim.word_signatures`)."""

    def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            m = batch.num_rows
            if m == 0:
                continue
            ws = batch.column("ws")
            lengths = ws.value_lengths().to_numpy(zero_copy_only=False).astype(np.int64)
            flat = ws.flatten().to_numpy(zero_copy_only=False).astype(np.int64)
            doc = np.repeat(np.arange(m, dtype=np.int64), lengths)
            sig = textsim.word_signatures(doc, flat.view(np.uint64), m)
            h = batch.column("h").to_numpy(zero_copy_only=False)
            yield _signed(h, sig, bands, rows)

    return task


def _verify_task(threshold: float) -> Task:
    def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            m = batch.num_rows
            if m == 0:
                continue
            lo = np.frombuffer(b"".join(batch.column("sig_lo").to_pylist()), dtype=np.uint32)
            hi = np.frombuffer(b"".join(batch.column("sig_hi").to_pylist()), dtype=np.uint32)
            sig = np.concatenate([lo.reshape(m, -1), hi.reshape(m, -1)]).T.copy()
            idx = np.arange(m, dtype=np.int64)
            sim = minhash.pair_similarity(sig, np.stack([idx, idx + m], axis=1), floor=threshold)
            yield pa.RecordBatch.from_pydict(
                {
                    "lo": batch.column("lo"),
                    "hi": batch.column("hi"),
                    "sim": pa.array(sim, type=pa.float32()),
                }
            )

    return task


def lsh_pairs(signed: DataFrame, threshold: float) -> DataFrame:
    """Verified ``(lo, hi)`` text hashes of a Spark frame of ``h, sig, bkeys``."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    buckets = signed.select("h", F.posexplode("bkeys").alias("band", "bkey"))
    # Inside a bucket, in the order of h: every member with its neighbour and with the
    # first member, exactly as minhash.candidate_pairs does.
    w = Window.partitionBy("band", "bkey").orderBy("h")
    ranked = buckets.withColumn("prev", F.lag("h").over(w)).withColumn(
        "first", F.first("h").over(w)
    )
    cand = (
        ranked.select(F.col("prev").alias("a"), F.col("h").alias("b"))
        .union(ranked.select(F.col("first").alias("a"), F.col("h").alias("b")))
        .filter(F.col("a").isNotNull() & (F.col("a") != F.col("b")))
        .select(F.least("a", "b").alias("lo"), F.greatest("a", "b").alias("hi"))
        .distinct()
    )
    sigs = signed.select("h", "sig")
    joined = (
        cand.join(sigs.withColumnRenamed("h", "lo").withColumnRenamed("sig", "sig_lo"), "lo")
        .join(sigs.withColumnRenamed("h", "hi").withColumnRenamed("sig", "sig_hi"), "hi")
        .select("lo", "hi", "sig_lo", "sig_hi")
    )
    verified = joined.mapInArrow(_verify_task(threshold), "lo long, hi long, sim float")
    return verified.filter(F.col("sim") >= F.lit(threshold - 1e-6)).select("lo", "hi")


def _word_pairs(
    uniq: DataFrame, n_texts: int, params: Params, stats: dict[str, Any], held: list[DataFrame]
) -> DataFrame:
    """Verified pairs of texts whose content-word sets are similar (``textsim.word_pairs``)."""
    from pyspark.sql import functions as F

    words = cached(uniq.mapInArrow(_words_task, "h long, w long"), held)
    limit = max(50, int(params.stop_share * n_texts))
    stop = cached(words.groupBy("w").count().filter(F.col("count") > limit).select("w"), held)
    stats["stop_words"] = stop.count()
    live = (
        words.join(F.broadcast(stop), "w", "left_anti")
        .groupBy("h")
        .agg(F.collect_list("w").alias("ws"))
        .filter(F.size("ws") >= params.min_words)
    )
    bands, rows = minhash.choose_bands(params.word_threshold)
    signed = cached(
        live.mapInArrow(_word_signature_task(bands, rows), "h long, sig binary, bkeys array<long>"),
        held,
    )
    stats["word_texts"] = signed.count()
    return lsh_pairs(signed, params.word_threshold)


def text_clusters(
    spark: SparkSession, sposts: DataFrame, params: Params, held: list[DataFrame]
) -> tuple[DataFrame, dict[str, Any]]:
    """Spark frame ``(row, cluster, h)`` with the local engine's cluster keys, and the
    statistics the local engine reports; the frames it caches are added to ``held``."""
    from pyspark.sql import functions as F

    texts = cached(
        sposts.select("row", "text", "repost_of").mapInArrow(
            _text_task(params.fold), "row long, norm string, h long"
        ),
        held,
    )
    uniq = cached(texts.groupBy("h").agg(F.first("norm").alias("norm")), held)
    n_texts = uniq.count()
    stats: dict[str, Any] = {"unique_texts": n_texts}
    long = uniq.filter(F.length("norm") >= params.min_chars)
    bands, rows = minhash.choose_bands(params.threshold)
    signed = cached(
        long.mapInArrow(
            _shingle_task(params.shingle, bands, rows), "h long, sig binary, bkeys array<long>"
        ),
        held,
    )
    stats["hashed_texts"] = signed.count()
    char = pl.from_arrow(lsh_pairs(signed, params.threshold).toArrow())
    assert isinstance(char, pl.DataFrame)
    found = [char]
    if params.word_threshold > 0:
        words = pl.from_arrow(_word_pairs(uniq, n_texts, params, stats, held).toArrow())
        assert isinstance(words, pl.DataFrame)
        stats["word_pairs"] = words.height
        found.append(words)
    pairs = pl.concat(found)
    stats["verified_pairs"] = pairs.height
    # connected components on the driver, cluster = smallest h (as the local engine)
    hs = np.unique(np.concatenate([pairs["lo"].to_numpy(), pairs["hi"].to_numpy()]))
    lo_i = np.searchsorted(hs, pairs["lo"].to_numpy())
    hi_i = np.searchsorted(hs, pairs["hi"].to_numpy())
    labels = minhash.cluster_labels(len(hs), np.stack([lo_i, hi_i], axis=1).astype(np.int64))
    smallest = np.full(len(hs), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, labels, hs)
    mapping = spark.createDataFrame(
        pa.table({"h": pa.array(hs, pa.int64()), "cluster": pa.array(smallest[labels], pa.int64())})
    )
    clusters = texts.join(mapping, "h", "left").select(
        "row", F.coalesce("cluster", "h").alias("cluster"), "h"
    )
    return clusters, stats
