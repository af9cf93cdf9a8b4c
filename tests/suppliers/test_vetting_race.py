"""Real concurrent transactions: two staff verifying at once verify once; two sweeps at once warn once; the same
supplier invited twice at once is created once."""

from __future__ import annotations

from datetime import date

import pytest

from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, Notification, Organization
from suppliers.models import Supplier
from suppliers.vetting import services
from suppliers.vetting.models import SupplierDocument
from tests.concurrency import run_at_once
from tests.suppliers.conftest import TODAY, complete, verified

pytestmark = pytest.mark.django_db(transaction=True)


def _outcome(fn):
    def run():
        try:
            return fn()
        except ApplicationError as exc:
            return exc.code

    return run


def test_two_staff_verifying_at_once_verify_once(world, invited):
    supplier = services.supplier_submit(supplier=complete(invited), actor=invited.admin, today=TODAY)
    for document in SupplierDocument.objects.filter(supplier=supplier.organization):
        services.supplier_document_review(
            document=document, cooperative=world.coop, actor=world.coop_staff, verify=True, today=TODAY
        )

    def verify(user):
        return _outcome(
            lambda: services.supplier_verify(supplier=supplier, cooperative=world.coop, actor=user, today=TODAY)
        )

    results = run_at_once(verify(world.coop_staff), verify(world.coop_admin))

    assert sorted(type(r).__name__ for r in results) == ["Supplier", "str"]
    assert "invalid_transition" in results
    assert AuditEvent.objects.filter(action="supplier.verified").count() == 1


def test_two_sweeps_at_once_warn_once(world, invited):
    supplier = verified(world, invited)
    day = date(2027, 5, 31)

    results = run_at_once(
        lambda: services.supplier_expiry_sweep(today=day), lambda: services.supplier_expiry_sweep(today=day)
    )

    assert sum(r["warned"] for r in results) == 1
    assert Notification.objects.filter(user=supplier.admin, kind="document_expiry").count() == 1


def test_the_same_supplier_invited_twice_at_once_is_created_once(world):
    def invite(user, email):
        return _outcome(
            lambda: services.supplier_invite(
                cooperative=world.coop, actor=user, data={"name": "Volt & Beam", "admin_email": email}
            )
        )

    results = run_at_once(invite(world.coop_staff, "a@voltbeam.test"), invite(world.coop_admin, "b@voltbeam.test"))

    assert Organization.objects.filter(name="Volt & Beam").count() == 1
    assert Supplier.objects.filter(organization__name="Volt & Beam").count() == 1
    assert sum(isinstance(r, str) for r in results) == 1
