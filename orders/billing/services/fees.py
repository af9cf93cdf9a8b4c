"""The co-op's admin fee: accrued on every payment (and negatively on every refund or reversal) at the contract's
rate in force that day, rounded half-up to the cent per row and stored with its rate, so a later rate change
never rewrites history. The supplier pays it; it is never added to the buyer's price."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from orders.billing.models import AdminFeeAccrual, CreditMemo, Payment

CENT = Decimal("0.01")


def admin_fee(*, base: Decimal, rate: Decimal) -> Decimal:
    """base × rate, rounded half-up to the cent (negative bases round symmetrically: −0.005 → −0.01)."""
    return (base * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def admin_fee_accrue(
    *, on: dt.date, payment: Payment | None = None, credit_memo: CreditMemo | None = None
) -> AdminFeeAccrual:
    """The accrual for one succeeded payment (base = its amount, negative for a reversal) or one succeeded refund
    (base = −refunded amount). Idempotent: a second call for the same source returns the first row."""
    source = payment if payment is not None else credit_memo
    assert source is not None and (payment is None) != (credit_memo is None)
    invoice = source.invoice
    contract = invoice.contract
    base = payment.amount if payment is not None else -credit_memo.amount
    rate = contract.admin_fee_rate
    accrual, _ = AdminFeeAccrual.objects.get_or_create(
        payment=payment,
        credit_memo=credit_memo,
        defaults={
            "contract": contract,
            "agency_id": invoice.agency_id,
            "supplier_id": invoice.supplier_id,
            "cooperative_id": invoice.cooperative_id,
            "base_amount": base,
            "rate": rate,
            "fee": admin_fee(base=base, rate=rate),
            "accrued_on": on,
        },
    )
    return accrual
