"""Benchmark: Amparo's campaign detection against coordination-network-toolkit and
datasketch on the same planted data (see README.md in this folder).

    .venv/bin/python bench/campaigns/run.py                 # 100k and 1M, all peers
    .venv/bin/python bench/campaigns/run.py --sizes 100k --peers none --no-record

Every contender runs in its own subprocess; the parent samples the resident memory of
the subprocess and its children (psutil) every 50 ms, so peak memory is per contender,
and kills it at ``--timeout`` seconds, reporting "did not finish".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE.parent))
import evaluate  # noqa: E402
import peers  # noqa: E402
from peers import MIN_WEIGHT, THRESHOLD, WINDOW  # noqa: E402
from tables import CNT_NETWORKS, render  # noqa: E402

import results_file  # noqa: E402

OUR_KIND = {
    "co_tweet": "text",
    "co_similar_tweet": "text",
    "co_link": "link",
    "co_retweet": "repost",
    "co_reply": "reply",
}


# --------------------------------------------------------------------------- workers


def worker_amparo(data: Path, out: Path, base: bool = False) -> dict:
    import numpy as np
    import polars as pl

    from amparo.engines.campaigns import coaction
    from amparo.engines.campaigns.detect import account_codes, build_events, detect
    from amparo.engines.campaigns.io import read_actions, read_posts
    from amparo.engines.campaigns.model import BURST_KIND, Params
    from amparo.engines.campaigns.outputs import write_all

    t0 = time.perf_counter()
    posts, rejects = read_posts([data / "posts.parquet"])
    actions, rejects = read_actions([data / "actions.parquet"], rejects=rejects)
    t1 = time.perf_counter()
    params = (
        Params.base(threshold=THRESHOLD, windows=(WINDOW,), min_shared=MIN_WEIGHT)
        if base
        else Params()
    )
    result = detect(posts, actions, params)
    t2 = time.perf_counter()
    folder = out / ("amparo_base_out" if base else "amparo_out")
    write_all(result, folder, rejects)
    t3 = time.perf_counter()
    raw = {}
    if base:
        # Untimed: the raw per-kind networks (no ratio filter), to compare with the toolkit.
        ev = build_events(posts, params)
        acc, names = account_codes(posts)
        ts = posts["timestamp"].to_numpy()
        for kind, rows in ev.rows.items():
            p = coaction.coaction_pairs(kind, ev.keys[kind], ts[rows], acc[rows], rows, WINDOW)
            e = coaction.edges_from_pairs(
                p,
                acc,
                coaction.account_activity(acc[rows], len(names)),
                min_shared=MIN_WEIGHT,
                min_ratio=0.0,
            )
            name_arr = np.array(names, dtype=object)
            raw[kind] = [[name_arr[a], name_arr[b]] for a, b in e.select("a", "b").iter_rows()]
    clusters = pl.read_parquet(folder / "text_clusters.parquet")
    return {
        "seconds": {"read": t1 - t0, "detect": t2 - t1, "write": t3 - t2, "total": t3 - t0},
        "stages": result.stats["seconds"],
        "groups": [c.accounts for c in result.campaigns if c.kind != BURST_KIND],
        "bursts": [
            {
                "community": c.evidence["community"],
                "start": c.start,
                "end": c.end,
            }
            for c in result.campaigns
            if c.kind == BURST_KIND
        ],
        "clusters": dict(
            zip(clusters["id"].to_list(), map(str, clusters["cluster"].to_list()), strict=True)
        ),
        "raw_edges": raw,
        "rejected": rejects.count,
        "null_model": result.stats.get("null_model", {}),
        "pairs": result.stats.get("pairs", {}),
    }


def worker_main(args: argparse.Namespace) -> None:
    data, out = Path(args.data), Path(args.work)
    if args.worker == "amparo":
        res = worker_amparo(data, out)
    elif args.worker == "amparo_base":
        res = worker_amparo(data, out, base=True)
    elif args.worker == "cnt_load":
        res = peers.worker_cnt_load(data, out, only_urls=False)
    elif args.worker == "cnt_load_urls":
        res = peers.worker_cnt_load(data, out, only_urls=True)
    elif args.worker.startswith("cnt_"):
        res = peers.worker_cnt_network(out, args.worker.removeprefix("cnt_"))
    else:
        res = peers.worker_datasketch(data)
    Path(args.result).write_text(json.dumps(res), encoding="utf-8")


# --------------------------------------------------------------------------- parent


def run_contender(name: str, data: Path, work: Path, timeout: int) -> dict:
    """Run one contender in a subprocess; wall time, peak RSS of its tree, its result."""
    result = work / f"{name}.json"
    result.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        name,
        "--data",
        str(data),
        "--work",
        str(work),
        "--result",
        str(result),
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    peak = 0
    finished = True
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(
                c.memory_info().rss for c in ps.children(recursive=True)
            )
            peak = max(peak, rss)
        except psutil.Error:
            pass
        if time.perf_counter() - start > timeout:
            for c in ps.children(recursive=True):
                c.kill()
            proc.kill()
            finished = False
            break
        time.sleep(0.05)
    proc.wait()
    wall = time.perf_counter() - start
    out = {"name": name, "wall": wall, "peak_mb": peak / 2**20, "finished": finished}
    if finished and proc.returncode == 0 and result.exists():
        out.update(json.loads(result.read_text(encoding="utf-8")))
    elif finished:
        out["finished"] = False
        out["error"] = (proc.stderr.read() if proc.stderr else b"").decode()[-2000:]
    return out


def group_scores(groups: list[list[str]], truth: dict) -> dict:
    return evaluate.group_scores(groups, truth)


def cluster_scores(clusters: dict[str, str], truth: dict) -> dict:
    """Near-identical texts: for each planted template, the cluster holding most of its
    posts; recall = share of the template's posts in it, precision = share of that
    cluster's posts that are the template's (macro-averaged)."""
    from collections import Counter, defaultdict

    by_template: dict[str, list[str]] = defaultdict(list)
    for pid, tpl in truth["templates"].items():
        by_template[tpl].append(pid)
    size = Counter(clusters.values())
    rec, prec = [], []
    for pids in by_template.values():
        cs = Counter(clusters.get(p, f"none-{p}") for p in pids)
        best, n = cs.most_common(1)[0]
        rec.append(n / len(pids))
        prec.append(n / max(size.get(best, n), n))
    return {"precision": sum(prec) / len(prec), "recall": sum(rec) / len(rec)}


def groups_from_edges(edges: list[list[str]], how: str = "leiden") -> list[list[str]]:
    """Groups of at least three accounts from a peer's edges: Leiden communities (as Amparo
    groups its own edges), or the connected components of the network (how the toolkit's
    users read its output)."""
    import polars as pl

    from amparo.engines.campaigns.groups import build_graph, leiden_groups

    if not edges:
        return []
    df = pl.DataFrame({"source": [e[0] for e in edges], "target": [e[1] for e in edges]})
    df = df.group_by("source", "target").len().rename({"len": "weight"})
    graph = build_graph(df)
    if how == "components":
        names = graph.vs["name"]
        return [
            sorted(names[i] for i in part)
            for part in graph.connected_components()
            if len(part) >= 3
        ]
    return leiden_groups(graph, min_accounts=3)


def bench_size(size: str, args: argparse.Namespace) -> dict:
    from generate import parse_size, write

    n = parse_size(size)
    data = Path(args.data) / f"{size}-seed{args.seed}"
    if not (data / "truth.json").exists():
        print(f"[{size}] generating {n:,} posts ...", flush=True)
        write(data, n, args.seed)
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))
    evaluate.add_viral_organic(truth, data / "posts.parquet")
    work = data / "work"
    work.mkdir(exist_ok=True)
    report: dict = {
        "size": size,
        "posts": truth["posts"],
        "groups": len(truth["groups"]),
        "profile": truth.get("profile", "classic"),
    }
    for name in ("amparo", "amparo_base"):
        if name == "amparo_base" and args.no_base:
            continue
        print(f"[{size}] {name} ...", flush=True)
        r = run_contender(name, data, work, args.timeout)
        report[name] = r
        if r.get("finished"):
            r["scores"] = group_scores(r["groups"], truth)
            r["scores"]["organic_shares"] = evaluate.organic_shares(r["scores"], truth)
            r["text_scores"] = cluster_scores(r["clusters"], truth)
            r["bursts_found"] = sum(
                any(
                    b["community"] == tb["community"]
                    and b["start"] < tb["end"]
                    and b["end"] > tb["start"]
                    for b in r["bursts"]
                )
                for tb in truth["bursts"]
            ) / len(truth["bursts"])
            r.pop("clusters")
    amp = report.get("amparo_base", {})
    peers = set(args.peers.split(",")) if args.peers != "none" else set()
    if size not in args.peer_sizes.split(","):
        peers = set()
    if "cnt" in peers:
        for load in ("cnt_load", "cnt_load_urls"):
            print(f"[{size}] {load} ...", flush=True)
            report[load] = run_contender(load, data, work, args.timeout)
        nets: dict[str, list[list[str]]] = {}
        for net in CNT_NETWORKS:
            print(f"[{size}] cnt {net} ...", flush=True)
            r = run_contender(f"cnt_{net}", data, work, args.timeout)
            if r.get("finished"):
                ours = {tuple(e) for e in amp.get("raw_edges", {}).get(OUR_KIND[net], [])}
                theirs = {tuple(e) for e in r["edges"]}
                r["n_edges"] = len(theirs)
                r["edge_jaccard_vs_amparo"] = (
                    len(ours & theirs) / len(ours | theirs) if ours | theirs else 1.0
                )
                nets[net] = r.pop("edges")
            report[f"cnt_{net}"] = r
        text_net = "co_similar_tweet" if "co_similar_tweet" in nets else "co_tweet"
        report["cnt_text_network_used"] = text_net
        union = [
            e for net in (text_net, "co_link", "co_retweet", "co_reply") for e in nets.get(net, [])
        ]
        report["cnt_scores"] = group_scores(groups_from_edges(union), truth)
        report["cnt_scores"]["organic_shares"] = evaluate.organic_shares(
            report["cnt_scores"], truth
        )
        report["cnt_scores_components"] = group_scores(
            groups_from_edges(union, how="components"), truth
        )
        report["cnt_scores_components"]["organic_shares"] = evaluate.organic_shares(
            report["cnt_scores_components"], truth
        )
    if "datasketch" in peers:
        print(f"[{size}] datasketch ...", flush=True)
        ds = run_contender("datasketch", data, work, args.timeout)
        if ds.get("finished"):
            ds["text_scores"] = cluster_scores(ds.pop("clusters"), truth)
        report["datasketch"] = ds
    for name in ("amparo", "amparo_base"):
        for key in ("raw_edges", "groups", "bursts"):
            report.get(name, {}).pop(key, None)
    return report


def record(section: str, path: Path) -> None:
    results_file.replace_section("## Campaign detection (bench/campaigns)", section, path)


def machine() -> str:
    return results_file.machine()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100k,1m", help="comma-separated: 100k,1m,5m")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--peers", default="cnt", help="cnt, datasketch, cnt,datasketch or none")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per contender")
    ap.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "amparo-bench-campaigns"))
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    ap.add_argument("--no-record", action="store_true", help="do not write bench/RESULTS.md")
    ap.add_argument(
        "--peer-sizes",
        default="100k,1m",
        help="sizes at which the peers run too (they take hours beyond 1m)",
    )
    ap.add_argument(
        "--fresh",
        action="store_true",
        help="forget results of earlier runs (by default sizes not run now keep their last "
        "results in the recorded section)",
    )
    ap.add_argument(
        "--keep-peers",
        action="store_true",
        help="with --peers none: keep the peers' figures of the last run of each size",
    )
    ap.add_argument(
        "--render-only", action="store_true", help="write the section from the saved results"
    )
    ap.add_argument(
        "--no-base",
        action="store_true",
        help="skip the first version (it pairs every post of a viral key: at 5M posts and "
        "beyond it needs more memory than the new defaults)",
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker_main(args)
        return
    if args.render_only:
        from generate import parse_size

        saved = json.loads((Path(args.data) / "results.json").read_text(encoding="utf-8"))
        reports = sorted(saved.values(), key=lambda r: parse_size(r["size"]))
        section = render(reports, args, machine())
        print(section)
        if not args.no_record:
            record(section, args.results)
        return
    store = Path(args.data) / "results.json"
    saved: dict[str, dict] = (
        json.loads(store.read_text(encoding="utf-8")) if store.exists() and not args.fresh else {}
    )
    command = "bench/campaigns/run.py " + " ".join(sys.argv[1:])
    for size in args.sizes.split(","):
        size = size.strip()
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        started = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
        rep = bench_size(size, args)
        rep.update(date=started, command=command.strip(), load=load)
        if args.keep_peers and size in saved:
            # Amparo measured again; the peers' figures of the last run stay, with their date.
            for key, value in saved[size].items():
                if key not in rep or key in ("peers_date",):
                    rep[key] = value
            rep["peers_date"] = saved[size].get("peers_date", saved[size].get("date"))
        saved[size] = rep
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text(json.dumps(saved, indent=1), encoding="utf-8")
    from generate import parse_size

    reports = sorted(saved.values(), key=lambda r: parse_size(r["size"]))
    section = render(reports, args, machine())
    print(section)
    if not args.no_record:
        record(section, args.results)
        print(f"recorded in {args.results}")


if __name__ == "__main__":
    main()
