"""What may leave about a reporter: one rule for every package, referral, document and export.

Everything that leaves Amparo about a case — an escalation package, a referral to a partner, a
remedy document — asks this module what it may carry about the people who reported it::

    rule = disclosure.for_reports(reports, asked_and_confirmed=asked)
    rule.may_identify      # the reporter's identity may leave
    rule.names()           # their names, [] unless it may
    rule.contacts()        # "method: value" lines, [] unless it may
    rule.affected_accounts()  # their affected accounts, [] unless it may
    rule.clean(text)       # every free text that leaves, reporter- or caseworker-typed

The consent rule: the reporter's answer to "May we tell the platform who you are?" on every
report of the case. "yes" on all of them: the identity may leave. "ask" on any (and no "no"):
only when the caseworker confirms they asked and the reporter agreed (``asked_and_confirmed``).
Any "no", or no report at all: never.

``clean(text)`` removes, always:

* the reporters' contact values in every form they may be typed in: the value as given; a
  phone number with any spacing, dashes, dots, parentheses, a ``+`` or ``00`` prefix, with or
  without the country code and with the national trunk ``0``; an e-mail address and its local
  part alone; a messenger handle with or without ``@``; a link that carries one of them
  (``wa.me/…``, ``t.me/…``). Contacts leave only through the explicit contact field of a
  package, when the reporter consented — never inside free text;
* whatever the triage redaction engine finds (:func:`amparo.engines.triage.redact`): other
  e-mail addresses and phone numbers, postal addresses, ID-card and account numbers. Consent to
  say who someone is is not consent to send their home address;

and, unless the identity may leave:

* each reporter's name: the full name and each given or family name of three letters or more
  alone, in any case and with or without accents, as whole words only ("Ana" never eats
  "banana"); a whole name shorter than three letters only in the exact case written;
  particles, titles and common function words ("del", "van", "not") never alone;
* the reporter's own affected accounts: the handle with or without ``@`` and the account's
  profile link. The account the platform acted on names its owner to that platform, so it is
  identity (and is sent, with consent, in the account field).

It keeps what identifies the content: every other link whole (even with the reporter's name or
handle in it — the content must stay findable, and the same link goes in the content field),
platform content ids and decision or statement-of-reasons references with their label
("Content ID: 3219876543210", "post 1789234567890123456"), and dates. What it removes is
replaced by a marker: ``[name]``, ``[contact]``, ``[account]`` (and the engine's ``[email]``,
``[phone]``, ``[address]``, ``[id number]``).

Limits: it recognises only what it was given — a nickname, a relative's name, a name written
in another script or glued to a prefix ("وفاطمة") or a contact the reporter never entered passes
as ordinary text; self-description (gender in the reporter's words) is never sent as a field
but is not searched for in free text, since words like "woman" are often the substance of the
complaint. See docs/security.md, "What may leave about a reporter".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import phonenumbers

from amparo.engines.triage import normalise_handle, normalise_url, redact
from amparo.engines.triage.redaction import EMAIL_RE, find_links

YES, ASK, NO = "yes", "ask", "no"

NAME, CONTACT, ACCOUNT = "[name]", "[contact]", "[account]"
# When two removals overlap, the union goes and is labelled with the first of these.
_ORDER = {CONTACT: 0, ACCOUNT: 1, NAME: 2}

# Words that are part of many names, or that a reporter writes in the name field instead of a
# name ("prefer not to say"), and are common in sentences: never removed alone (the whole name,
# as written, still is). Folded: no accents.
_PARTICLES = frozenset(
    re.findall(
        r"\w+",
        # particles and titles
        "del dela della delle degli dei las los des der den dos das van von ter ten bin ibn "
        "bint binti abu umm ben bat mac san santa sra srta don dona mrs miss ms mr dr prof "
        # function words of the documents' languages
        "the and for not nor but you your are was were with from this that have has had her "
        "his she him they them their our who what when why how all any can may yes its "
        "que por para con una uno sin mas pero como esta este eso muy sus nos les "
        "une pas est qui pour avec dans sur mon ton son mes ses nous vous ils elle oui non "
        "nao com uma uns meu minha seu sua "
        "und die dem ein eine nicht mit fur auf ist ich sie wir ihr "
        "che per gli sono nie jak sie niet een het",
    )
)

# Separators people type inside a phone number.
_SEP = r"[\s.()\-/\u00a0\u2010-\u2015]{0,3}"
_PHONEISH = re.compile(r"[+\d(][\d\s.()\-/\u00a0\u2010-\u2015]{5,}\d")
_PUNCTUATION = "()[]{}<>\"'“”‘’«»,;:!?"


def _fold_char(ch: str) -> str:
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """``text`` in the form names and contacts are compared in: case-folded, without accents,
    every decimal digit as 0-9."""
    return "".join(_fold_char(ch) for ch in text)


def _fold_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """The folded text, and for each of its characters the span of the original it came from.
    A character that folds to nothing (a combining accent) joins the span before it."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        piece = _fold_char(ch)
        if not piece:
            if ends:
                ends[-1] = i + 1
            continue
        for c in piece:
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    return "".join(out), starts, ends


def _flexible(folded: str) -> str:
    """A regex for a folded literal, any run of white space matching any other."""
    return r"\s+".join(re.escape(part) for part in folded.split())


def _bounded(pattern: str, first: str, last: str) -> str:
    """``pattern`` as a whole word: no letter or digit right before or after it."""
    before = r"(?<![^\W_])" if first.isalnum() else ""
    after = r"(?![^\W_])" if last.isalnum() else ""
    return f"{before}(?:{pattern}){after}"


def _name_patterns(name: str) -> list[tuple[str, bool]]:
    """(pattern on folded text, case-insensitive) for a name and its parts."""
    name = " ".join(name.split())
    folded = fold(name)
    letters = sum(ch.isalpha() for ch in folded)
    if not folded or letters == 0:
        return []
    found: list[tuple[str, bool]] = []
    whole = r"[\s\-]+".join(re.escape(p) for p in re.split(r"[\s\-]+", folded) if p)
    if letters >= 3:
        found.append((_bounded(whole, folded[0], folded[-1]), True))
    else:
        # Too short to search for in any case ("Al", "Li"): only exactly as written.
        exact = r"\s+".join(re.escape(p) for p in name.split())
        found.append((_bounded(exact, name[0], name[-1]), False))
    for part in re.split(r"[\s\-'’.]+", folded):
        if sum(ch.isalpha() for ch in part) >= 3 and part not in _PARTICLES:
            found.append((_bounded(re.escape(part), part[0], part[-1]), True))
    return found


def _digits_pattern(digits: str) -> str:
    return _SEP.join(digits)


def _phone_forms(value: str, regions: Iterable[str]) -> set[tuple[str, str]]:
    """(country code, national number) for ``value`` read as a phone number: parsed as an
    international number, or in each of the reports' countries; else its bare digits."""
    raw = "".join(_fold_char(c) if c.isdigit() else c for c in value).strip()
    digits = re.sub(r"\D", "", raw)
    forms: set[tuple[str, str]] = set()
    if len(digits) < 7:
        return forms
    attempts: list[tuple[str, str | None]] = []
    if raw.startswith("+"):
        attempts.append((raw, None))
    elif raw.startswith("00"):
        attempts.append(("+" + raw[2:], None))
    attempts += [(raw, region.upper()) for region in regions if region]
    for candidate, region in attempts:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        national = phonenumbers.national_significant_number(number)
        if len(national) >= 6:
            forms.add((str(number.country_code), national))
    bare = digits[2:] if digits.startswith("00") else digits
    forms.add(("", bare.lstrip("0") or bare))
    return forms


def _phone_pattern(country: str, national: str) -> str:
    prefix = f"(?:(?:\\+|00)?{_SEP}{_digits_pattern(country)}{_SEP})?" if country else ""
    plus = "" if country else f"(?:(?:\\+|00){_SEP})?"
    trunk = f"(?:0{_SEP})?"
    # Bounded by digits only: "tel5512345678" or "lucia5512345678" still carry the number.
    return rf"(?<!\d){prefix}{plus}{trunk}{_digits_pattern(national)}(?!\d)"


def _handle_pattern(handle: str) -> str:
    return rf"(?<![\w.\-@])@?{re.escape(handle)}(?![\w\-]|\.\w)"


def _contact_patterns(method: str, value: str, regions: tuple[str, ...]) -> list[str]:
    """Patterns on folded text for one contact value in every form it may be typed in."""
    value = value.strip()
    folded = fold(value)
    if len(folded.replace(" ", "")) < 3:
        return []
    found = [_bounded(_flexible(folded), folded[0], folded[-1])]
    address = folded.removeprefix("mailto:")
    if EMAIL_RE.fullmatch(address):
        local = address.split("@", 1)[0]
        if len(local) >= 3:
            found.append(rf"(?<![\w.+\-]){re.escape(local)}(?![\w+\-]|\.\w)")
        return found
    for match in _PHONEISH.finditer(value):
        for country, national in _phone_forms(match.group(0), regions):
            found.append(_phone_pattern(country, national))
    if method in ("signal", "telegram", "whatsapp") or folded.startswith("@"):
        handle = normalise_handle(value)
        if len(handle) >= 3 and " " not in handle and not re.fullmatch(r"[\d+\s().\-/]+", handle):
            found.append(_handle_pattern(fold(handle)))
    # A code-like word of a longer value ("lucia42", "CANARY7391") is removed alone too.
    for token in folded.split():
        token = token.strip(_PUNCTUATION)
        if len(token) >= 4 and any(c.isalpha() for c in token) and any(c.isdigit() for c in token):
            found.append(_bounded(re.escape(token), token[0], token[-1]))
    return found


def _account_patterns(account: str) -> list[str]:
    handle = fold(normalise_handle(account))
    if len(handle) < 3:
        return []
    if " " in handle:
        return [_bounded(_flexible(handle), handle[0], handle[-1])]
    return [_handle_pattern(handle)]


def _profile_key(url: str) -> str:
    """A link as compared with an account: its canonical form, and "handle:" + handle when it
    is a profile page (one path segment)."""
    canonical = normalise_url(url)
    try:
        path = urlsplit(canonical).path.strip("/")
    except ValueError:
        return canonical
    return canonical if "/" in path or not path else "handle:" + fold(normalise_handle(url))


@dataclass(frozen=True)
class Disclosure:
    """What may leave about the reporters of a set of reports (see the module docstring)."""

    may_identify: bool
    consent: str
    reporter_names: tuple[str, ...] = field(default=(), repr=False)
    reporter_contacts: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    accounts: tuple[str, ...] = field(default=(), repr=False)
    regions: tuple[str, ...] = field(default=(), repr=False)

    def names(self) -> list[str]:
        """The reporters' names, once each; [] unless the identity may leave."""
        return _unique(self.reporter_names) if self.may_identify else []

    def contacts(self) -> list[str]:
        """``"method: value"`` for each contact the reporters gave; [] unless it may leave."""
        if not self.may_identify:
            return []
        return _unique(f"{m}: {v}" if m else v for m, v in self.reporter_contacts)

    def affected_accounts(self) -> list[str]:
        """The reporters' affected accounts, sorted; [] unless the identity may leave."""
        return sorted(set(self.accounts)) if self.may_identify else []

    def without_identity(self) -> Disclosure:
        """The same rule when the caseworker chose not to disclose the identity."""
        return replace(self, may_identify=False)

    def clean(self, text: str, *, name_marker: str = NAME) -> str:
        """One free text that leaves, scrubbed (see the module docstring). ``name_marker``
        replaces a name (a document passes its own language's "[name withheld]")."""
        text = self._remove_identity(text, name_marker)
        return redact(text, default_region=self._region).text

    def clean_reference(self, text: str) -> str:
        """A field that holds only an identifier typed by the caseworker (a decision or earlier
        complaint reference): the reporter's identity is removed, other numbers are kept."""
        return self._remove_identity(text, NAME)

    # ----------------------------------------------------------------------------------

    @property
    def _region(self) -> str | None:
        return self.regions[0] if len(set(self.regions)) == 1 else None

    @cached_property
    def _patterns(self) -> list[tuple[re.Pattern[str], str]]:
        found: list[tuple[re.Pattern[str], str]] = []
        contacts: list[str] = []
        for method, value in self.reporter_contacts:
            contacts += _contact_patterns(method, value, self.regions)
        if contacts:
            found.append((re.compile("|".join(contacts)), CONTACT))
        if not self.may_identify:
            accounts = [p for a in self.accounts for p in _account_patterns(a)]
            if accounts:
                found.append((re.compile("|".join(accounts)), ACCOUNT))
            names = [p for n in self.reporter_names for p in _name_patterns(n)]
            insensitive = [p for p, ci in names if ci]
            exact = [p for p, ci in names if not ci]
            if insensitive:
                found.append((re.compile("|".join(insensitive)), NAME))
            if exact:
                found.append((re.compile("|".join(exact)), f"exact{NAME}"))
        return found

    @cached_property
    def _identity_links(self) -> dict[str, str]:
        """Canonical links (or "handle:…" keys) that are the reporter's contact or account."""
        keys: dict[str, str] = {}
        for _method, value in self.reporter_contacts:
            keys[_profile_key(value)] = CONTACT
        if not self.may_identify:
            for account in self.accounts:
                keys.setdefault(_profile_key(account), ACCOUNT)
                keys.setdefault("handle:" + fold(normalise_handle(account)), ACCOUNT)
        return keys

    def _remove_identity(self, text: str, name_marker: str) -> str:
        if text is None:
            return ""
        text = str(text)
        if not text.strip():
            return text
        spans: list[tuple[int, int, str]] = []
        folded, starts, ends = _fold_with_map(text)
        for pattern, label in self._patterns:
            exact = label.startswith("exact")
            haystack = text if exact else folded
            for m in pattern.finditer(haystack):
                if m.end() <= m.start():
                    continue
                if exact:
                    spans.append((m.start(), m.end(), NAME))
                else:
                    spans.append((starts[m.start()], ends[m.end() - 1], label))
        links = find_links(text)
        for start, end in links:
            label = self._identity_links.get(_profile_key(text[start:end]), "")
            if label:
                spans.append((start, end, label))
        spans = _respect_links_and_emails(spans, links, _email_spans(text))
        merged = _merge(text, spans)
        return _replace(text, [(s, e, name_marker if x == NAME else x) for s, e, x in merged])


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value.strip():
            seen.setdefault(value.strip(), None)
    return list(seen)


def _email_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in EMAIL_RE.finditer(text)]


def _respect_links_and_emails(
    spans: list[tuple[int, int, str]],
    links: list[tuple[int, int]],
    emails: list[tuple[int, int]],
) -> list[tuple[int, int, str]]:
    """A removal inside an e-mail address takes the whole address; a contact inside a link
    takes the whole link (it is a way to reach the reporter); a name or account inside a link
    is left there (the link identifies the content and is kept whole)."""
    out = []
    for start, end, label in spans:
        for e_start, e_end in emails:
            if start < e_end and e_start < end:
                start, end = min(start, e_start), max(end, e_end)
        keep = True
        for l_start, l_end in links:
            if not (start < l_end and l_start < end):
                continue
            whole = start <= l_start and end >= l_end
            if whole:
                continue
            if label == CONTACT or not (l_start <= start and end <= l_end):
                start, end = min(start, l_start), max(end, l_end)
            else:
                keep = False
        if keep:
            out.append((start, end, label))
    return out


def _merge(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping removals become one; so do two of a kind with only white space between
    ("[name] [name]" is one "[name]")."""
    merged: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans):
        if (
            merged
            and merged[-1][2] == label
            and start >= merged[-1][1]
            and not text[merged[-1][1] : start].strip()
        ):
            merged[-1] = (merged[-1][0], end, label)
        elif merged and start < merged[-1][1]:
            m_start, m_end, m_label = merged[-1]
            best = min(m_label, label, key=lambda x: _ORDER.get(x, 9))
            merged[-1] = (m_start, max(m_end, end), best)
        else:
            merged.append((start, end, label))
    return merged


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    parts, pos = [], 0
    for start, end, label in spans:
        parts += [text[pos:start], label]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def consent_of(reports: list[Any]) -> str:
    """The most restrictive answer among the reports: "yes", "ask" or "no" ("no" if none)."""
    answers = {str(r.consent_share_identity) for r in reports}
    if not answers or NO in answers or not answers <= {YES, ASK}:
        return NO
    return ASK if ASK in answers else YES


def for_reports(reports: list[Any], *, asked_and_confirmed: bool = False) -> Disclosure:
    """The rule for what may leave about the reporters of ``reports``."""
    reports = list(reports)
    consent = consent_of(reports)
    may_identify = consent == YES or (consent == ASK and asked_and_confirmed)
    names, contacts, accounts, regions = [], [], [], []
    for report in reports:
        reporter = report.reporter or {}
        if str(reporter.get("name") or "").strip():
            names.append(str(reporter["name"]).strip())
        value = str(reporter.get("contact_value") or "").strip()
        if value:
            method = str(reporter.get("contact_method") or report.contact_method or "")
            contacts.append((method, value))
        accounts += [str(a).strip() for a in (report.accounts or {}).get("affected", []) if a]
        if report.country:
            regions.append(str(report.country).upper())
    return Disclosure(
        may_identify=may_identify,
        consent=consent,
        reporter_names=tuple(names),
        reporter_contacts=tuple(contacts),
        accounts=tuple(a for a in accounts if a),
        regions=tuple(regions),
    )
