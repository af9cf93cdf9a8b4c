"""The public front page's reads: live figures, the featured contract(s), a catalog preview and the co-ops to join.

Everything here is public already (published contracts, their pricing exhibits, store addresses); nothing is
tenant data. A contract counts when it is **in force**: active, its term started and not ended, and its supplier
not suspended (the same suppliers buyers cannot order from). Drafts, expired and terminated contracts never count.

The figures are computed in a handful of grouped queries and cached for `CACHE_SECONDS`, so `/` stays cheap
however large the catalog grows; the numbers may therefore lag a change by up to a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import cache
from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, When
from django.utils import timezone

from contracts.models import CatalogItem, Contract, ContractStatus, ItemStatus
from contracts.services.contracts import US_STATES
from marketplace.core.models import CoopMembership, Organization
from marketplace.core.roles import OrgKind
from suppliers.models import StoreLocation, Supplier, VettingStatus

CACHE_KEY = "front-page:v1"
CACHE_SECONDS = 60
FEATURED_LIMIT = 3
PREVIEW_ITEMS = 4
FAST_LEAD_DAYS = 3  # "ready to ship in 3 days or less": what an emergency buyer needs to know

_DISCOUNT = ExpressionWrapper(
    (F("list_price") - F("contract_price")) * 100 / F("list_price"),
    output_field=DecimalField(max_digits=12, decimal_places=4),
)


def states_in_words(codes) -> str:
    """('AL', 'FL', 'GA') -> 'Alabama, Florida and Georgia'."""
    names = [US_STATES.get(code, code) for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _one_decimal(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FeaturedContract:
    slug: str
    number: str
    title: str
    description: str
    cooperative: str
    supplier: str
    chosen: bool  # featured by its co-op (else: the in-force contract with the most items)
    item_count: int
    average_discount: Decimal | None
    fast_item_count: int
    store_count: int
    store_states: tuple[str, ...]
    term_end: object  # a date

    @property
    def store_states_in_words(self) -> str:
        return states_in_words(self.store_states)


@dataclass(frozen=True)
class PreviewItem:
    name: str
    manufacturer: str
    category: str
    unit: str
    pack_size: int
    list_price: Decimal
    contract_price: Decimal

    @property
    def savings(self) -> Decimal:
        return self.list_price - self.contract_price

    @property
    def savings_percent(self) -> Decimal:
        return _one_decimal(self.savings * 100 / self.list_price)


@dataclass(frozen=True)
class JoinCoop:
    name: str
    slug: str
    contract_count: int


@dataclass(frozen=True)
class FrontPage:
    contract_count: int = 0
    agency_count: int = 0
    item_count: int = 0
    average_discount: Decimal | None = None  # mean of each active item's discount off its list price
    fast_item_count: int = 0
    store_count: int = 0
    store_states: tuple[str, ...] = ()
    featured: tuple[FeaturedContract, ...] = ()
    preview: tuple[PreviewItem, ...] = ()
    preview_contract: FeaturedContract | None = None
    coops: tuple[JoinCoop, ...] = ()

    @property
    def has_contracts(self) -> bool:
        return self.contract_count > 0

    @property
    def store_states_in_words(self) -> str:
        return states_in_words(self.store_states)


def contracts_in_force(*, today=None) -> QuerySet[Contract]:
    """Active contracts whose term has started and not ended, of suppliers that are not suspended."""
    today = today or timezone.localdate()
    suspended = Supplier.objects.unscoped().filter(vetting_status=VettingStatus.SUSPENDED).values("organization_id")
    return (
        Contract.objects.unscoped()
        .filter(status=ContractStatus.ACTIVE, term_start__lte=today, term_end__gte=today)
        .exclude(supplier__in=suspended)
    )


def front_page() -> FrontPage:
    """The front page's facts, from the cache when they are less than a minute old."""
    facts = cache.get(CACHE_KEY)
    if facts is None:
        facts = front_page_compute()
        cache.set(CACHE_KEY, facts, CACHE_SECONDS)
    return facts


def front_page_compute() -> FrontPage:
    """The facts, computed now (six queries however much data there is)."""
    contracts = list(
        contracts_in_force()
        .order_by("number")
        .values(
            "id",
            "slug",
            "number",
            "title",
            "description",
            "featured",
            "term_end",
            "supplier_id",
            "cooperative_id",
            "cooperative__name",
            "supplier__name",
        )
    )
    ids = [c["id"] for c in contracts]
    items = {
        row["contract_id"]: row
        for row in CatalogItem.objects.filter(contract_id__in=ids, status=ItemStatus.ACTIVE)
        .values("contract_id")
        .annotate(
            count=Count("id"),
            fast=Count("id", filter=Q(lead_time_days__lte=FAST_LEAD_DAYS)),
            priced=Count("id", filter=Q(list_price__gt=0)),
            discount_sum=Sum(Case(When(list_price__gt=0, then=_DISCOUNT))),
        )
        .order_by()
    }
    stores = {
        row["supplier_id"]: row
        for row in StoreLocation.objects.unscoped()
        .filter(supplier_id__in={c["supplier_id"] for c in contracts}, is_active=True, locally_owned=True)
        .values("supplier_id")
        .annotate(count=Count("id"), states=ArrayAgg("state", distinct=True, default=[]))
        .order_by()
    }
    agency_count = (
        CoopMembership.objects.active()
        .filter(agency__is_active=True, agency__kind=OrgKind.AGENCY, cooperative__is_active=True)
        .values("agency_id")
        .distinct()
        .count()
    )

    def _average(rows) -> Decimal | None:
        priced = sum(r["priced"] for r in rows)
        return _one_decimal(sum(r["discount_sum"] or 0 for r in rows) / priced) if priced else None

    def _featured(c: dict) -> FeaturedContract:
        stats = items.get(c["id"])
        supplier_stores = stores.get(c["supplier_id"], {"count": 0, "states": []})
        return FeaturedContract(
            slug=c["slug"],
            number=c["number"],
            title=c["title"],
            description=c["description"],
            cooperative=c["cooperative__name"],
            supplier=c["supplier__name"],
            chosen=c["featured"],
            item_count=stats["count"] if stats else 0,
            average_discount=_average([stats]) if stats else None,
            fast_item_count=stats["fast"] if stats else 0,
            store_count=supplier_stores["count"],
            store_states=tuple(sorted(supplier_stores["states"])),
            term_end=c["term_end"],
        )

    def _item_count(c: dict) -> int:
        return items[c["id"]]["count"] if c["id"] in items else 0

    chosen = [c for c in contracts if c["featured"]]
    if not chosen and contracts:  # none chosen by a co-op: the contract with the most items (then the lowest number)
        chosen = [sorted(contracts, key=lambda c: -_item_count(c))[0]]
    chosen = sorted(chosen, key=lambda c: -_item_count(c))[:FEATURED_LIMIT]
    featured = tuple(_featured(c) for c in chosen)
    with_items = [c for c in chosen if _item_count(c)]
    preview_contract = featured[chosen.index(with_items[0])] if with_items else None
    preview = _preview(with_items[0]["id"]) if with_items else ()

    in_force_suppliers = {c["supplier_id"] for c in contracts}
    coop_contracts: dict[int, int] = {}
    for c in contracts:
        coop_contracts[c["cooperative_id"]] = coop_contracts.get(c["cooperative_id"], 0) + 1
    coops = sorted(
        (
            JoinCoop(name=name, slug=slug, contract_count=coop_contracts.get(pk, 0))
            for pk, name, slug in Organization.objects.filter(kind=OrgKind.COOPERATIVE, is_active=True).values_list(
                "pk", "name", "slug"
            )
        ),
        key=lambda coop: (-coop.contract_count, coop.name),
    )
    return FrontPage(
        contract_count=len(contracts),
        agency_count=agency_count,
        item_count=sum(r["count"] for r in items.values()),
        average_discount=_average(list(items.values())),
        fast_item_count=sum(r["fast"] for r in items.values()),
        store_count=sum(stores[s]["count"] for s in in_force_suppliers if s in stores),
        store_states=tuple(sorted({state for s in in_force_suppliers if s in stores for state in stores[s]["states"]})),
        featured=featured,
        preview=preview,
        preview_contract=preview_contract,
        coops=tuple(coops),
    )


def _preview(contract_id: int) -> tuple[PreviewItem, ...]:
    """A few priced items of one contract: one per category (its first by SKU), spread over the top-level
    categories first (batteries, lighting, power…), then filled up from the rest."""
    rows = list(
        CatalogItem.objects.filter(contract_id=contract_id, status=ItemStatus.ACTIVE, list_price__gt=0)
        .order_by("category_id", "sku")
        .distinct("category_id")
        .values("name", "manufacturer", "category_path", "unit", "pack_size", "list_price", "contract_price")
    )
    rows.sort(key=lambda r: r["category_path"])
    picked, tops = [], set()
    for r in rows:
        top = r["category_path"].split(" > ")[0]
        if top not in tops:
            tops.add(top)
            picked.append(r)
    picked += [r for r in rows if r not in picked]
    return tuple(
        PreviewItem(
            name=r["name"],
            manufacturer=r["manufacturer"],
            category=r["category_path"],
            unit=r["unit"],
            pack_size=r["pack_size"],
            list_price=r["list_price"],
            contract_price=r["contract_price"],
        )
        for r in picked[:PREVIEW_ITEMS]
    )
