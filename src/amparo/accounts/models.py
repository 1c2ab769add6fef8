from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.accounts.roles import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A staff member or intermediary. Reporters never have accounts."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=120, blank=True)
    preferred_language = models.CharField(_("language"), max_length=8, default="en")
    # Changed whenever the password, MFA or account status changes; part of the session hash,
    # so every existing session of the account stops working at once.
    security_stamp = models.UUIDField(default=uuid.uuid4, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc,assignment]

    def get_session_auth_hash(self) -> str:
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "amparo.session",
            f"{self.password}|{self.security_stamp}|{self.is_active}",
            algorithm="sha256",
        ).hexdigest()

    def __str__(self) -> str:
        return self.display_name or self.email


class Organisation(models.Model):
    class Kind(models.TextChoices):
        HELPLINE = "helpline", _("Helpline")
        CSO = "cso", _("Civil-society organisation")
        COALITION_MEMBER = "coalition_member", _("Coalition member")
        NETWORK = "network", _("Network or coalition")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.CSO)
    country = models.CharField(_("country"), max_length=2, blank=True)
    default_language = models.CharField(_("default language"), max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    # Its legal identity: who signs notices and complaints (DSA Art 16(2)(c), Art 86(1)).
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    registration_country = models.CharField(_("country of registration"), max_length=2, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    # A role address of the organisation (dsa@, legal@, helpline@...), never a person's own:
    # it is the notifier's e-mail address in every notice (Art 16(2)(c)).
    notice_email = models.EmailField(_("role e-mail address for notices"), blank=True)
    # Trusted flagger under DSA Art 22: awarded by the Digital Services Coordinator of the
    # member state where the organisation is established (Art 22(2)).
    trusted_flagger_awarded_by = models.CharField(
        _("trusted flagger status awarded by the coordinator of"), max_length=2, blank=True
    )
    trusted_flagger_since = models.DateField(_("trusted flagger since"), null=True, blank=True)
    # Codes of the platforms' partner programmes it belongs to (the register's programmes).
    partner_programmes = models.JSONField(_("partner programmes"), default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def notifier_name(self) -> str:
        return self.legal_name or self.name

    @property
    def is_trusted_flagger(self) -> bool:
        return bool(self.trusted_flagger_awarded_by and self.trusted_flagger_since)


class Membership(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    is_shift_lead = models.BooleanField(_("shift lead"), default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Invitation(models.Model):
    """A single-use, expiring link to join an organisation. Only the token's hash is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # Empty only for the first administrator's invitation, made by `amparo setup`.
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation to {self.organisation}"


class MFAResetRequest(models.Model):
    """Resetting someone's MFA needs one admin to ask and a different admin to approve."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second administrator")
        APPROVED = "approved", _("Approved and carried out")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mfa_resets"
    )
    target = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"MFA reset for {self.target_id}"


class RetentionPolicy(models.Model):
    """How long an organisation keeps what it no longer works on; applied daily by the worker
    (``accounts.retention``). No policy row: everything is kept. A field left empty: that kind
    of record is kept. The defaults are what a new policy starts with."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="retention"
    )
    closed_cases_months = models.PositiveSmallIntegerField(
        _("closed cases and closed reports, in months"),
        null=True,
        blank=True,
        default=24,
        help_text=_("Empty: keep them."),
    )
    campaign_uploads_days = models.PositiveSmallIntegerField(
        _("files uploaded for campaign detection, in days"),
        null=True,
        blank=True,
        default=30,
        help_text=_("Empty: keep them."),
    )
    remedy_files_months = models.PositiveSmallIntegerField(
        _("remedy documents, in months"),
        null=True,
        blank=True,
        default=12,
        help_text=_("Empty: keep them."),
    )
    failed_tasks_days = models.PositiveSmallIntegerField(
        _("failed background tasks and finished outbound messages, in days"),
        null=True,
        blank=True,
        default=30,
        help_text=_("Empty: keep them."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"retention policy of {self.organisation_id}"
