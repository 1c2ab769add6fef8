"""Countries grouped into the regions helplines organise their queues by."""

from __future__ import annotations

_REGIONS: dict[str, str] = {
    "latam": "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE PR UY VE HT BZ GY SR JM TT BS BB",
    "north-america": "US CA",
    "europe": "AL AD AT BY BE BA BG HR CY CZ DK EE FI FR DE GR HU IS IE IT XK LV LI LT LU MT MD MC "
    "ME NL MK NO PL PT RO RU SM RS SK SI ES SE CH UA GB VA",
    "mena": "DZ BH EG IR IQ IL JO KW LB LY MA OM PS QA SA SY TN TR AE YE",
    "sub-saharan-africa": "AO BJ BW BF BI CV CM CF TD KM CD CG CI DJ GQ ER SZ ET GA GM GH GN GW KE LS LR "
    "MG MW ML MR MU MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG UG ZM ZW",
    "south-asia": "AF BD BT IN MV NP PK LK",
    "central-asia": "KZ KG TJ TM UZ AZ AM GE MN",
    "east-asia": "CN HK MO TW JP KR KP",
    "southeast-asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "oceania": "AU NZ FJ PG WS TO VU SB KI FM MH NR PW TV",
}
_BY_COUNTRY = {code: region for region, codes in _REGIONS.items() for code in codes.split()}

REGIONS = list(_REGIONS)


def region_of(country: str) -> str:
    return _BY_COUNTRY.get((country or "").upper(), "other")
