"""A keyed pseudonym per reporter, so that an export can count people without naming them.

The pseudonym is an HMAC-SHA256, under a key derived (HKDF) from the organisation's data key,
of the reporter's contact value as they typed it, folded (case, accents, digits: see
:func:`amparo.intake.disclosure.fold`) and without spaces or the separators people put in phone
numbers. The same person who gave the same contact on two reports has the same pseudonym in
every export of the organisation; another organisation's pseudonym of the same person differs;
nobody without the organisation's key can confirm a guess. A reporter who gave no contact gets
a pseudonym of the report alone (two reports, two pseudonyms): a name alone is not kept as an
identity, since two people share a name more often than one person writes theirs two ways.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from amparo.intake.disclosure import fold
from amparo.keyring.services import organisation_key, unwrap

_SEPARATORS = re.compile(r"[\s.()\-/\u00a0\u2010-\u2015]+")


def key_for(organisation: Any) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"amparo export pseudonyms"
    ).derive(unwrap(organisation_key(organisation)))


def identity_of(report: Any) -> str:
    """What the pseudonym is computed from (never leaves this module's caller)."""
    reporter = report.reporter or {}
    value = _SEPARATORS.sub("", fold(str(reporter.get("contact_value") or "")))
    value = value.removeprefix("mailto:")
    if value.startswith("00"):
        value = "+" + value[2:]
    return f"contact:{value}" if len(value) >= 3 else f"report:{report.pk}"


def pseudonym(key: bytes, identity: str) -> str:
    return "P" + hmac.new(key, identity.encode(), hashlib.sha256).hexdigest()[:16]
