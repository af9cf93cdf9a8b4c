"""Agency API: an agency's detail; a co-op's detail with its member agencies; the buyer catalog — search (with
facets and typo correction) and item detail, for any agency member."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import selectors
from agencies.api.serializers import (
    AgencyDetailSerializer,
    CatalogItemDetailSerializer,
    CatalogSearchSerializer,
    CoopDetailSerializer,
)
from contracts.catalog.search.query import MAX_PAGE, MAX_QUERY_CHARS, SORTS, parse_params
from marketplace.core.api.pagination import MAX_PAGE_SIZE
from marketplace.core.api.views import ERROR_RESPONSES, LIST_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import OrgKind

API_PAGE_SIZE = 50


def _text(limit: int) -> dict:
    return {"type": "string", "maxLength": limit}


_PRICE = {"type": "number", "minimum": 0, "maximum": 10_000_000}

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        _text(MAX_QUERY_CHARS),
        description=f"Words, a SKU or a part number (prefixes and typos are tolerated); cut to {MAX_QUERY_CHARS} "
        "characters.",
    ),
    OpenApiParameter("category", _text(140), description="Category slug; a top-level category includes its children."),
    OpenApiParameter("manufacturer", _text(120), description="Exact manufacturer name (see the manufacturer facet)."),
    OpenApiParameter("contract", _text(60), description="Contract slug or number."),
    OpenApiParameter("min_price", _PRICE, description="Lowest contract price."),
    OpenApiParameter("max_price", _PRICE, description="Highest contract price (not below min_price)."),
    OpenApiParameter("sort", str, enum=list(SORTS), description="Default: relevance (name when there is no text)."),
    OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        description=f"Default {API_PAGE_SIZE}, at most {MAX_PAGE_SIZE}.",
    ),
]


class CatalogSearchAPIView(OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.AGENCY

    @extend_schema(
        operation_id="agency_catalog_search",
        parameters=SEARCH_PARAMETERS,
        responses={200: CatalogSearchSerializer, **LIST_ERRORS},
        summary="Search the catalog your agency may buy from",
        description=(
            "Items on active contracts available to the agency through an active co-op membership and usable "
            "in its state. Full text over name, manufacturer / MPN / SKU, category and description, exact and "
            "prefix SKU / MPN match, and typo correction (`did_you_mean`). Relevance and every sort rank the "
            "whole catalog (exact SKU / MPN, then items with every word in their title, then the rest, in a "
            "fixed shuffle), whatever the order items were loaded in. For broad searches `count` and the facet "
            "counts are estimates from a random sample (`count_is_exact` and `facets.exact` are false). When "
            "no item matches every word, the best subset of the words is searched (`relaxed`, "
            "`matched_words`); when nothing is found, `suggestions` offers corrections, categories and items."
        ),
    )
    def get(self, request, org):
        params = parse_params(request.query_params, page_size=API_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
        page = selectors.catalog_page(agency=self.organization, params=params, with_stores=False)
        return Response(CatalogSearchSerializer(search_response_data(request, params, page.result)).data)


def search_response_data(request, params, result) -> dict:
    """What CatalogSearchSerializer writes out for one search."""

    def link(number):
        query = request.query_params.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(request.path + "?" + query.urlencode())

    return {
        "count": result.count,
        "count_is_exact": result.count_is_exact,
        "page": params.page,
        "page_size": params.page_size,
        "num_pages": result.num_pages,
        "next": link(params.page + 1) if result.has_next else None,
        "previous": link(params.page - 1) if result.has_previous else None,
        "query": params.q,
        "did_you_mean": result.did_you_mean,
        "relaxed": result.relaxed,
        "matched_words": result.matched_words,
        "dropped_words": result.dropped_words,
        "facets": {**result.facets.as_dict(), "exact": result.facets.exact},
        "results": result.hits,
        "suggestions": result.suggestions,
    }


class CatalogItemAPIView(OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.AGENCY

    @extend_schema(
        operation_id="agency_catalog_item",
        parameters=[OpenApiParameter("facility", int, description="Measure store distances from this facility.")],
        # a filtered read (?facility=): a query string the app refuses (a NUL) is a documented 400
        responses={200: CatalogItemDetailSerializer, **LIST_ERRORS},
        summary="A catalog item your agency may buy: attributes, price history, contract, nearest stores",
    )
    def get(self, request, org, pk):
        item = selectors.catalog_item_detail(agency=self.organization, item_id=pk)
        if item is None:
            raise Http404
        facility = selectors.catalog_facility(
            agency=self.organization, facility_id=request.query_params.get("facility")
        )
        item.price_history = list(selectors.item_price_history(item=item))
        item.facility = facility.name if facility else None
        item.nearest_stores = selectors.item_nearest_stores(item=item, facility=facility)
        return Response(CatalogItemDetailSerializer(item).data)


class AgencyDetailView(OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.AGENCY

    @extend_schema(responses={200: AgencyDetailSerializer, **ERROR_RESPONSES}, summary="An agency you belong to")
    def get(self, request, org):
        data = {
            "organization": self.organization,
            "profile": selectors.agency_profile(organization=self.organization),
            "roles": sorted(self.access.roles),
            "coop_memberships": selectors.coop_membership_list(agency=self.organization),
            "facilities": selectors.facility_list(agency=self.organization),
        }
        return Response(AgencyDetailSerializer(data).data)


class CoopDetailView(OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.COOPERATIVE

    @extend_schema(responses={200: CoopDetailSerializer, **ERROR_RESPONSES}, summary="A cooperative you belong to")
    def get(self, request, org):
        data = {
            "organization": self.organization,
            "roles": sorted(self.access.roles),
            "member_agencies": selectors.coop_member_list(cooperative=self.organization),
        }
        return Response(CoopDetailSerializer(data).data)
