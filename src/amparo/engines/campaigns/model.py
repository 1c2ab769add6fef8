"""What the engine finds: campaigns, with the evidence that produced them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import xxhash

#: Campaign kinds, named after the co-action that dominates a group's evidence.
KIND_BY_SIGNAL = {
    "text": "copy_paste",
    "link": "link_sharing",
    "repost": "repost_ring",
    "reply": "reply_brigade",
    "hashtag": "hashtag_push",
    "media": "media_push",
    "domain": "domain_push",
}
BURST_KIND = "enforcement_burst"


#: Co-action kinds: the four networks of the literature, then the keys researchers add.
BASE_KINDS = ("text", "link", "repost", "reply")
EXTRA_KINDS = ("hashtag", "media", "domain")
FLASH_MOB_KIND = "flash_mob"


@dataclass
class Params:
    """Every knob of the detectors, with the defaults documented in docs/campaigns.md
    (chosen by measurement on bench/campaigns; ``Params.base()`` is the first version's
    configuration). Both engines accept every one of them."""

    #: Near-identical texts: estimated Jaccard similarity of character shingles.
    threshold: float = 0.7
    #: Characters per shingle.
    shingle: int = 5
    #: Texts shorter than this (after normalisation) match only exactly.
    min_chars: int = 12
    #: Paraphrases: estimated Jaccard similarity of the sets of words (0 turns it off).
    word_threshold: float = 0.5
    #: Texts with fewer distinct content words than this are not compared by words.
    min_words: int = 6
    #: Words in more than this share of the distinct texts are not content words.
    stop_share: float = 0.01
    #: Fold texts to their skeleton (homoglyphs, transliteration, no hashtags or emoji).
    fold: bool = True
    #: Co-action windows in seconds; one run looks at all of them.
    windows: tuple[int, ...] = (30, 120, 600)
    #: ``null``: an edge needs co-actions far beyond what chance gives the pair (below);
    #: ``ratio``: shared / sqrt(posts a x posts b) at least ``min_ratio`` (first version).
    scoring: str = "null"
    #: An edge needs this many co-acting posts of one kind in one window...
    min_shared: int = 3
    #: ...and (``null``) -log10 of the chance of that many under the null model, at least
    #: this and at least log10(candidate pairs of the kind / ``false_edges``)...
    min_score: float = 3.0
    false_edges: float = 1.0
    #: ...or (``null``) a score of at least ``min_score`` and this many common neighbours
    #: among the kind's pairs that score ``min_score`` or more: a dense group (0 turns it off).
    min_support: int = 5
    #: ...or (``ratio``) shared / sqrt(posts of a x posts of b) at least this.
    min_ratio: float = 0.1
    #: A key (text, link, item, hashtag) acted on by more accounts links no one.
    max_key_accounts: int = 1000
    #: A key's uses more than this many seconds apart are separate episodes (waves).
    episode_gap: int = 6 * 3600
    #: Relays (:mod:`.relays`): an edge of texts, links or domains is taken out of the
    #: network when at least ``relay_share`` of what the two accounts co-acted on was first
    #: posted by a prolific source, an account that started at least ``relay_min_items``
    #: items others took up (an outlet and its aggregators); 0 turns the test off.
    relay_min_items: int = 50
    relay_share: float = 0.8
    #: Smallest group reported.
    min_accounts: int = 3
    #: Leiden resolution (higher splits more).
    resolution: float = 1.0
    #: Co-action kinds used (``text``, ``link``, ``repost``, ``reply``, ``hashtag``,
    #: ``media``, ``domain``, or ``key:<column>`` for a column of the input).
    kinds: tuple[str, ...] = (*BASE_KINDS, "hashtag", "media")
    #: Bound on pairs formed per post inside one key and window (see coaction.sweep_pairs).
    max_span: int = 5000
    #: Flash mobs: at least ``mob_min_accounts`` accounts on one text or link within
    #: ``mob_window`` seconds (0 turns the detector off), holding at least
    #: ``mob_min_concentration`` of all the key's posts, with at least
    #: ``mob_min_novelty`` of the accounts new (at most ``mob_max_prior`` earlier posts,
    #: or created at most ``mob_new_days`` days before when the input says so).
    mob_window: int = 60
    mob_min_accounts: int = 10
    mob_min_concentration: float = 0.5
    mob_min_novelty: float = 0.5
    mob_max_prior: int = 0
    mob_new_days: int = 30
    #: Enforcement bursts: bin width, minimum score (-log10 p) and count.
    burst_bin: int = 3600
    burst_min_score: float = 6.0
    burst_min_count: int = 5
    #: A group is linked to a burst when at least ``link_min_posts`` of its coordinated
    #: posts in the ``link_lookback`` seconds before the burst (or during it) reply to,
    #: repost or mention the actioned accounts.
    link_lookback: int = 72 * 3600
    link_min_posts: int = 3
    seed: int = 42

    @classmethod
    def base(cls, **changes: Any) -> Params:
        """The first version: one 60 s window, the ratio test, character shingles of
        normalised (not folded) texts, the four kinds of the literature, no flash mobs."""
        values: dict[str, Any] = {
            "word_threshold": 0.0,
            "fold": False,
            "windows": (60,),
            "scoring": "ratio",
            "kinds": BASE_KINDS,
            "mob_min_accounts": 0,
            "max_key_accounts": 0,
            "relay_min_items": 0,
        }
        values.update(changes)
        return cls(**values)

    def __post_init__(self) -> None:
        self.windows = tuple(sorted({int(w) for w in self.windows}))
        self.kinds = tuple(self.kinds)
        if not self.windows or self.windows[0] <= 0:
            raise ValueError("windows must be positive numbers of seconds")
        if self.min_support < 0:
            raise ValueError("min_support is 0 (off) or more common neighbours")
        if self.scoring not in ("null", "ratio"):
            raise ValueError("scoring is 'null' or 'ratio'")
        known = (*BASE_KINDS, *EXTRA_KINDS)
        unknown = [k for k in self.kinds if k not in known and not k.startswith("key:")]
        if unknown:
            raise ValueError(f"unknown co-action kind(s): {', '.join(unknown)}")
        if not 0 < self.threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")

    @property
    def window(self) -> int:
        """The widest window (the one the sweep uses)."""
        return self.windows[-1]

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["kinds"] = list(self.kinds)
        d["windows"] = list(self.windows)
        return d


@dataclass
class Campaign:
    id: str
    kind: str
    score: float
    accounts: list[str]
    items: list[str]
    start: int
    end: int
    signals: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)
    linked: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def campaign_id(kind: str, accounts: list[str], start: int) -> str:
    """Stable id: the same campaign found twice (or by both engines) has the same id."""
    h = xxhash.xxh64()
    h.update(kind.encode())
    h.update(str(start).encode())
    for a in accounts:
        h.update(b"\x00" + a.encode())
    return "cmp-" + h.hexdigest()[:12]
