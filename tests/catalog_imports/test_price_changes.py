"""Co-op decisions on price increases: approve (effective today, row-locked), reject with a reason, refusals."""

from decimal import Decimal

import pytest

from contracts.catalog.services.pricing import catalog_item_price_request, price_change_approve, price_change_reject
from contracts.models import CatalogItem, PriceChange
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, Notification
from tests.catalog_imports.conftest import make_item
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(contract, world):
    item = make_item(contract, "P-1", price="12.00", list_price="20.00")
    return catalog_item_price_request(item=item, actor=world.catalog_manager, contract_price=Decimal("13.00"))


def _state(change):
    item = CatalogItem.objects.get(pk=change.item_id)
    fresh = PriceChange.objects.get(pk=change.pk)
    return item.contract_price, item.list_price, fresh.status, fresh.reason


def test_supplier_decrease_applies_at_once(contract, world):
    item = make_item(contract, "D-1", price="12.00")
    change = catalog_item_price_request(item=item, actor=world.catalog_manager, contract_price=Decimal("11.00"))
    assert change.status == "applied" and change.effective_date == organization_today(world.coop)
    assert CatalogItem.objects.get(pk=item.pk).contract_price == Decimal("11.00")


def test_supplier_increase_above_the_discount_is_refused(contract, world):
    item = make_item(contract, "D-1", price="12.00")
    with pytest.raises(ApplicationError) as raised:
        catalog_item_price_request(item=item, actor=world.catalog_manager, contract_price=Decimal("14.01"))
    assert raised.value.code == "price_rule"
    assert not PriceChange.objects.filter(item=item, status="pending").exists()


def test_approve_applies_the_new_price_today(pending, world):
    change = price_change_approve(change_id=pending.pk, cooperative=world.coop, actor=world.coop_staff)

    price, _, status, _ = _state(change)
    assert (price, status) == (Decimal("13.00"), "approved")
    assert change.effective_date == organization_today(world.coop) and change.decided_by == world.coop_staff
    assert Notification.objects.filter(
        user=world.catalog_manager, title__startswith="Price increase approved", kind="catalog"
    ).exists()
    assert AuditEvent.objects.filter(action="price_change.approve", organization=world.coop).exists()
    assert AuditEvent.objects.filter(action="price_change.approve", organization=world.supplier).exists()


def test_reject_needs_a_reason_and_keeps_the_price(pending, world):
    with pytest.raises(ApplicationError) as raised:
        price_change_reject(change_id=pending.pk, cooperative=world.coop, actor=world.coop_staff, reason="  ")
    assert raised.value.fields == {"reason": ["Give a reason."]}
    assert _state(pending) == (Decimal("12.00"), Decimal("20.00"), "pending", "")

    price_change_reject(change_id=pending.pk, cooperative=world.coop, actor=world.coop_staff, reason="Not in the bid.")

    assert _state(pending) == (Decimal("12.00"), Decimal("20.00"), "rejected", "Not in the bid.")
    assert Notification.objects.filter(user=world.supplier_admin, body__contains="Not in the bid.").exists()


def test_a_decided_change_cannot_be_decided_again(pending, world):
    price_change_reject(change_id=pending.pk, cooperative=world.coop, actor=world.coop_staff, reason="No.")
    with pytest.raises(ApplicationError) as raised:
        price_change_approve(change_id=pending.pk, cooperative=world.coop, actor=world.coop_admin)
    assert raised.value.code == "not_pending" and raised.value.status_code == 409
    assert _state(pending)[:3] == (Decimal("12.00"), Decimal("20.00"), "rejected")


def test_another_coop_cannot_decide(pending, world):
    with pytest.raises(ApplicationError) as raised:
        price_change_approve(change_id=pending.pk, cooperative=world.other_coop, actor=world.other_coop_admin)
    assert raised.value.status_code == 404
    assert _state(pending)[2] == "pending"


def test_approval_refused_when_the_basis_no_longer_allows_it(pending, contract, world):
    contract.min_discount_percent = Decimal("40.00")
    contract.save()
    with pytest.raises(ApplicationError) as raised:
        price_change_approve(change_id=pending.pk, cooperative=world.coop, actor=world.coop_staff)
    assert raised.value.code == "price_rule"
    assert _state(pending)[:3] == (Decimal("12.00"), Decimal("20.00"), "pending")


def test_one_pending_request_per_item(pending, world):
    newer = catalog_item_price_request(item=pending.item, actor=world.catalog_manager, contract_price=Decimal("13.50"))
    assert PriceChange.objects.get(pk=pending.pk).status == "rejected"
    assert PriceChange.objects.filter(item=pending.item, status="pending").get() == newer


# --- the co-op pages ----------------------------------------------------------------------------------


def test_pending_list_shows_old_new_and_percent(client, pending, world):
    client.force_login(world.coop_staff)
    response = client.get(f"/coops/{world.coop.slug}/price-changes/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "P-1" in body and "$12.00 → $13.00" in body and "+8.3%" in body and world.catalog_manager.email in body


def test_approve_from_the_page(client, pending, world):
    client.force_login(world.coop_staff)
    response = client.post(f"/coops/{world.coop.slug}/price-changes/{pending.pk}/approve/")
    assert response.status_code == 302
    assert _state(pending)[2] == "approved"


def test_reject_from_the_page_without_reason_shows_the_error(client, pending, world):
    client.force_login(world.coop_staff)
    url = f"/coops/{world.coop.slug}/price-changes/{pending.pk}/reject/"
    response = client.post(url, {f"reject-{pending.pk}-reason": ""})
    assert response.status_code == 400
    assert "Please correct" in response.content.decode()
    assert _state(pending)[2] == "pending"
    client.post(url, {f"reject-{pending.pk}-reason": "Too steep."})
    assert _state(pending)[2:] == ("rejected", "Too steep.")


def test_supplier_staff_cannot_reach_the_coop_pages(client, pending, world):
    client.force_login(world.supplier_admin)
    assert client.post(f"/coops/{world.coop.slug}/price-changes/{pending.pk}/approve/").status_code == 404
    assert _state(pending)[2] == "pending"


def test_filters(client, pending, world):
    other = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CT-OTHER")
    make_item(other, "Z-9")
    client.force_login(world.coop_staff)
    body = client.get(f"/coops/{world.coop.slug}/price-changes/?status=applied&contract=CT-OTHER").content.decode()
    assert "Z-9" in body and "P-1" not in body


# --- API ------------------------------------------------------------------------------------------------


def test_api_list_and_approve(client, pending, world):
    client.force_login(world.coop_admin)
    data = client.get(f"/api/v1/coops/{world.coop.slug}/price-changes/").json()
    assert data["count"] == 1
    first = data["results"][0]
    assert first["item"]["sku"] == "P-1" and first["old_price"] == "12.00" and first["new_price"] == "13.00"
    assert first["percent_change"] == "8.3" and first["status"] == "pending"

    response = client.post(f"/api/v1/coops/{world.coop.slug}/price-changes/{pending.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"

    again = client.post(f"/api/v1/coops/{world.coop.slug}/price-changes/{pending.pk}/approve/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_pending"


def test_api_reject_requires_reason(client, pending, world):
    client.force_login(world.coop_staff)
    url = f"/api/v1/coops/{world.coop.slug}/price-changes/{pending.pk}/reject/"
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    assert _state(pending)[2] == "pending"
    response = client.post(url, {"reason": "No."}, content_type="application/json")
    assert response.json()["status"] == "rejected" and response.json()["reason"] == "No."
