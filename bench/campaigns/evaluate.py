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
