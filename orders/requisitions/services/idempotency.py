"""Idempotent checkout: the first answer to an `Idempotency-Key` is stored and replayed.

The record is INSERTed first, inside the same transaction as the checkout. A second request with the same key
(same user, same agency) blocks on that insert (PostgreSQL waits for the first transaction's uncommitted unique
key) until the first commits; it then gets the unique violation, reads the committed record under a row lock
and replays it (same status, same body). The same key with a different body is refused with 422
`idempotency_key_reused`. A refused checkout (4xx) rolls back with its record, so the key can be used again once
the cart is fixed. The HTML form uses the same mechanism, keyed by a one-time token rendered with the form.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from marketplace.core.errors import ApplicationError
from marketplace.core.models import Organization, User
from orders.requisitions.models import IdempotencyRecord, Requisition

MAX_KEY_LENGTH = 255


@dataclass
class StoredResponse:
    status: int
    body: dict
    replayed: bool
    requisition_id: int | None


def request_fingerprint(body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def idempotent_run(
    *,
    agency: Organization,
    user: User,
    key: str,
    body,
    run: Callable[[], tuple[int, dict, Requisition | None]],
) -> StoredResponse:
    """Run `run()` once per (agency, user, key); later calls with the same body get the stored answer."""
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        message = f"An Idempotency-Key is 1 to {MAX_KEY_LENGTH} characters."
        raise ApplicationError("invalid", message, {"Idempotency-Key": [message]})
    fingerprint = request_fingerprint(body)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(agency=agency, user=user, key=key, request_hash=fingerprint)
        except IntegrityError:
            record = None
        if record is None:
            existing = IdempotencyRecord.objects.for_organization(agency).select_for_update().get(user=user, key=key)
            if existing.request_hash != fingerprint:
                raise ApplicationError(
                    "idempotency_key_reused",
                    "This Idempotency-Key was already used with a different request. Use a new key for a new order.",
                    status=422,
                )
            if existing.response_status is None:
                raise ApplicationError(
                    "idempotency_in_progress", "A request with this Idempotency-Key is still running.", status=409
                )
            return StoredResponse(
                status=existing.response_status,
                body=existing.response_body,
                replayed=True,
                requisition_id=existing.requisition_id,
            )
        status, response_body, requisition = run()
        record.response_status, record.response_body = status, response_body
        record.requisition = requisition
        record.save(update_fields=["response_status", "response_body", "requisition"])
        return StoredResponse(
            status=status, body=response_body, replayed=False, requisition_id=requisition.pk if requisition else None
        )
