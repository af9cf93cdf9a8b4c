"""On-account payment, overdue, terms and admin-fee routes in the isolation matrix.

World.agency owes world.supplier an overdue, partly paid invoice (`ISO-INV-77`, paid by check `ISO-CHK-4410`) on a
contract of world.coop (`ISO-ACC-CT`) whose fee accrued; the other tenant (other agency, supplier and co-op) has
the same, marked `OTHER-CT-9`. Object routes are asked for the other agency's invoice and payment through the
allowed member's own URL. Recording and reversing a payment are finance's: the probe's allowed member (the agency
admin) also holds the finance role; the requester has neither. Writes are probed with an empty body: refused callers
change nothing, the allowed member gets the service's 400."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from marketplace.core.models import Membership
from marketplace.core.roles import OrgKind
from orders.models import AdminFeeAccrual, Invoice, InvoiceLine, Payment, PaymentTerms
from tests.desk.helpers import tenant_po
from tests.isolation import Probe, seed_other_tenant

AGENCY, SUPPLIER, COOP = OrgKind.AGENCY, OrgKind.SUPPLIER, OrgKind.COOPERATIVE
FINANCE_PAGES = frozenset({"finance", "agency_admin"})
FINANCE = frozenset({"finance"})
DESK = frozenset({"order_desk", "supplier_admin"})
SUPPLIER_ADMIN = frozenset({"supplier_admin"})
OWN_INVOICE, OWN_REFERENCE, OWN_CONTRACT = "ISO-INV-77", "ISO-CHK-4410", "ISO-ACC-CT"


def _billed(*, agency, supplier, cooperative, requester, prefix: str, number: str, reference: str):
    """An order with an overdue invoice (due 2026-02-14), partly paid by check, and the payment's fee accrual."""
    po = tenant_po(
        agency=agency,
        supplier=supplier,
        cooperative=cooperative,
        requester=requester,
        number=f"{prefix}-PO",
        sku_prefix=prefix,
        status="shipped",
    )
    line = po.lines.get()
    invoice = Invoice.objects.create(
        purchase_order=po,
        agency=agency,
        supplier=supplier,
        cooperative=cooperative,
        contract=po.contract,
        number=number,
        invoice_date=dt.date(2026, 1, 15),
        net_days=30,
        due_date=dt.date(2026, 2, 14),
        status="partially_paid",
        subtotal=line.amount,
        total=line.amount,
        amount_paid=Decimal("1.00"),
        created_by=requester,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        po_line=line,
        sku=line.sku,
        name=line.name,
        quantity=line.quantity,
        unit_price=line.unit_price,
        amount=line.amount,
    )
    payment = Payment.objects.create(
        invoice=invoice,
        agency=agency,
        supplier=supplier,
        cooperative=cooperative,
        method="check",
        status="succeeded",
        amount=Decimal("1.00"),
        paid_on=dt.date(2026, 1, 20),
        reference=reference,
    )
    AdminFeeAccrual.objects.create(
        contract=po.contract,
        agency=agency,
        supplier=supplier,
        cooperative=cooperative,
        payment=payment,
        base_amount=Decimal("1.00"),
        rate=Decimal("0.0200"),
        fee=Decimal("0.02"),
        accrued_on=dt.date(2026, 1, 20),
    )
    return invoice, payment


def _own_rows(world):
    if not hasattr(world, "probe_accounts"):
        world.probe_accounts = _billed(
            agency=world.agency,
            supplier=world.supplier,
            cooperative=world.coop,
            requester=world.requester,
            prefix=OWN_CONTRACT,
            number=OWN_INVOICE,
            reference=OWN_REFERENCE,
        )
        Membership.objects.get_or_create(user=world.agency_admin, organization=world.agency, role="finance")
    return world.probe_accounts


def _other_rows(world):
    if not hasattr(world, "probe_accounts_other"):
        seed_other_tenant(world)
        world.probe_accounts_other = _billed(
            agency=world.other_agency,
            supplier=world.other_supplier,
            cooperative=world.other_coop,
            requester=world.other_requester,
            prefix="OTHER-CT-9-ACC",
            number="OTHER-CT-9-INV",
            reference="OTHER-CT-9-CHK",
        )
    return world.probe_accounts_other


def _list(world):
    _own_rows(world)
    _other_rows(world)
    return {}


def _own_invoice(world):
    _other_rows(world)
    return {"invoice_id": _own_rows(world)[0].public_id}


def _other_invoice(world):
    return {"invoice_id": _other_rows(world)[0].public_id}


def _own_payment(world):
    _other_rows(world)
    return {"payment_id": _own_rows(world)[1].public_id}


def _other_payment(world):
    return {"payment_id": _other_rows(world)[1].public_id}


def _state(world):
    return (
        tuple(Invoice.objects.order_by("pk").values_list("pk", "status", "amount_paid", "last_reminded_on")),
        tuple(Payment.objects.order_by("pk").values_list("pk", "amount")),
        AdminFeeAccrual.objects.count(),
        tuple(PaymentTerms.objects.order_by("pk").values_list("pk", "net_days")),
    )


def _invoice_number(world):
    return OWN_INVOICE


def _reference(world):
    return OWN_REFERENCE


def _contract(world):
    return OWN_CONTRACT


def _supplier_name(world):
    return world.supplier.name


def _write(roles, extra, other):
    return Probe(
        AGENCY,
        roles,
        api=True,
        method="post",
        data={},
        extra=extra,
        other_extra=other,
        ok=(400,),
        snapshot=_state,
        shows=None,
    )


MATRIX: dict[str, Probe] = {
    # agency finance pages (finance and agency admins read; finance writes)
    "agency-invoices-overdue": Probe(AGENCY, FINANCE_PAGES, extra=_list, shows=_invoice_number),
    "agency-payments": Probe(AGENCY, FINANCE_PAGES, extra=_list, shows=_reference),
    "agency-payment-terms": Probe(AGENCY, FINANCE_PAGES, extra=_list, snapshot=_state, shows=_supplier_name),
    "agency-invoice-record-payment": Probe(
        AGENCY, FINANCE, extra=_own_invoice, other_extra=_other_invoice, shows=_invoice_number
    ),
    "agency-payment-reverse": Probe(AGENCY, FINANCE, extra=_own_payment, other_extra=_other_payment, shows=_reference),
    "api-agency-invoices-overdue": Probe(AGENCY, FINANCE_PAGES, api=True, extra=_list, shows=_invoice_number),
    "api-agency-payments": Probe(AGENCY, FINANCE_PAGES, api=True, extra=_list, shows=_reference),
    "api-agency-invoice-payments": _write(FINANCE, _own_invoice, _other_invoice),
    "api-agency-payment-reverse": _write(FINANCE, _own_payment, _other_payment),
    # the supplier's order desk: its overdue invoices; its admins: the admin fees it accrued
    "supplier-invoices-overdue": Probe(SUPPLIER, DESK, extra=_list, shows=_invoice_number),
    "supplier-admin-fees": Probe(SUPPLIER, SUPPLIER_ADMIN, extra=_list, shows=_contract),
    "supplier-admin-fees-export": Probe(SUPPLIER, SUPPLIER_ADMIN, extra=_list, shows=_contract),
    "api-supplier-admin-fees": Probe(SUPPLIER, SUPPLIER_ADMIN, api=True, extra=_list, shows=_contract),
    # the co-op's staff: the admin fees accrued on its contracts
    "coop-admin-fees": Probe(COOP, extra=_list, shows=_contract),
    "coop-admin-fees-export": Probe(COOP, extra=_list, shows=_contract),
    "api-coop-admin-fees": Probe(COOP, api=True, extra=_list, shows=_contract),
}

UNSCOPED_ROUTES: dict[str, str] = {}
