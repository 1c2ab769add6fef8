"""A deterministic generator of schema-faithful Transparency Database dump files.

It writes what the Commission publishes for one day: ``sor-<scope>-<day>-<full|light>.zip``
(an outer zip of ``.csv.zip`` parts of at most ``rows_per_zip`` rows, each holding CSV parts of
``rows_per_csv`` rows) and a ``.sha1`` beside it. Values follow the published enumerations with
heavy-tailed platform shares, mostly automated and terms-of-service decisions, long templated
free text, EEA-wide territorial scopes, and a chosen share of malformed rows whose kinds are
counted in the returned :class:`SynthReport` so that tests can check the quarantine exactly.

Used by the tests and by ``bench/tdb/generate.py``; it needs only numpy and pyarrow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from . import schema

#: (name, share of rows, content-id pattern prefix, share fully automated)
PLATFORMS: tuple[tuple[str, float, str, float], ...] = (
    ("Google Shopping", 0.30, "gs-offer-", 0.99),
    ("TikTok", 0.18, "", 0.80),
    ("Facebook", 0.08, "fb_", 0.55),
    ("Instagram", 0.07, "ig_", 0.55),
    ("YouTube", 0.06, "yt-", 0.45),
    ("Pinterest", 0.05, "pin-", 0.90),
    ("Amazon Store", 0.04, "B0", 0.70),
    ("Google Play", 0.03, "com.app.", 0.60),
    ("Google Maps", 0.03, "ChIJ", 0.95),
    ("Temu", 0.025, "temu-", 0.85),
    ("AliExpress", 0.02, "ae-", 0.75),
    ("Snapchat", 0.02, "snap-", 0.50),
    ("LinkedIn", 0.015, "urn:li:activity:", 0.40),
    ("Booking.com", 0.012, "bk-", 0.30),
    ("X", 0.012, "", 0.0),
    ("Shein", 0.01, "sh-", 0.80),
    ("Reddit", 0.008, "t3_", 0.35),
    ("Zalando", 0.006, "zal-", 0.50),
    ("Bumble", 0.005, "bmb-", 0.60),
    ("Telegram", 0.004, "tg-", 0.20),
    ("Quora", 0.004, "q-", 0.40),
    ("Vinted", 0.004, "vnt-", 0.30),
    ("Twitch", 0.003, "tw-", 0.30),
    ("Discord", 0.003, "dc-", 0.25),
    ("Tinder", 0.003, "tnd-", 0.60),
    ("Wikipedia", 0.001, "wp-", 0.0),
    ("Microsoft Bing", 0.001, "bing-", 0.90),
    ("Allegro", 0.001, "alg-", 0.50),
)

_V1_CATEGORY_SHARES = {
    "SCOPE_OF_PLATFORM_SERVICE": 0.42,
    "ILLEGAL_OR_HARMFUL_SPEECH": 0.12,
    "PORNOGRAPHY_OR_SEXUALIZED_CONTENT": 0.10,
    "SCAMS_AND_FRAUD": 0.08,
    "PROTECTION_OF_MINORS": 0.06,
    "VIOLENCE": 0.05,
    "UNSAFE_AND_ILLEGAL_PRODUCTS": 0.05,
    "INTELLECTUAL_PROPERTY_INFRINGEMENTS": 0.04,
    "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS": 0.025,
    "NON_CONSENSUAL_BEHAVIOUR": 0.02,
    "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS": 0.015,
    "SELF_HARM": 0.01,
    "RISK_FOR_PUBLIC_SECURITY": 0.01,
    "ANIMAL_WELFARE": 0.005,
}
_V2_CATEGORY_SHARES = {
    "OTHER_VIOLATION_TC": 0.40,
    "ILLEGAL_OR_HARMFUL_SPEECH": 0.11,
    "CYBER_VIOLENCE": 0.06,
    "SCAMS_AND_FRAUD": 0.08,
    "PROTECTION_OF_MINORS": 0.07,
    "VIOLENCE": 0.05,
    "UNSAFE_AND_PROHIBITED_PRODUCTS": 0.05,
    "CONSUMER_INFORMATION": 0.04,
    "INTELLECTUAL_PROPERTY_INFRINGEMENTS": 0.04,
    "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS": 0.025,
    "CYBER_VIOLENCE_AGAINST_WOMEN": 0.02,
    "NOT_SPECIFIED_NOTICE": 0.02,
    "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS": 0.015,
    "SELF_HARM": 0.01,
    "RISK_FOR_PUBLIC_SECURITY": 0.01,
    "ANIMAL_WELFARE": 0.005,
}
_LANGUAGES = ("EN", "DE", "FR", "ES", "IT", "PL", "NL", "PT", "RO", "EL", "CS", "HU", "SV",
              "BG", "DA", "FI", "SK", "HR", "AR", "TR", "UK", "RU", "")  # fmt: skip
_LANGUAGE_WEIGHTS = (30, 12, 10, 9, 7, 5, 4, 4, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8)

_FACTS = (
    "The content was reviewed against our Community Guidelines and found to violate the policy "
    "on {topic}. The decision was taken after {how}. The uploader was informed of the decision "
    "and of the possibility to appeal through the in-app complaint system.",
    "Listing {ref} was removed because the offer did not comply with our merchant policies "
    "regarding {topic}. Automated systems flagged the listing and the decision was applied "
    "without human review.",
    "We restricted the visibility of this item because it contravenes our terms of service "
    "({topic}). Reference {ref}.",
    "Account action taken following {how}. Our teams determined that the account repeatedly "
    "shared content about {topic}, which is not allowed on the service. Case {ref}.",
)
_TOPICS = ("hate speech", "harassment and bullying", "adult nudity", "spam", "counterfeit goods",
           "misleading claims", "violent and graphic content", "dangerous organisations",
           "elections integrity", "impersonation", "child safety", "regulated goods")  # fmt: skip
_HOW = ("an automated detection", "a user notice under Article 16 DSA",
        "a notice from a trusted flagger", "a proactive review by our moderators")  # fmt: skip
_LONG_TAIL = (
    "\n\nAdditional context provided by the reviewer: the material was assessed in the language "
    "of the post and in light of local law, including the relevant national provisions on "
    "incitement, defamation and the protection of personal data, and the surrounding context "
    "of the account's recent activity was taken into account."
)

#: Kinds of malformed rows the generator can plant, as the ingest names their reasons.
MALFORMED_KINDS = ("field_count", "created_at", "uuid", "json_array")


@dataclass
class SynthReport:
    """What a generated dump contains (for tests and the benchmark)."""

    path: Path
    rows: int = 0
    good_rows: int = 0
    malformed: Counter = field(default_factory=Counter)
    csv_bytes: int = 0
    zip_bytes: int = 0
    puids: list[tuple[str, str]] = field(default_factory=list)


def _uuids(rng: np.random.Generator, n: int) -> pa.Array:
    raw = rng.integers(0, 16, size=(n, 32), dtype=np.uint8)
    hexchars = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)[raw]
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    for dst, src in ((slice(0, 8), slice(0, 8)), (slice(9, 13), slice(8, 12)),
                     (slice(14, 18), slice(12, 16)), (slice(19, 23), slice(16, 20)),
                     (slice(24, 36), slice(20, 32))):  # fmt: skip
        out[:, dst] = hexchars[:, src]
    return pa.array(out.view("S36").ravel()).cast(pa.string())


def _choice(rng: np.random.Generator, pool: list[str], n: int, p=None) -> pa.Array:
    idx = rng.choice(len(pool), size=n, p=p)
    return pa.array(pool, type=pa.string()).take(pa.array(idx))


def _facts_with_ref(templates: pa.Array, ids: pa.Array, rng: np.random.Generator) -> pa.Array:
    """Fill each template's ``{ref}`` with the row's id and give some rows a long tail."""
    n = len(templates)
    parts = pc.split_pattern(templates, "{ref}", max_splits=1)
    before, after = pc.list_element(parts, 0), pc.list_element(parts, 1)
    u = rng.random(n)
    tail_idx = np.where(u < 0.01, 2, np.where(u < 0.12, 1, 0))
    tail = pa.array(["", _LONG_TAIL, _LONG_TAIL * 8]).take(pa.array(tail_idx))
    return pc.binary_join_element_wise(before, ids, after, tail, "")


def _arr(items) -> str:
    return "[" + ",".join(f'"{i}"' for i in items) + "]"


def make_table(
    day: dt.date,
    n: int,
    seed: int,
    *,
    categories: str = "auto",
    platform: str | None = None,
) -> pa.Table:
    """Build ``n`` well-formed rows for ``day`` as an Arrow table of strings (38 columns)."""
    rng = np.random.default_rng(seed)
    if categories == "auto":
        categories = "v2" if day >= schema.V2_SINCE else "v1"
    shares = _V2_CATEGORY_SHARES if categories == "v2" else _V1_CATEGORY_SHARES
    cat_names = [f"STATEMENT_CATEGORY_{c}" for c in shares]
    cat_p = np.array(list(shares.values()))
    cat_idx = rng.choice(len(cat_names), size=n, p=cat_p / cat_p.sum())
    keywords = sorted(schema.KEYWORDS_V2 if categories == "v2" else schema.KEYWORDS_V1)

    if platform is None:
        plat_p = np.array([p[1] for p in PLATFORMS])
        plat_idx = rng.choice(len(PLATFORMS), size=n, p=plat_p / plat_p.sum())
    else:
        names = [p[0] for p in PLATFORMS]
        plat_idx = np.full(n, names.index(platform) if platform in names else 0)
    plat_names = pa.array([p[0] for p in PLATFORMS]).take(pa.array(plat_idx))
    prefixes = pa.array([p[2] for p in PLATFORMS]).take(pa.array(plat_idx))
    ids = pc.cast(pa.array(rng.integers(10**17, 10**18, size=n)), pa.string())
    puid = pc.binary_join_element_wise(prefixes, ids, "")
    fully_p = np.array([p[3] for p in PLATFORMS])[plat_idx]
    u = rng.random(n)
    automated_decision = np.where(
        u < fully_p,
        "AUTOMATED_DECISION_FULLY",
        np.where(u < fully_p + (1 - fully_p) / 2, "AUTOMATED_DECISION_PARTIALLY",
                 "AUTOMATED_DECISION_NOT_AUTOMATED"),
    )  # fmt: skip
    automated_detection = np.where(rng.random(n) < np.maximum(fully_p, 0.3), "Yes", "No")

    start = np.datetime64(day.isoformat(), "s")
    secs = rng.integers(0, 86400, size=n)
    # A few rows spill from the previous day, as in the published files.
    secs = np.where(rng.random(n) < 0.005, secs - 86400, secs)
    created = pa.array(start + secs.astype("timedelta64[s]"))
    created_at = pc.strftime(created, format="%Y-%m-%d %H:%M:%S")
    content_date = pc.strftime(
        pa.array(start - rng.integers(0, 400, size=n).astype("timedelta64[D]")),
        format="%Y-%m-%d",
    )
    application_date = pc.strftime(created, format="%Y-%m-%d")

    ground = np.where(rng.random(n) < 0.03, "DECISION_GROUND_ILLEGAL_CONTENT",
                      "DECISION_GROUND_INCOMPATIBLE_CONTENT")  # fmt: skip
    illegal = ground == "DECISION_GROUND_ILLEGAL_CONTENT"

    vis_pool = [_arr(["DECISION_VISIBILITY_CONTENT_REMOVED"]),
                _arr(["DECISION_VISIBILITY_CONTENT_DISABLED"]),
                _arr(["DECISION_VISIBILITY_CONTENT_DEMOTED"]),
                _arr(["DECISION_VISIBILITY_CONTENT_REMOVED",
                      "DECISION_VISIBILITY_CONTENT_LABELLED"]),
                _arr(["DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED"]), ""]  # fmt: skip
    ctype_pool = [_arr(["CONTENT_TYPE_PRODUCT"]), _arr(["CONTENT_TYPE_VIDEO"]),
                  _arr(["CONTENT_TYPE_TEXT"]), _arr(["CONTENT_TYPE_IMAGE"]),
                  _arr(["CONTENT_TYPE_IMAGE", "CONTENT_TYPE_TEXT"]),
                  _arr(["CONTENT_TYPE_OTHER"])]  # fmt: skip
    eea = list(schema.EEA_COUNTRIES)
    scope_pool = [_arr(eea), _arr(eea), _arr(eea), _arr([c for c in eea if c not in "IS LI NO"])]
    scope_pool += [_arr([c]) for c in ("DE", "FR", "IT", "ES", "PL", "NL")]
    kw_pool = (
        [""] * 30
        + [_arr([k]) for k in keywords]
        + [_arr([keywords[i], keywords[i + 1]]) for i in range(0, len(keywords) - 1, 7)]
    )
    facts_idx = rng.integers(0, len(_FACTS) * len(_TOPICS) * len(_HOW), size=n)
    facts_pool = [
        f.format(topic=t, how=h, ref="{ref}") for f in _FACTS for t in _TOPICS for h in _HOW
    ]
    facts_pool = [f if "{ref}" in f else f + " Reference {ref}." for f in facts_pool]
    facts = _facts_with_ref(pa.array(facts_pool).take(pa.array(facts_idx)), ids, rng)
    tos_grounds = [f"Community Guidelines: {t}" for t in _TOPICS] + ["Terms of Service, section 4"]
    cols: dict[str, pa.Array] = {
        "uuid": _uuids(rng, n),
        "decision_visibility": _choice(rng, vis_pool, n, p=[0.45, 0.25, 0.12, 0.05, 0.03, 0.10]),
        "decision_visibility_other": pa.nulls(n, pa.string()),
        "end_date_visibility_restriction": pa.nulls(n, pa.string()),
        "decision_monetary": _choice(rng, ["", "DECISION_MONETARY_SUSPENSION"], n, p=[0.97, 0.03]),
        "decision_monetary_other": pa.nulls(n, pa.string()),
        "end_date_monetary_restriction": pa.nulls(n, pa.string()),
        "decision_provision": _choice(
            rng,
            ["", "DECISION_PROVISION_TOTAL_SUSPENSION", "DECISION_PROVISION_PARTIAL_SUSPENSION"],
            n,
            p=[0.95, 0.03, 0.02],
        ),
        "end_date_service_restriction": pa.nulls(n, pa.string()),
        "decision_account": _choice(
            rng,
            ["", "DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"],
            n,
            p=[0.88, 0.07, 0.05],
        ),
        "end_date_account_restriction": pa.nulls(n, pa.string()),
        "account_type": _choice(
            rng, ["", "ACCOUNT_TYPE_PRIVATE", "ACCOUNT_TYPE_BUSINESS"], n, p=[0.5, 0.3, 0.2]
        ),
        "decision_ground": pa.array(ground),
        "decision_ground_reference_url": _choice(
            rng,
            [
                "",
                "https://www.example-platform.eu/community-guidelines",
                "https://www.example-platform.eu/legal/terms",
            ],
            n,
            p=[0.4, 0.4, 0.2],
        ),
        "illegal_content_legal_ground": pa.array(np.where(illegal, "Art. 130 StGB", "")),
        "illegal_content_explanation": pa.array(
            np.where(illegal, "The content meets the elements of the offence of incitement.", "")
        ),
        "incompatible_content_ground": pa.array(
            np.where(illegal, "", np.array(tos_grounds)[rng.integers(0, len(tos_grounds), n)])
        ),
        "incompatible_content_explanation": pa.array(
            np.where(
                illegal,
                "",
                "The content is incompatible with our terms and conditions as explained "
                "in the section of our guidelines referred to above.",
            )
        ),
        "incompatible_content_illegal": pa.array(
            np.where(illegal, "", np.where(rng.random(n) < 0.1, "Yes", "No"))
        ),
        "category": pa.array(cat_names).take(pa.array(cat_idx)),
        "category_addition": _choice(rng, ["", "[]", _arr([cat_names[1]])], n, p=[0.6, 0.35, 0.05]),
        "category_specification": _choice(rng, kw_pool, n),
        "category_specification_other": pa.nulls(n, pa.string()),
        "content_type": _choice(rng, ctype_pool, n, p=[0.35, 0.25, 0.2, 0.1, 0.05, 0.05]),
        "content_type_other": pa.nulls(n, pa.string()),
        "content_language": _choice(
            rng, list(_LANGUAGES), n, p=np.array(_LANGUAGE_WEIGHTS) / sum(_LANGUAGE_WEIGHTS)
        ),
        "content_date": content_date,
        "content_id_ean": pa.nulls(n, pa.string()),
        "territorial_scope": _choice(
            rng, scope_pool, n, p=[0.3, 0.3, 0.2, 0.1, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01]
        ),
        "application_date": application_date,
        "decision_facts": facts,
        "source_type": _choice(
            rng,
            [
                "SOURCE_VOLUNTARY",
                "SOURCE_ARTICLE_16",
                "SOURCE_TRUSTED_FLAGGER",
                "SOURCE_TYPE_OTHER_NOTIFICATION",
            ],
            n,
            p=[0.85, 0.11, 0.01, 0.03],
        ),
        "source_identity": pa.nulls(n, pa.string()),
        "automated_detection": pa.array(automated_detection),
        "automated_decision": pa.array(automated_decision),
        "platform_name": plat_names,
        "platform_uid": puid,
        "created_at": created_at,
    }
    return pa.table(cols)


def _malform(
    table: pa.Table, rng: np.random.Generator, rate: float, counts: Counter
) -> tuple[pa.Table, list[bytes]]:
    """Plant malformed rows; return the table and raw lines with a wrong number of fields."""
    n = len(table)
    k = int(rng.binomial(n, rate)) if rate > 0 else 0
    if k == 0:
        return table, []
    rows = rng.choice(n, size=k, replace=False)
    kinds = rng.integers(0, len(MALFORMED_KINDS), size=k)
    masks = {kind: np.zeros(n, dtype=bool) for kind in MALFORMED_KINDS}
    for r, kind in zip(rows, kinds, strict=True):
        masks[MALFORMED_KINDS[kind]][r] = True
    bad: dict[str, object] = {
        "created_at": "2025-13-45 25:61:00",
        "uuid": pa.scalar(None, pa.string()),
        "json_array": '["CONTENT_TYPE_TEXT"',
    }
    column_of = {"created_at": "created_at", "uuid": "uuid", "json_array": "content_type"}
    for kind, column in column_of.items():
        if masks[kind].any():
            i = table.schema.get_field_index(column)
            table = table.set_column(
                i, column, pc.if_else(pa.array(masks[kind]), bad[kind], table[column])
            )
            counts[kind] += int(masks[kind].sum())
    lines: list[bytes] = []
    short = masks["field_count"]
    if short.any():
        cut = table.filter(pa.array(short)).select(list(table.column_names[:12]))
        buf = io.BytesIO()
        pacsv.write_csv(cut, buf, pacsv.WriteOptions(include_header=False))
        lines = buf.getvalue().splitlines(keepends=True)
        table = table.filter(pa.array(~short))
        counts["field_count"] += len(lines)
    return table, lines


def _csv_bytes(table: pa.Table, extra_lines: list[bytes]) -> bytes:
    buf = io.BytesIO()
    opts = pacsv.WriteOptions(include_header=True, quoting_style="needed", batch_size=8192)
    half = len(table) // 2
    pacsv.write_csv(table.slice(0, half), buf, opts)
    buf.write(b"".join(extra_lines))
    rest = pacsv.WriteOptions(include_header=False, quoting_style="needed", batch_size=8192)
    pacsv.write_csv(table.slice(half), buf, rest)
    return buf.getvalue()


def dump_name(scope: str, day: dt.date, version: str) -> str:
    return f"sor-{scope}-{day.isoformat()}-{version}"


def write_dump(
    out_dir: str | Path,
    day: dt.date,
    rows: int,
    *,
    version: str = "full",
    scope: str = "global",
    platform: str | None = None,
    seed: int = 0,
    rows_per_csv: int = 100_000,
    rows_per_zip: int = 1_000_000,
    malformed_rate: float = 0.0,
    categories: str = "auto",
    compresslevel: int = 6,
    workers: int = 2,
    bad_checksum: bool = False,
    sample_puids: int = 0,
    transform: Callable[[pa.Table], pa.Table] | None = None,
    nested: bool = True,
    schema_version: str = "current",
    empty_part: bool = False,
) -> SynthReport:
    """Write ``sor-<scope>-<day>-<version>.zip`` and its ``.sha1`` into ``out_dir``.

    ``rows`` counts the rows planted, malformed ones included. The outer zip stores its inner
    ``.csv.zip`` members uncompressed (they are compressed already); CSV parts are deflated.
    ``transform`` may change each part's table of strings (to plant unknown values, say);
    ``nested=False`` writes the pre-2024-04-08 layout (CSV parts directly in the outer zip).
    ``schema_version="37"`` writes the 37 columns of the files published before about March
    2025 (without ``content_id_ean``); ``empty_part`` adds a header-only CSV part after the
    last one, as the exporter writes sub-part 0 of a platform without rows.
    """
    if schema_version not in ("current", "37"):
        raise ValueError("schema_version must be 'current' or '37'")
    if version not in ("full", "light"):
        raise ValueError("version must be 'full' or 'light'")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    base = dump_name(scope, day, version)
    path = out / f"{base}.zip"
    report = SynthReport(path=path, rows=rows)
    n_zips = max(1, -(-rows // rows_per_zip))
    day_seed = seed * 1_000_003 + day.toordinal()

    def build_inner(z: int) -> tuple[bytes, int, Counter, list[tuple[str, str]]]:
        counts: Counter = Counter()
        puids: list[tuple[str, str]] = []
        csv_total = 0
        zbuf = io.BytesIO()
        first = z * rows_per_zip
        last = min(rows, first + rows_per_zip)
        with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as inner:
            for p, start in enumerate(range(first, last, rows_per_csv)):
                n = min(rows_per_csv, last - start)
                rng = np.random.default_rng([day_seed, z, p])
                table = make_table(day, n, int(rng.integers(2**62)), categories=categories,
                                   platform=platform)  # fmt: skip
                if sample_puids and len(puids) < sample_puids:
                    take = table.slice(0, sample_puids - len(puids))
                    puids += list(zip(take["platform_name"].to_pylist(),
                                      take["platform_uid"].to_pylist(), strict=True))  # fmt: skip
                if transform is not None:
                    table = transform(table)
                table, lines = _malform(table, rng, malformed_rate, counts)
                if version == "light":
                    table = table.select(list(schema.LIGHT_COLUMNS))
                if schema_version == "37" and "content_id_ean" in table.column_names:
                    table = table.drop_columns(["content_id_ean"])
                data = _csv_bytes(table, lines)
                csv_total += len(data)
                inner.writestr(f"{base}-{z:05d}-{p:05d}.csv", data)
            if empty_part and z == n_zips - 1:
                names = list(schema.LIGHT_COLUMNS if version == "light" else schema.FULL_COLUMNS)
                if schema_version == "37" and "content_id_ean" in names:
                    names.remove("content_id_ean")
                after = -(-(last - first) // rows_per_csv)  # the next sub-part number
                inner.writestr(f"{base}-{z:05d}-{after:05d}.csv", ",".join(names))
        return zbuf.getvalue(), csv_total, counts, puids

    with (
        ThreadPoolExecutor(max_workers=max(1, workers)) as pool,
        zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as outer,
    ):
        for z, (data, csv_total, counts, puids) in enumerate(pool.map(build_inner, range(n_zips))):
            if nested:
                outer.writestr(f"{base}-{z:05d}.csv.zip", data)
            else:
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    for info in inner.infolist():
                        outer.writestr(info.filename, inner.read(info), zipfile.ZIP_DEFLATED)
            report.csv_bytes += csv_total
            report.malformed.update(counts)
            report.puids += puids
    report.good_rows = rows - sum(report.malformed.values())
    digest = hashlib.sha1(path.read_bytes()).hexdigest()  # noqa: S324 - the published checksum
    if bad_checksum:
        digest = ("0" if digest[0] != "0" else "1") + digest[1:]
    (out / f"{base}.zip.sha1").write_text(f"{digest}  {base}.zip\n")
    report.zip_bytes = path.stat().st_size
    return report
