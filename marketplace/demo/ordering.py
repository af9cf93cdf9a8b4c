"""Demo ordering set-up and orders for the City of Maple Ridge, made through the real services (set-up,
cart, checkout, approval routing and decisions, release, PDF, status transitions), so the demo obeys the same
rules as real use: the contract-price guard, per-agency PO numbers, audit rows, notifications.

Idempotent: each row is looked up by its natural key (department and template name, fund code, rule threshold,
certificate number, an order's note) and only made when missing; a second run adds and changes nothing. It reads
a handful of catalog items by category and price band (never per item), so `seed_demo --items N` stays fast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from agencies.models import ApprovalRule, Department, Facility, FundCode, MemberDefaults, TaxExemptionCertificate
from agencies.setup import services as setup
from contracts.models import CatalogItem, Contract, ItemStatus
from marketplace.core.models import Organization, User
from marketplace.demo.catalog import BULK_SKU_PREFIX
from orders.approvals.services.decisions import requisition_approve, requisition_reject
from orders.carts.models import CartLine, OrderTemplate
from orders.carts.services import cart_line_add, order_template_create
from orders.purchase_orders.models import PDFStatus, POStatus, PurchaseOrder, Shipment, ShipmentLine
from orders.purchase_orders.services.pdf import po_pdf_render
from orders.purchase_orders.services.transitions import po_transition
from orders.requisitions.models import Requisition
from orders.requisitions.services.checkout import CheckoutInput, checkout_submit

AGENCY = "city-of-maple-ridge"
BUYER, APPROVER, ADMIN = "buyer@maple-ridge.test", "approver@maple-ridge.test", "admin@maple-ridge.test"
ORDER_DESK = "orders@brightcell.test"

DEPARTMENTS = [("Public Works", "PW"), ("Fire Rescue", "FR"), ("Facilities Management", "FM")]
FUND_CODES = [
    ("001-5190-5231", "General fund · building maintenance supplies", "Facilities Management"),
    ("401-5410-5220", "Fleet services · vehicle parts and batteries", "Public Works"),
    ("120-5220-5210", "Fire rescue · operating supplies", "Fire Rescue"),
]
# (name, from amount, approvals, role, emergency). The $25,000 rule asks two holders of the approver role: the
# demo city has two approvers (the director and the procurement manager) but one agency admin.
RULES = [
    ("Routine purchases", "0.00", 0, "approver", False),
    ("Department approval", "2500.00", 1, "approver", False),
    ("Large purchases", "25000.00", 2, "approver", False),
    ("Declared emergency", "0.00", 1, "approver", True),
]
CERTIFICATE = ("FL", "85-8012345678C-9", dt.date(2030, 6, 30))

# A catalog pick: an active item of the demo contract in `category` whose contract price lies in
# [low, high], the cheapest (then by SKU): the same item on every run and for any --items.
Pick = tuple[str, str, str, int]  # category path, low, high, quantity

KIT = (
    "Emergency backup power kit",
    "What one facility needs to ride out a power cut in hurricane season: a portable power station, UPS "
    "batteries, lights and cells. Load it, set the ship-to facility and check out.",
    [
        ("Power > Power banks & portable power stations", "300", "2000", 1),
        ("Batteries > Sealed lead-acid (UPS & emergency lighting)", "10", "30", 8),
        ("Batteries > UPS replacement cartridges", "30", "80", 2),
        ("Lighting > Flashlights & headlamps", "10", "40", 6),
        ("Batteries > Alkaline & lithium cells", "5", "40", 4),
        ("Lighting > Exit & emergency lights", "20", "60", 2),
    ],
)


@dataclass
class DemoOrder:
    """One demo requisition, identified by its note; `to` is the purchase order's state to reach."""

    note: str
    facility: str
    fund_code: str
    picks: list[Pick]
    to: str
    emergency_reason: str = ""
    store_pickup: bool = False
    reason: str = ""  # a rejection's or cancellation's reason
    shipped: list[int] = field(default_factory=list)  # per line, how many are shipped


ORDERS = [
    DemoOrder(
        note="Demo: exit signs and emergency-light batteries knocked out by the storm at Station 3.",
        facility="Fire Station 3",
        fund_code="120-5220-5210",
        picks=[
            ("Lighting > Exit & emergency lights", "20", "60", 6),
            ("Batteries > Sealed lead-acid (UPS & emergency lighting)", "10", "30", 12),
        ],
        to=POStatus.PARTIALLY_SHIPPED,
        emergency_reason="Tropical storm damage: exit signs at Fire Station 3 are dark (Emergency Declaration 26-04).",
        shipped=[6, 4],
    ),
    DemoOrder(
        note="Demo: replacement batteries for two fleet pickups, picked up at the local store.",
        facility="Public Works Fleet Garage",
        fund_code="401-5410-5220",
        picks=[("Batteries > Vehicle & fleet batteries", "90", "200", 2)],
        to=POStatus.SENT,
        store_pickup=True,
    ),
    DemoOrder(
        note="Demo: LED tubes for the City Hall corridor retrofit.",
        facility="City Hall Facilities",
        fund_code="001-5190-5231",
        picks=[("Lighting > LED tubes", "3", "12", 24)],
        to=POStatus.ACKNOWLEDGED,
    ),
    DemoOrder(
        note="Demo: flashlights for the Public Works night crew.",
        facility="Public Works Fleet Garage",
        fund_code="401-5410-5220",
        picks=[("Lighting > Flashlights & headlamps", "10", "40", 6)],
        to=POStatus.SHIPPED,
        shipped=[6],
    ),
    DemoOrder(
        note="Demo: AA and AAA cells for the library branches' smoke detectors.",
        facility="City Hall Facilities",
        fund_code="001-5190-5231",
        picks=[("Batteries > Alkaline & lithium cells", "5", "40", 10)],
        to=POStatus.SHIPPED,
        shipped=[10],
    ),
    DemoOrder(
        note="Demo: AAA cells for City Hall (ordered twice by mistake).",
        facility="City Hall Facilities",
        fund_code="001-5190-5231",
        picks=[("Batteries > Alkaline & lithium cells", "5", "40", 2)],
        to=POStatus.CANCELLED,
        reason="Ordered twice by mistake; the other order covers it.",
    ),
    DemoOrder(
        note="Demo: UPS units for the City Hall server room.",
        facility="City Hall Facilities",
        fund_code="001-5190-5231",
        picks=[("Power > UPS units", "1000", "4000", 3)],
        to=POStatus.REJECTED,
        reason="IT has not signed off on this UPS model yet; please check with them and order again.",
    ),
    DemoOrder(
        note="Demo: hurricane-season backup power for the Public Works yard.",
        facility="Public Works Fleet Garage",
        fund_code="401-5410-5220",
        picks=[
            ("Power > Power banks & portable power stations", "800", "2500", 3),
            ("Batteries > UPS replacement cartridges", "30", "80", 10),
        ],
        to=POStatus.PENDING_APPROVAL,
    ),
]


def _pick(contract: Contract, pick: Pick) -> CatalogItem | None:
    category, low, high, _quantity = pick
    return (
        CatalogItem.objects.filter(
            contract=contract,
            status=ItemStatus.ACTIVE,
            category_path=category,
            contract_price__gte=Decimal(low),
            contract_price__lte=Decimal(high),
        )
        .exclude(sku__startswith=BULK_SKU_PREFIX)  # benchmark filler: no price history, so not orderable
        .order_by("contract_price", "sku")
        .first()
    )


def _certificate_pdf(agency: Organization, state: str, number: str, expires: dt.date) -> bytes:
    from weasyprint import CSS, HTML

    html = (
        "<html lang='en'><head><meta charset='utf-8'><title>Consumer's Certificate of Exemption</title></head><body>"
        f"<p>Florida Department of Revenue · Form DR-14 (demo)</p><h1>Consumer's Certificate of Exemption</h1>"
        f"<p><strong>{escape(agency.name)}</strong> is exempt from Florida sales and use tax on purchases of "
        "tangible personal property made for its governmental use.</p>"
        f"<p>Certificate number: <strong>{escape(number)}</strong><br>State: {escape(state)}<br>"
        f"Expires: {expires:%b %-d, %Y}</p>"
        "<p>Demo document generated for the Co-op Marketplace demo. Not a real certificate.</p></body></html>"
    )
    css = "@page { size: Letter; margin: 1in; } body { font-family: 'DejaVu Sans', sans-serif; font-size: 11pt; }"
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=css)])


def _setup(agency: Organization, admin: User, buyer: User) -> dict[str, int]:
    made = {"departments": 0, "fund codes": 0, "approval rules": 0, "tax certificates": 0}
    departments = {d.name: d for d in Department.objects.for_organization(agency)}
    for name, code in DEPARTMENTS:
        if name not in departments:
            departments[name] = setup.department_create(agency=agency, actor=admin, data={"name": name, "code": code})
            made["departments"] += 1
    funds = {f.code: f for f in FundCode.objects.for_organization(agency)}
    for code, description, department in FUND_CODES:
        if code not in funds:
            data = {"code": code, "description": description, "department": departments[department].pk}
            funds[code] = setup.fund_code_create(agency=agency, actor=admin, data=data)
            made["fund codes"] += 1
    rules = ApprovalRule.objects.for_organization(agency).filter(is_active=True, category__isnull=True)
    have = {(r.is_emergency, r.min_amount) for r in rules}
    for name, amount, approvals, role, emergency in RULES:
        exists = any(e for e, _ in have) if emergency else (False, Decimal(amount)) in have
        if exists:  # one emergency rule per agency; one amount rule per threshold
            continue
        data = {
            "name": name,
            "min_amount": amount,
            "approvals_required": approvals,
            "approver_role": role,
            "is_emergency": emergency,
        }
        setup.approval_rule_create(agency=agency, actor=admin, data=data)
        made["approval rules"] += 1
    state, number, expires = CERTIFICATE
    certificates = TaxExemptionCertificate.objects.for_organization(agency)
    if not certificates.filter(state=state, number=number).exists():
        pdf = ContentFile(_certificate_pdf(agency, state, number, expires), name="maple-ridge-fl-exemption.pdf")
        setup.tax_certificate_upload(
            agency=agency, actor=admin, state=state, number=number, expires_on=expires, file=pdf
        )
        made["tax certificates"] += 1
    if not MemberDefaults.objects.for_organization(agency).filter(user=buyer).exclude(facility=None).exists():
        garage = Facility.objects.for_organization(agency).get(name="Public Works Fleet Garage")
        setup.member_defaults_set(
            agency=agency, actor=buyer, user=buyer, facility=garage.pk, fund_code=funds["401-5410-5220"].pk
        )
    return made


def _template(agency: Organization, contract: Contract, admin: User) -> int:
    name, description, picks = KIT
    if OrderTemplate.objects.for_organization(agency).filter(name=name).exists():
        return 0
    lines = []
    for pick in picks:
        item = _pick(contract, pick)
        if item is not None:
            lines.append({"item": item.pk, "quantity": pick[3]})
    order_template_create(agency=agency, actor=admin, name=name, description=description, lines=lines)
    return 1


def _place(order: DemoOrder, agency: Organization, contract: Contract, users: dict[str, User]) -> list[int]:
    """Check one demo order out and move it to its state. Returns the ids of the POs whose PDF to render."""
    buyer = users[BUYER]
    items = [(item, pick[3]) for pick in order.picks if (item := _pick(contract, pick)) is not None]
    if not items:
        return []
    for item, quantity in items:
        cart_line_add(agency=agency, user=buyer, item_id=item.pk, quantity=quantity)
    facility = Facility.objects.for_organization(agency).get(name=order.facility)
    fund = FundCode.objects.for_organization(agency).get(code=order.fund_code)
    requisition = checkout_submit(
        agency=agency,
        user=buyer,
        data=CheckoutInput(
            facility_id=facility.pk,
            fund_code_id=fund.pk,
            notes=order.note,
            is_emergency=bool(order.emergency_reason),
            emergency_reason=order.emergency_reason,
            fulfilment={contract.pk: "store_pickup"} if order.store_pickup else {},
        ),
    )
    if order.to == POStatus.REJECTED:
        requisition_reject(requisition=requisition, actor=users[APPROVER], reason=order.reason)
        return []
    if order.to == POStatus.PENDING_APPROVAL:
        return []
    if requisition.status == "pending_approval":
        requisition_approve(requisition=requisition, actor=users[APPROVER])
    pos = list(PurchaseOrder.objects.for_organization(agency).filter(requisition=requisition).order_by("pk"))
    desk = users[ORDER_DESK]
    for po in pos:
        if order.to == POStatus.CANCELLED:
            po_transition(po=po, to=POStatus.CANCELLED, actor=users[ADMIN], note=order.reason)
            continue
        if order.to == POStatus.SENT:
            continue
        po = po_transition(po=po, to=POStatus.ACKNOWLEDGED, actor=desk, note="Confirmed; stock reserved.")
        if order.shipped:
            _ship(po, order.shipped, desk)
    return [po.pk for po in pos]


def _ship(po: PurchaseOrder, shipped: list[int], desk: User) -> None:
    """A shipment of `shipped` units per line, as the order desk records it (the status through `po_transition`)."""
    today = timezone.localdate()
    shipment = Shipment.objects.create(
        purchase_order=po,
        carrier="UPS Ground",
        tracking_number=f"1Z999AA1{po.pk:010d}",
        ship_date=today,
        created_by=desk,
    )
    complete = True
    for line, quantity in zip(po.lines.order_by("pk"), shipped, strict=False):
        quantity = min(quantity, line.quantity)
        if quantity:
            ShipmentLine.objects.create(shipment=shipment, po_line=line, quantity=quantity)
            line.quantity_shipped = quantity
            line.save(update_fields=["quantity_shipped"])
        complete = complete and quantity == line.quantity
    to = POStatus.SHIPPED if complete else POStatus.PARTIALLY_SHIPPED
    po_transition(po=po, to=to, actor=desk, note=f"UPS Ground {shipment.tracking_number}")


def seed_ordering(contract: Contract, log=print) -> dict[str, int]:
    """The City of Maple Ridge's ordering set-up, its emergency kit template and the demo orders."""
    agency = Organization.objects.get(slug=AGENCY)
    users = {u.email: u for u in User.objects.filter(email__in=[BUYER, APPROVER, ADMIN, ORDER_DESK])}
    render: list[int] = []
    with transaction.atomic():
        made = _setup(agency, users[ADMIN], users[BUYER])
        made["order templates"] = _template(agency, contract, users[ADMIN])
        done = set(Requisition.objects.for_organization(agency).values_list("notes", flat=True))
        missing = [order for order in ORDERS if order.note not in done]
        if missing and CartLine.objects.filter(cart__agency=agency, cart__user=users[BUYER]).exists():
            log("The demo buyer's cart is not empty: demo orders were not placed (empty it and seed again).")
            missing = []
        for order in missing:
            render += _place(order, agency, contract, users)
        made["orders"] = len(missing)
    # The PDFs the outbox queued, made here too so the pages show them on first start (the worker's run of the
    # same task then finds them done).
    for po_id in render:
        if PurchaseOrder.objects.filter(pk=po_id, pdf_status=PDFStatus.PENDING).exists():
            po_pdf_render(po_id=po_id)
    return made
