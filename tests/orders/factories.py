"""Factories for ordering tests: agency set-up rows, requisitions, purchase orders and their lines.

A purchase order line needs an item at its contract price and the applied price-history row that set it
(`priced_item`)."""

from __future__ import annotations

from decimal import Decimal

import factory

from agencies.models import ApprovalRule, Department, FundCode
from contracts.models import CatalogItem, Category, PriceChange, PriceChangeStatus
from orders.models import POStatus, PurchaseOrder, PurchaseOrderLine, Requisition
from tests.factories import ContractFactory, FacilityFactory, UserFactory


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class FundCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundCode

    code = factory.Sequence(lambda n: f"100-{n:04d}")
    description = "General fund"


class ApprovalRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalRule

    name = factory.Sequence(lambda n: f"Rule {n}")
    min_amount = Decimal("0.00")
    approvals_required = 1


def priced_item(*, contract, sku: str, contract_price: str = "10.00", list_price: str = "14.00") -> CatalogItem:
    """An active item with its first price-history row (applied), as an import or the demo creates it."""
    category = Category.objects.get(slug="led-lamps")
    item = CatalogItem.objects.create(
        contract=contract,
        sku=sku,
        name=f"Item {sku}",
        category=category,
        category_path=category.path,
        list_price=Decimal(list_price),
        contract_price=Decimal(contract_price),
    )
    PriceChange.objects.create(
        item=item,
        old_price=None,
        new_price=item.contract_price,
        new_list_price=item.list_price,
        status=PriceChangeStatus.APPLIED,
        effective_date=contract.term_start,
    )
    return item


class RequisitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requisition

    requester = factory.SubFactory(UserFactory)
    facility = factory.SubFactory(FacilityFactory, agency=factory.SelfAttribute("..agency"))


def purchase_order(*, world, status: str = POStatus.PENDING_APPROVAL, lines: int = 1, contract=None) -> PurchaseOrder:
    """A purchase order of world.agency to world.supplier on a contract of world.coop, with `lines` lines."""
    contract = contract or ContractFactory(cooperative=world.coop, supplier=world.supplier)
    requisition = RequisitionFactory(agency=world.agency, requester=world.requester)
    po = PurchaseOrder.objects.create(
        requisition=requisition,
        agency=world.agency,
        supplier=contract.supplier,
        cooperative=contract.cooperative,
        contract=contract,
        facility=requisition.facility,
        status=status,
    )
    fund = FundCodeFactory(agency=world.agency)
    for n in range(lines):
        item = priced_item(contract=contract, sku=f"{contract.number}-L{n}")
        PurchaseOrderLine.objects.create(
            purchase_order=po,
            item=item,
            price_change=item.price_changes.get(),
            sku=item.sku,
            name=item.name,
            unit=item.unit,
            quantity=2,
            unit_price=item.contract_price,
            list_price=item.list_price,
            amount=item.contract_price * 2,
            list_amount=item.list_price * 2,
            fund_code=fund,
        )
    return po
