"""The daily sweep with the calendar moved forward: a 30-day warning sent once; insurance lapses -> the supplier is
suspended, its items leave agency search and checkout refuses them; a new certificate verified -> restored."""

from __future__ import annotations

from datetime import date

import pytest

from agencies.models import FundCode
from agencies.selectors import catalog_scope
from contracts.catalog.search.engine import catalog_search
from contracts.catalog.search.query import SearchParams
from contracts.models import Contract
from marketplace.core.errors import ApplicationError
from marketplace.core.models import Notification
from orders.carts.services import cart_line_add
from orders.requisitions.models import Requisition
from orders.requisitions.services.checkout import CheckoutInput, checkout_submit
from suppliers.models import Supplier
from suppliers.vetting import services
from suppliers.vetting.models import SupplierDocument
from tests.factories import ContractFactory, FacilityFactory
from tests.orders.factories import priced_item
from tests.suppliers.conftest import COI, pdf, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(world, invited):
    supplier = verified(world, invited)  # insurance to Jun 30, 2027
    contract = ContractFactory(cooperative=world.coop, supplier=supplier.organization, number="VB-2026-1")
    item = priced_item(contract=contract, sku="VB-LAMP-1")
    facility = FacilityFactory(agency=world.agency, name="Fire Station 9")
    fund = FundCode.objects.create(agency=world.agency, code="001-100")
    cart_line_add(agency=world.agency, user=world.requester, item_id=item.id, quantity=2)
    return supplier, contract, item, facility, fund


def _skus(agency):
    result = catalog_search(scope=catalog_scope(agency=agency), params=SearchParams())
    return {hit.item.sku for hit in result.hits}


def _expiry_notes(user):
    return list(Notification.objects.filter(user=user, kind="document_expiry").values_list("title", flat=True))


def test_warning_is_sent_once_30_days_before_the_insurance_expires(world, shop):
    supplier = shop[0]
    assert services.supplier_expiry_sweep(today=date(2027, 5, 30))["warned"] == 0  # 31 days left
    assert services.supplier_expiry_sweep(today=date(2027, 5, 31))["warned"] == 1
    assert services.supplier_expiry_sweep(today=date(2027, 5, 31))["warned"] == 0
    assert services.supplier_expiry_sweep(today=date(2027, 6, 10))["warned"] == 0
    assert _expiry_notes(supplier.admin) == ["Volt & Beam: certificate of insurance expires in 30 days"]
    assert _expiry_notes(world.coop_staff) == _expiry_notes(world.coop_admin) == _expiry_notes(supplier.admin)
    assert Supplier.objects.get(pk=supplier.pk).vetting_status == "verified"


def test_lapsed_insurance_suspends_the_catalog_and_a_new_verified_certificate_restores_it(world, shop):
    supplier, contract, _item, facility, fund = shop
    assert "VB-LAMP-1" in _skus(world.agency)

    result = services.supplier_expiry_sweep(today=date(2027, 7, 1))

    assert result["suspended"] == 1
    supplier = Supplier.objects.get(pk=supplier.pk)
    assert supplier.vetting_status == "suspended"
    assert "expired on Jun 30, 2027" in supplier.suspension_reason
    assert "VB-LAMP-1" not in _skus(world.agency)
    assert contract not in Contract.objects.available_to_agency(world.agency)
    with pytest.raises(ApplicationError) as exc:
        checkout_submit(
            agency=world.agency, user=world.requester, data=CheckoutInput(facility_id=facility.id, fund_code_id=fund.id)
        )
    assert any("Volt & Beam is suspended" in m for messages in exc.value.fields.values() for m in messages)
    assert not Requisition.objects.exists()
    assert any("suspended" in t for t in _expiry_notes(world.coop_staff))
    assert any("unavailable" in t for t in _expiry_notes(world.requester))  # the buyer with it in the cart
    assert services.supplier_expiry_sweep(today=date(2027, 7, 2)) == {"warned": 0, "suspended": 0}  # idempotent

    # the supplier uploads a new certificate; staff verify it; the catalog is back
    admin = Supplier.objects.get(pk=supplier.pk)
    new = services.supplier_document_upload(
        supplier=admin,
        actor=shop[0].admin,
        kind="coi",
        data={**COI, "effective_on": date(2027, 7, 1), "expires_on": date(2028, 6, 30)},
        file=pdf("coi-2027.pdf"),
        today=date(2027, 7, 1),
    )
    assert Supplier.objects.get(pk=supplier.pk).vetting_status == "suspended"  # until staff verify it
    services.supplier_document_review(
        document=new, cooperative=world.coop, actor=world.coop_staff, verify=True, today=date(2027, 7, 1)
    )
    supplier = Supplier.objects.get(pk=supplier.pk)
    assert supplier.vetting_status == "verified" and supplier.suspension_reason == ""
    assert supplier.insurance_expires_on == date(2028, 6, 30)
    assert "VB-LAMP-1" in _skus(world.agency)
    requisition = checkout_submit(
        agency=world.agency, user=world.requester, data=CheckoutInput(facility_id=facility.id, fund_code_id=fund.id)
    )
    assert requisition.pk


def test_a_renewal_already_on_file_skips_the_warning(world, shop):
    supplier = shop[0]
    services.supplier_document_upload(
        supplier=Supplier.objects.get(pk=supplier.pk),
        actor=supplier.admin,
        kind="coi",
        data={**COI, "expires_on": date(2028, 6, 30)},
        file=pdf(),
        today=date(2027, 5, 1),
    )
    assert services.supplier_expiry_sweep(today=date(2027, 5, 31))["warned"] == 0


def test_certifications_are_warned_too(world, shop):
    supplier = shop[0]
    services.supplier_document_upload(
        supplier=Supplier.objects.get(pk=supplier.pk),
        actor=supplier.admin,
        kind="cert",
        data={"certification_type": "small", "issuer": "SBA", "number": "S-9", "expires_on": date(2027, 2, 1)},
    )
    assert services.supplier_expiry_sweep(today=date(2027, 1, 5))["warned"] == 1
    assert SupplierDocument.objects.get(kind="cert").expiry_notices == [30]
    assert services.supplier_expiry_sweep(today=date(2027, 1, 6))["warned"] == 0


def test_the_beat_task_is_scheduled_daily_and_runs_the_sweep(settings):
    from marketplace.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["suppliers-expiry-sweep"]
    assert entry["task"] == "suppliers.expiry_sweep"
    app.autodiscover_tasks(force=True)
    assert app.tasks["suppliers.expiry_sweep"].apply().get() == {"warned": 0, "suspended": 0}
