"""``campaigns detect INPUT... --out DIR``: the command line of the campaign engine.

Runs standalone (``python -m amparo.engines.campaigns detect ...``) and behind the
``amparo campaigns`` management command, which forwards its arguments to :func:`main`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .detect import STAGES
from .model import Params
from .schema import load_mapping


def build_parser() -> argparse.ArgumentParser:
    defaults = Params()
    parser = argparse.ArgumentParser(
        prog="campaigns",
        description="Find coordinated campaigns and enforcement bursts in posts.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser(
        "detect",
        help="run every detector over posts (CSV, JSON Lines or Parquet) and write the results",
    )
    d.add_argument("inputs", nargs="+", metavar="INPUT", help="files of posts")
    d.add_argument("--out", required=True, type=Path, help="folder for the results")
    d.add_argument(
        "--actions",
        action="append",
        default=[],
        metavar="FILE",
        help="a file of enforcement actions (suspended, removed, restricted, restored); "
        "repeat for several",
    )
    d.add_argument("--mapping", type=Path, help="JSON column mapping (see docs/campaigns.md)")
    d.add_argument("--engine", choices=("local", "spark"), default="local")
    d.add_argument(
        "--spark-master",
        default="local[*]",
        help="Spark master URL when --engine spark (default local[*])",
    )
    d.add_argument(
        "--base",
        action="store_true",
        help="the first version's detectors (one window, the ratio test, no folding, four "
        "kinds, no flash mobs)",
    )
    d.add_argument(
        "--threshold",
        type=float,
        default=None,
        help=f"near-identical text similarity of character shingles, 0-1 (default {defaults.threshold})",
    )
    d.add_argument(
        "--word-threshold",
        type=float,
        default=None,
        help=f"paraphrase similarity of content words, 0-1; 0 turns it off (default {defaults.word_threshold})",
    )
    d.add_argument(
        "--min-words",
        type=int,
        default=None,
        help=f"content words a text needs to be compared by words (default {defaults.min_words})",
    )
    d.add_argument(
        "--no-fold",
        action="store_true",
        help="compare texts as written (no homoglyph, transliteration or emoji folding)",
    )
    d.add_argument(
        "--window",
        default=None,
        help="co-action windows in seconds, comma-separated "
        f"(default {','.join(map(str, defaults.windows))})",
    )
    d.add_argument(
        "--scoring",
        choices=("null", "ratio"),
        default=None,
        help=f"edge test: the null model or the ratio test (default {defaults.scoring})",
    )
    d.add_argument(
        "--min-shared",
        type=int,
        default=None,
        help=f"co-actions an edge needs (default {defaults.min_shared})",
    )
    d.add_argument(
        "--min-score",
        type=float,
        default=None,
        help=f"null model: -log10 of the chance of the co-actions (default {defaults.min_score})",
    )
    d.add_argument(
        "--min-support",
        type=int,
        default=None,
        help="null model: a pair short of the Bonferroni bound but scoring --min-score is kept "
        "with this many common neighbours among such pairs, a dense group; 0 turns it off "
        f"(default {defaults.min_support})",
    )
    d.add_argument(
        "--min-ratio",
        type=float,
        default=None,
        help=f"ratio test: co-actions / sqrt(posts a x posts b) (default {defaults.min_ratio})",
    )
    d.add_argument(
        "--max-key-accounts",
        type=int,
        default=None,
        help=f"a key acted on by more accounts links no one; 0: no limit "
        f"(default {defaults.max_key_accounts})",
    )
    d.add_argument(
        "--relay-min-items",
        type=int,
        default=None,
        help=f"relays: items an account must start, taken up by others, to be a prolific "
        f"source whose followers are not a campaign; 0 turns the test off "
        f"(default {defaults.relay_min_items})",
    )
    d.add_argument(
        "--relay-share",
        type=float,
        default=None,
        help=f"relays: share of a pair's co-acted items from prolific sources "
        f"(default {defaults.relay_share})",
    )
    d.add_argument(
        "--min-accounts",
        type=int,
        default=None,
        help=f"smallest group reported (default {defaults.min_accounts})",
    )
    d.add_argument(
        "--kinds",
        default=None,
        help="co-action kinds: text, link, repost, reply, hashtag, media, domain "
        f"(default {','.join(defaults.kinds)})",
    )
    d.add_argument(
        "--key-column",
        action="append",
        default=[],
        metavar="COLUMN",
        help="a column of the input whose values are co-action keys (kind key:COLUMN); "
        "repeat for several",
    )
    d.add_argument(
        "--mob-window",
        type=int,
        default=None,
        help=f"flash mobs: seconds (default {defaults.mob_window})",
    )
    d.add_argument(
        "--mob-min-accounts",
        type=int,
        default=None,
        help=f"flash mobs: accounts on one item in the window; 0 turns them off "
        f"(default {defaults.mob_min_accounts})",
    )
    d.add_argument(
        "--mob-min-novelty",
        type=float,
        default=None,
        help=f"flash mobs: share of new accounts (default {defaults.mob_min_novelty})",
    )
    d.add_argument(
        "--burst-bin",
        type=int,
        default=None,
        help=f"enforcement burst bin in seconds (default {defaults.burst_bin})",
    )
    d.add_argument(
        "--burst-min-score",
        type=float,
        default=None,
        help=f"minimum burst score, -log10 p (default {defaults.burst_min_score})",
    )
    d.add_argument("--seed", type=int, default=defaults.seed)
    d.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def params_from(args: argparse.Namespace) -> Params:
    changes: dict = {}
    for name in (
        "threshold",
        "word_threshold",
        "min_words",
        "scoring",
        "min_shared",
        "min_score",
        "min_support",
        "min_ratio",
        "max_key_accounts",
        "relay_min_items",
        "relay_share",
        "min_accounts",
        "mob_window",
        "mob_min_accounts",
        "mob_min_novelty",
        "burst_bin",
        "burst_min_score",
        "seed",
    ):
        value = getattr(args, name, None)
        if value is not None:
            changes[name] = value
    if args.no_fold:
        changes["fold"] = False
    if args.window:
        try:
            changes["windows"] = tuple(int(w) for w in str(args.window).split(",") if w.strip())
        except ValueError:
            raise SystemExit("--window takes seconds, comma-separated (30,120,600)") from None
    kinds = None
    if args.kinds:
        kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    if args.key_column:
        base = kinds or (Params.base().kinds if args.base else Params().kinds)
        kinds = (*base, *(f"key:{c}" for c in args.key_column))
    if kinds is not None:
        changes["kinds"] = kinds
    if "threshold" in changes and not 0 < changes["threshold"] <= 1:
        raise SystemExit("--threshold must be in (0, 1]")
    base = args.base
    try:
        return Params.base(**changes) if base else Params(**changes)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None


def run_detect(args: argparse.Namespace, console: Console) -> int:
    from .detect import detect
    from .io import Rejects, read_actions, read_posts
    from .outputs import write_all

    params = params_from(args)
    if args.engine == "spark":
        from .._extras import require_pyspark

        require_pyspark()
    mapping = load_mapping(args.mapping)
    started = time.perf_counter()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}"),
        TimeElapsedColumn(),
        console=console,
        disable=args.quiet,
        transient=False,
    )
    rejects = Rejects()
    with progress:
        reading = progress.add_task("reading posts", total=None)
        posts, rejects = read_posts(
            args.inputs,
            mapping=mapping["posts"],
            rejects=rejects,
            progress=lambda n: progress.advance(reading, n),
            keep=tuple(args.key_column),
        )
        progress.update(reading, total=progress.tasks[reading].completed)
        actions = None
        if args.actions:
            actions, rejects = read_actions(
                args.actions, mapping=mapping["actions"], rejects=rejects
            )
        stages = progress.add_task("detecting", total=len(STAGES))
        if args.engine == "spark":
            from .spark import detect_spark, local_session

            spark = local_session(args.spark_master)
            result = detect_spark(
                spark, posts, actions, params, stage=lambda _s: progress.advance(stages)
            )
        else:
            result = detect(posts, actions, params, stage=lambda _s: progress.advance(stages))
        progress.update(stages, completed=len(STAGES))
        writing = progress.add_task("writing", total=1)
        paths = write_all(result, args.out, rejects)
        progress.advance(writing)
    elapsed = time.perf_counter() - started
    kinds: dict[str, int] = {}
    for c in result.campaigns:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
    console.print(
        f"{posts.height:,} posts, {rejects.count:,} rejected; campaigns: {summary}; "
        f"{elapsed:.1f} s. Results in {args.out} ({len(paths)} files)."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        if args.command == "detect":
            return run_detect(args, console)
    except (ValueError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
