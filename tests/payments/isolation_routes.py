"""Card payment, payment status and credit routes in the isolation matrix.

world.agency's invoice `ISO-INV-CARD` (on order `ISO-PO-CARD`, SKU `ISO-CARD-SKU`) has a declined card payment
whose message `ISO-DECLINE-MSG` only its status page and API show. The other tenant's invoice and payment (on
world.other_agency / world.other_supplier, `OTHER-CT-9`-style markers) are what every object route is asked for
through the allowed member's own URL. The confirm POSTs (page and API) are probed on the declined payment (a 409
`not_pending`, no Stripe call). The card-payment POST is probed on an invoice on hold (a 409 for the allowed
member: no Stripe call from the matrix); the credit POST with an empty body (a 400). The webhook is not a
tenant route: Stripe signs it, and tests/payments/test_webhooks.py tests it."""

from __future__ import annotations

from marketplace.core.roles import OrgKind
from orders.models import CreditMemo, Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus
from tests.desk.helpers import tenant_po
from tests.isolation import Probe, seed_other_tenant
from tests.orders.billing_factories import invoice_rows

AGENCY, SUPPLIER = OrgKind.AGENCY, OrgKind.SUPPLIER
PAYERS = frozenset({"finance", "agency_admin"})
DESK = frozenset({"order_desk", "supplier_admin"})
OWN_INVOICE, OWN_SKU, DECLINE = "ISO-INV-CARD", "ISO-CARD-SKU", "ISO-DECLINE-MSG"


def _invoice(po, number, user, status=InvoiceStatus.READY) -> Invoice:
    po.lines.update(quantity_shipped=4, quantity_received=4)
    line = po.lines.get()
    return invoice_rows(po, number=number, user=user, quantities={line.pk: 2}, status=status)


def _declined(invoice: Invoice, message: str) -> Payment:
    return Payment.objects.create(
        invoice=invoice,
        agency=invoice.agency,
        supplier=invoice.supplier,
        cooperative=invoice.cooperative,
        method=PaymentMethod.CARD,
        status=PaymentStatus.FAILED,
        amount=invoice.total,
        failure_message=message,
        stripe_payment_intent_id=f"pi_iso_{invoice.number}",
    )


def _own_rows(world):
    if not hasattr(world, "probe_card_invoice"):
        po = tenant_po(
            agency=world.agency,
            supplier=world.supplier,
            cooperative=world.coop,
            requester=world.requester,
            number="ISO-PO-CARD",
            sku_prefix="ISO-CARD",
        )
        world.probe_card_invoice = _invoice(po, OWN_INVOICE, world.supplier_admin)
        world.probe_card_held = _invoice(po, "ISO-INV-HELD", world.supplier_admin, status=InvoiceStatus.ON_HOLD)
        world.probe_card_payment = _declined(world.probe_card_invoice, DECLINE)
    return world


def _other_rows(world):
    if not hasattr(world, "probe_card_other_invoice"):
        seed_other_tenant(world)
        po = tenant_po(
            agency=world.other_agency,
            supplier=world.other_supplier,
            cooperative=world.other_coop,
            requester=world.other_requester,
            number="OTHER-CT-9-PO-CARD",
            sku_prefix="OTHER-CT-9-CARD",
        )
        world.probe_card_other_invoice = _invoice(po, "OTHER-CT-9-INV", world.other_supplier_admin)
        world.probe_card_other_payment = _declined(world.probe_card_other_invoice, "OTHER-CT-9 declined")
    return world


def _own_invoice(world):
    return {"invoice_id": _own_rows(world).probe_card_invoice.public_id}


def _held_invoice(world):
    return {"invoice_id": _own_rows(world).probe_card_held.public_id}


def _other_invoice(world):
    return {"invoice_id": _other_rows(world).probe_card_other_invoice.public_id}


def _own_payment(world):
    _own_rows(world)
    return {"invoice_id": world.probe_card_invoice.public_id, "payment_id": world.probe_card_payment.public_id}


def _other_payment(world):
    """Another agency's invoice and payment, and this agency's invoice with the other agency's payment id."""
    _own_rows(world)
    _other_rows(world)
    return [
        {
            "invoice_id": world.probe_card_other_invoice.public_id,
            "payment_id": world.probe_card_other_payment.public_id,
        },
        {"invoice_id": world.probe_card_invoice.public_id, "payment_id": world.probe_card_other_payment.public_id},
    ]


def _state(world):
    return (
        tuple(Invoice.objects.order_by("pk").values_list("status", "amount_paid", "amount_credited")),
        tuple(Payment.objects.order_by("pk").values_list("status", "amount")),
        CreditMemo.objects.count(),
    )


def _invoice_number(world):
    return OWN_INVOICE


def _sku(world):
    return OWN_SKU


def _decline(world):
    return DECLINE


MATRIX: dict[str, Probe] = {
    "agency-card-pay": Probe(AGENCY, PAYERS, extra=_own_invoice, other_extra=_other_invoice, shows=_invoice_number),
    "agency-card-payment": Probe(AGENCY, PAYERS, extra=_own_payment, other_extra=_other_payment, shows=_decline),
    "api-agency-card-payment": Probe(
        AGENCY,
        PAYERS,
        api=True,
        method="post",
        data={},
        extra=_held_invoice,
        other_extra=_other_invoice,
        ok=(409,),
        snapshot=_state,
        shows=None,
    ),
    "api-agency-invoice-payment": Probe(
        AGENCY, PAYERS, api=True, extra=_own_payment, other_extra=_other_payment, shows=_decline
    ),
    "agency-card-payment-confirm": Probe(
        AGENCY,
        PAYERS,
        method="post",
        data={"token": "tok_isolation"},
        extra=_own_payment,
        other_extra=_other_payment,
        ok=(409,),  # the probed payment was declined: `not_pending`, refused before any Stripe call
        snapshot=_state,
        shows=None,
    ),
    "api-agency-card-payment-confirm": Probe(
        AGENCY,
        PAYERS,
        api=True,
        method="post",
        data={"token": "tok_isolation"},
        extra=_own_payment,
        other_extra=_other_payment,
        ok=(409,),
        snapshot=_state,
        shows=None,
    ),
    "supplier-invoice-credit": Probe(SUPPLIER, DESK, extra=_own_invoice, other_extra=_other_invoice, shows=_sku),
    "api-supplier-credit-memo": Probe(
        SUPPLIER,
        DESK,
        api=True,
        method="post",
        data={},
        extra=_own_invoice,
        other_extra=_other_invoice,
        ok=(400,),
        snapshot=_state,
        shows=None,
    ),
}

UNSCOPED_ROUTES: dict[str, str] = {
    "stripe-webhook": "Stripe's signed events (no session; the signature is the authentication)",
}
