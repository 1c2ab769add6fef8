"""Synthetic posts and enforcement actions with planted coordinated groups.

The background is built to fool a naive detector (see README.md in this folder):

* accounts with heavy-tailed activity (log-normal: a few accounts post hundreds of
  times a week, most a handful), each writing in one of seven languages and scripts
  (Latin, Latin with diacritics, Turkish, Cyrillic, Arabic, Devanagari, Chinese);
* organic virality: news links with a news cycle (most shares in the first hours), shared
  by many unrelated accounts through share buttons with the same headline, sometimes
  lightly edited ("via @site", a comment in front), so identical and near-identical
  texts and links are everywhere and co-occur within seconds by chance;
* stock phrases ("good morning everyone") reused by everybody;
* retweet cascades: reposts of popular posts arrive with exponential delays after the
  post, so a viral post collects dozens of reposts within a minute;
* replies to popular posts.

Planted groups (all members are ordinary-looking accounts that also post background
content) come in four kinds:

* ``copy_paste``: waves in which most members post an edited copy of a template
  (character edits, a word dropped, an emoji or hashtag added) within 45 seconds;
* ``link_sharing``: waves in which most members share the same new link within 30
  seconds, each with a different text;
* ``repost_ring``: members repost the same item within 50 seconds;
* ``reply_brigade``: members reply to posts of a few accounts of one community with
  edited copies of a smear, and within a day that community suffers a burst of
  suspensions and removals (false mass reporting).

Enforcement actions have a background rate per community, one platform-wide sweep that
touches every community a little, and one organic burst in a community no group
touched (a true burst with no group behind it).

Everything is drawn from one ``numpy`` generator seeded by ``--seed``: the same seed and
size give the same files.

    python bench/campaigns/generate.py --posts 100000 --out /tmp/camp100k
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

T0 = 1_735_689_600  # 2025-01-01T00:00:00Z
SPAN = 7 * 86400
PLATFORMS = np.array(["x", "facebook", "telegram", "tiktok"])

ALPHABETS = {
    "en": ("abcdefghijklmnopqrstuvwxyz", " "),
    "es": ("abcdefghijklmnopqrstuvwxyzáéíóúñ", " "),
    "tr": ("abcdefghijklmnoprstuvyzçğışöü", " "),
    "ru": ("абвгдеёжзийклмнопрстуфхцчшщыьэюя", " "),
    "ar": ("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", " "),
    "hi": ("कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह", " "),
    "zh": ("".join(chr(c) for c in range(0x4E00, 0x4E00 + 1500)), ""),
}
LANGS = list(ALPHABETS)
LANG_WEIGHTS = np.array([0.34, 0.2, 0.08, 0.12, 0.12, 0.07, 0.07])
EMOJI = ["🔥", "👇", "‼️", "😡", "🙏", "✊", "📢", "💯"]
GROUP_KINDS = ("copy_paste", "link_sharing", "repost_ring", "reply_brigade")


class Vocab:
    """Random words per language with Zipf frequencies."""

    def __init__(self, rng: np.random.Generator, size: int = 4000) -> None:
        self.words: dict[str, list[str]] = {}
        ranks = np.arange(1, size + 1)
        p = 1.0 / ranks**1.05
        self.p = p / p.sum()
        for lang, (alphabet, _sep) in ALPHABETS.items():
            letters = np.array(list(alphabet))
            if lang == "zh":
                lens = rng.integers(1, 3, size)
            else:
                lens = np.clip(rng.poisson(5, size), 2, 12)
            self.words[lang] = ["".join(letters[rng.integers(0, len(letters), n)]) for n in lens]

    def sentences(
        self, rng: np.random.Generator, lang: str, count: int, lo: int, hi: int
    ) -> list[str]:
        sep = ALPHABETS[lang][1]
        words = self.words[lang]
        lens = rng.integers(lo, hi + 1, count)
        idx = rng.choice(len(words), size=int(lens.sum()), p=self.p)
        out, pos = [], 0
        for n in lens:
            out.append(sep.join(words[i] for i in idx[pos : pos + n]))
            pos += n
        return out


def edit(rng: np.random.Generator, text: str, lang: str, strength: int = 2) -> str:
    """A light human edit: a few character changes, maybe a word dropped, an emoji."""
    chars = list(text)
    alphabet = ALPHABETS[lang][0]
    for _ in range(int(rng.integers(0, strength + 1))):
        if len(chars) < 8:
            break
        i = int(rng.integers(0, len(chars)))
        op = rng.integers(0, 3)
        c = alphabet[int(rng.integers(0, len(alphabet)))]
        if op == 0:
            chars[i] = c
        elif op == 1:
            chars.insert(i, c)
        else:
            del chars[i]
    out = "".join(chars)
    r = rng.random()
    if r < 0.3:
        out = out + " " + EMOJI[int(rng.integers(0, len(EMOJI)))]
    elif r < 0.45:
        out = EMOJI[int(rng.integers(0, len(EMOJI)))] + " " + out
    elif r < 0.6:
        out = out.upper() if lang in ("en", "es", "tr", "ru") else out
    return out


class Builder:
    def __init__(self) -> None:
        self.cols: dict[str, list] = {
            k: []
            for k in (
                "id",
                "account",
                "timestamp",
                "text",
                "urls",
                "platform",
                "reply_to",
                "repost_of",
            )
        }
        self.n = 0

    def add(self, account, ts, text, urls=None, platform="x", reply_to=None, repost_of=None) -> str:
        pid = f"p{self.n:09d}"
        self.n += 1
        c = self.cols
        c["id"].append(pid)
        c["account"].append(account)
        c["timestamp"].append(int(ts))
        c["text"].append(text)
        c["urls"].append(urls or [])
        c["platform"].append(platform)
        c["reply_to"].append(reply_to)
        c["repost_of"].append(repost_of)
        return pid


def generate(n_posts: int, seed: int = 7) -> tuple[pa.Table, pa.Table, dict]:
    """Return ``(posts, actions, truth)`` for about ``n_posts`` posts."""
    rng = np.random.default_rng(seed)
    vocab = Vocab(rng)
    n_groups = max(8, n_posts // 25_000)
    n_accounts = max(3000, n_posts // 12)
    names = np.array([f"u{i:07d}" for i in rng.permutation(n_accounts)])
    lang_of = rng.choice(len(LANGS), size=n_accounts, p=LANG_WEIGHTS)
    n_comm = 12
    community_of = rng.integers(0, n_comm, n_accounts)
    activity = rng.lognormal(0.0, 1.4, n_accounts)

    # Planted accounts come from the end of the (random) name list; they are otherwise
    # ordinary accounts that also post background content at a low rate.
    sizes = rng.integers(8, 61, n_groups)
    planted_total = int(sizes.sum())
    planted_idx = np.arange(n_accounts - planted_total, n_accounts)
    activity[planted_idx] = rng.lognormal(-0.5, 0.6, planted_total)
    background_idx = np.arange(n_accounts - planted_total)

    b = Builder()
    planted_posts = int(0.025 * n_posts)
    n_bg = max(n_posts - planted_posts, 0)
    p_act = activity / activity.sum()

    # ---- news links with a news cycle, shared through share buttons
    n_links = max(200, n_posts // 60)
    link_lang = rng.choice(len(LANGS), size=n_links, p=LANG_WEIGHTS)
    link_birth = rng.integers(0, SPAN, n_links)
    link_pop = 1.0 / np.arange(1, n_links + 1) ** 0.9
    link_pop = link_pop / link_pop.sum()
    headlines = [vocab.sentences(rng, LANGS[link_lang[i]], 1, 8, 16)[0] for i in range(n_links)]
    sites = [f"news{i % 97}.example" for i in range(n_links)]
    urls = [f"https://{sites[i]}/{i}/{headlines[i][:12].replace(' ', '-')}" for i in range(n_links)]
    stock = {lang: vocab.sentences(rng, lang, 40, 3, 6) for lang in LANGS}

    kinds = rng.choice(5, size=n_bg, p=[0.46, 0.15, 0.05, 0.26, 0.08])
    authors = rng.choice(n_accounts, size=n_bg, p=p_act)
    times = rng.integers(0, SPAN, n_bg)
    plat = PLATFORMS[authors % 4]

    def texts_for(sel: np.ndarray, lo: int, hi: int) -> list[str]:
        """Sentences in each selected author's language, drawn in bulk per language."""
        out = [""] * len(sel)
        langs = lang_of[authors[sel]]
        for li, lang in enumerate(LANGS):
            where = np.nonzero(langs == li)[0]
            for w, t in zip(where, vocab.sentences(rng, lang, len(where), lo, hi), strict=True):
                out[w] = t
        return out

    # originals
    sel = np.nonzero(kinds == 0)[0]
    orig_ids, orig_t, orig_a = [], [], []
    tag_roll = rng.random(len(sel))
    for i, text, roll in zip(sel, texts_for(sel, 5, 22), tag_roll, strict=True):
        a = int(authors[i])
        if roll < 0.1:
            text += " #" + vocab.words[LANGS[lang_of[a]]][int(rng.integers(0, 50))]
        orig_ids.append(b.add(names[a], T0 + times[i], text, platform=plat[i]))
        orig_t.append(int(times[i]))
        orig_a.append(a)
    # headline shares
    sel = np.nonzero(kinds == 1)[0]
    lis = rng.choice(n_links, size=len(sel), p=link_pop)
    delays = rng.exponential(3 * 3600, len(sel))
    forms = rng.random(len(sel))
    comments = texts_for(sel, 2, 6)
    for n, i in enumerate(sel):
        li, r, h = int(lis[n]), forms[n], headlines[int(lis[n])]
        if r < 0.55:
            text = f"{h} {urls[li]}"
        elif r < 0.75:
            text = f"{h} via @{sites[li].split('.')[0]} {urls[li]}"
        elif r < 0.9:
            text = f"{comments[n]}: {h} {urls[li]}"
        else:
            text = edit(rng, h, LANGS[link_lang[li]], 3) + " " + urls[li]
        t = min(int(link_birth[li] + delays[n]), SPAN - 1)
        b.add(names[authors[i]], T0 + t, text, [urls[li]], platform=plat[i])
    # stock phrases
    sel = np.nonzero(kinds == 2)[0]
    picks = rng.integers(0, 40, len(sel))
    emo = rng.random(len(sel))
    for n, i in enumerate(sel):
        text = stock[LANGS[lang_of[authors[i]]]][int(picks[n])]
        if emo[n] < 0.3:
            text += " " + EMOJI[n % len(EMOJI)]
        b.add(names[authors[i]], T0 + times[i], text, platform=plat[i])
    # retweet cascades and replies: popular posts by active authors attract more
    orig_ids_a = np.array(orig_ids)
    orig_t_a = np.array(orig_t)
    orig_a_a = np.array(orig_a)
    virality = rng.pareto(1.3, len(orig_ids)) * activity[orig_a_a] ** 0.5
    pv = virality / virality.sum()
    sel = np.nonzero(kinds == 3)[0]
    js = rng.choice(len(orig_ids), size=len(sel), p=pv)
    delays = rng.exponential(1800, len(sel))
    for n, i in enumerate(sel):
        a, j = int(authors[i]), int(js[n])
        if orig_a_a[j] == a:
            continue
        t = min(int(orig_t_a[j] + delays[n]), SPAN - 1)
        b.add(
            names[a],
            T0 + t,
            "RT @" + names[orig_a_a[j]] + ": ...",
            repost_of=str(orig_ids_a[j]),
            platform="x",
        )
    sel = np.nonzero(kinds == 4)[0]
    js = rng.choice(len(orig_ids), size=len(sel), p=pv)
    delays = rng.exponential(3600, len(sel))
    for n, (i, text) in enumerate(zip(sel, texts_for(sel, 3, 14), strict=True)):
        a, j = int(authors[i]), int(js[n])
        if orig_a_a[j] == a:
            continue
        t = min(int(orig_t_a[j] + delays[n]), SPAN - 1)
        b.add(
            names[a],
            T0 + t,
            "@" + names[orig_a_a[j]] + " " + text,
            reply_to=str(orig_ids_a[j]),
            platform="x",
        )

    # ---- planted groups
    truth_groups = []
    truth_bursts = []
    template_of: dict[str, str] = {}
    actions: list[tuple] = []
    per_group_posts = max(30, planted_posts // n_groups)
    start = 0
    used_comms: set[int] = set()
    for g in range(n_groups):
        members = planted_idx[start : start + sizes[g]]
        start += sizes[g]
        kind = GROUP_KINDS[g % len(GROUP_KINDS)]
        lang = LANGS[lang_of[members[0]]]
        lang_of[members] = lang_of[members[0]]
        waves = max(6, per_group_posts // max(1, int(len(members) * 0.7)))
        wave_t = np.sort(rng.integers(3600, SPAN - 2 * 86400, waves))
        gname = f"g{g:03d}"
        info: dict = {"id": gname, "kind": kind, "accounts": sorted(names[members].tolist())}
        templates = vocab.sentences(rng, lang, 3, 10, 22)
        targets: np.ndarray = np.zeros(0, dtype=np.int64)
        comm = -1
        if kind == "reply_brigade":
            comm = int(rng.integers(0, n_comm))
            used_comms.add(comm)
            pool = background_idx[community_of[background_idx] == comm]
            targets = rng.choice(pool, size=min(len(pool), int(rng.integers(5, 15))), replace=False)
        # Who takes part in which wave: 50-90 % of the members each time, and every
        # member at least three times (one or two acts in step are indistinguishable from
        # coincidence, for any detector).
        shares = rng.uniform(0.5, 0.9, waves)
        takes_part = rng.random((len(members), waves)) < shares[None, :]
        for m in np.nonzero(takes_part.sum(axis=1) < 3)[0]:
            takes_part[m, rng.choice(waves, size=min(3, waves), replace=False)] = True
        for w, wt in enumerate(wave_t):
            who = members[takes_part[:, w]]
            if len(who) < 2:
                who = members[:2]
            if kind == "copy_paste":
                tpl = templates[w % len(templates)]
                for a in who:
                    t = wt + rng.integers(0, 45)
                    pid = b.add(names[a], T0 + t, edit(rng, tpl, lang), platform="x")
                    template_of[pid] = f"{gname}/t{w % len(templates)}"
            elif kind == "link_sharing":
                url = f"https://site{g}.example/a/{w}{rng.integers(1e6)}"
                if rng.random() < 0.2:
                    url = urls[int(rng.integers(0, 20))]
                for a in who:
                    t = wt + rng.integers(0, 30)
                    text = vocab.sentences(rng, lang, 1, 4, 12)[0] + " " + url
                    b.add(names[a], T0 + t, text, [url], platform="x")
            elif kind == "repost_ring":
                src = members[int(rng.integers(0, len(members)))]
                item = b.add(names[src], T0 + wt - 5, vocab.sentences(rng, lang, 1, 6, 16)[0])
                for a in who:
                    if a == src:
                        continue
                    t = wt + rng.integers(0, 50)
                    b.add(names[a], T0 + t, "RT @" + names[src] + ": ...", repost_of=item)
            else:
                tgt = int(targets[w % len(targets)])
                item = b.add(
                    names[tgt],
                    T0 + wt - 600,
                    vocab.sentences(rng, LANGS[lang_of[tgt]], 1, 6, 16)[0],
                )
                tpl = templates[w % len(templates)]
                for a in who:
                    t = wt + rng.integers(0, 45)
                    pid = b.add(
                        names[a],
                        T0 + t,
                        "@" + names[tgt] + " " + edit(rng, tpl, lang),
                        reply_to=item,
                    )
                    template_of[pid] = f"{gname}/t{w % len(templates)}"
        if kind == "reply_brigade":
            bstart = int(wave_t[-1] + rng.integers(2 * 3600, 20 * 3600))
            pool = background_idx[community_of[background_idx] == comm]
            hit = np.concatenate([targets, rng.choice(pool, size=int(rng.integers(15, 40)))])
            for a in hit:
                t = bstart + int(rng.integers(0, 3 * 3600))
                act = "suspended" if rng.random() < 0.6 else "removed"
                actions.append((act, T0 + t, names[a], None, "x", f"c{comm:02d}"))
            truth_bursts.append(
                {
                    "community": f"c{comm:02d}",
                    "start": T0 + bstart,
                    "end": T0 + bstart + 3 * 3600,
                    "group": gname,
                }
            )
            info["targets"] = sorted(names[targets].tolist())
        truth_groups.append(info)

    # ---- background enforcement, a platform-wide sweep, one organic burst
    n_bg_actions = max(200, n_posts // 500)
    who = rng.choice(background_idx, size=n_bg_actions)
    for a in who:
        act = ["suspended", "removed", "restricted", "restored"][int(rng.integers(0, 4))]
        actions.append(
            (act, T0 + int(rng.integers(0, SPAN)), names[a], None, "x", f"c{community_of[a]:02d}")
        )
    sweep = T0 + int(rng.integers(0, SPAN - 3600))
    for c in range(n_comm):
        pool = background_idx[community_of[background_idx] == c]
        for a in rng.choice(pool, size=2):
            actions.append(
                ("removed", sweep + int(rng.integers(0, 3600)), names[a], None, "x", f"c{c:02d}")
            )
    free = [c for c in range(n_comm) if c not in used_comms] or [0]
    oc = int(free[0])
    ostart = T0 + int(rng.integers(0, SPAN - 4 * 3600))
    pool = background_idx[community_of[background_idx] == oc]
    for a in rng.choice(pool, size=25):
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
    truth_bursts.append(
        {"community": f"c{oc:02d}", "start": ostart, "end": ostart + 7200, "group": None}
    )

    posts = pa.table(
        {
            "id": pa.array(b.cols["id"], pa.string()),
            "account": pa.array(b.cols["account"], pa.string()),
            "timestamp": pa.array(b.cols["timestamp"], pa.int64()),
            "text": pa.array(b.cols["text"], pa.string()),
            "urls": pa.array(b.cols["urls"], pa.list_(pa.string())),
            "platform": pa.array(b.cols["platform"], pa.string()),
            "reply_to": pa.array(b.cols["reply_to"], pa.string()),
            "repost_of": pa.array(b.cols["repost_of"], pa.string()),
        }
    )
    perm = np.argsort(np.asarray(b.cols["timestamp"]), kind="stable")
    posts = posts.take(pa.array(perm))
    acts = pa.table(
        dict(
            zip(
                ["action", "timestamp", "account", "item", "platform", "community"],
                [pa.array(list(c)) for c in zip(*actions, strict=True)],
                strict=True,
            )
        )
    )
    truth = {
        "seed": seed,
        "posts": posts.num_rows,
        "accounts": n_accounts,
        "groups": truth_groups,
        "bursts": truth_bursts,
        # post id -> template, for the posts of copy-paste and reply-brigade waves
        "templates": template_of,
    }
    return posts, acts, truth


def parse_size(s: str) -> int:
    s = s.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1], 1)
    return int(float(s.rstrip("km")) * mult)


def write(out: Path, n_posts: int, seed: int = 7) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    posts, acts, truth = generate(n_posts, seed)
    pq.write_table(posts, out / "posts.parquet", row_group_size=250_000)
    pq.write_table(acts, out / "actions.parquet")
    (out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", default="100k", help="number of posts: 100k, 1m, 5m, ...")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    truth = write(args.out, parse_size(args.posts), args.seed)
    print(f"{truth['posts']} posts, {len(truth['groups'])} planted groups -> {args.out}")


if __name__ == "__main__":
    main()
