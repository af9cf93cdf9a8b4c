"""The approver's e-mail link: a `TimestampSigner` signature over the `ApprovalRequest` token, valid until the
request's `expires_at`, used once (`used_at`), and only for the approver it was sent to, signed in.

The link opens a confirm page; only a POST from it decides (so a mail scanner that follows links decides
nothing). Every failure is a coded `ApplicationError` the page turns into a clear message."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from marketplace.core.errors import ApplicationError
from marketplace.core.models import Organization, User
from marketplace.core.services.email import email_queue
from orders.approvals.models import ApprovalRequest
from orders.approvals.services.decisions import requisition_approve, requisition_reject
from orders.requisitions.models import Requisition, RequisitionStatus

SALT = "orders.approval-link"
DEFAULT_VALIDITY = timedelta(days=7)


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def approval_link_path(*, approval_request: ApprovalRequest) -> str:
    signed = _signer().sign(str(approval_request.token))
    slug = approval_request.requisition.agency.slug
    return reverse("agency-approval-link", kwargs={"org": slug, "signed": signed})


def approval_link_resolve(*, signed: str, user: User, agency: Organization) -> ApprovalRequest:
    """The approval request behind a link, for `user` in `agency`, still usable. Raises:
    `link_invalid` (forged or mangled, 400), `not_found` (someone else's or another agency's, 404),
    `link_expired` (410), `link_used` (410), `not_pending` (the requisition was decided meanwhile, 409)."""
    try:
        token = _signer().unsign(signed)
    except signing.BadSignature:
        raise ApplicationError("link_invalid", "This approval link is not valid. Open the approval queue instead.")
    approval_request = (
        ApprovalRequest.objects.select_related("requisition__agency", "approver")
        .filter(token=token, approver=user, requisition__agency=agency)
        .first()
        if _is_uuid(token)
        else None
    )
    if approval_request is None:
        raise ApplicationError("not_found", "Not found.", status=404)
    max_age = approval_request.expires_at - approval_request.sent_at
    try:
        _signer().unsign(signed, max_age=max(max_age, timedelta(0)))
    except signing.SignatureExpired:
        raise ApplicationError("link_expired", "This approval link has expired.", status=410)
    if timezone.now() >= approval_request.expires_at:
        raise ApplicationError("link_expired", "This approval link has expired.", status=410)
    if approval_request.used_at is not None:
        raise ApplicationError("link_used", "This approval link has already been used.", status=410)
    if approval_request.requisition.status != RequisitionStatus.PENDING_APPROVAL:
        label = RequisitionStatus(approval_request.requisition.status).label.lower()
        raise ApplicationError(
            "not_pending", f"This requisition is no longer waiting for approval: it is {label}.", status=409
        )
    return approval_request


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def approval_link_decide(
    *, signed: str, user: User, agency: Organization, decision: str, reason: str = ""
) -> Requisition:
    """Decide through the link (POST from the confirm page): the link is checked and spent under a row lock."""
    if decision not in ("approve", "reject"):
        raise ApplicationError("invalid", "Choose approve or reject.", {"decision": ["Choose approve or reject."]})
    with transaction.atomic():
        approval_request = approval_link_resolve(signed=signed, user=user, agency=agency)
        locked = ApprovalRequest.objects.select_for_update().get(pk=approval_request.pk)
        if locked.used_at is not None:
            raise ApplicationError("link_used", "This approval link has already been used.", status=410)
        requisition = approval_request.requisition
        if decision == "approve":
            return requisition_approve(requisition=requisition, actor=user, via_link=True)
        return requisition_reject(requisition=requisition, actor=user, reason=reason, via_link=True)


def approval_request_email(*, approval_request: ApprovalRequest) -> None:
    """E-mail one approver their signed link (queued; the worker sends it). The routing at submit calls this
    for each approval request it creates."""
    requisition = (
        Requisition.objects.select_related("agency", "requester", "facility")
        .prefetch_related("purchase_orders__supplier", "purchase_orders__contract")
        .get(pk=approval_request.requisition_id)
    )
    if not approval_request.expires_at:
        approval_request.expires_at = approval_request.sent_at + DEFAULT_VALIDITY
        approval_request.save(update_fields=["expires_at"])
    site = settings.SITE_URL
    context = {
        "requisition": requisition,
        "approval_request": approval_request,
        "link": site + approval_link_path(approval_request=approval_request),
        "queue": site + reverse("agency-approvals", kwargs={"org": requisition.agency.slug}),
    }
    prefix = "EMERGENCY — " if requisition.is_emergency else ""
    email_queue(
        to=[approval_request.approver.email],
        subject=f"{prefix}Approval needed: {requisition.requester.get_full_name()}, {requisition.agency.name}",
        body=render_to_string("orders/approvals/email/approval_request.txt", context),
    )
