"""Releasing approved purchase orders: a human PO number from the agency's sequence, `sent`, and the PO PDF
queued for a worker (through the outbox, so nothing is lost when the broker is down).

Called by the final approval (`orders.approvals.services.decisions`) and by checkout for a requisition that
needs no approval. Idempotent: purchase orders already released are left alone."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import Organization, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.services.notifications import notification_create
from marketplace.core.services.outbox import enqueue
from orders.approvals.models import Approval, ApprovalDecision
from orders.purchase_orders.models import PDFStatus, PONumberSequence, POStatus, PurchaseOrder
from orders.purchase_orders.services.transitions import po_transition
from orders.requisitions.models import Requisition, RequisitionStatus

PDF_TASK = "orders.po_pdf_render"
SEQUENCE_DIGITS = 5


def fiscal_year(*, agency: Organization, day: dt.date) -> int:
    """The fiscal year `day` falls in, named by the calendar year it ends in (the US public-sector habit: with a
    July start, July 2026 – June 2027 is FY 2027). A January start is the calendar year."""
    start = agency.fiscal_year_start_month or 1
    return day.year + 1 if start > 1 and day.month >= start else day.year


def po_number_next(*, agency: Organization, fiscal_year: int) -> str:
    """The next number of the agency's sequence for the fiscal year: `<code>-<year>-<00042>`.

    The sequence row is created once (a concurrent creator loses on the unique constraint and reads the winner's
    row) and incremented with `F()` under its row lock, which is held until the caller's transaction ends: two
    releases never get the same value, and a rolled-back release gives its value back (no gaps, never reused)."""
    if not agency.code:
        raise ApplicationError(
            "agency_code_missing", "The agency has no code for its purchase-order numbers.", status=409
        )
    with transaction.atomic():
        try:
            PONumberSequence.objects.get_or_create(agency=agency, fiscal_year=fiscal_year)
        except IntegrityError:  # created by a concurrent release between our read and our insert
            pass
        rows = PONumberSequence.objects.filter(agency=agency, fiscal_year=fiscal_year)
        rows.update(last_value=F("last_value") + 1)  # takes the row lock
        value = rows.values_list("last_value", flat=True).get()
    return f"{agency.code}-{fiscal_year}-{value:0{SEQUENCE_DIGITS}d}"


def purchase_orders_release(*, requisition: Requisition, actor: User | None) -> list[PurchaseOrder]:
    """Number, send and queue the PDF of each approved purchase order of an approved requisition."""
    with transaction.atomic():
        requisition = (
            Requisition.objects.select_for_update().select_related("agency", "requester").get(pk=requisition.pk)
        )
        if requisition.status != RequisitionStatus.APPROVED:
            raise ApplicationError("not_approved", "Only an approved requisition can be released.", status=409)
        agency = requisition.agency
        pos = list(
            PurchaseOrder.objects.select_for_update()
            .filter(requisition=requisition, status__in=[POStatus.SUBMITTED, POStatus.APPROVED])
            .order_by("pk")
        )
        if not pos:
            return []
        year = fiscal_year(agency=agency, day=organization_today(agency))
        released = []
        for po in pos:
            if po.status == POStatus.SUBMITTED:  # approved at once (no approval needed)
                po = po_transition(po=po, to=POStatus.APPROVED, actor=actor, note="No approval required")
            number = po_number_next(agency=agency, fiscal_year=year)
            PurchaseOrder.objects.filter(pk=po.pk).update(
                number=number, sent_at=timezone.now(), pdf_status=PDFStatus.PENDING
            )
            po = po_transition(po=po, to=POStatus.SENT, actor=actor, note=f"Released as {number}")
            enqueue(PDF_TASK, po.pk)
            released.append(po)
        _notify(requisition, released)
    return released


def _notify(requisition: Requisition, released: list[PurchaseOrder]) -> None:
    approvers = {
        a.approver
        for a in Approval.objects.filter(requisition=requisition, decision=ApprovalDecision.APPROVED).select_related(
            "approver"
        )
    }
    numbers = ", ".join(po.number for po in released)
    emergency = "Emergency order: " if requisition.is_emergency else ""
    slug = requisition.agency.slug
    url = reverse("agency-order", args=[slug, released[0].public_id])
    for user in sorted({requisition.requester, *approvers}, key=lambda u: u.pk):
        notification_create(
            user=user,
            organization=requisition.agency,
            title=f"{emergency}Purchase order{'s' if len(released) > 1 else ''} {numbers} sent to the supplier",
            body="Approved and sent. The PO document (PDF) is being prepared and will be e-mailed to the supplier.",
            url=url,
            kind=NotificationKind.PO_SENT,
        )
