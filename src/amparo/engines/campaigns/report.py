"""A self-contained HTML report: summary, a timeline and a network picture per campaign.

Pure HTML and inline SVG, no script and nothing fetched: it opens offline, can be
attached to a complaint, and prints.
"""

from __future__ import annotations

import html
import random
from pathlib import Path

import igraph as ig

from .detect import Result
from .io import Rejects
from .model import BURST_KIND, FLASH_MOB_KIND
from .outputs import iso

PALETTE = ["#1b6ca8", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d"]
MAX_NODES = 150


def _esc(v: object) -> str:
    return html.escape(str(v))


def _timeline(result: Result, width: int = 900) -> str:
    cs = result.campaigns
    if not cs:
        return "<p>No campaigns.</p>"
    t0 = min(c.start for c in cs)
    t1 = max(c.end for c in cs)
    span = max(t1 - t0, 1)
    row_h, left = 18, 170
    h = row_h * len(cs) + 30
    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {h}" role="img" '
        f'aria-label="Timeline of campaigns">'
    ]
    scale = (width - left - 10) / span
    for i, c in enumerate(cs):
        y = 10 + i * row_h
        x = left + (c.start - t0) * scale
        w = max((c.end - c.start) * scale, 3)
        color = "#c0392b" if c.kind == BURST_KIND else PALETTE[i % len(PALETTE)]
        parts.append(
            f'<text x="4" y="{y + 12}" font-size="11">{_esc(c.kind)} {_esc(c.id[-6:])}</text>'
            f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" '
            f'fill="{color}"><title>{_esc(c.id)}: {iso(c.start)} to {iso(c.end)}</title></rect>'
        )
    parts.append(
        f'<text x="{left}" y="{h - 4}" font-size="11">{iso(t0)}</text>'
        f'<text x="{width - 10}" y="{h - 4}" font-size="11" text-anchor="end">{iso(t1)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _network_svg(result: Result, accounts: list[str], size: int = 360) -> str:
    members = set(accounts[:MAX_NODES])
    sub = result.edges.filter(
        result.edges["source"].is_in(members) & result.edges["target"].is_in(members)
    )
    if sub.height == 0:
        return ""
    names = sorted(set(sub["source"].to_list()) | set(sub["target"].to_list()))
    idx = {n: i for i, n in enumerate(names)}
    g = ig.Graph(
        n=len(names),
        edges=[(idx[a], idx[b]) for a, b in zip(sub["source"], sub["target"], strict=True)],
    )
    rng = random.Random(result.params.seed)  # noqa: S311 (reproducible layout)
    previous = ig.set_random_number_generator(rng)
    try:
        layout = g.layout_fruchterman_reingold()
    finally:
        ig.set_random_number_generator(previous if previous is not None else random)
    xs, ys = zip(*layout.coords, strict=True)
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)

    def sx(x: float) -> float:
        return 10 + (x - minx) / max(maxx - minx, 1e-9) * (size - 20)

    def sy(y: float) -> float:
        return 10 + (y - miny) / max(maxy - miny, 1e-9) * (size - 20)

    parts = [
        f'<svg class="net" viewBox="0 0 {size} {size}" role="img" aria-label="Co-action network">'
    ]
    for e in g.es:
        a, b = layout.coords[e.source], layout.coords[e.target]
        parts.append(
            f'<line x1="{sx(a[0]):.1f}" y1="{sy(a[1]):.1f}" x2="{sx(b[0]):.1f}" '
            f'y2="{sy(b[1]):.1f}" stroke="#999" stroke-width="0.6"/>'
        )
    for i, (x, y) in enumerate(layout.coords):
        parts.append(
            f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="#1b6ca8">'
            f"<title>{_esc(names[i])}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render(result: Result, rejects: Rejects | None = None) -> str:
    st = result.stats
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Campaign detection report</title><style>",
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px}",
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;"
        "font-size:13px;vertical-align:top}svg.timeline{width:100%}svg.net{width:360px}"
        "section{border-top:2px solid #333;margin-top:2em}code{font-size:12px}",
        "</style></head><body><h1>Campaign detection report</h1>",
        f"<p>{st.get('posts', 0)} posts from {st.get('accounts', 0)} accounts, "
        f"{st.get('actions', 0)} enforcement actions; "
        f"{0 if rejects is None else rejects.count} rows rejected. "
        f"{len(result.campaigns)} campaigns found.</p>",
    ]
    if rejects is not None and rejects.count:
        out.append("<h2>Rejected rows</h2><table><tr><th>reason</th><th>rows</th></tr>")
        for reason, n in sorted(rejects.reasons().items()):
            out.append(f"<tr><td>{_esc(reason)}</td><td>{n}</td></tr>")
        out.append("</table>")
    out.append("<h2>Parameters</h2><p><code>")
    out.append(_esc(", ".join(f"{k}={v}" for k, v in result.params.as_dict().items())))
    out.append("</code></p><h2>Timeline</h2>")
    out.append(_timeline(result))
    for c in result.campaigns:
        out.append(f"<section id='{_esc(c.id)}'><h2>{_esc(c.kind)} <code>{_esc(c.id)}</code></h2>")
        out.append(
            f"<p>score {c.score}; {len(c.accounts)} accounts; {len(c.items)} items; "
            f"{iso(c.start)} to {iso(c.end)}; signals: {_esc(', '.join(c.signals))}</p>"
        )
        if c.linked:
            links = ", ".join(f"<a href='#{_esc(x)}'>{_esc(x)}</a>" for x in c.linked)
            out.append(f"<p>Linked: {links}</p>")
        ev = c.evidence
        for key, label, field in (
            ("texts", "Near-identical texts", "text"),
            ("links", "Links shared together", "url"),
            ("repost_targets", "Items reposted together", "item"),
            ("reply_targets", "Items replied to together", "item"),
        ):
            if ev.get(key):
                out.append(f"<h3>{label}</h3><table><tr><th>{field}</th><th>posts</th></tr>")
                for row in ev[key]:
                    out.append(f"<tr><td>{_esc(row[field])}</td><td>{row['posts']}</td></tr>")
                out.append("</table>")
        for key, rows in ev.items():
            if key.endswith("_values") and rows:
                out.append(
                    f"<h3>{_esc(key.removesuffix('_values'))} values used together</h3>"
                    "<table><tr><th>value</th><th>posts</th></tr>"
                )
                for row in rows:
                    out.append(f"<tr><td>{_esc(row['value'])}</td><td>{row['posts']}</td></tr>")
                out.append("</table>")
        if ev.get("origin"):
            o = ev["origin"]
            out.append(
                f"<p>First posted most of what the group co-acted on: "
                f"<b>{_esc(o['account'])}</b> ({o['share']:.0%})</p>"
            )
        if c.kind == FLASH_MOB_KIND:
            out.append(
                f"<p>{ev.get('accounts')} accounts, {ev.get('posts')} posts in "
                f"{ev.get('seconds')} s; {ev.get('new_accounts_share', 0):.0%} of the accounts "
                f"new; {ev.get('concentration', 0):.0%} of the item's posts.</p>"
            )
        if c.kind == BURST_KIND:
            out.append(
                f"<p>Community <b>{_esc(ev.get('community'))}</b>: {ev.get('count')} actions "
                f"where {ev.get('expected')} were expected ({_esc(ev.get('actions'))}).</p>"
            )
        else:
            out.append(_network_svg(result, c.accounts))
        shown = ", ".join(_esc(a) for a in c.accounts[:60])
        more = f" and {len(c.accounts) - 60} more" if len(c.accounts) > 60 else ""
        out.append(f"<p><b>Accounts</b>: {shown}{more}</p></section>")
    out.append(_relays(st.get("relays") or {}))
    out.append("</body></html>")
    return "".join(out)


def _relays(per_kind: dict) -> str:
    """The relays of prolific sources taken out of the network (docs/campaigns.md)."""
    sources: dict[str, set[str]] = {}
    for stats in per_kind.values():
        for row in stats.get("top", []):
            sources.setdefault(row["source"], set()).update(row["followers"])
    if not sources:
        return ""
    out = [
        "<section id='relays'><h2>Relays of prolific sources (not counted as campaigns)</h2>",
        "<p>These accounts re-posted, within minutes, what one prolific account posted first "
        "(as aggregators follow an outlet). Their co-action is not counted as coordination; "
        "look at them if the source itself is of interest.</p>",
        "<table><tr><th>source</th><th>followers</th></tr>",
    ]
    for source in sorted(sources, key=lambda s: (-len(sources[s]), s)):
        shown = ", ".join(_esc(a) for a in sorted(sources[source])[:30])
        more = len(sources[source]) - 30
        out.append(
            f"<tr><td>{_esc(source)}</td><td>{shown}{f' and {more} more' if more > 0 else ''}"
            "</td></tr>"
        )
    out.append("</table></section>")
    return "".join(out)


def write_report(result: Result, path: Path, rejects: Rejects | None = None) -> None:
    path.write_text(render(result, rejects), encoding="utf-8")
