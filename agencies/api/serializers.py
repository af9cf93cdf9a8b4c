"""Agency API types: an agency's detail, a co-op's detail with its member agencies, the buyer catalog (search
results with facets, and an item's detail)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Agency, Facility
from contracts.catalog.api.serializers import PictureSerializer, picture_data
from contracts.catalog.search.engine import savings_percent
from marketplace.core.api.serializers import OrganizationSerializer


class AgencyProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["agency_type", "state", "population", "website", "email_domain"]


class FacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = ["id", "name", "address", "city", "state", "postal_code", "contact_name", "contact_phone"]


class CoopRefSerializer(serializers.Serializer):
    cooperative = serializers.CharField(source="cooperative.name")
    cooperative_slug = serializers.CharField(source="cooperative.slug")
    status = serializers.CharField()
    expires_on = serializers.DateField(allow_null=True, help_text="Null: the membership does not expire.")


class AgencyDetailSerializer(serializers.Serializer):
    organization = OrganizationSerializer()
    profile = AgencyProfileSerializer(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField(), help_text="Your roles in this agency.")
    coop_memberships = CoopRefSerializer(many=True)
    facilities = FacilitySerializer(many=True)


class CoopMemberAgencySerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.name")
    agency_slug = serializers.CharField(source="agency.slug")
    status = serializers.CharField()
    expires_on = serializers.DateField(allow_null=True, help_text="Null: the membership does not expire.")


class CoopDetailSerializer(serializers.Serializer):
    organization = OrganizationSerializer()
    roles = serializers.ListField(child=serializers.CharField())
    member_agencies = CoopMemberAgencySerializer(many=True)


# --- The buyer catalog ---


class ContractRefSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    slug = serializers.CharField()


class CategoryRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    path = serializers.CharField()


class _ItemFieldsMixin(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    manufacturer = serializers.CharField()
    mpn = serializers.CharField()
    category = CategoryRefSerializer()
    unit = serializers.CharField()
    pack_size = serializers.IntegerField()
    list_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    contract_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    savings_amount = serializers.SerializerMethodField()
    savings_percent = serializers.SerializerMethodField(help_text="Percent off list, one decimal.")
    contract = ContractRefSerializer()
    image_url = serializers.CharField(help_text="The supplier's reference link, as imported; never fetched.")
    picture = serializers.SerializerMethodField()
    lead_time_days = serializers.IntegerField(allow_null=True)

    def get_picture(self, item) -> PictureSerializer:
        return picture_data(item)

    # Decimal strings, like every amount in the API (docs/architecture.md, "The API base").
    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_savings_amount(self, item) -> str:
        return str(item.list_price - item.contract_price)

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=1))
    def get_savings_percent(self, item) -> str:
        return str(savings_percent(item))


class CatalogItemResultSerializer(_ItemFieldsMixin):
    rank = serializers.FloatField(
        help_text="Relevance tier: 4 exact SKU / MPN, 3 SKU / MPN prefix, 2 every word in the title, 1 words found "
        "elsewhere; 0 when browsing without text or sorting by price, savings or name."
    )

    def to_representation(self, hit):
        """The fields above written out by hand: a search page serializes up to 100 items per request, and the
        generic path cost about a third of the request (bench/search.py). `generic_representation` is the
        reference a test holds this to, field by field."""
        item = hit.item
        category, contract = item.category, item.contract
        return {
            "id": item.id,
            "sku": item.sku,
            "name": item.name,
            "manufacturer": item.manufacturer,
            "mpn": item.mpn,
            "category": {"slug": category.slug, "name": category.name, "path": category.path},
            "unit": item.unit,
            "pack_size": item.pack_size,
            "list_price": _money(item.list_price),
            "contract_price": _money(item.contract_price),
            "savings_amount": self.get_savings_amount(item),
            "savings_percent": self.get_savings_percent(item),
            "contract": {"number": contract.number, "title": contract.title, "slug": contract.slug},
            "image_url": item.image_url,
            "picture": picture_data(item),
            "lead_time_days": item.lead_time_days,
            "rank": round(hit.rank or 0.0, 6),
        }

    def generic_representation(self, hit):
        hit.item.rank = round(hit.rank or 0.0, 6)
        return super().to_representation(hit.item)


_MONEY = serializers.DecimalField(max_digits=12, decimal_places=2)


def _money(value) -> str | None:
    return None if value is None else _MONEY.to_representation(value)


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="Pass back as the filter (for price bands: min_price / max_price).")
    label = serializers.CharField()
    count = serializers.IntegerField()
    min_price = serializers.CharField(required=False, help_text="Price bands only.")
    max_price = serializers.CharField(required=False, help_text="Price bands only (empty: no upper bound).")


class FacetsSerializer(serializers.Serializer):
    category = FacetValueSerializer(many=True)
    manufacturer = FacetValueSerializer(many=True)
    contract = FacetValueSerializer(many=True)
    price_band = FacetValueSerializer(many=True)
    exact = serializers.BooleanField(
        help_text="False when the facet counts are estimates from a random sample of the matches (broad searches, "
        "and searches of several thousand matches even when `count` is exact); every value listed belongs to at "
        "least one match, so no facet leads to an empty page."
    )


class SuggestedCategorySerializer(serializers.Serializer):
    value = serializers.CharField(source="slug", help_text="Pass back as `category`.")
    label = serializers.CharField(source="path")


class SuggestionsSerializer(serializers.Serializer):
    did_you_mean = serializers.CharField(allow_null=True, help_text="A spelling to try, when one was found.")
    categories = SuggestedCategorySerializer(
        many=True, help_text="Categories whose names share a word with the query, else every top-level category."
    )
    items = CatalogItemResultSerializer(many=True, help_text="The items with the biggest savings in your catalog.")


class CatalogSearchSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="Matching items; an estimate (two significant figures) when `count_is_exact` is false."
    )
    count_is_exact = serializers.BooleanField(
        help_text="False for broad searches: `count` and `num_pages` are estimates from a random sample of the "
        "matches; follow `next` (null on the last page) rather than counting pages."
    )
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    query = serializers.CharField(allow_blank=True, help_text="The text searched for, after clean-up.")
    did_you_mean = serializers.CharField(
        allow_null=True, help_text="The query with typos corrected, when a correction was used."
    )
    relaxed = serializers.BooleanField(
        help_text="True when no item matched every word: the results match `matched_words`, the best subset."
    )
    matched_words = serializers.ListField(
        child=serializers.CharField(), help_text="When relaxed: the words the results match."
    )
    dropped_words = serializers.ListField(child=serializers.CharField(), help_text="When relaxed: the words left out.")
    facets = FacetsSerializer()
    results = CatalogItemResultSerializer(many=True)
    suggestions = SuggestionsSerializer(
        allow_null=True, help_text="Only when nothing was found: corrections, categories and items to try instead."
    )

    def to_representation(self, data):
        """The fields above written out by hand (the generic path deep-copies ~50 field objects per request);
        `generic_representation` is the reference a test holds this to."""
        item = CatalogItemResultSerializer()
        facets = data["facets"]
        return {
            "count": int(data["count"]),
            "count_is_exact": bool(data["count_is_exact"]),
            "page": int(data["page"]),
            "page_size": int(data["page_size"]),
            "num_pages": int(data["num_pages"]),
            "next": data["next"],
            "previous": data["previous"],
            "query": None if data["query"] is None else str(data["query"]),
            "did_you_mean": data["did_you_mean"],
            "relaxed": bool(data["relaxed"]),
            "matched_words": [str(w) for w in data["matched_words"]],
            "dropped_words": [str(w) for w in data["dropped_words"]],
            "facets": {
                **{name: [_facet_value(v) for v in facets[name]] for name in FACET_NAMES},
                "exact": bool(facets["exact"]),
            },
            "results": [item.to_representation(hit) for hit in data["results"]],
            "suggestions": None
            if data["suggestions"] is None
            else SuggestionsSerializer(data["suggestions"]).data,  # rare: the generic path
        }

    def generic_representation(self, data):
        return super().to_representation(data)


FACET_NAMES = ("category", "manufacturer", "contract", "price_band")


def _facet_value(value) -> dict:
    return {
        "value": str(value.value),
        "label": str(value.label),
        "count": int(value.count),
        "min_price": str(value.min_price),
        "max_price": str(value.max_price),
    }


class PriceHistorySerializer(serializers.Serializer):
    effective_date = serializers.DateField(allow_null=True)
    old_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    new_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    old_list_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    new_list_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    status = serializers.CharField()
    reason = serializers.CharField()


class ContractSummarySerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    slug = serializers.CharField()
    cooperative = serializers.CharField(source="cooperative.name")
    supplier = serializers.CharField(source="supplier.name")
    lead_agency = serializers.CharField(source="lead_agency.name", allow_null=True, default=None)
    term_start = serializers.DateField()
    term_end = serializers.DateField()
    pricing_basis = serializers.CharField()
    min_discount_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    public_url = serializers.SerializerMethodField()

    def get_public_url(self, contract) -> str:
        return f"/contracts/{contract.slug}/"


class NearbyStoreSerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    postal_code = serializers.CharField()
    phone = serializers.CharField()
    locally_owned = serializers.BooleanField()
    distance_miles = serializers.DecimalField(max_digits=7, decimal_places=1)


class CatalogItemDetailSerializer(_ItemFieldsMixin):
    description = serializers.CharField()
    unspsc = serializers.CharField()
    attributes = serializers.DictField()
    contract = ContractSummarySerializer()
    price_history = PriceHistorySerializer(many=True)
    facility = serializers.CharField(allow_null=True, help_text="The facility store distances are measured from.")
    nearest_stores = NearbyStoreSerializer(many=True)
