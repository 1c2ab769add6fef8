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
}
BURST_KIND = "enforcement_burst"


@dataclass
class Params:
    """Every knob of the detectors, with the defaults documented in docs/campaigns.md."""

    #: Near-identical texts: estimated Jaccard similarity of character shingles.
    threshold: float = 0.7
    #: Characters per shingle.
    shingle: int = 5
    #: Texts shorter than this (after normalisation) match only exactly.
    min_chars: int = 12
    #: Co-action window in seconds.
    window: int = 60
    #: An edge needs this many distinct shared keys (texts, links, items) of one kind...
    min_shared: int = 3
    #: ...and shared / sqrt(keys of a x keys of b) at least this.
    min_ratio: float = 0.1
    #: Smallest group reported.
    min_accounts: int = 3
    #: Leiden resolution (higher splits more).
    resolution: float = 1.0
    #: Co-action kinds used.
    kinds: tuple[str, ...] = ("text", "link", "repost", "reply")
    #: Bound on pairs formed per post inside one key and window (see coaction.sweep_pairs).
    max_span: int = 5000
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

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["kinds"] = list(self.kinds)
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
