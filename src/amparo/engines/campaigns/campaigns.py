"""Assemble campaigns from groups, co-acting pairs and bursts, with their evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from . import keys
from .bursts import Burst
from .coaction import Pairs
from .mobs import Mob
from .model import BURST_KIND, FLASH_MOB_KIND, KIND_BY_SIGNAL, Campaign, Params, campaign_id

if TYPE_CHECKING:
    from .detect import Events

TOP = 5
MENTION_RE = r"@([\w.]+)"


def coordinated_rows(pairs: dict[str, Pairs], post_group: np.ndarray) -> pl.DataFrame:
    """``row, group, kind, key`` of every post that co-acted with a member of its own group."""
    parts = []
    for kind, p in pairs.items():
        if len(p) == 0:
            continue
        gl, gr = post_group[p.left], post_group[p.right]
        inside = (gl == gr) & (gl >= 0)
        rows = np.concatenate([p.left[inside], p.right[inside]])
        grp = np.concatenate([gl[inside], gl[inside]])
        key = np.concatenate([p.key[inside], p.key[inside]])
        parts.append(
            pl.DataFrame({"row": rows, "group": grp, "key": key}).with_columns(
                pl.lit(kind).alias("kind")
            )
        )
    if not parts:
        return pl.DataFrame(
            schema={"row": pl.Int64, "group": pl.Int64, "key": pl.Int64, "kind": pl.String}
        )
    return pl.concat(parts).unique()


def _targets(posts: pl.DataFrame, rows: np.ndarray) -> pl.DataFrame:
    """``row, target`` accounts a post addresses: author of the item it replies to or
    reposts, and accounts it mentions."""
    sub = posts.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("row"), "reply_to", "repost_of", "text"
    ).filter(pl.col("row").is_in(rows))
    owners = posts.select(pl.col("id"), pl.col("account").alias("owner"))
    items = (
        pl.concat(
            [
                sub.select("row", pl.col(c).alias("id")).drop_nulls("id")
                for c in ("reply_to", "repost_of")
            ]
        )
        .join(owners, on="id", how="inner")
        .select("row", pl.col("owner").alias("target"))
    )
    mentions = (
        sub.select("row", pl.col("text").str.extract_all(MENTION_RE).alias("m"))
        .explode("m")
        .drop_nulls("m")
        .select("row", pl.col("m").str.slice(1).alias("target"))
    )
    return pl.concat([items, mentions]).unique()


def build_campaigns(
    posts: pl.DataFrame,
    groups: list[list[str]],
    pairs: dict[str, Pairs],
    ev: Events,
    bursts: list[Burst],
    params: Params,
    mobs: list[Mob] | None = None,
) -> tuple[list[Campaign], dict[str, str]]:
    mapping = {name: i for i, grp in enumerate(groups) for name in grp}
    post_group = (
        posts["account"].replace_strict(mapping, default=-1, return_dtype=pl.Int64).to_numpy()
    )
    coord = coordinated_rows(pairs, post_group)
    ts = posts["timestamp"].to_numpy()
    ids = posts["id"].to_numpy()
    texts = posts["text"]
    link_url = ev.links.select("key", "url").unique("key") if ev.links is not None else None
    members_posts = np.bincount(post_group[post_group >= 0], minlength=len(groups))
    origins = _origins(posts, ev, coord)
    campaigns: list[Campaign] = []
    by_group: dict[int, pl.DataFrame] = {int(g): part for (g,), part in coord.group_by(["group"])}
    for gi, accounts in enumerate(groups):
        part = by_group.get(gi, coord.clear())
        rows = np.unique(part["row"].to_numpy())
        rows = rows[np.argsort(ts[rows], kind="stable")]
        per_kind = {
            k: {"posts": int(n), "keys": int(nk)}
            for k, n, nk in part.group_by("kind")
            .agg(pl.col("row").n_unique(), pl.col("key").n_unique())
            .sort("kind")
            .iter_rows()
        }
        signals = sorted(per_kind, key=lambda k: (-per_kind[k]["posts"], k))
        kind = KIND_BY_SIGNAL.get(signals[0], "coordinated") if signals else "coordinated"
        start = int(ts[rows].min()) if rows.size else 0
        end = int(ts[rows].max()) if rows.size else 0
        share = rows.size / max(int(members_posts[gi]), 1)
        evidence: dict = {"per_kind": per_kind, "coordinated_share": round(share, 4)}
        if "text" in per_kind:
            t = (
                part.filter(pl.col("kind") == "text")
                .group_by("key")
                .agg(pl.col("row").n_unique().alias("posts"), pl.col("row").min().alias("first"))
                .sort(["posts", "key"], descending=[True, False])
                .head(TOP)
            )
            evidence["texts"] = [
                {"text": texts[int(r)], "posts": int(n)} for _, n, r in t.iter_rows()
            ]
        if "link" in per_kind and link_url is not None:
            t = (
                part.filter(pl.col("kind") == "link")
                .group_by("key")
                .agg(pl.col("row").n_unique().alias("posts"))
                .join(link_url, on="key", how="left")
                .sort(["posts", "url"], descending=[True, False])
                .head(TOP)
            )
            evidence["links"] = [{"url": u, "posts": int(n)} for _, n, u in t.iter_rows()]
        for k, column in (("repost", "repost_of"), ("reply", "reply_to")):
            if k in per_kind:
                k_rows = np.unique(part.filter(pl.col("kind") == k)["row"].to_numpy())
                t = (
                    pl.DataFrame({"target": posts[column].gather(k_rows)})
                    .group_by("target")
                    .len()
                    .sort(["len", "target"], descending=[True, False])
                    .head(TOP)
                )
                evidence[f"{k}_targets"] = [{"item": i, "posts": int(n)} for i, n in t.iter_rows()]
        for k, labels in ev.labels.items():
            if k in per_kind:
                t = (
                    part.filter(pl.col("kind") == k)
                    .group_by("key")
                    .agg(pl.col("row").n_unique().alias("posts"))
                    .join(labels, on="key", how="left")
                    .sort(["posts", "value"], descending=[True, False])
                    .head(TOP)
                )
                evidence[f"{k}_values"] = [
                    {"value": v, "posts": int(n)} for _, n, v in t.iter_rows()
                ]
        origin = origins.filter(pl.col("group") == gi)
        if origin.height:
            _g, account, n_posts, total = origin.row(0)
            evidence["origin"] = {"account": account, "share": round(n_posts / total, 4)}
        score = round(share, 4)
        campaigns.append(
            Campaign(
                id=campaign_id(kind, accounts, start),
                kind=kind,
                score=score,
                accounts=list(accounts),
                items=[str(x) for x in ids[rows]],
                start=start,
                end=end,
                signals=signals,
                evidence=evidence,
            )
        )
    for mob in mobs or []:
        campaigns.append(_mob_campaign(posts, mob, ev, ids, texts, ts))
    _link_bursts(posts, campaigns, coord, bursts, params, ts)
    campaigns.sort(key=lambda c: (c.kind == BURST_KIND, -len(c.accounts) * c.score, c.id))
    group_of = {name: campaigns_for(campaigns, groups, i) for name, i in mapping.items()}
    return campaigns, group_of


def _origins(posts: pl.DataFrame, ev: Events, coord: pl.DataFrame) -> pl.DataFrame:
    """Per group, the account that first posted most of the texts, links and items the
    group co-acted on, and how many of its coordinated posts that covers (``group, account,
    posts, total``). Relays (aggregators re-posting one outlet, fans of one account) have
    one origin for nearly everything; a campaign's waves start from different members or
    from no one in the data."""
    if coord.height == 0:
        return pl.DataFrame(
            schema={"group": pl.Int64, "account": pl.String, "posts": pl.UInt32, "total": pl.UInt32}
        )
    ts = posts["timestamp"]
    firsts = []
    tables = []
    if ev.text_clusters is not None and ev.text_clusters.height:
        tables.append(("text", ev.text_clusters.select("row", pl.col("cluster").alias("key"))))
    if ev.links is not None and ev.links.height:
        tables.append(("link", ev.links.select("row", "key")))
    for kind, rows_keys in tables:
        firsts.append(
            rows_keys.with_columns(ts.gather(rows_keys["row"]).alias("t"))
            .sort("t", "row")
            .unique("key", keep="first")
            .select("key", pl.col("row").alias("first"), pl.lit(kind).alias("kind"))
        )
    ids = posts.select(pl.col("id"), pl.int_range(pl.len(), dtype=pl.Int64).alias("first"))
    for kind, column in (("repost", "repost_of"), ("reply", "reply_to")):
        items = keys.item_table(posts, column)
        if items.height:
            firsts.append(
                items.select("key", pl.col("target").alias("id"))
                .unique("key")
                .join(ids, on="id")
                .select("key", "first", pl.lit(kind).alias("kind"))
            )
    if not firsts:
        return pl.DataFrame(
            schema={"group": pl.Int64, "account": pl.String, "posts": pl.UInt32, "total": pl.UInt32}
        )
    first = pl.concat(firsts)
    acc = posts["account"]
    joined = coord.join(first, on=["kind", "key"], how="inner")
    joined = joined.with_columns(pl.Series("account", acc.gather(joined["first"])))
    totals = coord.group_by("group").agg(pl.col("row").n_unique().alias("total"))
    return (
        joined.group_by("group", "account")
        .agg(pl.col("row").n_unique().alias("posts"))
        .sort(["posts", "account"], descending=[True, False])
        .unique("group", keep="first")
        .join(totals, on="group")
        .select("group", "account", "posts", "total")
    )


def _mob_campaign(
    posts: pl.DataFrame, mob: Mob, ev: Events, ids: np.ndarray, texts: pl.Series, ts: np.ndarray
) -> Campaign:
    """A flash mob as a campaign: its score is the share of the item's posts inside the
    burst (1.0: the item exists only because of the mob)."""
    rows = mob.rows[np.argsort(ts[mob.rows], kind="stable")]
    evidence: dict = {
        "accounts": len(mob.accounts),
        "posts": int(rows.size),
        "seconds": int(mob.end - mob.start),
        "concentration": mob.concentration,
        "new_accounts_share": mob.novelty,
        "items": [k for k, _ in mob.keys],
    }
    text_rows = [int(r) for r in rows if texts[int(r)] is not None][:TOP]
    if text_rows:
        evidence["texts"] = [{"text": texts[text_rows[0]], "posts": int(rows.size)}]
    if ev.links is not None:
        urls = (
            ev.links.filter(pl.col("row").is_in(rows))
            .group_by("url")
            .len()
            .sort(["len", "url"], descending=[True, False])
            .head(TOP)
        )
        if urls.height:
            evidence["links"] = [{"url": u, "posts": int(n)} for u, n in urls.iter_rows()]
    return Campaign(
        id=campaign_id(FLASH_MOB_KIND, mob.accounts, mob.start),
        kind=FLASH_MOB_KIND,
        score=mob.concentration,
        accounts=mob.accounts,
        items=[str(x) for x in ids[rows]],
        start=mob.start,
        end=mob.end,
        signals=sorted({k for k, _ in mob.keys}),
        evidence=evidence,
    )


def campaigns_for(campaigns: list[Campaign], groups: list[list[str]], i: int) -> str:
    members = groups[i]
    for c in campaigns:
        if c.kind != BURST_KIND and c.accounts == members:
            return c.id
    return ""


def _link_bursts(
    posts: pl.DataFrame,
    campaigns: list[Campaign],
    coord: pl.DataFrame,
    bursts: list[Burst],
    params: Params,
    ts: np.ndarray,
) -> None:
    """Add a campaign per burst and link it to the groups that addressed its targets."""
    group_campaigns = list(campaigns)
    rows = np.unique(coord["row"].to_numpy()) if coord.height else np.zeros(0, np.int64)
    targets = (
        _targets(posts, rows)
        if rows.size
        else pl.DataFrame(schema={"row": pl.Int64, "target": pl.String})
    )
    row_group = coord.select("row", "group").unique()
    for b in bursts:
        bid = campaign_id(BURST_KIND, [b.community], b.start)
        hit = targets.filter(pl.col("target").is_in(b.accounts)).join(row_group, on="row")
        linked: list[str] = []
        link_evidence = []
        if hit.height:
            t_rows = hit["row"].to_numpy()
            when = ts[t_rows]
            ok = (when >= b.start - params.link_lookback) & (when <= b.end)
            hit = hit.filter(pl.Series(ok))
            for (g,), part in hit.group_by(["group"]):
                n = part["row"].n_unique()
                if n >= params.link_min_posts:
                    c = group_campaigns[int(g)]
                    linked.append(c.id)
                    c.linked.append(bid)
                    if "burst" not in c.signals:
                        c.signals.append("burst")
                    c.evidence.setdefault("bursts", []).append(
                        {"burst": bid, "posts_addressing_targets": int(n)}
                    )
                    link_evidence.append({"campaign": c.id, "posts_addressing_targets": int(n)})
        linked.sort()
        campaigns.append(
            Campaign(
                id=bid,
                kind=BURST_KIND,
                score=b.score,
                accounts=b.accounts,
                items=b.items,
                start=b.start,
                end=b.end,
                signals=["burst"],
                evidence={
                    "community": b.community,
                    "count": b.count,
                    "expected": b.expected,
                    "actions": b.actions,
                    "linked_groups": sorted(link_evidence, key=lambda d: d["campaign"]),
                },
                linked=linked,
            )
        )
