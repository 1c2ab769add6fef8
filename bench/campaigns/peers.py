"""The peers of the benchmark, each run in its own process by run.py:
coordination-network-toolkit (loading its SQLite database, then each network) and
datasketch's MinHashLSH."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

WINDOW = 60
MIN_WEIGHT = 3
THRESHOLD = 0.7


def cnt_csv(data: Path, out: Path, only_urls: bool) -> Path:
    import polars as pl

    path = out / ("cnt_urls.csv" if only_urls else "cnt.csv")
    posts = pl.read_parquet(data / "posts.parquet")
    if only_urls:
        posts = posts.filter(pl.col("urls").list.len() > 0)
    posts.select(
        pl.col("id").alias("message_id"),
        pl.col("account").alias("user_id"),
        pl.col("account").alias("username"),
        pl.col("repost_of").fill_null("").alias("repost_id"),
        pl.col("reply_to").fill_null("").alias("reply_id"),
        pl.col("text").fill_null("").str.replace_all(r"[\r\n]", " ").alias("message"),
        pl.col("timestamp"),
        pl.col("urls").list.join(" ").alias("urls"),
    ).write_csv(path)
    return path


def worker_cnt_load(data: Path, out: Path, only_urls: bool) -> dict:
    from coordination_network_toolkit.preprocess import preprocess_csv_files

    csv = cnt_csv(data, out, only_urls)
    db = out / ("cnt_urls.db" if only_urls else "cnt.db")
    db.unlink(missing_ok=True)
    t = time.perf_counter()
    preprocess_csv_files(str(db), [str(csv)])
    return {"seconds": time.perf_counter() - t}


def worker_cnt_network(out: Path, network: str) -> dict:
    from coordination_network_toolkit import compute_networks as cn

    db = str(out / ("cnt_urls.db" if network == "co_link" else "cnt.db"))
    t = time.perf_counter()
    if network == "co_tweet":
        cn.compute_co_tweet_network(db, WINDOW, min_edge_weight=MIN_WEIGHT, n_threads=2)
    elif network == "co_link":
        cn.compute_co_link_network(db, WINDOW, n_threads=2, min_edge_weight=MIN_WEIGHT)
    elif network == "co_retweet":
        cn.compute_co_retweet_parallel(db, WINDOW, n_threads=2, min_edge_weight=MIN_WEIGHT)
    elif network == "co_reply":
        cn.compute_co_reply_network(db, WINDOW, min_edge_weight=MIN_WEIGHT, n_threads=2)
    else:
        cn.compute_co_similar_tweet(
            db, WINDOW, n_threads=2, similarity_threshold=THRESHOLD, min_edge_weight=MIN_WEIGHT
        )
    seconds = time.perf_counter() - t
    con = sqlite3.connect(db)
    rows = con.execute(f"select user_1, user_2, weight from {network}_network").fetchall()
    directed = {(a, b): w for a, b, w in rows if a != b}
    edges = sorted(
        {
            tuple(sorted((a, b)))
            for (a, b), w in directed.items()
            if min(w, directed.get((b, a), 0)) >= MIN_WEIGHT
        }
    )
    return {"seconds": seconds, "edges": [list(e) for e in edges]}


def worker_datasketch(data: Path) -> dict:
    import polars as pl
    from datasketch import MinHash, MinHashLSH

    from amparo.engines.campaigns.keys import text_table

    t = time.perf_counter()
    posts = pl.read_parquet(data / "posts.parquet")
    texts = text_table(posts)
    uniq = texts.select("h", "norm").unique("h").filter(pl.col("norm").str.len_chars() >= 12)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
    sigs = {}
    for h, norm in uniq.iter_rows():
        m = MinHash(num_perm=128)
        m.update_batch([norm[i : i + 5].encode() for i in range(max(len(norm) - 4, 1))])
        sigs[h] = m
        lsh.insert(h, m)
    parent: dict = {}

    def find(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for h, m in sigs.items():
        for other in lsh.query(m):
            if other != h and m.jaccard(sigs[other]) >= THRESHOLD:
                ra, rb = find(h), find(other)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    seconds = time.perf_counter() - t
    cluster_of_h = {h: str(find(h)) for h in sigs}
    ids = posts["id"].to_list()
    clusters = {
        ids[r]: cluster_of_h.get(h, str(h)) for r, h in texts.select("row", "h").iter_rows()
    }
    return {"seconds": seconds, "clusters": clusters}
