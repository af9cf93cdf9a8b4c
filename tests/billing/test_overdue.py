"""Overdue invoices: past due on the agency's calendar with a balance still due; the daily beat task reminds the
supplier's order desk and the agency's finance team at most once per invoice per day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from marketplace.core.dates import organization_today
from marketplace.core.models import Notification
from marketplace.core.notification_kinds import NotificationKind
from orders.billing.accounts.selectors import overdue_invoice_list
from orders.models import Invoice, InvoiceStatus
from orders.tasks import invoices_overdue_remind
from tests.billing.helpers import money_state, ready_invoice

pytestmark = pytest.mark.django_db


def _overdue(world, *, number="INV-OD", days=3, **fields):
    """An invoice of world.agency whose due date was `days` days ago (agency's calendar)."""
    invoice = ready_invoice(world, number=number, **fields)
    due = organization_today(world.agency) - dt.timedelta(days=days)
    Invoice.objects.filter(pk=invoice.pk).update(due_date=due, invoice_date=due - dt.timedelta(days=30))
    invoice.refresh_from_db()
    return invoice


def test_overdue_means_past_due_open_and_owing(world):
    late = _overdue(world, number="INV-LATE", days=3)
    _overdue(world, number="INV-DUE-TODAY", days=0)  # due today: not overdue yet
    paid = _overdue(world, number="INV-PAID", days=10)
    Invoice.objects.filter(pk=paid.pk).update(status=InvoiceStatus.PAID, amount_paid=paid.total)
    held = _overdue(world, number="INV-HELD", days=10, status=InvoiceStatus.ON_HOLD)  # nothing to pay until matched
    partly = _overdue(world, number="INV-PART", days=8)
    Invoice.objects.filter(pk=partly.pk).update(status=InvoiceStatus.PARTIALLY_PAID, amount_paid=Decimal("5.00"))
    assert held
    rows = overdue_invoice_list(organization=world.agency)
    assert [(i.number, i.days_overdue, i.balance_due) for i in rows] == [
        ("INV-PART", 8, Decimal("15.00")),
        ("INV-LATE", 3, Decimal("20.00")),
    ]
    assert [i.number for i in overdue_invoice_list(organization=world.supplier)] == ["INV-PART", "INV-LATE"]
    assert overdue_invoice_list(organization=world.other_agency) == []
    assert overdue_invoice_list(organization=world.other_supplier) == []
    assert late


def test_overdue_pages_and_api(world, client, finance, make_member):
    _overdue(world, number="INV-LATE", days=4)
    client.force_login(finance)
    page = client.get(f"/agencies/{world.agency.slug}/invoices/overdue/").content.decode()
    assert "INV-LATE" in page and "$20.00" in page and "Record payment" in page
    data = client.get(f"/api/v1/agencies/{world.agency.slug}/invoices/overdue/").json()
    assert [(r["number"], r["days_overdue"], r["balance_due"]) for r in data["results"]] == [("INV-LATE", 4, "20.00")]
    client.force_login(make_member(world.supplier, "order_desk", email="desk@alpha-cells.test"))
    page = client.get(f"/suppliers/{world.supplier.slug}/invoices/overdue/").content.decode()
    assert "INV-LATE" in page and world.agency.name in page


def test_reminder_notifies_supplier_desk_and_agency_finance_once_a_day(world, finance, make_member):
    desk = make_member(world.supplier, "order_desk", email="desk@alpha-cells.test")
    invoice = _overdue(world, number="INV-LATE", days=2)
    _overdue(world, number="INV-NOT-YET", days=0)

    assert invoices_overdue_remind() == 1
    reminders = Notification.objects.filter(kind=NotificationKind.OVERDUE)
    assert sorted(n.user.email for n in reminders) == sorted([desk.email, world.supplier_admin.email, finance.email])
    assert {n.title for n in reminders} == {"Invoice INV-LATE is overdue"}
    assert "2 days ago" in reminders.first().body and "$20.00" in reminders.first().body
    assert not reminders.filter(user__in=[world.requester, world.agency_admin, world.catalog_manager]).exists()
    invoice.refresh_from_db()
    assert invoice.last_reminded_on == organization_today(world.agency)

    before = money_state()
    assert invoices_overdue_remind() == 0  # run twice the same day: nobody is reminded again
    assert money_state() == before

    # the next day it is reminded again
    Invoice.objects.filter(pk=invoice.pk).update(last_reminded_on=invoice.last_reminded_on - dt.timedelta(days=1))
    assert invoices_overdue_remind() == 1
    assert Notification.objects.filter(kind=NotificationKind.OVERDUE).count() == 6


def test_a_paid_invoice_is_not_reminded(world, finance):
    invoice = _overdue(world, days=5)
    Invoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.PAID, amount_paid=invoice.total)
    assert invoices_overdue_remind() == 0
    assert not Notification.objects.exists()


def test_the_reminder_is_on_the_daily_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["invoices-overdue-remind"]
    assert entry["task"] == "orders.invoices_overdue_remind"
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute, len(schedule.day_of_week)) == ({14}, {0}, 7)  # daily, 14:00 UTC


def test_a_real_worker_runs_the_reminder_and_mails_it(worker, world, finance):
    _overdue(world, number="INV-WORKER", days=6)
    from marketplace.celery import app

    app.send_task("orders.invoices_overdue_remind")
    mails = worker.wait_for_mail(count=2)  # the supplier admin and finance
    assert any("INV-WORKER" in mail and finance.email in mail for mail in mails)
    worker.wait_until_idle()
    assert Invoice.objects.get(number="INV-WORKER").last_reminded_on == organization_today(world.agency)
    assert Notification.objects.filter(kind=NotificationKind.OVERDUE).count() == 2
