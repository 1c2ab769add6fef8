"""The language Amparo writes to a member of staff in.

Staff pages and staff e-mail are translated in ``settings.STAFF_LANGUAGES`` only; reporters'
pages exist in every language of ``settings.LANGUAGES``. Someone whose preferred language is
a reporter-only language (an organisation working in Persian, say) is written to wholly in
English, never in a mix of the two: a sentence half in one language and half in another is
harder to act on than one in a second language."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from django.conf import settings
from django.utils import translation


def staff_language(user: Any) -> str:
    """``user``'s preferred language when it is a staff language, else the first staff
    language (English)."""
    preferred = (getattr(user, "preferred_language", "") or "").lower()
    staff = list(settings.STAFF_LANGUAGES)
    if preferred in staff:
        return preferred
    base = preferred.split("-")[0]
    return base if base in staff else staff[0]


def speaking_to(user: Any) -> AbstractContextManager[None]:
    """``with speaking_to(user):`` — gettext in :func:`staff_language` for the block."""
    return translation.override(staff_language(user))
