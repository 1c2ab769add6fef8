"""Triage of incoming reports: language, urgency, redaction and link normalisation.

A Django-free package; it runs offline (py3langid's shipped model, phonenumbers' data)::

    from amparo.engines.triage import UrgencyInput, score_urgency, detect_language, redact

    detect_language("Me amenazaron de muerte y publicaron mi dirección")
    # LanguageGuess(code='es', confidence=0.9...)
    score_urgency(UrgencyInput(incident_type="threats_of_violence", text="...", danger_now=True))
    # Urgency(score=..., level='critical', reasons=[Reason('danger_now', 70, 'answer', None), ...])
    redact("write to ana@example.org or +55 11 91234-5678")
    # Redaction(text='write to [email] or [phone]', findings=[...])

Urgency rules (score = sum of weights, clamped to 0..100; reasons heaviest first):

=================================  ======  =========  =====================================
reason code                        weight  source     when
=================================  ======  =========  =====================================
danger_now                         70      answer     someone is in immediate danger
home_address_exposed               45      answer     a home address has been exposed
minor_involved                     45      answer     a minor is involved
arrest_risk                        45      answer     risk of arrest
under_attack_now                   35      answer     the account is being attacked now
incident_threats_of_violence       45      answer     incident type (one of these)
incident_doxxing, incident_ncii    45      answer
incident_internet_shutdown         30      answer
incident_account_hacked,           25      answer
incident_account_suspended,
incident_false_mass_reporting,
incident_government_takedown
incident_harassment,               20      answer
incident_impersonation,
incident_smear_campaign
incident_content_removed           15      answer
incident_reach_reduced,            10      answer     (an unknown type counts as other)
incident_other
heightened_risk                    15      context    e.g. "election"; matched = the code
hrd_or_journalist                  5       context    reporter is an HRD or journalist
death_threat                       40      text       kill, murder, matar, tuer, قتل, убить…
sexual_violence_threat             35      text       rape, violar, estupro, اغتصاب, изнасил…
knows_location                     35      text       "we know where you live" and the like
arrest_or_detention                30      text       arrest, detained, police came, summons
minor_mentioned                    30      text       minor, child, "15 years old"
address_mentioned                  25      text       "home address", or an address found
intimate_images                    20      text       nudes, intimate images, sextortion
active_takeover                    20      text       "being hacked", "changed my password"
violence_threat                    15      text       threats, beating (dropped when a
                                                      death or sexual threat was found)
=================================  ======  =========  =====================================

A text reason that repeats an answer (minor_mentioned with minor_involved,
arrest_or_detention with arrest_risk, address_mentioned with home_address_exposed or
doxxing, active_takeover with under_attack_now, violence_threat with threats_of_violence,
intimate_images with ncii) is listed with weight 0. Levels: critical >= 70, high >= 45,
medium >= 25, low < 25; ``danger_now`` alone is critical. Keyword patterns cover en es fr
pt ar fa ur ru uk tr vi id sw and live in ``keywords/`` as data (see its docstring for
how to add a language). Details in docs/triage.md.
"""

from .keywords import languages as keyword_languages
from .language import LanguageGuess, detect_language
from .normalise import normalise_handle, normalise_url
from .redaction import Finding, Redaction, redact
from .urgency import (
    URGENCY_REASON_CODES,
    Reason,
    Urgency,
    UrgencyInput,
    score_urgency,
)

__all__ = [
    "URGENCY_REASON_CODES",
    "Finding",
    "LanguageGuess",
    "Reason",
    "Redaction",
    "Urgency",
    "UrgencyInput",
    "detect_language",
    "keyword_languages",
    "normalise_handle",
    "normalise_url",
    "redact",
    "score_urgency",
]
