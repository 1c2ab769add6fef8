"""Codes used by intake. Stored as codes; labels are translated only when shown."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentType(models.TextChoices):
    ACCOUNT_SUSPENDED = "account_suspended", _("My account was suspended or disabled")
    CONTENT_REMOVED = "content_removed", _("My content was removed or restricted")
    REACH_REDUCED = "reach_reduced", _("My reach was reduced (“shadowban”)")
    HARASSMENT = "harassment", _("Harassment")
    THREATS_OF_VIOLENCE = "threats_of_violence", _("Threats of violence")
    DOXXING = "doxxing", _("My private information was published (doxxing)")
    IMPERSONATION = "impersonation", _("Someone is impersonating me or a fake account")
    ACCOUNT_HACKED = "account_hacked", _("My account was hacked")
    NCII = "ncii", _("Intimate images shared without consent")
    SMEAR_CAMPAIGN = "smear_campaign", _("A smear or disinformation campaign against me")
    FALSE_MASS_REPORTING = "false_mass_reporting", _("False mass reporting of my account or posts")
    GOVERNMENT_TAKEDOWN = "government_takedown", _("A government takedown order or legal demand")
    INTERNET_SHUTDOWN = "internet_shutdown", _("An internet shutdown or throttling")
    OTHER = "other", _("Something else")


class Channel(models.TextChoices):
    WEB_FORM = "web_form", _("Public report form")
    INTERMEDIARY = "intermediary", _("Trusted intermediary")
    API = "api", _("API")
    IMPORT = "import", _("Bulk import")
    REFERRAL = "referral", _("Referred by a partner organisation")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class YesNoAsk(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ASK = "ask", _("Ask me each time")


class ContactMethod(models.TextChoices):
    SIGNAL = "signal", _("Signal")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call or SMS")
    FOLLOW_UP_ONLY = "follow_up_only", _("Only through the follow-up page")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received, waiting for a caseworker")
    ACKNOWLEDGED = "acknowledged", _("A caseworker is looking at it")
    IN_PROGRESS = "in_progress", _("Being worked on")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the reporter")


class CloseReason(models.TextChoices):
    """Why a report was closed without a case."""

    DUPLICATE = "duplicate", _("Duplicate of another report")
    SPAM = "spam", _("Spam or junk")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope for us")
    ADVICE_GIVEN = "advice_given", _("Advice given, nothing more to do")


class UrgencyLevel(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


URGENCY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


class Identity(models.TextChoices):
    JOURNALIST = "journalist", _("Journalist or media worker")
    HRD = "hrd", _("Human rights defender or activist")
    WOMAN_HRD = "woman_hrd", _("Woman human rights defender")
    LGBTQI = "lgbtqi", _("LGBTQI+ person")
    MINORITY = "minority", _("Member of a minority")
    EXILE = "exile", _("Living in exile")


#: The reporter's yes/no answers about immediate risk (each a boolean on the report), which
#: raise its urgency and travel with it when it is referred.
RISK_FLAGS: tuple[str, ...] = (
    "danger_now",
    "minor_involved",
    "arrest_risk",
    "home_address_exposed",
    "under_attack_now",
)
