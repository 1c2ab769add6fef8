"""Readers: every format, column mappings, and no row dropped without a reason."""

from __future__ import annotations

import json

import polars as pl
import pytest

from amparo.engines.campaigns.io import read_actions, read_posts
from amparo.engines.campaigns.schema import load_mapping

CSV = """tweet_id,user_id,created_at,full_text,expanded_urls,retweeted_status_id
1,alice,2025-03-01T10:00:00Z,"Hello, world https://Example.org/a?utm_source=x",,
2,bob,1740823200,second post,https://www.example.org/a/,
3,,2025-03-01T10:00:05Z,no account,,
4,carol,yesterday-ish,bad time,,
5,dave,2025-03-01 10:00:09,"text with
a newline",,1
6,erin,2025-03-01T10:00:10+02:00,too,many,columns,here
1,frank,2025-03-01T10:00:11Z,duplicate id,,
7,gina,,no time,,
"""


def test_csv_rejects_are_counted_with_reasons(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(CSV, encoding="utf-8")
    posts, rejects = read_posts([path])
    assert sorted(posts["id"].to_list()) == ["1", "2", "5"]
    reasons = rejects.reasons()
    assert reasons == {
        "missing account": 1,
        "unparsable timestamp": 1,
        "missing timestamp": 1,
        "duplicate id": 1,
        "malformed CSV row: expected 6 columns, found 7": 1,
    }
    assert rejects.count == 5
    # nothing silently dropped: every data row is either kept or rejected
    assert posts.height + rejects.count == 8
    out = tmp_path / "rejects.csv"
    rejects.write_csv(out)
    back = pl.read_csv(out)
    assert set(back.columns) == {"source", "row", "reason", "raw"}
    assert "no account" in back.filter(pl.col("reason") == "missing account")["raw"][0]


def test_timestamps_and_urls_are_canonical(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(CSV, encoding="utf-8")
    posts, _ = read_posts([path])
    row = {r["id"]: r for r in posts.iter_rows(named=True)}
    assert row["1"]["timestamp"] == 1740823200
    assert row["2"]["timestamp"] == 1740823200
    assert row["5"]["timestamp"] == 1740823209  # naive date-times are UTC
    assert row["1"]["urls"] == ["example.org/a"]
    assert row["2"]["urls"] == ["example.org/a"]
    assert row["5"]["repost_of"] == "1"


def test_jsonl_malformed_lines_are_rejected_and_neighbours_kept(tmp_path):
    path = tmp_path / "posts.jsonl"
    lines = [
        json.dumps(
            {
                "id": 1,
                "account": "a",
                "timestamp": 1700000000,
                "text": "x",
                "urls": ["https://a.example/1"],
            }
        ),
        "{not json",
        json.dumps([1, 2, 3]),
        json.dumps({"id": 2, "account": "b", "timestamp": 1700000000123, "text": "y"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    posts, rejects = read_posts([path])
    assert posts["id"].to_list() == ["1", "2"]
    assert posts["timestamp"].to_list() == [1700000000, 1700000000]  # milliseconds detected
    assert posts["urls"].to_list()[0] == ["a.example/1"]
    reasons = rejects.frame()
    assert reasons["row"].to_list() == [2, 3]
    assert reasons["reason"][0].startswith("malformed JSON")
    assert reasons["reason"][1] == "JSON line is not an object"


def test_parquet_with_a_mapping_file(tmp_path):
    pl.DataFrame(
        {
            "msg": ["m1", "m2"],
            "who": ["a", "b"],
            "when": [1700000000, 1700000060],
            "body": ["hi", "there"],
        }
    ).write_parquet(tmp_path / "p.parquet")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"posts": {"id": "msg", "account": "who", "timestamp": "when", "text": "body"}})
    )
    posts, rejects = read_posts([tmp_path / "p.parquet"], mapping=load_mapping(mapping)["posts"])
    assert posts["id"].to_list() == ["m1", "m2"]
    assert rejects.count == 0


def test_missing_required_column_is_an_error_that_names_the_fix(tmp_path):
    pl.DataFrame({"foo": [1], "bar": [2]}).write_parquet(tmp_path / "p.parquet")
    with pytest.raises(ValueError, match="mapping"):
        read_posts([tmp_path / "p.parquet"])


def test_mapping_rejects_unknown_columns(tmp_path):
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"identifier": "id"}))
    with pytest.raises(ValueError, match="unknown posts column"):
        load_mapping(mapping)


def test_actions_synonyms_and_rejects(tmp_path):
    path = tmp_path / "actions.csv"
    path.write_text(
        "decision,time,user_id,post_id,community\n"
        "Suspension,2025-03-01T10:00:00Z,alice,,c1\n"
        "removed,2025-03-01T10:00:00Z,,p9,c1\n"
        "frobnicated,2025-03-01T10:00:00Z,bob,,c1\n"
        "restored,,bob,,c1\n"
        "banned,2025-03-01T10:00:00Z,,,c1\n",
        encoding="utf-8",
    )
    actions, rejects = read_actions([path])
    assert actions["action"].to_list() == ["suspended", "removed"]
    assert rejects.reasons() == {
        "unknown action": 1,
        "missing or unparsable timestamp": 1,
        "neither account nor item": 1,
    }
