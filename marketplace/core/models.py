"""Kernel models: users, organizations, memberships, audit log, notifications, API tokens, task outbox."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .names import distinctive_name
from .notification_kinds import NotificationKind
from .querysets import TenantQuerySet
from .roles import ROLES_BY_KIND, OrgKind, Role, default_mfa_required_roles

TIME_ZONE_CHOICES = [
    (tz, tz) for tz in sorted(zoneinfo.available_timezones()) if tz.startswith(("America/", "Pacific/", "UTC"))
]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with e-mail; what they may do comes from their memberships."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    title = models.CharField(max_length=150, blank=True, help_text="Job title, shown on approvals and POs.")
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Platform operator: may use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


class Organization(models.Model):
    """A cooperative, an agency or a supplier: the tenant."""

    kind = models.CharField(max_length=20, choices=OrgKind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    code = models.CharField(
        max_length=12, blank=True, help_text="Short code used in PO numbers (agencies), e.g. MRC for Maple Ridge City."
    )
    time_zone = models.CharField(max_length=64, default="America/New_York", choices=TIME_ZONE_CHOICES)
    fiscal_year_start_month = models.PositiveSmallIntegerField(default=7)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The name without the words all public entities share ("City of", "County" …): what similar-name checks compare
    # (names.py). Stored by PostgreSQL, so an index scan's recheck reads it instead of running the expression.
    name_key = models.GeneratedField(
        expression=distinctive_name(F("name")), output_field=models.CharField(max_length=200), db_persist=True
    )
    mfa_required_roles = models.JSONField(
        default=default_mfa_required_roles,
        blank=True,
        help_text="Roles whose holders must sign in with two-factor authentication (enrolment on first use). "
        "Only the roles of this organization's kind apply.",
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "slug"]),
            # similar-name lookups on the distinctive part of the name (see names.py): duplicate checks on join
            # applications against a co-op's members
            GinIndex(fields=["name_key"], opclasses=["gin_trgm_ops"], name="organization_name_key_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def url_prefix(self) -> str:
        from .roles import URL_PREFIX

        return URL_PREFIX[self.kind]

    def get_absolute_url(self) -> str:
        return f"/{self.url_prefix}/{self.slug}/"


class MembershipQuerySet(TenantQuerySet):
    tenant_field = "organization"

    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, organization__is_active=True)


class Membership(models.Model):
    """A user's role in one organization. A user may hold several (one row per role)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organization}"

    def clean(self) -> None:
        if self.organization_id and self.role not in ROLES_BY_KIND[self.organization.kind]:
            raise ValidationError({"role": f"{self.get_role_display()} is not a role in a {self.organization.kind}."})


class AuditEvent(models.Model):
    """Append-only record of a state change. The app never updates or deletes one (a trigger enforces it)."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True, help_text="E-mail at the time, or 'system'.")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()
    tenant_field = "organization"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit events are append-only.")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user, mirrored to e-mail by a worker."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices, default=NotificationKind.GENERAL)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()
    tenant_exempt = "owned by its user; every read filters on user"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A user's choice for one kind of notification (no row: e-mail on)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    email = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    tenant_exempt = "owned by its user; every read filters on user"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the secret is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First characters of the token, to recognise it.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class OutboxTask(models.Model):
    """A Celery task written in the same transaction as the change that caused it.

    Sent after commit; if the broker is down the row stays and `core.outbox_sweep` re-sends it.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="outbox_unsent")]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class OutgoingEmail(models.Model):
    """An e-mail waiting for (or sent by) the worker. Sending twice is prevented by `sent_at`."""

    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    from_email = models.CharField(max_length=254, blank=True)
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text="Files in default storage to attach: [{path, filename, mimetype}] (read when the worker sends).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class CoopMembershipStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    APPROVED = "approved", "Approved"
    ACTIVE = "active", "Active"
    LAPSED = "lapsed", "Lapsed"


class CoopMembershipQuerySet(TenantQuerySet):
    def active(self) -> CoopMembershipQuerySet:
        return self.filter(status=CoopMembershipStatus.ACTIVE)

    def for_organization(self, organization):
        """Both sides see the membership: the agency and the cooperative."""
        return self.filter(Q(agency=organization) | Q(cooperative=organization))


class CoopMembership(models.Model):
    """An agency's membership of a cooperative (applied → approved → active → lapsed)."""

    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="member_agencies")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="coop_memberships")
    status = models.CharField(max_length=20, choices=CoopMembershipStatus.choices, default=CoopMembershipStatus.APPLIED)
    applied_on = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoopMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "agency"], name="coop_membership_unique")]

    def __str__(self) -> str:
        return f"{self.agency} in {self.cooperative} ({self.status})"


class InvitationQuerySet(TenantQuerySet):
    def open(self) -> InvitationQuerySet:
        """Not yet accepted or revoked, and not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation to join one organization with one or more roles. The link carries a secret; only its SHA-256
    digest is stored. It is single use, expires, and binds to the invited e-mail address: accepting it grants the
    roles in that organization only."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField(help_text="Stored lower-case; only an account with this e-mail may accept.")
    roles = models.JSONField(default=list, help_text="Role codes granted on acceptance (valid for the kind).")
    message = models.TextField(blank=True, max_length=2000)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(default=timezone.now)
    send_count = models.PositiveSmallIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one pending (not accepted, not revoked) invitation per address per organization; an
            # expired one is revoked by whoever invites again, in the same transaction.
            models.UniqueConstraint(
                "organization",
                "email",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_email",
            ),
            models.CheckConstraint(condition=Q(email=models.functions.Lower("email")), name="invitation_email_lower"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
