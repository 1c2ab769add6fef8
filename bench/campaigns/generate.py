"""Synthetic posts and enforcement actions with planted coordinated groups.

Two profiles (README.md in this folder says what each contains):

* ``hard`` (the default): organic traffic with hyperactive outlets, aggregators, news
  junkies and fans besides ordinary accounts; planted groups of 3-60 accounts in ten
  kinds, among them paraphrases, homoglyph and transliterated copies, slow coordination
  over 5-10 minutes and amplifiers hidden among hyperactive accounts; and one-off flash
  mobs of throwaway accounts. Ground truth says the kind of every planted group, so
  results are reported per kind.
* ``classic``: the first benchmark: ordinary accounts only, four kinds of planted groups
  (copy-paste, link sharing, repost rings, reply brigades) acting within a minute.

Everything is drawn from one ``numpy`` generator seeded by ``--seed``: the same seed,
size and profile give the same files.

    python bench/campaigns/generate.py --posts 100k --out /tmp/camp100k
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
import organic
import planted
from textgen import LANG_WEIGHTS, LANGS, Vocab

T0 = 1_735_689_600  # 2025-01-01T00:00:00Z
SPAN = 7 * 86400
PLATFORMS = np.array(["x", "facebook", "telegram", "tiktok"])
PROFILES = ("hard", "classic")


class Builder:
    COLUMNS = ("id", "account", "timestamp", "text", "urls", "platform", "reply_to", "repost_of")

    def __init__(self) -> None:
        self.cols: dict[str, list] = {k: [] for k in self.COLUMNS}
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

    def table(self) -> pa.Table:
        c = self.cols
        posts = pa.table(
            {
                "id": pa.array(c["id"], pa.string()),
                "account": pa.array(c["account"], pa.string()),
                "timestamp": pa.array(c["timestamp"], pa.int64()),
                "text": pa.array(c["text"], pa.string()),
                "urls": pa.array(c["urls"], pa.list_(pa.string())),
                "platform": pa.array(c["platform"], pa.string()),
                "reply_to": pa.array(c["reply_to"], pa.string()),
                "repost_of": pa.array(c["repost_of"], pa.string()),
            }
        )
        perm = np.argsort(np.asarray(c["timestamp"]), kind="stable")
        return posts.take(pa.array(perm))


class World:
    """Accounts and what the parts of the generator share."""

    def __init__(self, rng: np.random.Generator, n_posts: int) -> None:
        self.rng = rng
        self.n_posts = n_posts
        self.t0, self.span = T0, SPAN
        self.platforms = PLATFORMS
        self.lang_weights = LANG_WEIGHTS
        self.vocab = Vocab(rng)
        n_accounts = max(3000, n_posts // 12)
        self.n_accounts = n_accounts
        self.names = np.array([f"u{i:07d}" for i in rng.permutation(n_accounts)])
        self.lang_of = rng.choice(len(LANGS), size=n_accounts, p=LANG_WEIGHTS)
        self.n_comm = 12
        self.community_of = rng.integers(0, self.n_comm, n_accounts)
        self.activity = rng.lognormal(0.0, 1.4, n_accounts)
        self._end = n_accounts  # accounts are reserved from the end of the list
        self.special: list[int] = []
        self.orig_ids: list[str] = []
        self.orig_t: list[int] = []
        self.orig_a: list[int] = []
        self.orig_v: list[float] = []
        self._done: set[tuple[int, int, str]] = set()

    def take_accounts(self, k: int, special: bool = True) -> np.ndarray:
        """Reserve ``k`` accounts; special ones (hyperactive) post no ordinary background."""
        idx = np.arange(self._end - k, self._end)
        self._end -= k
        if special:
            self.special += idx.tolist()
        return idx

    @property
    def pool(self) -> np.ndarray:
        """Accounts that post ordinary background content (planted members included)."""
        mask = np.ones(self.n_accounts, dtype=bool)
        mask[self.special] = False
        return np.nonzero(mask)[0]

    def community_pool(self, c: int) -> np.ndarray:
        pool = self.pool[: self._end] if self._end < self.n_accounts else self.pool
        return pool[self.community_of[pool] == c]

    def ordinary_accounts(self, k: int) -> np.ndarray:
        pool = np.arange(self._end)
        return self.rng.choice(pool, size=min(k, len(pool)), replace=False)

    def add_original(self, pid: str, t: int, a: int) -> None:
        self.orig_ids.append(pid)
        self.orig_t.append(int(t))
        self.orig_a.append(int(a))
        self.orig_v.append(float(self.rng.pareto(1.3)) * float(self.activity[a]) ** 0.5)

    def cascades(
        self,
        b: Builder,
        authors: np.ndarray,
        *,
        kind: str,
        mean_delay: float,
        texts: list[str] | None = None,
    ) -> None:
        """Reposts of (or replies to) earlier originals, chosen by their virality, after
        exponential delays: a viral post collects dozens of reposts within a minute."""
        if len(authors) == 0 or not self.orig_ids:
            return
        v = np.asarray(self.orig_v)
        js = self.rng.choice(len(v), size=len(authors), p=v / v.sum())
        delays = self.rng.exponential(mean_delay, len(authors))
        for n, (a, j) in enumerate(zip(authors, js, strict=True)):
            a, j = int(a), int(j)
            owner = self.orig_a[j]
            if owner == a or (a, j, kind) in self._done:
                continue  # nobody reposts their own post, or one post twice
            self._done.add((a, j, kind))
            t = min(int(self.orig_t[j] + delays[n]), self.span - 1)
            if kind == "repost":
                b.add(
                    self.names[a],
                    self.t0 + t,
                    "RT @" + self.names[owner] + ": ...",
                    repost_of=self.orig_ids[j],
                )
            else:
                text = texts[n] if texts is not None else ""
                b.add(
                    self.names[a],
                    self.t0 + t,
                    "@" + self.names[owner] + " " + text,
                    reply_to=self.orig_ids[j],
                )


def generate(
    n_posts: int, seed: int = 7, profile: str = "hard", planted_share: float = 0.025
) -> tuple[pa.Table, pa.Table, dict]:
    """Return ``(posts, actions, truth)`` for about ``n_posts`` posts, ``planted_share`` of
    them by planted groups (tests raise it so that small inputs have enough waves)."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}")
    rng = np.random.default_rng(seed)
    world = World(rng, n_posts)
    hard = profile == "hard"
    n_groups = max(8 if not hard else 10, n_posts // 25_000)
    plan = planted.group_plan(rng, n_groups, planted.HARD_KINDS if hard else planted.CLASSIC_KINDS)
    # Members: amplifiers are hyperactive (reserved as special), the others ordinary.
    for info in plan:
        info["members"] = world.take_accounts(info["size"], special=info["kind"] == "amplifiers")
        if info["kind"] != "amplifiers":
            world.activity[info["members"]] = rng.lognormal(-0.5, 0.6, info["size"])
    planted.assign_languages(world, plan)
    b = Builder()
    planted_posts = int(planted_share * n_posts)
    organic.news(world, b, max(200, n_posts // 60))
    hyper: dict[str, list[str]] = {}
    before = 0
    reposters = np.zeros(0, np.int64)
    if hard:
        amplifier_members = np.concatenate(
            [i["members"] for i in plan if i["kind"] == "amplifiers"] or [np.zeros(0, np.int64)]
        )
        hyper, reposters = organic.hyperactive(world, b, n_posts, amplifier_members)
        before = b.n + len(reposters)
    n_bg = max(n_posts - planted_posts - before, 0)
    organic.background(world, b, n_bg, world.pool)
    world.cascades(b, rng.permutation(reposters), kind="repost", mean_delay=1800)
    found = planted.plant(world, b, plan, planted_posts)
    groups = found["groups"]
    if hard:
        groups += planted.flash_mobs(world, b, max(2, n_posts // 50_000))
    actions, organic_burst = planted.background_actions(world, found["used_comms"])
    actions = found["actions"] + actions
    posts = b.table()
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
        "profile": profile,
        "posts": posts.num_rows,
        "accounts": world.n_accounts,
        "groups": groups,
        "bursts": [*found["bursts"], organic_burst],
        # post id -> template, for the posts of copied and paraphrased waves
        "templates": found["templates"],
        # organic accounts a naive detector flags: outlets, aggregators, junkies, fans
        "organic_roles": hyper,
    }
    return posts, acts, truth


def parse_size(s: str) -> int:
    s = s.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1], 1)
    return int(float(s.rstrip("km")) * mult)


def write(
    out: Path, n_posts: int, seed: int = 7, profile: str = "hard", planted_share: float = 0.025
) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    posts, acts, truth = generate(n_posts, seed, profile, planted_share)
    pq.write_table(posts, out / "posts.parquet", row_group_size=250_000)
    pq.write_table(acts, out / "actions.parquet")
    (out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--posts", default="100k", help="number of posts: 100k, 1m, 5m, ...")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile", choices=PROFILES, default="hard")
    ap.add_argument("--planted-share", type=float, default=0.025, help="share of planted posts")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    truth = write(args.out, parse_size(args.posts), args.seed, args.profile, args.planted_share)
    print(f"{truth['posts']} posts, {len(truth['groups'])} planted groups -> {args.out}")


if __name__ == "__main__":
    main()
