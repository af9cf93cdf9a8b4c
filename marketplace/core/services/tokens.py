"""Personal API tokens: the secret is shown once; only its SHA-256 digest is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from ..errors import ApplicationError
from ..models import ApiToken, User
from .audit import audit_record

TOKEN_PREFIX = "mkt_"
MAX_ACTIVE_TOKENS = 10


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise ApplicationError(
            "invalid", "Give the token a name so you can recognise it later.", {"name": ["This field is required."]}
        )
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ApplicationError(
            "limit_reached", f"You can hold at most {MAX_ACTIVE_TOKENS} active tokens; revoke one first."
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=secret[:10], digest=token_digest(secret))
    audit_record(actor=user, action="api_token.created", obj=token, after={"name": token.name, "prefix": token.prefix})
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise ApplicationError("not_found", "No such active token.", status=404)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action="api_token.revoked", obj=token, before={"revoked": False}, after={"revoked": True})
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
