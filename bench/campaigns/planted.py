"""Planted coordinated groups, one-off flash mobs and enforcement actions.

Every planted group is a set of accounts that act in waves; in each wave 50-90 % of the
members take part (every member in at least three waves). What they do and how tightly
in time depends on the kind (``KINDS``). Members of most kinds are ordinary-looking
accounts that also post background content at a low rate; members of ``amplifiers`` are
hyperactive accounts (200 posts a day, like the news junkies of the organic traffic) whose
coordinated reposts are a small share of what they post.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from textgen import (
    CROSS_SCRIPT_LANGS,
    LANGS,
    PLANTED_LANGS,
    cross_script,
    edit,
    join_clauses,
    paraphrase,
)

if TYPE_CHECKING:
    from generate import Builder, World

#: kind -> (what the members post, how many seconds a wave lasts: fixed or (lo, hi))
KINDS: dict[str, tuple[str, int | tuple[int, int]]] = {
    "copy_paste": ("edited copy", 45),
    "paraphrase": ("paraphrase", 45),
    "slow_paraphrase": ("paraphrase", (300, 600)),
    "cross_script": ("cross-script copy", 60),
    "link_sharing": ("link", 30),
    "slow_link": ("link", (300, 600)),
    "repost_ring": ("repost", 50),
    "slow_repost": ("repost", (300, 600)),
    "reply_brigade": ("reply", 45),
    "amplifiers": ("amplify", 60),
}
CLASSIC_KINDS = ("copy_paste", "link_sharing", "repost_ring", "reply_brigade")
HARD_KINDS = tuple(KINDS)
FLASH_MOB = "flash_mob"


def group_plan(rng: np.random.Generator, n_groups: int, kinds: tuple[str, ...]) -> list[dict]:
    plan = []
    for g in range(n_groups):
        kind = kinds[g % len(kinds)]
        lo, hi = (3, 13) if kind == "amplifiers" else (3, 61)
        if kinds == CLASSIC_KINDS:
            lo = 8
        plan.append({"id": f"g{g:03d}", "kind": kind, "size": int(rng.integers(lo, hi))})
    return plan


def assign_languages(world: World, plan: list[dict]) -> None:
    """Every member of a group writes in the group's language (set before the members'
    background posts are written)."""
    for gi, info in enumerate(plan):
        members = info["members"]
        kind = info["kind"]
        if kind in CLASSIC_KINDS:
            lang = LANGS[world.lang_of[members[0]]]
        else:
            langs = CROSS_SCRIPT_LANGS if kind == "cross_script" else PLANTED_LANGS
            lang = langs[gi % len(langs)]
        info["language"] = lang
        world.lang_of[members] = LANGS.index(lang)


def plant(world: World, b: Builder, plan: list[dict], planted_posts: int) -> dict:
    """Write the waves of every planted group; returns the truth about them."""
    rng, names, vocab = world.rng, world.names, world.vocab
    truth_groups, truth_bursts, actions = [], [], []
    template_of: dict[str, str] = {}
    per_group_posts = max(30, planted_posts // max(len(plan), 1))
    used_comms: set[int] = set()
    for gi, info in enumerate(plan):
        members = np.asarray(info["members"])
        kind, gname = info["kind"], info["id"]
        what, spread = KINDS[kind]
        lang = info["language"]
        waves = int(np.clip(per_group_posts // max(1, int(len(members) * 0.7)), 6, 40))
        wave_t = np.sort(rng.integers(3600, world.span - 2 * 86400, waves))
        out: dict = {"id": gname, "kind": kind, "accounts": sorted(names[members].tolist())}
        out["language"] = lang
        templates = vocab.sentences(rng, lang, 3, 10, 22)
        clause_tpls = [vocab.clauses(rng, lang) for _ in range(3)]
        tags = [vocab.word(rng, lang) for _ in range(3)]
        targets = np.zeros(0, dtype=np.int64)
        comm = -1
        if kind == "reply_brigade":
            comm = int(rng.integers(0, world.n_comm))
            used_comms.add(comm)
            pool = world.community_pool(comm)
            targets = rng.choice(pool, size=min(len(pool), int(rng.integers(5, 15))), replace=False)
        shares = rng.uniform(0.5, 0.9, waves)
        takes_part = rng.random((len(members), waves)) < shares[None, :]
        for m in np.nonzero(takes_part.sum(axis=1) < 3)[0]:
            takes_part[m, rng.choice(waves, size=min(3, waves), replace=False)] = True
        for w, wt in enumerate(wave_t):
            who = members[takes_part[:, w]]
            if len(who) < 2:
                who = members[:2]
            length = spread if isinstance(spread, int) else int(rng.integers(*spread))
            offsets = rng.integers(0, length + 1, len(who))
            tpl_id = f"{gname}/t{w % 3}"
            if what in ("edited copy", "paraphrase", "cross-script copy"):
                for a, off in zip(who, offsets, strict=True):
                    if what == "edited copy":
                        text = edit(rng, templates[w % 3], lang)
                    elif what == "paraphrase":
                        text = paraphrase(rng, vocab, clause_tpls[w % 3], lang, tags)
                    else:
                        text = cross_script(rng, join_clauses(clause_tpls[w % 3], lang), lang)
                    pid = b.add(names[a], world.t0 + wt + off, text, platform="x")
                    template_of[pid] = tpl_id
            elif what == "link":
                url = f"https://site{gi}.example/a/{w}{rng.integers(1e6)}"
                if rng.random() < 0.2:
                    url = world.urls[int(rng.integers(0, 20))]
                for a, off in zip(who, offsets, strict=True):
                    text = vocab.sentences(rng, lang, 1, 4, 12)[0] + " " + url
                    b.add(names[a], world.t0 + wt + off, text, [url], platform="x")
            elif what in ("repost", "amplify"):
                src = members[int(rng.integers(0, len(members)))]
                item = b.add(names[src], world.t0 + wt - 5, vocab.sentences(rng, lang, 1, 6, 16)[0])
                for a, off in zip(who, offsets, strict=True):
                    if a != src:
                        b.add(
                            names[a],
                            world.t0 + wt + off,
                            "RT @" + names[src] + ": ...",
                            repost_of=item,
                        )
            else:
                tgt = int(targets[w % len(targets)])
                item = b.add(
                    names[tgt],
                    world.t0 + wt - 600,
                    vocab.sentences(rng, LANGS[world.lang_of[tgt]], 1, 6, 16)[0],
                )
                for a, off in zip(who, offsets, strict=True):
                    pid = b.add(
                        names[a],
                        world.t0 + wt + off,
                        "@" + names[tgt] + " " + edit(rng, templates[w % 3], lang),
                        reply_to=item,
                    )
                    template_of[pid] = tpl_id
        if kind == "reply_brigade":
            bstart = int(wave_t[-1] + rng.integers(2 * 3600, 20 * 3600))
            pool = world.community_pool(comm)
            hit = np.concatenate([targets, rng.choice(pool, size=int(rng.integers(15, 40)))])
            for a in hit:
                t = bstart + int(rng.integers(0, 3 * 3600))
                act = "suspended" if rng.random() < 0.6 else "removed"
                actions.append((act, world.t0 + t, names[a], None, "x", f"c{comm:02d}"))
            truth_bursts.append(
                {
                    "community": f"c{comm:02d}",
                    "start": world.t0 + bstart,
                    "end": world.t0 + bstart + 3 * 3600,
                    "group": gname,
                }
            )
            out["targets"] = sorted(names[targets].tolist())
        truth_groups.append(out)
    return {
        "groups": truth_groups,
        "bursts": truth_bursts,
        "templates": template_of,
        "actions": actions,
        "used_comms": used_comms,
    }


def flash_mobs(world: World, b: Builder, n_mobs: int, size: int = 40) -> list[dict]:
    """One-off flash mobs: each wave, ``size`` throwaway accounts (never seen before or
    after) post the same smear, lightly edited, and the same new link within 30 s."""
    rng, vocab = world.rng, world.vocab
    groups = []
    for m in range(n_mobs):
        lang = PLANTED_LANGS[m % len(PLANTED_LANGS)]
        smear = vocab.sentences(rng, lang, 1, 10, 20)[0]
        url = f"https://smear{m}.example/{rng.integers(1e9)}"
        t = int(rng.integers(3600, world.span - 3600))
        accounts = [f"z{m:03d}{k:04d}{rng.integers(1e4):04d}" for k in range(size)]
        for a in accounts:
            b.add(a, world.t0 + t + int(rng.integers(0, 31)), edit(rng, smear, lang, 1) + " " + url,
                  [url], platform="x")  # fmt: skip
        groups.append(
            {"id": f"m{m:03d}", "kind": FLASH_MOB, "accounts": sorted(accounts), "language": lang}
        )
    return groups


def background_actions(world: World, used_comms: set[int]) -> tuple[list[tuple], dict]:
    """Background enforcement per community, a platform-wide sweep, one organic burst."""
    rng, names = world.rng, world.names
    actions: list[tuple] = []
    pool_all = world.pool
    n_bg_actions = max(200, world.n_posts // 500)
    for a in rng.choice(pool_all, size=n_bg_actions):
        act = ["suspended", "removed", "restricted", "restored"][int(rng.integers(0, 4))]
        actions.append(
            (
                act,
                world.t0 + int(rng.integers(0, world.span)),
                names[a],
                None,
                "x",
                f"c{world.community_of[a]:02d}",
            )
        )
    sweep = world.t0 + int(rng.integers(0, world.span - 3600))
    for c in range(world.n_comm):
        for a in rng.choice(world.community_pool(c), size=2):
            actions.append(
                ("removed", sweep + int(rng.integers(0, 3600)), names[a], None, "x", f"c{c:02d}")
            )
    free = [c for c in range(world.n_comm) if c not in used_comms] or [0]
    oc = int(free[0])
    ostart = world.t0 + int(rng.integers(0, world.span - 4 * 3600))
    for a in rng.choice(world.community_pool(oc), size=25):
        actions.append(
            (
                "suspended",
                ostart + int(rng.integers(0, 2 * 3600)),
                names[a],
                None,
                "x",
                f"c{oc:02d}",
            )
        )
    return actions, {
        "community": f"c{oc:02d}",
        "start": ostart,
        "end": ostart + 7200,
        "group": None,
    }
