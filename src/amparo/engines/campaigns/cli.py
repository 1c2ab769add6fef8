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
        "--threshold",
        type=float,
        default=defaults.threshold,
        help="near-identical text similarity, 0-1 (default %(default)s)",
    )
    d.add_argument(
        "--window",
        type=int,
        default=defaults.window,
        help="co-action window in seconds (default %(default)s)",
    )
    d.add_argument(
        "--min-shared",
        type=int,
        default=defaults.min_shared,
        help="co-actions an edge needs (default %(default)s)",
    )
    d.add_argument(
        "--min-ratio",
        type=float,
        default=defaults.min_ratio,
        help="co-actions / sqrt(posts a x posts b) an edge needs (default %(default)s)",
    )
    d.add_argument(
        "--min-accounts",
        type=int,
        default=defaults.min_accounts,
        help="smallest group reported (default %(default)s)",
    )
    d.add_argument(
        "--kinds",
        default=",".join(defaults.kinds),
        help="co-action kinds to use (default %(default)s)",
    )
    d.add_argument(
        "--burst-bin",
        type=int,
        default=defaults.burst_bin,
        help="enforcement burst bin in seconds (default %(default)s)",
    )
    d.add_argument(
        "--burst-min-score",
        type=float,
        default=defaults.burst_min_score,
        help="minimum burst score, -log10 p (default %(default)s)",
    )
    d.add_argument("--seed", type=int, default=defaults.seed)
    d.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def params_from(args: argparse.Namespace) -> Params:
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    unknown = set(kinds) - {"text", "link", "repost", "reply"}
    if unknown:
        raise SystemExit(f"unknown co-action kind(s): {', '.join(sorted(unknown))}")
    if not 0 < args.threshold <= 1:
        raise SystemExit("--threshold must be in (0, 1]")
    return Params(
        threshold=args.threshold,
        window=args.window,
        min_shared=args.min_shared,
        min_ratio=args.min_ratio,
        min_accounts=args.min_accounts,
        kinds=kinds,
        burst_bin=args.burst_bin,
        burst_min_score=args.burst_min_score,
        seed=args.seed,
    )


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
