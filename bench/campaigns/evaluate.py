"""Scores of a detector's groups against the generator's truth, per kind of case.

A *reported group* is any campaign that is not an enforcement burst (co-action groups and
flash mobs alike). For each kind of planted case: account recall (share of its planted
accounts in some reported group) and groups recovered (share of its planted groups that
some reported group matches with Jaccard similarity >= 0.8). Overall: precision (share
of the accounts in reported groups that are planted), recall, and the organic accounts
flagged: all of them, and those of each hyperactive role (outlets, aggregators, news
junkies, celebrities, fans).
"""

from __future__ import annotations

from collections import defaultdict


def group_scores(groups: list[list[str]], truth: dict) -> dict:
    planted = {a for g in truth["groups"] for a in g["accounts"]}
    found = {a for g in groups for a in g}
    tp = len(found & planted)
    sets = [set(g) for g in groups]
    index: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for a in s:
            index[a].append(i)
    per_kind: dict[str, dict] = {}
    recovered_all = 0
    for g in truth["groups"]:
        m = set(g["accounts"])
        cands = {i for a in m for i in index.get(a, [])}
        best = max((len(m & sets[i]) / len(m | sets[i]) for i in cands), default=0.0)
        k = per_kind.setdefault(g["kind"], {"groups": 0, "recovered": 0, "accounts": 0, "found": 0})
        k["groups"] += 1
        k["recovered"] += best >= 0.8
        k["accounts"] += len(m)
        k["found"] += len(m & found)
        recovered_all += best >= 0.8
    for k in per_kind.values():
        k["recall"] = k["found"] / k["accounts"] if k["accounts"] else 0.0
    organic = found - planted
    roles = {
        role: len(found & set(accounts))
        for role, accounts in (truth.get("organic_roles") or {}).items()
    }
    return {
        "precision": tp / len(found) if found else 0.0,
        "recall": tp / len(planted) if planted else 0.0,
        "groups_recovered": recovered_all / len(truth["groups"]) if truth["groups"] else 0.0,
        "groups_found": len(groups),
        "organic_flagged": len(organic),
        "roles_flagged": roles,
        "per_kind": per_kind,
    }


def format_scores(sc: dict) -> str:
    lines = [
        f"precision {sc['precision']:.3f} recall {sc['recall']:.3f} "
        f"groups {sc['groups_recovered']:.3f} ({sc['groups_found']} reported), "
        f"organic flagged {sc['organic_flagged']} {sc['roles_flagged']}"
    ]
    for kind, k in sc["per_kind"].items():
        lines.append(
            f"  {kind:16s} recall {k['recall']:.3f}  groups {k['recovered']}/{k['groups']}"
        )
    return "\n".join(lines)


#: Organic accounts that share what goes viral: those that posted on a link or reposted an
#: item that at least this many distinct accounts acted on.
VIRAL_ACCOUNTS = 100
HYPERACTIVE = ("outlets", "aggregators", "junkies", "celebrities")


def add_viral_organic(truth: dict, posts_path) -> None:
    """Add ``viral_organic`` to the truth's organic roles: the accounts, neither planted nor
    hyperactive, that took part in a viral link or repost cascade (or are a celebrity's fans):
    the organic virality a detector must not flag."""
    import polars as pl

    posts = pl.scan_parquet(posts_path).select("account", "urls", "repost_of")
    links = (
        posts.select("account", pl.col("urls").alias("key"))
        .explode("key")
        .drop_nulls("key")
        .with_columns(pl.col("key").cast(pl.String))
    )
    reposts = posts.select("account", pl.col("repost_of").cast(pl.String).alias("key")).drop_nulls(
        "key"
    )
    events = pl.concat([links, reposts])
    viral_keys = (
        events.group_by("key")
        .agg(pl.col("account").n_unique().alias("n"))
        .filter(pl.col("n") >= VIRAL_ACCOUNTS)
        .select("key")
    )
    accounts = set(
        events.join(viral_keys, on="key").select("account").unique().collect()["account"].to_list()
    )
    roles = truth.setdefault("organic_roles", {})
    planted = {a for g in truth["groups"] for a in g["accounts"]}
    hyper = {a for r in HYPERACTIVE for a in roles.get(r, [])}
    viral = (accounts | set(roles.get("fans", []))) - planted - hyper
    roles["viral_organic"] = sorted(viral)


def organic_shares(sc: dict, truth: dict) -> dict:
    """Flagged share of the hyperactive accounts and of the viral-organic ones."""
    roles = truth.get("organic_roles") or {}
    flagged = sc.get("roles_flagged", {})
    n_hyper = sum(len(roles.get(r, [])) for r in HYPERACTIVE)
    f_hyper = sum(flagged.get(r, 0) for r in HYPERACTIVE)
    n_viral = len(roles.get("viral_organic", []))
    f_viral = flagged.get("viral_organic", 0)
    return {
        "hyperactive": [f_hyper, n_hyper],
        "viral_organic": [f_viral, n_viral],
    }
