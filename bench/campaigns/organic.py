"""Organic traffic: what a detector must not flag.

* ordinary accounts with heavy-tailed activity (log-normal), each in one language;
* news links with a news cycle, shared through share buttons with the same headline;
* stock phrases everybody uses; retweet cascades; replies to popular posts;
* (hard profile) hyperactive outlets posting 200 links a day, aggregators that re-post
  their headlines a few minutes later (the same text and link, all day), news junkies
  posting 200 times a day, mostly reposts of what is viral, and fans who repost their
  celebrity's every post within the hour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from textgen import EMOJI, LANGS

if TYPE_CHECKING:
    from generate import Builder, World

DAY = 86400


def news(world: World, b: Builder, n_links: int) -> None:
    """News links: a birth time, a Zipf popularity, a headline; outlets (when there are
    any) publish their links themselves first."""
    rng, vocab = world.rng, world.vocab
    world.link_lang = rng.choice(len(LANGS), size=n_links, p=world.lang_weights)
    world.link_birth = rng.integers(0, world.span, n_links)
    pop = 1.0 / np.arange(1, n_links + 1) ** 0.9
    world.link_pop = pop / pop.sum()
    world.headlines = [
        vocab.sentences(rng, LANGS[world.link_lang[i]], 1, 8, 16)[0] for i in range(n_links)
    ]
    world.sites = [f"news{i % 97}.example" for i in range(n_links)]
    world.urls = [
        f"https://{world.sites[i]}/{i}/{world.headlines[i][:12].replace(' ', '-')}"
        for i in range(n_links)
    ]


def background(world: World, b: Builder, n_bg: int, authors_pool: np.ndarray) -> None:
    """Originals, headline shares, stock phrases, reposts and replies by ordinary accounts."""
    rng, vocab, names, lang_of = world.rng, world.vocab, world.names, world.lang_of
    from textgen import edit

    p_act = world.activity[authors_pool] / world.activity[authors_pool].sum()
    kinds = rng.choice(5, size=n_bg, p=[0.46, 0.15, 0.05, 0.26, 0.08])
    authors = authors_pool[rng.choice(len(authors_pool), size=n_bg, p=p_act)]
    times = rng.integers(0, world.span, n_bg)
    plat = world.platforms[authors % 4]
    stock = {lang: vocab.sentences(rng, lang, 40, 3, 6) for lang in LANGS}

    def texts_for(sel: np.ndarray, lo: int, hi: int) -> list[str]:
        out = [""] * len(sel)
        langs = lang_of[authors[sel]]
        for li, lang in enumerate(LANGS):
            where = np.nonzero(langs == li)[0]
            for w, t in zip(where, vocab.sentences(rng, lang, len(where), lo, hi), strict=True):
                out[w] = t
        return out

    sel = np.nonzero(kinds == 0)[0]
    tag_roll = rng.random(len(sel))
    for i, text, roll in zip(sel, texts_for(sel, 5, 22), tag_roll, strict=True):
        a = int(authors[i])
        if roll < 0.1:
            text += " #" + vocab.words[LANGS[lang_of[a]]][int(rng.integers(0, 50))]
        world.add_original(
            b.add(names[a], world.t0 + times[i], text, platform=plat[i]), times[i], a
        )
    sel = np.nonzero(kinds == 1)[0]
    lis = rng.choice(len(world.urls), size=len(sel), p=world.link_pop)
    delays = rng.exponential(3 * 3600, len(sel))
    forms = rng.random(len(sel))
    comments = texts_for(sel, 2, 6)
    for n, i in enumerate(sel):
        li, r, h = int(lis[n]), forms[n], world.headlines[int(lis[n])]
        url = world.urls[li]
        if r < 0.55:
            text = f"{h} {url}"
        elif r < 0.75:
            text = f"{h} via @{world.sites[li].split('.')[0]} {url}"
        elif r < 0.9:
            text = f"{comments[n]}: {h} {url}"
        else:
            text = edit(rng, h, LANGS[world.link_lang[li]], 3) + " " + url
        t = min(int(world.link_birth[li] + delays[n]), world.span - 1)
        b.add(names[authors[i]], world.t0 + t, text, [url], platform=plat[i])
    sel = np.nonzero(kinds == 2)[0]
    picks = rng.integers(0, 40, len(sel))
    emo = rng.random(len(sel))
    for n, i in enumerate(sel):
        text = stock[LANGS[lang_of[authors[i]]]][int(picks[n])]
        if emo[n] < 0.3:
            text += " " + EMOJI[n % len(EMOJI)]
        b.add(names[authors[i]], world.t0 + times[i], text, platform=plat[i])
    world.cascades(b, authors[kinds == 3], kind="repost", mean_delay=1800)
    sel = np.nonzero(kinds == 4)[0]
    world.cascades(b, authors[sel], kind="reply", mean_delay=3600, texts=texts_for(sel, 3, 14))


def hyperactive(
    world: World, b: Builder, n_posts: int, amplifiers: np.ndarray
) -> tuple[dict[str, list[str]], np.ndarray]:
    """Outlets, aggregators, news junkies and fans (the hard profile). Returns the
    accounts of each kind (for the truth file) and the authors of the junkies' reposts,
    which the caller writes once the ordinary originals exist."""
    rng, names = world.rng, world.names
    per_day = 200
    days = world.span / DAY
    n_outlets = max(1, n_posts // 40_000)
    n_aggregators = max(2, n_posts // 20_000)
    n_junkies = max(1, n_posts // 25_000)
    n_celebs = max(1, n_posts // 100_000)
    fans_per_celeb = 150 if n_posts >= 200_000 else 40
    pool = world.take_accounts(n_outlets + n_aggregators + n_junkies + n_celebs)
    outlets = pool[:n_outlets]
    aggregators = pool[n_outlets : n_outlets + n_aggregators]
    junkies = pool[n_outlets + n_aggregators : n_outlets + n_aggregators + n_junkies]
    celebs = pool[n_outlets + n_aggregators + n_junkies :]
    # Outlets: 200 posts a day, each a headline with its own new link.
    outlet_links: list[list[tuple[int, str, str]]] = []
    for o in outlets:
        lang = LANGS[world.lang_of[o]]
        n = int(per_day * days)
        ts = np.sort(rng.integers(0, world.span, n))
        heads = world.vocab.sentences(rng, lang, n, 8, 16)
        links = []
        for k, (t, h) in enumerate(zip(ts, heads, strict=True)):
            url = f"https://outlet{o}.example/{k}"
            world.add_original(b.add(names[o], world.t0 + t, f"{h} {url}", [url]), t, o)
            links.append((int(t), h, url))
        outlet_links.append(links)
    # Aggregators: follow one to three outlets, re-post most of their headlines after
    # their own polling delay (5-30 minutes), with the same text and link.
    for a in aggregators:
        follow = rng.choice(
            len(outlets), size=min(len(outlets), int(rng.integers(1, 4))), replace=False
        )
        poll = rng.uniform(300, 1800)
        take = rng.uniform(0.3, 0.7)
        for oi in follow:
            for t, h, url in outlet_links[oi]:
                if rng.random() < take:
                    tt = min(int(t + rng.uniform(20, poll)), world.span - 1)
                    b.add(names[a], world.t0 + tt, f"{h} {url}", [url])
    # News junkies: 200 posts a day, mostly reposts of what is going viral. Planted
    # amplifiers post the same way (their coordinated reposts come on top).
    reposters = []
    for j in np.concatenate([junkies, amplifiers]).astype(np.int64):
        n = int(per_day * days * rng.uniform(0.7, 1.3))
        reposters.append(np.full(int(n * 0.7), j))
        lang = LANGS[world.lang_of[j]]
        for t, text in zip(
            rng.integers(0, world.span, n - int(n * 0.7)),
            world.vocab.sentences(rng, lang, n - int(n * 0.7), 4, 14),
            strict=True,
        ):
            world.add_original(b.add(names[j], world.t0 + t, text), t, j)
    # Celebrities post ten times a day; their fans repost a third of it within the hour.
    fans_all: list[int] = []
    for c in celebs:
        lang = LANGS[world.lang_of[c]]
        n = int(10 * days)
        ts = rng.integers(0, world.span, n)
        items = [
            b.add(names[c], world.t0 + t, text)
            for t, text in zip(ts, world.vocab.sentences(rng, lang, n, 5, 15), strict=True)
        ]
        fans = world.ordinary_accounts(fans_per_celeb)
        fans_all += [int(f) for f in fans]
        for item, t in zip(items, ts, strict=True):
            who = fans[rng.random(len(fans)) < 1 / 3]
            delays = rng.exponential(1200, len(who))
            for f, d in zip(who, delays, strict=True):
                b.add(
                    names[f],
                    world.t0 + min(int(t + 5 + d), world.span - 1),
                    "RT @" + names[c] + ": ...",
                    repost_of=item,
                )
    roles = {
        "outlets": sorted(names[outlets].tolist()),
        "aggregators": sorted(names[aggregators].tolist()),
        "junkies": sorted(names[junkies].tolist()),
        "celebrities": sorted(names[celebs].tolist()),
        "fans": sorted(set(names[np.array(fans_all, dtype=np.int64)].tolist())),
    }
    return roles, np.concatenate(reposters) if reposters else np.zeros(0, np.int64)
