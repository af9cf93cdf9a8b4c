"""On-account payments: finance records ACH / check payments (partial, then full, which closes the order), every
refusal leaves everything as it was, two finance users at once cannot both pay the last balance, and a payment
entered in error is reversed (never deleted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import long_date
from marketplace.core.models import AuditEvent, Notification, Organization
from marketplace.core.notification_kinds import NotificationKind
from orders.billing.services.accounts import payment_record, payment_reverse
from orders.models import AdminFeeAccrual, Invoice, InvoiceStatus, OrderEvent, Payment, POStatus
from orders.purchase_orders.lists.selectors import po_timeline
from tests.billing.helpers import money_state, ready_invoice
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db


def _url(world, invoice):
    return f"/api/v1/agencies/{world.agency.slug}/invoices/{invoice.public_id}/payments/"


def _page(world, invoice):
    return f"/agencies/{world.agency.slug}/invoices/{invoice.public_id}/record-payment/"


def _today():
    """Today on world.agency's calendar (the day a payment may be dated at the latest)."""
    return organization_today(Organization.objects.get(slug="city-of-alpha"))


def _body(**overrides):
    body = {"method": "ach", "amount": "5.00", "paid_on": _today().isoformat(), "reference": "ACH-7781"}
    body.update(overrides)
    return body


@pytest.fixture
def api(client, finance):
    client.force_login(finance)
    return client


def test_partial_then_full_payment_closes_the_order_and_the_timeline_shows_every_step(world, api, make_member):
    desk = make_member(world.supplier, "order_desk", email="desk@alpha-cells.test")
    invoice = ready_invoice(world, quantity=2)  # 2 × $10.00
    po = invoice.purchase_order
    from orders.billing.services.progress import po_progress

    po_progress(po=po, actor=None)  # shipped → received → invoiced (the receiving and invoice services do this)
    po.refresh_from_db()
    assert po.status == POStatus.INVOICED

    first = api.post(_url(world, invoice), _body(amount="5.00"), content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["amount"] == "5.00"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.balance_due) == (
        InvoiceStatus.PARTIALLY_PAID,
        Decimal("5.00"),
        Decimal("15.00"),
    )
    po.refresh_from_db()
    assert po.status == POStatus.INVOICED

    second = api.post(
        _url(world, invoice),
        _body(method="check", amount="15.00", reference="CHK 1044"),
        content_type="application/json",
    )
    assert second.status_code == 201, second.content
    invoice.refresh_from_db()
    po.refresh_from_db()
    assert (invoice.status, invoice.balance_due) == (InvoiceStatus.PAID, 0)
    assert po.status == POStatus.CLOSED

    moves = [(e.from_label, e.to_label) for e in po_timeline(po) if e.from_status != e.to_status]
    assert [to for _, to in moves][-4:] == ["Received", "Invoiced", "Paid", "Closed"]
    assert moves[-4][0] == "Shipped"
    notes = [e.note for e in po_timeline(po)]
    assert "Invoice INV-100: partially paid — ACH transfer payment received" in notes
    assert "Invoice INV-100: paid — Check payment received" in notes
    assert (
        f"Invoice INV-100: ACH transfer payment of $5.00 recorded (reference ACH-7781, paid {long_date(_today())})"
        in notes
    )

    fees = list(AdminFeeAccrual.objects.order_by("id").values_list("base_amount", "rate", "fee"))
    assert fees == [
        (Decimal("5.00"), Decimal("0.0200"), Decimal("0.10")),
        (Decimal("15.00"), Decimal("0.0200"), Decimal("0.30")),
    ]
    paid = Notification.objects.filter(kind=NotificationKind.PAID, user=desk)
    assert paid.count() == 2
    assert paid.filter(title="Invoice INV-100: $15.00 paid by check").exists()
    assert Notification.objects.filter(kind=NotificationKind.PAID, user=world.supplier_admin).count() == 2
    assert AuditEvent.objects.filter(action="payment.succeeded").count() == 2


def test_html_form_defaults_to_the_balance_and_records_a_payment(world, client, finance):
    invoice = ready_invoice(world, number="INV-HTML")
    client.force_login(finance)
    page = client.get(_page(world, invoice))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="20.00"' in body and "INV-HTML" in body
    response = client.post(_page(world, invoice), _body(amount="20.00", reference="CHK-9"))
    assert response.status_code == 302
    assert response["Location"] == f"/agencies/{world.agency.slug}/payments/"
    listing = client.get(response["Location"]).content.decode()
    assert "CHK-9" in listing and "$20.00" in listing
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


HOSTILE = [
    ({"amount": "20.01"}, "amount", "more than the balance due"),
    ({"amount": "0"}, "amount", "more than $0.00"),
    ({"amount": "0.00"}, "amount", "more than $0.00"),
    ({"amount": "-5.00"}, "amount", "more than $0.00"),
    ({"amount": "1e9"}, "amount", "more than the balance due"),
    ({"amount": "1e100"}, "amount", None),
    ({"amount": "abc"}, "amount", None),
    ({"amount": "NaN"}, "amount", None),
    ({"amount": "5.001"}, "amount", None),
    ({"amount": ""}, "amount", None),
    ({"paid_on": "2999-01-01"}, "paid_on", "cannot be in the future"),
    ({"paid_on": "2001-01-01"}, "paid_on", "before the invoice date"),
    ({"paid_on": "yesterday"}, "paid_on", None),
    ({"reference": ""}, "reference", "required"),
    ({"reference": "   "}, "reference", "required"),
    ({"reference": "x" * 10_000}, "reference", None),
    ({"reference": "ACH\x00DROP"}, "*", None),  # refused before the view: a NUL in any request is a 400
    ({"reference": "'; DROP TABLE orders_payment; --\""}, None, None),  # quotes are fine: stored as typed
    ({"method": "card"}, "method", None),
    ({"method": "bitcoin"}, "method", None),
]


@pytest.mark.parametrize(("change", "field", "message"), HOSTILE)
def test_bad_payment_input_is_refused_with_nothing_changed(world, api, change, field, message):
    invoice = ready_invoice(world)
    before = money_state()
    response = api.post(_url(world, invoice), _body(**change), content_type="application/json")
    if field is None:
        assert response.status_code == 201  # a quoted reference is only text
        assert Payment.objects.get().reference == change["reference"]
        return
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert money_state() == before
    if field == "*":
        return
    assert error["code"] in ("invalid", "over_balance")
    assert field in error["fields"]
    if message:
        assert message in " ".join(error["fields"][field])
    assert money_state() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": "25.00"}, "more than the balance due"),
        ({"amount": "-1"}, ""),
        ({"reference": ""}, "required"),
        ({"paid_on": "2999-01-01"}, "cannot be in the future"),
    ],
)
def test_bad_payment_on_the_page_shows_an_error_summary_with_nothing_changed(world, client, finance, change, message):
    invoice = ready_invoice(world)
    client.force_login(finance)
    before = money_state()
    response = client.post(_page(world, invoice), _body(**change))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-summary"' in body
    assert message in body
    assert money_state() == before


def test_a_payment_for_another_agencys_invoice_is_404_with_nothing_changed(world, api, client, finance):
    theirs = ready_invoice(world, number="INV-THEIRS")
    Invoice.objects.filter(pk=theirs.pk).update(agency=world.other_agency)
    before = money_state()
    response = api.post(_url(world, theirs), _body(), content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.post(_page(world, theirs), _body()).status_code == 404
    assert client.get(_page(world, theirs)).status_code == 404
    assert money_state() == before


@pytest.mark.parametrize("role", ["requester", "approver", "agency_admin"])
def test_only_finance_records_payments(world, client, make_member, role):
    invoice = ready_invoice(world)
    client.force_login(make_member(world.agency, role, email=f"{role}@x.test"))
    before = money_state()
    response = client.post(_url(world, invoice), _body(), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert client.post(_page(world, invoice), _body()).status_code == 403
    assert money_state() == before


def test_service_refuses_a_non_finance_actor(world):
    invoice = ready_invoice(world)
    before = money_state()
    with pytest.raises(ApplicationError) as refused:
        payment_record(
            invoice=invoice,
            actor=world.agency_admin,
            method="ach",
            amount=Decimal("1.00"),
            paid_on=_today(),
            reference="X",
        )
    assert refused.value.status_code == 403
    assert money_state() == before


@pytest.mark.parametrize("status", [InvoiceStatus.ON_HOLD, InvoiceStatus.DISPUTED, InvoiceStatus.VOID])
def test_an_invoice_not_open_for_payment_is_refused(world, api, status):
    invoice = ready_invoice(world, status=status)
    before = money_state()
    response = api.post(_url(world, invoice), _body(), content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_payable"
    assert money_state() == before


def test_paying_an_invoice_twice_is_refused(world, api):
    invoice = ready_invoice(world)
    assert api.post(_url(world, invoice), _body(amount="20.00"), content_type="application/json").status_code == 201
    before = money_state()
    again = api.post(_url(world, invoice), _body(amount="20.00"), content_type="application/json")
    assert again.status_code == 409
    assert "cannot be paid now" in again.json()["error"]["message"]
    assert money_state() == before


def test_future_means_the_agencys_calendar(world, api):
    invoice = ready_invoice(world, invoice_date=dt.date(2026, 1, 1))
    today = organization_today(world.agency)
    tomorrow = today + dt.timedelta(days=1)
    assert (
        api.post(_url(world, invoice), _body(paid_on=tomorrow.isoformat()), content_type="application/json").status_code
        == 400
    )
    assert (
        api.post(_url(world, invoice), _body(paid_on=today.isoformat()), content_type="application/json").status_code
        == 201
    )


@pytest.mark.django_db(transaction=True)
def test_two_finance_users_paying_the_last_balance_at_once_one_wins(world, make_member):
    invoice = ready_invoice(world)
    alice = make_member(world.agency, "finance", email="alice@alpha.test")
    bob = make_member(world.agency, "finance", email="bob@alpha.test")

    def pay(user):
        def run():
            try:
                return payment_record(
                    invoice=invoice,
                    actor=user,
                    method="ach",
                    amount=Decimal("20.00"),
                    paid_on=_today(),
                    reference=f"ACH-{user.pk}",
                ).pk
            except ApplicationError as exc:
                return exc

        return run

    results = run_at_once(pay(alice), pay(bob))
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1, results
    assert refused[0].code == "not_payable" and refused[0].status_code == 409
    assert "cannot be paid now" in refused[0].message
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.PAID, Decimal("20.00"))
    assert Payment.objects.count() == 1
    assert AdminFeeAccrual.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_partial_payments_at_once_cannot_overpay(world, make_member):
    invoice = ready_invoice(world)
    users = [make_member(world.agency, "finance", email=f"f{n}@alpha.test") for n in range(2)]

    def pay(user):
        def run():
            try:
                return payment_record(
                    invoice=invoice,
                    actor=user,
                    method="check",
                    amount=Decimal("15.00"),
                    paid_on=_today(),
                    reference=f"CHK-{user.pk}",
                ).pk
            except ApplicationError as exc:
                return exc.code

        return run

    results = run_at_once(*(pay(u) for u in users))
    assert "over_balance" in results
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("15.00")


# --- Reversal -----------------------------------------------------------------------------------------------------


def _reverse_url(world, payment):
    return f"/api/v1/agencies/{world.agency.slug}/payments/{payment.public_id}/reverse/"


def test_reversal_makes_a_negative_payment_and_fee_and_opens_the_invoice_again(world, api, make_member):
    other = make_member(world.supplier, "order_desk", email="desk2@alpha-cells.test")
    invoice = ready_invoice(world, lines=2, first_line_only=True)  # line 2 not invoiced yet: the order stays open
    po = invoice.purchase_order
    api.post(_url(world, invoice), _body(amount="20.00", reference="ACH-WRONG"), content_type="application/json")
    payment = Payment.objects.get()
    po.refresh_from_db()
    assert po.status == POStatus.RECEIVED

    # the contract's rate changes before the reversal: the reversal still nets the original fee to zero
    po.contract.admin_fee_rate = Decimal("0.0500")
    po.contract.save(update_fields=["admin_fee_rate"])
    response = api.post(_reverse_url(world, payment), {"reason": "Keyed twice"}, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["amount"], data["reverses"]) == ("-20.00", str(payment.public_id))
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.balance_due) == (InvoiceStatus.READY, 0, Decimal("20.00"))
    fees = list(AdminFeeAccrual.objects.order_by("id").values_list("base_amount", "rate", "fee"))
    assert fees == [
        (Decimal("20.00"), Decimal("0.0200"), Decimal("0.40")),
        (Decimal("-20.00"), Decimal("0.0200"), Decimal("-0.40")),
    ]
    assert Payment.objects.count() == 2  # the original stays
    assert AuditEvent.objects.filter(action="payment.reverse", after__reason="Keyed twice").exists()
    assert Notification.objects.filter(user=other, kind=NotificationKind.PAID, title__contains="reversed").exists()
    notes = [e.note for e in OrderEvent.objects.filter(purchase_order=po)]
    assert "Invoice INV-100: matched, ready to pay — ACH transfer payment reversed" in notes
    assert "Invoice INV-100: payment of $20.00 (reference ACH-WRONG) reversed — Keyed twice" in notes

    # reversing it again, or reversing the reversal: refused, nothing changed
    before = money_state()
    again = api.post(_reverse_url(world, payment), {"reason": "again"}, content_type="application/json")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_reversed")
    reversal = Payment.objects.get(reverses=payment)
    back = api.post(_reverse_url(world, reversal), {"reason": "undo"}, content_type="application/json")
    assert (back.status_code, back.json()["error"]["code"]) == (409, "not_reversible")
    assert money_state() == before

    # the invoice can be paid again, correctly this time
    assert api.post(_url(world, invoice), _body(amount="20.00"), content_type="application/json").status_code == 201


def test_reversing_part_of_two_payments_leaves_the_invoice_partially_paid(world, api):
    invoice = ready_invoice(world, quantity=4)  # $40.00; the order stays open while unpaid
    api.post(_url(world, invoice), _body(amount="10.00", reference="A"), content_type="application/json")
    api.post(_url(world, invoice), _body(amount="5.00", reference="B"), content_type="application/json")
    second = Payment.objects.get(reference="B")
    assert (
        api.post(_reverse_url(world, second), {"reason": "wrong"}, content_type="application/json").status_code == 201
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.PARTIALLY_PAID, Decimal("10.00"))


def test_a_closed_order_is_final_and_its_payments_cannot_be_reversed(world, api):
    invoice = ready_invoice(world)
    from orders.billing.services.progress import po_progress

    po_progress(po=invoice.purchase_order, actor=None)
    api.post(_url(world, invoice), _body(amount="20.00"), content_type="application/json")
    invoice.purchase_order.refresh_from_db()
    assert invoice.purchase_order.status == POStatus.CLOSED
    payment = Payment.objects.get()
    before = money_state()
    response = api.post(_reverse_url(world, payment), {"reason": "Keyed twice"}, content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "order_closed" and "closed order is final" in error["message"]
    assert money_state() == before


@pytest.mark.parametrize("reason", ["", "   ", "x" * 10_000, "bad\x00reason"])
def test_reversal_needs_a_reason(world, api, reason):
    invoice = ready_invoice(world, quantity=4)
    api.post(_url(world, invoice), _body(amount="10.00"), content_type="application/json")
    payment = Payment.objects.get()
    before = money_state()
    response = api.post(_reverse_url(world, payment), {"reason": reason}, content_type="application/json")
    assert response.status_code == 400
    if "\x00" not in reason:  # a NUL is refused before the view
        assert "reason" in response.json()["error"]["fields"]
    assert money_state() == before


def test_reversal_of_another_agencys_payment_is_404_and_requester_is_403(world, api, client):
    invoice = ready_invoice(world, quantity=4)
    api.post(_url(world, invoice), _body(amount="10.00"), content_type="application/json")
    payment = Payment.objects.get()
    Payment.objects.filter(pk=payment.pk).update(agency=world.other_agency)
    before = money_state()
    assert api.post(_reverse_url(world, payment), {"reason": "x"}, content_type="application/json").status_code == 404
    page = f"/agencies/{world.agency.slug}/payments/{payment.public_id}/reverse/"
    assert api.post(page, {"reason": "x"}).status_code == 404
    Payment.objects.filter(pk=payment.pk).update(agency=world.agency)
    client.force_login(world.requester)
    assert (
        client.post(_reverse_url(world, payment), {"reason": "x"}, content_type="application/json").status_code == 403
    )
    assert money_state() == before


def test_reverse_page_reverses_and_shows_errors(world, client, finance):
    invoice = ready_invoice(world, quantity=4)
    client.force_login(finance)
    client.post(_page(world, invoice), _body(amount="10.00", reference="CHK-55", method="check"))
    payment = Payment.objects.get()
    page = f"/agencies/{world.agency.slug}/payments/{payment.public_id}/reverse/"
    assert "CHK-55" in client.get(page).content.decode()
    refused = client.post(page, {"reason": ""})
    assert refused.status_code == 400 and 'id="error-summary"' in refused.content.decode()
    done = client.post(page, {"reason": "Entered twice"})
    assert done.status_code == 302
    assert Payment.objects.filter(reverses=payment, amount=Decimal("-10.00")).exists()


@pytest.mark.django_db(transaction=True)
def test_two_finance_users_reversing_one_payment_at_once_make_one_reversal(world, make_member):
    invoice = ready_invoice(world, quantity=4)  # $40.00: a partial payment leaves the order open
    alice = make_member(world.agency, "finance", email="alice@alpha.test")
    bob = make_member(world.agency, "finance", email="bob@alpha.test")
    payment = payment_record(
        invoice=invoice, actor=alice, method="check", amount=Decimal("10.00"), paid_on=_today(), reference="CHK-1"
    )

    def reverse(user):
        def run():
            try:
                return payment_reverse(payment=payment, actor=user, reason="Keyed twice").pk
            except ApplicationError as exc:
                return exc.code

        return run

    results = run_at_once(reverse(alice), reverse(bob))
    assert "already_reversed" in results, results
    assert Payment.objects.filter(reverses=payment).count() == 1
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.READY, Decimal("0.00"))
    assert sum(AdminFeeAccrual.objects.values_list("fee", flat=True)) == 0


def test_record_page_of_a_paid_invoice_says_it_cannot_be_paid(world, client, finance):
    invoice = ready_invoice(world, number="INV-DONE", status=InvoiceStatus.PAID)
    client.force_login(finance)
    body = client.get(_page(world, invoice)).content.decode()
    assert "cannot be paid now" in body and "Record payment</button>" not in body
    before = money_state()
    refused = client.post(_page(world, invoice), _body(amount="1.00"))
    assert refused.status_code == 409
    assert money_state() == before
