"""The audit log: every state change writes one append-only row."""

from __future__ import annotations

from typing import Any

from django.db import models

from ..context import client_ip
from ..models import AuditEvent, Organization


def _label(obj: models.Model | None) -> str:
    """The object's name as the log shows it, captured now (`audit_label()` where the model has one)."""
    if obj is None:
        return ""
    label = obj.audit_label() if hasattr(obj, "audit_label") else str(obj)
    return label[:200]


def audit_record(
    *,
    actor: Any,
    action: str,
    organization: Organization | None = None,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=actor_label or (actor.email if authenticated else "system"),
        organization=organization,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_label(obj),
        before=before,
        after=after,
        ip_address=client_ip.get(),
    )
