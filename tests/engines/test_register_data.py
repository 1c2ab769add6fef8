"""The shipped escalation register: every platform, channel, address and regulator is sound."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from amparo.engines.register import (
    EU_MEMBER_STATES,
    FIELDS,
    Kind,
    RegisterError,
    is_role_address,
    load_register,
    looks_personal,
)
from amparo.engines.register.loader import DATA

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_PLATFORMS = [
    "facebook",
    "instagram",
    "threads",
    "whatsapp",
    "youtube",
    "google-search",
    "tiktok",
    "x",
    "telegram",
    "linkedin",
    "snapchat",
    "bluesky",
    "vk",
]
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def register():
    return load_register()


def _all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _all_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _all_strings(v)


def test_the_thirteen_platforms_exist_with_channels(register):
    for slug in REQUIRED_PLATFORMS:
        assert slug in register.platforms, slug
        own = [c for c in register.channels_of(slug) if slug in c.platforms]
        assert len(own) >= 2, f"{slug} has too few channels of its own"


def test_slugs_match_the_core_platform_list(register):
    core = json.loads((ROOT / "src/amparo/core/data/platforms.json").read_text())
    assert set(register.platforms) <= {p["slug"] for p in core}
    for slug, platform in register.platforms.items():
        assert platform.name == next(p["name"] for p in core if p["slug"] == slug)


def test_every_channel_validates_and_codes_are_unique(register):
    codes = [c.code for c in register.channels]
    assert len(codes) == len(set(codes))
    for c in register.channels:
        assert c.kind in Kind
        assert set(c.required_fields) <= FIELDS
        assert c.expected_response_hours > 0
        assert c.eligibility.note
        assert c.legal_basis
        assert c.verified or c.as_of == "2026-11-24", c.code
        assert c.reached_by.startswith(("https://", "in-app:", "portal:")) or "@" in c.reached_by


def test_every_kind_the_brief_names_is_present(register):
    assert {c.kind for c in register.channels} == set(Kind)


def test_every_email_anywhere_in_the_data_is_a_role_address():
    found = []
    for file in sorted(DATA.rglob("*.json")):
        for text in _all_strings(json.loads(file.read_text(encoding="utf-8"))):
            for address in EMAIL.findall(text):
                found.append(address)
                assert is_role_address(address), f"{file.name}: {address} is not a role address"
                assert not looks_personal(address), f"{file.name}: {address} looks personal"
    assert found, "the register should hold at least one role address"


@pytest.mark.parametrize(
    "address",
    [
        "legal@example.org",
        "dsa@example.eu",
        "abuse@example.com",
        "trust-and-safety@example.org",
        "support@support.example.com",
        "appeals+eu@example.org",
        "helpline@cso.example",
    ],
)
def test_role_addresses_pass(address):
    assert is_role_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "maria.lopez@example.com",
        "j.smith@example.com",
        "jsmith@example.com",
        "ana_perez@example.org",
        "someone@gmail.com",
        "not-an-address",
        "legal.john@example.com",
    ],
)
def test_personal_addresses_fail(address):
    assert not is_role_address(address)


def test_no_channel_is_reached_by_a_personal_contact(register):
    for c in register.channels:
        if c.reached_by_email:
            assert is_role_address(c.reached_by_email), c.code
        assert "linkedin.com/in/" not in c.reached_by, c.code  # a person's profile


def test_every_eu_member_state_has_a_dsc(register):
    assert len(EU_MEMBER_STATES) == 27
    for cc in EU_MEMBER_STATES:
        reg = register.regulator_for(cc)
        assert reg is not None, f"no DSC for {cc}"
        assert reg.kind is Kind.REGULATOR and reg.country == cc
        assert "Art 53" in reg.legal_basis
        assert reg.reached_by.startswith("https://")
    assert register.regulator_for("IE").name == "Coimisiún na Meán"
    assert "Bundesnetzagentur" in register.regulator_for("DE").name
    assert "Arcom" in register.regulator_for("FR").name
    assert "ACM" in register.regulator_for("NL").name


def test_non_eu_regulators(register):
    assert "Ofcom" in register.regulator_for("GB").name
    assert "eSafety" in register.regulator_for("AU").name
    assert "ANPD" in register.regulator_for("BR").name
    assert "Grievance Appellate" in register.regulator_for("IN").name
    assert register.regulator_for("ZZ") is None


def test_ods_bodies_cover_what_is_known(register):
    names = {c.name for c in register.channels if c.kind is Kind.ODS}
    assert {
        "Appeals Centre Europe",
        "User Rights",
        "ADROIT",
        "Central European Appeals Hub",
    } <= names
    assert "Appeals Centre Europe" in {c.name for c in register.ods_bodies_for("facebook")}
    assert register.ods_bodies_for("vk") == []
    assert register.ods_bodies_for("google-search") == []  # a search engine is no online platform
    for c in register.channels:
        if c.kind is Kind.ODS:
            assert c.expected_response_hours == 90 * 24 and c.response_time_basis == "law"
            assert set(c.extra["coverage"]) == set(c.platforms)


def test_oversight_board_is_meta_only(register):
    boards = [c for c in register.channels if c.kind is Kind.OVERSIGHT_BOARD]
    assert boards and all(
        register.platforms[p].owner == "Meta" for c in boards for p in c.platforms
    )
    assert boards[0].reached_by == "https://www.oversightboard.com/appeals-process/"


def test_unverified_entries_are_marked_with_the_date(register):
    unverified = register.unverified()
    assert unverified
    assert all(c.as_of == "2026-11-24" for c in unverified)


def test_vk_carries_a_caution(register):
    assert "Russian" in register.platform("vk").caution


def test_broken_data_names_file_and_entry(tmp_path):
    import shutil

    shutil.copytree(DATA, tmp_path / "data")
    file = tmp_path / "data" / "platforms" / "x.json"
    doc = json.loads(file.read_text())
    doc["channels"][0]["kind"] = "carrier_pigeon"
    file.write_text(json.dumps(doc))
    with pytest.raises(RegisterError, match=r"platforms/x\.json: x\.in_app_appeal: unknown kind"):
        load_register(tmp_path / "data")

    doc["channels"][0]["kind"] = "in_app_appeal"
    doc["channels"][0]["required_fields"] = ["home_address"]
    file.write_text(json.dumps(doc))
    with pytest.raises(RegisterError, match="unknown field 'home_address'"):
        load_register(tmp_path / "data")

    doc["channels"][0]["required_fields"] = []
    doc["channels"][0]["reached_by"] = "maria.lopez@x.com"
    file.write_text(json.dumps(doc))
    with pytest.raises(RegisterError, match="not a role address"):
        load_register(tmp_path / "data")


def test_register_imports_nothing_from_django():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'django' or name.startswith('django.'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from amparo.engines.register import load_register\n"
        "load_register()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
    assert result.returncode == 0, result.stderr
