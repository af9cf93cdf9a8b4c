"""Buyer pages of an agency: the home page (what they can buy on, where it ships, their co-ops), catalog search
with facets (htmx search-as-you-type, works without JavaScript) and item pages."""

from urllib.parse import urlencode

from django.http import Http404
from django.views.generic import TemplateView

from agencies import selectors
from agencies.agreements.selectors import agreement_warnings
from contracts.catalog.search.engine import savings_percent
from contracts.catalog.search.query import SORTS, SearchParams, parse_params
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import money
from marketplace.core.models import CoopMembershipStatus
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin

PAGE_SIZE = 24


class AgencyHomeView(OrganizationViewMixin, TemplateView):
    """A buyer's landing page: what they can buy on, where it ships, their co-ops. Routed by `orders.home`, whose
    subclass adds the savings of the agency's orders (agencies cannot read orders)."""

    organization_kind = OrgKind.AGENCY
    template_name = "agencies/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = self.organization
        memberships = list(selectors.coop_membership_list(agency=agency))
        context.update(
            profile=selectors.agency_profile(organization=agency),
            contracts=selectors.available_contract_list(agency=agency),
            memberships=memberships,
            has_active_membership=any(m.status == CoopMembershipStatus.ACTIVE for m in memberships),
            facilities=selectors.facility_list(agency=agency),
            agreement_notices=agreement_warnings(agency=agency),
        )
        return context


class CatalogSearchView(OrganizationViewMixin, TemplateView):
    organization_kind = OrgKind.AGENCY
    template_name = "agencies/catalog/search.html"

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.boosted and not htmx.history_restore_request:
            return ["agencies/catalog/search.html#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        errors: dict[str, list[str]] = {}
        try:
            params = parse_params(self.request.GET, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
        except ApplicationError as exc:
            errors = exc.fields
            params = SearchParams(q=self.request.GET.get("q", "")[:200])
        page = selectors.catalog_page(
            agency=self.organization, params=params, facility_id=self.request.GET.get("facility")
        )
        base = {"q": params.q, "sort": params.sort, **params.filters()}
        if page.facility is not None and self.request.GET.get("facility"):
            base["facility"] = str(page.facility.id)
        context.update(
            params=params,
            errors=[
                (FIELD_LABELS.get(name, name), message) for name, messages in errors.items() for message in messages
            ],
            facet_groups=_facet_groups(page.result.facets, params, base),
            active_filters=_active_filters(params, base, page),
            previous_url=_query(base, page=params.page - 1) if page.result.has_previous else None,
            next_url=_query(base, page=params.page + 1) if page.result.has_next else None,
            result=page.result,
            hits=[(hit, page.stores.get(hit.item.contract.supplier_id, [])) for hit in page.result.hits],
            facility=page.facility,
            facilities=selectors.facility_choices(agency=self.organization),
            sorts=SORTS,
            base_query=base,
            scope=page.scope,
        )
        return context


def _query(base: dict, **changes) -> str:
    """'?…' for the current search with `changes` (a value of None removes the key); page 1 unless given."""
    merged = {**base, **changes}
    if merged.get("page") in (1, "1"):
        merged.pop("page")
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


FIELD_LABELS = {
    "min_price": "Lowest price",
    "max_price": "Highest price",
    "sort": "Sort by",
    "page": "Page",
    "page_size": "Page size",
}
ATTRIBUTE_LABELS = {
    "capacity_mah": "Capacity (mAh)",
    "capacity_ah": "Capacity (Ah)",
    "voltage": "Voltage (V)",
    "wattage": "Wattage (W)",
    "lumens": "Light output (lumens)",
    "color_temp": "Color temperature",
    "cca": "Cold cranking amps",
    "group_size": "Battery group size",
}
FACET_TITLES = {"category": "Category", "manufacturer": "Manufacturer", "contract": "Contract", "price_band": "Price"}


def _facet_groups(facets, params: SearchParams, base: dict) -> list[dict]:
    groups = []
    for name, values in facets.as_dict().items():
        links = []
        for value in values:
            if name == "price_band":
                selected = str(params.min_price or "") == value.min_price and str(params.max_price or "") == (
                    value.max_price
                )
                href = _query(base, min_price=value.min_price, max_price=value.max_price or None)
            else:
                selected = getattr(params, name).lower() == value.value.lower()
                href = _query(base, **{name: None if selected else value.value})
            links.append({"label": value.label, "count": value.count, "href": href, "selected": selected})
        if links:
            groups.append({"name": name, "title": FACET_TITLES[name], "links": links})
    return groups


def _active_filters(params: SearchParams, base: dict, page) -> list[dict]:
    active = []
    if params.category:
        category = next((c for c in page.result.categories.values() if c.slug == params.category), None)
        label = category.path if category else params.category
        active.append({"label": f"Category: {label}", "href": _query(base, category=None)})
    if params.manufacturer:
        active.append({"label": f"Manufacturer: {params.manufacturer}", "href": _query(base, manufacturer=None)})
    if params.contract:
        contract = page.scope.contract_by_key(params.contract)
        label = contract.number if contract else params.contract
        active.append({"label": f"Contract: {label}", "href": _query(base, contract=None)})
    if params.min_price is not None or params.max_price is not None:
        low = money(params.min_price) if params.min_price is not None else "any"
        high = money(params.max_price) if params.max_price is not None else "any"
        active.append({"label": f"Price: {low} to {high}", "href": _query(base, min_price=None, max_price=None)})
    return active


class CatalogItemView(OrganizationViewMixin, TemplateView):
    organization_kind = OrgKind.AGENCY
    template_name = "agencies/catalog/item.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = selectors.catalog_item_detail(agency=self.organization, item_id=kwargs["pk"])
        if item is None:
            raise Http404("No such item in your catalog.")
        facility = selectors.catalog_facility(agency=self.organization, facility_id=self.request.GET.get("facility"))
        context.update(
            item=item,
            attributes=[
                (ATTRIBUTE_LABELS.get(k, k.replace("_", " ").capitalize()), v) for k, v in item.attributes.items()
            ],
            savings_amount=item.list_price - item.contract_price,
            savings_percent=savings_percent(item),
            history=selectors.item_price_history(item=item),
            facility=facility,
            stores=selectors.item_nearest_stores(item=item, facility=facility),
        )
        return context
